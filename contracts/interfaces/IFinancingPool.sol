// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiskEngine, IPolicySource} from "./IRiskEngine.sol";

/// @title IFinancingPool
/// @notice One bank's receivables-financing pool: the bank's risk policy and liquidity in one stablecoin;
///         quotes, financing (at once within the auto-approval limit, otherwise on the manager's approval),
///         collection with a waterfall, write-off and recourse.
/// @dev Money model for one financed receivable of outstanding amount O, in the project's one vocabulary
///      (tasks, report, demo and docs use the same four words):
///      gross advance A = O × advance rate; fee F = A × discount; net paid out N = A − F, paid to the
///      supplier at once; reserve R = O − A, the supplier's, paid once the pool has recovered A.
///      Collections go first to the pool until it has A (N, then F), then to the supplier's reserve.
///      In names: `advance` is the gross advance A and `netAdvance` the net paid out N.
///      Accounting identity, after every call:
///      liquidity + outstandingAdvances = deposits − withdrawals + feesEarned − losses,
///      where outstandingAdvances is the net paid out not yet recovered (N) and losses are written-off N less
///      recoveries.
///      The supplier's terms are protected in full: `finance` takes a least net advance and a largest fee, so
///      N ≥ minNetAdvance and N + R = O − F ≥ O − maxFee; a request records the quoted A and F and approval
///      pays that A and charges at most that F, so a policy change between asking and approval can only
///      lower the fee. Approval rules (issue 12): the auto-approval limit bounds everything this pool advances
///      on one original invoice (a root and all its split children), and the manager may cap what is
///      auto-approved per supplier entity and period; anything beyond either waits for the manager.
///      Trust: the manager (owner, two-step transfer) sets the policy, moves liquidity, approves large
///      requests and writes off. The pool must be bound as a wallet of the bank's FINANCIER entity in the
///      participant registry so that it can hold receivables. The asset is a plain ERC-20 stablecoin.
interface IFinancingPool is IPolicySource {
    // ------------------------------------------------------------------ types

    /// @notice Lifecycle of one receivable in this pool.
    enum FinancingStatus {
        None,
        Requested,
        Active,
        Repaid,
        WrittenOff,
        BoughtBack,
        Rejected
    }

    /// @notice The pool's record of one financing (three storage slots).
    /// @param supplier The holder that was financed (or asked to be); receives the reserve.
    /// @param buyerIndex Compact index of the buyer entity (for exposure).
    /// @param status Lifecycle in this pool.
    /// @param grade Grade at financing.
    /// @param recourse Whether the policy at financing allowed recourse.
    /// @param advance Gross advance A.
    /// @param fee Discount fee F (N = A − F was paid out).
    /// @param faceAmount Outstanding amount O at financing (the receivable was unpaid).
    /// @param collected Total collected for this receivable so far.
    struct Financing {
        address supplier;
        uint32 buyerIndex;
        FinancingStatus status;
        IRiskEngine.Grade grade;
        bool recourse;
        uint96 advance;
        uint96 fee;
        uint96 faceAmount;
        uint96 collected;
    }

    /// @notice A pending request: the terms quoted when the supplier asked (one storage slot). Approval pays
    ///         this advance and charges at most this fee; the net paid out (gross advance − fee) is reserved.
    /// @param advance Gross advance quoted at the request.
    /// @param fee Discount fee quoted at the request (the most approval may charge).
    /// @param deadline Last second at which the supplier's acceptance holds.
    struct Request {
        uint96 advance;
        uint96 fee;
        uint64 deadline;
    }

    /// @notice A quote: the risk engine's assessment under this pool's policy turned into money.
    /// @param advance Gross advance.
    /// @param fee Discount fee, kept by the pool out of the gross advance.
    /// @param netAdvance Net paid out: what the supplier would receive now (gross advance − fee).
    /// @param reserve Outstanding − gross advance, paid to the supplier once the pool has recovered the
    ///        gross advance.
    /// @param needsApproval True when financing now would wait for the manager: the advance plus what the pool
    ///        already advanced on the same original invoice exceeds the auto-approval limit, or the advance
    ///        exceeds what the current holder's entity has left of its auto-approval cap for the period.
    /// @param validUntil Last second at which the same numbers hold (the tenor in days or the rating changes
    ///        after it), unless the policy, the buyer's record or the exposure changes first.
    struct Quote {
        IRiskEngine.Assessment assessment;
        uint256 advance;
        uint256 fee;
        uint256 netAdvance;
        uint256 reserve;
        bool needsApproval;
        uint256 validUntil;
    }

    // ----------------------------------------------------------------- events

    /// @notice The manager set the risk policy.
    event PolicySet(IRiskEngine.RiskPolicy policy);
    /// @notice The manager deposited liquidity.
    event LiquidityDeposited(address indexed from, uint256 amount);
    /// @notice The manager withdrew liquidity.
    event LiquidityWithdrawn(address indexed to, uint256 amount);
    /// @notice The manager set the per-supplier cap on auto-approved advances (0, 0: no cap).
    event SupplierAutoCapSet(uint256 cap, uint256 period);
    /// @notice An auto-approved financing used `used` of `supplierEntity`'s cap in the period from `windowStart`.
    event SupplierAutoCapUsed(bytes32 indexed supplierEntity, uint256 windowStart, uint256 used);
    /// @notice A financing beyond the auto-approval rules waits for the manager with the terms quoted now:
    ///         approval pays `advance` and charges at most `fee`.
    event FinancingRequested(
        uint256 indexed id,
        address indexed supplier,
        uint256 advance,
        uint256 fee,
        uint256 netAdvance,
        uint256 deadline
    );
    /// @notice The manager rejected a request.
    event FinancingRejected(uint256 indexed id, bytes32 reason);
    /// @notice A request that could no longer be approved was released by `by`.
    event FinancingRequestExpired(uint256 indexed id, address indexed by);
    /// @notice Receivable `id` was financed: the pool holds it and `supplier` received the net paid out
    ///         `netAdvance`.
    event Financed(
        uint256 indexed id,
        address indexed supplier,
        uint32 indexed buyerIndex,
        IRiskEngine.Grade grade,
        uint256 advance,
        uint256 fee,
        uint256 netAdvance,
        uint256 reserve
    );
    /// @notice A buyer payment of `amount` was applied: principal, fee and reserve parts.
    event Collected(uint256 indexed id, uint256 amount, uint256 principal, uint256 fee, uint256 reserve);
    /// @notice The pool has everything it was owed and the receivable is settled.
    event FinancingRepaid(uint256 indexed id);
    /// @notice The manager wrote off `loss` of principal.
    event WrittenOff(uint256 indexed id, uint256 loss);
    /// @notice The supplier bought the receivable back for `price`.
    event RecourseExercised(uint256 indexed id, address indexed supplier, uint256 price);
    /// @notice A supplier withdrew its released reserve.
    event ReserveWithdrawn(address indexed supplier, address indexed to, uint256 amount);

    // ----------------------------------------------------------------- errors

    /// @notice A zero address was given.
    error PoolZeroAddress();
    /// @notice The amount is zero.
    error PoolZeroAmount();
    /// @notice The amount does not fit the pool's 128-bit accounting.
    error PoolAmountTooLarge(uint256 amount, uint256 max);
    /// @notice Fewer tokens arrived than were sent.
    error PoolTransferShortfall(uint256 expected, uint256 received);
    /// @notice Withdrawal beyond free liquidity (liquidity − committed).
    error PoolInsufficientLiquidity(uint256 available, uint256 needed);
    /// @notice The receivable is in another currency than the pool's asset.
    error PoolCurrencyMismatch(uint256 id, address currency, address asset);
    /// @notice The caller does not hold the receivable.
    error PoolNotHolder(uint256 id, address caller);
    /// @notice The receivable is not Acknowledged and unpaid (registry status given).
    error PoolNotFinanceable(uint256 id, uint8 registryStatus);
    /// @notice The receivable was already financed or requested in this pool.
    error PoolAlreadyFinanced(uint256 id, FinancingStatus financingStatus);
    /// @notice The assessment has blocking reasons.
    error PoolNotEligible(uint256 id, uint256 reasonCodes);
    /// @notice The net paid out is below the supplier's minimum.
    error PoolSlippage(uint256 id, uint256 netAdvance, uint256 minNetAdvance);
    /// @notice The fee at the current policy is above the most the supplier accepts.
    error PoolFeeTooHigh(uint256 id, uint256 fee, uint256 maxFee);
    /// @notice A supplier cap needs both an amount and a period (or neither, to switch it off).
    error PoolInvalidAutoCap(uint256 cap, uint256 period);
    /// @notice The supplier's deadline has passed.
    error PoolDeadlinePassed(uint256 deadline, uint256 nowTimestamp);
    /// @notice The financing would take the pool's net paid out not yet recovered over its total limit.
    error PoolTotalExposureLimit(uint256 outstanding, uint256 netAdvance, uint256 limit);
    /// @notice New business is paused in the receivable registry.
    error PoolRegistryPaused();
    /// @notice The financing is not in the status the operation needs.
    error PoolInvalidStatus(uint256 id, FinancingStatus financingStatus);
    /// @notice No new payment to apply.
    error PoolNothingToCollect(uint256 id);
    /// @notice The policy at financing had no recourse.
    error PoolRecourseNotAvailable(uint256 id);
    /// @notice Only the financed supplier may exercise recourse.
    error PoolNotSupplier(uint256 id, address caller);
    /// @notice Nothing to withdraw.
    error PoolNothingToWithdraw(address supplier);
    /// @notice The request can still be approved: its deadline has not passed, the supplier still holds the
    ///         receivable, and it is Acknowledged, unpaid, unfrozen and not overdue.
    error PoolRequestStillValid(uint256 id, uint256 deadline);

    // ------------------------------------------------------------- management

    /// @notice Validates (through the risk engine) and stores a new policy. Only the manager.
    /// @param newPolicy The policy; reverts RiskInvalidPolicy(field) when the risk engine refuses it.
    function setPolicy(IRiskEngine.RiskPolicy calldata newPolicy) external;

    /// @notice Moves `amount` of the asset from the manager into the pool's liquidity. Only the manager.
    /// @param amount Amount of the asset, in its base units (> 0, ≤ type(uint128).max; the pool must receive it
    ///        all).
    function deposit(uint256 amount) external;

    /// @notice Sends `amount` of free liquidity (liquidity − committed) to `to`. Only the manager.
    /// @param amount Amount of the asset, in its base units (> 0, ≤ free liquidity).
    /// @param to Recipient (non-zero).
    function withdrawLiquidity(uint256 amount, address to) external;

    /// @notice Sets the cap on what is auto-approved per supplier entity in each period of `period` seconds
    ///         (windows start at multiples of `period`; changing the period starts new windows). Advances that
    ///         would exceed it wait for the manager. `cap` and `period` both zero switch the cap off. Only the
    ///         manager.
    /// @param cap Most auto-approved advance per supplier entity and window, in base units.
    /// @param period Window length in seconds.
    function setSupplierAutoCap(uint96 cap, uint32 period) external;

    /// @notice Executes a pending request on the terms recorded when the supplier asked: it pays the recorded
    ///         advance and charges min(recorded fee, recorded advance × the discount at approval), so the
    ///         supplier's net and reserve are never below what it accepted. The receivable is re-checked
    ///         (holder, status, freeze, eligibility, exposure and liquidity); the supplier's deadline applies.
    ///         Only the manager.
    /// @param id The receivable.
    function approveRequest(uint256 id) external;

    /// @notice Refuses a pending request; the supplier may ask again later. Only the manager.
    /// @param id The receivable.
    /// @param reason Short reason (bytes32 text).
    function rejectRequest(uint256 id, bytes32 reason) external;

    /// @notice Anyone releases a pending request that can no longer be approved, freeing the liquidity it
    ///         reserved: its deadline has passed, or the supplier no longer holds the receivable, or the
    ///         receivable is no longer Acknowledged and unpaid (split, partly or fully paid, defaulted), is
    ///         frozen, or is overdue. The supplier may ask again.
    /// @param id The receivable.
    function expireRequest(uint256 id) external;

    /// @notice Books the remaining principal of a defaulted receivable as a loss; declares the default in the
    ///         registry first when it has not been declared. Only the manager.
    /// @param id The receivable (Active in this pool).
    function writeOff(uint256 id) external;

    // ------------------------------------------------------------- financing

    /// @notice The holder finances an Acknowledged, unpaid receivable in the pool's asset. Needs the pool to
    ///         be approved for the token in the receivable registry. When the advance plus what this pool
    ///         already advanced on the same original invoice is within the auto-approval limit, and within
    ///         what the holder's entity has left of its auto-approval cap, it executes at once (the receivable
    ///         moves to the pool, the holder receives the net advance); otherwise a request is recorded for the
    ///         manager with the terms quoted now.
    /// @param id The receivable.
    /// @param minNetAdvance The least net advance the holder accepts.
    /// @param maxFee The largest fee the holder accepts; bounds net advance + reserve from below
    ///        (outstanding − maxFee).
    /// @param deadline Last second at which the holder's acceptance holds (also for a request).
    /// @return executed True when financed now, false when a request was recorded.
    function finance(
        uint256 id,
        uint256 minNetAdvance,
        uint256 maxFee,
        uint256 deadline
    ) external returns (bool executed);

    /// @notice Applies the buyer's payments received since the last collection (anyone may call).
    /// @param id The receivable (Active or WrittenOff in this pool); reverts PoolNothingToCollect when no new
    ///        payment arrived.
    function collect(uint256 id) external;

    /// @notice The financed supplier buys back a defaulted receivable for what the pool is still owed,
    ///         advance − collected floored at zero (the principal and fee it has not received; the fee is part
    ///         of the advance, never added to it), when the policy at financing had recourse. When nobody has
    ///         declared the default yet, the pool (the holder) declares it first; before due + grace that
    ///         reverts ReceivableNotYetDefaultable.
    /// @param id The receivable.
    function exerciseRecourse(uint256 id) external;

    /// @notice The caller withdraws its released reserves.
    /// @param to Recipient of the asset (non-zero).
    /// @return amount The reserve sent, in the asset's base units (> 0).
    function withdrawReserve(address to) external returns (uint256 amount);

    // ------------------------------------------------------------------ views

    /// @notice What financing `id` now would give.
    /// @param id The receivable (reverts ReceivableNotFound when unknown).
    /// @return The quote; amounts in the asset's base units, validUntil in Unix seconds.
    function quote(uint256 id) external view returns (Quote memory);

    /// @notice The pool's record of `id`.
    /// @param id The receivable.
    /// @return The record (all zero, status None, when the pool never saw `id`); amounts in base units.
    function financing(uint256 id) external view returns (Financing memory);

    /// @notice The pending request for `id` (zero when none).
    /// @param id The receivable.
    /// @return The quoted gross advance and fee (base units) and the supplier's deadline (Unix seconds).
    function request(uint256 id) external view returns (Request memory);

    /// @notice Gross advance this pool has paid on original invoice `rootId` and its split children (counted
    ///         for children only: an unsplit invoice is financed at most once; never decreases).
    /// @param rootId The original invoice (registry rootOf).
    /// @return The cumulative advance in base units.
    function advancedOnRoot(uint256 rootId) external view returns (uint256);

    /// @notice What `supplierEntity` has been auto-approved in the current window (0 when the cap is off).
    /// @param supplierEntity The supplier's entity id in the participant registry.
    /// @return The auto-approved advance in the current window, in base units.
    function autoApprovedOf(bytes32 supplierEntity) external view returns (uint256);

    /// @notice The per-supplier auto-approval cap and its period (both zero when off).
    /// @return cap Most auto-approved advance per supplier entity and window.
    /// @return period Window length in seconds.
    function supplierAutoCap() external view returns (uint256 cap, uint256 period);

    /// @notice The settlement asset.
    /// @return The ERC-20 stablecoin the pool lends and collects in.
    function asset() external view returns (address);

    /// @notice Liquidity available for advances (includes committed amounts).
    /// @return The pool's liquidity, in the asset's base units.
    function liquidity() external view returns (uint256);

    /// @notice Net paid out reserved for pending requests.
    /// @return The committed amount, in the asset's base units.
    function committed() external view returns (uint256);

    /// @notice Net paid out and not yet recovered, over active financings.
    /// @return The outstanding net advances, in the asset's base units.
    function outstandingAdvances() external view returns (uint256);

    /// @notice Fees earned (collected) so far.
    /// @return The fees, in the asset's base units.
    function feesEarned() external view returns (uint256);

    /// @notice Written-off principal less recoveries.
    /// @return The losses, in the asset's base units.
    function losses() external view returns (uint256);

    /// @notice Total deposited by the manager.
    /// @return The deposits, in the asset's base units.
    function totalDeposits() external view returns (uint256);

    /// @notice Total withdrawn by the manager.
    /// @return The withdrawals, in the asset's base units.
    function totalWithdrawals() external view returns (uint256);

    /// @notice Outstanding principal to a buyer entity.
    /// @param buyerEntityId The buyer's entity id in the participant registry.
    /// @return The net paid out not yet recovered on that buyer's receivables, in the asset's base units (0 when
    ///         unknown).
    function buyerExposureOf(bytes32 buyerEntityId) external view returns (uint256);

    /// @notice Reserve released to `supplier` and not yet withdrawn.
    /// @param supplier The financed supplier wallet.
    /// @return The reserve, in the asset's base units.
    function reserveOf(address supplier) external view returns (uint256);
}
