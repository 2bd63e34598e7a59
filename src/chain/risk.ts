/**
 * Risk on chain: a receivable's explainable assessment under a pool (its policy, exposure and quote) or under a
 * policy with no exposure. Hardhat-free: typed RiskEngine and FinancingPool contracts.
 */
import type { FinancingPool, IFinancingPool, RiskEngine } from "../../typechain-types";
import { policyTuple, type PolicyLike } from "../pure/policy";
import { BPS, assessmentFromChain, type Assessment } from "../pure/risk";

/** The assessment of receivable `id` under `pool`'s policy and exposure, with the pool's quote. */
export async function assessUnderPool(
  riskEngine: RiskEngine,
  pool: FinancingPool,
  id: bigint,
): Promise<{ assessment: Assessment; quote: IFinancingPool.QuoteStructOutput; fee: bigint }> {
  const [chainAssessment, quote] = await Promise.all([
    riskEngine.assessForPool(id, await pool.getAddress()),
    pool.quote(id),
  ]);
  return { assessment: assessmentFromChain(chainAssessment), quote, fee: quote.fee };
}

/** The assessment of receivable `id` under `policy` with no exposure, and the fee its discount gives. */
export async function assessUnderPolicy(
  riskEngine: RiskEngine,
  id: bigint,
  policy: PolicyLike,
): Promise<{ assessment: Assessment; fee: bigint }> {
  const assessment = assessmentFromChain(await riskEngine.assess(id, policyTuple(policy), 0));
  return { assessment, fee: (assessment.maxAdvance * assessment.discountBps) / BPS };
}
