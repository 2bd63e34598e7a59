// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EfficientHashLib} from "solady/src/utils/EfficientHashLib.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IParticipantRegistry} from "../interfaces/IParticipantRegistry.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";
import {ReceivableSlots} from "./ReceivableSlots.sol";
import {Roles} from "./Roles.sol";

/// @title ReceivableLogic
/// @notice The less frequent state changes of ReceivableRegistry (splitting, default, rejection, freezes,
///         pause, grace periods) and the check of a contract wallet's acknowledgement signature, over the
///         registry's own storage.
/// @dev An external library: its functions run by DELEGATECALL in the registry's context (its storage, its
///      address, its events), so they change nothing about who may do what; they only keep the registry's code
///      under EIP-170 at 10,000 optimizer runs, as Aave's logic libraries do for its pool. The hot paths
///      (submit, acknowledge, pay, transfer, an externally owned wallet's signed acknowledgement) stay in the
///      registry, where they cost no extra call; its internal helpers are shared with it. Each function
///      costs one cold account access (2,600 gas) more than it would inline.
library ReceivableLogic {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Lineage of a split child (absent for invoices).
    struct Lineage {
        uint64 parentId;
        uint64 rootId;
    }

    /// @notice The registry's counters and switches, packed in one slot (ReceivableSlots.LAST_ID_SLOT): submit
    ///         reads the pause flag with the last id, markDefaulted the latest grace period with it.
    /// @param lastId Highest id minted.
    /// @param paused Whether the registry is paused.
    /// @param latestGracePeriod The latest default grace period (a copy of the last checkpoint of the history).
    /// @param latestGraceFrom The first invoice id `latestGracePeriod` applies to.
    struct Config {
        uint64 lastId;
        bool paused;
        uint32 latestGracePeriod;
        uint64 latestGraceFrom;
    }

    /// @notice The fields of a buyer's EIP-712 acknowledgement (see IReceivableRegistry.acknowledgeWithSig).
    struct Acknowledgement {
        uint256 id;
        bytes32 invoiceKey;
        uint256 amount;
        uint32 dueDate;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice EIP-712 type hash of a buyer's acknowledgement.
    bytes32 internal constant ACKNOWLEDGEMENT_TYPEHASH = keccak256(
        "Acknowledgement(uint256 id,bytes32 invoiceKey,uint256 amount,uint32 dueDate,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 private constant _NAME_HASH = keccak256("TradeFin Receivables");
    bytes32 private constant _VERSION_HASH = keccak256("1");
    /// @dev Largest number of children in one split (IReceivableRegistry.MAX_SPLIT_CHILDREN).
    uint256 internal constant MAX_SPLIT_CHILDREN = 8;
    /// @dev Deepest lineage (IReceivableRegistry.MAX_SPLIT_DEPTH).
    uint256 internal constant MAX_SPLIT_DEPTH = 4;
    /// @dev Longest default grace period (ReceivableRegistry.MAX_GRACE_PERIOD).
    uint32 internal constant MAX_GRACE_PERIOD = 365 days;
    /// @dev What a split child keeps of its parent's slot 1: decimals and buyer index (the top five bytes).
    uint256 private constant _KEPT_BY_CHILDREN = uint256(0xffffffffff) << ReceivableSlots.DECIMALS_SHIFT;
    uint256 private constant _ACKNOWLEDGED = uint256(IReceivableRegistry.Status.Acknowledged);
    uint256 private constant _SPLIT = uint256(IReceivableRegistry.Status.Split);

    /// @notice Closes `id` as Split, takes the next ids for its children and writes them (Acknowledged, one level
    ///         deeper); the registry mints them. Checks, in this order: not frozen, Acknowledged (so unpaid),
    ///         2..8 children, depth ≤ 4, non-zero amounts adding up to the outstanding amount. Emits
    ///         ReceivableSplit. The receivable's slot 1 is read once and every word is written whole.
    /// @param receivables The registry's receivables.
    /// @param lineage The registry's lineage of split children.
    /// @param config The registry's counters (the last id advances by the number of children).
    /// @param id The receivable split (its holder, the caller, and the holder's access were checked by the
    ///        registry).
    /// @param amounts The children's amounts in base units.
    /// @return firstChildId The first child's id; the others follow.
    function split(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        mapping(uint256 => Lineage) storage lineage,
        Config storage config,
        uint256 id,
        uint256[] calldata amounts
    ) external returns (uint256 firstChildId) {
        IReceivableRegistry.Receivable storage r = receivables[id];
        uint256 childWord1;
        uint256 childLineage;
        {
            // Slot 1 read once: the checks, the parent's new status and the children's words all come from it.
            uint256 word1 = _load(r, 1);
            uint256 depth = _checkSplit(word1, id, amounts);
            _store(
                r,
                1,
                (word1 & ~(uint256(0xff) << ReceivableSlots.STATUS_SHIFT)) | (_SPLIT << ReceivableSlots.STATUS_SHIFT)
            );
            uint64 root = depth == 1 ? uint64(id) : lineage[id].rootId; // ids fit uint64: one per mint
            firstChildId = takeIds(config, amounts.length);
            emit IReceivableRegistry.ReceivableSplit(id, root, firstChildId, amounts);
            childLineage = id | (uint256(root) << ReceivableSlots.ROOT_ID_SHIFT); // parentId at bit 0
            // A child's slot 1 keeps the parent's decimals and buyer index (the top five bytes) over its amount,
            // status Acknowledged and depth (paid amount and frozen flag zero).
            childWord1 =
                (word1 & _KEPT_BY_CHILDREN) |
                (_ACKNOWLEDGED << ReceivableSlots.STATUS_SHIFT) |
                (depth << ReceivableSlots.DEPTH_SHIFT);
        }
        // A child's slot 0 is the parent's (currency, seller, dates).
        _writeChildren(receivables, lineage, firstChildId, amounts, _load(r, 0), childWord1, childLineage);
    }

    /// @dev Writes each child's slots 0 and 1 and its lineage word, one store each. Slot 2 (docHash) is neither
    ///      read nor written: children read their root's, and a fresh id's slot is already zero.
    function _writeChildren(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        mapping(uint256 => Lineage) storage lineage,
        uint256 firstChildId,
        uint256[] calldata amounts,
        uint256 word0,
        uint256 childWord1,
        uint256 childLineage
    ) private {
        for (uint256 i = 0; i < amounts.length; ++i) {
            uint256 childId = firstChildId + i;
            IReceivableRegistry.Receivable storage c = receivables[childId];
            _store(c, 0, word0);
            // amounts[i] < outstanding ≤ faceAmount (uint96): it fills the face amount, bits 0-95 of slot 1.
            _store(c, 1, childWord1 | amounts[i]);
            _storeLineage(lineage[childId], childLineage);
        }
    }

    /// @notice Declares `id` in default once its due date plus its original invoice's grace period has passed,
    ///         and counts the family once in the buyer's record. Emits ReceivableDefaulted.
    /// @param receivables The registry's receivables.
    /// @param lineage The registry's lineage of split children.
    /// @param buyers The registry's buyer records.
    /// @param defaultedRoots The registry's bitmap of split families with a default (and of unsplit invoices
    ///        recovered in full after one).
    /// @param gracePeriods The registry's grace periods by first invoice id.
    /// @param config The registry's counters, with its copy of the latest grace period: the checkpoint history
    ///        is read only for invoices older than the latest change.
    /// @param id The receivable (its holder, the caller, was checked by the registry).
    function markDefaulted(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        mapping(uint256 => Lineage) storage lineage,
        mapping(uint32 => IReceivableRegistry.BuyerRecord) storage buyers,
        mapping(uint256 => uint256) storage defaultedRoots,
        Checkpoints.Trace208 storage gracePeriods,
        Config storage config,
        uint256 id
    ) external {
        IReceivableRegistry.Receivable storage r = receivables[id];
        // Slot 1's fields in one statement (one read of the word).
        (IReceivableRegistry.Status status, uint256 depth, uint256 outstanding) = (
            r.status,
            r.depth,
            uint256(r.faceAmount) - r.paidAmount
        );
        require(
            status == IReceivableRegistry.Status.Acknowledged || status == IReceivableRegistry.Status.PartiallyPaid,
            IReceivableRegistry.ReceivableInvalidStatus(id, status)
        );
        uint256 root = depth == 0 ? id : lineage[id].rootId;
        uint256 defaultableAfter = _defaultableAfter(gracePeriods, config, root, r.dueDate);
        require(
            block.timestamp > defaultableAfter,
            IReceivableRegistry.ReceivableNotYetDefaultable(id, defaultableAfter, block.timestamp)
        );
        r.status = IReceivableRegistry.Status.Defaulted;
        IReceivableRegistry.BuyerRecord storage b = buyers[r.buyerIndex];
        // One original invoice counts as one default however many of its children default. An unsplit invoice
        // is a family of one that defaults at most once (a Defaulted receivable cannot be split), so only split
        // families need the bitmap; an unsplit invoice's default enters it if it is recovered in full (pay).
        if (depth == 0 || _firstDefaultInFamily(defaultedRoots, root)) b.defaultCount += 1;
        b.defaultedAmount += normalise(outstanding, r.decimals);
        emit IReceivableRegistry.ReceivableDefaulted(id, msg.sender, outstanding);
    }

    /// @notice The buyer disputes a Submitted receivable: any active BUYER wallet of its buyer entity. The
    ///         seller's record counts it as rejected. Emits ReceivableRejected.
    /// @param receivables The registry's receivables.
    /// @param sellers The registry's seller records.
    /// @param participants The participant registry.
    /// @param id The receivable.
    /// @param reason Free-form reason code.
    function reject(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        mapping(uint32 => IReceivableRegistry.SellerRecord) storage sellers,
        IParticipantRegistry participants,
        uint256 id,
        bytes32 reason
    ) external {
        IReceivableRegistry.Receivable storage r = _submitted(receivables, id);
        require(
            isBuyerWallet(participants, msg.sender, r.buyerIndex),
            IReceivableRegistry.ReceivableNotBuyer(id, msg.sender)
        );
        r.status = IReceivableRegistry.Status.Rejected;
        IReceivableRegistry.SellerRecord storage sr = sellers[r.sellerIndex];
        (sr.rejectedCount, sr.rejectedAmount) = (
            sr.rejectedCount + 1,
            sr.rejectedAmount + normalise(r.faceAmount, r.decimals)
        );
        emit IReceivableRegistry.ReceivableRejected(id, msg.sender, reason);
    }

    /// @notice The seller withdraws a Submitted receivable: any wallet still bound to the seller entity, even
    ///         with KYC lapsed or suspended. The seller's record counts it as cancelled. Emits ReceivableCancelled.
    /// @param receivables The registry's receivables.
    /// @param sellers The registry's seller records.
    /// @param participants The participant registry.
    /// @param id The receivable.
    function cancel(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        mapping(uint32 => IReceivableRegistry.SellerRecord) storage sellers,
        IParticipantRegistry participants,
        uint256 id
    ) external {
        IReceivableRegistry.Receivable storage r = _submitted(receivables, id);
        (uint32 index, , ) = participants.walletStatus(msg.sender);
        require(index == r.sellerIndex, IReceivableRegistry.ReceivableNotSeller(id, msg.sender));
        r.status = IReceivableRegistry.Status.Cancelled;
        IReceivableRegistry.SellerRecord storage sr = sellers[index];
        (sr.cancelledCount, sr.cancelledAmount) = (
            sr.cancelledCount + 1,
            sr.cancelledAmount + normalise(r.faceAmount, r.decimals)
        );
        emit IReceivableRegistry.ReceivableCancelled(id, msg.sender);
    }

    /// @notice An active REGULATOR participant freezes a receivable. Emits ReceivableFrozen.
    /// @param receivables The registry's receivables.
    /// @param participants The participant registry.
    /// @param id The receivable.
    /// @param reason Free-form reason code.
    function freeze(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        IParticipantRegistry participants,
        uint256 id,
        bytes32 reason
    ) external {
        IReceivableRegistry.Receivable storage r = _byRegulator(receivables, participants, id);
        require(!r.frozen, IReceivableRegistry.ReceivableIsFrozen(id));
        r.frozen = true;
        emit IReceivableRegistry.ReceivableFrozen(id, msg.sender, reason);
    }

    /// @notice An active REGULATOR participant lifts the freeze of a receivable. Emits ReceivableUnfrozen.
    /// @param receivables The registry's receivables.
    /// @param participants The participant registry.
    /// @param id The receivable.
    function unfreeze(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        IParticipantRegistry participants,
        uint256 id
    ) external {
        IReceivableRegistry.Receivable storage r = _byRegulator(receivables, participants, id);
        require(r.frozen, IReceivableRegistry.ReceivableNotFrozen(id));
        r.frozen = false;
        emit IReceivableRegistry.ReceivableUnfrozen(id, msg.sender);
    }

    /// @notice Reverts when the predecessor registry (or one before it) used `invoiceKey`.
    /// @param predecessor The ReceivableRegistry a migrated deployment replaced.
    /// @param invoiceKey The key being submitted.
    function checkKeyUnusedBefore(address predecessor, bytes32 invoiceKey) external view {
        require(
            !IReceivableRegistry(predecessor).invoiceKeyUsed(invoiceKey),
            IReceivableRegistry.ReceivableInvoiceKeyUsedByPredecessor(invoiceKey, predecessor)
        );
    }

    /// @notice Pauses the registry (PAUSER_ROLE of the hub). Emits RegistryPaused.
    /// @param config The registry's counters and switches.
    /// @param participants The participant registry (the access-control hub).
    function pause(Config storage config, IParticipantRegistry participants) external {
        _checkHubRole(participants, Roles.PAUSER_ROLE);
        require(!config.paused, IReceivableRegistry.ReceivablePaused());
        config.paused = true;
        emit IReceivableRegistry.RegistryPaused(msg.sender);
    }

    /// @notice Lifts a pause (the hub's admin). Emits RegistryUnpaused.
    /// @param config The registry's counters and switches.
    /// @param participants The participant registry (the access-control hub).
    function unpause(Config storage config, IParticipantRegistry participants) external {
        _checkHubRole(participants, bytes32(0));
        require(config.paused, IReceivableRegistry.ReceivableNotPaused());
        config.paused = false;
        emit IReceivableRegistry.RegistryUnpaused(msg.sender);
    }

    /// @notice Sets the default grace period for invoices submitted from now on (the hub's admin), in the
    ///         checkpoint history and in the config's copy of its latest entry. Emits DefaultGracePeriodSet.
    /// @param config The registry's counters and switches.
    /// @param gracePeriods The registry's grace periods by first invoice id.
    /// @param participants The participant registry (the access-control hub).
    /// @param gracePeriod The new grace period in seconds (≤ MAX_GRACE_PERIOD).
    function setDefaultGracePeriod(
        Config storage config,
        Checkpoints.Trace208 storage gracePeriods,
        IParticipantRegistry participants,
        uint32 gracePeriod
    ) external {
        _checkHubRole(participants, bytes32(0));
        checkGracePeriod(gracePeriod);
        uint64 firstId = config.lastId + 1;
        uint32 previous = config.latestGracePeriod;
        gracePeriods.push(uint48(firstId), gracePeriod); // ids fit uint48 (one per mint)
        (config.latestGracePeriod, config.latestGraceFrom) = (gracePeriod, firstId);
        emit IReceivableRegistry.DefaultGracePeriodSet(previous, gracePeriod, firstId);
    }

    /// @dev Reverts with ReceivableGracePeriodTooLong above MAX_GRACE_PERIOD.
    function checkGracePeriod(uint32 gracePeriod) internal pure {
        require(
            gracePeriod <= MAX_GRACE_PERIOD,
            IReceivableRegistry.ReceivableGracePeriodTooLong(gracePeriod, MAX_GRACE_PERIOD)
        );
    }

    /// @notice Checks a contract wallet's acknowledgement signature and returns its signer: before its deadline,
    ///         by an active BUYER wallet of entity `buyerIndex` that accepts it under ERC-1271 (a Safe, for
    ///         instance), with a nonce that wallet has not revoked. The registry checks an externally owned
    ///         wallet's 65-byte ECDSA signature itself (the everyday path, without this call's cold account access)
    ///         and sends every other signature here.
    /// @param revokedNonces The registry's revoked nonces per signer.
    /// @param participants The participant registry.
    /// @param ack The signed fields.
    /// @param signature `abi.encode(wallet, erc1271Signature)`.
    /// @param buyerIndex The buyer entity's compact index.
    /// @return signer The buyer wallet that signed.
    function checkContractSignature(
        mapping(address => mapping(uint256 => uint256)) storage revokedNonces,
        IParticipantRegistry participants,
        Acknowledgement memory ack,
        bytes calldata signature,
        uint32 buyerIndex
    ) external view returns (address signer) {
        checkDeadline(ack.deadline);
        bytes memory inner;
        (signer, inner) = abi.decode(signature, (address, bytes));
        require(
            SignatureChecker.isValidERC1271SignatureNow(signer, acknowledgementDigest(ack), inner),
            IReceivableRegistry.ReceivableInvalidSigner(signer)
        );
        require(isBuyerWallet(participants, signer, buyerIndex), IReceivableRegistry.ReceivableInvalidSigner(signer));
        checkNonce(revokedNonces, signer, ack.nonce);
    }

    /// @dev An active wallet of the buyer entity `buyerIndex` that holds the BUYER role (the registry's
    ///      acknowledge and signature checks, and reject here).
    function isBuyerWallet(
        IParticipantRegistry participants,
        address wallet,
        uint32 buyerIndex
    ) internal view returns (bool) {
        (uint32 index, uint8 roles, bool active) = participants.walletStatus(wallet);
        return active && index == buyerIndex && (roles & Roles.BUYER) != 0;
    }

    /// @dev Reverts with ReceivableSignatureExpired once `deadline` has passed.
    function checkDeadline(uint256 deadline) internal view {
        require(block.timestamp <= deadline, IReceivableRegistry.ReceivableSignatureExpired(deadline, block.timestamp));
    }

    /// @dev The EIP-712 digest of an acknowledgement, in the domain of the registry running this code. The words
    ///      are hashed in scratch memory (Solady's EfficientHashLib): the same bytes as abi.encode, less code.
    function acknowledgementDigest(Acknowledgement memory ack) internal view returns (bytes32) {
        bytes32 domainSeparator = EfficientHashLib.hash(
            uint256(_DOMAIN_TYPEHASH),
            uint256(_NAME_HASH),
            uint256(_VERSION_HASH),
            block.chainid,
            uint256(uint160(address(this)))
        );
        bytes32 structHash = EfficientHashLib.hash(
            uint256(ACKNOWLEDGEMENT_TYPEHASH),
            ack.id,
            uint256(ack.invoiceKey),
            ack.amount,
            ack.dueDate,
            ack.nonce,
            ack.deadline
        );
        return MessageHashUtils.toTypedDataHash(domainSeparator, structHash);
    }

    /// @dev Reverts with ReceivableNonceRevoked when `signer` revoked `nonce`.
    function checkNonce(
        mapping(address => mapping(uint256 => uint256)) storage revokedNonces,
        address signer,
        uint256 nonce
    ) internal view {
        require(
            revokedNonces[signer][nonce >> 8] & (1 << (nonce & 255)) == 0,
            IReceivableRegistry.ReceivableNonceRevoked(signer, nonce)
        );
    }

    /// @notice The grace period in force when original invoice `root` was submitted.
    /// @param gracePeriods The registry's grace periods by first invoice id.
    /// @param root The original invoice's id.
    /// @return The grace period in seconds.
    function graceOfRoot(Checkpoints.Trace208 storage gracePeriods, uint256 root) internal view returns (uint32) {
        return uint32(gracePeriods.upperLookupRecent(uint48(root))); // values are uint32, ids fit uint48
    }

    /// @dev Word `k` of a stored receivable.
    function _load(IReceivableRegistry.Receivable storage r, uint256 k) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(add(r.slot, k))
        }
    }

    /// @dev Writes word `k` of a stored receivable whole (one store).
    function _store(IReceivableRegistry.Receivable storage r, uint256 k, uint256 word) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(add(r.slot, k), word)
        }
    }

    /// @dev Takes `n` new ids: returns the first and advances the config's last id (its low 64 bits), one read and
    ///      one write of the word. Every mint takes its id here (submit, submitBatch, submitAcknowledged, split);
    ///      `n` ≤ 50 and ids fit 64 bits (one per mint).
    function takeIds(Config storage config, uint256 n) internal returns (uint256 first) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let slot := config.slot
            let word := sload(slot)
            let last := and(word, 0xffffffffffffffff)
            first := add(last, 1)
            sstore(slot, or(and(word, not(0xffffffffffffffff)), add(last, n)))
        }
    }

    /// @dev Writes a child's lineage word whole (ReceivableSlots.ROOT_ID_SHIFT; the layout the lens test checks).
    function _storeLineage(Lineage storage lineageRecord, uint256 word) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(lineageRecord.slot, word)
        }
    }

    /// @dev The time after which a receivable of `root`'s family may be declared in default: its `dueDate` (a
    ///      child's is its root's) plus the grace period in force when `root` was submitted (the config's copy of
    ///      the latest one, else the history).
    function _defaultableAfter(
        Checkpoints.Trace208 storage gracePeriods,
        Config storage config,
        uint256 root,
        uint256 dueDate
    ) private view returns (uint256) {
        (uint64 latestFrom, uint32 latestGrace) = (config.latestGraceFrom, config.latestGracePeriod);
        return dueDate + (root >= latestFrom ? latestGrace : graceOfRoot(gracePeriods, root));
    }

    /// @dev Sets `root`'s bit in the defaulted-roots bitmap; true when it was not set yet.
    function _firstDefaultInFamily(
        mapping(uint256 => uint256) storage defaultedRoots,
        uint256 root
    ) private returns (bool first) {
        uint256 bit = 1 << (root & 255);
        uint256 word = defaultedRoots[root >> 8];
        first = word & bit == 0;
        if (first) defaultedRoots[root >> 8] = word | bit;
    }

    /// @dev Reverts with ReceivableUnauthorized unless the caller holds `role` in the hub.
    function _checkHubRole(IParticipantRegistry participants, bytes32 role) private view {
        require(
            IAccessControl(address(participants)).hasRole(role, msg.sender),
            IReceivableRegistry.ReceivableUnauthorized(msg.sender, role)
        );
    }

    /// @dev A Submitted receivable (ReceivableNotFound, ReceivableInvalidStatus otherwise).
    function _submitted(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        uint256 id
    ) private view returns (IReceivableRegistry.Receivable storage r) {
        r = receivables[id];
        IReceivableRegistry.Status status = r.status;
        require(status != IReceivableRegistry.Status.None, IReceivableRegistry.ReceivableNotFound(id));
        require(
            status == IReceivableRegistry.Status.Submitted,
            IReceivableRegistry.ReceivableInvalidStatus(id, status)
        );
    }

    /// @notice `amount` of a `decimals`-decimal currency scaled to 18 decimals, as the buyer and seller records
    ///         keep amounts (decimals ≤ 18: the currency allowlist). The registry uses it too: one scaling.
    /// @param amount The amount in the currency's base units.
    /// @param decimals The currency's decimals.
    /// @return The amount with 18 decimals (reverts above uint112).
    function normalise(uint256 amount, uint8 decimals) internal pure returns (uint112) {
        return SafeCast.toUint112(amount * 10 ** (18 - decimals));
    }

    /// @dev An existing receivable, when the caller is an active REGULATOR participant.
    function _byRegulator(
        mapping(uint256 => IReceivableRegistry.Receivable) storage receivables,
        IParticipantRegistry participants,
        uint256 id
    ) private view returns (IReceivableRegistry.Receivable storage r) {
        (, uint8 roles, bool active) = participants.walletStatus(msg.sender);
        require(active && (roles & Roles.REGULATOR) != 0, IReceivableRegistry.ReceivableNotRegulator(msg.sender));
        r = receivables[id];
        require(r.status != IReceivableRegistry.Status.None, IReceivableRegistry.ReceivableNotFound(id));
    }

    /// @dev The split checks; returns the children's depth (≤ MAX_SPLIT_DEPTH).
    function _checkSplit(uint256 word1, uint256 id, uint256[] calldata amounts) private pure returns (uint256 depth) {
        require(uint8(word1 >> ReceivableSlots.FROZEN_SHIFT) == 0, IReceivableRegistry.ReceivableIsFrozen(id));
        IReceivableRegistry.Status status = IReceivableRegistry.Status(uint8(word1 >> ReceivableSlots.STATUS_SHIFT));
        require(
            status == IReceivableRegistry.Status.Acknowledged,
            IReceivableRegistry.ReceivableInvalidStatus(id, status)
        );
        uint256 n = amounts.length;
        require(n >= 2 && n <= MAX_SPLIT_CHILDREN, IReceivableRegistry.ReceivableSplitCount(n, MAX_SPLIT_CHILDREN));
        depth = uint256(uint8(word1 >> ReceivableSlots.DEPTH_SHIFT)) + 1;
        require(depth <= MAX_SPLIT_DEPTH, IReceivableRegistry.ReceivableSplitDepth(depth, MAX_SPLIT_DEPTH));
        uint256 outstanding = uint256(uint96(word1)) - uint96(word1 >> ReceivableSlots.PAID_SHIFT);
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            uint256 amount = amounts[i];
            require(amount != 0, IReceivableRegistry.ReceivableSplitZeroAmount(i));
            sum += amount;
        }
        require(sum == outstanding, IReceivableRegistry.ReceivableSplitSumMismatch(sum, outstanding));
    }
}
