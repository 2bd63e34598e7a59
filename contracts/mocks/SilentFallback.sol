// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SilentFallback
/// @notice Test-only contract that accepts any call and returns no data, so decimals() "succeeds" with an
///         empty answer. Never deploy to a real network.
contract SilentFallback {
    /// @notice Accepts every call and returns nothing.
    fallback() external {}
}
