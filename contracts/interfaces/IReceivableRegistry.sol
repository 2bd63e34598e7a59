// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title IReceivableRegistry
/// @notice One ERC-721 token per receivable (a tokenized invoice). Submission by the supplier, acknowledgement
///         by the buyer (transaction or EIP-712 signature), assignment, multi-tier splitting, payment by the
///         buyer with pull-based proceeds for the holder, default, regulator freeze, guardian pause, and the
///         per-entity payment records the risk engine reads.
/// @dev Token assumptions: settlement currencies are plain ERC-20 stablecoins from the participant registry's
///      allowlist (no fee on transfer, no rebasing). Payments check the balance actually received and revert
///      on a shortfall, so a fee-taking token cannot leave a hole. Amounts are stored as uint96 (7.9e28 base
///      units), dates as uint32 Unix seconds (until 2106).
///      Buyer and seller records aggregate amounts normalised to 18 decimals, assuming the allowlisted
///      currencies share one denomination (run one suite per denomination).
///      The registry is also an ERC-721 (Solady's implementation: `ownerOf`, `transferFrom`, approvals, with the
///      assignment rules above applied to every transfer); this interface lists TradeFin's own functions.
interface IReceivableRegistry {
    // ------------------------------------------------------------------ types

    /// @notice Lifecycle of a receivable. Overdue is derived from time, never stored.
    /// @dev Submitted → Acknowledged | Rejected | Cancelled; Acknowledged → PartiallyPaid → Paid;
    ///      Acknowledged | PartiallyPaid → Defaulted (after due date + grace) → Paid (full recovery);
    ///      Acknowledged → Split (parent closed, children born Acknowledged).
    ///      Transfer (assignment) is allowed for Acknowledged, PartiallyPaid (the holder changes between two
    ///      partial payments; each holder is credited what was paid while it held) and Defaulted (sale of a
    ///      defaulted debt, e.g. a pool returning it to the supplier under recourse) receivables that are not
    ///      frozen, while not paused, between active SUPPLIER or FINANCIER participants, never to the buyer,
    ///      and to a pull-only wallet (a financing pool) only when that wallet is the caller.
    enum Status {
        None,
        Submitted,
        Acknowledged,
        Rejected,
        Cancelled,
        PartiallyPaid,
        Paid,
        Defaulted,
        Split
    }

    /// @notice Stored record of one receivable, in three storage slots laid out for the hot paths:
    ///         slot 0 (currency, seller, dates) is fixed at submission; slot 1 holds everything that
    ///         acknowledge, transfer and the risk checks read and that pay writes (amounts, status, flags,
    ///         buyer); slot 2 is the document hash.
    /// @param currency Settlement token (allowlisted at submission).
    /// @param sellerIndex Compact index of the invoicing (original) seller entity.
    /// @param issueDate Invoice date (Unix seconds).
    /// @param dueDate Maturity (Unix seconds).
    /// @param faceAmount Face value in the currency's base units.
    /// @param paidAmount Paid so far in base units.
    /// @param status Lifecycle status.
    /// @param frozen Set by a regulator; blocks transfer, split and financing, never payment.
    /// @param depth 0 for an invoice, parent depth + 1 for a split child.
    /// @param decimals The currency's decimals, cached to normalise records without another call.
    /// @param buyerIndex Compact index of the debtor entity.
    /// @param docHash Salted hash of the invoice document (the document never goes on chain).
    struct Receivable {
        address currency;
        uint32 sellerIndex;
        uint32 issueDate;
        uint32 dueDate;
        uint96 faceAmount;
        uint96 paidAmount;
        Status status;
        bool frozen;
        uint8 depth;
        uint8 decimals;
        uint32 buyerIndex;
        bytes32 docHash;
    }

    /// @notice What a supplier submits for one invoice.
    /// @param buyerEntityId keccak256("<SCHEME>:<IDENTIFIER>") of the buyer.
    /// @param currency Allowlisted settlement token.
    /// @param amount Face value in the token's base units (> 0, ≤ type(uint96).max, and ≤ 5.19e15 whole tokens so
    ///        that the 18-decimal buyer record can hold it).
    /// @param issueDate Invoice date (Unix seconds, ≤ now).
    /// @param dueDate Maturity (Unix seconds, > now and > issueDate).
    /// @param invoiceNumberHash keccak256 of the canonical invoice number (trimmed, inner white space
    ///        collapsed, upper-cased).
    /// @param docHash Salted hash of the invoice document (may be zero when there is no document).
    struct InvoiceInput {
        bytes32 buyerEntityId;
        address currency;
        uint256 amount;
        uint32 issueDate;
        uint32 dueDate;
        bytes32 invoiceNumberHash;
        bytes32 docHash;
    }

    /// @notice Payment record of a buyer entity, stored in four slots and updated in O(1); amounts are normalised
    ///         to 18 decimals. Counts are per original invoice (split children roll up to their root); amounts
    ///         weigh every receivable by its size, so splitting an invoice changes neither. Only the buyer entity's
    ///         own wallets can pay (see pay), so every payment recorded here is the buyer paying.
    /// @param acknowledgedCount Invoices the buyer acknowledged (children are not counted again).
    /// @param acknowledgedAmount Face of the invoices the buyer acknowledged.
    /// @param paidLateCount Original invoices whose last payment came after the due date (no default in the family).
    /// @param totalDaysLate Sum over those invoices of the days late of their last payment.
    /// @param defaultCount Original invoices with at least one receivable of their family declared in default.
    /// @param paidOnTimeAmount Paid on or before the due date.
    /// @param paidLateAmount Paid after the due date (recoveries of defaults excluded).
    /// @param paidOnTimeCount Original invoices whose last payment came on or before the due date (no default).
    /// @param lateAmountDays Sum of amount × days late over late payments (the amount-weighted days late).
    /// @param defaultedAmount Outstanding at default, summed over defaulted receivables.
    /// @param recoveredAmount Paid on receivables already in default.
    struct BuyerRecord {
        uint32 acknowledgedCount;
        uint112 acknowledgedAmount;
        uint32 paidLateCount;
        uint32 totalDaysLate;
        uint32 defaultCount;
        uint112 paidOnTimeAmount;
        uint112 paidLateAmount;
        uint32 paidOnTimeCount;
        uint144 lateAmountDays;
        uint112 defaultedAmount;
        uint112 recoveredAmount;
    }

    /// @notice Submission record of a seller entity, in two slots; amounts normalised to 18 decimals. Updated in
    ///         O(1). Dilution is measured over what the buyer decided (acknowledged or rejected) and what the
    ///         seller withdrew (cancelled), by amount: invoices nobody decided count nowhere.
    /// @param submittedCount Invoices submitted.
    /// @param rejectedCount Invoices rejected by buyers.
    /// @param cancelledCount Invoices cancelled before acknowledgement.
    /// @param rejectedAmount Face of the rejected invoices.
    /// @param acknowledgedAmount Face of the acknowledged invoices.
    /// @param cancelledAmount Face of the cancelled invoices.
    struct SellerRecord {
        uint32 submittedCount;
        uint32 rejectedCount;
        uint32 cancelledCount;
        uint112 rejectedAmount;
        uint112 acknowledgedAmount;
        uint112 cancelledAmount;
    }

    /// @notice What the risk engine's scorecard reads of a receivable, its buyer's payment record and its
    ///         seller's submission record (riskDataOf): those fields only, so the call returns no unused word.
    /// @param status Lifecycle status of the receivable.
    /// @param frozen Regulator freeze flag of the receivable.
    /// @param dueDate Maturity (Unix seconds).
    /// @param outstanding Face minus paid, in the currency's base units.
    /// @param buyerIndex Compact index of the debtor entity (the key of its rating).
    /// @param paidOnTimeCount Buyer's original invoices settled on time (informative reasons only).
    /// @param paidLateCount Buyer's original invoices settled late (informative reasons only).
    /// @param defaultCount Buyer's original invoices with a default in their family.
    /// @param paidOnTimeAmount Buyer's payments on or before the due date (18 decimals).
    /// @param paidLateAmount Buyer's payments after the due date (18 decimals).
    /// @param lateAmountDays Buyer's amount-weighted days late: sum of amount × days late (18 decimals).
    /// @param acknowledgedAmount Buyer's acknowledged amounts (18 decimals).
    /// @param defaultedAmount Buyer's amounts outstanding at default (18 decimals).
    /// @param sellerAcknowledgedAmount Seller's invoices acknowledged by buyers (18 decimals).
    /// @param sellerRejectedAmount Seller's invoices rejected by buyers (18 decimals).
    /// @param sellerCancelledAmount Seller's invoices cancelled before acknowledgement (18 decimals).
    struct RiskData {
        Status status;
        bool frozen;
        uint32 dueDate;
        uint96 outstanding;
        uint32 buyerIndex;
        uint32 paidOnTimeCount;
        uint32 paidLateCount;
        uint32 defaultCount;
        uint112 paidOnTimeAmount;
        uint112 paidLateAmount;
        uint144 lateAmountDays;
        uint112 acknowledgedAmount;
        uint112 defaultedAmount;
        uint112 sellerAcknowledgedAmount;
        uint112 sellerRejectedAmount;
        uint112 sellerCancelledAmount;
    }

    // ----------------------------------------------------------------- events

    /// @notice An invoice was tokenized as receivable `id`, minted to the submitting wallet.
    event ReceivableSubmitted(
        uint256 indexed id,
        bytes32 indexed invoiceKey,
        bytes32 indexed sellerEntityId,
        bytes32 buyerEntityId,
        address currency,
        uint256 amount,
        uint32 issueDate,
        uint32 dueDate,
        bytes32 docHash
    );
    /// @notice The buyer acknowledged the receivable (`bySignature` when through EIP-712).
    event ReceivableAcknowledged(uint256 indexed id, address indexed buyerWallet, bool bySignature);
    /// @notice The buyer rejected (disputed) the receivable.
    event ReceivableRejected(uint256 indexed id, address indexed buyerWallet, bytes32 reason);
    /// @notice The seller cancelled the receivable before acknowledgement.
    event ReceivableCancelled(uint256 indexed id, address indexed sellerWallet);
    /// @notice A regulator froze the receivable.
    event ReceivableFrozen(uint256 indexed id, address indexed regulator, bytes32 reason);
    /// @notice A regulator lifted the freeze.
    event ReceivableUnfrozen(uint256 indexed id, address indexed regulator);
    /// @notice `amount` was paid by `payer` and credited to `holder`; `status` is the status after payment.
    event ReceivablePaid(
        uint256 indexed id,
        address indexed payer,
        address indexed holder,
        uint256 amount,
        uint256 paidTotal,
        Status status
    );
    /// @notice The receivable was paid in full; `daysLate` is 0 when on time.
    event ReceivableSettled(uint256 indexed id, uint32 daysLate);
    /// @notice The holder declared the receivable in default with `outstanding` unpaid.
    event ReceivableDefaulted(uint256 indexed id, address indexed by, uint256 outstanding);
    /// @notice Receivable `parentId` (of the original invoice `rootId`) was split into `amounts.length` children:
    ///         child i has id `firstChildId + i` and face `amounts[i]` (base units), status Acknowledged.
    event ReceivableSplit(uint256 indexed parentId, uint256 indexed rootId, uint256 firstChildId, uint256[] amounts);
    /// @notice A holder withdrew its credited proceeds.
    event ProceedsWithdrawn(address indexed holder, address indexed currency, address indexed to, uint256 amount);
    /// @notice The default grace period changed; it applies to receivables whose original invoice has an id of at
    ///         least `firstId` (those submitted from now on), never to those already submitted.
    event DefaultGracePeriodSet(uint32 previous, uint32 gracePeriod, uint256 firstId);
    /// @notice A buyer wallet revoked the acknowledgement signatures whose nonces are the set bits of `mask` in
    ///         word `wordPos` (nonce = wordPos × 256 + bit).
    event AcknowledgementNoncesRevoked(address indexed signer, uint256 indexed wordPos, uint256 mask);
    /// @notice The guardian paused new business.
    event RegistryPaused(address indexed by);
    /// @notice The guardian resumed new business.
    event RegistryUnpaused(address indexed by);

    // ----------------------------------------------------------------- errors

    /// @notice No receivable with this id.
    error ReceivableNotFound(uint256 id);
    /// @notice The operation is not allowed in the receivable's current status.
    error ReceivableInvalidStatus(uint256 id, Status status);
    /// @notice The amount is zero.
    error ReceivableZeroAmount();
    /// @notice The amount exceeds what the uint96 field and the 18-decimal uint112 records can hold.
    error ReceivableAmountTooLarge(uint256 amount, uint256 max);
    /// @notice The dates are inconsistent: issue ≤ now < due and issue < due are required.
    error ReceivableInvalidDates(uint32 issueDate, uint32 dueDate, uint256 nowTimestamp);
    /// @notice Seller and buyer are the same entity.
    error ReceivableSellerIsBuyer(bytes32 entityId);
    /// @notice The invoice key was already used by receivable `existingId` (keys are never freed).
    error ReceivableInvoiceKeyUsed(bytes32 invoiceKey, uint256 existingId);
    /// @notice The invoice key was used in the registry this one replaced (or one before it): a migration never
    ///         reopens an invoice to a second financing.
    error ReceivableInvoiceKeyUsedByPredecessor(bytes32 invoiceKey, address predecessor);
    /// @notice The batch is empty or larger than the cap.
    error ReceivableBatchSize(uint256 size, uint256 max);
    /// @notice The caller is not an active wallet of the receivable's buyer entity.
    error ReceivableNotBuyer(uint256 id, address caller);
    /// @notice Only wallets bound to the receivable's buyer entity may pay it (suspended or not).
    error ReceivableNotBuyerPayer(uint256 id, address payer);
    /// @notice The signer revoked this acknowledgement nonce.
    error ReceivableNonceRevoked(address signer, uint256 nonce);
    /// @notice The caller is not a wallet of the receivable's seller entity.
    error ReceivableNotSeller(uint256 id, address caller);
    /// @notice The caller does not hold the receivable.
    error ReceivableNotHolder(uint256 id, address caller);
    /// @notice The signature's deadline has passed.
    error ReceivableSignatureExpired(uint256 deadline, uint256 nowTimestamp);
    /// @notice The signature does not recover to an active wallet of the buyer entity.
    error ReceivableInvalidSigner(address signer);
    /// @notice The invoice key given does not belong to the receivable.
    error ReceivableKeyMismatch(uint256 id, bytes32 invoiceKey);
    /// @notice The receivable is frozen by a regulator.
    error ReceivableIsFrozen(uint256 id);
    /// @notice The receivable is not frozen.
    error ReceivableNotFrozen(uint256 id);
    /// @notice The caller is not an active REGULATOR participant.
    error ReceivableNotRegulator(address caller);
    /// @notice The caller lacks the access-control role in the participant registry.
    error ReceivableUnauthorized(address caller, bytes32 role);
    /// @notice The recipient is not an active SUPPLIER or FINANCIER, or is the buyer entity itself.
    error ReceivableInvalidRecipient(uint256 id, address to);
    /// @notice The recipient (a financing pool) takes receivables only by pulling them itself, through its
    ///         finance or approveRequest; finance the receivable instead of transferring it.
    error ReceivableRecipientPullsOnly(uint256 id, address to);
    /// @notice The current holder is not an active participant (suspended, KYC expired or unbound).
    error ReceivableHolderNotActive(uint256 id, address holder);
    /// @notice Fewer tokens arrived than were sent (fee-on-transfer token).
    error ReceivablePaymentShortfall(uint256 id, uint256 expected, uint256 received);
    /// @notice Nothing is credited to the caller in this currency.
    error ReceivableNothingToWithdraw(address holder, address currency);
    /// @notice The withdrawal recipient is the zero address.
    error ReceivableZeroRecipient();
    /// @notice The receivable cannot be declared in default before `defaultableAfter`.
    error ReceivableNotYetDefaultable(uint256 id, uint256 defaultableAfter, uint256 nowTimestamp);
    /// @notice A split needs between 2 and the cap children.
    error ReceivableSplitCount(uint256 count, uint256 max);
    /// @notice The split would exceed the lineage depth cap.
    error ReceivableSplitDepth(uint256 depth, uint256 max);
    /// @notice The children do not add up to the outstanding amount exactly.
    error ReceivableSplitSumMismatch(uint256 sum, uint256 outstanding);
    /// @notice A child amount is zero.
    error ReceivableSplitZeroAmount(uint256 index);
    /// @notice The grace period exceeds the cap.
    error ReceivableGracePeriodTooLong(uint256 gracePeriod, uint256 max);
    /// @notice New business is paused by the guardian.
    error ReceivablePaused();
    /// @notice The registry is not paused.
    error ReceivableNotPaused();

    // ------------------------------------------------------------- submission

    /// @notice Tokenizes one invoice; mints the receivable to the caller (an active SUPPLIER wallet).
    /// @dev invoiceKey = keccak256(abi.encode(sellerEntityId, buyerEntityId, invoiceNumberHash)) with the
    ///      seller's entity taken from the registry, never from the caller. A key can be used once, forever.
    ///      Reverts while paused.
    /// @param invoice The invoice; amount in the currency's base units, dates in Unix seconds (see InvoiceInput).
    /// @return id The new receivable id.
    function submit(InvoiceInput calldata invoice) external returns (uint256 id);

    /// @notice Tokenizes up to MAX_BATCH invoices, all or nothing; a key repeated inside the batch reverts.
    /// @param invoices 1 to MAX_BATCH (50) invoices, each as for submit.
    /// @return firstId Id of the first receivable; the others follow consecutively.
    function submitBatch(InvoiceInput[] calldata invoices) external returns (uint256 firstId);

    /// @notice Tokenizes an invoice and records the buyer's EIP-712 acknowledgement in one transaction, so
    ///         the buyer pays no gas. The buyer signs `Acknowledgement` with `id = 0` and, in the `invoiceKey`
    ///         field, the submission commitment keccak256(abi.encode(invoiceKey, currency, issueDate, docHash)),
    ///         so that the signature binds the token, the dates, the amount and the document it acknowledges.
    /// @param invoice The invoice, as for submit.
    /// @param nonce A revocation handle chosen by the signer (see revokeAcknowledgementNonces); signatures do not
    ///        depend on each other, and replay is impossible because the invoice key can be used only once.
    /// @param deadline Last second at which the signature is valid.
    /// @param signature Signature of an active BUYER wallet of the buyer entity: 65-byte ECDSA for an externally
    ///        owned wallet, abi.encode(contractWallet, erc1271Signature) for a contract wallet (a Safe).
    /// @return id The new receivable id.
    function submitAcknowledged(
        InvoiceInput calldata invoice,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 id);

    // -------------------------------------------------------- acknowledgement

    /// @notice The buyer confirms it owes the receivable. Any active BUYER wallet of the buyer entity.
    /// @param id The receivable (Submitted).
    function acknowledge(uint256 id) external;

    /// @notice Records an acknowledgement signed (EIP-712) by an active wallet of the buyer entity; anyone may
    ///         relay it.
    /// @dev Signed struct: Acknowledgement(uint256 id,bytes32 invoiceKey,uint256 amount,uint32 dueDate,
    ///      uint256 nonce,uint256 deadline), domain (name "TradeFin Receivables", version "1", chain id,
    ///      this contract). `nonce` is a revocation handle chosen by the signer (the SDK uses the low 64 bits of
    ///      the invoice key): it is never consumed, because a receivable can be acknowledged only once, so an
    ///      unrelayed signature blocks no other; the signer cancels one with revokeAcknowledgementNonces. High-s
    ///      signatures are refused. A buyer wallet that is a contract (a Safe) signs through ERC-1271: pass
    ///      `abi.encode(wallet, walletSignature)`; the registry asks the wallet's isValidSignature(digest, …).
    /// @param id The receivable (Submitted).
    /// @param invoiceKey The receivable's invoice key (must match).
    /// @param nonce The revocation handle signed.
    /// @param deadline Last second at which the signature is valid.
    /// @param signature 65-byte ECDSA signature of an externally owned buyer wallet, or
    ///        abi.encode(contractWallet, erc1271Signature) for a contract buyer wallet.
    function acknowledgeWithSig(
        uint256 id,
        bytes32 invoiceKey,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice A buyer wallet cancels acknowledgement signatures it gave and that were not used: every nonce
    ///         whose bit is set in `mask`, in word `wordPos` (nonce = wordPos × 256 + bit), as Permit2 does.
    /// @param wordPos The 256-nonce word.
    /// @param mask The bits to revoke (already revoked bits stay revoked).
    function revokeAcknowledgementNonces(uint256 wordPos, uint256 mask) external;

    /// @notice The buyer disputes a submitted receivable. The key stays used.
    /// @param id The receivable (Submitted); the caller is an active BUYER wallet of its buyer entity.
    /// @param reason Free-form reason code, carried by the event.
    function reject(uint256 id, bytes32 reason) external;

    /// @notice The seller withdraws a receivable the buyer has not acknowledged. The key stays used.
    /// @param id The receivable (Submitted); the caller is any wallet bound to its seller entity.
    function cancel(uint256 id) external;

    // ---------------------------------------------------------------- lineage

    /// @notice Splits the outstanding amount of an Acknowledged, unpaid, unfrozen receivable into children
    ///         held by the caller. The parent becomes Split and is closed to transfer and payment. The children
    ///         inherit the buyer's acknowledgement; they add nothing to the buyer's record, which counts their
    ///         original invoice (the root) once.
    /// @param id The receivable, held by the caller (an active holder); depth below MAX_SPLIT_DEPTH (4).
    /// @param amounts 2 to MAX_SPLIT_CHILDREN (8) non-zero child amounts in the currency's base units, adding
    ///        up exactly to the outstanding amount.
    /// @return firstChildId Id of the first child; the others follow consecutively.
    function split(uint256 id, uint256[] calldata amounts) external returns (uint256 firstChildId);

    // ------------------------------------------------------------- settlement

    /// @notice Pays up to `amount` towards the receivable in its currency; never takes more than is
    ///         outstanding. Credits the current holder (pull). Works while paused or frozen, and for a suspended
    ///         buyer. Only wallets bound to the buyer entity may pay: a payment by anyone else could change the
    ///         receivable's status (blocking financing and splitting) or wash the buyer's record
    ///         (docs/THREAT_MODEL.md); a third party paying on the buyer's behalf is bound to the buyer entity.
    /// @param id The receivable (Acknowledged, PartiallyPaid or Defaulted).
    /// @param amount The most to pay, in the currency's base units (capped at the outstanding amount).
    /// @return taken The amount actually taken from the caller, in base units (> 0).
    function pay(uint256 id, uint256 amount) external returns (uint256 taken);

    /// @notice Sends everything credited to the caller in `currency` to `to`.
    /// @param currency The settlement token.
    /// @param to Recipient (non-zero).
    /// @return amount The amount sent, in the currency's base units (> 0).
    function withdraw(address currency, address to) external returns (uint256 amount);

    /// @notice The holder declares an Acknowledged or PartiallyPaid receivable in default once dueDate + the
    ///         grace period of its original invoice (gracePeriodOf) has passed. Later payments are still taken as
    ///         recovery. A family of split children counts as one default in the buyer's record.
    /// @param id The receivable, held by the caller; reverts ReceivableNotYetDefaultable until after
    ///        dueDate + grace period (Unix seconds).
    function markDefaulted(uint256 id) external;

    // ------------------------------------------------------------- supervision

    /// @notice A REGULATOR participant freezes a receivable.
    /// @param id The receivable (not frozen).
    /// @param reason Free-form reason code, carried by the event.
    function freeze(uint256 id, bytes32 reason) external;

    /// @notice A REGULATOR participant lifts a freeze.
    /// @param id The receivable (frozen).
    function unfreeze(uint256 id) external;

    /// @notice PAUSER_ROLE stops new business (submit, acknowledge, transfer, split). Never payment.
    function pause() external;

    /// @notice DEFAULT_ADMIN_ROLE resumes new business: the guardian (PAUSER_ROLE) pauses at once, but only the
    ///         admin, whose actions run behind the governance delay (docs/GOVERNANCE.md), unpauses.
    function unpause() external;

    /// @notice DEFAULT_ADMIN_ROLE sets the grace period after the due date before a default may be declared,
    ///         for receivables submitted from now on; receivables already submitted keep theirs.
    /// @param gracePeriod The grace period in seconds (≤ MAX_GRACE_PERIOD, 365 days).
    function setDefaultGracePeriod(uint32 gracePeriod) external;

    // ------------------------------------------------------------------ views

    /// @notice The participant registry this registry trusts.
    /// @return The participant registry.
    function participants() external view returns (IParticipantRegistry);

    /// @notice The registry this one replaced in a migration (zero for the first): its invoice keys stay used here.
    /// @return The predecessor registry, or the zero address.
    function predecessor() external view returns (IReceivableRegistry);

    /// @notice Whether an invoice key was used, here or in any predecessor: such a key can never be submitted.
    /// @param invoiceKey keccak256(abi.encode(sellerEntityId, buyerEntityId, invoiceNumberHash)).
    /// @return True once used (keys are never freed).
    function invoiceKeyUsed(bytes32 invoiceKey) external view returns (bool);

    /// @notice What other TradeFin contracts need in one call: the record without the document hash (one
    ///         storage read less), the current holder and whether new business is paused.
    /// @param id The receivable (reverts ReceivableNotFound when unknown).
    /// @return r The record with docHash zero; amounts in the currency's base units.
    /// @return holder The current holder.
    /// @return registryPaused True while new business is paused.
    function coreOf(uint256 id) external view returns (Receivable memory r, address holder, bool registryPaused);

    /// @notice Everything the risk engine's scorecard reads, in one call: the receivable's status, freeze,
    ///         due date and outstanding amount, the buyer's payment record and the seller's submission record,
    ///         reduced to the fields the scorecard uses (reverts ReceivableNotFound).
    /// @param id The receivable.
    /// @return The fields: outstanding in the currency's base units, record amounts normalised to 18 decimals.
    function riskDataOf(uint256 id) external view returns (RiskData memory);

    /// @notice Face minus paid.
    /// @param id The receivable (reverts ReceivableNotFound when unknown).
    /// @return The outstanding amount, in the currency's base units.
    function outstandingOf(uint256 id) external view returns (uint256);

    /// @notice The invoice at the root of this receivable's lineage (itself for an invoice).
    /// @param id The receivable (reverts ReceivableNotFound when unknown).
    /// @return The root invoice's id.
    function rootOf(uint256 id) external view returns (uint256);

    /// @notice Proceeds credited to `holder` in `currency` and not yet withdrawn.
    /// @param holder The wallet credited.
    /// @param currency The settlement token.
    /// @return The credited amount, in the currency's base units.
    function claimable(address holder, address currency) external view returns (uint256);

    /// @notice True while new business is paused.
    /// @return True while paused.
    function paused() external view returns (bool);

    /// @notice Raw storage words at `slots`, for the read-only lens (ReceivableLens) and off-chain readers: views
    ///         shaped for one caller live there, not here.
    /// @param slots Storage slots to read.
    /// @return values The words, in order.
    function extSloads(bytes32[] calldata slots) external view returns (bytes32[] memory values);
}
