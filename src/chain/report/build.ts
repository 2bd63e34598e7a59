/**
 * The report's assembly: {@link ReportInputs} (from either source) into the {@link PortfolioReport}. Pure:
 * no I/O, a deterministic order, so the chain and the indexer give the same report to the unit.
 */
import { getAddress } from "ethers";
import { FINANCING_STATUS_NAMES, STATUS_NAMES } from "../../pure/constants";
import { BPS } from "../../pure/money";
import {
  OPEN_STATUSES,
  OVERDUE_BUCKETS,
  bucketOf,
  daysPastDue,
  reasonText,
  shortHex,
  type Amounts,
  type BuyerExposure,
  type BuyerRecordSummary,
  type ConcentrationLine,
  type ConcentrationSummary,
  type CurrencyTotals,
  type DefaultLine,
  type DefaultsSummary,
  type FrozenLine,
  type OverdueBucket,
  type PoolBuyerExposure,
  type PoolSummary,
  type PortfolioReport,
  type RawPool,
  type RawReceivable,
  type ReceivableLine,
  type ReportInputs,
  type ReportNames,
  type StatusName,
} from "./model";

const add = (m: Amounts, currency: string, amount: bigint) => {
  m[currency] = (m[currency] ?? 0n) + amount;
};
const share = (part: bigint, whole: bigint): bigint => (whole === 0n ? 0n : (part * BPS) / whole);

// ---------------------------------------------------------------- assembling

/** Names for entities and wallets: pools by name, then the caller's lookup, then the bound entity's name. */
class Namer {
  private readonly poolNames = new Map<string, string>();

  constructor(
    private readonly names: ReportNames,
    poolNames: ReadonlyMap<string, string>,
    private readonly walletEntities: Record<string, string>,
    readonly checksum: (address: string) => string = getAddress,
  ) {
    for (const [address, name] of poolNames) this.poolNames.set(address.toLowerCase(), `${name} pool`);
  }

  entity(id: string): string {
    return this.names.entity?.(id) ?? shortHex(id);
  }

  wallet(address: string): string {
    const known = this.poolNames.get(address.toLowerCase()) ?? this.names.wallet?.(address);
    if (known) return known;
    const id = this.walletEntities[address.toLowerCase()];
    const name = id === undefined ? undefined : this.names.entity?.(id);
    return name ?? shortHex(this.checksum(address));
  }
}

function emptyRecord(): BuyerRecordSummary {
  return { acknowledgedCount: 0n, paidOnTimeCount: 0n, paidLateCount: 0n, totalDaysLate: 0n, defaultCount: 0n };
}

const byBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `getAddress` (the EIP-55 checksum, a keccak per call) remembered per input: a report names the same few
 * dozen wallets and currencies on every one of its receivables.
 */
function checksummer(): (address: string) => string {
  const known = new Map<string, string>();
  return (address) => {
    let a = known.get(address);
    if (a === undefined) {
      a = getAddress(address);
      known.set(address, a);
    }
    return a;
  };
}

function toLine(raw: RawReceivable, namer: Namer, poolName: (a: string) => string, now: number): ReceivableLine {
  const status = STATUS_NAMES[raw.status] ?? "None";
  // A split parent closes unpaid: its own payments are 0 and its children carry theirs. (On chain a split
  // root's paidAmount accumulates its family's payments, for the buyer record; counting that here would count
  // every child's payment twice.)
  const paid = status === "Split" ? 0n : raw.paid;
  const line: ReceivableLine = {
    id: raw.id,
    parentId: raw.parentId,
    sellerEntityId: raw.sellerEntityId,
    seller: namer.entity(raw.sellerEntityId),
    buyerEntityId: raw.buyerEntityId,
    buyer: namer.entity(raw.buyerEntityId),
    holder: namer.checksum(raw.holder),
    holderName: namer.wallet(raw.holder),
    currency: namer.checksum(raw.currency),
    face: raw.face,
    paid,
    outstanding: raw.face - paid,
    status,
    frozen: raw.frozen,
    issueDate: raw.issueDate,
    dueDate: raw.dueDate,
    daysPastDue: OPEN_STATUSES.has(status) ? daysPastDue(raw.dueDate, now) : 0,
  };
  if (raw.financedBy !== undefined && raw.financingStatus !== undefined) {
    line.financedBy = poolName(raw.financedBy);
    line.financingStatus = FINANCING_STATUS_NAMES[raw.financingStatus];
  }
  return line;
}

/** Groups the receivables by (buyer, currency) and fills everything but shares, records and pool exposure. */
function groupByBuyer(lines: readonly ReceivableLine[], acknowledged: ReadonlySet<bigint>): BuyerExposure[] {
  const groups = new Map<string, BuyerExposure>();
  for (const l of lines) {
    const key = `${l.buyerEntityId}:${l.currency}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        buyerEntityId: l.buyerEntityId,
        buyer: l.buyer,
        currency: l.currency,
        openCount: 0,
        pendingCount: 0,
        pendingFace: 0n,
        acknowledgedAmount: 0n,
        outstanding: 0n,
        overdue: 0n,
        defaulted: 0n,
        financed: 0n,
        shareBps: 0n,
        record: emptyRecord(),
      };
      groups.set(key, g);
    }
    if (acknowledged.has(l.id)) g.acknowledgedAmount += l.face;
    if (l.status === "Submitted") {
      g.pendingCount += 1;
      g.pendingFace += l.face;
    }
    if (!OPEN_STATUSES.has(l.status)) continue;
    g.openCount += 1;
    g.outstanding += l.outstanding;
    if (l.daysPastDue > 0) g.overdue += l.outstanding;
    if (l.status === "Defaulted") g.defaulted += l.outstanding;
  }
  return [...groups.values()];
}

function toPoolSummary(raw: RawPool, name: string, namer: Namer): PoolSummary {
  const exposures: PoolBuyerExposure[] = raw.exposures
    .filter((e) => e.exposure !== 0n)
    .map((e) => ({
      buyerEntityId: e.buyerEntityId,
      buyer: namer.entity(e.buyerEntityId),
      exposure: e.exposure,
      shareBps: share(e.exposure, raw.outstandingAdvances),
    }))
    .sort((a, b) => byBigint(b.exposure, a.exposure) || (a.buyerEntityId < b.buyerEntityId ? -1 : 1));
  return {
    name,
    address: getAddress(raw.address),
    currency: getAddress(raw.currency),
    liquidity: raw.liquidity,
    committed: raw.committed,
    outstandingAdvances: raw.outstandingAdvances,
    feesEarned: raw.feesEarned,
    losses: raw.losses,
    deposits: raw.deposits,
    withdrawals: raw.withdrawals,
    financedCount: raw.financedCount,
    netAdvanced: raw.netAdvanced,
    byStatus: Object.fromEntries(
      FINANCING_STATUS_NAMES.filter((s) => raw.byStatus[s]).map((s) => [s, raw.byStatus[s]]),
    ),
    exposures,
    ...(exposures.length > 0 ? { largestBuyer: exposures[0] } : {}),
  };
}

function buildOverdue(lines: readonly ReceivableLine[]): OverdueBucket[] {
  const buckets: OverdueBucket[] = OVERDUE_BUCKETS.map(([label, fromDays, toDays]) => ({
    label,
    fromDays,
    toDays,
    count: 0,
    amount: {},
  }));
  for (const l of lines) {
    if (l.daysPastDue === 0 || l.outstanding === 0n) continue;
    const b = buckets[bucketOf(l.daysPastDue)];
    b.count += 1;
    add(b.amount, l.currency, l.outstanding);
  }
  return buckets;
}

function buildDefaults(
  inputs: ReportInputs,
  namer: Namer,
  poolName: (a: string) => string,
  byId: ReadonlyMap<bigint, ReceivableLine>,
  pools: readonly PoolSummary[],
): DefaultsSummary {
  const items: DefaultLine[] = [];
  const amount: Amounts = {};
  const recovered: Amounts = {};
  const writeOffs = new Map(inputs.writeOffs.map((w) => [w.id, w]));
  for (const d of inputs.defaults) {
    const l = byId.get(d.id);
    if (!l) continue;
    const back = d.outstanding - l.outstanding;
    const item: DefaultLine = {
      id: d.id,
      buyerEntityId: l.buyerEntityId,
      buyer: l.buyer,
      seller: l.seller,
      currency: l.currency,
      declaredBy: namer.wallet(d.by),
      declaredAt: d.declaredAt,
      amount: d.outstanding,
      recovered: back > 0n ? back : 0n,
    };
    const w = writeOffs.get(d.id);
    if (w) item.writtenOff = { pool: poolName(w.pool), loss: w.loss };
    items.push(item);
    add(amount, l.currency, item.amount);
    add(recovered, l.currency, item.recovered);
  }
  const poolLosses: Amounts = {};
  for (const p of pools) add(poolLosses, p.currency, p.losses);
  return { count: items.length, amount, recovered, poolLosses, items };
}

function buildConcentration(buyers: readonly BuyerExposure[], pools: readonly PoolSummary[]): ConcentrationSummary {
  const lines: ConcentrationLine[] = buyers
    .filter((b) => b.outstanding > 0n)
    .map((b) => ({
      buyerEntityId: b.buyerEntityId,
      buyer: b.buyer,
      currency: b.currency,
      outstanding: b.outstanding,
      shareBps: b.shareBps,
    }))
    .sort((a, b) => (a.shareBps > b.shareBps ? -1 : a.shareBps < b.shareBps ? 1 : 0));
  const hhiBps: Record<string, bigint> = {};
  for (const l of lines) hhiBps[l.currency] = (hhiBps[l.currency] ?? 0n) + (l.shareBps * l.shareBps) / BPS;
  return {
    buyers: lines,
    hhiBps,
    pools: pools.map((p) => ({
      pool: p.name,
      ...(p.largestBuyer ? { buyer: p.largestBuyer.buyer } : {}),
      exposure: p.largestBuyer?.exposure ?? 0n,
      shareBps: p.largestBuyer?.shareBps ?? 0n,
    })),
  };
}

function buildFrozen(inputs: ReportInputs, namer: Namer, lines: readonly ReceivableLine[]): FrozenLine[] {
  const freezes = new Map(inputs.freezes.map((f) => [f.id, f]));
  const out: FrozenLine[] = [];
  for (const l of lines) {
    if (!l.frozen) continue;
    const f = freezes.get(l.id);
    out.push({
      id: l.id,
      buyer: l.buyer,
      holderName: l.holderName,
      currency: l.currency,
      outstanding: l.outstanding,
      status: l.status,
      frozenAt: f?.frozenAt ?? 0,
      by: f ? namer.wallet(f.by) : "?",
      reason: f ? reasonText(f.reason) : "(frozen before the scanned blocks)",
    });
  }
  return out;
}

function buildTotals(
  lines: readonly ReceivableLine[],
  buyers: readonly BuyerExposure[],
  pools: readonly PoolSummary[],
): CurrencyTotals[] {
  const totals = new Map<string, CurrencyTotals>();
  const get = (currency: string) => {
    let t = totals.get(currency);
    if (!t) {
      t = {
        currency,
        receivables: 0,
        open: 0,
        pendingFace: 0n,
        acknowledgedAmount: 0n,
        outstanding: 0n,
        overdue: 0n,
        defaulted: 0n,
        paid: 0n,
        poolAdvances: 0n,
        poolLiquidity: 0n,
      };
      totals.set(currency, t);
    }
    return t;
  };
  for (const l of lines) {
    const t = get(l.currency);
    t.receivables += 1;
    // A split parent's paid is 0 here (see toLine); children carry their own payments.
    t.paid += l.paid;
  }
  for (const b of buyers) {
    const t = get(b.currency);
    t.open += b.openCount;
    t.pendingFace += b.pendingFace;
    t.acknowledgedAmount += b.acknowledgedAmount;
    t.outstanding += b.outstanding;
    t.overdue += b.overdue;
    t.defaulted += b.defaulted;
  }
  for (const p of pools) {
    const t = get(p.currency);
    t.poolAdvances += p.outstandingAdvances;
    t.poolLiquidity += p.liquidity;
  }
  return [...totals.values()];
}

/** Options of {@link assembleReport}. */
export interface AssembleOptions {
  names?: ReportNames;
  /** Pool address → name, in the order the report lists pools (others follow, named by short address). */
  poolNames?: readonly (readonly [string, string])[];
}

/**
 * Builds the report from its inputs, whatever their source. Pure: no I/O, a deterministic order (receivables
 * by id, pools in `poolNames` order, buyers by outstanding then first appearance), so two sources with the
 * same inputs give the same report to the unit.
 */
export function assembleReport(inputs: ReportInputs, options: AssembleOptions = {}): PortfolioReport {
  const now = inputs.timestamp;
  const order = new Map<string, [number, string]>();
  (options.poolNames ?? []).forEach(([a, n], i) => order.set(a.toLowerCase(), [i, n]));
  const poolName = (a: string) => order.get(a.toLowerCase())?.[1] ?? shortHex(a);
  const namedPools = new Map<string, string>(
    inputs.pools.map((p) => [p.address.toLowerCase(), poolName(p.address)] as [string, string]),
  );
  const namer = new Namer(options.names ?? {}, namedPools, inputs.walletEntities, checksummer());

  const lines = [...inputs.receivables]
    .sort((a, b) => byBigint(a.id, b.id))
    .map((r) => toLine(r, namer, poolName, now));
  const byId = new Map(lines.map((l) => [l.id, l]));
  const acknowledged = new Set(inputs.receivables.filter((r) => r.acknowledged).map((r) => r.id));
  const rank = (a: string) => order.get(a.toLowerCase())?.[0] ?? Number.MAX_SAFE_INTEGER;
  const byBank = [...inputs.pools]
    .sort((a, b) => rank(a.address) - rank(b.address) || (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1))
    .map((p) => toPoolSummary(p, poolName(p.address), namer));

  const byBuyer = groupByBuyer(lines, acknowledged);
  const buyerInfo = new Map(inputs.buyers.map((b) => [b.buyerEntityId, b]));
  for (const b of byBuyer) {
    const info = buyerInfo.get(b.buyerEntityId);
    if (!info) continue;
    b.record = { ...info.record };
    if (info.rating) b.rating = { ...info.rating, valid: info.rating.validUntil > now };
  }
  const outstandingByCurrency: Amounts = {};
  for (const b of byBuyer) add(outstandingByCurrency, b.currency, b.outstanding);
  for (const b of byBuyer) {
    b.shareBps = share(b.outstanding, outstandingByCurrency[b.currency]);
    for (const p of byBank) {
      if (p.currency !== b.currency) continue;
      b.financed += p.exposures.find((e) => e.buyerEntityId === b.buyerEntityId)?.exposure ?? 0n;
    }
  }
  byBuyer.sort((a, b) => (a.outstanding > b.outstanding ? -1 : a.outstanding < b.outstanding ? 1 : 0));

  const currencyInfo = new Map(
    inputs.currencies.map((c) => [getAddress(c.address), { ...c, address: getAddress(c.address) }]),
  );
  const currencyAddresses = new Set<string>([...lines.map((l) => l.currency), ...byBank.map((p) => p.currency)]);
  const currencies = [...currencyAddresses].map(
    (a) => currencyInfo.get(a) ?? { address: a, symbol: shortHex(a), decimals: 0 },
  );
  const statusCounts: Partial<Record<StatusName, number>> = {};
  for (const l of lines) statusCounts[l.status] = (statusCounts[l.status] ?? 0) + 1;

  return {
    chainId: inputs.chainId,
    block: inputs.block,
    timestamp: now,
    fromBlock: inputs.fromBlock,
    currencies,
    statusCounts,
    totals: buildTotals(lines, byBuyer, byBank),
    byBuyer,
    byBank,
    overdue: buildOverdue(lines),
    defaults: buildDefaults(inputs, namer, poolName, byId, byBank),
    concentration: buildConcentration(byBuyer, byBank),
    frozen: buildFrozen(inputs, namer, lines),
    receivables: lines,
  };
}
