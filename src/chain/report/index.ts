/**
 * Portfolio and supervision report (issue #7.5): what a bank's credit desk and a supervisor want to see across
 * the whole deployment, built from chain state alone.
 *
 * - exposure by buyer (outstanding face and acknowledged amount per currency, the buyer's payment record and
 *   rating) and by bank (each pool's liquidity, outstanding advances, fees, losses and exposure per buyer);
 * - overdue buckets (0–30, 31–60, 61–90, 90+ days past due) of unpaid acknowledged, partially paid and
 *   defaulted receivables;
 * - defaults (count, amount, recovered) and write-offs;
 * - concentration (each buyer's share of the outstanding total, a Herfindahl index, each pool's largest buyer);
 * - frozen receivables; totals.
 *
 * How it is built: the set of receivables and their history (defaults, freezes, financings, write-offs) come
 * from events (`queryFilter` from `fromBlock`, default 0); the current state of each receivable and every
 * aggregate comes from the contracts' views, all read at one block so the report is consistent. Each view is
 * O(1) on chain, so the cost is one call per receivable plus a few per pool and buyer. For very large
 * histories an indexer (a subgraph or an ETL into a database fed by the same events) would replace the event
 * scan; the report's shape would not change.
 *
 * {@link buildReport} returns a typed object with bigint amounts; {@link renderReport} turns it into tables
 * for people and {@link reportToJson} into JSON for machines (bigints as decimal strings).
 *
 * Layout: `model.ts` (types, overdue buckets), `read.ts` (chain and indexer reads → {@link ReportInputs}),
 * `build.ts` (pure: inputs → report), `render.ts` (pure: report → text or JSON); this module joins them.
 */
import { assembleReport } from "./build";
import type { PortfolioReport, ReportContracts, ReportOptions } from "./model";
import { readReportInputs } from "./read";

export * from "./model";
export * from "./read";
export * from "./build";
export * from "./render";
/**
 * Builds the portfolio and supervision report from the chain's events and views.
 *
 * @param contracts The deployment's contracts, connected to a provider (a signer is not needed).
 * @param options Block range, name lookups, concurrency and log page size.
 */
export async function buildReport(contracts: ReportContracts, options: ReportOptions = {}): Promise<PortfolioReport> {
  const inputs = await readReportInputs(contracts, options);
  const poolNames = await Promise.all(contracts.pools.map(async (p) => [await p.pool.getAddress(), p.name] as const));
  return assembleReport(inputs, { names: options.names ?? {}, poolNames });
}
