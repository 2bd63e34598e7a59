// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title Timelock
/// @notice The delayed path of TradeFin governance: the admin of the ParticipantRegistry (DEFAULT_ADMIN_ROLE)
///         and the owner of each FinancingPool. Every privileged change is scheduled by a proposer (a Safe
///         multisig), is visible on chain as CallScheduled, and runs only after `getMinDelay()` seconds.
/// @dev OpenZeppelin's TimelockController, unchanged; this file exists so that Hardhat compiles an artifact
///      that Ignition and TypeChain can use. See docs/GOVERNANCE.md.
contract Timelock is TimelockController {
    /// @notice Deploys the timelock.
    /// @param minDelay Seconds between scheduling and execution (48 h by default; 0 only on local chains,
    ///        enforced by the deploy tooling, src/chain/governance.ts).
    /// @param proposers Accounts that may schedule and cancel (the Safe).
    /// @param executors Accounts that may execute a ready operation; `address(0)` lets anyone execute.
    /// @param admin Optional extra admin of the timelock's own roles; `address(0)` for a self-administered
    ///        timelock (the only setting TradeFin deploys).
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
