// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";

/// @title ReceivableSlots
/// @notice Where ReceivableRegistry keeps its state, and how to decode it from raw storage words read through
///         `extSloads`. The registry keeps its state changes; reads shaped for one caller are built on this
///         library (ReceivableLens), as morpho-blue's MorphoLib does over Morpho's storage.
/// @dev The slot numbers and packing offsets are the compiler's storage layout of ReceivableRegistry;
///      test/ReceivableLens.test.ts compares every constant here with the layout solc reports, so a change in
///      the registry's storage that is not mirrored here fails the suite.
library ReceivableSlots {
    /// @notice `_receivables` (id → Receivable, three slots).
    uint256 internal constant RECEIVABLES_SLOT = 0;
    /// @notice `_lineage` (id → Lineage: parentId uint64 at byte 0, rootId uint64 at byte 8).
    uint256 internal constant LINEAGE_SLOT = 1;
    /// @notice `_keyToId` (invoice key → id).
    uint256 internal constant KEY_TO_ID_SLOT = 2;
    /// @notice `_buyers` (buyer index → BuyerRecord, four slots).
    uint256 internal constant BUYERS_SLOT = 3;
    /// @notice `_sellers` (seller index → SellerRecord, two slots).
    uint256 internal constant SELLERS_SLOT = 4;
    /// @notice `_claimable` (holder → currency → amount).
    uint256 internal constant CLAIMABLE_SLOT = 5;
    /// @notice `_config` (ReceivableLogic.Config): the last id (uint64 at byte 0) packed with the pause flag (bool
    ///         at byte 8), the latest grace period (uint32 at byte 9) and the first invoice id it applies to (uint64
    ///         at byte 13).
    uint256 internal constant LAST_ID_SLOT = 6;
    /// @notice `_revokedNonces` (signer → word → bits).
    uint256 internal constant REVOKED_NONCES_SLOT = 7;
    /// @notice `_defaultedRoots` (word → bits of split families' roots with a default, and of unsplit invoices
    ///         recovered in full after a default; see ReceivableLens.rootDefaulted).
    uint256 internal constant DEFAULTED_ROOTS_SLOT = 8;
    /// @notice `_gracePeriods` (Checkpoints.Trace208: array length here, checkpoints from keccak256(slot), each
    ///         one word with the first id (uint48) at byte 0 and the grace period (uint208) at byte 6).
    uint256 internal constant GRACE_PERIODS_SLOT = 9;

    /// @notice Bit offsets of a receivable's slot 1 (faceAmount, a uint96, at bit 0), for the decoders here and for
    ///         ReceivableLogic, which reads and writes that word whole when it splits.
    uint256 internal constant PAID_SHIFT = 96;
    uint256 internal constant STATUS_SHIFT = 192;
    uint256 internal constant FROZEN_SHIFT = 200;
    uint256 internal constant DEPTH_SHIFT = 208;
    uint256 internal constant DECIMALS_SHIFT = 216;
    uint256 internal constant BUYER_INDEX_SHIFT = 224;
    /// @notice Bit offset of rootId in a lineage word (parentId, a uint64, at bit 0).
    uint256 internal constant ROOT_ID_SHIFT = 64;

    /// @notice The slot of `key` in the mapping at `slot`.
    function mappingSlot(bytes32 key, uint256 slot) internal pure returns (bytes32) {
        return keccak256(abi.encode(key, slot));
    }

    /// @notice The first slot of receivable `id`.
    function receivableSlot(uint256 id) internal pure returns (bytes32) {
        return mappingSlot(bytes32(id), RECEIVABLES_SLOT);
    }

    /// @notice The first slot of the buyer record at `buyerIndex`.
    function buyerSlot(uint32 buyerIndex) internal pure returns (bytes32) {
        return mappingSlot(bytes32(uint256(buyerIndex)), BUYERS_SLOT);
    }

    /// @notice The first slot of the seller record at `sellerIndex`.
    function sellerSlot(uint32 sellerIndex) internal pure returns (bytes32) {
        return mappingSlot(bytes32(uint256(sellerIndex)), SELLERS_SLOT);
    }

    /// @notice The `n` consecutive slots from `first`.
    function consecutive(bytes32 first, uint256 n) internal pure returns (bytes32[] memory slots) {
        slots = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) slots[i] = bytes32(uint256(first) + i);
    }

    /// @notice One storage word of `registry`.
    function load(IReceivableRegistry registry, bytes32 slot) internal view returns (bytes32) {
        bytes32[] memory slots = new bytes32[](1);
        slots[0] = slot;
        return registry.extSloads(slots)[0];
    }

    /// @notice Decodes the three words of a stored receivable.
    function decodeReceivable(bytes32[] memory w) internal pure returns (IReceivableRegistry.Receivable memory r) {
        uint256 w0 = uint256(w[0]);
        uint256 w1 = uint256(w[1]);
        r.currency = address(uint160(w0));
        r.sellerIndex = uint32(w0 >> 160);
        r.issueDate = uint32(w0 >> 192);
        r.dueDate = uint32(w0 >> 224);
        r.faceAmount = uint96(w1);
        r.paidAmount = uint96(w1 >> PAID_SHIFT);
        r.status = IReceivableRegistry.Status(uint8(w1 >> STATUS_SHIFT));
        r.frozen = uint8(w1 >> FROZEN_SHIFT) != 0;
        r.depth = uint8(w1 >> DEPTH_SHIFT);
        r.decimals = uint8(w1 >> DECIMALS_SHIFT);
        r.buyerIndex = uint32(w1 >> BUYER_INDEX_SHIFT);
        r.docHash = w[2];
    }

    /// @notice Decodes the four words of a buyer record.
    function decodeBuyer(bytes32[] memory w) internal pure returns (IReceivableRegistry.BuyerRecord memory b) {
        uint256 w0 = uint256(w[0]);
        uint256 w1 = uint256(w[1]);
        uint256 w2 = uint256(w[2]);
        b.acknowledgedCount = uint32(w0);
        b.acknowledgedAmount = uint112(w0 >> 32);
        b.paidLateCount = uint32(w0 >> 144);
        b.totalDaysLate = uint32(w0 >> 176);
        b.defaultCount = uint32(w0 >> 208);
        b.paidOnTimeAmount = uint112(w1);
        b.paidLateAmount = uint112(w1 >> 112);
        b.paidOnTimeCount = uint32(w1 >> 224);
        b.lateAmountDays = uint144(w2);
        b.defaultedAmount = uint112(w2 >> 144);
        b.recoveredAmount = uint112(uint256(w[3]));
    }

    /// @notice Decodes the two words of a seller record.
    function decodeSeller(bytes32[] memory w) internal pure returns (IReceivableRegistry.SellerRecord memory s) {
        uint256 w0 = uint256(w[0]);
        s.submittedCount = uint32(w0);
        s.rejectedCount = uint32(w0 >> 32);
        s.cancelledCount = uint32(w0 >> 64);
        s.rejectedAmount = uint112(w0 >> 96);
        uint256 w1 = uint256(w[1]);
        s.acknowledgedAmount = uint112(w1);
        s.cancelledAmount = uint112(w1 >> 112);
    }
}
