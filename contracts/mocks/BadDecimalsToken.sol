// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title BadDecimalsToken
/// @notice Test-only hostile "token" whose decimals() returns a full uint256, so a caller that decodes the
///         answer as uint8 sees a value it cannot represent (e.g. 300). Never deploy to a real network.
contract BadDecimalsToken {
    uint256 private immutable _decimals;

    constructor(uint256 decimals_) {
        _decimals = decimals_;
    }

    /// @notice The configured decimals, deliberately wider than ERC-20's uint8.
    function decimals() external view returns (uint256) {
        return _decimals;
    }
}
