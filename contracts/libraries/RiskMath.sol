// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";

/// @title RiskMath
/// @notice The explainable scorecard behind IRiskEngine: pure integer math, documented rounding, constant work (the only loops run over the 4 or 5 grades).
///         Every quantity is in basis points (1 bp = 0.01 %) unless named otherwise. Divisions round down
///         (floor) except the tenor, which rounds up to whole days. See docs/RISK_MODEL.md for the model in
///         words and a worked example; src/risk.ts holds the same model in TypeScript.
/// @dev Monotone by construction: each factor below is non-decreasing in the bad inputs (late payments, days
///      late, defaulted amount, rejected/cancelled invoices, rating PD) and non-increasing in the good ones
///      (on-time payments, acknowledged amount, submitted invoices), and the grade bands and advance rates of
///      a valid policy are ordered. The one deliberate exception: the concentration check compares the
///      grade's own advance with the exposure headroom, so a smaller advance (worse grade) may fit where a
///      larger one does not.
library RiskMath {
    // ------------------------------------------------------------ constants

    /// @notice One in basis points.
    uint256 internal constant BPS = 10_000;
    /// @notice Day-count basis of the annual PD and the base rate.
    uint256 internal constant DAYS_PER_YEAR = 365;
    /// @notice Points added to the late-payment score per day late, averaged over settled invoices.
    uint256 internal constant LATE_DAY_WEIGHT_BPS = 100;
    /// @notice Weight of the defaulted share of acknowledged amounts in the PD multiplier.
    uint256 internal constant DEFAULT_WEIGHT = 2;
    /// @notice Seller dilution at or above which HIGH_DILUTION is flagged.
    uint256 internal constant HIGH_DILUTION_BPS = 1_000;
    /// @notice Number of grades (A..E).
    uint256 internal constant GRADE_COUNT = 5;

    // Reason codes (bit positions of Assessment.reasonCodes). "Blocking" makes the receivable ineligible.

    /// @notice Blocking: the buyer has not acknowledged the receivable (Submitted, Rejected or Cancelled).
    uint256 internal constant REASON_NOT_ACKNOWLEDGED = 1 << 0;
    /// @notice Blocking: the receivable is closed (Paid, Split or Defaulted) or nothing is outstanding.
    uint256 internal constant REASON_CLOSED = 1 << 1;
    /// @notice Blocking: a regulator froze the receivable.
    uint256 internal constant REASON_FROZEN = 1 << 2;
    /// @notice Blocking: the due date has passed.
    uint256 internal constant REASON_OVERDUE = 1 << 3;
    /// @notice Blocking: the buyer has more defaults on record than the policy tolerates.
    uint256 internal constant REASON_BUYER_DEFAULTED = 1 << 4;
    /// @notice Informative: the buyer has at least one default on record.
    uint256 internal constant REASON_DEFAULT_HISTORY = 1 << 5;
    /// @notice Informative: the buyer paid at least one invoice late.
    uint256 internal constant REASON_LATE_HISTORY = 1 << 6;
    /// @notice Informative: the seller's dilution (rejected + cancelled) / submitted is ≥ 10 %.
    uint256 internal constant REASON_HIGH_DILUTION = 1 << 7;
    /// @notice Informative: the buyer's rating has expired; the policy's unrated PD is used.
    uint256 internal constant REASON_RATING_STALE = 1 << 8;
    /// @notice Informative: the buyer has never been rated; the policy's unrated PD is used.
    uint256 internal constant REASON_UNRATED = 1 << 9;
    /// @notice Blocking: the remaining tenor exceeds the policy's maximum.
    uint256 internal constant REASON_TENOR_TOO_LONG = 1 << 10;
    /// @notice Blocking: the advance would take the financier's exposure to the buyer above the policy limit.
    uint256 internal constant REASON_CONCENTRATION_LIMIT = 1 << 11;
    /// @notice Blocking: the grade is worse than the policy's minimum grade.
    uint256 internal constant REASON_GRADE_BELOW_MIN = 1 << 12;
    /// @notice Informative: the buyer has no payment outcome on record (nothing settled, no default).
    uint256 internal constant REASON_NO_HISTORY = 1 << 13;

    /// @notice All blocking reasons.
    uint256 internal constant BLOCKING_MASK =
        REASON_NOT_ACKNOWLEDGED |
            REASON_CLOSED |
            REASON_FROZEN |
            REASON_OVERDUE |
            REASON_BUYER_DEFAULTED |
            REASON_TENOR_TOO_LONG |
            REASON_CONCENTRATION_LIMIT |
            REASON_GRADE_BELOW_MIN;

    // ---------------------------------------------------------------- types

    /// @notice Everything the scorecard reads, gathered by the engine in a constant number of calls.
    /// @param status Lifecycle status of the receivable.
    /// @param frozen Regulator freeze flag of the receivable.
    /// @param nowTimestamp The evaluation time (block.timestamp on chain).
    /// @param dueDate Maturity (Unix seconds).
    /// @param outstanding Face minus paid, in the currency's base units.
    /// @param ratingPdBps The buyer's rated annual PD (ignored unless the rating is valid).
    /// @param ratingValidUntil Rating expiry; 0 means the buyer was never rated.
    /// @param paidOnTimeCount Buyer's invoices settled on or before the due date.
    /// @param paidLateCount Buyer's invoices settled after the due date.
    /// @param totalDaysLate Sum of the days late of the buyer's late settlements.
    /// @param defaultCount Buyer's receivables declared in default.
    /// @param acknowledgedAmount Buyer's acknowledged amounts (normalised to 18 decimals).
    /// @param defaultedAmount Buyer's amounts outstanding at default (normalised to 18 decimals).
    /// @param submittedCount Seller's invoices submitted.
    /// @param rejectedCount Seller's invoices rejected by buyers.
    /// @param cancelledCount Seller's invoices cancelled before acknowledgement.
    /// @param buyerExposure The financier's outstanding advances to the buyer.
    struct Inputs {
        IReceivableRegistry.Status status;
        bool frozen;
        uint256 nowTimestamp;
        uint32 dueDate;
        uint96 outstanding;
        uint16 ratingPdBps;
        uint40 ratingValidUntil;
        uint32 paidOnTimeCount;
        uint32 paidLateCount;
        uint32 totalDaysLate;
        uint32 defaultCount;
        uint112 acknowledgedAmount;
        uint112 defaultedAmount;
        uint32 submittedCount;
        uint32 rejectedCount;
        uint32 cancelledCount;
        uint256 buyerExposure;
    }

    // ------------------------------------------------------------- scorecard

    /// @notice The full assessment of `i` under `policy`. Reverts RiskInvalidPolicy when the policy is invalid.
    function assess(
        Inputs memory i,
        IRiskEngine.RiskPolicy memory policy
    ) internal pure returns (IRiskEngine.Assessment memory a) {
        validatePolicy(policy);
        (uint256 pd, uint256 reasons) = adjustedPdBps(i, policy.unratedPdBps);
        uint256 grade = gradeOf(pd, policy.gradeMaxPdBps);
        uint256 tenor = tenorDays(i.nowTimestamp, i.dueDate);
        uint256 horizonPd = horizonPdBps(pd, tenor);
        uint256 rate = policy.advanceRateBps[grade];
        uint256 candidate = (uint256(i.outstanding) * rate) / BPS;

        reasons |= statusReasons(i);
        reasons |= policyReasons(i, policy, grade, tenor, candidate);
        bool eligible = reasons & BLOCKING_MASK == 0;

        a.grade = IRiskEngine.Grade(grade); // grade < GRADE_COUNT by gradeOf
        a.pdBps = uint16(pd); // pd ≤ BPS
        a.horizonPdBps = uint16(horizonPd); // horizonPd ≤ BPS
        a.advanceRateBps = eligible ? uint16(rate) : 0; // rate ≤ BPS by validatePolicy
        a.discountBps = uint16(discountBps(policy.baseRateBps, policy.lgdBps, tenor, horizonPd)); // ≤ BPS
        a.tenorDays = uint32(tenor); // tenor ≤ type(uint32).max / 1 days
        a.maxAdvance = eligible ? candidate : 0;
        a.reasonCodes = reasons;
        a.eligible = eligible;
    }

    /// @notice The adjusted annual PD and the rating and history reasons.
    /// @dev pd = min(BPS, floor(basePd × multiplierBps / BPS)); basePd is the rating's PD while the rating is
    ///      valid (validUntil > now), else `unratedPdBps` (flagged RATING_STALE or UNRATED).
    function adjustedPdBps(Inputs memory i, uint256 unratedPdBps) internal pure returns (uint256 pd, uint256 reasons) {
        uint256 basePd = unratedPdBps;
        if (i.ratingValidUntil == 0) {
            reasons = REASON_UNRATED;
        } else if (i.ratingValidUntil <= i.nowTimestamp) {
            reasons = REASON_RATING_STALE;
        } else {
            basePd = i.ratingPdBps;
        }
        reasons |= historyReasons(i);
        pd = _min((basePd * multiplierBps(i)) / BPS, BPS);
    }

    /// @notice The PD multiplier in bps: BPS + lateScore + 2 × defaultedShare + dilution (10 000 … 50 000).
    function multiplierBps(Inputs memory i) internal pure returns (uint256) {
        return
            BPS +
            lateScoreBps(i.paidOnTimeCount, i.paidLateCount, i.totalDaysLate) +
            DEFAULT_WEIGHT * defaultedShareBps(i.defaultedAmount, i.acknowledgedAmount) +
            dilutionBps(i.submittedCount, i.rejectedCount, i.cancelledCount);
    }

    /// @notice Late-payment score: share of settled invoices paid late plus 100 bps per day late per settled
    ///         invoice, capped at 10 000; 0 when nothing is settled.
    /// @dev min(BPS, floor((late × BPS + totalDaysLate × 100) / (onTime + late))). The cap equals the weight of
    ///      one late payment, which keeps the score non-decreasing when a late payment is added, however few
    ///      days late it was (adding x ≥ BPS to the numerator and 1 to the denominator never lowers a capped
    ///      average ≤ BPS).
    function lateScoreBps(uint256 onTime, uint256 late, uint256 totalDaysLate) internal pure returns (uint256) {
        uint256 settled = onTime + late;
        if (settled == 0) return 0;
        return _min((late * BPS + totalDaysLate * LATE_DAY_WEIGHT_BPS) / settled, BPS);
    }

    /// @notice Defaulted share of the buyer's acknowledged amounts: min(BPS, floor(defaulted × BPS /
    ///         acknowledged)); BPS when something defaulted but nothing is recorded as acknowledged.
    function defaultedShareBps(uint256 defaulted, uint256 acknowledged) internal pure returns (uint256) {
        if (defaulted == 0) return 0;
        if (acknowledged == 0) return BPS;
        return _min((defaulted * BPS) / acknowledged, BPS);
    }

    /// @notice Seller dilution: min(BPS, floor((rejected + cancelled) × BPS / submitted)); BPS when something
    ///         was rejected or cancelled but nothing is recorded as submitted.
    function dilutionBps(uint256 submitted, uint256 rejected, uint256 cancelled) internal pure returns (uint256) {
        uint256 diluted = rejected + cancelled;
        if (diluted == 0) return 0;
        if (submitted == 0) return BPS;
        return _min((diluted * BPS) / submitted, BPS);
    }

    /// @notice The first grade A..D whose upper PD bound is ≥ `pd`, else E (4).
    function gradeOf(uint256 pd, uint16[4] memory gradeMaxPdBps) internal pure returns (uint256) {
        for (uint256 g = 0; g < 4; ++g) {
            if (pd <= gradeMaxPdBps[g]) return g;
        }
        return 4;
    }

    /// @notice Remaining whole days to the due date, rounded up; 0 on or after the due date.
    function tenorDays(uint256 nowTimestamp, uint256 dueDate) internal pure returns (uint256) {
        if (dueDate <= nowTimestamp) return 0;
        return (dueDate - nowTimestamp + 1 days - 1) / 1 days;
    }

    /// @notice PD over the remaining tenor: min(BPS, floor(pd × tenorDays / 365)).
    function horizonPdBps(uint256 pd, uint256 tenor) internal pure returns (uint256) {
        return _min((pd * tenor) / DAYS_PER_YEAR, BPS);
    }

    /// @notice Fee as a share of the advance: min(BPS, floor(baseRate × tenorDays / 365) +
    ///         floor(horizonPd × lgd / BPS)).
    function discountBps(
        uint256 baseRateBps,
        uint256 lgdBps,
        uint256 tenor,
        uint256 horizonPd
    ) internal pure returns (uint256) {
        return _min((baseRateBps * tenor) / DAYS_PER_YEAR + (horizonPd * lgdBps) / BPS, BPS);
    }

    // --------------------------------------------------------------- reasons

    /// @notice Blocking reasons from the receivable itself: status, freeze, overdue.
    function statusReasons(Inputs memory i) internal pure returns (uint256 reasons) {
        IReceivableRegistry.Status s = i.status;
        if (s != IReceivableRegistry.Status.Acknowledged && s != IReceivableRegistry.Status.PartiallyPaid) {
            bool closed =
                s == IReceivableRegistry.Status.Paid ||
                    s == IReceivableRegistry.Status.Split ||
                    s == IReceivableRegistry.Status.Defaulted;
            reasons = closed ? REASON_CLOSED : REASON_NOT_ACKNOWLEDGED;
        }
        if (i.outstanding == 0) reasons |= REASON_CLOSED;
        if (i.frozen) reasons |= REASON_FROZEN;
        if (i.nowTimestamp > i.dueDate) reasons |= REASON_OVERDUE;
    }

    /// @notice Informative reasons from the buyer's record and the seller's dilution.
    function historyReasons(Inputs memory i) internal pure returns (uint256 reasons) {
        if (i.defaultCount > 0) reasons |= REASON_DEFAULT_HISTORY;
        if (i.paidLateCount > 0) reasons |= REASON_LATE_HISTORY;
        if (i.paidOnTimeCount == 0 && i.paidLateCount == 0 && i.defaultCount == 0) reasons |= REASON_NO_HISTORY;
        if (dilutionBps(i.submittedCount, i.rejectedCount, i.cancelledCount) >= HIGH_DILUTION_BPS) {
            reasons |= REASON_HIGH_DILUTION;
        }
    }

    /// @notice Blocking reasons from the policy: buyer defaults, tenor, concentration, minimum grade.
    /// @param candidateAdvance outstanding × the grade's advance rate, before eligibility.
    function policyReasons(
        Inputs memory i,
        IRiskEngine.RiskPolicy memory policy,
        uint256 grade,
        uint256 tenor,
        uint256 candidateAdvance
    ) internal pure returns (uint256 reasons) {
        if (i.defaultCount > policy.maxBuyerDefaults) reasons |= REASON_BUYER_DEFAULTED;
        if (tenor > policy.maxTenorDays) reasons |= REASON_TENOR_TOO_LONG;
        // exposure + candidate > limit, written so that a huge exposure cannot overflow.
        uint256 limit = policy.buyerExposureLimit;
        if (candidateAdvance > limit || i.buyerExposure > limit - candidateAdvance) {
            reasons |= REASON_CONCENTRATION_LIMIT;
        }
        if (grade > policy.minGrade) reasons |= REASON_GRADE_BELOW_MIN;
    }

    // ---------------------------------------------------------------- policy

    /// @notice Reverts RiskInvalidPolicy(field) naming the first invalid field of `policy`.
    function validatePolicy(IRiskEngine.RiskPolicy memory policy) internal pure {
        uint256 previousRate = BPS;
        for (uint256 g = 0; g < GRADE_COUNT; ++g) {
            uint256 rate = policy.advanceRateBps[g];
            require(rate <= previousRate, IRiskEngine.RiskInvalidPolicy("advanceRateBps"));
            previousRate = rate;
        }
        uint256 previousPd = 0;
        for (uint256 g = 0; g < 4; ++g) {
            uint256 bound = policy.gradeMaxPdBps[g];
            require(bound <= BPS && (g == 0 || bound > previousPd), IRiskEngine.RiskInvalidPolicy("gradeMaxPdBps"));
            previousPd = bound;
        }
        require(policy.baseRateBps <= BPS, IRiskEngine.RiskInvalidPolicy("baseRateBps"));
        require(policy.lgdBps <= BPS, IRiskEngine.RiskInvalidPolicy("lgdBps"));
        require(policy.unratedPdBps <= BPS, IRiskEngine.RiskInvalidPolicy("unratedPdBps"));
        require(policy.minGrade < GRADE_COUNT, IRiskEngine.RiskInvalidPolicy("minGrade"));
        require(policy.maxTenorDays > 0, IRiskEngine.RiskInvalidPolicy("maxTenorDays"));
    }

    // -------------------------------------------------------------- internal

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
