/**
 * Ready-made risk policies. A bank normally writes its own (see docs/RISK_MODEL.md);
 * these are the ones the demo, the tests and `pool:deploy` use by default.
 */
import type { RiskPolicy } from "./risk";

/** A typical bank policy for a token with `decimals` decimals: advance 90/85/75/60/0 % for grades A..E,
 * 8 % base rate, 45 % loss given default, 5 % PD when unrated, grades up to D, 180 days max tenor,
 * 1,000,000 per buyer, 10,000,000 in total, auto-approval up to 100,000, no recourse. */
export function standardPolicy(decimals: number, overrides: Partial<RiskPolicy> = {}): RiskPolicy {
  const unit = 10n ** BigInt(decimals);
  return {
    advanceRateBps: [9000n, 8500n, 7500n, 6000n, 0n],
    gradeMaxPdBps: [100n, 300n, 800n, 2000n],
    baseRateBps: 800n,
    lgdBps: 4500n,
    unratedPdBps: 500n,
    minGrade: 3n,
    maxBuyerDefaults: 0n,
    maxTenorDays: 180n,
    buyerExposureLimit: 1_000_000n * unit,
    totalExposureLimit: 10_000_000n * unit,
    autoApprovalLimit: 100_000n * unit,
    recourse: false,
    ...overrides,
  };
}

/** A RiskPolicy as ethers returns it from a contract (arrays read-only), or as the SDK builds it. */
export type PolicyLike = Omit<RiskPolicy, "advanceRateBps" | "gradeMaxPdBps"> & {
  advanceRateBps: readonly bigint[];
  gradeMaxPdBps: readonly bigint[];
};

/**
 * The policy as a plain object in the field order of IRiskEngine.RiskPolicy: what the contracts take, and
 * what a policy read from a pool becomes in the SDK.
 */
export function policyTuple(p: PolicyLike) {
  return {
    advanceRateBps: [...p.advanceRateBps] as RiskPolicy["advanceRateBps"],
    gradeMaxPdBps: [...p.gradeMaxPdBps] as RiskPolicy["gradeMaxPdBps"],
    baseRateBps: p.baseRateBps,
    lgdBps: p.lgdBps,
    unratedPdBps: p.unratedPdBps,
    minGrade: p.minGrade,
    maxBuyerDefaults: p.maxBuyerDefaults,
    maxTenorDays: p.maxTenorDays,
    buyerExposureLimit: p.buyerExposureLimit,
    totalExposureLimit: p.totalExposureLimit,
    autoApprovalLimit: p.autoApprovalLimit,
    recourse: p.recourse,
  };
}
