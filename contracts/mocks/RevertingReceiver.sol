// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";

/// @title RevertingReceiver
/// @notice Test contract wallet that refuses everything pushed to it: ether, unknown calls and ERC-721 safe
///         transfers (no onERC721Received). It can still hold a receivable moved with plain `transferFrom`,
///         and its owner can move it on and withdraw its proceeds to another address. Tests only.
contract RevertingReceiver {
    /// @notice The account that drives this wallet (the deployer).
    address public immutable owner;

    error RevertingReceiverRejected();
    error RevertingReceiverNotOwner(address caller);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, RevertingReceiverNotOwner(msg.sender));
        _;
    }

    /// @notice Refuses ether.
    receive() external payable {
        revert RevertingReceiverRejected();
    }

    /// @notice Refuses every other call, including onERC721Received.
    fallback() external payable {
        revert RevertingReceiverRejected();
    }

    /// @notice Withdraws this wallet's proceeds in `currency` from `registry` to `to`.
    function withdraw(IReceivableRegistry registry, address currency, address to) external onlyOwner returns (uint256) {
        return registry.withdraw(currency, to);
    }

    /// @notice Moves receivable `id` held by this wallet to `to`.
    function transferReceivable(IERC721 registry, address to, uint256 id) external onlyOwner {
        registry.transferFrom(address(this), to, id);
    }
}
