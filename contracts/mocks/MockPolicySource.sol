// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPolicySource, IRiskEngine} from "../interfaces/IRiskEngine.sol";

/// @title MockPolicySource
/// @notice Test-only stand-in for a FinancingPool: a settable risk policy and per-buyer exposure.
contract MockPolicySource is IPolicySource {
    /// @dev The policy returned by policy().
    IRiskEngine.RiskPolicy private _policy;
    /// @dev Exposure returned per buyer.
    mapping(uint32 buyerIndex => uint256 exposure) private _exposure;

    /// @notice Replaces the stored policy.
    function setPolicy(IRiskEngine.RiskPolicy calldata newPolicy) external {
        _policy = newPolicy;
    }

    /// @notice Sets the exposure reported for a buyer.
    function setBuyerExposure(uint32 buyerIndex, uint256 exposure) external {
        _exposure[buyerIndex] = exposure;
    }

    /// @inheritdoc IPolicySource
    function policy() external view returns (IRiskEngine.RiskPolicy memory) {
        return _policy;
    }

    /// @inheritdoc IPolicySource
    function buyerExposure(uint32 buyerIndex) external view returns (uint256) {
        return _exposure[buyerIndex];
    }
}
