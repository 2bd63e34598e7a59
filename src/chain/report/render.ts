/**
 * The report's rendering: tables for people ({@link renderReport}) and JSON for machines
 * ({@link reportToJson}). Pure: a report in, a string out.
 */
import Table from "cli-table3";
import { formatTimestamp } from "../../pure/errors";
import { formatAmount, formatBps } from "../../pure/money";
import { shortHex, type Amounts, type CurrencyInfo, type PortfolioReport } from "./model";

// ------------------------------------------------------------------ rendering

/** The report as JSON: bigints as decimal strings, everything else as is. */
export function reportToJson(report: PortfolioReport, space = 2): string {
  return JSON.stringify(report, (_key, value) => (typeof value === "bigint" ? value.toString() : value), space);
}

/** Options of {@link renderReport}. */
export interface RenderOptions {
  /** Also list every receivable (default false: a long table on a real chain). */
  receivables?: boolean;
}

/** A cli-table3 table without colours, so the output is the same on a terminal, in a file and in CI. */
function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

/** Formats amounts per currency, e.g. "1,250.00 tUSD". */
export function formatAmounts(amounts: Amounts, currencies: readonly CurrencyInfo[]): string {
  const parts = Object.entries(amounts)
    .filter(([, v]) => v !== 0n)
    .map(([c, v]) => money(v, c, currencies));
  if (parts.length > 0) return parts.join("; ");
  // Nothing: still say in which currency, "0.00 tUSD" (or "0" when the report knows no currency).
  return currencies.length > 0 ? currencies.map((c) => money(0n, c.address, currencies)).join("; ") : "0";
}

function money(amount: bigint, currency: string, currencies: readonly CurrencyInfo[]): string {
  const info = currencies.find((c) => c.address.toLowerCase() === currency.toLowerCase());
  return info ? formatAmount(amount, info.decimals, { symbol: info.symbol }) : `${amount} (${shortHex(currency)})`;
}

const date = (seconds: number) => (seconds === 0 ? "–" : formatTimestamp(seconds, true));

function section(title: string, body: string): string {
  return `\n${title}\n${body}`;
}

function renderTotals(r: PortfolioReport): string {
  const t = table([
    "Currency",
    "Receivables",
    "Open",
    "Outstanding",
    "Overdue",
    "In default",
    "Net paid out, unrecovered",
  ]);
  for (const x of r.totals) {
    const m = (v: bigint) => money(v, x.currency, r.currencies);
    t.push([
      r.currencies.find((c) => c.address === x.currency)?.symbol ?? x.currency,
      x.receivables,
      x.open,
      m(x.outstanding),
      m(x.overdue),
      m(x.defaulted),
      m(x.poolAdvances),
    ]);
  }
  const statuses = Object.entries(r.statusCounts)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  return section("Totals", `${t.toString()}\nBy status: ${statuses || "none"}`);
}

function renderBuyers(r: PortfolioReport): string {
  const t = table([
    "Buyer",
    "Open",
    "Acknowledged",
    "Outstanding",
    "Overdue",
    "Net paid out, unrecovered",
    "Share",
    "Rating",
    "Record",
  ]);
  for (const b of r.byBuyer) {
    const m = (v: bigint) => money(v, b.currency, r.currencies);
    const rating = !b.rating
      ? "–"
      : b.rating.validUntil === 0
        ? "unrated"
        : `PD ${formatBps(b.rating.pdBps)}${b.rating.valid ? "" : " (expired)"}`;
    const rec = b.record;
    t.push([
      b.buyer,
      b.openCount,
      m(b.acknowledgedAmount),
      m(b.outstanding),
      m(b.overdue),
      m(b.financed),
      formatBps(b.shareBps),
      rating,
      `${rec.paidOnTimeCount} on time, ${rec.paidLateCount} late (${rec.totalDaysLate} d), ${rec.defaultCount} default(s)`,
    ]);
  }
  return section("Exposure by buyer", t.toString());
}

function renderBanks(r: PortfolioReport): string {
  const t = table([
    "Pool",
    "Liquidity",
    "Net paid out, unrecovered",
    "Fees earned",
    "Losses",
    "Financed",
    "Largest buyer",
  ]);
  const e = table(["Pool", "Buyer", "Exposure", "Share of pool"]);
  for (const p of r.byBank) {
    const m = (v: bigint) => money(v, p.currency, r.currencies);
    const statuses = Object.entries(p.byStatus)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ");
    t.push([
      p.name,
      m(p.liquidity),
      m(p.outstandingAdvances),
      m(p.feesEarned),
      m(p.losses),
      `${p.financedCount}${statuses ? ` (${statuses})` : ""}`,
      p.largestBuyer ? `${p.largestBuyer.buyer} ${formatBps(p.largestBuyer.shareBps)}` : "–",
    ]);
    for (const x of p.exposures) e.push([p.name, x.buyer, m(x.exposure), formatBps(x.shareBps)]);
  }
  const exposures = e.length > 0 ? `\n${e.toString()}` : "\nNothing paid out is unrecovered.";
  return section("Exposure by bank", t.toString() + exposures);
}

function renderOverdue(r: PortfolioReport): string {
  const t = table(["Days past due", "Count", "Amount outstanding"]);
  for (const b of r.overdue) t.push([b.label, b.count, formatAmounts(b.amount, r.currencies)]);
  return section("Overdue (unpaid acknowledged, partially paid and defaulted receivables)", t.toString());
}

function renderDefaults(r: PortfolioReport): string {
  const d = r.defaults;
  const t = table(["Receivable", "Buyer", "Declared", "By", "Amount", "Recovered", "Written off"]);
  for (const x of d.items) {
    const m = (v: bigint) => money(v, x.currency, r.currencies);
    t.push([
      `#${x.id}`,
      x.buyer,
      date(x.declaredAt),
      x.declaredBy,
      m(x.amount),
      m(x.recovered),
      x.writtenOff ? `${m(x.writtenOff.loss)} by ${x.writtenOff.pool}` : "–",
    ]);
  }
  const summary =
    `${d.count} default(s), ${formatAmounts(d.amount, r.currencies)} in default, ` +
    `${formatAmounts(d.recovered, r.currencies)} recovered; pool losses ${formatAmounts(d.poolLosses, r.currencies)}`;
  return section("Defaults", (d.items.length > 0 ? `${t.toString()}\n` : "") + summary);
}

function renderConcentration(r: PortfolioReport): string {
  const c = r.concentration;
  const t = table(["Buyer", "Outstanding", "Share of total"]);
  for (const x of c.buyers) t.push([x.buyer, money(x.outstanding, x.currency, r.currencies), formatBps(x.shareBps)]);
  const hhi = Object.entries(c.hhiBps)
    .map(([cur, v]) => `${r.currencies.find((x) => x.address === cur)?.symbol ?? cur} ${formatBps(v)}`)
    .join(", ");
  const pools = c.pools
    .map((p) => `${p.pool}: ${p.buyer ? `${p.buyer} ${formatBps(p.shareBps)}` : "nothing outstanding"}`)
    .join("; ");
  return section(
    "Concentration",
    `${t.toString()}\nHerfindahl index: ${hhi || "–"} (100 % = a single buyer)\nLargest buyer per pool: ${pools || "–"}`,
  );
}

function renderFrozen(r: PortfolioReport): string {
  if (r.frozen.length === 0) return section("Frozen receivables", "None.");
  const t = table(["Receivable", "Buyer", "Holder", "Outstanding", "Status", "Frozen on", "By", "Reason"]);
  for (const f of r.frozen) {
    t.push([
      `#${f.id}`,
      f.buyer,
      f.holderName,
      money(f.outstanding, f.currency, r.currencies),
      f.status,
      date(f.frozenAt),
      f.by,
      f.reason,
    ]);
  }
  return section("Frozen receivables", t.toString());
}

function renderReceivables(r: PortfolioReport): string {
  const t = table(["#", "Parent", "Seller", "Buyer", "Holder", "Face", "Paid", "Status", "Due", "Past due", "Pool"]);
  for (const l of r.receivables) {
    const m = (v: bigint) => money(v, l.currency, r.currencies);
    t.push([
      `${l.id}`,
      l.parentId === 0n ? "" : `#${l.parentId}`,
      l.seller,
      l.buyer,
      l.holderName,
      m(l.face),
      m(l.paid),
      `${l.status}${l.frozen ? " (frozen)" : ""}`,
      date(l.dueDate),
      l.daysPastDue > 0 ? `${l.daysPastDue} d` : "",
      l.financedBy ? `${l.financedBy} (${l.financingStatus})` : "",
    ]);
  }
  return section("Receivables", t.toString());
}

/** The report as tables for people. */
export function renderReport(report: PortfolioReport, options: RenderOptions = {}): string {
  const head =
    `TradeFin portfolio and supervision report — chain ${report.chainId}, block ${report.block} ` +
    `(${formatTimestamp(report.timestamp)}), events from block ${report.fromBlock}`;
  const parts = [
    head,
    renderTotals(report),
    renderBuyers(report),
    renderBanks(report),
    renderOverdue(report),
    renderDefaults(report),
    renderConcentration(report),
    renderFrozen(report),
  ];
  if (options.receivables) parts.push(renderReceivables(report));
  return parts.join("\n");
}
