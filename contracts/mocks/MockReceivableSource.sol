// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParticipantRegistry} from "../interfaces/IParticipantRegistry.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";

/// @title MockReceivableSource
/// @notice Test-only: the three IReceivableRegistry views the risk engine reads (participants, coreOf, riskDataOf), with settable values, so the
///         engine can be tested on any record without replaying its history.
contract MockReceivableSource {
    /// @dev The participant registry returned by participants().
    IParticipantRegistry private immutable _participants;
    /// @dev Stored receivables.
    mapping(uint256 id => IReceivableRegistry.Receivable) private _receivables;
    /// @dev Stored buyer records.
    mapping(uint32 buyerIndex => IReceivableRegistry.BuyerRecord) private _buyers;
    /// @dev Stored seller records.
    mapping(uint32 sellerIndex => IReceivableRegistry.SellerRecord) private _sellers;

    /// @notice The id has no receivable (mirrors the registry's error).
    error ReceivableNotFound(uint256 id);

    constructor(IParticipantRegistry participants_) {
        _participants = participants_;
    }

    /// @notice Stores receivable `id`.
    function setReceivable(uint256 id, IReceivableRegistry.Receivable calldata r) external {
        _receivables[id] = r;
    }

    /// @notice Stores a buyer record.
    function setBuyerRecord(uint32 buyerIndex, IReceivableRegistry.BuyerRecord calldata b) external {
        _buyers[buyerIndex] = b;
    }

    /// @notice Stores a seller record.
    function setSellerRecord(uint32 sellerIndex, IReceivableRegistry.SellerRecord calldata s) external {
        _sellers[sellerIndex] = s;
    }

    /// @notice As IReceivableRegistry.participants.
    function participants() external view returns (IParticipantRegistry) {
        return _participants;
    }

    /// @notice As IReceivableRegistry.coreOf (holder zero, never paused).
    function coreOf(
        uint256 id
    ) external view returns (IReceivableRegistry.Receivable memory r, address holder, bool registryPaused) {
        r = _receivables[id];
        require(r.status != IReceivableRegistry.Status.None, ReceivableNotFound(id));
        r.docHash = bytes32(0);
        return (r, holder, registryPaused);
    }

    /// @notice As IReceivableRegistry.riskDataOf.
    function riskDataOf(uint256 id) external view returns (IReceivableRegistry.RiskData memory d) {
        IReceivableRegistry.Receivable memory r = _receivables[id];
        require(r.status != IReceivableRegistry.Status.None, ReceivableNotFound(id));
        IReceivableRegistry.BuyerRecord memory b = _buyers[r.buyerIndex];
        IReceivableRegistry.SellerRecord memory s = _sellers[r.sellerIndex];
        d = IReceivableRegistry.RiskData({
            status: r.status,
            frozen: r.frozen,
            dueDate: r.dueDate,
            outstanding: r.faceAmount - r.paidAmount,
            buyerIndex: r.buyerIndex,
            paidOnTimeCount: b.paidOnTimeCount,
            paidLateCount: b.paidLateCount,
            defaultCount: b.defaultCount,
            paidOnTimeAmount: b.paidOnTimeAmount,
            paidLateAmount: b.paidLateAmount,
            lateAmountDays: b.lateAmountDays,
            acknowledgedAmount: b.acknowledgedAmount,
            defaultedAmount: b.defaultedAmount,
            sellerAcknowledgedAmount: s.acknowledgedAmount,
            sellerRejectedAmount: s.rejectedAmount,
            sellerCancelledAmount: s.cancelledAmount
        });
    }
}
