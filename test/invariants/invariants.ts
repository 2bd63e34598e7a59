/**
 * The invariants of docs/INVARIANTS.md, checked against the chain. `checkStep` runs after every fuzz step and
 * reads only what the step touched (found by diffing the model before and after) plus a few O(1) globals;
 * `checkAll` sweeps the whole deployment at the end of each sequence.
 */
import type { FinancingPool } from "../../typechain-types";
import { identitySides } from "../../src/pure/pool";
import {
  autoApprovedOf,
  ALLOWED_TRANSITIONS,
  FStatus,
  FSTATUS_NAMES,
  STATUS_NAMES,
  Status,
  TO_18,
  expectedBuyerOutstanding,
  isOpen,
  totalClaimable,
  totalReserves,
  type BuyerRec,
  type PoolState,
  type Rec,
  type SellerRec,
  type State,
} from "./model";
import type { World } from "./world";

/** Outstanding (18 decimals) derived from a buyer record: acknowledged minus everything paid, recoveries too. */
function recordOutstanding(c: {
  acknowledgedAmount: bigint;
  paidOnTimeAmount: bigint;
  paidLateAmount: bigint;
  recoveredAmount: bigint;
}): bigint {
  return c.acknowledgedAmount - c.paidOnTimeAmount - c.paidLateAmount - c.recoveredAmount;
}

/** A broken invariant: its number in docs/INVARIANTS.md and what was seen. */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant} violated: ${detail}`);
    this.name = "InvariantViolation";
  }
}

export function violated(invariant: string, detail: string): never {
  throw new InvariantViolation(invariant, detail);
}

/**
 * Model-agreement checks (I11) found during a step are held back until the named invariants (I1–I10) of the
 * same step have been checked, so that a broken property is reported under its own name.
 */
let deferred: string[] | null = null;

function expectEq(invariant: string, what: string, chain: unknown, model: unknown) {
  if (String(chain) === String(model)) return;
  const detail = `${what}: chain ${String(chain)}, model ${String(model)}`;
  if (invariant === "I11" && deferred !== null) deferred.push(detail);
  else violated(invariant, detail);
}

async function withDeferredModelChecks(body: () => Promise<void>) {
  deferred = [];
  try {
    await body();
    const first = deferred[0];
    if (first !== undefined)
      violated("I11", deferred.length > 1 ? `${first} (and ${deferred.length - 1} more)` : first);
  } finally {
    deferred = null;
  }
}

/** Contracts and addresses the checks read. */
export interface ChainView {
  world: World;
  registryAddress: string;
  usdAddress: string;
  pools: FinancingPool[];
  /** The pools' addresses, lower-case, in the same order. */
  poolAddresses: string[];
  /** Every address that may ever be credited (all actors, the receiver contract, the pools). */
  holders: string[];
}

// -------------------------------------------------------------------- diffing

const recKey = (r: Rec) =>
  `${r.status}|${r.frozen}|${r.face}|${r.paid}|${r.holder}|${r.depth}|${r.sellerIndex}|${r.buyerIndex}|${r.due}`;
const buyerKey = (b: BuyerRec) => Object.values(b).join("|");
const sellerKey = (r: SellerRec) => Object.values(r).join("|");
const stable = (x: unknown) =>
  JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Map ? [...v.entries()] : v));

export interface Touched {
  ids: number[];
  holders: string[];
  buyers: number[];
  sellers: number[];
  pools: number[];
}

export function diff(prev: State, next: State): Touched {
  const ids: number[] = [];
  for (const [id, r] of next.receivables) {
    const before = prev.receivables.get(id);
    if (!before || recKey(before) !== recKey(r)) ids.push(id);
  }
  const holders = new Set<string>();
  for (const h of new Set([...prev.claimable.keys(), ...next.claimable.keys()])) {
    if ((prev.claimable.get(h) ?? 0n) !== (next.claimable.get(h) ?? 0n)) holders.add(h);
  }
  const buyers: number[] = [];
  for (const [i, b] of next.buyers) {
    const before = prev.buyers.get(i);
    if (!before || buyerKey(before) !== buyerKey(b)) buyers.push(i);
  }
  const sellers: number[] = [];
  for (const [i, r] of next.sellers) {
    const before = prev.sellers.get(i);
    if (!before || sellerKey(before) !== sellerKey(r)) sellers.push(i);
  }
  const pools: number[] = [];
  next.pools.forEach((p, i) => {
    if (stable(p) !== stable(prev.pools[i])) pools.push(i);
  });
  return { ids, holders: [...holders], buyers, sellers, pools };
}

// ------------------------------------------------------------- single pieces

async function checkReceivable(v: ChainView, s: State, prev: State | null, id: number) {
  const m = s.receivables.get(id)!;
  const [c, owner] = await Promise.all([v.world.lens.receivable(id), v.world.receivables.ownerOf(id)]);
  const holder = owner.toLowerCase();
  const chainStatus = Number(c.status);
  // I7: only allowed transitions.
  const before = prev?.receivables.get(id)?.status ?? Status.None;
  if (prev && before !== chainStatus && !ALLOWED_TRANSITIONS[before].includes(chainStatus)) {
    violated("I7", `receivable ${id} went ${STATUS_NAMES[before]} → ${STATUS_NAMES[chainStatus]}`);
  }
  expectEq("I11", `status of ${id}`, STATUS_NAMES[chainStatus], STATUS_NAMES[m.status]);
  expectEq("I11", `holder of ${id}`, holder, m.holder);
  expectEq("I11", `paid of ${id}`, c.paidAmount, m.paid);
  expectEq("I11", `face of ${id}`, c.faceAmount, m.face);
  expectEq("I11", `frozen of ${id}`, c.frozen, m.frozen);
  expectEq("I11", `depth of ${id}`, c.depth, m.depth);
  expectEq("I11", `buyer of ${id}`, c.buyerIndex, m.buyerIndex);
  expectEq("I11", `seller of ${id}`, c.sellerIndex, m.sellerIndex);
  expectEq("I11", `due date of ${id}`, c.dueDate, m.due);
  if (c.paidAmount > c.faceAmount) violated("I1", `receivable ${id} paid ${c.paidAmount} above face ${c.faceAmount}`);
  return { face: c.faceAmount, paid: c.paidAmount, status: chainStatus, buyerIndex: Number(c.buyerIndex) };
}

/** The registry's records by compact index: through the entity id, as any off-chain reader does. */
async function buyerRecordAt(v: ChainView, index: number) {
  return v.world.lens.buyerRecord(await v.world.participants.entityIdAt(index));
}

async function sellerRecordAt(v: ChainView, index: number) {
  return v.world.lens.sellerRecord(await v.world.participants.entityIdAt(index));
}

async function checkBuyer(v: ChainView, s: State, index: number) {
  const c = await buyerRecordAt(v, index);
  const m = s.buyers.get(index);
  if (m) {
    for (const k of Object.keys(m) as (keyof BuyerRec)[]) expectEq("I11", `buyer ${index} ${k}`, c[k], m[k]);
  }
  // I10: the O(1) record's derived outstanding equals the sum over the buyer's open receivables.
  expectEq("I10", `buyer ${index} outstanding`, recordOutstanding(c), expectedBuyerOutstanding(s, index));
}

async function checkSeller(v: ChainView, s: State, index: number) {
  const c = await sellerRecordAt(v, index);
  const m = s.sellers.get(index)!;
  for (const k of Object.keys(m) as (keyof SellerRec)[]) expectEq("I11", `seller ${index} ${k}`, c[k], m[k]);
}

async function checkPool(v: ChainView, s: State, i: number, ids: Iterable<number>, suppliers: Iterable<string>) {
  const pool = v.pools[i];
  const m: PoolState = s.pools[i];
  const [liquidity, outstanding, fees, losses, deposits, withdrawals, committed, balance] = await Promise.all([
    pool.liquidity(),
    pool.outstandingAdvances(),
    pool.feesEarned(),
    pool.losses(),
    pool.totalDeposits(),
    pool.totalWithdrawals(),
    pool.committed(),
    v.world.usd.balanceOf(m.address),
  ]);
  // I3: liquidity + outstandingAdvances = deposits − withdrawals + feesEarned − losses.
  const { lhs, rhs } = identitySides({
    liquidity,
    committed,
    outstandingAdvances: outstanding,
    feesEarned: fees,
    losses,
    totalDeposits: deposits,
    totalWithdrawals: withdrawals,
  });
  if (lhs !== rhs) {
    violated(
      "I3",
      `pool ${m.name}: liquidity ${liquidity} + outstanding ${outstanding} ≠ deposits ${deposits} − withdrawals ${withdrawals} + fees ${fees} − losses ${losses}`,
    );
  }
  // I2: the pool holds at least its liquidity and the reserves it owes.
  const owed = liquidity + totalReserves(m);
  if (balance < owed) violated("I2", `pool ${m.name} holds ${balance} < liquidity + reserves ${owed}`);
  if (committed > liquidity) violated("I2", `pool ${m.name} committed ${committed} > liquidity ${liquidity}`);
  expectEq("I11", `pool ${m.name} liquidity`, liquidity, m.liquidity);
  expectEq("I11", `pool ${m.name} outstanding`, outstanding, m.outstanding);
  expectEq("I11", `pool ${m.name} fees`, fees, m.fees);
  expectEq("I11", `pool ${m.name} losses`, losses, m.losses);
  expectEq("I11", `pool ${m.name} deposits`, deposits, m.deposits);
  expectEq("I11", `pool ${m.name} withdrawals`, withdrawals, m.withdrawals);
  expectEq("I11", `pool ${m.name} committed`, committed, m.committed);
  expectEq("I11", `pool ${m.name} balance`, balance, m.balance);
  const idList = [...ids];
  const reads = await Promise.all(idList.map((id) => Promise.all([pool.financing(id), pool.request(id)])));
  for (const [k, id] of idList.entries()) {
    const [f, rq] = reads[k];
    const mf = m.financings.get(id);
    expectEq(
      "I11",
      `pool ${m.name} financing ${id} status`,
      FSTATUS_NAMES[Number(f.status)],
      FSTATUS_NAMES[mf?.status ?? 0],
    );
    if (mf && mf.status !== FStatus.Requested && mf.status !== FStatus.Rejected) {
      expectEq("I11", `pool ${m.name} financing ${id} collected`, f.collected, mf.collected);
      expectEq("I11", `pool ${m.name} financing ${id} advance`, f.advance, mf.advance);
      expectEq("I11", `pool ${m.name} financing ${id} fee`, f.fee, mf.fee);
    }
    const mq = m.requests.get(id);
    expectEq("I11", `pool ${m.name} request ${id} advance`, rq.advance, mq?.advance ?? 0n);
    expectEq("I11", `pool ${m.name} request ${id} fee`, rq.fee, mq?.fee ?? 0n);
  }
  const supplierList = [...suppliers];
  const exposures = [...m.exposure];
  const [reserves, chainExposures] = await Promise.all([
    Promise.all(supplierList.map((a) => pool.reserveOf(a))),
    Promise.all(exposures.map(([index]) => pool.buyerExposure(index))),
  ]);
  supplierList.forEach((a, k) =>
    expectEq("I11", `pool ${m.name} reserve of ${a}`, reserves[k], m.reserves.get(a) ?? 0n),
  );
  exposures.forEach(([index, e], k) =>
    expectEq("I11", `pool ${m.name} exposure to buyer ${index}`, chainExposures[k], e),
  );
  // PR1 (pool rules, issue 12): the auto-approval limit is checked against everything advanced on the original invoice; the chain's
  // running total per root equals the model's.
  const roots = [...m.advancedOnRoot];
  const chainRoots = await Promise.all(roots.map(([root]) => pool.advancedOnRoot(root)));
  roots.forEach(([root, advanced], k) =>
    expectEq("PR1", `pool ${m.name} advanced on root ${root}`, chainRoots[k], advanced),
  );
  // PR1, supplier cap: the cap and each supplier entity's use of its current window equal the model's.
  const [cap, period] = await pool.supplierAutoCap();
  expectEq("PR1", `pool ${m.name} supplier cap`, cap, m.supplierCap);
  expectEq("PR1", `pool ${m.name} cap period`, period, m.capPeriod);
  const entities = [...m.autoWindows.keys()];
  const used = await Promise.all(entities.map((e) => pool.autoApprovedOf(e)));
  entities.forEach((e, k) => expectEq("PR1", `pool ${m.name} auto-approved of ${e}`, used[k], autoApprovedOf(s, m, e)));
}

/** I6: a receivable is Active in at most one pool, and a pool that has it Active holds it. */
async function checkFinancedOnce(v: ChainView, id: number) {
  let active = 0;
  const [holder, ...fs] = await Promise.all([v.world.receivables.ownerOf(id), ...v.pools.map((p) => p.financing(id))]);
  for (const [k, f] of fs.entries()) {
    if (Number(f.status) === FStatus.Active) {
      active += 1;
      if (holder.toLowerCase() !== v.poolAddresses[k]) {
        violated("I6", `receivable ${id} Active in pool ${k} that does not hold it`);
      }
    }
  }
  if (active > 1) violated("I6", `receivable ${id} is Active in ${active} pools`);
}

/** I1 and I2 on the registry: balance = paid in − withdrawn = Σ claimable over every holder. */
async function checkConservation(v: ChainView, s: State, full: boolean) {
  const balance = await v.world.usd.balanceOf(v.registryAddress);
  expectEq("I1", "registry balance vs payments in − withdrawals", balance, s.paidIn - s.withdrawn);
  const owed = totalClaimable(s);
  if (balance < owed) violated("I2", `registry holds ${balance} < Σ claimable ${owed}`);
  if (!full) return;
  const claims = await Promise.all(v.holders.map((h) => v.world.receivables.claimable(h, v.usdAddress)));
  v.holders.forEach((h, k) => expectEq("I11", `claimable of ${h}`, claims[k], s.claimable.get(h) ?? 0n));
  const sum = claims.reduce((x, y) => x + y, 0n);
  expectEq("I1", "Σ claimable on chain + withdrawn vs paid in", sum + s.withdrawn, s.paidIn);
}

// ------------------------------------------------------------------- entry points

export interface StepInfo {
  /** Invoice key a submit used (I5). */
  key?: string;
  /** Receivable a pool command acted on (I6). */
  poolId?: number;
  /** Parent of a successful split (I4). */
  splitParent?: number;
}

export async function checkStep(v: ChainView, prev: State, next: State, info: StepInfo) {
  await withDeferredModelChecks(() => checkStepBody(v, prev, next, info));
}

async function checkStepBody(v: ChainView, prev: State, next: State, info: StepInfo) {
  const t = diff(prev, next);
  const chainRecs = new Map<number, { face: bigint; paid: bigint }>();
  const [recs, claims] = await Promise.all([
    Promise.all(t.ids.map((id) => checkReceivable(v, next, prev, id))),
    Promise.all(t.holders.map((h) => v.world.receivables.claimable(h, v.usdAddress))),
    ...t.buyers.map((b) => checkBuyer(v, next, b)),
    ...t.sellers.map((sl) => checkSeller(v, next, sl)),
  ]);
  t.ids.forEach((id, k) => chainRecs.set(id, recs[k]));
  t.holders.forEach((h, k) => expectEq("I11", `claimable of ${h}`, claims[k], next.claimable.get(h) ?? 0n));
  for (const i of t.pools) {
    const p = next.pools[i];
    const ids = new Set<number>(
      [...p.financings.keys()].filter(
        (id) => stable(p.financings.get(id)) !== stable(prev.pools[i].financings.get(id)),
      ),
    );
    if (info.poolId !== undefined) ids.add(info.poolId);
    const suppliers = new Set<string>([...p.reserves.keys(), ...prev.pools[i].reserves.keys()]);
    await checkPool(v, next, i, ids, suppliers);
  }
  if (info.poolId !== undefined && next.receivables.has(info.poolId)) await checkFinancedOnce(v, info.poolId);
  const splitDone =
    info.splitParent !== undefined &&
    prev.receivables.get(info.splitParent)?.status === Status.Acknowledged &&
    next.receivables.get(info.splitParent)?.status === Status.Split;
  if (info.splitParent !== undefined && splitDone) {
    // I4: the children's faces add up to the parent's outstanding amount at the split.
    const parent = prev.receivables.get(info.splitParent)!;
    let sum = 0n;
    for (const [id, c] of chainRecs) if (next.receivables.get(id)!.parent === info.splitParent) sum += c.face;
    expectEq("I4", `Σ children of ${info.splitParent} vs its outstanding`, sum, parent.face - parent.paid);
  }
  if (info.key !== undefined) {
    // I5: a key maps to the first receivable minted for it, forever.
    expectEq(
      "I5",
      `receivable of key ${info.key}`,
      await v.world.lens.receivableOfKey(info.key),
      next.keys.get(info.key) ?? 0,
    );
  }
  const [paused, minted] = await Promise.all([v.world.receivables.paused(), v.world.lens.totalMinted()]);
  expectEq("I11", "paused", paused, next.paused);
  expectEq("I11", "totalMinted", minted, next.lastId);
  // The Σ over every holder is left to checkAll; per step, the registry's balance and each changed claimable.
  await checkConservation(v, next, false);
}

/** Everything, from scratch: run at the end of every sequence. */
export async function checkAll(v: ChainView, s: State) {
  await withDeferredModelChecks(() => checkAllBody(v, s));
}

async function checkAllBody(v: ChainView, s: State) {
  const ids = [...s.receivables.keys()];
  const financed = new Set<number>(s.pools.flatMap((p) => [...p.financings.keys()]));
  const recs = await Promise.all(
    ids.map(async (id) => {
      const m = s.receivables.get(id)!;
      const [c] = await Promise.all([
        checkReceivable(v, s, null, id),
        financed.has(id) ? checkFinancedOnce(v, id) : Promise.resolve(),
        m.depth === 0
          ? Promise.resolve()
          : Promise.all([v.world.lens.parentOf(id), v.world.receivables.rootOf(id)]).then(([parent, root]) => {
              expectEq("I11", `parent of ${id}`, parent, m.parent);
              expectEq("I11", `root of ${id}`, root, m.root);
            }),
      ]);
      return c;
    }),
  );
  const chain = new Map(ids.map((id, k) => [id, recs[k]]));
  // I11: each original invoice's family default as the lens reports it (the registry's bitmap for a split family,
  // the status for an unsplit invoice in default, the bitmap again once it is recovered in full).
  const roots = ids.filter((id) => s.receivables.get(id)!.depth === 0);
  const familyDefaults = await Promise.all(roots.map((id) => v.world.lens.rootDefaulted(id)));
  roots.forEach((id, k) => expectEq("I11", `family default of ${id}`, familyDefaults[k], s.defaultedRoots.has(id)));
  // I1: Σ paid over every receivable = what the registry took. A Split receivable shows what its family paid
  // (the root accumulates its descendants' payments; it was unpaid when split), so it is left out of the sum.
  const paidSum = recs.reduce((x, c) => (c.status === Status.Split ? x : x + c.paid), 0n);
  expectEq("I1", "Σ paidAmount vs payments in", paidSum, s.paidIn);
  // I4 over every split parent, from chain values only.
  for (const [id, r] of s.receivables) {
    if (r.status !== Status.Split) continue;
    let sum = 0n;
    for (const [cid, c] of chain) if (s.receivables.get(cid)!.parent === id) sum += c.face;
    // Only an unpaid (Acknowledged) receivable can be split: the children add up to its face.
    expectEq("I4", `Σ children of ${id} vs its face`, sum, chain.get(id)!.face);
  }
  // I10 from chain values only: each buyer's record equals the sum over its open receivables.
  const buyerIndices = [...new Set<number>([...s.receivables.values()].map((r) => r.buyerIndex))];
  const keys = [...s.keys];
  const revoked = [...s.revoked].flatMap(([signer, set]) => [...set].map((nonce) => [signer, nonce] as const));
  const [buyerRecs, keyIds, revokedOnChain] = await Promise.all([
    Promise.all(buyerIndices.map((index) => buyerRecordAt(v, index))),
    Promise.all(keys.map(([key]) => v.world.lens.receivableOfKey(key))),
    Promise.all(revoked.map(([signer, nonce]) => v.world.lens.nonceRevoked(signer, nonce))),
    ...buyerIndices.map((index) => checkBuyer(v, s, index)),
    ...[...s.sellers.keys()].map((index) => checkSeller(v, s, index)),
    ...s.pools.map((p, i) => {
      const suppliers = new Set<string>([...p.reserves.keys(), ...[...p.financings.values()].map((f) => f.supplier)]);
      return checkPool(v, s, i, p.financings.keys(), suppliers);
    }),
    checkConservation(v, s, true),
  ]);
  buyerIndices.forEach((index, k) => {
    let open = 0n;
    for (const c of chain.values()) {
      if (isOpen(c.status) && c.buyerIndex === index) open += (c.face - c.paid) * TO_18;
    }
    expectEq("I10", `buyer ${index} outstanding vs Σ open receivables`, recordOutstanding(buyerRecs[k]), open);
  });
  keys.forEach(([key, id], k) => expectEq("I5", `receivable of key ${key}`, keyIds[k], id));
  revoked.forEach(([signer, nonce], k) =>
    expectEq("I11", `nonce ${nonce} of ${signer} revoked`, revokedOnChain[k], true),
  );
}
