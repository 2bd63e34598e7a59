// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {IReceivableRegistry} from "../interfaces/IReceivableRegistry.sol";

/// @title RiskMath
/// @notice The explainable scorecard behind IRiskEngine: pure integer math, documented rounding, constant work (no loops).
///         Every quantity is in basis points (1 bp = 0.01 %) unless named otherwise. Divisions round down
///         (floor) except the tenor, which rounds up to whole days. See docs/RISK_MODEL.md for the model in
///         words and a worked example; src/pure/risk.ts holds the same model in TypeScript.
/// @dev Monotone by construction: each factor below is non-decreasing in the bad inputs (late payments, days
///      late, defaulted amount, rejected/cancelled invoices, rating PD) and non-increasing in the good ones
///      (amounts paid on time, acknowledged amounts, the seller's acknowledged amounts), and the grade bands and advance rates of
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
    /// @notice Lowest annual PD the scorecard uses (0.03 %, the Basel floor for corporate exposures): a PD of 0
    ///         never means "no risk". Ratings below it are refused; an unrated PD below it is raised to it.
    uint256 internal constant MIN_PD_BPS = 3;

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
    /// @notice Informative: the seller's dilution (rejected + cancelled) / (acknowledged + rejected + cancelled),
    ///         by amount, is ≥ 10 %.
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
    /// @param record The receivable's status, freeze, due date and outstanding amount, the buyer's payment
    ///        record and the seller's submission record, as IReceivableRegistry.riskDataOf returns them.
    /// @param nowTimestamp The evaluation time (block.timestamp on chain).
    /// @param ratingPdBps The buyer's rated annual PD (ignored unless the rating is valid).
    /// @param ratingValidUntil Rating expiry; 0 means the buyer was never rated.
    /// @param buyerExposure The financier's outstanding advances to the buyer.
    struct Inputs {
        IReceivableRegistry.RiskData record;
        uint256 nowTimestamp;
        uint16 ratingPdBps;
        uint40 ratingValidUntil;
        uint256 buyerExposure;
    }

    // ------------------------------------------------------------- scorecard

    /// @notice Writes the full assessment of `i` under `policy` into `a`. Reverts RiskInvalidPolicy when the
    ///         policy is invalid.
    /// @dev `a` is the caller's (the engine's return value): an internal function returning a memory struct
    ///      would first allocate and zero one of its own. Reads each policy field from calldata at most once
    ///      (a read costs about 165 gas) and checks it where it is read, in validatePolicy's order; nothing
    ///      computed before the last check can revert, so an invalid policy reverts naming the same first
    ///      invalid field as validatePolicy.
    function assess(
        Inputs memory i,
        IRiskEngine.RiskPolicy calldata policy,
        IRiskEngine.Assessment memory a
    ) internal pure {
        uint256 unratedPd = policy.unratedPdBps;
        (uint256 pd, uint256 reasons) = adjustedPdBps(i, unratedPd);
        (uint256 grade, uint256 rate) = _checkedGrade(policy, pd);
        (uint256 baseRate, uint256 lgd) = _checkedRates(policy, unratedPd);
        uint256 tenor = tenorDays(i.nowTimestamp, i.record.dueDate);
        reasons |= _checkedLimitReasons(policy, grade, tenor) | statusReasons(i);
        // The policy is valid from here on.
        uint256 candidate;
        // outstanding < 2^96 and rate ≤ BPS (checked): the product fits easily.
        unchecked {
            candidate = (uint256(i.record.outstanding) * rate) / BPS;
        }
        reasons |= policyReasons(i, policy, candidate);
        bool eligible = reasons & BLOCKING_MASK == 0;
        uint256 horizonPd = horizonPdBps(pd, tenor);

        a.grade = IRiskEngine.Grade(grade); // grade < GRADE_COUNT by _checkedGrade
        a.pdBps = uint16(pd); // pd ≤ BPS
        a.horizonPdBps = uint16(horizonPd); // horizonPd ≤ BPS
        a.advanceRateBps = eligible ? uint16(rate) : 0; // rate ≤ BPS (checked)
        a.discountBps = uint16(discountBps(baseRate, lgd, tenor, horizonPd)); // discountBps ≤ BPS
        a.tenorDays = uint32(tenor); // tenor ≤ type(uint32).max / 1 days + 1 (uint32 due date)
        a.maxAdvance = eligible ? candidate : 0;
        a.reasonCodes = reasons;
        a.eligible = eligible;
    }

    /// @notice The adjusted annual PD and the rating and history reasons.
    /// @dev pd = min(BPS, floor(basePd × multiplierBps / BPS)); basePd is the rating's PD while the rating is
    ///      valid (validUntil > now), else `unratedPdBps` (flagged RATING_STALE or UNRATED).
    function adjustedPdBps(Inputs memory i, uint256 unratedPdBps) internal pure returns (uint256 pd, uint256 reasons) {
        uint256 basePd = unratedPdBps;
        uint256 validUntil = i.ratingValidUntil;
        if (validUntil == 0) {
            reasons = REASON_UNRATED;
        } else if (validUntil <= i.nowTimestamp) {
            reasons = REASON_RATING_STALE;
        } else {
            basePd = i.ratingPdBps;
        }
        if (basePd < MIN_PD_BPS) basePd = MIN_PD_BPS;
        uint256 dilution = _dilution(i);
        reasons |= historyReasons(i, dilution);
        // basePd < 2^16 (uint16 rating or unrated PD) and the multiplier ≤ 5 × BPS: the product is below 2^32.
        unchecked {
            pd = (basePd * _multiplierBps(i, dilution)) / BPS;
            if (pd > BPS) pd = BPS;
        }
    }

    /// @notice The PD multiplier in bps: BPS + lateScore + 2 × defaultedShare + dilution (10 000 … 50 000).
    function multiplierBps(Inputs memory i) internal pure returns (uint256) {
        return _multiplierBps(i, _dilution(i));
    }

    /// @notice Late-payment score, by amount: the share of the buyer's payments made after the due date plus
    ///         100 bps per day late, weighted by amount, capped at 10 000; 0 when nothing was paid.
    /// @dev min(BPS, floor((late × BPS + lateAmountDays × 100) / (onTime + late))). Splitting an invoice changes
    ///      none of the three sums. The cap equals the weight of a unit paid late, which keeps the score
    ///      non-decreasing when a late payment is added, however few days late (each unit adds ≥ BPS to the
    ///      numerator and 1 to the denominator, which never lowers a capped average ≤ BPS).
    function lateScoreBps(uint112 onTime, uint112 late, uint144 lateAmountDays) internal pure returns (uint256) {
        // Amounts < 2^112 and lateAmountDays < 2^144: the products stay far below 2^256.
        unchecked {
            uint256 paid = uint256(onTime) + late;
            if (paid == 0) return 0;
            uint256 score = (uint256(late) * BPS + uint256(lateAmountDays) * LATE_DAY_WEIGHT_BPS) / paid;
            return score < BPS ? score : BPS;
        }
    }

    /// @notice Defaulted share of the buyer's acknowledged amounts: min(BPS, floor(defaulted × BPS /
    ///         acknowledged)); BPS when something defaulted but nothing is recorded as acknowledged.
    function defaultedShareBps(uint112 defaulted, uint112 acknowledged) internal pure returns (uint256) {
        if (defaulted == 0) return 0;
        if (acknowledged == 0) return BPS;
        // defaulted < 2^112: defaulted × BPS < 2^126.
        unchecked {
            uint256 share = (uint256(defaulted) * BPS) / acknowledged;
            return share < BPS ? share : BPS;
        }
    }

    /// @notice Seller dilution, by amount, over what buyers decided and what the seller withdrew:
    ///         min(BPS, floor((rejected + cancelled) × BPS / (acknowledged + rejected + cancelled))); 0 when
    ///         nothing was rejected or cancelled. Invoices nobody decided count nowhere, and a cancellation can
    ///         only raise it: (d + x) / (t + x) ≥ d / t.
    function dilutionBps(uint112 acknowledged, uint112 rejected, uint112 cancelled) internal pure returns (uint256) {
        // Amounts < 2^112: the sums and the product with BPS stay far below 2^256.
        unchecked {
            uint256 diluted = uint256(rejected) + cancelled;
            if (diluted == 0) return 0;
            uint256 dilution = (diluted * BPS) / (diluted + acknowledged);
            return dilution < BPS ? dilution : BPS;
        }
    }

    /// @notice Remaining whole days to the due date, rounded up; 0 on or after the due date.
    /// @dev ceil(x / 1 days) written as (x − 1) / 1 days + 1 for x ≥ 1, which cannot overflow.
    function tenorDays(uint256 nowTimestamp, uint256 dueDate) internal pure returns (uint256) {
        if (dueDate <= nowTimestamp) return 0;
        // dueDate > nowTimestamp, so dueDate − nowTimestamp − 1 ≥ 0, and the quotient + 1 < 2^256.
        unchecked {
            return (dueDate - nowTimestamp - 1) / 1 days + 1;
        }
    }

    /// @notice PD over the remaining tenor: min(BPS, floor(pd × tenorDays / 365)).
    /// @dev Takes pd ≤ BPS and tenor < 2^32 (a uint32 due date), as assess passes them.
    function horizonPdBps(uint256 pd, uint256 tenor) internal pure returns (uint256) {
        // pd ≤ BPS and tenor < 2^32: the product is below 2^46.
        unchecked {
            uint256 horizonPd = (pd * tenor) / DAYS_PER_YEAR;
            return horizonPd < BPS ? horizonPd : BPS;
        }
    }

    /// @notice Fee as a share of the advance: min(BPS, floor(baseRate × tenorDays / 365) +
    ///         floor(horizonPd × lgd / BPS)).
    /// @dev Takes rates ≤ BPS (a valid policy) and tenor < 2^32, as assess passes them.
    function discountBps(
        uint256 baseRateBps,
        uint256 lgdBps,
        uint256 tenor,
        uint256 horizonPd
    ) internal pure returns (uint256) {
        // Every factor is ≤ BPS except tenor < 2^32: products and sum stay below 2^64.
        unchecked {
            uint256 discount = (baseRateBps * tenor) / DAYS_PER_YEAR + (horizonPd * lgdBps) / BPS;
            return discount < BPS ? discount : BPS;
        }
    }

    // --------------------------------------------------------------- reasons

    /// @notice Blocking reasons from the receivable itself: status, freeze, overdue.
    function statusReasons(Inputs memory i) internal pure returns (uint256 reasons) {
        IReceivableRegistry.RiskData memory r = i.record;
        IReceivableRegistry.Status s = r.status;
        if (s != IReceivableRegistry.Status.Acknowledged && s != IReceivableRegistry.Status.PartiallyPaid) {
            bool closed =
                s == IReceivableRegistry.Status.Paid ||
                    s == IReceivableRegistry.Status.Split ||
                    s == IReceivableRegistry.Status.Defaulted;
            reasons = closed ? REASON_CLOSED : REASON_NOT_ACKNOWLEDGED;
        }
        if (r.outstanding == 0) reasons |= REASON_CLOSED;
        if (r.frozen) reasons |= REASON_FROZEN;
        if (i.nowTimestamp > r.dueDate) reasons |= REASON_OVERDUE;
    }

    /// @notice Informative reasons from the buyer's record and the seller's dilution (as dilutionBps).
    function historyReasons(Inputs memory i, uint256 dilution) internal pure returns (uint256 reasons) {
        IReceivableRegistry.RiskData memory r = i.record;
        uint256 defaults = r.defaultCount;
        uint256 late = r.paidLateAmount;
        if (defaults > 0) reasons |= REASON_DEFAULT_HISTORY;
        if (late > 0) reasons |= REASON_LATE_HISTORY;
        if (r.paidOnTimeAmount == 0 && late == 0 && defaults == 0) reasons |= REASON_NO_HISTORY;
        if (dilution >= HIGH_DILUTION_BPS) reasons |= REASON_HIGH_DILUTION;
    }

    /// @notice Blocking reasons from the policy's buyer limits: buyer defaults and concentration (the tenor and
    ///         minimum grade are checked with those fields, see assess).
    /// @param candidateAdvance outstanding × the grade's advance rate, before eligibility.
    function policyReasons(
        Inputs memory i,
        IRiskEngine.RiskPolicy calldata policy,
        uint256 candidateAdvance
    ) internal pure returns (uint256 reasons) {
        // A buyer without defaults is within any tolerance: the policy field is read only when it matters.
        uint256 defaults = i.record.defaultCount;
        if (defaults != 0 && defaults > policy.maxBuyerDefaults) reasons |= REASON_BUYER_DEFAULTED;
        // exposure + candidate > limit, written so that a huge exposure cannot overflow.
        uint256 limit = policy.buyerExposureLimit;
        if (candidateAdvance > limit || i.buyerExposure > limit - candidateAdvance) {
            reasons |= REASON_CONCENTRATION_LIMIT;
        }
    }

    // ---------------------------------------------------------------- policy

    /// @notice Reverts RiskInvalidPolicy(field) naming the first invalid field of `policy`.
    /// @dev Advance rates: each ≤ BPS and non-increasing, i.e. BPS ≥ A ≥ B ≥ C ≥ D ≥ E. Grade bounds: each
    ///      ≤ BPS and strictly increasing, i.e. A < B < C < D ≤ BPS. Then base rate, LGD and unrated PD ≤ BPS,
    ///      minimum grade < GRADE_COUNT and maximum tenor > 0. Each field is read from calldata once.
    function validatePolicy(IRiskEngine.RiskPolicy calldata policy) internal pure {
        _checkedGrade(policy, 0);
        _checkedRates(policy, policy.unratedPdBps);
        _checkedLimitReasons(policy, 0, 0);
    }

    /// @dev The first two checks of validatePolicy (advance rates, grade bounds); returns the grade of `pd`
    ///      (the first of A..D whose bound is ≥ pd, else E) and the grade's advance rate. Each array is copied
    ///      to memory whole (one CALLDATACOPY), cheaper than reading its elements from calldata one by one.
    function _checkedGrade(
        IRiskEngine.RiskPolicy calldata policy,
        uint256 pd
    ) private pure returns (uint256 grade, uint256 rate) {
        uint16[5] memory rates = policy.advanceRateBps;
        uint256 r0 = rates[0];
        uint256 r1 = rates[1];
        uint256 r2 = rates[2];
        uint256 r3 = rates[3];
        uint256 r4 = rates[4];
        require(
            r0 <= BPS && r1 <= r0 && r2 <= r1 && r3 <= r2 && r4 <= r3,
            IRiskEngine.RiskInvalidPolicy("advanceRateBps")
        );
        uint16[4] memory bounds = policy.gradeMaxPdBps;
        uint256 b0 = bounds[0];
        uint256 b1 = bounds[1];
        uint256 b2 = bounds[2];
        uint256 b3 = bounds[3];
        require(b0 < b1 && b1 < b2 && b2 < b3 && b3 <= BPS, IRiskEngine.RiskInvalidPolicy("gradeMaxPdBps"));
        if (pd <= b0) return (0, r0);
        if (pd <= b1) return (1, r1);
        if (pd <= b2) return (2, r2);
        if (pd <= b3) return (3, r3);
        return (4, r4);
    }

    /// @dev The next three checks of validatePolicy, `unratedPd` being the policy's unrated PD already read;
    ///      returns the base rate and the LGD, each ≤ BPS.
    function _checkedRates(
        IRiskEngine.RiskPolicy calldata policy,
        uint256 unratedPd
    ) private pure returns (uint256 baseRate, uint256 lgd) {
        baseRate = policy.baseRateBps;
        require(baseRate <= BPS, IRiskEngine.RiskInvalidPolicy("baseRateBps"));
        lgd = policy.lgdBps;
        require(lgd <= BPS, IRiskEngine.RiskInvalidPolicy("lgdBps"));
        require(unratedPd <= BPS, IRiskEngine.RiskInvalidPolicy("unratedPdBps"));
    }

    /// @dev The last two checks of validatePolicy (minimum grade, maximum tenor); returns the blocking
    ///      reasons they give for `grade` and `tenor`: GRADE_BELOW_MIN and TENOR_TOO_LONG.
    function _checkedLimitReasons(
        IRiskEngine.RiskPolicy calldata policy,
        uint256 grade,
        uint256 tenor
    ) private pure returns (uint256 reasons) {
        uint256 minGrade = policy.minGrade;
        require(minGrade < GRADE_COUNT, IRiskEngine.RiskInvalidPolicy("minGrade"));
        uint256 maxTenor = policy.maxTenorDays;
        require(maxTenor > 0, IRiskEngine.RiskInvalidPolicy("maxTenorDays"));
        if (tenor > maxTenor) reasons |= REASON_TENOR_TOO_LONG;
        if (grade > minGrade) reasons |= REASON_GRADE_BELOW_MIN;
    }

    // -------------------------------------------------------------- internal

    /// @dev The seller's dilution from the record.
    function _dilution(Inputs memory i) private pure returns (uint256) {
        IReceivableRegistry.RiskData memory r = i.record;
        return dilutionBps(r.sellerAcknowledgedAmount, r.sellerRejectedAmount, r.sellerCancelledAmount);
    }

    /// @dev multiplierBps with the dilution already computed.
    function _multiplierBps(Inputs memory i, uint256 dilution) private pure returns (uint256) {
        IReceivableRegistry.RiskData memory r = i.record;
        // Each term is capped at BPS (the default share counts twice): the sum is at most 5 × BPS.
        unchecked {
            return
                BPS +
                lateScoreBps(r.paidOnTimeAmount, r.paidLateAmount, r.lateAmountDays) +
                DEFAULT_WEIGHT * defaultedShareBps(r.defaultedAmount, r.acknowledgedAmount) +
                dilution;
        }
    }
}
