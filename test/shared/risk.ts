import { ethers } from "hardhat";
import fc from "fast-check";
import { onboardedFixture, ENTITIES, DAY } from "./fixtures";
import type { MockPolicySource, MockReceivableSource, RiskEngine, RiskMathHarness } from "../../typechain-types";
import { REASON, Status, type RiskInputs, type RiskPolicy } from "../../src/pure/risk";
import { standardPolicy } from "../../src/pure/policy";

export const UINT32_MAX = 2n ** 32n - 1n;
export const UINT96_MAX = 2n ** 96n - 1n;
export const UINT112_MAX = 2n ** 112n - 1n;
export const UINT128_MAX = 2n ** 128n - 1n;
export const UINT144_MAX = 2n ** 144n - 1n;
/** A fixed evaluation time for pure tests (2024-01-01T00:00:00Z). */
export const NOW = 1_704_067_200n;

/** A typical bank policy for a 6-decimal token: src/pure/policy.ts's standard policy (90/85/75/60/0 % advance by
 * grade, 8 % base rate, 45 % LGD), so the tests and the demo use one definition. */
export function defaultPolicy(overrides: Partial<RiskPolicy> = {}): RiskPolicy {
  return standardPolicy(6, overrides);
}

/** A clean acknowledged receivable of 100 000 USD (6 decimals) due in 90 days from a rated buyer. */
export function defaultInputs(overrides: Partial<RiskInputs> = {}): RiskInputs {
  return {
    status: Status.Acknowledged,
    frozen: false,
    nowTimestamp: NOW,
    dueDate: NOW + 90n * BigInt(DAY),
    outstanding: 100_000n * 10n ** 6n,
    ratingPdBps: 150n,
    ratingValidUntil: NOW + 365n * BigInt(DAY),
    paidOnTimeCount: 0n,
    paidLateCount: 0n,
    defaultCount: 0n,
    paidOnTimeAmount: 0n,
    paidLateAmount: 0n,
    lateAmountDays: 0n,
    acknowledgedAmount: 0n,
    defaultedAmount: 0n,
    sellerAcknowledgedAmount: 0n,
    sellerRejectedAmount: 0n,
    sellerCancelledAmount: 0n,
    buyerExposure: 0n,
    ...overrides,
  };
}

export async function harnessFixture() {
  const harness = (await (await ethers.getContractFactory("RiskMathHarness")).deploy()) as unknown as RiskMathHarness;
  return { harness };
}

/** The participant registry with actors onboarded, a mock receivable source, the engine and a mock pool. */
export async function engineFixture() {
  const f = await onboardedFixture();
  const source = (await (
    await ethers.getContractFactory("MockReceivableSource")
  ).deploy(await f.participants.getAddress())) as unknown as MockReceivableSource;
  const engine = (await (
    await ethers.getContractFactory("RiskEngine")
  ).deploy(await source.getAddress())) as unknown as RiskEngine;
  const pool = (await (await ethers.getContractFactory("MockPolicySource")).deploy()) as unknown as MockPolicySource;
  const buyerIndex = (await f.participants.entity(ENTITIES.buyer)).index;
  const sellerIndex = (await f.participants.entity(ENTITIES.supplier)).index;
  return { ...f, source, engine, pool, buyerIndex, sellerIndex };
}

// ------------------------------------------------------------ arbitraries

const big = (lo: bigint, hi: bigint) => fc.bigInt({ min: lo, max: hi });
/** Mostly small values, sometimes anything up to `max`. */
const count = (max: bigint) => fc.oneof({ weight: 4, arbitrary: big(0n, 60n) }, { weight: 1, arbitrary: big(0n, max) });
/** Amounts normalised to 18 decimals: often zero, mostly invoice-sized, sometimes anything up to `max`. */
const amount = (max: bigint) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(0n) },
    { weight: 4, arbitrary: big(0n, 10n ** 24n) },
    { weight: 1, arbitrary: big(0n, max) },
  );

/** A valid random policy. */
export const validPolicyArb: fc.Arbitrary<RiskPolicy> = fc
  .record({
    rates: fc.array(big(0n, 10_000n), { minLength: 5, maxLength: 5 }),
    bounds: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 }),
    baseRateBps: big(0n, 10_000n),
    lgdBps: big(0n, 10_000n),
    unratedPdBps: big(0n, 10_000n),
    minGrade: big(0n, 4n),
    maxBuyerDefaults: big(0n, 255n),
    maxTenorDays: fc.oneof(big(1n, 400n), big(1n, UINT32_MAX)),
    buyerExposureLimit: fc.oneof(big(0n, 10n ** 12n), big(0n, UINT128_MAX)),
    totalExposureLimit: big(0n, UINT128_MAX),
    autoApprovalLimit: big(0n, UINT128_MAX),
    recourse: fc.boolean(),
  })
  .map(({ rates, bounds, ...rest }) => ({
    ...rest,
    advanceRateBps: [...rates].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)) as RiskPolicy["advanceRateBps"],
    gradeMaxPdBps: [...bounds].sort((a, b) => a - b).map(BigInt) as RiskPolicy["gradeMaxPdBps"],
  }));

/** The policy fields validatePolicy checks, each named by RiskInvalidPolicy when invalid. */
export const POLICY_FIELDS = [
  "advanceRateBps",
  "gradeMaxPdBps",
  "baseRateBps",
  "lgdBps",
  "unratedPdBps",
  "minGrade",
  "maxTenorDays",
] as const;

/**
 * The assessment of docs/RISK_MODEL.md's worked example (a 100,000 USD invoice due in 90 days, the buyer rated
 * 1.50 % with some late history), with `defaultPolicy()` and a 6-decimal currency.
 */
export const WORKED_EXAMPLE_ASSESSMENT = {
  grade: 1,
  pdBps: 178n,
  horizonPdBps: 43n,
  advanceRateBps: 8500n,
  discountBps: 216n,
  tenorDays: 90n,
  maxAdvance: 85_000n * 10n ** 6n,
  reasonCodes: REASON.LATE_HISTORY,
  eligible: true,
};

/** A random policy that is valid about half of the time. */
export const anyPolicyArb: fc.Arbitrary<RiskPolicy> = fc
  .tuple(validPolicyArb, fc.constantFrom("none", ...POLICY_FIELDS), big(10_001n, 65_535n))
  .map(([p, field, bad]) => breakPolicy(p, field, bad));

/** Makes `field` of a valid policy invalid (or returns it unchanged for "none"). */
export function breakPolicy(p: RiskPolicy, field: string, bad = 10_001n): RiskPolicy {
  const q: RiskPolicy = { ...p, advanceRateBps: [...p.advanceRateBps], gradeMaxPdBps: [...p.gradeMaxPdBps] };
  switch (field) {
    case "advanceRateBps":
      q.advanceRateBps[4] = q.advanceRateBps[3] + 1n; // E above D
      break;
    case "gradeMaxPdBps":
      q.gradeMaxPdBps[3] = bad; // above 10 000
      break;
    case "baseRateBps":
      q.baseRateBps = bad;
      break;
    case "lgdBps":
      q.lgdBps = bad;
      break;
    case "unratedPdBps":
      q.unratedPdBps = bad;
      break;
    case "minGrade":
      q.minGrade = 5n + (bad % 251n);
      break;
    case "maxTenorDays":
      q.maxTenorDays = 0n;
      break;
  }
  return q;
}

/** Random scorecard inputs around NOW: any status, record, rating state, tenor and exposure. */
export const inputsArb: fc.Arbitrary<RiskInputs> = fc.record({
  status: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(Status.Acknowledged, Status.PartiallyPaid) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) },
  ),
  frozen: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  nowTimestamp: fc.constant(NOW),
  dueDate: fc.oneof(
    { weight: 4, arbitrary: big(NOW, NOW + 400n * 86_400n) },
    { weight: 1, arbitrary: big(0n, UINT32_MAX) },
  ),
  outstanding: fc.oneof(big(0n, 10n ** 12n), big(0n, UINT96_MAX)),
  ratingPdBps: big(0n, 10_000n),
  ratingValidUntil: fc.oneof(fc.constant(0n), big(1n, NOW), big(NOW + 1n, NOW + 1000n * 86_400n)),
  paidOnTimeCount: count(UINT32_MAX),
  paidLateCount: count(UINT32_MAX),
  defaultCount: fc.oneof({ weight: 4, arbitrary: big(0n, 3n) }, { weight: 1, arbitrary: big(0n, UINT32_MAX) }),
  paidOnTimeAmount: amount(UINT112_MAX),
  paidLateAmount: amount(UINT112_MAX),
  lateAmountDays: fc.oneof(fc.constant(0n), big(0n, 10n ** 26n), big(0n, UINT144_MAX)),
  acknowledgedAmount: fc.oneof(big(0n, 10n ** 24n), big(0n, UINT112_MAX)),
  defaultedAmount: fc.oneof(fc.constant(0n), big(0n, 10n ** 23n), big(0n, UINT112_MAX)),
  sellerAcknowledgedAmount: amount(UINT112_MAX),
  sellerRejectedAmount: amount(UINT112_MAX),
  sellerCancelledAmount: amount(UINT112_MAX),
  buyerExposure: fc.oneof(fc.constant(0n), big(0n, 10n ** 12n), big(0n, 2n ** 256n - 1n)),
});

/** Headroom left below each type's maximum so that the monotonicity perturbations still fit the ABI types. */
const HEADROOM_COUNT = 2n ** 31n;
const HEADROOM_AMOUNT = 2n ** 111n;
const HEADROOM_LATE_DAYS = 2n ** 143n;

/**
 * Inputs for monotonicity properties: a consistent record (days late only with late payments), a valid rating
 * or none, a due date not yet passed, and headroom in every field, so that "worse" is well defined.
 */
export const monotoneBaseArb: fc.Arbitrary<RiskInputs> = inputsArb.map((i) => ({
  ...i,
  dueDate: NOW + (i.dueDate % (400n * 86_400n)),
  ratingValidUntil: i.ratingValidUntil <= NOW && i.ratingValidUntil !== 0n ? NOW + 86_400n : i.ratingValidUntil,
  paidOnTimeCount: i.paidOnTimeCount % HEADROOM_COUNT,
  paidLateCount: i.paidLateCount % HEADROOM_COUNT,
  defaultCount: i.defaultCount % HEADROOM_COUNT,
  paidOnTimeAmount: i.paidOnTimeAmount % HEADROOM_AMOUNT,
  paidLateAmount: i.paidLateAmount % HEADROOM_AMOUNT,
  lateAmountDays: i.paidLateAmount === 0n ? 0n : i.lateAmountDays % HEADROOM_LATE_DAYS,
  defaultedAmount: i.defaultedAmount % HEADROOM_AMOUNT,
  sellerAcknowledgedAmount: i.sellerAcknowledgedAmount % HEADROOM_AMOUNT,
  sellerRejectedAmount: i.sellerRejectedAmount % HEADROOM_AMOUNT,
  sellerCancelledAmount: i.sellerCancelledAmount % HEADROOM_AMOUNT,
}));
