// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {RiskMath} from "../libraries/RiskMath.sol";

/// @title RiskMathHarness
/// @notice Test-only: exposes the pure RiskMath scorecard so property tests can compare it with src/pure/risk.ts.
contract RiskMathHarness {
    /// @notice RiskMath.assess.
    function assess(
        RiskMath.Inputs memory inputs,
        IRiskEngine.RiskPolicy calldata policy
    ) external pure returns (IRiskEngine.Assessment memory a) {
        RiskMath.assess(inputs, policy, a);
    }

    /// @notice RiskMath.validatePolicy.
    function validatePolicy(IRiskEngine.RiskPolicy calldata policy) external pure {
        RiskMath.validatePolicy(policy);
    }

    /// @notice RiskMath.multiplierBps.
    function multiplierBps(RiskMath.Inputs memory inputs) external pure returns (uint256) {
        return RiskMath.multiplierBps(inputs);
    }

    /// @notice RiskMath.tenorDays.
    function tenorDays(uint256 nowTimestamp, uint256 dueDate) external pure returns (uint256) {
        return RiskMath.tenorDays(nowTimestamp, dueDate);
    }

    /// @notice RiskMath.BLOCKING_MASK.
    function blockingMask() external pure returns (uint256) {
        return RiskMath.BLOCKING_MASK;
    }
}
