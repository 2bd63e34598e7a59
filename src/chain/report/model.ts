/**
 * The report's model: the inputs a source (chain or indexer) provides, the report built from them, the
 * overdue buckets and the small rules both sides share. Types and pure helpers only.
 */
import { decodeBytes32String } from "ethers";
import type {
  FinancingPool,
  ParticipantRegistry,
  ReceivableLens,
  ReceivableRegistry,
  RiskEngine,
} from "../../../typechain-types";
import { DAY, FINANCING_STATUS_NAMES, STATUS_NAMES } from "../../pure/constants";
import { TradeFinError } from "../../pure/tradeFinError";

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

/** A deployment's contracts with its pools by bank name (what `deployTradeFin()` and `connect(hre)` hold). */
export interface DeployedContracts {
  participants: ParticipantRegistry;
  receivables: ReceivableRegistry;
  lens: ReceivableLens;
  riskEngine?: RiskEngine;
  pools: Readonly<Record<string, FinancingPool>>;
}

/** The report's contracts of a deployment: each pool named after its bank, in the deployment's order. */
export function reportContracts(d: DeployedContracts): ReportContracts {
  return {
    participants: d.participants,
    receivables: d.receivables,
    lens: d.lens,
    ...(d.riskEngine ? { riskEngine: d.riskEngine } : {}),
    pools: Object.entries(d.pools).map(([name, pool]) => ({ name, pool })),
  };
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

/** Overdue buckets: [label, first day, last day (null = no bound)]. Days are rounded up: 1 s late = 1 day. */
export const OVERDUE_BUCKETS: readonly [string, number, number | null][] = [
  ["0–30 days", 0, 30],
  ["31–60 days", 31, 60],
  ["61–90 days", 61, 90],
  ["90+ days", 91, null],
];
/** Statuses in which a receivable is owed by its buyer. */
export const OPEN_STATUSES: ReadonlySet<StatusName> = new Set(["Acknowledged", "PartiallyPaid", "Defaulted"]);

// ------------------------------------------------------------------- helpers

/** A long hex value shortened for people: "0x1234…abcd". */
export const shortHex = (hex: string): string => `${hex.slice(0, 6)}…${hex.slice(-4)}`;

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
