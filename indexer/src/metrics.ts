/**
 * Portfolio metrics shared by the daily snapshots and the live API: outstanding, overdue buckets, defaults,
 * exposure per buyer and per bank, the top-10 buyers' share and the Herfindahl index. Pure functions over
 * table rows. Status numbers follow `IReceivableRegistry.Status`.
 */
export const STATUS = [
  "None",
  "Submitted",
  "Acknowledged",
  "Rejected",
  "Cancelled",
  "PartiallyPaid",
  "Paid",
  "Defaulted",
  "Split",
] as const;
export const FINANCING_STATUS = [
  "None",
  "Requested",
  "Active",
  "Repaid",
  "WrittenOff",
  "BoughtBack",
  "Rejected",
] as const;
const OPEN = new Set([2, 5, 7]);
const DEFAULTED = 7;
const DAY = 86_400;
export const BUCKETS = ["not yet due", "1–30 days", "31–60 days", "61–90 days", "90+ days"] as const;

export interface ReceivableRow {
  id: bigint;
  buyerEntityId: string;
  currency: string;
  face: bigint;
  paid: bigint;
  status: number;
  dueDate: number;
}
export interface ExposureRow {
  pool: string;
  buyerEntityId: string;
  exposure: bigint;
}

export const isOpen = (status: number) => OPEN.has(status);
/** Whole days past due, rounded up (0 when not due). */
export const daysPastDue = (dueDate: number, now: number) => (now > dueDate ? Math.ceil((now - dueDate) / DAY) : 0);
export function bucketIndex(days: number): number {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  return 4;
}

type Amounts = Record<string, string>;
const addTo = (m: Record<string, bigint>, k: string, v: bigint) => (m[k] = (m[k] ?? 0n) + v);
const str = (m: Record<string, bigint>): Amounts =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.toString()]));

export function computeSnapshot(receivables: readonly ReceivableRow[], exposures: readonly ExposureRow[], now: number) {
  const outstanding: Record<string, bigint> = {};
  const defaulted: Record<string, bigint> = {};
  const buckets: Record<string, bigint>[] = BUCKETS.map(() => ({}));
  const byBuyer: Record<string, Record<string, bigint>> = {};
  let defaultsCount = 0;
  for (const r of receivables) {
    if (!isOpen(r.status)) continue;
    const o = r.face - r.paid;
    addTo(outstanding, r.currency, o);
    addTo(buckets[bucketIndex(daysPastDue(r.dueDate, now))], r.currency, o);
    addTo((byBuyer[r.buyerEntityId] ??= {}), r.currency, o);
    if (r.status === DEFAULTED) {
      defaultsCount += 1;
      addTo(defaulted, r.currency, o);
    }
  }
  const byBank: Record<string, Record<string, bigint>> = {};
  for (const e of exposures) if (e.exposure > 0n) addTo((byBank[e.pool] ??= {}), e.buyerEntityId, e.exposure);
  const { top10ShareBps, hhiBps } = concentration(
    Object.values(byBuyer).map((m) => Object.values(m).reduce((a, b) => a + b, 0n)),
  );
  return {
    receivables: receivables.length,
    outstanding: str(outstanding),
    overdue: buckets.map(str),
    defaultsCount,
    defaulted: str(defaulted),
    exposureByBuyer: Object.fromEntries(Object.entries(byBuyer).map(([k, m]) => [k, str(m)])),
    exposureByBank: Object.fromEntries(Object.entries(byBank).map(([k, m]) => [k, str(m)])),
    top10ShareBps,
    hhiBps,
  };
}

/** Top-10 share and Herfindahl index (basis points) of a list of per-buyer amounts (one currency assumed). */
export function concentration(amounts: readonly bigint[]): { top10ShareBps: number; hhiBps: number } {
  const total = amounts.reduce((a, b) => a + b, 0n);
  if (total === 0n) return { top10ShareBps: 0, hhiBps: 0 };
  const shares = amounts.map((a) => (a * 10_000n) / total).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const top10 = shares.slice(0, 10).reduce((a, b) => a + b, 0n);
  const hhi = shares.reduce((a, s) => a + (s * s) / 10_000n, 0n);
  return { top10ShareBps: Number(top10), hhiBps: Number(hhi) };
}
