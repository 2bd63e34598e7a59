/**
 * Reference model of the on-chain risk scorecard (contracts/libraries/RiskMath.sol), with the same bigint
 * arithmetic and the same rounding (floor everywhere, except the tenor, rounded up to whole days), plus the
 * reason codes and `explain()`, which turns an assessment into sentences. See docs/RISK_MODEL.md.
 */

import { BPS, DAYS_PER_YEAR, DAY_SECONDS, GRADES, Status } from "./constants";
import { formatBps } from "./money";
import { TradeFinError } from "./tradeFinError";

// Re-exported: the scorecard's callers read them from here (each is defined in ./constants).
export { BPS, DAYS_PER_YEAR, DAY_SECONDS, GRADES, Status, formatBps };
export type { GradeName, StatusValue } from "./constants";
export const LATE_DAY_WEIGHT_BPS = 100n;
export const DEFAULT_WEIGHT = 2n;
export const HIGH_DILUTION_BPS = 1_000n;
/** Lowest annual PD the scorecard uses (0.03 %): a PD of 0 never means "no risk" (RiskMath.MIN_PD_BPS). */
export const MIN_PD_BPS = 3n;
/** Longest validity a rating may have, from the time it is posted (RiskEngine.MAX_RATING_VALIDITY). */
export const MAX_RATING_VALIDITY_SECONDS = 366n * DAY_SECONDS;

/** Reason-code bits, as RiskMath.REASON_*. */
export const REASON = {
  NOT_ACKNOWLEDGED: 1n << 0n,
  CLOSED: 1n << 1n,
  FROZEN: 1n << 2n,
  OVERDUE: 1n << 3n,
  BUYER_DEFAULTED: 1n << 4n,
  DEFAULT_HISTORY: 1n << 5n,
  LATE_HISTORY: 1n << 6n,
  HIGH_DILUTION: 1n << 7n,
  RATING_STALE: 1n << 8n,
  UNRATED: 1n << 9n,
  TENOR_TOO_LONG: 1n << 10n,
  CONCENTRATION_LIMIT: 1n << 11n,
  GRADE_BELOW_MIN: 1n << 12n,
  NO_HISTORY: 1n << 13n,
} as const;
export type ReasonName = keyof typeof REASON;

/** Reasons that make a receivable ineligible, as RiskMath.BLOCKING_MASK. */
export const BLOCKING_MASK =
  REASON.NOT_ACKNOWLEDGED |
  REASON.CLOSED |
  REASON.FROZEN |
  REASON.OVERDUE |
  REASON.BUYER_DEFAULTED |
  REASON.TENOR_TOO_LONG |
  REASON.CONCENTRATION_LIMIT |
  REASON.GRADE_BELOW_MIN;

/** One sentence per reason code, in words a credit officer or an SME can read. */
export const REASON_SENTENCES: Record<ReasonName, string> = {
  NOT_ACKNOWLEDGED: "The buyer has not acknowledged this receivable (it is submitted, rejected or cancelled).",
  CLOSED: "The receivable is closed (paid, split or in default) or nothing is left outstanding.",
  FROZEN: "A regulator has frozen this receivable.",
  OVERDUE: "The due date has passed and the receivable is unpaid.",
  BUYER_DEFAULTED: "The buyer has more defaults on record than this policy tolerates.",
  DEFAULT_HISTORY: "The buyer has defaulted before; the defaulted share of its invoices raises the PD.",
  LATE_HISTORY: "The buyer has paid invoices late before; its late-payment score raises the PD.",
  HIGH_DILUTION: "The seller has a high share (10 % or more) of rejected or cancelled invoices; it raises the PD.",
  RATING_STALE: "The buyer's rating has expired, so the policy's unrated PD is used.",
  UNRATED: "The buyer has no rating, so the policy's unrated PD is used.",
  TENOR_TOO_LONG: "The time left to the due date is longer than this policy finances.",
  CONCENTRATION_LIMIT: "Financing this receivable would take the financier's exposure to the buyer above its limit.",
  GRADE_BELOW_MIN: "The grade is worse than the minimum grade this policy accepts.",
  NO_HISTORY: "The buyer has no payment history yet (nothing settled, no default).",
};

/** A bank's risk policy, as IRiskEngine.RiskPolicy (bigint for every number). */
export interface RiskPolicy {
  advanceRateBps: [bigint, bigint, bigint, bigint, bigint];
  gradeMaxPdBps: [bigint, bigint, bigint, bigint];
  baseRateBps: bigint;
  lgdBps: bigint;
  unratedPdBps: bigint;
  minGrade: bigint;
  maxBuyerDefaults: bigint;
  maxTenorDays: bigint;
  buyerExposureLimit: bigint;
  totalExposureLimit: bigint;
  autoApprovalLimit: bigint;
  recourse: boolean;
}

/** Scorecard inputs, as RiskMath.Inputs. `ratingValidUntil` 0 means never rated. */
export interface RiskInputs {
  status: number;
  frozen: boolean;
  nowTimestamp: bigint;
  dueDate: bigint;
  outstanding: bigint;
  ratingPdBps: bigint;
  ratingValidUntil: bigint;
  /** Buyer's original invoices settled on time / late (informative reasons only; the score uses amounts). */
  paidOnTimeCount: bigint;
  paidLateCount: bigint;
  /** Buyer's original invoices with a default in their family. */
  defaultCount: bigint;
  /** Buyer's payments on or before / after the due date, and Σ amount × days late (18 decimals). */
  paidOnTimeAmount: bigint;
  paidLateAmount: bigint;
  lateAmountDays: bigint;
  acknowledgedAmount: bigint;
  defaultedAmount: bigint;
  /** Seller's invoices acknowledged, rejected, cancelled, by amount (18 decimals). */
  sellerAcknowledgedAmount: bigint;
  sellerRejectedAmount: bigint;
  sellerCancelledAmount: bigint;
  buyerExposure: bigint;
}

/** The result of an assessment, as IRiskEngine.Assessment. */
export interface Assessment {
  grade: number;
  pdBps: bigint;
  horizonPdBps: bigint;
  advanceRateBps: bigint;
  discountBps: bigint;
  tenorDays: bigint;
  maxAdvance: bigint;
  reasonCodes: bigint;
  eligible: boolean;
}

/** Thrown by validatePolicy, as RiskInvalidPolicy(field). */
export class RiskPolicyError extends TradeFinError {
  override name = "RiskPolicyError";
  constructor(readonly field: string) {
    super(`invalid risk policy: ${field}`, { details: { field } });
  }
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Throws RiskPolicyError naming the first invalid field, in the same order as RiskMath.validatePolicy. */
export function validatePolicy(p: RiskPolicy): void {
  let previousRate = BPS;
  for (const rate of p.advanceRateBps) {
    if (rate > previousRate) throw new RiskPolicyError("advanceRateBps");
    previousRate = rate;
  }
  p.gradeMaxPdBps.forEach((bound, g) => {
    if (bound > BPS || (g > 0 && bound <= p.gradeMaxPdBps[g - 1])) throw new RiskPolicyError("gradeMaxPdBps");
  });
  if (p.baseRateBps > BPS) throw new RiskPolicyError("baseRateBps");
  if (p.lgdBps > BPS) throw new RiskPolicyError("lgdBps");
  if (p.unratedPdBps > BPS) throw new RiskPolicyError("unratedPdBps");
  if (p.minGrade >= 5n) throw new RiskPolicyError("minGrade");
  if (p.maxTenorDays === 0n) throw new RiskPolicyError("maxTenorDays");
}

/**
 * By amount: min(BPS, floor((late × BPS + lateAmountDays × 100) / (onTime + late))); 0 when nothing was paid.
 * Splitting an invoice changes none of the three sums.
 */
export function lateScoreBps(onTime: bigint, late: bigint, lateAmountDays: bigint): bigint {
  const paid = onTime + late;
  if (paid === 0n) return 0n;
  return min((late * BPS + lateAmountDays * LATE_DAY_WEIGHT_BPS) / paid, BPS);
}

/** min(BPS, floor(defaulted × BPS / acknowledged)); BPS when defaulted > 0 and acknowledged = 0. */
export function defaultedShareBps(defaulted: bigint, acknowledged: bigint): bigint {
  if (defaulted === 0n) return 0n;
  if (acknowledged === 0n) return BPS;
  return min((defaulted * BPS) / acknowledged, BPS);
}

/**
 * By amount, over what buyers decided and what the seller withdrew:
 * min(BPS, floor((rejected + cancelled) × BPS / (acknowledged + rejected + cancelled))); 0 when nothing was
 * rejected or cancelled. Submissions nobody decided count nowhere.
 */
export function dilutionBps(acknowledged: bigint, rejected: bigint, cancelled: bigint): bigint {
  const diluted = rejected + cancelled;
  if (diluted === 0n) return 0n;
  return min((diluted * BPS) / (diluted + acknowledged), BPS);
}

/** The seller's dilution from the inputs. */
function sellerDilution(i: RiskInputs): bigint {
  return dilutionBps(i.sellerAcknowledgedAmount, i.sellerRejectedAmount, i.sellerCancelledAmount);
}

/** BPS + lateScore + 2 × defaultedShare + dilution. */
export function multiplierBps(i: RiskInputs): bigint {
  return (
    BPS +
    lateScoreBps(i.paidOnTimeAmount, i.paidLateAmount, i.lateAmountDays) +
    DEFAULT_WEIGHT * defaultedShareBps(i.defaultedAmount, i.acknowledgedAmount) +
    sellerDilution(i)
  );
}

/** First grade A..D whose bound is ≥ pd, else E (4). */
export function gradeOf(pd: bigint, gradeMaxPdBps: readonly bigint[]): number {
  for (let g = 0; g < 4; g++) if (pd <= gradeMaxPdBps[g]) return g;
  return 4;
}

/** ceil((due − now) / 1 day), 0 on or after the due date. */
export function tenorDays(nowTimestamp: bigint, dueDate: bigint): bigint {
  if (dueDate <= nowTimestamp) return 0n;
  return (dueDate - nowTimestamp + DAY_SECONDS - 1n) / DAY_SECONDS;
}

/** min(BPS, floor(pd × tenorDays / 365)). */
export function horizonPdBps(pd: bigint, tenor: bigint): bigint {
  return min((pd * tenor) / DAYS_PER_YEAR, BPS);
}

/** min(BPS, floor(baseRate × tenorDays / 365) + floor(horizonPd × lgd / BPS)). */
export function discountBps(baseRateBps: bigint, lgdBps: bigint, tenor: bigint, horizonPd: bigint): bigint {
  return min((baseRateBps * tenor) / DAYS_PER_YEAR + (horizonPd * lgdBps) / BPS, BPS);
}

function historyReasons(i: RiskInputs): bigint {
  let r = 0n;
  if (i.defaultCount > 0n) r |= REASON.DEFAULT_HISTORY;
  if (i.paidLateAmount > 0n) r |= REASON.LATE_HISTORY;
  if (i.paidOnTimeAmount === 0n && i.paidLateAmount === 0n && i.defaultCount === 0n) r |= REASON.NO_HISTORY;
  if (sellerDilution(i) >= HIGH_DILUTION_BPS) r |= REASON.HIGH_DILUTION;
  return r;
}

/** Adjusted annual PD and the rating and history reasons. */
export function adjustedPdBps(i: RiskInputs, unratedPdBps: bigint): { pd: bigint; reasons: bigint } {
  let basePd = unratedPdBps;
  let reasons = 0n;
  if (i.ratingValidUntil === 0n) reasons = REASON.UNRATED;
  else if (i.ratingValidUntil <= i.nowTimestamp) reasons = REASON.RATING_STALE;
  else basePd = i.ratingPdBps;
  if (basePd < MIN_PD_BPS) basePd = MIN_PD_BPS;
  reasons |= historyReasons(i);
  return { pd: min((basePd * multiplierBps(i)) / BPS, BPS), reasons };
}

function statusReasons(i: RiskInputs): bigint {
  let r = 0n;
  if (i.status !== Status.Acknowledged && i.status !== Status.PartiallyPaid) {
    const closed = i.status === Status.Paid || i.status === Status.Split || i.status === Status.Defaulted;
    r = closed ? REASON.CLOSED : REASON.NOT_ACKNOWLEDGED;
  }
  if (i.outstanding === 0n) r |= REASON.CLOSED;
  if (i.frozen) r |= REASON.FROZEN;
  if (i.nowTimestamp > i.dueDate) r |= REASON.OVERDUE;
  return r;
}

/** The full assessment, field for field what RiskMath.assess returns. Throws RiskPolicyError. */
export function assess(i: RiskInputs, p: RiskPolicy): Assessment {
  validatePolicy(p);
  const { pd, reasons: pdReasons } = adjustedPdBps(i, p.unratedPdBps);
  const grade = gradeOf(pd, p.gradeMaxPdBps);
  const tenor = tenorDays(i.nowTimestamp, i.dueDate);
  const horizonPd = horizonPdBps(pd, tenor);
  const rate = p.advanceRateBps[grade];
  const candidate = (i.outstanding * rate) / BPS;

  let reasons = pdReasons | statusReasons(i);
  if (i.defaultCount > p.maxBuyerDefaults) reasons |= REASON.BUYER_DEFAULTED;
  if (tenor > p.maxTenorDays) reasons |= REASON.TENOR_TOO_LONG;
  if (i.buyerExposure + candidate > p.buyerExposureLimit) reasons |= REASON.CONCENTRATION_LIMIT;
  if (BigInt(grade) > p.minGrade) reasons |= REASON.GRADE_BELOW_MIN;
  const eligible = (reasons & BLOCKING_MASK) === 0n;

  return {
    grade,
    pdBps: pd,
    horizonPdBps: horizonPd,
    advanceRateBps: eligible ? rate : 0n,
    discountBps: discountBps(p.baseRateBps, p.lgdBps, tenor, horizonPd),
    tenorDays: tenor,
    maxAdvance: eligible ? candidate : 0n,
    reasonCodes: reasons,
    eligible,
  };
}

/** Names of the reason bits set in `codes`, in bit order. */
export function reasonNames(codes: bigint): ReasonName[] {
  return (Object.keys(REASON) as ReasonName[]).filter((n) => (codes & REASON[n]) !== 0n);
}

/** True when `name` is a blocking reason. */
export function isBlocking(name: ReasonName): boolean {
  return (REASON[name] & BLOCKING_MASK) !== 0n;
}

/**
 * The reasons behind an assessment as sentences: blocking reasons first (prefixed "Blocking:"), then the
 * informative ones, each in bit order. An assessment with no reason gets one sentence saying so.
 */
export function explain(a: Pick<Assessment, "reasonCodes">): string[] {
  const names = reasonNames(a.reasonCodes);
  const blocking = names.filter(isBlocking).map((n) => `Blocking: ${REASON_SENTENCES[n]}`);
  const informative = names.filter((n) => !isBlocking(n)).map((n) => REASON_SENTENCES[n]);
  const unknown = a.reasonCodes & ~((1n << BigInt(Object.keys(REASON).length)) - 1n);
  const extra = unknown === 0n ? [] : [`Unknown reason bits 0x${unknown.toString(16)} are set.`];
  const all = [...blocking, ...informative, ...extra];
  return all.length > 0 ? all : ["No risk flags: the buyer is rated, has a clean record, and the policy limits hold."];
}

/** A one-line summary: grade, PD, advance and discount, or the fact that it is not eligible. */
export function summarize(a: Assessment): string {
  const head = `Grade ${GRADES[a.grade]}, annual PD ${formatBps(a.pdBps)}, PD to maturity ${formatBps(a.horizonPdBps)} over ${a.tenorDays} days`;
  return a.eligible
    ? `${head}: eligible for an advance of ${formatBps(a.advanceRateBps)} (up to ${a.maxAdvance} base units) at a discount of ${formatBps(a.discountBps)}.`
    : `${head}: not eligible for financing.`;
}

/** Structural view of what ethers returns for IRiskEngine.Assessment (the grade comes back as a bigint). */
export type ChainAssessment = Omit<Assessment, "grade"> & { grade: bigint };

/** Converts an ethers-decoded assessment into the model's Assessment. */
export function assessmentFromChain(r: ChainAssessment): Assessment {
  return {
    grade: Number(r.grade),
    pdBps: r.pdBps,
    horizonPdBps: r.horizonPdBps,
    advanceRateBps: r.advanceRateBps,
    discountBps: r.discountBps,
    tenorDays: r.tenorDays,
    maxAdvance: r.maxAdvance,
    reasonCodes: r.reasonCodes,
    eligible: r.eligible,
  };
}
