// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test, Vm} from "forge-std/Test.sol";
import {World} from "./Deployer.sol";
import {TradeFinAdapter} from "./TradeFinAdapter.sol";
import {IReceivableRegistry} from "../../contracts/interfaces/IReceivableRegistry.sol";
import {IFinancingPool} from "../../contracts/interfaces/IFinancingPool.sol";
import {FinancingPool} from "../../contracts/FinancingPool.sol";

/// @title TradeFinHandler
/// @notice The one target of the forge invariant campaign. Every function is one action of one actor —
///         supplier (submit, resubmit a used key, cancel, split, transfer, finance, recourse, reserve),
///         buyer (acknowledge, reject, pay; the supplier or an outsider paying must be refused), bank manager (deposit, approve, reject, write off, withdraw
///         liquidity), anyone (collect, expire a request, withdraw proceeds), regulator (freeze, unfreeze),
///         pauser, rating agent, and time. Inputs are seeds: most of the time they resolve to the natural
///         actor and target (the holder, a wallet of the buyer, an open receivable), otherwise to anyone.
/// @dev No action reverts: each call is a low-level call whose failure is counted, not propagated, so the
///      campaign keeps going. What must hold *at the moment of a call* (a payment never refused, only a
///      buyer wallet acknowledges, a withdrawal delivers what was credited, allowed status transitions) is
///      checked here and recorded in `violation`, which the invariant contract asserts is empty.
contract TradeFinHandler is Test {
    enum Action {
        Submit,
        SubmitDuplicate,
        Cancel,
        Acknowledge,
        Reject,
        Split,
        Transfer,
        Pay,
        Withdraw,
        MarkDefaulted,
        Finance,
        ApproveRequest,
        RejectRequest,
        ExpireRequest,
        Collect,
        WriteOff,
        ExerciseRecourse,
        WithdrawReserve,
        Deposit,
        WithdrawLiquidity,
        Freeze,
        Unfreeze,
        Pause,
        Unpause,
        SetRating,
        Warp
    }
    uint256 internal constant ACTIONS = 26; // the number of members of Action

    struct Invoice {
        address seller; // the wallet that submitted it
        bytes32 buyer;
        bytes32 numberHash;
        bytes32 key;
        uint256 firstId;
    }

    struct SplitRecord {
        uint256 parent;
        uint256 outstanding; // the parent's outstanding amount at the split
        uint256 firstChild;
        uint256 count;
    }

    uint256 internal constant UNIT = 1e6;

    World internal w;
    IFinancingPool[2] internal pools;
    address[3] internal supplierWallets;
    address[3] internal buyerWallets;

    // ---------------------------------------------------------------- ghosts
    /// @notice Everything taken by successful payments, and everything delivered by withdrawals.
    uint256 public paidIn;
    uint256 public withdrawn;
    /// @notice The first violation seen at the moment of a call ("I8: ..."), empty while none.
    string public violation;
    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    /// @notice Payments on open receivables, and how many of them were made while paused / frozen.
    uint256 public paymentsWhilePaused;
    uint256 public paymentsOnFrozen;
    /// @notice Payments by the supplier or an outsider, refused as they must be (only the buyer's wallets pay).
    uint256 public foreignPaymentsRefused;

    Invoice[] internal _invoices;
    SplitRecord[] internal _splits;
    mapping(uint256 id => IReceivableRegistry.Status status) internal _lastStatus;
    uint256 internal _observed; // ids 1.._observed have a recorded status
    uint256 internal _invoiceNonce;

    constructor(World memory world) {
        w = world;
        pools = [IFinancingPool(address(w.poolA)), IFinancingPool(address(w.poolB))];
        supplierWallets = [w.s1a, w.s1b, w.s2];
        buyerWallets = [w.b1a, w.b1b, w.b2];
        _observeAll(); // the opening's receivables
    }

    modifier act(Action a) {
        calls[uint256(a)] += 1;
        vm.recordLogs();
        _;
        _countWithdrawals();
        _observeAll();
    }

    /// @dev Proceeds leave the registry through `withdraw`, by holders and by the pools' `collect`: every
    ///      ProceedsWithdrawn event of the call is counted in `withdrawn` (I1 then checks the balance against it).
    function _countWithdrawals() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = IReceivableRegistry.ProceedsWithdrawn.selector;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(w.receivables) && logs[i].topics[0] == topic) {
                withdrawn += abi.decode(logs[i].data, (uint256));
            }
        }
    }

    // ------------------------------------------------------------ suppliers

    function submit(
        uint256 sellerSeed,
        uint256 buyerSeed,
        uint256 amount,
        uint256 tenorDays
    ) external act(Action.Submit) {
        address seller = supplierWallets[sellerSeed % 3];
        bytes32 buyer = buyerSeed % 4 == 3 ? w.buyer2 : w.buyer1;
        // Mostly invoices a pool can take without approval, sometimes above the 100,000 limit, sometimes dust.
        uint256 kind = amount % 10;
        amount =
            kind == 0
                ? _bound(amount, 1, 1_000)
                : kind == 1
                    ? _bound(amount, 120_000 * UNIT, 400_000 * UNIT)
                    : _bound(amount, 1_000 * UNIT, 100_000 * UNIT);
        tenorDays = _bound(tenorDays, 1, 200 - 10 * (tenorDays % 10)); // mostly within the pools' 180 days
        bytes32 numberHash = keccak256(abi.encode("INV", ++_invoiceNonce));
        IReceivableRegistry.InvoiceInput memory inv = _invoice(buyer, amount, tenorDays, numberHash);
        (bool ok, bytes memory ret) = _call(
            seller,
            address(w.receivables),
            abi.encodeCall(w.receivables.submit, (inv))
        );
        if (ok) {
            _success(Action.Submit);
            uint256 id = abi.decode(ret, (uint256));
            bytes32 sellerEntity = w.participants.entityOf(seller);
            bytes32 key = keccak256(abi.encode(sellerEntity, buyer, numberHash)); // the registry's invoice key
            _invoices.push(Invoice(seller, buyer, numberHash, key, id));
        }
    }

    /// @notice Submits an invoice number again from any wallet of the same seller entity: must revert (I5).
    function submitDuplicate(uint256 invoiceSeed, uint256 walletSeed) external act(Action.SubmitDuplicate) {
        if (_invoices.length == 0) return;
        Invoice memory original = _invoices[invoiceSeed % _invoices.length];
        address seller = original.seller;
        if (seller == w.s1a || seller == w.s1b) seller = walletSeed % 2 == 0 ? w.s1a : w.s1b;
        IReceivableRegistry.InvoiceInput memory inv = _invoice(original.buyer, 5_000 * UNIT, 30, original.numberHash);
        (bool ok, ) = _call(seller, address(w.receivables), abi.encodeCall(w.receivables.submit, (inv)));
        if (ok) _violate(string.concat("I5: invoice key of #", vm.toString(original.firstId), " tokenized twice"));
        else _success(Action.SubmitDuplicate); // the refusal is the success of this action
    }

    function cancel(uint256 idSeed, uint256 callerSeed) external act(Action.Cancel) {
        uint256 id = _pickId(idSeed, IReceivableRegistry.Status.Submitted);
        if (id == 0) return;
        address caller = callerSeed % 8 == 0 ? _anyone(callerSeed) : _holder(id);
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.cancel, (id)))) _success(Action.Cancel);
    }

    function split(uint256 idSeed, uint256 countSeed, uint256 cutSeed) external act(Action.Split) {
        uint256 id = _pickId(idSeed, IReceivableRegistry.Status.Acknowledged);
        if (id == 0) return;
        uint256 outstanding = w.receivables.outstandingOf(id);
        uint256 n = _bound(countSeed, 2, 4);
        if (outstanding < n) return;
        uint256[] memory amounts = new uint256[](n);
        uint256 left = outstanding;
        for (uint256 i = 0; i + 1 < n; ++i) {
            // Sometimes dust children (1 unit), otherwise a random cut of what is left.
            uint256 maxPart = left - (n - 1 - i);
            amounts[i] = cutSeed % 3 == 0 ? 1 : _bound(uint256(keccak256(abi.encode(cutSeed, i))), 1, maxPart);
            left -= amounts[i];
        }
        amounts[n - 1] = left;
        uint256 firstChild = w.lens.totalMinted() + 1;
        address caller = idSeed % 10 == 0 ? _anyone(cutSeed) : _holder(id);
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.split, (id, amounts)))) {
            _success(Action.Split);
            _splits.push(SplitRecord(id, outstanding, firstChild, n));
        }
    }

    function transfer(uint256 idSeed, uint256 toSeed) external act(Action.Transfer) {
        uint256 id = _pickOpen(idSeed);
        if (id == 0) return;
        address from = _holder(id);
        if (from == address(w.poolA) || from == address(w.poolB)) return; // a pool moves tokens only by its code
        address[6] memory recipients = [w.s1a, w.s1b, w.s2, w.managerA, address(w.poolA), w.b1a];
        address to = recipients[toSeed % recipients.length];
        bytes memory data = abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, id);
        if (_ok(from, address(w.receivables), data)) {
            _success(Action.Transfer);
            if (to == address(w.poolA)) _violate("transfer: a pull-only pool received a pushed receivable");
        }
    }

    function finance(uint256 idSeed, uint256 poolSeed, uint256 minSeed) external act(Action.Finance) {
        uint256 id = _pickId(idSeed, IReceivableRegistry.Status.Acknowledged);
        if (id == 0) return;
        IFinancingPool pool = pools[poolSeed % 2];
        address holder = _holder(id);
        uint256 minNet;
        if (minSeed % 4 == 1) {
            try pool.quote(id) returns (IFinancingPool.Quote memory q) {
                minNet = q.netAdvance;
            } catch {}
        } else if (minSeed % 4 == 2) {
            minNet = type(uint96).max; // above any advance: must revert PoolSlippage
        }
        uint256 deadline = minSeed % 7 == 0 ? block.timestamp - 1 : block.timestamp + 30 days;
        bytes memory data = TradeFinAdapter.financeCall(id, minNet, deadline);
        if (_ok(holder, address(pool), data)) _success(Action.Finance);
    }

    function exerciseRecourse(uint256 idSeed, uint256 warpSeed) external act(Action.ExerciseRecourse) {
        uint256 id = _pickFinanced(idSeed, w.poolB);
        if (id == 0) return;
        _maybeWarpPastGrace(id, warpSeed);
        address supplier = w.poolB.financing(id).supplier;
        if (supplier == address(0)) supplier = w.s1a; // an id not financed in pool B: must revert
        w.usd.mint(supplier, 500_000 * UNIT);
        vm.prank(supplier);
        w.usd.approve(address(w.poolB), type(uint256).max);
        if (_ok(supplier, address(w.poolB), abi.encodeCall(w.poolB.exerciseRecourse, (id)))) {
            _success(Action.ExerciseRecourse);
        }
    }

    function withdrawReserve(uint256 supplierSeed, uint256 poolSeed) external act(Action.WithdrawReserve) {
        IFinancingPool pool = pools[poolSeed % 2];
        address supplier = supplierWallets[supplierSeed % 3];
        // Mostly a supplier the pool owes a reserve to (the natural actor), otherwise anyone of them.
        for (uint256 k = 0; k < 3 && supplierSeed % 4 != 0; ++k) {
            address s = supplierWallets[((supplierSeed % 3) + k) % 3];
            if (pool.reserveOf(s) != 0) {
                supplier = s;
                break;
            }
        }
        if (_ok(supplier, address(pool), abi.encodeCall(pool.withdrawReserve, (supplier)))) {
            _success(Action.WithdrawReserve);
        }
    }

    // --------------------------------------------------------------- buyers

    function acknowledge(uint256 idSeed, uint256 callerSeed) external act(Action.Acknowledge) {
        uint256 id = _pickId(idSeed, IReceivableRegistry.Status.Submitted);
        if (id == 0) return;
        IReceivableRegistry.Status before = w.lens.receivable(id).status;
        bytes32 buyer = _buyerOf(id);
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : _buyerWallet(buyer, callerSeed);
        uint256 countBefore = w.lens.buyerRecord(buyer).acknowledgedCount;
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.acknowledge, (id)))) {
            _success(Action.Acknowledge);
            // I8: of a Submitted receivable, by a wallet of its buyer entity, counted exactly once.
            if (before != IReceivableRegistry.Status.Submitted) _violate("I8: acknowledged a receivable not Submitted");
            if (w.participants.entityOf(caller) != buyer) {
                _violate(string.concat("I8: #", vm.toString(id), " acknowledged by a wallet outside its buyer"));
            }
            if (w.lens.buyerRecord(buyer).acknowledgedCount != countBefore + 1) {
                _violate("I8: acknowledgement not counted exactly once");
            }
        }
    }

    function reject(uint256 idSeed, uint256 callerSeed) external act(Action.Reject) {
        uint256 id = _pickId(idSeed, IReceivableRegistry.Status.Submitted);
        if (id == 0) return;
        bytes32 buyer = _buyerOf(id);
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : _buyerWallet(buyer, callerSeed);
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.reject, (id, "disputed")))) {
            _success(Action.Reject);
        }
    }

    /// @notice A payment, mostly by a wallet of the receivable's buyer entity. I9: a positive payment by a buyer
    ///         wallet on an open receivable always succeeds, whatever pause, freeze or holder. Sometimes the supplier
    ///         or an outsider pays: only the buyer's wallets may pay (issue 12), so that call must be refused
    ///         (ReceivableNotBuyerPayer); it is counted in `foreignPaymentsRefused`, not as a success of this action.
    function pay(uint256 idSeed, uint256 amount, uint256 payerSeed) external act(Action.Pay) {
        uint256 id = _pickOpen(idSeed);
        if (id == 0) id = _bound(idSeed, 1, _max(1, w.lens.totalMinted()));
        bytes32 buyer = _buyerOf(id);
        address payer = payerSeed % 5 == 4 ? (payerSeed % 2 == 0 ? w.outsider : w.s1a) : _buyerWallet(buyer, payerSeed);
        (IReceivableRegistry.Receivable memory r, , ) = _core(id);
        uint256 outstanding = r.faceAmount - r.paidAmount;
        // Full, partial or dust.
        amount = amount % 3 == 0 ? outstanding : _bound(amount, 1, _max(1, outstanding));
        _pay(id, amount, payer, w.participants.entityOf(payer) == buyer);
    }

    function _pay(uint256 id, uint256 amount, address payer, bool buyerWallet) internal {
        (IReceivableRegistry.Receivable memory r, address holder, bool registryPaused) = _core(id);
        w.usd.mint(payer, amount);
        vm.prank(payer);
        w.usd.approve(address(w.receivables), type(uint256).max);
        uint256 claimableBefore = holder == address(0) ? 0 : w.receivables.claimable(holder, address(w.usd));
        bytes memory data = abi.encodeCall(w.receivables.pay, (id, amount));
        (bool ok, bytes memory ret) = _call(payer, address(w.receivables), data);
        if (!buyerWallet) {
            if (ok) _violate(string.concat("I9: #", vm.toString(id), " paid by a wallet outside its buyer entity"));
            else foreignPaymentsRefused += 1;
            return;
        }
        if (ok) {
            _success(Action.Pay);
            uint256 taken = abi.decode(ret, (uint256));
            paidIn += taken;
            if (registryPaused) paymentsWhilePaused += 1;
            if (r.frozen) paymentsOnFrozen += 1;
            if (!_isOpen(r.status)) _violate("I7: a payment was accepted on a receivable that is not open");
            // I11 (the part forge can see without the model): the current holder is credited what was taken.
            if (w.receivables.claimable(holder, address(w.usd)) != claimableBefore + taken) {
                _violate(string.concat("I11: payment on #", vm.toString(id), " not credited to its holder"));
            }
        } else if (_isOpen(r.status) && amount != 0) {
            _violate(_refused(id, amount, registryPaused, r.frozen));
        }
    }

    function _refused(uint256 id, uint256 amount, bool p, bool frozen) internal pure returns (string memory) {
        return
            string.concat(
                "I9: payment of ",
                vm.toString(amount),
                " on open #",
                vm.toString(id),
                " refused (paused ",
                p ? "true" : "false",
                ", frozen ",
                frozen ? "true" : "false",
                ")"
            );
    }

    // ---------------------------------------------------------------- anyone

    /// @notice A holder withdraws its proceeds; I1: exactly what was credited arrives.
    function withdraw(uint256 holderSeed) external act(Action.Withdraw) {
        // Pools withdraw through their own `collect`, never as a free actor.
        address[4] memory holders = [w.s1a, w.s1b, w.s2, w.managerA];
        address holder = holders[holderSeed % holders.length];
        address to = makeAddr("proceeds");
        uint256 credited = w.receivables.claimable(holder, address(w.usd));
        uint256 balanceBefore = w.usd.balanceOf(to);
        bytes memory data = abi.encodeCall(w.receivables.withdraw, (address(w.usd), to));
        if (_ok(holder, address(w.receivables), data)) {
            _success(Action.Withdraw);
            uint256 delivered = w.usd.balanceOf(to) - balanceBefore;
            if (delivered != credited) _violate("I1: a withdrawal delivered other than what was credited");
        }
    }

    function markDefaulted(uint256 idSeed, uint256 warpSeed) external act(Action.MarkDefaulted) {
        uint256 id = _pickOpen(idSeed);
        if (id == 0) return;
        _maybeWarpPastGrace(id, warpSeed);
        if (_ok(_holder(id), address(w.receivables), abi.encodeCall(w.receivables.markDefaulted, (id)))) {
            _success(Action.MarkDefaulted);
        }
    }

    function collect(uint256 idSeed, uint256 poolSeed) external act(Action.Collect) {
        FinancingPool pool = poolSeed % 2 == 0 ? w.poolA : w.poolB;
        uint256 id = _pickFinanced(idSeed, pool);
        if (id == 0) return;
        if (_ok(w.outsider, address(pool), abi.encodeCall(pool.collect, (id)))) _success(Action.Collect);
    }

    function expireRequest(uint256 idSeed, uint256 poolSeed, uint256 warpSeed) external act(Action.ExpireRequest) {
        FinancingPool pool = poolSeed % 2 == 0 ? w.poolA : w.poolB;
        uint256 id = _pickRequested(idSeed, pool);
        if (id == 0) return;
        if (warpSeed % 2 == 0) vm.warp(block.timestamp + 31 days);
        if (_ok(w.outsider, address(pool), abi.encodeCall(pool.expireRequest, (id)))) _success(Action.ExpireRequest);
    }

    // ------------------------------------------------------------------ banks

    function approveRequest(uint256 idSeed, uint256 poolSeed) external act(Action.ApproveRequest) {
        (FinancingPool pool, address manager) = _pool(poolSeed);
        uint256 id = _pickRequested(idSeed, pool);
        if (id == 0) return;
        if (_ok(manager, address(pool), abi.encodeCall(pool.approveRequest, (id)))) _success(Action.ApproveRequest);
    }

    function rejectRequest(uint256 idSeed, uint256 poolSeed) external act(Action.RejectRequest) {
        (FinancingPool pool, address manager) = _pool(poolSeed);
        uint256 id = _pickRequested(idSeed, pool);
        if (id == 0) return;
        if (_ok(manager, address(pool), abi.encodeCall(pool.rejectRequest, (id, "limit")))) {
            _success(Action.RejectRequest);
        }
    }

    function writeOff(uint256 idSeed, uint256 poolSeed, uint256 warpSeed) external act(Action.WriteOff) {
        (FinancingPool pool, address manager) = _pool(poolSeed);
        uint256 id = _pickFinanced(idSeed, pool);
        if (id == 0) return;
        _maybeWarpPastGrace(id, warpSeed);
        if (_ok(manager, address(pool), abi.encodeCall(pool.writeOff, (id)))) _success(Action.WriteOff);
    }

    function deposit(uint256 poolSeed, uint256 amount) external act(Action.Deposit) {
        (FinancingPool pool, address manager) = _pool(poolSeed);
        amount = _bound(amount, 1, 500_000 * UNIT);
        w.usd.mint(manager, amount);
        if (_ok(manager, address(pool), abi.encodeCall(pool.deposit, (amount)))) _success(Action.Deposit);
    }

    function withdrawLiquidity(uint256 poolSeed, uint256 amount) external act(Action.WithdrawLiquidity) {
        (FinancingPool pool, address manager) = _pool(poolSeed);
        uint256 free = pool.liquidity() - pool.committed();
        amount = _bound(amount, 1, _max(1, free / 2));
        if (_ok(manager, address(pool), abi.encodeCall(pool.withdrawLiquidity, (amount, manager)))) {
            _success(Action.WithdrawLiquidity);
        }
    }

    // ------------------------------------------------------- supervision, time

    function freeze(uint256 idSeed, uint256 callerSeed) external act(Action.Freeze) {
        uint256 id = _pickAny(idSeed);
        if (id == 0) return;
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : w.regulator;
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.freeze, (id, "inquiry")))) {
            _success(Action.Freeze);
        }
    }

    function unfreeze(uint256 idSeed, uint256 callerSeed) external act(Action.Unfreeze) {
        uint256 id = _pickFrozen(idSeed);
        if (id == 0) return;
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : w.regulator;
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.unfreeze, (id)))) {
            _success(Action.Unfreeze);
        }
    }

    function pause(uint256 callerSeed) external act(Action.Pause) {
        if (callerSeed % 3 != 0) return; // paused a third as often as unpaused: new business mostly open
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : w.pauser;
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.pause, ()))) _success(Action.Pause);
    }

    function unpause(uint256 callerSeed) external act(Action.Unpause) {
        // Only the admin (behind the governance delay) resumes new business; the guardian only pauses.
        address caller = callerSeed % 6 == 0 ? _anyone(callerSeed) : w.admin;
        if (_ok(caller, address(w.receivables), abi.encodeCall(w.receivables.unpause, ()))) _success(Action.Unpause);
    }

    function setRating(uint256 pdSeed) external act(Action.SetRating) {
        // Mostly within the pools' grades (D at worst is 20 %), sometimes grade E.
        uint16 pd = uint16(pdSeed % 5 == 0 ? _bound(pdSeed, 2_001, 2_500) : _bound(pdSeed, 20, 1_500));
        bytes memory data = abi.encodeCall(w.riskEngine.setRating, (w.buyer1, pd, uint40(block.timestamp + 365 days)));
        if (_ok(w.ratingAgent, address(w.riskEngine), data)) _success(Action.SetRating);
    }

    function warp(uint256 secondsSeed) external act(Action.Warp) {
        // Mostly days, sometimes months (defaults, write-offs, expiries).
        uint256 maxStep = secondsSeed % 8 == 0 ? 120 days : 10 days;
        vm.warp(block.timestamp + _bound(secondsSeed, 1 hours, maxStep));
        _success(Action.Warp);
    }

    // ------------------------------------------------------------------ views

    function invoiceCount() external view returns (uint256) {
        return _invoices.length;
    }

    function invoiceAt(uint256 i) external view returns (Invoice memory) {
        return _invoices[i];
    }

    function splitCount() external view returns (uint256) {
        return _splits.length;
    }

    function splitAt(uint256 i) external view returns (SplitRecord memory) {
        return _splits[i];
    }

    function actionCount() external pure returns (uint256) {
        return ACTIONS;
    }

    function actionName(uint256 a) public pure returns (string memory) {
        string[ACTIONS] memory names = [
            "submit",
            "submitDuplicate",
            "cancel",
            "acknowledge",
            "reject",
            "split",
            "transfer",
            "pay",
            "withdraw",
            "markDefaulted",
            "finance",
            "approveRequest",
            "rejectRequest",
            "expireRequest",
            "collect",
            "writeOff",
            "exerciseRecourse",
            "withdrawReserve",
            "deposit",
            "withdrawLiquidity",
            "freeze",
            "unfreeze",
            "pause",
            "unpause",
            "setRating",
            "warp"
        ];
        return names[a];
    }

    function successCount(uint256 a) external view returns (uint256) {
        return successes[a];
    }

    // --------------------------------------------------------------- internal

    /// @dev I7: every status change since the last observation is an allowed transition; mints start at
    ///      Submitted or Acknowledged.
    function _observeAll() internal {
        uint256 n = w.lens.totalMinted();
        for (uint256 id = 1; id <= n; ++id) {
            IReceivableRegistry.Status next = w.lens.receivable(id).status;
            IReceivableRegistry.Status prev = id > _observed ? IReceivableRegistry.Status.None : _lastStatus[id];
            if (prev != next && !_allowed(prev, next)) {
                _violate(
                    string.concat(
                        "I7: #",
                        vm.toString(id),
                        " went from status ",
                        vm.toString(uint256(prev)),
                        " to ",
                        vm.toString(uint256(next))
                    )
                );
            }
            _lastStatus[id] = next;
        }
        _observed = n;
    }

    function _allowed(IReceivableRegistry.Status a, IReceivableRegistry.Status b) internal pure returns (bool) {
        IReceivableRegistry.Status S = IReceivableRegistry.Status.Submitted;
        IReceivableRegistry.Status A = IReceivableRegistry.Status.Acknowledged;
        IReceivableRegistry.Status PP = IReceivableRegistry.Status.PartiallyPaid;
        IReceivableRegistry.Status P = IReceivableRegistry.Status.Paid;
        IReceivableRegistry.Status D = IReceivableRegistry.Status.Defaulted;
        if (a == IReceivableRegistry.Status.None) return b == S || b == A;
        if (a == S)
            return b == A || b == IReceivableRegistry.Status.Rejected || b == IReceivableRegistry.Status.Cancelled;
        if (a == A) return b == PP || b == P || b == D || b == IReceivableRegistry.Status.Split;
        if (a == PP) return b == P || b == D;
        if (a == D) return b == P;
        return false; // nothing leaves Rejected, Cancelled, Paid or Split
    }

    function _invoice(
        bytes32 buyer,
        uint256 amount,
        uint256 tenorDays,
        bytes32 numberHash
    ) internal view returns (IReceivableRegistry.InvoiceInput memory) {
        return
            IReceivableRegistry.InvoiceInput({
                buyerEntityId: buyer,
                currency: address(w.usd),
                amount: amount,
                issueDate: uint32(block.timestamp),
                dueDate: uint32(block.timestamp + tenorDays * 1 days),
                invoiceNumberHash: numberHash,
                docHash: keccak256(abi.encode(numberHash))
            });
    }

    function _call(address actor, address target, bytes memory data) internal returns (bool ok, bytes memory ret) {
        vm.prank(actor);
        (ok, ret) = target.call(data);
    }

    function _ok(address actor, address target, bytes memory data) internal returns (bool ok) {
        (ok, ) = _call(actor, target, data);
    }

    function _success(Action a) internal {
        successes[uint256(a)] += 1;
    }

    function _violate(string memory what) internal {
        if (bytes(violation).length == 0) violation = what;
    }

    function _core(uint256 id) internal view returns (IReceivableRegistry.Receivable memory r, address holder, bool p) {
        try w.receivables.coreOf(id) returns (IReceivableRegistry.Receivable memory r_, address h, bool p_) {
            return (r_, h, p_);
        } catch {
            p = w.receivables.paused();
        }
    }

    function _holder(uint256 id) internal view returns (address) {
        (, address holder, ) = _core(id);
        return holder;
    }

    function _buyerOf(uint256 id) internal view returns (bytes32) {
        return w.lens.receivable(id).buyerIndex == w.participants.entity(w.buyer1).index ? w.buyer1 : w.buyer2;
    }

    function _buyerWallet(bytes32 buyer, uint256 seed) internal view returns (address) {
        return buyer == w.buyer1 ? (seed % 2 == 0 ? w.b1a : w.b1b) : w.b2;
    }

    function _anyone(uint256 seed) internal view returns (address) {
        address[6] memory all = [w.outsider, w.s1a, w.s2, w.b1a, w.b2, w.managerA];
        return all[seed % all.length];
    }

    function _pool(uint256 seed) internal view returns (FinancingPool, address) {
        return seed % 2 == 0 ? (w.poolA, w.managerA) : (w.poolB, w.managerB);
    }

    function _isOpen(IReceivableRegistry.Status s) internal pure returns (bool) {
        return
            s == IReceivableRegistry.Status.Acknowledged ||
            s == IReceivableRegistry.Status.PartiallyPaid ||
            s == IReceivableRegistry.Status.Defaulted;
    }

    /// @dev Starting at a random id (half of the time one of the 8 newest, which are less often overdue), the
    ///      first one matching `pred`; 0 when none. 7 times in 8 it picks a match, otherwise any id (so that wrong
    ///      statuses are exercised too).
    function _pick(uint256 seed, function(uint256) view returns (bool) pred) internal view returns (uint256) {
        uint256 n = w.lens.totalMinted();
        if (n == 0) return 0;
        uint256 start = (seed >> 4) % 2 == 0 || n <= 8 ? seed % n : n - 8 + (seed % 8);
        if (seed % 8 == 7) return start + 1;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = ((start + k) % n) + 1;
            if (pred(id)) return id;
        }
        return 0;
    }

    IReceivableRegistry.Status private _wanted;

    function _hasWanted(uint256 id) internal view returns (bool) {
        return w.lens.receivable(id).status == _wanted;
    }

    function _pickId(uint256 seed, IReceivableRegistry.Status s) internal returns (uint256) {
        _wanted = s;
        return _pick(seed, _hasWanted);
    }

    function _isOpenId(uint256 id) internal view returns (bool) {
        return _isOpen(w.lens.receivable(id).status);
    }

    function _pickOpen(uint256 seed) internal view returns (uint256) {
        return _pick(seed, _isOpenId);
    }

    function _exists(uint256) internal pure returns (bool) {
        return true;
    }

    function _pickAny(uint256 seed) internal view returns (uint256) {
        return _pick(seed, _exists);
    }

    function _isFrozen(uint256 id) internal view returns (bool) {
        return w.lens.receivable(id).frozen;
    }

    function _pickFrozen(uint256 seed) internal view returns (uint256) {
        return _pick(seed, _isFrozen);
    }

    FinancingPool private _wantedPool;
    IFinancingPool.FinancingStatus private _wantedFinancing;

    function _inPool(uint256 id) internal view returns (bool) {
        return _wantedPool.financing(id).status == _wantedFinancing;
    }

    function _pickFinanced(uint256 seed, FinancingPool pool) internal returns (uint256) {
        (_wantedPool, _wantedFinancing) = (pool, IFinancingPool.FinancingStatus.Active);
        return _pick(seed, _inPool);
    }

    function _pickRequested(uint256 seed, FinancingPool pool) internal returns (uint256) {
        (_wantedPool, _wantedFinancing) = (pool, IFinancingPool.FinancingStatus.Requested);
        return _pick(seed, _inPool);
    }

    /// @dev A third of the time, jump to just after due + grace so that a default may be declared.
    function _maybeWarpPastGrace(uint256 id, uint256 seed) internal {
        if (seed % 3 != 0) return;
        uint256 after_ = uint256(w.lens.receivable(id).dueDate) + w.lens.gracePeriodOf(id) + 1;
        if (after_ > block.timestamp) vm.warp(after_);
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}
