// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParticipantRegistry} from "../interfaces/IParticipantRegistry.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";
import {ReceivableSlots} from "../libraries/ReceivableSlots.sol";

/// @title ReceivableLens
/// @notice Read-only views over a ReceivableRegistry, built from its raw storage (`extSloads`): the receivable
///         as stored, lineage, the invoice-key index, the buyers' payment and the sellers' submission records,
///         revoked acknowledgement nonces and grace periods. It holds no state and no power; it exists so that
///         the registry's bytecode is spent on state changes (EIP-170 limits it to 24 KiB).
/// @dev Every value is decoded with ReceivableSlots, whose constants a test checks against the compiler's storage
///      layout of ReceivableRegistry.
contract ReceivableLens {
    using ReceivableSlots for IReceivableRegistry;

    /// @dev The registry read.
    IReceivableRegistry private immutable _receivables;

    /// @param receivables_ The receivable registry to read.
    constructor(IReceivableRegistry receivables_) {
        _receivables = receivables_;
    }

    /// @notice The registry this lens reads.
    /// @return The receivable registry.
    function receivables() external view returns (IReceivableRegistry) {
        return _receivables;
    }

    /// @notice Receivable `id` as stored, except that a split child shows its original invoice's document hash.
    ///         For a Split receivable, `paidAmount` is what its family (its children, their children…) has paid.
    ///         Reverts ReceivableNotFound.
    /// @param id The receivable id.
    /// @return r The receivable.
    function receivable(uint256 id) external view returns (IReceivableRegistry.Receivable memory r) {
        r = _receivable(id);
        if (r.depth != 0) {
            uint256 root = _lineage(id) >> ReceivableSlots.ROOT_ID_SHIFT;
            r.docHash = _receivables.load(bytes32(uint256(ReceivableSlots.receivableSlot(root)) + 2));
        }
    }

    /// @notice The receivable `id` was split from (0 for an original invoice). Reverts ReceivableNotFound.
    /// @param id The receivable id.
    /// @return The parent id.
    function parentOf(uint256 id) external view returns (uint256) {
        IReceivableRegistry.Receivable memory r = _receivable(id);
        return r.depth == 0 ? 0 : uint64(_lineage(id));
    }

    /// @notice True when receivable `id` is submitted or open (acknowledged, partly paid, defaulted) and its
    ///         due date has passed. Overdue is derived from time, never stored. Reverts ReceivableNotFound.
    /// @param id The receivable id.
    /// @return Whether it is overdue now.
    function isOverdue(uint256 id) external view returns (bool) {
        IReceivableRegistry.Receivable memory r = _receivable(id);
        IReceivableRegistry.Status s = r.status;
        bool open =
            s == IReceivableRegistry.Status.Submitted ||
                s == IReceivableRegistry.Status.Acknowledged ||
                s == IReceivableRegistry.Status.PartiallyPaid ||
                s == IReceivableRegistry.Status.Defaulted;
        return open && block.timestamp > r.dueDate;
    }

    /// @notice The receivable minted for an invoice key (0 when the key was never used).
    /// @param invoiceKey keccak256(abi.encode(sellerEntityId, buyerEntityId, invoiceNumberHash)).
    /// @return The receivable id.
    function receivableOfKey(bytes32 invoiceKey) public view returns (uint256) {
        return uint256(_receivables.load(ReceivableSlots.mappingSlot(invoiceKey, ReceivableSlots.KEY_TO_ID_SLOT)));
    }

    /// @notice The payment record of a buyer entity (all zero for an unknown entity).
    /// @param buyerEntityId The buyer entity.
    /// @return The record (amounts normalised to 18 decimals).
    function buyerRecord(bytes32 buyerEntityId) external view returns (IReceivableRegistry.BuyerRecord memory) {
        bytes32 first = ReceivableSlots.buyerSlot(_indexOf(buyerEntityId));
        return ReceivableSlots.decodeBuyer(_receivables.extSloads(ReceivableSlots.consecutive(first, 4)));
    }

    /// @notice The submission record of a seller entity (all zero for an unknown entity).
    /// @param sellerEntityId The seller entity.
    /// @return The record (amounts normalised to 18 decimals).
    function sellerRecord(bytes32 sellerEntityId) external view returns (IReceivableRegistry.SellerRecord memory) {
        bytes32 first = ReceivableSlots.sellerSlot(_indexOf(sellerEntityId));
        return ReceivableSlots.decodeSeller(_receivables.extSloads(ReceivableSlots.consecutive(first, 2)));
    }

    /// @notice True when original invoice `rootId` has a receivable of its family declared in default (the
    ///         buyer's record then counts the family as one default): a split family's bit in the registry's
    ///         defaulted-roots bitmap, or an unsplit invoice that is Defaulted (its bit is set when it is
    ///         recovered in full).
    /// @param rootId The original invoice's id.
    /// @return Whether its family has a default.
    function rootDefaulted(uint256 rootId) external view returns (bool) {
        bytes32[] memory slots = new bytes32[](2);
        slots[0] = ReceivableSlots.mappingSlot(bytes32(rootId >> 8), ReceivableSlots.DEFAULTED_ROOTS_SLOT);
        slots[1] = bytes32(uint256(ReceivableSlots.receivableSlot(rootId)) + 1);
        bytes32[] memory words = _receivables.extSloads(slots);
        if (uint256(words[0]) & (1 << (rootId & 255)) != 0) return true;
        uint256 w1 = uint256(words[1]);
        return
            uint8(w1 >> ReceivableSlots.STATUS_SHIFT) == uint8(IReceivableRegistry.Status.Defaulted) &&
            uint8(w1 >> ReceivableSlots.DEPTH_SHIFT) == 0;
    }

    /// @notice Whether `signer` revoked acknowledgement nonce `nonce` (see revokeAcknowledgementNonces).
    /// @param signer The buyer wallet.
    /// @param nonce The nonce.
    /// @return Whether it is revoked.
    function nonceRevoked(address signer, uint256 nonce) external view returns (bool) {
        bytes32 inner = ReceivableSlots.mappingSlot(
            bytes32(uint256(uint160(signer))),
            ReceivableSlots.REVOKED_NONCES_SLOT
        );
        bytes32 slot = keccak256(abi.encode(nonce >> 8, inner));
        return uint256(_receivables.load(slot)) & (1 << (nonce & 255)) != 0;
    }

    /// @notice The grace period after the due date for receivables submitted from now on.
    /// @return Seconds.
    function defaultGracePeriod() external view returns (uint32) {
        return _graceAt(type(uint256).max);
    }

    /// @notice The grace period that applies to receivable `id`: the one in force when its original invoice was
    ///         submitted. Reverts ReceivableNotFound.
    /// @param id The receivable id.
    /// @return Seconds.
    function gracePeriodOf(uint256 id) external view returns (uint32) {
        IReceivableRegistry.Receivable memory r = _receivable(id);
        return _graceAt(r.depth == 0 ? id : _lineage(id) >> ReceivableSlots.ROOT_ID_SHIFT);
    }

    /// @notice The number of receivables ever minted (the highest id).
    /// @return The highest id.
    function totalMinted() external view returns (uint256) {
        return uint64(uint256(_receivables.load(bytes32(ReceivableSlots.LAST_ID_SLOT))));
    }

    /// @notice The participant registry of the receivable registry (for callers holding only the lens).
    /// @return The participant registry.
    function participants() external view returns (IParticipantRegistry) {
        return _receivables.participants();
    }

    // -------------------------------------------------------------- internal

    /// @dev The stored receivable; reverts ReceivableNotFound when its status is None.
    function _receivable(uint256 id) private view returns (IReceivableRegistry.Receivable memory r) {
        bytes32[] memory w = _receivables.extSloads(ReceivableSlots.consecutive(ReceivableSlots.receivableSlot(id), 3));
        r = ReceivableSlots.decodeReceivable(w);
        require(r.status != IReceivableRegistry.Status.None, IReceivableRegistry.ReceivableNotFound(id));
    }

    /// @dev The lineage word of `id` (parentId in the low 64 bits, rootId in the next 64).
    function _lineage(uint256 id) private view returns (uint256) {
        return
            uint128(uint256(_receivables.load(ReceivableSlots.mappingSlot(bytes32(id), ReceivableSlots.LINEAGE_SLOT))));
    }

    /// @dev The compact index of an entity (0 when unknown).
    function _indexOf(bytes32 entityId) private view returns (uint32) {
        return _receivables.participants().entity(entityId).index;
    }

    /// @dev The grace period of the last checkpoint whose first id is ≤ `id` (checkpoints are few: one per
    ///      change of the grace period).
    function _graceAt(uint256 id) private view returns (uint32 grace) {
        uint256 n = uint256(_receivables.load(bytes32(ReceivableSlots.GRACE_PERIODS_SLOT)));
        bytes32 first = keccak256(abi.encode(ReceivableSlots.GRACE_PERIODS_SLOT));
        bytes32[] memory w = _receivables.extSloads(ReceivableSlots.consecutive(first, n));
        for (uint256 i = 0; i < n; ++i) {
            uint256 word = uint256(w[i]);
            if (uint48(word) > id) break;
            grace = uint32(word >> 48);
        }
    }
}
