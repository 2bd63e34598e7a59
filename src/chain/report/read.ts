/**
 * The report's reads: everything {@link assembleReport} needs, from the chain (events scanned in pages,
 * views pinned at one block) or from the indexer's API. No report logic here.
 */
import { Contract, ZeroAddress, ZeroHash, getAddress, type ContractRunner } from "ethers";
import type { FinancingPool } from "../../../typechain-types";
import { mapLimit } from "../../pure/concurrency";
import { FINANCING_STATUS_NAMES } from "../../pure/constants";
import {
  ReportError,
  shortHex,
  type BuyerRecordSummary,
  type CurrencyInfo,
  type FinancingStatusName,
  type RawBuyer,
  type RawPool,
  type RawReceivable,
  type ReportContracts,
  type ReportInputs,
  type ReportOptions,
} from "./model";

const ERC20_METADATA_ABI = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
] as const;

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
    const symbol = await (token.symbol(this.overrides) as Promise<string>).catch(() => shortHex(address));
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
