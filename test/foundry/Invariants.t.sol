// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console2} from "forge-std/console2.sol";
import {TradeFinDeployer} from "./Deployer.sol";
import {TradeFinHandler} from "./Handler.sol";
import {IReceivableRegistry} from "../../contracts/interfaces/IReceivableRegistry.sol";
import {IFinancingPool} from "../../contracts/interfaces/IFinancingPool.sol";
import {FinancingPool} from "../../contracts/FinancingPool.sol";

/// @title TradeFinInvariantsTest
/// @notice docs/INVARIANTS.md I1–I10 (and the part of I11 that needs no model), checked by forge after every
///         call of TradeFinHandler. Call counts: foundry.toml (CI profile: 32 runs × 100 calls; `deep`:
///         500 × 200 = 100,000 calls per invariant).
contract TradeFinInvariantsTest is TradeFinDeployer {
    TradeFinHandler internal handler;

    function setUp() public {
        _deployWorld();
        handler = new TradeFinHandler(w);
        vm.label(address(handler), "handler");
        targetContract(address(handler));
    }

    // -------------------------------------------------------------- I1, I2

    /// @notice I1 Conservation: the registry's balance is what was paid in less what was withdrawn; Σ claimable
    ///         + withdrawn = paid in; Σ paidAmount over every receivable but Split ones = paid in (a Split root's
    ///         paidAmount, read through the lens, carries its family's payments, already counted on the children);
    ///         nothing is paid above its face.
    function invariant_I1_conservation() public view {
        uint256 paidIn = handler.paidIn();
        uint256 withdrawn = handler.withdrawn();
        assertEq(
            w.usd.balanceOf(address(w.receivables)),
            paidIn - withdrawn,
            "I1: registry balance vs paid - withdrawn"
        );
        assertEq(_sumClaimable() + withdrawn, paidIn, "I1: sum of claimable + withdrawn vs paid in");
        uint256 sumPaid;
        uint256 n = w.lens.totalMinted();
        for (uint256 id = 1; id <= n; ++id) {
            IReceivableRegistry.Receivable memory r = w.lens.receivable(id);
            assertLe(r.paidAmount, r.faceAmount, string.concat("I1: #", vm.toString(id), " paid above its face"));
            if (r.status != IReceivableRegistry.Status.Split) sumPaid += r.paidAmount;
        }
        assertEq(sumPaid, paidIn, "I1: sum of paidAmount vs paid in");
    }

    /// @notice I2 Solvency: the registry holds what it owes; each pool holds its liquidity plus the reserves it
    ///         owes, and never commits more than its liquidity.
    function invariant_I2_solvency() public view {
        assertGe(w.usd.balanceOf(address(w.receivables)), _sumClaimable(), "I2: registry balance vs sum of claimable");
        _checkPoolSolvency(w.poolA, "pool A");
        _checkPoolSolvency(w.poolB, "pool B");
    }

    /// @notice I3 Pool accounting identity: liquidity + outstandingAdvances = deposits − withdrawals + fees − losses.
    function invariant_I3_poolIdentity() public view {
        _checkIdentity(w.poolA, "pool A");
        _checkIdentity(w.poolB, "pool B");
    }

    /// @notice I4 Split conservation: the children of a split add up to the parent's face (only an unpaid
    ///         receivable can be split, so that is also its outstanding amount at the split, recorded by the handler).
    function invariant_I4_splitConservation() public view {
        uint256 n = handler.splitCount();
        for (uint256 i = 0; i < n; ++i) {
            TradeFinHandler.SplitRecord memory s = handler.splitAt(i);
            uint256 sum;
            for (uint256 c = 0; c < s.count; ++c) {
                uint256 child = s.firstChild + c;
                assertEq(w.lens.parentOf(child), s.parent, "I4: child's parent");
                sum += w.lens.receivable(child).faceAmount;
            }
            assertEq(
                sum,
                w.lens.receivable(s.parent).faceAmount,
                string.concat("I4: sum of children of #", vm.toString(s.parent), " vs its face")
            );
            assertEq(
                sum,
                s.outstanding,
                string.concat("I4: sum of children of #", vm.toString(s.parent), " vs its outstanding at the split")
            );
        }
    }

    /// @notice I5 A key is tokenized at most once, forever: receivableOfKey is the first receivable minted for
    ///         it (also after reject and cancel); a resubmission from any wallet of the seller reverts (handler).
    function invariant_I5_keyOnce() public view {
        uint256 n = handler.invoiceCount();
        for (uint256 i = 0; i < n; ++i) {
            TradeFinHandler.Invoice memory inv = handler.invoiceAt(i);
            assertEq(w.lens.receivableOfKey(inv.key), inv.firstId, "I5: receivableOfKey vs first mint");
        }
        _noViolation("I5");
    }

    /// @notice I6 Financed at most once at a time: Active in at most one pool, and that pool holds the token.
    function invariant_I6_financedOnce() public view {
        uint256 n = w.lens.totalMinted();
        for (uint256 id = 1; id <= n; ++id) {
            bool a = w.poolA.financing(id).status == IFinancingPool.FinancingStatus.Active;
            bool b = w.poolB.financing(id).status == IFinancingPool.FinancingStatus.Active;
            assertFalse(a && b, string.concat("I6: #", vm.toString(id), " Active in both pools"));
            if (a) assertEq(w.receivables.ownerOf(id), address(w.poolA), "I6: pool A has it Active but not the token");
            if (b) assertEq(w.receivables.ownerOf(id), address(w.poolB), "I6: pool B has it Active but not the token");
        }
    }

    /// @notice I7 Only allowed status transitions (observed by the handler after every call).
    function invariant_I7_transitions() public view {
        _noViolation("I7");
    }

    /// @notice I8 Only the named buyer acknowledges, and only once (checked by the handler at the call).
    function invariant_I8_onlyBuyerAcknowledges() public view {
        _noViolation("I8");
    }

    /// @notice I9 Payment is never blocked (checked by the handler at the call).
    function invariant_I9_paymentNeverBlocked() public view {
        _noViolation("I9");
    }

    /// @notice I10 Buyer record: acknowledgedAmount − paidOnTimeAmount − paidLateAmount − recoveredAmount = Σ (face −
    ///         paid) over the buyer's open receivables, in 18 decimals (the record keeps no outstanding amount).
    function invariant_I10_buyerRecord() public view {
        _checkBuyer(w.buyer1, "B1");
        _checkBuyer(w.buyer2, "B2");
    }

    /// @notice I11, the part that needs no model: a payment credits the current holder with what was taken, a
    ///         withdrawal delivers what was credited. The full I11 (every step equals the model) is the fast-check
    ///         suite's (test/invariants).
    function invariant_I11_creditsWhereTheModelSays() public view {
        _noViolation("I1");
        _noViolation("I11");
        _noViolation("transfer");
    }

    /// @notice Prints what the campaign did, per action (forge shows it with -vv).
    function afterInvariant() public view {
        uint256 n = handler.actionCount();
        for (uint256 a = 0; a < n; ++a) {
            console2.log(handler.actionName(a), handler.calls(a), handler.successes(a));
        }
        console2.log("payments by the supplier or an outsider, refused", handler.foreignPaymentsRefused());
    }

    // ------------------------------------------------------------- helpers

    function _sumClaimable() internal view returns (uint256 sum) {
        address[9] memory holders = [
            w.s1a,
            w.s1b,
            w.s2,
            w.managerA,
            w.managerB,
            address(w.poolA),
            address(w.poolB),
            w.b1a,
            w.outsider
        ];
        for (uint256 i = 0; i < holders.length; ++i) sum += w.receivables.claimable(holders[i], address(w.usd));
    }

    function _checkPoolSolvency(FinancingPool pool, string memory name) internal view {
        uint256 reserves =
            pool.reserveOf(w.s1a) + pool.reserveOf(w.s1b) + pool.reserveOf(w.s2) + pool.reserveOf(w.managerA);
        assertGe(
            w.usd.balanceOf(address(pool)),
            pool.liquidity() + reserves,
            string.concat("I2: ", name, " balance vs liquidity + reserves owed")
        );
        assertLe(pool.committed(), pool.liquidity(), string.concat("I2: ", name, " committed vs liquidity"));
    }

    function _checkIdentity(FinancingPool pool, string memory name) internal view {
        assertEq(
            pool.liquidity() + pool.outstandingAdvances() + pool.totalWithdrawals() + pool.losses(),
            pool.totalDeposits() + pool.feesEarned(),
            string.concat("I3: ", name, ": liquidity + outstanding + withdrawals + losses vs deposits + fees")
        );
    }

    function _checkBuyer(bytes32 buyer, string memory name) internal view {
        uint32 index = w.participants.entity(buyer).index;
        uint256 sum;
        uint256 n = w.lens.totalMinted();
        for (uint256 id = 1; id <= n; ++id) {
            IReceivableRegistry.Receivable memory r = w.lens.receivable(id);
            if (r.buyerIndex != index) continue;
            if (
                r.status == IReceivableRegistry.Status.Acknowledged ||
                r.status == IReceivableRegistry.Status.PartiallyPaid ||
                r.status == IReceivableRegistry.Status.Defaulted
            ) sum += uint256(r.faceAmount - r.paidAmount) * 10 ** (18 - r.decimals);
        }
        IReceivableRegistry.BuyerRecord memory b = w.lens.buyerRecord(buyer);
        uint256 outstanding = uint256(b.acknowledgedAmount) - b.paidOnTimeAmount - b.paidLateAmount - b.recoveredAmount;
        assertEq(
            outstanding,
            sum,
            string.concat(
                "I10: ",
                name,
                " acknowledged - paid on time - paid late - recovered vs sum over its open receivables"
            )
        );
    }

    /// @dev Fails with the handler's recorded violation when it is about invariant `tag`.
    function _noViolation(string memory tag) internal view {
        string memory v = handler.violation();
        if (bytes(v).length == 0) return;
        bytes memory t = bytes(tag);
        bytes memory b = bytes(v);
        for (uint256 i = 0; i < t.length; ++i) if (i >= b.length || b[i] != t[i]) return;
        if (b.length > t.length && b[t.length] != ":") return;
        assertEq(v, "", "handler recorded a violation");
    }
}

/// @title HandlerCoverageTest
/// @notice The campaign is only as good as its handler: this drives it with 2,000 pseudo-random calls and fails
///         unless every action succeeded at least once (a handler that always reverts would keep every
///         invariant trivially) and a payment by a wallet outside the buyer was tried (and refused).
contract HandlerCoverageTest is TradeFinDeployer {
    /// @dev Like the CI campaign: 32 sequences of 100 calls from the same opening (an EVM snapshot), counting
    ///      successes across them.
    function test_everyHandlerActionSucceedsSometimes() public {
        _deployWorld();
        TradeFinHandler h = new TradeFinHandler(w);
        uint256 actions = h.actionCount();
        uint256[] memory total = new uint256[](actions);
        uint256[] memory tried = new uint256[](actions);
        uint256 seed = 20261202;
        uint256 foreignRefused;
        for (uint256 run = 0; run < 32; ++run) {
            uint256 snapshot = vm.snapshotState();
            for (uint256 i = 0; i < 100; ++i) {
                seed = uint256(keccak256(abi.encode(seed, i)));
                _drive(h, seed % actions, seed >> 8, seed >> 80, seed >> 160);
            }
            assertEq(h.violation(), "", "no invariant violated while driving the handler");
            for (uint256 a = 0; a < actions; ++a)
                (total[a], tried[a]) = (total[a] + h.successes(a), tried[a] + h.calls(a));
            foreignRefused += h.foreignPaymentsRefused();
            vm.revertToState(snapshot);
        }
        for (uint256 a = 0; a < actions; ++a) {
            console2.log(h.actionName(a), tried[a], total[a]);
            assertGt(total[a], 0, string.concat("handler action never succeeded: ", h.actionName(a)));
        }
        console2.log("payments by the supplier or an outsider, refused", foreignRefused);
        assertGt(foreignRefused, 0, "a payment by a wallet outside the buyer was never tried");
    }

    function _drive(TradeFinHandler h, uint256 a, uint256 x, uint256 y, uint256 z) internal {
        if (a == 0) h.submit(x, y, z, x >> 3);
        else if (a == 1) h.submitDuplicate(x, y);
        else if (a == 2) h.cancel(x, y);
        else if (a == 3) h.acknowledge(x, y);
        else if (a == 4) h.reject(x, y);
        else if (a == 5) h.split(x, y, z);
        else if (a == 6) h.transfer(x, y);
        else if (a == 7) h.pay(x, y, z);
        else if (a == 8) h.withdraw(x);
        else if (a == 9) h.markDefaulted(x, y);
        else if (a == 10) h.finance(x, y, z);
        else if (a == 11) h.approveRequest(x, y);
        else if (a == 12) h.rejectRequest(x, y);
        else if (a == 13) h.expireRequest(x, y, z);
        else if (a == 14) h.collect(x, y);
        else if (a == 15) h.writeOff(x, y, z);
        else if (a == 16) h.exerciseRecourse(x, y);
        else if (a == 17) h.withdrawReserve(x, y);
        else if (a == 18) h.deposit(x, y);
        else if (a == 19) h.withdrawLiquidity(x, y);
        else if (a == 20) h.freeze(x, y);
        else if (a == 21) h.unfreeze(x, y);
        else if (a == 22) h.pause(x);
        else if (a == 23) h.unpause(x);
        else if (a == 24) h.setRating(x);
        else h.warp(x);
    }
}
