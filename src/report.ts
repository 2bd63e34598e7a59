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
 */
import Table from "cli-table3";
import { Contract, ZeroAddress, ZeroHash, decodeBytes32String, getAddress, type ContractRunner } from "ethers";
import type {
  FinancingPool,
  ParticipantRegistry,
  ReceivableLens,
  ReceivableRegistry,
  RiskEngine,
} from "../typechain-types";
import { FINANCING_STATUS_NAMES, STATUS_NAMES, formatTimestamp } from "./errors";
import { mapLimit } from "./concurrency";
import { BPS, formatAmount, formatBps } from "./money";
import { TradeFinError } from "./tradeFinError";

/** A report that cannot be built: a bad option, a missing block, an indexer that does not answer. */
export class ReportError extends TradeFinError {
  override name = "ReportError";
}

// -------------------------------------------------------------------- inputs

/** A financing pool and the name the report shows for it (usually its bank). */
export interface NamedPool {
  name: string;
  pool: FinancingPool;
}

/** The contracts of one deployment. */
export interface ReportContracts {
  participants: ParticipantRegistry;
  receivables: ReceivableRegistry;
  /** The registry's read-only lens (receivables as stored, buyers' records). */
  lens: ReceivableLens;
  /** When given, each buyer's rating is shown. */
  riskEngine?: RiskEngine;
  pools: readonly NamedPool[];
}

/** Optional lookups that put names on ids; `undefined` means "no better name". */
export interface ReportNames {
  /** entityId → company name, e.g. "Global Motors AG". */
  entity?: (entityId: string) => string | undefined;
  /**
   * wallet → who it is, e.g. "Shenzhen Precision Parts (treasury)". Pools are named from `pools`; without an
   * answer, a wallet is named after the entity it is bound to.
   */
  wallet?: (address: string) => string | undefined;
}

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** First block of the event scan (default 0; give the deployment block on a long chain). */
  fromBlock?: number;
  /** Block the report describes: events up to it, views read at it (default: the latest block). */
  toBlock?: number;
  names?: ReportNames;
  /** Calls in flight at once when reading per-receivable views (default 16). */
  concurrency?: number;
  /** Blocks per `eth_getLogs` page of the event scan (default {@link DEFAULT_LOG_PAGE_BLOCKS}). */
  logPageBlocks?: number;
}

// ------------------------------------------------------------------- outputs

/** Amounts keyed by currency (checksummed token address), in the token's base units. */
export type Amounts = Record<string, bigint>;

/** A settlement currency met in the report. */
export interface CurrencyInfo {
  address: string;
  symbol: string;
  decimals: number;
}

export type StatusName = (typeof STATUS_NAMES)[number];
export type FinancingStatusName = (typeof FINANCING_STATUS_NAMES)[number];

/** One receivable as the report sees it. */
export interface ReceivableLine {
  id: bigint;
  /** 0 for an invoice, else the receivable it was split from. */
  parentId: bigint;
  sellerEntityId: string;
  seller: string;
  buyerEntityId: string;
  buyer: string;
  holder: string;
  holderName: string;
  currency: string;
  face: bigint;
  paid: bigint;
  outstanding: bigint;
  status: StatusName;
  frozen: boolean;
  issueDate: number;
  dueDate: number;
  /** Whole days past due, rounded up (0 when not due yet or not open). */
  daysPastDue: number;
  /** Name of the pool that financed it last, if any, and the status there. */
  financedBy?: string;
  financingStatus?: FinancingStatusName;
}

/** A buyer's on-chain payment record (counts per original invoice: split children roll up to their root; amounts are in the report's own per-currency fields). */
export interface BuyerRecordSummary {
  acknowledgedCount: bigint;
  paidOnTimeCount: bigint;
  paidLateCount: bigint;
  totalDaysLate: bigint;
  defaultCount: bigint;
}

/** A buyer's rating as posted by the rating agent. */
export interface RatingSummary {
  pdBps: bigint;
  validUntil: number;
  /** False when never rated or expired at the report's block. */
  valid: boolean;
}

/** Exposure to one buyer in one currency. */
export interface BuyerExposure {
  buyerEntityId: string;
  buyer: string;
  currency: string;
  /** Receivables of this buyer that are open (Acknowledged, PartiallyPaid or Defaulted). */
  openCount: number;
  /** Submitted and waiting for the buyer's acknowledgement. */
  pendingCount: number;
  pendingFace: bigint;
  /** Face of every invoice the buyer acknowledged (split children are part of their parent). */
  acknowledgedAmount: bigint;
  /** Face − paid of the open receivables. */
  outstanding: bigint;
  /** Outstanding past its due date. */
  overdue: bigint;
  /** Outstanding of receivables in default. */
  defaulted: bigint;
  /** Outstanding financed by the pools (sum of their exposure to this buyer, in pool principal). */
  financed: bigint;
  /** Share of this buyer in the currency's total outstanding, in basis points. */
  shareBps: bigint;
  record: BuyerRecordSummary;
  rating?: RatingSummary;
}

/** One pool's exposure to one buyer. */
export interface PoolBuyerExposure {
  buyerEntityId: string;
  buyer: string;
  exposure: bigint;
  /** Share of the pool's outstanding advances, in basis points. */
  shareBps: bigint;
}

/** One bank's pool. */
export interface PoolSummary {
  name: string;
  address: string;
  currency: string;
  liquidity: bigint;
  committed: bigint;
  outstandingAdvances: bigint;
  feesEarned: bigint;
  losses: bigint;
  deposits: bigint;
  withdrawals: bigint;
  /** Number of Financed events. */
  financedCount: number;
  /** Sum of net advances paid out (Financed events). */
  netAdvanced: bigint;
  /** Financings by current status in the pool. */
  byStatus: Partial<Record<FinancingStatusName, number>>;
  exposures: PoolBuyerExposure[];
  /** The buyer with the largest exposure (none when nothing is outstanding). */
  largestBuyer?: PoolBuyerExposure;
}

/** One overdue bucket. */
export interface OverdueBucket {
  label: string;
  /** Inclusive bounds in days past due; `toDays` null means no upper bound. */
  fromDays: number;
  toDays: number | null;
  count: number;
  amount: Amounts;
}

/** One declared default. */
export interface DefaultLine {
  id: bigint;
  buyerEntityId: string;
  buyer: string;
  seller: string;
  currency: string;
  /** Who declared it (the holder at the time: a pool when it wrote the receivable off). */
  declaredBy: string;
  declaredAt: number;
  /** Outstanding when declared. */
  amount: bigint;
  /** Paid since the default. */
  recovered: bigint;
  /** Loss booked by a pool's write-off, when there was one. */
  writtenOff?: { pool: string; loss: bigint };
}

/** Defaults in total and one by one. */
export interface DefaultsSummary {
  count: number;
  amount: Amounts;
  recovered: Amounts;
  /** Principal written off by pools, net of recoveries (the pools' `losses`). */
  poolLosses: Amounts;
  items: DefaultLine[];
}

/** A buyer's share of the currency's outstanding total. */
export interface ConcentrationLine {
  buyerEntityId: string;
  buyer: string;
  currency: string;
  outstanding: bigint;
  shareBps: bigint;
}

/** Concentration of the portfolio. */
export interface ConcentrationSummary {
  /** Largest share first. */
  buyers: ConcentrationLine[];
  /** Herfindahl–Hirschman index of buyer shares per currency, in basis points (10 000 = one buyer). */
  hhiBps: Record<string, bigint>;
  /** Each pool's largest buyer. */
  pools: { pool: string; buyer?: string; exposure: bigint; shareBps: bigint }[];
}

/** A receivable under a regulator's freeze. */
export interface FrozenLine {
  id: bigint;
  buyer: string;
  holderName: string;
  currency: string;
  outstanding: bigint;
  status: StatusName;
  frozenAt: number;
  by: string;
  reason: string;
}

/** Totals in one currency. */
export interface CurrencyTotals {
  currency: string;
  receivables: number;
  open: number;
  pendingFace: bigint;
  acknowledgedAmount: bigint;
  outstanding: bigint;
  overdue: bigint;
  defaulted: bigint;
  paid: bigint;
  /** Sum of what the pools have paid out net and not yet recovered (outstandingAdvances), and their liquidity. */
  poolAdvances: bigint;
  poolLiquidity: bigint;
}

/** The whole report. */
export interface PortfolioReport {
  chainId: bigint;
  block: number;
  /** Block timestamp the report is as of (Unix seconds). */
  timestamp: number;
  fromBlock: number;
  currencies: CurrencyInfo[];
  statusCounts: Partial<Record<StatusName, number>>;
  totals: CurrencyTotals[];
  byBuyer: BuyerExposure[];
  byBank: PoolSummary[];
  overdue: OverdueBucket[];
  defaults: DefaultsSummary;
  concentration: ConcentrationSummary;
  frozen: FrozenLine[];
  receivables: ReceivableLine[];
}

// ----------------------------------------------------------------- constants

const DAY = 86_400;
/** Overdue buckets: [label, first day, last day (null = no bound)]. Days are rounded up: 1 s late = 1 day. */
export const OVERDUE_BUCKETS: readonly [string, number, number | null][] = [
  ["0–30 days", 0, 30],
  ["31–60 days", 31, 60],
  ["61–90 days", 61, 90],
  ["90+ days", 91, null],
];
/** Statuses in which a receivable is owed by its buyer. */
const OPEN_STATUSES: ReadonlySet<StatusName> = new Set(["Acknowledged", "PartiallyPaid", "Defaulted"]);

const ERC20_METADATA_ABI = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
] as const;

// ------------------------------------------------------------------- helpers

const add = (m: Amounts, currency: string, amount: bigint) => {
  m[currency] = (m[currency] ?? 0n) + amount;
};
const share = (part: bigint, whole: bigint): bigint => (whole === 0n ? 0n : (part * BPS) / whole);
const short = (hex: string) => `${hex.slice(0, 6)}…${hex.slice(-4)}`;

/** A bytes32 reason as text when it is a short string, else its hex. */
export function reasonText(reason: string): string {
  try {
    const text = decodeBytes32String(reason);
    return /^[\x20-\x7e]*$/.test(text) ? text : reason;
  } catch {
    return reason;
  }
}

/** Whole days past due, rounded up like the registry's days late; 0 when not yet due. */
export function daysPastDue(dueDate: number, now: number): number {
  return now > dueDate ? Math.ceil((now - dueDate) / DAY) : 0;
}

/** The bucket index of a number of days past due (≥ 1). */
export function bucketOf(days: number): number {
  return OVERDUE_BUCKETS.findIndex(([, from, to]) => days >= from && (to === null || days <= to));
}

// ------------------------------------------------------------------- reading

// ---------------------------------------------------------------- raw inputs

/**
 * One receivable's state at the report's block, before names are put on it. The chain reader fills it from
 * views; the indexer's API (indexer/) serves the same shape from its tables.
 */
export interface RawReceivable {
  id: bigint;
  parentId: bigint;
  sellerEntityId: string;
  buyerEntityId: string;
  holder: string;
  currency: string;
  face: bigint;
  paid: bigint;
  /** Index into STATUS_NAMES. */
  status: number;
  frozen: boolean;
  issueDate: number;
  dueDate: number;
  /** True when the buyer acknowledged it (a ReceivableAcknowledged event). */
  acknowledged: boolean;
  /** Address of the pool that financed it last, and the status there (index into FINANCING_STATUS_NAMES). */
  financedBy?: string;
  financingStatus?: number;
}

/** One pool's figures at the report's block, before names are put on it: a PoolSummary without the names. */
export interface RawPool extends Omit<PoolSummary, "name" | "exposures" | "largestBuyer"> {
  /** Non-zero exposures per buyer entity (any order). */
  exposures: { buyerEntityId: string; exposure: bigint }[];
}

/** A buyer's payment record and rating at the report's block. */
export interface RawBuyer {
  buyerEntityId: string;
  record: BuyerRecordSummary;
  /** Absent when the source has no risk engine. */
  rating?: { pdBps: bigint; validUntil: number };
}

/**
 * Everything {@link assembleReport} needs, read at one block. Two sources fill it: the chain (views and paged
 * event reads, {@link readReportInputs}) and the indexer's API (`GET /api/report/inputs`,
 * {@link readReportInputsFromIndexer}). Sharing the assembly is what makes the two reports equal to the unit.
 */
export interface ReportInputs {
  chainId: bigint;
  block: number;
  timestamp: number;
  fromBlock: number;
  /** Symbol and decimals of every currency met (any order). */
  currencies: CurrencyInfo[];
  /** Every receivable (any order). */
  receivables: RawReceivable[];
  pools: RawPool[];
  buyers: RawBuyer[];
  /** Declared defaults in event order. */
  defaults: { id: bigint; by: string; outstanding: bigint; declaredAt: number }[];
  /** The standing freeze of each frozen receivable. */
  freezes: { id: bigint; by: string; reason: string; frozenAt: number }[];
  /** Pool write-offs (pool address). */
  writeOffs: { id: bigint; pool: string; loss: bigint }[];
  /** Wallet (lower case) → entity id it is bound to, for holders, declarers and regulators. */
  walletEntities: Record<string, string>;
}

// ------------------------------------------------------------------- reading

/** Reads what the report needs, pinned at one block. */
class ChainReader {
  readonly overrides: { blockTag: number };
  private readonly entityIds = new Map<bigint, Promise<string>>();
  private readonly blockTimes = new Map<number, Promise<number>>();

  constructor(
    readonly c: ReportContracts,
    readonly block: number,
  ) {
    this.overrides = { blockTag: block };
  }

  /** The entity id behind a compact index, cached. */
  entityIdAt(index: bigint): Promise<string> {
    let p = this.entityIds.get(index);
    if (!p) {
      p = this.c.participants.entityIdAt(index, this.overrides);
      this.entityIds.set(index, p);
    }
    return p;
  }

  /** The timestamp of block `n` (0 without a provider), cached. */
  blockTime(n: number): Promise<number> {
    let p = this.blockTimes.get(n);
    if (!p) {
      const provider = this.c.receivables.runner?.provider;
      p = provider ? provider.getBlock(n).then((b) => b?.timestamp ?? 0) : Promise.resolve(0);
      this.blockTimes.set(n, p);
    }
    return p;
  }

  /** Symbol and decimals of a token, falling back to the allowlist's decimals and a short address. */
  async currency(address: string): Promise<CurrencyInfo> {
    const runner = this.c.receivables.runner as ContractRunner;
    const token = new Contract(address, ERC20_METADATA_ABI, runner);
    const symbol = await (token.symbol(this.overrides) as Promise<string>).catch(() => short(address));
    const decimals = await (token.decimals(this.overrides) as Promise<bigint>).catch(async () => {
      return (await this.c.participants.currency(address, this.overrides)).decimals;
    });
    return { address, symbol, decimals: Number(decimals) };
  }
}

/** Default size of one `eth_getLogs` page, in blocks. */
export const DEFAULT_LOG_PAGE_BLOCKS = 2_000;

/**
 * `queryFilter` over [from, to] in pages of `pageBlocks` blocks, one page at a time: a node is never asked
 * for (and the process never decodes) the whole history in one answer, which is what broke the report at
 * 6,000 receivables ("other side closed").
 */
export async function queryPaged<T>(
  query: (from: number, to: number) => Promise<T[]>,
  from: number,
  to: number,
  pageBlocks: number = DEFAULT_LOG_PAGE_BLOCKS,
): Promise<T[]> {
  if (!Number.isInteger(pageBlocks) || pageBlocks < 1)
    throw new ReportError(`log page size must be ≥ 1 block, got ${pageBlocks}`);
  const out: T[] = [];
  for (let start = from; start <= to; start += pageBlocks) {
    const page = await query(start, Math.min(to, start + pageBlocks - 1));
    for (const e of page) out.push(e);
    // Let the event loop breathe between pages so the keep-alive connection is not starved.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Events the report reads, already decoded. */
interface History {
  ids: bigint[];
  parents: Map<bigint, bigint>;
  acknowledged: Set<bigint>;
  defaults: { id: bigint; by: string; outstanding: bigint; block: number }[];
  freezes: Map<bigint, { by: string; reason: string; block: number }>;
  /** Last pool (address) that financed each id. */
  financedBy: Map<bigint, FinancingPool>;
  /** Financed events per pool address. */
  financed: Map<string, { id: bigint; buyerIndex: bigint; netAdvance: bigint }[]>;
  writeOffs: { id: bigint; pool: string; loss: bigint }[];
}

async function readHistory(c: ReportContracts, from: number, to: number, pageBlocks?: number): Promise<History> {
  const r = c.receivables;
  const paged = <T>(q: (a: number, b: number) => Promise<T[]>) => queryPaged(q, from, to, pageBlocks);
  // One kind at a time: a single connection, a bounded number of answers in flight.
  const submitted = await paged((a, b) => r.queryFilter(r.filters.ReceivableSubmitted(), a, b));
  const splits = await paged((a, b) => r.queryFilter(r.filters.ReceivableSplit(), a, b));
  const acks = await paged((a, b) => r.queryFilter(r.filters.ReceivableAcknowledged(), a, b));
  const defaults = await paged((a, b) => r.queryFilter(r.filters.ReceivableDefaulted(), a, b));
  const frozen = await paged((a, b) => r.queryFilter(r.filters.ReceivableFrozen(), a, b));
  const unfrozen = await paged((a, b) => r.queryFilter(r.filters.ReceivableUnfrozen(), a, b));
  const ids = submitted.map((e) => e.args.id);
  const parents = new Map<bigint, bigint>();
  for (const e of splits) {
    const count = BigInt(e.args.amounts.length);
    for (let i = 0n; i < count; i++) {
      ids.push(e.args.firstChildId + i);
      parents.set(e.args.firstChildId + i, e.args.parentId);
    }
  }
  ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // Freezes: the last freeze of each id, dropped when an unfreeze follows it.
  const freezes = new Map<bigint, { by: string; reason: string; block: number; order: number }>();
  const order = (e: { blockNumber: number; index: number }) => e.blockNumber * 1e6 + e.index;
  for (const e of frozen) {
    freezes.set(e.args.id, { by: e.args.regulator, reason: e.args.reason, block: e.blockNumber, order: order(e) });
  }
  for (const e of unfrozen) {
    const f = freezes.get(e.args.id);
    if (f && f.order < order(e)) freezes.delete(e.args.id);
  }

  // The last financing of each id across pools (a receivable bought back from one pool may go to another).
  const lastFinancing = new Map<bigint, { pool: FinancingPool; order: number }>();
  const writeOffs: History["writeOffs"] = [];
  const financedByPool: History["financed"] = new Map();
  for (const named of c.pools) {
    const p = named.pool;
    const address = await p.getAddress();
    const financed = await paged((a, b) => p.queryFilter(p.filters.Financed(), a, b));
    const written = await paged((a, b) => p.queryFilter(p.filters.WrittenOff(), a, b));
    financedByPool.set(
      address,
      financed.map((e) => ({ id: e.args.id, buyerIndex: e.args.buyerIndex, netAdvance: e.args.netAdvance })),
    );
    for (const e of financed) {
      const previous = lastFinancing.get(e.args.id);
      if (!previous || previous.order < order(e)) lastFinancing.set(e.args.id, { pool: p, order: order(e) });
    }
    for (const e of written) writeOffs.push({ id: e.args.id, pool: address, loss: e.args.loss });
  }
  const financedBy = new Map([...lastFinancing].map(([id, f]) => [id, f.pool]));

  return {
    ids,
    parents,
    acknowledged: new Set(acks.map((e) => e.args.id)),
    defaults: defaults.map((e) => ({
      id: e.args.id,
      by: e.args.by,
      outstanding: e.args.outstanding,
      block: e.blockNumber,
    })),
    freezes,
    financedBy,
    financed: financedByPool,
    writeOffs,
  };
}

async function readReceivable(reader: ChainReader, history: History, id: bigint): Promise<RawReceivable> {
  const { receivables, lens } = reader.c;
  const [r, holder] = await Promise.all([
    lens.receivable(id, reader.overrides),
    receivables.ownerOf(id, reader.overrides).catch(() => ZeroAddress),
  ]);
  const [sellerEntityId, buyerEntityId] = await Promise.all([
    reader.entityIdAt(r.sellerIndex),
    reader.entityIdAt(r.buyerIndex),
  ]);
  const raw: RawReceivable = {
    id,
    parentId: history.parents.get(id) ?? 0n,
    sellerEntityId,
    buyerEntityId,
    holder,
    currency: getAddress(r.currency),
    face: r.faceAmount,
    paid: r.paidAmount,
    status: Number(r.status),
    frozen: r.frozen,
    issueDate: Number(r.issueDate),
    dueDate: Number(r.dueDate),
    acknowledged: history.acknowledged.has(id),
  };
  const pool = history.financedBy.get(id);
  if (pool) {
    const f = await pool.financing(id, reader.overrides);
    raw.financedBy = await pool.getAddress();
    raw.financingStatus = Number(f.status);
  }
  return raw;
}

/**
 * One pool's figures. Exposure is read for every buyer the pool financed in the scanned blocks and every buyer
 * of the report's receivables, so a financing older than `fromBlock` still shows when its buyer is known.
 */
async function readPool(
  reader: ChainReader,
  pool: FinancingPool,
  financed: readonly { id: bigint; buyerIndex: bigint; netAdvance: bigint }[],
  knownBuyers: readonly string[],
): Promise<RawPool> {
  const o = reader.overrides;
  const [address, asset, liquidity, committed, outstandingAdvances, feesEarned, losses, deposits, withdrawals] =
    await Promise.all([
      pool.getAddress(),
      pool.asset(o),
      pool.liquidity(o),
      pool.committed(o),
      pool.outstandingAdvances(o),
      pool.feesEarned(o),
      pool.losses(o),
      pool.totalDeposits(o),
      pool.totalWithdrawals(o),
    ]);
  const byStatus: Partial<Record<FinancingStatusName, number>> = {};
  const ids = [...new Set(financed.map((e) => e.id))];
  const statuses = await mapLimit(ids, 16, async (id) => (await pool.financing(id, o)).status);
  for (const s of statuses) {
    const name = FINANCING_STATUS_NAMES[Number(s)];
    byStatus[name] = (byStatus[name] ?? 0) + 1;
  }
  const financedBuyers = await Promise.all(financed.map((e) => reader.entityIdAt(e.buyerIndex)));
  const buyers = [...new Set([...financedBuyers, ...knownBuyers])];
  const exposures: RawPool["exposures"] = [];
  await mapLimit(buyers, 8, async (buyerEntityId) => {
    const exposure = await pool.buyerExposureOf(buyerEntityId, o);
    if (exposure !== 0n) exposures.push({ buyerEntityId, exposure });
  });
  return {
    address,
    currency: getAddress(asset),
    liquidity,
    committed,
    outstandingAdvances,
    feesEarned,
    losses,
    deposits,
    withdrawals,
    financedCount: financed.length,
    netAdvanced: financed.reduce((s, e) => s + e.netAdvance, 0n),
    byStatus,
    exposures,
  };
}

async function readBuyer(reader: ChainReader, buyerEntityId: string): Promise<RawBuyer> {
  const o = reader.overrides;
  const rec = await reader.c.lens.buyerRecord(buyerEntityId, o);
  const out: RawBuyer = {
    buyerEntityId,
    record: {
      acknowledgedCount: rec.acknowledgedCount,
      paidOnTimeCount: rec.paidOnTimeCount,
      paidLateCount: rec.paidLateCount,
      totalDaysLate: rec.totalDaysLate,
      defaultCount: rec.defaultCount,
    },
  };
  if (reader.c.riskEngine) {
    const rating = await reader.c.riskEngine.rating(buyerEntityId, o);
    out.rating = { pdBps: rating.pdBps, validUntil: Number(rating.validUntil) };
  }
  return out;
}

/** Options of {@link readReportInputs}. */
export type ReadOptions = Pick<ReportOptions, "fromBlock" | "toBlock" | "concurrency" | "logPageBlocks">;

/**
 * Reads the report's inputs from the chain: paged event reads for the set of receivables and their history,
 * views (all at one block) for their state and every aggregate.
 */
export async function readReportInputs(contracts: ReportContracts, options: ReadOptions = {}): Promise<ReportInputs> {
  const provider = contracts.receivables.runner?.provider;
  if (!provider) throw new ReportError("the receivable registry contract has no provider");
  const block = await provider.getBlock(options.toBlock ?? "latest");
  if (!block) throw new ReportError(`block ${options.toBlock} not found`);
  const fromBlock = options.fromBlock ?? 0;
  const reader = new ChainReader(contracts, block.number);

  const history = await readHistory(contracts, fromBlock, block.number, options.logPageBlocks);
  const receivables = await mapLimit(history.ids, options.concurrency ?? 16, (id) =>
    readReceivable(reader, history, id),
  );
  const knownBuyers = [...new Set(receivables.map((r) => r.buyerEntityId))];
  const pools: RawPool[] = [];
  for (const { pool } of contracts.pools) {
    pools.push(await readPool(reader, pool, history.financed.get(await pool.getAddress()) ?? [], knownBuyers));
  }
  const buyers = await mapLimit(knownBuyers, 8, (b) => readBuyer(reader, b));

  const known = new Set(history.ids);
  const defaults = await Promise.all(
    history.defaults
      .filter((d) => known.has(d.id))
      .map(async (d) => ({
        id: d.id,
        by: d.by,
        outstanding: d.outstanding,
        declaredAt: await reader.blockTime(d.block),
      })),
  );
  const frozenIds = new Set(receivables.filter((r) => r.frozen).map((r) => r.id));
  const freezes = await Promise.all(
    [...history.freezes]
      .filter(([id]) => frozenIds.has(id))
      .map(async ([id, f]) => ({ id, by: f.by, reason: f.reason, frozenAt: await reader.blockTime(f.block) })),
  );

  const poolAddresses = new Set(pools.map((p) => p.address.toLowerCase()));
  const wallets = new Set<string>();
  for (const r of receivables) wallets.add(r.holder);
  for (const d of defaults) wallets.add(d.by);
  for (const f of freezes) wallets.add(f.by);
  const walletEntities: Record<string, string> = {};
  await mapLimit(
    [...wallets].filter((w) => w !== ZeroAddress && !poolAddresses.has(w.toLowerCase())),
    8,
    async (w) => {
      const id = await contracts.participants.entityOf(w, reader.overrides).catch(() => ZeroHash);
      if (id !== ZeroHash) walletEntities[w.toLowerCase()] = id;
    },
  );

  const currencyAddresses = new Set<string>([...receivables.map((l) => l.currency), ...pools.map((p) => p.currency)]);
  const currencies = await Promise.all([...currencyAddresses].map((a) => reader.currency(a)));
  return {
    chainId: (await provider.getNetwork()).chainId,
    block: block.number,
    timestamp: block.timestamp,
    fromBlock,
    currencies,
    receivables,
    pools,
    buyers,
    defaults,
    freezes,
    writeOffs: history.writeOffs,
    walletEntities,
  };
}

// ---------------------------------------------------------------- assembling

/** Names for entities and wallets: pools by name, then the caller's lookup, then the bound entity's name. */
class Namer {
  private readonly poolNames = new Map<string, string>();

  constructor(
    private readonly names: ReportNames,
    poolNames: ReadonlyMap<string, string>,
    private readonly walletEntities: Record<string, string>,
  ) {
    for (const [address, name] of poolNames) this.poolNames.set(address.toLowerCase(), `${name} pool`);
  }

  entity(id: string): string {
    return this.names.entity?.(id) ?? short(id);
  }

  wallet(address: string): string {
    const known = this.poolNames.get(address.toLowerCase()) ?? this.names.wallet?.(address);
    if (known) return known;
    const id = this.walletEntities[address.toLowerCase()];
    const name = id === undefined ? undefined : this.names.entity?.(id);
    return name ?? short(getAddress(address));
  }
}

function emptyRecord(): BuyerRecordSummary {
  return { acknowledgedCount: 0n, paidOnTimeCount: 0n, paidLateCount: 0n, totalDaysLate: 0n, defaultCount: 0n };
}

const byBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

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
    holder: getAddress(raw.holder),
    holderName: namer.wallet(raw.holder),
    currency: getAddress(raw.currency),
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
  const poolName = (a: string) => order.get(a.toLowerCase())?.[1] ?? short(a);
  const namedPools = new Map<string, string>(
    inputs.pools.map((p) => [p.address.toLowerCase(), poolName(p.address)] as [string, string]),
  );
  const namer = new Namer(options.names ?? {}, namedPools, inputs.walletEntities);

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
    (a) => currencyInfo.get(a) ?? { address: a, symbol: short(a), decimals: 0 },
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

// ------------------------------------------------------------ indexer source

/** JSON with bigints as decimal strings ⇄ {@link ReportInputs}: the indexer API's wire format. */
export function reportInputsFromJson(json: unknown): ReportInputs {
  const j = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const big = (v: unknown) => BigInt(v as string);
  return {
    chainId: big(j.chainId),
    block: Number(j.block),
    timestamp: Number(j.timestamp),
    fromBlock: Number(j.fromBlock),
    currencies: j.currencies,
    receivables: j.receivables.map((r: Record<string, any>) => ({
      // eslint-disable-line @typescript-eslint/no-explicit-any
      ...r,
      id: big(r.id),
      parentId: big(r.parentId),
      face: big(r.face),
      paid: big(r.paid),
    })),
    pools: j.pools.map((p: Record<string, any>) => ({
      // eslint-disable-line @typescript-eslint/no-explicit-any
      ...p,
      liquidity: big(p.liquidity),
      committed: big(p.committed),
      outstandingAdvances: big(p.outstandingAdvances),
      feesEarned: big(p.feesEarned),
      losses: big(p.losses),
      deposits: big(p.deposits),
      withdrawals: big(p.withdrawals),
      netAdvanced: big(p.netAdvanced),
      exposures: p.exposures.map((e: { buyerEntityId: string; exposure: string }) => ({
        buyerEntityId: e.buyerEntityId,
        exposure: big(e.exposure),
      })),
    })),
    buyers: j.buyers.map((b: Record<string, any>) => ({
      // eslint-disable-line @typescript-eslint/no-explicit-any
      buyerEntityId: b.buyerEntityId,
      record: Object.fromEntries(
        Object.entries(b.record).map(([k, v]) => [k, big(v)]),
      ) as unknown as BuyerRecordSummary,
      ...(b.rating ? { rating: { pdBps: big(b.rating.pdBps), validUntil: Number(b.rating.validUntil) } } : {}),
    })),
    defaults: j.defaults.map((d: Record<string, any>) => ({ ...d, id: big(d.id), outstanding: big(d.outstanding) })), // eslint-disable-line @typescript-eslint/no-explicit-any
    freezes: j.freezes.map((f: Record<string, any>) => ({ ...f, id: big(f.id) })), // eslint-disable-line @typescript-eslint/no-explicit-any
    writeOffs: j.writeOffs.map((w: Record<string, any>) => ({ ...w, id: big(w.id), loss: big(w.loss) })), // eslint-disable-line @typescript-eslint/no-explicit-any
    walletEntities: j.walletEntities,
  };
}

/**
 * Reads the report's inputs from the indexer's API (`GET <url>/api/report/inputs`). The indexer answers at
 * the block it has indexed; {@link ReportInputs.block} says which.
 */
export async function readReportInputsFromIndexer(url: string): Promise<ReportInputs> {
  const base = url.replace(/\/+$/, "");
  let res: Response;
  try {
    res = await fetch(`${base}/api/report/inputs`);
  } catch (err) {
    throw new ReportError(
      `cannot reach the indexer at ${base} (${(err as Error).message}): is \`npm run dashboard\` running?`,
    );
  }
  if (!res.ok) throw new ReportError(`the indexer at ${base} answered ${res.status}: ${await res.text()}`);
  return reportInputsFromJson(await res.json());
}

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
  return info ? formatAmount(amount, info.decimals, { symbol: info.symbol }) : `${amount} (${short(currency)})`;
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
