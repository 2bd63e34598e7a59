// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParticipantRegistry} from "../../contracts/interfaces/IParticipantRegistry.sol";
import {IFinancingPool} from "../../contracts/interfaces/IFinancingPool.sol";

/// @title TradeFinAdapter
/// @notice The one place where the forge suites spell out calls whose signatures are in flux, so that a change
///         of signature is a one-line fix here and nowhere else. Internal functions: they run in the caller's
///         context, so `vm.prank` before them makes the actor the `msg.sender` of the wrapped call.
/// @dev Follows issue 12's signatures: `FinancingPool.finance(id, minNetAdvance, maxFee, deadline)` (the
///      suites pass `type(uint256).max` as maxFee: no fee bound, the pool's quoted fee is accepted) and the
///      one-call `ParticipantRegistry.addWallet(entityId, wallet, pullOnly)`.
library TradeFinAdapter {
    /// @notice The holder (the caller, via prank) finances `id` in `pool`.
    /// @param pool The pool.
    /// @param id The receivable.
    /// @param minNetAdvance The least net advance accepted.
    /// @param deadline Last second the acceptance holds.
    /// @return executed True when financed at once, false when a request was recorded.
    function finance(
        IFinancingPool pool,
        uint256 id,
        uint256 minNetAdvance,
        uint256 deadline
    ) internal returns (bool executed) {
        return pool.finance(id, minNetAdvance, type(uint256).max, deadline);
    }

    /// @notice The calldata of `finance`, for actors that call through a low-level call (the handlers count
    ///         reverts instead of propagating them).
    /// @param id The receivable.
    /// @param minNetAdvance The least net advance accepted.
    /// @param deadline Last second the acceptance holds.
    /// @return The calldata.
    function financeCall(uint256 id, uint256 minNetAdvance, uint256 deadline) internal pure returns (bytes memory) {
        return abi.encodeCall(IFinancingPool.finance, (id, minNetAdvance, type(uint256).max, deadline));
    }

    /// @notice The onboarder (the caller, via prank) binds `wallet` to `entityId`; a pull-only wallet
    ///         (a financing pool) takes receivables only through its own calls.
    /// @param registry The participant registry.
    /// @param entityId The entity.
    /// @param wallet The wallet to bind.
    /// @param pullOnly Whether the wallet is pull-only.
    function addWallet(IParticipantRegistry registry, bytes32 entityId, address wallet, bool pullOnly) internal {
        registry.addWallet(entityId, wallet, pullOnly);
    }
}
