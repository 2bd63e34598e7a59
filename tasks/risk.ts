/**
 * Risk tasks: a rating agent posts a buyer's PD; anyone reads the explainable assessment of a receivable.
 */
import type { IFinancingPool } from "../typechain-types";
import { chainNow, type Currency, type TradeFin } from "../src/hardhat/context";
import { DAY } from "../src/pure/constants";
import { formatTimestamp } from "../src/pure/errors";
import { canonicalEntityRef, entityId } from "../src/pure/ids";
import { formatAmount, parseAmount } from "../src/pure/money";
import { standardPolicy } from "../src/pure/policy";
import { BPS, GRADES, explain, formatBps, reasonNames, type Assessment } from "../src/pure/risk";
import { assessUnderPolicy, assessUnderPool } from "../src/chain/risk";
import {
  TaskInputError,
  parseId,
  parsePositiveInt,
  reportTransaction,
  required,
  tradefinTask,
  type Session,
} from "./lib/cli";
import { readPolicyFile } from "./lib/policy";

interface RateArgs {
  buyer?: string;
  pd?: string;
  validDays?: string;
}

tradefinTask<RateArgs>(
  "risk:rate",
  "Post a buyer's annual probability of default (RATING_AGENT_ROLE)",
  (t) =>
    t
      .addOptionalParam("buyer", 'Buyer "SCHEME:IDENTIFIER"')
      .addOptionalParam("pd", "Annual probability of default in percent, e.g. 1.25 (= 125 bps)")
      .addOptionalParam("validDays", "Days the rating stays valid", "90"),
  async (args, s) => {
    const ref = canonicalEntityRef(required(args.buyer, "buyer"));
    let pdBps: bigint;
    try {
      pdBps = parseAmount(required(args.pd, "pd").replace(/\s*%$/, ""), 2);
    } catch (err) {
      throw new TaskInputError(`--pd: ${(err as Error).message}`);
    }
    if (pdBps > BPS) throw new TaskInputError(`--pd ${args.pd} is above 100 %`);
    const tf = await s.tradefin();
    const validUntil = (await chainNow(s.hre)) + parsePositiveInt(args.validDays, "valid-days", 90) * DAY;
    return reportTransaction(
      s,
      tf.riskEngine.setRating(entityId(ref), pdBps, validUntil),
      `Rated ${ref}: annual PD ${formatBps(pdBps)}, valid until ${formatTimestamp(validUntil)}`,
      { buyer: ref, entityId: entityId(ref), pdBps, validUntil },
    );
  },
);

/** The explainable report of one assessment, for humans and for --json. */
export function assessmentReport(a: Assessment, c: Currency, fee: bigint) {
  const fmt = (v: bigint) => formatAmount(v, c.decimals, { symbol: c.symbol });
  const names = reasonNames(a.reasonCodes);
  return {
    grade: GRADES[a.grade],
    eligible: a.eligible,
    pdBps: a.pdBps,
    pd: formatBps(a.pdBps),
    horizonPdBps: a.horizonPdBps,
    horizonPd: formatBps(a.horizonPdBps),
    tenorDays: a.tenorDays,
    advanceRateBps: a.advanceRateBps,
    advanceRate: formatBps(a.advanceRateBps),
    maxAdvance: fmt(a.maxAdvance),
    maxAdvanceUnits: a.maxAdvance,
    discountBps: a.discountBps,
    discount: formatBps(a.discountBps),
    fee: fmt(fee),
    feeUnits: fee,
    reasonCodes: a.reasonCodes,
    reasons: names,
    explanation: explain(a),
    summary: summaryLine(a, fmt),
  };
}

/**
 * The one-line summary in currency units and the financing vocabulary (src/pure/risk.ts `summarize` states the
 * cap in base units).
 */
function summaryLine(a: Assessment, fmt: (v: bigint) => string): string {
  const head =
    `Grade ${GRADES[a.grade]}, annual PD ${formatBps(a.pdBps)}, ` +
    `PD to maturity ${formatBps(a.horizonPdBps)} over ${a.tenorDays} days`;
  return a.eligible
    ? `${head}: eligible for a gross advance of ${formatBps(a.advanceRateBps)} of the outstanding amount ` +
        `(up to ${fmt(a.maxAdvance)}) at a discount of ${formatBps(a.discountBps)}.`
    : `${head}: not eligible for financing.`;
}

/** Prints a report. */
export function printReport(
  s: Session,
  title: string,
  r: ReturnType<typeof assessmentReport>,
  extra: [string, string][] = [],
) {
  s.say(title);
  s.say(`  Grade            ${r.grade}${r.eligible ? "" : "  (NOT ELIGIBLE)"}`);
  s.say(`  Annual PD        ${r.pd}`);
  s.say(`  PD to maturity   ${r.horizonPd} over ${r.tenorDays} days`);
  s.say(`  Advance rate     ${r.advanceRate}`);
  s.say(`  Gross advance    ${r.maxAdvance} (at most)`);
  s.say(`  Fee              ${r.fee} (discount ${r.discount} of the gross advance)`);
  for (const [k, v] of extra) s.say(`  ${k.padEnd(16)} ${v}`);
  s.say("Reasons:");
  for (const line of r.explanation) s.say(`  - ${line}`);
  s.say(r.summary);
}

/** A pool's quote in display units. */
export function quoteReport(q: IFinancingPool.QuoteStructOutput, c: Currency) {
  const fmt = (v: bigint) => formatAmount(v, c.decimals, { symbol: c.symbol });
  return {
    advance: fmt(q.advance),
    fee: fmt(q.fee),
    netAdvance: fmt(q.netAdvance),
    reserve: fmt(q.reserve),
    advanceUnits: q.advance,
    feeUnits: q.fee,
    netAdvanceUnits: q.netAdvance,
    reserveUnits: q.reserve,
    needsApproval: q.needsApproval,
    validUntil: formatTimestamp(q.validUntil),
  };
}

/** Assesses under a pool (policy, exposure and quote) or under a policy with no exposure. */
export async function assessReceivable(tf: TradeFin, id: bigint, pool?: string, policyFile?: string) {
  const c = await tf.currencyOf(id);
  if (pool) {
    const p = await tf.pool(pool);
    const { assessment: a, quote: q, fee } = await assessUnderPool(tf.riskEngine, p.contract, id);
    return { c, a, fee, quote: quoteReport(q, c), policyName: `pool ${p.bank}` };
  }
  const policy = policyFile ? readPolicyFile(policyFile, c.decimals) : standardPolicy(c.decimals);
  const { assessment: a, fee } = await assessUnderPolicy(tf.riskEngine, id, policy);
  return { c, a, fee, quote: undefined, policyName: policyFile ? `policy ${policyFile}` : "the standard policy" };
}

interface AssessArgs {
  id?: string;
  pool?: string;
  policy?: string;
}

tradefinTask<AssessArgs>(
  "risk:assess",
  "Print the explainable risk report of a receivable: grade, PD, gross advance, fee and every reason in words",
  (t) =>
    t
      .addOptionalParam("id", "Receivable id")
      .addOptionalParam("pool", "Assess under this pool's policy and exposure (bank name)")
      .addOptionalParam("policy", "Assess under a policy JSON file (default: the standard policy, no exposure)"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const { c, a, fee, quote, policyName } = await assessReceivable(tf, id, args.pool, args.policy);
    const report = assessmentReport(a, c, fee);
    const extra: [string, string][] = quote
      ? [
          ["Net paid out", quote.netAdvance],
          ["Reserve", quote.reserve],
          ["Needs approval", quote.needsApproval ? "yes (beyond the auto-approval limit or supplier cap)" : "no"],
        ]
      : [];
    printReport(s, `Risk assessment of receivable #${id} under ${policyName}`, report, extra);
    return { ok: true, id, policy: policyName, ...report, ...(quote ? { quote } : {}) };
  },
);
