// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice Hostile test token: every transfer burns a fee (basis points of the amount), so the recipient
///         receives less than was sent. 6 decimals, open mint. Tests only.
contract FeeOnTransferToken is ERC20 {
    /// @notice Fee taken from every transfer, in basis points of the amount.
    uint256 public immutable feeBps;

    constructor(uint256 feeBps_) ERC20("Fee On Transfer USD", "fotUSD") {
        feeBps = feeBps_;
    }

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @dev Transfers between two holders burn the fee from the amount; mints and burns are untouched.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * feeBps) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
