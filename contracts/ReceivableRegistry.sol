// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "solady/src/tokens/ERC721.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ECDSA as SoladyECDSA} from "solady/src/utils/ECDSA.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {IReceivableRegistry} from "./interfaces/IReceivableRegistry.sol";
import {ReceivableLogic} from "./libraries/ReceivableLogic.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ReceivableRegistry
/// @notice Tokenized invoices (ERC-721), buyer acknowledgement, the cross-bank double-financing guard,
///         assignment, multi-tier splitting, settlement with pull-based proceeds, default, freeze and pause.
/// @dev Roles (PAUSER_ROLE, DEFAULT_ADMIN_ROLE) and participants are read from the ParticipantRegistry.
contract ReceivableRegistry is IReceivableRegistry, ERC721, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    // ------------------------------------------------------------ constants

    /// @notice Largest number of invoices in one submitBatch.
    uint256 public constant MAX_BATCH = 50;
    /// @notice Largest number of children in one split.
    uint256 public constant MAX_SPLIT_CHILDREN = ReceivableLogic.MAX_SPLIT_CHILDREN;
    /// @notice Deepest lineage: an invoice has depth 0, its children 1, and so on.
    uint256 public constant MAX_SPLIT_DEPTH = ReceivableLogic.MAX_SPLIT_DEPTH;
    /// @notice Longest default grace period the admin may set.
    uint32 public constant MAX_GRACE_PERIOD = ReceivableLogic.MAX_GRACE_PERIOD;
    /// @notice EIP-712 type hash of a buyer's acknowledgement.
    bytes32 public constant ACKNOWLEDGEMENT_TYPEHASH = ReceivableLogic.ACKNOWLEDGEMENT_TYPEHASH;

    /// @dev Half the secp256k1 group order: a larger s is the malleable twin of a valid signature.
    uint256 private constant _HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint8 private constant _HOLDER_ROLES = Roles.SUPPLIER | Roles.FINANCIER;

    IParticipantRegistry private immutable _participants;
    /// @dev The registry this one replaced (zero for the first deployment).
    IReceivableRegistry private immutable _predecessor;

    // -------------------------------------------------------------- storage

    /// @dev The resolved parties of a submission (from ParticipantRegistry.resolveSubmission) and its invoice key.
    struct Parties {
        bytes32 sellerId;
        uint32 sellerIndex;
        uint32 buyerIndex;
        uint8 decimals;
        bytes32 key;
    }

    /// @dev Every receivable by token id.
    mapping(uint256 id => Receivable) private _receivables;
    /// @dev Parent and root of split children.
    mapping(uint256 id => ReceivableLogic.Lineage) private _lineage;
    /// @dev The receivable minted for each invoice key; a non-zero entry is never cleared.
    mapping(bytes32 invoiceKey => uint256 id) private _keyToId;
    /// @dev Payment record per buyer entity (compact index).
    mapping(uint32 buyerIndex => BuyerRecord) private _buyers;
    /// @dev Submission record per seller entity (compact index).
    mapping(uint32 sellerIndex => SellerRecord) private _sellers;
    /// @dev Proceeds credited to each holder per currency, waiting to be withdrawn.
    mapping(address holder => mapping(address currency => uint256 amount)) private _claimable;
    /// @dev Highest id minted, the pause flag and a copy of the latest checkpoint of `_gracePeriods`, in one
    ///      slot: submit reads the pause flag with the last id, markDefaulted the latest grace period with it.
    ReceivableLogic.Config private _config;
    /// @dev Acknowledgement nonces each signer revoked: bit (nonce & 255) of word (nonce >> 8).
    mapping(address signer => mapping(uint256 wordPos => uint256 bits)) private _revokedNonces;
    /// @dev Original invoices (roots) of split families with a default, and unsplit invoices recovered in full after
    ///      a default (an unsplit invoice in default says so by its status): bit (root & 255) of word (root >> 8).
    ///      ReceivableLens.rootDefaulted combines both.
    mapping(uint256 wordPos => uint256 bits) private _defaultedRoots;
    /// @dev Grace periods by the first invoice id they apply to (a change never reaches earlier invoices).
    Checkpoints.Trace208 private _gracePeriods;

    // ---------------------------------------------------------- constructor

    /// @param participants_ The participant registry (also the access-control hub).
    /// @param defaultGracePeriod_ Initial seconds after the due date before a default may be declared.
    /// @param predecessor_ The registry this one replaces in a migration, or the zero address: every invoice key
    ///        it (or any registry before it) used stays used here.
    constructor(IParticipantRegistry participants_, uint32 defaultGracePeriod_, IReceivableRegistry predecessor_) {
        ReceivableLogic.checkGracePeriod(defaultGracePeriod_);
        _participants = participants_;
        _predecessor = predecessor_;
        _gracePeriods.push(1, defaultGracePeriod_);
        (_config.latestGracePeriod, _config.latestGraceFrom) = (defaultGracePeriod_, 1);
        emit DefaultGracePeriodSet(0, defaultGracePeriod_, 1);
    }

    // ------------------------------------------------------------ modifiers

    /// @dev One copy of the check, called by each paused-gated function (a modifier's body is inlined at every use).
    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    // ----------------------------------------------------------- submission

    /// @inheritdoc IReceivableRegistry
    function submit(InvoiceInput calldata invoice) external whenNotPaused returns (uint256 id) {
        Parties memory p = _resolve(invoice);
        id = ReceivableLogic.takeIds(_config, 1);
        _create(id, invoice, p, Status.Submitted);
        _sellers[p.sellerIndex].submittedCount += 1;
    }

    /// @inheritdoc IReceivableRegistry
    function submitBatch(InvoiceInput[] calldata invoices) external whenNotPaused returns (uint256 firstId) {
        uint256 n = invoices.length;
        require(n != 0 && n <= MAX_BATCH, ReceivableBatchSize(n, MAX_BATCH));
        firstId = ReceivableLogic.takeIds(_config, n);
        Parties memory p;
        for (uint256 i = 0; i < n; ++i) {
            p = _resolve(invoices[i]);
            // A key repeated inside the batch hits ReceivableInvoiceKeyUsed on its second occurrence.
            _create(firstId + i, invoices[i], p, Status.Submitted);
        }
        _sellers[p.sellerIndex].submittedCount += uint32(n); // n ≤ MAX_BATCH; one seller: msg.sender's entity
    }

    /// @inheritdoc IReceivableRegistry
    function submitAcknowledged(
        InvoiceInput calldata invoice,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (uint256 id) {
        Parties memory p = _resolve(invoice);
        // With id 0 the signed "invoiceKey" is the submission commitment, which also binds the currency, the
        // issue date and the document: a signature cannot be replayed with another token or document.
        bytes32 commitment = keccak256(abi.encode(p.key, invoice.currency, invoice.issueDate, invoice.docHash));
        address signer = _checkAcknowledgement(
            ReceivableLogic.Acknowledgement(0, commitment, invoice.amount, invoice.dueDate, nonce, deadline),
            signature,
            p.buyerIndex
        );

        id = ReceivableLogic.takeIds(_config, 1);
        _create(id, invoice, p, Status.Acknowledged);
        _sellers[p.sellerIndex].submittedCount += 1;
        _recordAcknowledgement(p.buyerIndex, p.sellerIndex, invoice.amount, p.decimals);
        emit ReceivableAcknowledged(id, signer, true);
    }

    // ------------------------------------------------------ acknowledgement

    /// @inheritdoc IReceivableRegistry
    function acknowledge(uint256 id) external whenNotPaused {
        Receivable storage r = _submitted(id);
        require(
            ReceivableLogic.isBuyerWallet(_participants, msg.sender, r.buyerIndex),
            ReceivableNotBuyer(id, msg.sender)
        );
        _acknowledge(id, r, msg.sender, false);
    }

    /// @inheritdoc IReceivableRegistry
    function acknowledgeWithSig(
        uint256 id,
        bytes32 invoiceKey,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        Receivable storage r = _submitted(id);
        require(_keyToId[invoiceKey] == id, ReceivableKeyMismatch(id, invoiceKey));
        address signer = _checkAcknowledgement(
            ReceivableLogic.Acknowledgement(id, invoiceKey, r.faceAmount, r.dueDate, nonce, deadline),
            signature,
            r.buyerIndex
        );
        _acknowledge(id, r, signer, true);
    }

    /// @inheritdoc IReceivableRegistry
    function revokeAcknowledgementNonces(uint256 wordPos, uint256 mask) external {
        _revokedNonces[msg.sender][wordPos] |= mask;
        emit AcknowledgementNoncesRevoked(msg.sender, wordPos, mask);
    }

    /// @inheritdoc IReceivableRegistry
    function reject(uint256 id, bytes32 reason) external {
        ReceivableLogic.reject(_receivables, _sellers, _participants, id, reason);
    }

    /// @inheritdoc IReceivableRegistry
    function cancel(uint256 id) external {
        ReceivableLogic.cancel(_receivables, _sellers, _participants, id);
    }

    // -------------------------------------------------------------- lineage

    /// @inheritdoc IReceivableRegistry
    function split(uint256 id, uint256[] calldata amounts) external whenNotPaused returns (uint256 firstChildId) {
        _requireHolder(id);
        require(_isActiveHolder(msg.sender), ReceivableHolderNotActive(id, msg.sender));
        // The library checks the rest (frozen, status, amounts, depth) and takes the children's ids.
        firstChildId = ReceivableLogic.split(_receivables, _lineage, _config, id, amounts);
        uint256 n = amounts.length;
        for (uint256 i = 0; i < n; ++i) {
            _mint(msg.sender, firstChildId + i);
        }
    }

    // ---------------------------------------------------------- settlement

    /// @inheritdoc IReceivableRegistry
    function pay(uint256 id, uint256 amount) external nonReentrant returns (uint256 taken) {
        Receivable storage r = _existing(id);
        // Any wallet bound to the buyer entity, active or not: suspension and KYC never block a payment.
        (uint32 payerIndex, , ) = _participants.walletStatus(msg.sender);
        require(payerIndex == r.buyerIndex, ReceivableNotBuyerPayer(id, msg.sender));
        address currency;
        (taken, currency) = _applyPayment(id, r, amount);
        // Interaction last: pull the tokens and check what actually arrived (fee-on-transfer is refused).
        IERC20 token = IERC20(currency);
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), taken);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        require(received == taken, ReceivablePaymentShortfall(id, taken, received));
    }

    /// @inheritdoc IReceivableRegistry
    function withdraw(address currency, address to) external nonReentrant returns (uint256 amount) {
        require(to != address(0), ReceivableZeroRecipient());
        amount = _claimable[msg.sender][currency];
        require(amount != 0, ReceivableNothingToWithdraw(msg.sender, currency));
        delete _claimable[msg.sender][currency];
        emit ProceedsWithdrawn(msg.sender, currency, to, amount);
        IERC20(currency).safeTransfer(to, amount);
    }

    /// @inheritdoc IReceivableRegistry
    function markDefaulted(uint256 id) external {
        _requireHolder(id);
        ReceivableLogic.markDefaulted(_receivables, _lineage, _buyers, _defaultedRoots, _gracePeriods, _config, id);
    }

    // ----------------------------------------------------------- supervision

    /// @inheritdoc IReceivableRegistry
    function freeze(uint256 id, bytes32 reason) external {
        ReceivableLogic.freeze(_receivables, _participants, id, reason);
    }

    /// @inheritdoc IReceivableRegistry
    function unfreeze(uint256 id) external {
        ReceivableLogic.unfreeze(_receivables, _participants, id);
    }

    /// @inheritdoc IReceivableRegistry
    function pause() external {
        ReceivableLogic.pause(_config, _participants);
    }

    /// @inheritdoc IReceivableRegistry
    function unpause() external {
        ReceivableLogic.unpause(_config, _participants);
    }

    /// @inheritdoc IReceivableRegistry
    function setDefaultGracePeriod(uint32 gracePeriod) external {
        ReceivableLogic.setDefaultGracePeriod(_config, _gracePeriods, _participants, gracePeriod);
    }

    // ----------------------------------------------------------------- views

    /// @notice The token collection's name.
    function name() public pure override returns (string memory) {
        return "TradeFin Receivable";
    }

    /// @notice The token collection's symbol.
    function symbol() public pure override returns (string memory) {
        return "TFR";
    }

    /// @notice No per-token metadata URI: a receivable's data is on chain (ReceivableLens) and its document
    ///         is referenced by hash. Reverts for a token that does not exist.
    /// @param id The receivable id.
    /// @return The empty string.
    function tokenURI(uint256 id) public view override returns (string memory) {
        require(_exists(id), TokenDoesNotExist());
        return "";
    }

    /// @inheritdoc IReceivableRegistry
    function participants() external view returns (IParticipantRegistry) {
        return _participants;
    }

    /// @inheritdoc IReceivableRegistry
    function predecessor() external view returns (IReceivableRegistry) {
        return _predecessor;
    }

    /// @inheritdoc IReceivableRegistry
    function invoiceKeyUsed(bytes32 invoiceKey) external view returns (bool) {
        if (_keyToId[invoiceKey] != 0) return true;
        return address(_predecessor) != address(0) && _predecessor.invoiceKeyUsed(invoiceKey);
    }

    /// @inheritdoc IReceivableRegistry
    function coreOf(uint256 id) external view returns (Receivable memory r, address holder, bool registryPaused) {
        r = _core(id);
        holder = _ownerOf(id);
        registryPaused = _config.paused;
    }

    /// @inheritdoc IReceivableRegistry
    function riskDataOf(uint256 id) external view returns (RiskData memory d) {
        Receivable storage r = _receivables[id];
        // Slot 1 first, whole, then slot 0: each slot is read once.
        d.frozen = r.frozen;
        d.buyerIndex = r.buyerIndex;
        // paidAmount ≤ faceAmount: pay never credits more than the outstanding amount.
        unchecked {
            d.outstanding = r.faceAmount - r.paidAmount;
        }
        Status status = r.status;
        d.dueDate = r.dueDate;
        uint32 sellerIndex = r.sellerIndex;
        require(status != Status.None, ReceivableNotFound(id));
        d.status = status;
        BuyerRecord storage buyer = _buyers[d.buyerIndex];
        d.acknowledgedAmount = buyer.acknowledgedAmount;
        d.paidLateCount = buyer.paidLateCount;
        d.defaultCount = buyer.defaultCount;
        d.paidOnTimeAmount = buyer.paidOnTimeAmount;
        d.paidLateAmount = buyer.paidLateAmount;
        d.paidOnTimeCount = buyer.paidOnTimeCount;
        d.lateAmountDays = buyer.lateAmountDays;
        d.defaultedAmount = buyer.defaultedAmount;
        SellerRecord storage seller = _sellers[sellerIndex];
        d.sellerRejectedAmount = seller.rejectedAmount;
        d.sellerAcknowledgedAmount = seller.acknowledgedAmount;
        d.sellerCancelledAmount = seller.cancelledAmount;
    }

    /// @inheritdoc IReceivableRegistry
    function outstandingOf(uint256 id) external view returns (uint256) {
        Receivable storage r = _existing(id);
        return uint256(r.faceAmount) - r.paidAmount;
    }

    /// @inheritdoc IReceivableRegistry
    function rootOf(uint256 id) external view returns (uint256) {
        return _rootOf(id, _existing(id));
    }

    /// @inheritdoc IReceivableRegistry
    function claimable(address holder, address currency) external view returns (uint256) {
        return _claimable[holder][currency];
    }

    /// @inheritdoc IReceivableRegistry
    function extSloads(bytes32[] calldata slots) external view returns (bytes32[] memory values) {
        uint256 n = slots.length;
        values = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 slot = slots[i];
            bytes32 value;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                value := sload(slot)
            }
            values[i] = value;
        }
    }

    /// @inheritdoc IReceivableRegistry
    function paused() external view returns (bool) {
        return _config.paused;
    }

    // -------------------------------------------------------------- internal

    function _resolve(InvoiceInput calldata invoice) private view returns (Parties memory p) {
        (p.sellerId, p.sellerIndex, p.buyerIndex, p.decimals) = _participants.resolveSubmission(
            msg.sender,
            invoice.buyerEntityId,
            invoice.currency
        );
        p.key = _invoiceKey(p.sellerId, invoice.buyerEntityId, invoice.invoiceNumberHash);
    }

    /// @dev Validates an invoice, claims its key and mints the receivable to the caller.
    function _create(uint256 id, InvoiceInput calldata invoice, Parties memory p, Status status) private {
        uint256 amount = invoice.amount;
        require(amount != 0, ReceivableZeroAmount());
        uint256 maxAmount = _maxAmount(p.decimals);
        require(amount <= maxAmount, ReceivableAmountTooLarge(amount, maxAmount));
        require(
            invoice.issueDate <= block.timestamp && invoice.dueDate > block.timestamp,
            ReceivableInvalidDates(invoice.issueDate, invoice.dueDate, block.timestamp)
        );
        require(p.sellerIndex != p.buyerIndex, ReceivableSellerIsBuyer(p.sellerId));
        bytes32 key = p.key;
        uint256 existing = _keyToId[key];
        require(existing == 0, ReceivableInvoiceKeyUsed(key, existing));
        if (address(_predecessor) != address(0)) ReceivableLogic.checkKeyUnusedBefore(address(_predecessor), key);

        _keyToId[key] = id;
        _receivables[id] = Receivable({
            currency: invoice.currency,
            sellerIndex: p.sellerIndex,
            buyerIndex: p.buyerIndex,
            status: status,
            frozen: false,
            depth: 0,
            decimals: p.decimals,
            faceAmount: uint96(amount), // checked above
            paidAmount: 0,
            issueDate: invoice.issueDate,
            dueDate: invoice.dueDate,
            docHash: invoice.docHash
        });
        _emitSubmitted(id, key, p.sellerId, invoice);
        _mint(msg.sender, id);
    }

    function _emitSubmitted(uint256 id, bytes32 key, bytes32 sellerId, InvoiceInput calldata invoice) private {
        emit ReceivableSubmitted(
            id,
            key,
            sellerId,
            invoice.buyerEntityId,
            invoice.currency,
            invoice.amount,
            invoice.issueDate,
            invoice.dueDate,
            invoice.docHash
        );
    }

    function _acknowledge(uint256 id, Receivable storage r, address buyerWallet, bool bySignature) private {
        r.status = Status.Acknowledged;
        _recordAcknowledgement(r.buyerIndex, r.sellerIndex, r.faceAmount, r.decimals);
        emit ReceivableAcknowledged(id, buyerWallet, bySignature);
    }

    /// @dev The signer of a buyer's acknowledgement: before its deadline, by an active BUYER wallet of entity
    ///      `buyerIndex`, with a nonce that wallet has not revoked. A 65-byte ECDSA signature of an externally
    ///      owned wallet, the everyday case, is checked here; anything else is a contract wallet's
    ///      `abi.encode(wallet, erc1271Signature)`, checked by the library (ReceivableLogic.checkContractSignature).
    function _checkAcknowledgement(
        ReceivableLogic.Acknowledgement memory ack,
        bytes calldata signature,
        uint32 buyerIndex
    ) private view returns (address signer) {
        if (signature.length != 65) {
            return ReceivableLogic.checkContractSignature(_revokedNonces, _participants, ack, signature, buyerIndex);
        }
        ReceivableLogic.checkDeadline(ack.deadline);
        // OpenZeppelin's rules and errors (low s, no zero signer), Solady's compact recovery.
        bytes32 s = bytes32(signature[32:64]);
        require(uint256(s) <= _HALF_CURVE_ORDER, ECDSA.ECDSAInvalidSignatureS(s));
        signer = SoladyECDSA.tryRecoverCalldata(ReceivableLogic.acknowledgementDigest(ack), signature);
        require(signer != address(0), ECDSA.ECDSAInvalidSignature());
        require(ReceivableLogic.isBuyerWallet(_participants, signer, buyerIndex), ReceivableInvalidSigner(signer));
        ReceivableLogic.checkNonce(_revokedNonces, signer, ack.nonce);
    }

    /// @dev The buyer's acknowledged count and amount (one slot) and the seller's acknowledged amount (one slot):
    ///      the seller's dilution is measured over what buyers decided.
    function _recordAcknowledgement(uint32 buyerIndex, uint32 sellerIndex, uint256 amount, uint8 decimals) private {
        BuyerRecord storage b = _buyers[buyerIndex];
        uint112 n = ReceivableLogic.normalise(amount, decimals);
        (uint32 count, uint112 acknowledged) = (b.acknowledgedCount + 1, b.acknowledgedAmount + n);
        (b.acknowledgedCount, b.acknowledgedAmount) = (count, acknowledged);
        _sellers[sellerIndex].acknowledgedAmount += n;
    }

    /// @dev Checks and effects of a payment: caps it at the outstanding amount, moves the status, credits the
    ///      current holder and updates the buyer's record, then emits. Returns what to pull and in which token.
    function _applyPayment(
        uint256 id,
        Receivable storage r,
        uint256 amount
    ) private returns (uint256 taken, address currency) {
        Status status = r.status;
        require(_isOpen(status), ReceivableInvalidStatus(id, status));
        uint96 face = r.faceAmount;
        uint96 paid = r.paidAmount;
        uint256 outstanding = uint256(face) - paid;
        taken = amount < outstanding ? amount : outstanding;
        require(taken != 0, ReceivableZeroAmount());

        address holder = _ownerOf(id);
        currency = r.currency;
        uint96 newPaid = paid + uint96(taken); // taken ≤ outstanding = face − paid
        r.paidAmount = newPaid;
        Status next = newPaid == face ? Status.Paid : (status == Status.Acknowledged ? Status.PartiallyPaid : status);
        if (next != status) r.status = next;
        _claimable[holder][currency] += taken;
        uint32 daysLate = _recordPayment(id, r, status, next == Status.Paid, taken);
        emit ReceivablePaid(id, msg.sender, holder, taken, newPaid, next);
        if (next == Status.Paid) emit ReceivableSettled(id, daysLate);
    }

    /// @dev Updates the buyer's record for a payment of `taken` (always the buyer's: see pay) and returns its days
    ///      late. Amounts: on time, late (with amount × days late) or, on a defaulted receivable, recovered.
    ///      Counts: one per original invoice, when the last open amount of its family is paid (a split root's
    ///      paidAmount accumulates its descendants' payments), unless the family had a default.
    function _recordPayment(
        uint256 id,
        Receivable storage r,
        Status before,
        bool settled,
        uint256 taken
    ) private returns (uint32 daysLate) {
        BuyerRecord storage b = _buyers[r.buyerIndex];
        uint112 n = ReceivableLogic.normalise(taken, r.decimals);
        uint256 due = r.dueDate;
        if (block.timestamp > due) {
            // Rounded up: one second late is one day late. Fits uint32 for eleven million years.
            daysLate = uint32((block.timestamp - due + 1 days - 1) / 1 days);
        }
        if (before == Status.Defaulted) {
            b.recoveredAmount += n;
        } else if (daysLate == 0) {
            b.paidOnTimeAmount += n;
        } else {
            b.paidLateAmount += n;
            b.lateAmountDays += uint144(n) * daysLate; // < 2^112 × 2^32
        }
        bool familyDefaulted = before == Status.Defaulted;
        if (r.depth != 0) {
            uint256 root = _lineage[id].rootId;
            Receivable storage rootRecord = _receivables[root];
            uint96 familyPaid = rootRecord.paidAmount + uint96(taken); // the family's payments ≤ the root's face
            rootRecord.paidAmount = familyPaid;
            if (familyPaid != rootRecord.faceAmount) return daysLate;
            familyDefaulted = _defaultedRoots[root >> 8] & (1 << (root & 255)) != 0;
        } else if (!settled) {
            return daysLate;
        }
        // A recovered default was already counted as a default, not as an on-time or late payment.
        if (familyDefaulted) {
            // An unsplit invoice's default is counted from its status, outside the bitmap (markDefaulted); paid in
            // full it is no longer Defaulted, so its bit now keeps that its family had one (ReceivableLens).
            if (r.depth == 0) _defaultedRoots[id >> 8] |= 1 << (id & 255);
            return daysLate;
        }
        if (daysLate == 0) {
            b.paidOnTimeCount += 1;
        } else {
            (b.paidLateCount, b.totalDaysLate) = (b.paidLateCount + 1, b.totalDaysLate + daysLate);
        }
    }

    /// @dev The original invoice of a receivable (itself at depth 0).
    function _rootOf(uint256 id, Receivable storage r) private view returns (uint256) {
        return r.depth == 0 ? id : _lineage[id].rootId;
    }

    /// @dev An existing receivable held by the caller (split, markDefaulted).
    function _requireHolder(uint256 id) private view {
        _existing(id);
        require(_ownerOf(id) == msg.sender, ReceivableNotHolder(id, msg.sender));
    }

    /// @dev An active SUPPLIER or FINANCIER wallet: who may hold, and so move, a receivable.
    function _isActiveHolder(address wallet) private view returns (bool) {
        (, uint8 roles, bool active) = _participants.walletStatus(wallet);
        return active && (roles & _HOLDER_ROLES) != 0;
    }

    function _requireNotPaused() private view {
        require(!_config.paused, ReceivablePaused());
    }

    /// @dev The record without the document hash (one storage read less).
    function _core(uint256 id) private view returns (Receivable memory r) {
        Receivable storage stored = _existing(id);
        r.currency = stored.currency;
        r.sellerIndex = stored.sellerIndex;
        r.issueDate = stored.issueDate;
        r.dueDate = stored.dueDate;
        r.faceAmount = stored.faceAmount;
        r.paidAmount = stored.paidAmount;
        r.status = stored.status;
        r.frozen = stored.frozen;
        r.depth = stored.depth;
        r.decimals = stored.decimals;
        r.buyerIndex = stored.buyerIndex;
    }

    function _existing(uint256 id) private view returns (Receivable storage r) {
        r = _receivables[id];
        require(r.status != Status.None, ReceivableNotFound(id));
    }

    function _submitted(uint256 id) private view returns (Receivable storage r) {
        r = _existing(id);
        require(r.status == Status.Submitted, ReceivableInvalidStatus(id, r.status));
    }

    /// @dev Assignment rules, applied to every transfer (not to mints): see IReceivableRegistry. Solady's ERC721
    ///      calls this hook with the `from` its caller named, then checks that `from` holds the token.
    function _beforeTokenTransfer(address from, address to, uint256 tokenId) internal view override {
        if (from != address(0)) _checkTransfer(tokenId, from, to);
    }

    function _checkTransfer(uint256 id, address from, address to) private view {
        require(!_config.paused, ReceivablePaused());
        Receivable storage r = _receivables[id];
        Status s = r.status;
        require(_isOpen(s), ReceivableInvalidStatus(id, s));
        require(!r.frozen, ReceivableIsFrozen(id));
        require(_isActiveHolder(from), ReceivableHolderNotActive(id, from));
        (uint32 toIndex, uint8 toRoles, bool toActive, bool toPullOnly) = _participants.recipientStatus(to);
        require(
            toActive && (toRoles & _HOLDER_ROLES) != 0 && toIndex != r.buyerIndex,
            ReceivableInvalidRecipient(id, to)
        );
        // A pool takes receivables only through its own finance/approveRequest (it is then the caller).
        require(!toPullOnly || msg.sender == to, ReceivableRecipientPullsOnly(id, to));
    }

    /// @dev A debt that is confirmed and not closed: it may be paid and assigned.
    function _isOpen(Status s) private pure returns (bool) {
        return s == Status.Acknowledged || s == Status.PartiallyPaid || s == Status.Defaulted;
    }

    function _invoiceKey(bytes32 sellerId, bytes32 buyerId, bytes32 numberHash) private pure returns (bytes32) {
        return keccak256(abi.encode(sellerId, buyerId, numberHash));
    }

    /// @dev Largest face amount: it must fit the uint96 field and, scaled to 18 decimals, the uint112 records.
    function _maxAmount(uint8 decimals) private pure returns (uint256) {
        uint256 recordLimit = type(uint112).max / 10 ** (18 - decimals);
        return recordLimit < type(uint96).max ? recordLimit : type(uint96).max;
    }
}
