// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IFinancingPool} from "./interfaces/IFinancingPool.sol";
import {IPolicySource, IRiskEngine} from "./interfaces/IRiskEngine.sol";
import {IReceivableRegistry} from "./interfaces/IReceivableRegistry.sol";

/// @title FinancingPool
/// @notice One bank's pool: its risk policy, its liquidity in one stablecoin, and the receivables it finances.
/// @dev See IFinancingPool for the money model and the accounting identity. The manager is the owner
///      (Ownable2Step). The receivable registry and the risk engine are trusted TradeFin contracts: they make
///      no callbacks into the pool.
contract FinancingPool is IFinancingPool, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------ constants

    uint256 private constant _BPS = 10_000;

    IReceivableRegistry private immutable _receivables;
    IRiskEngine private immutable _engine;
    IERC20 private immutable _asset;

    // -------------------------------------------------------------- storage

    /// @dev Money terms of one financing, computed from an assessment (or recorded with a request).
    /// @param root The original invoice of a split child, 0 for an unsplit invoice (not tracked, see
    ///        _advancedOnRoot).
    struct Terms {
        IRiskEngine.Grade grade;
        uint256 advance;
        uint256 fee;
        uint256 net;
        uint256 root;
    }

    /// @dev Net advances reserved for pending requests, and the per-supplier cap on auto-approved advances per
    ///      window with the window length (0, 0: off). One slot: the liquidity check of every financing reads
    ///      `committed`, so the cap costs nothing more to read.
    struct Reservations {
        uint128 committed;
        uint96 supplierCap;
        uint32 capPeriod;
    }

    /// @dev A supplier entity's auto-approved advances in its current window (one slot).
    struct AutoWindow {
        uint64 start;
        uint96 used;
    }

    /// @dev The bank's current risk policy.
    IRiskEngine.RiskPolicy private _policy;
    /// @dev The pool's record of each receivable it financed or was asked to finance.
    mapping(uint256 id => Financing) private _financings;
    /// @dev Pending requests above the auto-approval limit.
    mapping(uint256 id => Request) private _requests;
    /// @dev Unrepaid principal per buyer entity (compact index).
    mapping(uint32 buyerIndex => uint256 amount) private _buyerExposure;
    /// @dev Reserves released to suppliers and not yet withdrawn.
    mapping(address supplier => uint256 amount) private _reserves;
    /// @dev Gross advance paid on each original invoice through its split children; cumulative, never
    ///      decreased (repaying must not reopen the auto-approval room). An unsplit invoice is not tracked: the
    ///      pool holds it once financed, so it can neither be split nor financed here again.
    mapping(uint256 rootId => uint256 advance) private _advancedOnRoot;
    /// @dev Auto-approved advances per supplier entity in its current window.
    mapping(bytes32 supplierEntity => AutoWindow) private _autoWindows;
    /// @dev Liquidity and unrepaid principal change together at finance and collection: one slot.
    uint128 private _liquidity;
    uint128 private _outstanding;
    uint128 private _feesEarned;
    uint128 private _losses;
    uint128 private _deposits;
    uint128 private _withdrawals;
    /// @dev Reserved net advances and the per-supplier cap: one slot, read by every financing.
    Reservations private _res;

    // ---------------------------------------------------------- constructor

    /// @param receivables_ The receivable registry.
    /// @param engine_ The risk engine.
    /// @param asset_ The pool's stablecoin.
    /// @param manager The bank's manager (owner).
    /// @param initialPolicy The bank's risk policy, validated by the engine.
    constructor(
        IReceivableRegistry receivables_,
        IRiskEngine engine_,
        IERC20 asset_,
        address manager,
        IRiskEngine.RiskPolicy memory initialPolicy
    ) Ownable(manager) {
        require(
            address(receivables_) != address(0) && address(engine_) != address(0) && address(asset_) != address(0),
            PoolZeroAddress()
        );
        _receivables = receivables_;
        _engine = engine_;
        _asset = asset_;
        engine_.validatePolicy(initialPolicy);
        _policy = initialPolicy;
        emit PolicySet(initialPolicy);
    }

    // ----------------------------------------------------------- management

    /// @inheritdoc IFinancingPool
    function setPolicy(IRiskEngine.RiskPolicy calldata newPolicy) external onlyOwner {
        _engine.validatePolicy(newPolicy);
        _policy = newPolicy;
        emit PolicySet(newPolicy);
    }

    /// @inheritdoc IFinancingPool
    function setSupplierAutoCap(uint96 cap, uint32 period) external onlyOwner {
        require((cap == 0) == (period == 0), PoolInvalidAutoCap(cap, period));
        _res.supplierCap = cap;
        _res.capPeriod = period;
        emit SupplierAutoCapSet(cap, period);
    }

    /// @inheritdoc IFinancingPool
    function deposit(uint256 amount) external onlyOwner nonReentrant {
        require(amount != 0, PoolZeroAmount());
        uint128 added = _u128(amount);
        _liquidity += added;
        _deposits += added;
        emit LiquidityDeposited(msg.sender, amount);
        _pullExact(msg.sender, amount);
    }

    /// @inheritdoc IFinancingPool
    function withdrawLiquidity(uint256 amount, address to) external onlyOwner nonReentrant {
        require(to != address(0), PoolZeroAddress());
        require(amount != 0, PoolZeroAmount());
        uint256 free = uint256(_liquidity) - _res.committed;
        require(amount <= free, PoolInsufficientLiquidity(free, amount));
        _liquidity -= uint128(amount); // amount ≤ free ≤ liquidity
        _withdrawals += uint128(amount);
        emit LiquidityWithdrawn(to, amount);
        _asset.safeTransfer(to, amount);
    }

    /// @inheritdoc IFinancingPool
    function approveRequest(uint256 id) external onlyOwner nonReentrant {
        Financing storage f = _financings[id];
        require(f.status == FinancingStatus.Requested, PoolInvalidStatus(id, f.status));
        Request memory q = _requests[id];
        require(block.timestamp <= q.deadline, PoolDeadlinePassed(q.deadline, block.timestamp));
        // Release the reservation first so the recorded terms are checked against the same liquidity.
        _res.committed -= q.advance - q.fee;
        delete _requests[id];
        (IReceivableRegistry.Receivable memory r, IRiskEngine.Assessment memory a) = _check(id, f.supplier);
        // The recorded advance, and at most the recorded fee: a policy changed since the request can lower
        // the fee, never raise it, so net ≥ the recorded net and the reserve is the recorded one.
        Terms memory t;
        t.grade = a.grade;
        t.advance = q.advance;
        t.fee = _min((t.advance * a.discountBps) / _BPS, q.fee);
        t.net = t.advance - t.fee;
        t.root = _rootOf(id, r);
        _requireCapacity(t.net);
        _execute(id, f.supplier, r, t);
    }

    /// @inheritdoc IFinancingPool
    function rejectRequest(uint256 id, bytes32 reason) external onlyOwner {
        Financing storage f = _financings[id];
        require(f.status == FinancingStatus.Requested, PoolInvalidStatus(id, f.status));
        Request storage q = _requests[id];
        _res.committed -= q.advance - q.fee;
        delete _requests[id];
        f.status = FinancingStatus.Rejected;
        emit FinancingRejected(id, reason);
    }

    /// @inheritdoc IFinancingPool
    function expireRequest(uint256 id) external {
        Financing storage f = _financings[id];
        require(f.status == FinancingStatus.Requested, PoolInvalidStatus(id, f.status));
        Request memory q = _requests[id];
        (IReceivableRegistry.Receivable memory r, address holder, ) = _receivables.coreOf(id);
        // What approveRequest could never get past, whoever waits: a lapsed acceptance, a new holder, a
        // receivable no longer Acknowledged and unpaid (split, paid in part or in full, defaulted), a freeze,
        // or maturity (an overdue receivable is ineligible for good). Pause, liquidity or a worse grade are
        // the manager's to judge and may pass.
        bool approvable =
            block.timestamp <= q.deadline &&
                holder == f.supplier &&
                r.status == IReceivableRegistry.Status.Acknowledged &&
                r.paidAmount == 0 &&
                !r.frozen &&
                block.timestamp <= r.dueDate;
        require(!approvable, PoolRequestStillValid(id, q.deadline));
        _res.committed -= q.advance - q.fee;
        delete _requests[id];
        f.status = FinancingStatus.Rejected;
        emit FinancingRequestExpired(id, msg.sender);
    }

    /// @inheritdoc IFinancingPool
    function writeOff(uint256 id) external onlyOwner nonReentrant {
        Financing storage f = _financings[id];
        require(f.status == FinancingStatus.Active, PoolInvalidStatus(id, f.status));
        // Apply what the buyer paid before the loss is measured, so the loss is exact.
        _defaultAndApply(id, f);
        uint256 loss = _principalLeft(f);
        _outstanding -= uint128(loss); // loss ≤ principal still counted in _outstanding
        _buyerExposure[f.buyerIndex] -= loss;
        _losses += uint128(loss);
        f.status = FinancingStatus.WrittenOff;
        emit WrittenOff(id, loss);
        _pullProceeds();
    }

    // ------------------------------------------------------------ financing

    /// @inheritdoc IFinancingPool
    function finance(
        uint256 id,
        uint256 minNetAdvance,
        uint256 maxFee,
        uint256 deadline
    ) external nonReentrant returns (bool executed) {
        require(block.timestamp <= deadline, PoolDeadlinePassed(deadline, block.timestamp));
        Financing storage f = _financings[id];
        FinancingStatus status = f.status;
        require(status == FinancingStatus.None || status == FinancingStatus.Rejected, PoolAlreadyFinanced(id, status));
        (IReceivableRegistry.Receivable memory r, IRiskEngine.Assessment memory a) = _check(id, msg.sender);
        Terms memory t = _terms(a);
        _requireCapacity(t.net);
        require(t.net >= minNetAdvance, PoolSlippage(id, t.net, minNetAdvance));
        require(t.fee <= maxFee, PoolFeeTooHigh(id, t.fee, maxFee));
        t.root = _rootOf(id, r);

        if (_takeAutoApproval(msg.sender, t)) {
            _execute(id, msg.sender, r, t);
            return true;
        }
        f.supplier = msg.sender;
        f.buyerIndex = r.buyerIndex;
        f.status = FinancingStatus.Requested;
        _requests[id] = Request({
            // fee ≤ advance ≤ outstanding, a uint96
            advance: uint96(t.advance),
            fee: uint96(t.fee),
            deadline: uint64(deadline > type(uint64).max ? type(uint64).max : deadline) // clamped
        });
        _res.committed += uint128(t.net);
        emit FinancingRequested(id, msg.sender, t.advance, t.fee, t.net, deadline);
        return false;
    }

    /// @inheritdoc IFinancingPool
    function collect(uint256 id) external nonReentrant {
        Financing storage f = _financings[id];
        FinancingStatus status = f.status;
        require(
            status == FinancingStatus.Active || status == FinancingStatus.WrittenOff,
            PoolInvalidStatus(id, status)
        );
        // The pool financed an unpaid receivable of face f.faceAmount: paid = face − outstanding (one read).
        uint256 paid = uint256(f.faceAmount) - _receivables.outstandingOf(id);
        require(paid > f.collected, PoolNothingToCollect(id));
        _apply(id, f, paid - f.collected);
        _pullProceeds();
    }

    /// @inheritdoc IFinancingPool
    function exerciseRecourse(uint256 id) external nonReentrant {
        Financing storage f = _financings[id];
        FinancingStatus status = f.status;
        require(
            status == FinancingStatus.Active || status == FinancingStatus.WrittenOff,
            PoolInvalidStatus(id, status)
        );
        require(msg.sender == f.supplier, PoolNotSupplier(id, msg.sender));
        require(f.recourse, PoolRecourseNotAvailable(id));
        _defaultAndApply(id, f);

        uint256 price = f.advance - _min(f.collected, f.advance);
        (uint256 principal, uint256 fee) = _splitOwed(f, price);
        _reduceAtRisk(f, principal);
        _feesEarned += uint128(fee); // fee ≤ advance, a uint96
        _liquidity += uint128(price);
        f.status = FinancingStatus.BoughtBack;
        emit RecourseExercised(id, msg.sender, price);

        _pullProceeds();
        if (price != 0) _pullExact(msg.sender, price);
        IERC721(address(_receivables)).transferFrom(address(this), msg.sender, id);
    }

    /// @inheritdoc IFinancingPool
    function withdrawReserve(address to) external nonReentrant returns (uint256 amount) {
        require(to != address(0), PoolZeroAddress());
        amount = _reserves[msg.sender];
        require(amount != 0, PoolNothingToWithdraw(msg.sender));
        delete _reserves[msg.sender];
        emit ReserveWithdrawn(msg.sender, to, amount);
        _asset.safeTransfer(to, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc IFinancingPool
    function quote(uint256 id) external view returns (Quote memory q) {
        IReceivableRegistry.Receivable memory r;
        address holder;
        (r, holder, ) = _receivables.coreOf(id);
        q.assessment = _engine.assess(id, _policy, _buyerExposure[r.buyerIndex]);
        uint256 outstanding = uint256(r.faceAmount) - r.paidAmount;
        Terms memory t = _terms(q.assessment);
        (q.advance, q.fee, q.netAdvance) = (t.advance, t.fee, t.net);
        q.reserve = q.advance == 0 ? 0 : outstanding - q.advance;
        t.root = _rootOf(id, r);
        (bool auto_, , , ) = _autoApproval(holder, t);
        q.needsApproval = !auto_;
        q.validUntil = _quoteValidUntil(r, q.assessment.tenorDays);
    }

    /// @inheritdoc IPolicySource
    function policy() external view returns (IRiskEngine.RiskPolicy memory) {
        return _policy;
    }

    /// @inheritdoc IPolicySource
    function buyerExposure(uint32 buyerIndex) external view returns (uint256) {
        return _buyerExposure[buyerIndex];
    }

    /// @inheritdoc IFinancingPool
    function buyerExposureOf(bytes32 buyerEntityId) external view returns (uint256) {
        return _buyerExposure[_receivables.participants().entity(buyerEntityId).index];
    }

    /// @inheritdoc IFinancingPool
    function financing(uint256 id) external view returns (Financing memory) {
        return _financings[id];
    }

    /// @inheritdoc IFinancingPool
    function request(uint256 id) external view returns (Request memory) {
        return _requests[id];
    }

    /// @inheritdoc IFinancingPool
    function advancedOnRoot(uint256 rootId) external view returns (uint256) {
        return _advancedOnRoot[rootId];
    }

    /// @inheritdoc IFinancingPool
    function autoApprovedOf(bytes32 supplierEntity) external view returns (uint256) {
        uint256 period = _res.capPeriod;
        if (period == 0) return 0;
        AutoWindow memory w = _autoWindows[supplierEntity];
        return w.start == block.timestamp - (block.timestamp % period) ? w.used : 0;
    }

    /// @inheritdoc IFinancingPool
    function supplierAutoCap() external view returns (uint256 cap, uint256 period) {
        return (_res.supplierCap, _res.capPeriod);
    }

    /// @inheritdoc IFinancingPool
    function asset() external view returns (address) {
        return address(_asset);
    }

    /// @notice The receivable registry this pool finances from.
    function receivables() external view returns (IReceivableRegistry) {
        return _receivables;
    }

    /// @notice The risk engine this pool assesses with.
    function riskEngine() external view returns (IRiskEngine) {
        return _engine;
    }

    /// @inheritdoc IFinancingPool
    function liquidity() external view returns (uint256) {
        return _liquidity;
    }

    /// @inheritdoc IFinancingPool
    function committed() external view returns (uint256) {
        return _res.committed;
    }

    /// @inheritdoc IFinancingPool
    function outstandingAdvances() external view returns (uint256) {
        return _outstanding;
    }

    /// @inheritdoc IFinancingPool
    function feesEarned() external view returns (uint256) {
        return _feesEarned;
    }

    /// @inheritdoc IFinancingPool
    function losses() external view returns (uint256) {
        return _losses;
    }

    /// @inheritdoc IFinancingPool
    function totalDeposits() external view returns (uint256) {
        return _deposits;
    }

    /// @inheritdoc IFinancingPool
    function totalWithdrawals() external view returns (uint256) {
        return _withdrawals;
    }

    /// @inheritdoc IFinancingPool
    function reserveOf(address supplier) external view returns (uint256) {
        return _reserves[supplier];
    }

    // -------------------------------------------------------------- internal

    /// @dev Every check of the receivable and its holder a financing needs, and the assessment.
    function _check(
        uint256 id,
        address holder
    ) private view returns (IReceivableRegistry.Receivable memory r, IRiskEngine.Assessment memory a) {
        address current;
        bool registryPaused;
        (r, current, registryPaused) = _receivables.coreOf(id);
        require(!registryPaused, PoolRegistryPaused());
        require(current == holder, PoolNotHolder(id, holder));
        require(r.currency == address(_asset), PoolCurrencyMismatch(id, r.currency, address(_asset)));
        require(
            r.status == IReceivableRegistry.Status.Acknowledged && r.paidAmount == 0,
            PoolNotFinanceable(id, uint8(r.status))
        );
        a = _engine.assess(id, _policy, _buyerExposure[r.buyerIndex]);
        require(a.eligible && a.maxAdvance != 0, PoolNotEligible(id, a.reasonCodes));
    }

    /// @dev The pool's total exposure limit and free liquidity allow paying out `net`.
    function _requireCapacity(uint256 net) private view {
        uint256 limit = _policy.totalExposureLimit;
        require(_outstanding + net <= limit, PoolTotalExposureLimit(_outstanding, net, limit));
        uint256 free = uint256(_liquidity) - _res.committed;
        require(net <= free, PoolInsufficientLiquidity(free, net));
    }

    /// @dev The original invoice of a split child (one registry call), 0 for an unsplit invoice.
    function _rootOf(uint256 id, IReceivableRegistry.Receivable memory r) private view returns (uint256) {
        return r.depth == 0 ? 0 : _receivables.rootOf(id);
    }

    /// @dev Whether `supplier` may be financed on `t` without the manager: the advance plus what was advanced
    ///      on the same root is within the auto-approval limit, and, when a supplier cap is set, within what
    ///      the supplier's entity has left in the current window. Returns the window to record when a cap is
    ///      set.
    function _autoApproval(
        address supplier,
        Terms memory t
    ) private view returns (bool ok, bytes32 entity, uint256 windowStart, uint256 used) {
        uint256 onRoot = t.root == 0 ? t.advance : _advancedOnRoot[t.root] + t.advance;
        if (onRoot > _policy.autoApprovalLimit) return (false, 0, 0, 0);
        uint256 period = _res.capPeriod;
        if (period == 0) return (true, 0, 0, 0);
        entity = _receivables.participants().entityOf(supplier);
        windowStart = block.timestamp - (block.timestamp % period);
        AutoWindow memory w = _autoWindows[entity];
        used = (w.start == windowStart ? w.used : 0) + t.advance;
        ok = used <= _res.supplierCap;
    }

    /// @dev _autoApproval, and when it passes under a supplier cap, records the use of the window.
    function _takeAutoApproval(address supplier, Terms memory t) private returns (bool ok) {
        bytes32 entity;
        uint256 windowStart;
        uint256 used;
        (ok, entity, windowStart, used) = _autoApproval(supplier, t);
        if (ok && _res.capPeriod != 0) {
            // used ≤ cap, a uint96; windowStart ≤ now, a uint64
            _autoWindows[entity] = AutoWindow({start: uint64(windowStart), used: uint96(used)});
            emit SupplierAutoCapUsed(entity, windowStart, used);
        }
    }

    /// @dev Records the financing, moves the receivable to the pool and pays the net advance.
    function _execute(uint256 id, address supplier, IReceivableRegistry.Receivable memory r, Terms memory t) private {
        if (t.root != 0) _advancedOnRoot[t.root] += t.advance;
        Financing storage f = _financings[id];
        f.supplier = supplier;
        f.buyerIndex = r.buyerIndex;
        f.status = FinancingStatus.Active;
        f.grade = t.grade;
        f.recourse = _policy.recourse;
        // Amounts below are ≤ the receivable's face, itself a uint96.
        f.advance = uint96(t.advance);
        f.fee = uint96(t.fee);
        f.faceAmount = r.faceAmount;
        f.collected = 0;
        _liquidity -= uint128(t.net); // t.net ≤ free liquidity, checked
        _outstanding += uint128(t.net);
        _buyerExposure[r.buyerIndex] += t.net;
        emit Financed(id, supplier, r.buyerIndex, t.grade, t.advance, t.fee, t.net, r.faceAmount - t.advance);
        // Interactions: take the receivable (the supplier approved the pool in the registry), then pay.
        IERC721(address(_receivables)).transferFrom(supplier, address(this), id);
        _asset.safeTransfer(supplier, t.net);
    }

    /// @dev Applies `amount` newly paid by the buyer: to the pool until it has the advance (principal, then
    ///      fee), the rest to the supplier's reserve.
    function _apply(uint256 id, Financing storage f, uint256 amount) private {
        uint256 advance = f.advance;
        uint256 owed = advance - _min(f.collected, advance);
        uint256 toPool = _min(amount, owed);
        uint256 toReserve = amount - toPool;
        (uint256 principal, uint256 fee) = _splitOwed(f, toPool);
        f.collected += uint96(amount); // collected ≤ paid ≤ face, a uint96
        _reduceAtRisk(f, principal);
        _feesEarned += uint128(fee);
        _liquidity += uint128(toPool);
        if (toReserve != 0) _reserves[f.supplier] += toReserve;
        emit Collected(id, amount, principal, fee, toReserve);
        if (f.collected == f.faceAmount) {
            f.status = FinancingStatus.Repaid;
            emit FinancingRepaid(id);
        }
    }

    /// @dev Splits a payment to the pool into principal (first) and fee, given what was received before.
    function _splitOwed(Financing storage f, uint256 toPool) private view returns (uint256 principal, uint256 fee) {
        principal = _min(toPool, _principalLeft(f));
        fee = toPool - principal;
    }

    /// @dev Principal not yet repaid: net advance less what the pool has received, floored at zero.
    function _principalLeft(Financing storage f) private view returns (uint256) {
        uint256 net = uint256(f.advance) - f.fee;
        uint256 received = _min(f.collected, f.advance);
        return received >= net ? 0 : net - received;
    }

    /// @dev Repaid principal lowers outstanding advances while active, and the booked loss once written off.
    function _reduceAtRisk(Financing storage f, uint256 principal) private {
        if (principal == 0) return;
        if (f.status == FinancingStatus.WrittenOff) {
            _losses -= uint128(principal); // recovery of written-off principal
        } else {
            _outstanding -= uint128(principal);
            _buyerExposure[f.buyerIndex] -= principal;
        }
    }

    /// @dev Write-off and recourse both start here. Only the holder (this pool) can declare the default, so it
    ///      does when nobody has (trusted registry, no callback; before due + grace the registry reverts
    ///      ReceivableNotYetDefaultable); then what the buyer paid since the last collection is applied.
    function _defaultAndApply(uint256 id, Financing storage f) private {
        (IReceivableRegistry.Receivable memory r, , ) = _receivables.coreOf(id);
        if (r.status != IReceivableRegistry.Status.Defaulted) _receivables.markDefaulted(id);
        if (r.paidAmount > f.collected) _apply(id, f, r.paidAmount - f.collected);
    }

    /// @dev Takes exactly `amount` of the asset from `from`; a token that delivers less is refused.
    function _pullExact(address from, uint256 amount) private {
        uint256 before = _asset.balanceOf(address(this));
        _asset.safeTransferFrom(from, address(this), amount);
        uint256 received = _asset.balanceOf(address(this)) - before;
        require(received == amount, PoolTransferShortfall(amount, received));
    }

    /// @dev Pulls whatever the registry credited to the pool (buyer payments).
    function _pullProceeds() private {
        if (_receivables.claimable(address(this), address(_asset)) != 0) {
            _receivables.withdraw(address(_asset), address(this));
        }
    }

    function _quoteValidUntil(
        IReceivableRegistry.Receivable memory r,
        uint32 tenorDays
    ) private view returns (uint256 validUntil) {
        if (tenorDays == 0) return block.timestamp;
        // The tenor (rounded up to days) stays the same until due − (tenorDays − 1) days.
        validUntil = uint256(r.dueDate) - uint256(tenorDays - 1) * 1 days - 1;
        bytes32 buyerId = _receivables.participants().entityIdAt(r.buyerIndex);
        IRiskEngine.Rating memory rating = _engine.rating(buyerId);
        // A rating is stale from validUntil on (RiskMath), so the quote holds until the second before.
        if (rating.validUntil > block.timestamp && rating.validUntil - 1 < validUntil) {
            validUntil = rating.validUntil - 1;
        }
    }

    /// @dev The money terms of an assessment, the same for a quote and a financing: the advance, the fee on it
    ///      (discountBps of the advance, rounded down) and the net paid out.
    function _terms(IRiskEngine.Assessment memory a) private pure returns (Terms memory t) {
        t.grade = a.grade;
        t.advance = a.maxAdvance;
        t.fee = (t.advance * a.discountBps) / _BPS;
        t.net = t.advance - t.fee;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _u128(uint256 x) private pure returns (uint128) {
        require(x <= type(uint128).max, PoolAmountTooLarge(x, type(uint128).max));
        return uint128(x);
    }
}
