/**
 * Event handlers (issue #15). Receivable rows (record, status, holder, lineage) and financings' status and
 * collected amount are built from the events, as the contracts write them: ReceivableSubmitted and
 * ReceivableSplit carry a new receivable's parties, currency, amount and dates, the status events its moves,
 * Transfer its holder, the pool's events a financing's moves. Only figures that no event carries are read from
 * the contracts' views (at the event's block, once per block: see `readOncePerBlock`): a pool's totals, its
 * exposure to a buyer, and a buyer's record (whose counts follow the registry's family rules). So the rows
 * equal what `npx hardhat report` reads from the chain at the same block; history rows come from the events.
 */
import { ponder, type Event } from "ponder:registry";
import schema from "ponder:schema";
import { snapshotIfNewDay } from "./snapshot";
// The SDK's enums (checked against the Solidity sources by test/sdk/constants.test.ts), as the API uses its report.
import { FinancingStatus, Status } from "../../src/pure/constants";

type Hex = `0x${string}`;
const ZERO: Hex = "0x0000000000000000000000000000000000000000";

// ------------------------------------------------------------------ helpers

type AnyContext = Context;
type AnyEvent = { block: { number: bigint; timestamp: bigint }; log: { logIndex: number }; transaction: { hash: Hex } };

const eventId = (e: AnyEvent) => `${e.transaction.hash}-${e.log.logIndex}`;

/** Records the last indexed block, and takes the previous day's snapshot when a new day starts. */
async function tick(event: AnyEvent, context: AnyContext) {
  await snapshotIfNewDay(event, context);
}

/**
 * View reads memoised per block. `context.client` reads at the event's block, i.e. the state after the whole
 * block, so every event of a block gets the same answer: reading once per block (keyed by the block's hash, so
 * a reorged block is read anew) gives the same rows as reading per event, with far fewer `eth_call`s (the
 * benchmark mines up to 400 transactions per block).
 */
let memoBlock: Hex | undefined;
const memo = new Map<string, Promise<unknown>>();

function readOncePerBlock<T>(event: AnyEvent & { block: { hash: Hex } }, key: string, read: () => Promise<T>) {
  if (event.block.hash !== memoBlock) {
    memo.clear();
    memoBlock = event.block.hash;
  }
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    memo.set(key, p);
    const added = p;
    p.catch(() => {
      if (memo.get(key) === added) memo.delete(key); // a failed read is not remembered
    });
  }
  return p;
}

type BlockEvent = AnyEvent & { block: { hash: Hex } };

/** Sets fields of a receivable's row from an event (the row exists: its ReceivableSubmitted/Split came first). */
async function setReceivable(
  event: AnyEvent,
  context: AnyContext,
  id: bigint,
  values: Partial<typeof schema.receivable.$inferInsert>,
) {
  const row = await context.db.find(schema.receivable, { id });
  if (!row) throw new Error(`receivable ${id} has no row: its ReceivableSubmitted or ReceivableSplit was not indexed`);
  await context.db.update(schema.receivable, { id }).set({ ...values, updatedAt: event.block.timestamp });
  return row;
}

async function logEvent(event: AnyEvent, context: AnyContext, receivableId: bigint, kind: string, detail: unknown) {
  await context.db
    .insert(schema.receivableEvent)
    .values({
      id: `${eventId(event)}-${receivableId}`,
      receivableId,
      kind,
      detail: JSON.parse(JSON.stringify(detail ?? null, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
      block: event.block.number,
      logIndex: event.log.logIndex,
      timestamp: event.block.timestamp,
    })
    .onConflictDoNothing();
}

/**
 * The buyer's record is read (once per block): its counts follow the contract's family rules (one count per
 * original invoice, none for a family with a default), which the events alone do not show.
 */
async function refreshBuyerRecord(event: BlockEvent, context: AnyContext, buyerEntityId: Hex) {
  const { ReceivableLens } = context.contracts;
  const rec = (await readOncePerBlock(event, `buyerRecord:${buyerEntityId}`, () =>
    context.client.readContract({
      abi: ReceivableLens.abi,
      address: ReceivableLens.address as Hex,
      functionName: "buyerRecord",
      args: [buyerEntityId],
    }),
  )) as Record<string, bigint | number>;
  const values = {
    acknowledgedCount: BigInt(rec.acknowledgedCount ?? 0),
    paidOnTimeCount: BigInt(rec.paidOnTimeCount ?? 0),
    paidLateCount: BigInt(rec.paidLateCount ?? 0),
    totalDaysLate: BigInt(rec.totalDaysLate ?? 0),
    defaultCount: BigInt(rec.defaultCount ?? 0),
  };
  await context.db
    .insert(schema.buyerRecord)
    .values({ entityId: buyerEntityId, ...values })
    .onConflictDoUpdate(values);
}

/** A receivable event: applies the state it carries (`values`), logs it, and maybe refreshes the buyer's record. */
async function onReceivable(
  event: BlockEvent,
  context: AnyContext,
  id: bigint,
  kind: string,
  detail: unknown,
  values: Partial<typeof schema.receivable.$inferInsert>,
  buyerRecordChanges = false,
) {
  await tick(event, context);
  const row = await setReceivable(event, context, id, values);
  await logEvent(event, context, id, kind, detail);
  if (buyerRecordChanges) await refreshBuyerRecord(event, context, row.buyerEntityId);
  return row;
}

// ---------------------------------------------------------------- participants

async function refreshEntity(event: AnyEvent, context: AnyContext, entityId: Hex, index?: number) {
  const { ParticipantRegistry } = context.contracts;
  const e = (await context.client
    .readContract({
      abi: ParticipantRegistry.abi,
      address: ParticipantRegistry.address as Hex,
      functionName: "entity",
      args: [entityId],
    })
    .catch(() => undefined)) as Record<string, unknown> | undefined;
  const values = {
    roles: Number(e?.roles ?? 0),
    kycExpiry: BigInt((e?.kycExpiry as bigint | number | undefined) ?? 0),
    suspended: Number(e?.suspension ?? 0) !== 0,
  };
  const existing = await context.db.find(schema.entity, { id: entityId });
  if (existing) await context.db.update(schema.entity, { id: entityId }).set(values);
  else
    await context.db
      .insert(schema.entity)
      .values({ id: entityId, index: index ?? Number(e?.index ?? 0), registeredAt: event.block.timestamp, ...values });
}

ponder.on("ParticipantRegistry:EntityRegistered", async ({ event, context }) => {
  await refreshEntity(event, context, event.args.entityId, Number(event.args.index));
});
ponder.on("ParticipantRegistry:RolesChanged", async ({ event, context }) => {
  await refreshEntity(event, context, event.args.entityId);
});
ponder.on("ParticipantRegistry:KycExpiryChanged", async ({ event, context }) => {
  await refreshEntity(event, context, event.args.entityId);
});
ponder.on("ParticipantRegistry:EntitySuspended", async ({ event, context }) => {
  await refreshEntity(event, context, event.args.entityId);
});
ponder.on("ParticipantRegistry:EntityReinstated", async ({ event, context }) => {
  await refreshEntity(event, context, event.args.entityId);
});
ponder.on("ParticipantRegistry:WalletAdded", async ({ event, context }) => {
  const values = { entityId: event.args.entityId, active: true, addedAt: event.block.timestamp };
  await context.db
    .insert(schema.wallet)
    .values({ address: event.args.wallet, ...values })
    .onConflictDoUpdate(values);
});
ponder.on("ParticipantRegistry:WalletRemoved", async ({ event, context }) => {
  const row = await context.db.find(schema.wallet, { address: event.args.wallet });
  if (row) await context.db.update(schema.wallet, { address: event.args.wallet }).set({ active: false });
});
ponder.on("ParticipantRegistry:CurrencyAllowedSet", async ({ event, context }) => {
  let symbol = `${event.args.token.slice(0, 6)}…${event.args.token.slice(-4)}`;
  try {
    symbol = (await context.client.readContract({
      abi: [{ type: "function", name: "symbol", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] }],
      address: event.args.token,
      functionName: "symbol",
    })) as string;
  } catch {
    // not an ERC-20 with a symbol: keep the short address
  }
  const values = { symbol, decimals: Number(event.args.decimals), allowed: event.args.allowed };
  await context.db
    .insert(schema.currency)
    .values({ address: event.args.token, ...values })
    .onConflictDoUpdate(values);
});

// ------------------------------------------------------------------ receivables

ponder.on("ReceivableRegistry:ReceivableSubmitted", async ({ event, context }) => {
  const a = event.args;
  await tick(event, context);
  // The record as the registry writes it (`_create`); the holder comes with the mint's Transfer that follows
  // in the same transaction. (An acknowledgement by signature follows as ReceivableAcknowledged too.)
  await context.db.insert(schema.receivable).values({
    id: a.id,
    parentId: 0n,
    rootId: a.id,
    sellerEntityId: a.sellerEntityId,
    buyerEntityId: a.buyerEntityId,
    holder: ZERO,
    currency: a.currency,
    face: a.amount,
    paid: 0n,
    status: Status.Submitted,
    frozen: false,
    issueDate: Number(a.issueDate),
    dueDate: Number(a.dueDate),
    acknowledged: false,
    financedBy: null,
    createdAt: event.block.timestamp,
    updatedAt: event.block.timestamp,
  });
  await logEvent(event, context, a.id, "Submitted", { amount: a.amount, dueDate: a.dueDate });
});
ponder.on("ReceivableRegistry:ReceivableAcknowledged", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Acknowledged",
    { by: event.args.buyerWallet },
    { status: Status.Acknowledged, acknowledged: true },
    true,
  );
});
ponder.on("ReceivableRegistry:ReceivableRejected", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Rejected",
    { by: event.args.buyerWallet, reason: event.args.reason },
    { status: Status.Rejected },
  );
});
ponder.on("ReceivableRegistry:ReceivableCancelled", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Cancelled",
    { by: event.args.sellerWallet },
    { status: Status.Cancelled },
  );
});
ponder.on("ReceivableRegistry:ReceivableFrozen", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Frozen",
    { by: event.args.regulator, reason: event.args.reason },
    { frozen: true },
  );
  const values = {
    by: event.args.regulator,
    reason: event.args.reason,
    frozenAt: event.block.timestamp,
    active: true,
  };
  await context.db
    .insert(schema.freeze)
    .values({ receivableId: event.args.id, ...values })
    .onConflictDoUpdate(values);
});
ponder.on("ReceivableRegistry:ReceivableUnfrozen", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Unfrozen", { by: event.args.regulator }, { frozen: false });
  const row = await context.db.find(schema.freeze, { receivableId: event.args.id });
  if (row) await context.db.update(schema.freeze, { receivableId: event.args.id }).set({ active: false });
});
ponder.on("ReceivableRegistry:ReceivablePaid", async ({ event, context }) => {
  const a = event.args;
  const row = await onReceivable(
    event,
    context,
    a.id,
    "Paid",
    { amount: a.amount, paidTotal: a.paidTotal, payer: a.payer },
    { paid: a.paidTotal, status: Number(a.status) },
    true,
  );
  // As in the registry's `_recordPayment`: a split root's paid amount accumulates its descendants' payments.
  if (row.parentId !== 0n)
    await context.db
      .update(schema.receivable, { id: row.rootId })
      .set((root) => ({ paid: root.paid + a.amount, updatedAt: event.block.timestamp }));
  await context.db.insert(schema.payment).values({
    id: eventId(event),
    receivableId: a.id,
    payer: a.payer,
    holder: a.holder,
    amount: a.amount,
    paidTotal: a.paidTotal,
    status: Number(a.status),
    timestamp: event.block.timestamp,
  });
});
ponder.on("ReceivableRegistry:ReceivableSettled", async ({ event, context }) => {
  // The status moved to Paid with the ReceivablePaid just before; the buyer's counts move now.
  await onReceivable(event, context, event.args.id, "Settled", { daysLate: event.args.daysLate }, {}, true);
});
ponder.on("ReceivableRegistry:ReceivableDefaulted", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Defaulted",
    { by: event.args.by, outstanding: event.args.outstanding },
    { status: Status.Defaulted },
    true,
  );
  await context.db.insert(schema.defaultEvent).values({
    id: eventId(event),
    receivableId: event.args.id,
    by: event.args.by,
    outstanding: event.args.outstanding,
    declaredAt: event.block.timestamp,
    block: event.block.number,
    logIndex: event.log.logIndex,
  });
});

// ======================================================================================================
// SPLIT ADAPTER — the one place that knows the shape of the ReceivableSplit event:
// `ReceivableSplit(uint256 indexed parentId, uint256 indexed rootId, uint256 firstChildId, uint256[] amounts)`
// carries every child's id and amount (issue 12), so nothing is read from storage.
// ======================================================================================================
interface SplitFacts {
  parentId: bigint;
  rootId: bigint;
  children: { id: bigint; amount: bigint }[];
}

function splitFacts(event: Event<"ReceivableRegistry:ReceivableSplit">): SplitFacts {
  const { parentId, rootId, firstChildId, amounts } = event.args;
  return { parentId, rootId, children: amounts.map((amount, i) => ({ id: firstChildId + BigInt(i), amount })) };
}
// ================================================================================ end of SPLIT ADAPTER

ponder.on("ReceivableRegistry:ReceivableSplit", async ({ event, context }) => {
  const facts = splitFacts(event);
  const parent = await onReceivable(
    event,
    context,
    facts.parentId,
    "Split",
    { children: facts.children.map((c) => ({ id: c.id, amount: c.amount })) },
    { status: Status.Split },
  );
  for (const child of facts.children) {
    // As ReceivableLogic's `_writeChild`: the parent's currency, parties and dates, Acknowledged (a part of an
    // acknowledged invoice), nothing paid; the holder comes with the mint's Transfer that follows.
    await context.db.insert(schema.receivable).values({
      id: child.id,
      parentId: facts.parentId,
      rootId: facts.rootId,
      sellerEntityId: parent.sellerEntityId,
      buyerEntityId: parent.buyerEntityId,
      holder: ZERO,
      currency: parent.currency,
      face: child.amount,
      paid: 0n,
      status: Status.Acknowledged,
      frozen: false,
      issueDate: parent.issueDate,
      dueDate: parent.dueDate,
      acknowledged: false,
      financedBy: null,
      createdAt: event.block.timestamp,
      updatedAt: event.block.timestamp,
    });
    await logEvent(event, context, child.id, "Created by split", { parentId: facts.parentId, amount: child.amount });
  }
});

ponder.on("ReceivableRegistry:Transfer", async ({ event, context }) => {
  // Solady's ERC721 names the token argument `id` (OpenZeppelin's `tokenId`).
  const id = event.args.id;
  await tick(event, context);
  await setReceivable(event, context, id, { holder: event.args.to });
  // A mint (from the zero address) is the creation that ReceivableSubmitted/ReceivableSplit already logged.
  if (event.args.from !== ZERO)
    await logEvent(event, context, id, "Transferred", { from: event.args.from, to: event.args.to });
});

// ------------------------------------------------------------------------ ratings

ponder.on("RiskEngine:RatingSet", async ({ event, context }) => {
  const values = {
    agent: event.args.agent,
    pdBps: BigInt(event.args.pdBps),
    validUntil: BigInt(event.args.validUntil),
    timestamp: event.block.timestamp,
  };
  await context.db
    .insert(schema.rating)
    .values({ buyerEntityId: event.args.buyerEntityId, ...values })
    .onConflictDoUpdate(values);
});

// -------------------------------------------------------------------------- pools

/**
 * The pool's totals (liquidity, committed, outstanding advances, fees, losses, deposits, withdrawals) are read:
 * no event carries them. Read once per block per pool (see `readOncePerBlock`).
 */
async function refreshPool(event: BlockEvent, context: AnyContext, address: Hex) {
  const { FinancingPool } = context.contracts;
  const read = (functionName: string) =>
    readOncePerBlock(
      event,
      `pool:${address}:${functionName}`,
      () =>
        context.client.readContract({
          abi: FinancingPool.abi,
          address,
          functionName: functionName as never,
        }) as Promise<bigint | Hex>,
    );
  const [asset, liquidity, committed, outstandingAdvances, feesEarned, losses, deposits, withdrawals] =
    await Promise.all([
      read("asset"),
      read("liquidity"),
      read("committed"),
      read("outstandingAdvances"),
      read("feesEarned"),
      read("losses"),
      read("totalDeposits"),
      read("totalWithdrawals"),
    ]);
  const values = {
    currency: asset as Hex,
    liquidity: liquidity as bigint,
    committed: committed as bigint,
    outstandingAdvances: outstandingAdvances as bigint,
    feesEarned: feesEarned as bigint,
    losses: losses as bigint,
    deposits: deposits as bigint,
    withdrawals: withdrawals as bigint,
  };
  const existing = await context.db.find(schema.pool, { address });
  if (existing) await context.db.update(schema.pool, { address }).set(values);
  else await context.db.insert(schema.pool).values({ address, financedCount: 0, netAdvanced: 0n, ...values });
}

/**
 * Applies a financing's new status (and `collected`) from the pool's event, as FinancingPool writes them, and
 * re-reads the pool's exposure to the receivable's buyer (once per block: the pool's at-risk accounting is
 * not in the events).
 */
async function setFinancing(
  event: BlockEvent,
  context: AnyContext,
  pool: Hex,
  id: bigint,
  change: { status?: number; collected?: (before: bigint) => bigint },
) {
  const { FinancingPool } = context.contracts;
  const key = `${pool.toLowerCase()}-${id}`;
  const existing = await context.db.find(schema.financing, { id: key });
  const before = existing?.collected ?? 0n;
  const values = {
    status: change.status ?? existing?.status ?? 0,
    collected: change.collected ? change.collected(before) : before,
  };
  if (existing) await context.db.update(schema.financing, { id: key }).set(values);
  else
    await context.db.insert(schema.financing).values({ id: key, pool, receivableId: id, financed: false, ...values });
  const r = await context.db.find(schema.receivable, { id });
  if (!r) return;
  const exposure = (await readOncePerBlock(event, `exposure:${pool}:${r.buyerEntityId}`, () =>
    context.client.readContract({
      abi: FinancingPool.abi,
      address: pool,
      functionName: "buyerExposureOf",
      args: [r.buyerEntityId],
    }),
  )) as bigint;
  const ekey = `${pool.toLowerCase()}-${r.buyerEntityId}`;
  await context.db
    .insert(schema.poolExposure)
    .values({ id: ekey, pool, buyerEntityId: r.buyerEntityId, exposure })
    .onConflictDoUpdate({ exposure });
}

type PoolEvent = BlockEvent & { log: { address: Hex } };

async function onPool(event: PoolEvent, context: AnyContext) {
  await tick(event, context);
  await refreshPool(event, context, event.log.address);
}

async function setRequestState(context: AnyContext, pool: Hex, id: bigint, state: string) {
  const key = `${pool.toLowerCase()}-${id}`;
  if (await context.db.find(schema.request, { id: key }))
    await context.db.update(schema.request, { id: key }).set({ state });
}

ponder.on("FinancingPool:LiquidityDeposited", async ({ event, context }) => onPool(event, context));
ponder.on("FinancingPool:LiquidityWithdrawn", async ({ event, context }) => onPool(event, context));
ponder.on("FinancingPool:ReserveWithdrawn", async ({ event, context }) => onPool(event, context));
ponder.on("FinancingPool:FinancingRequested", async ({ event, context }) => {
  await onPool(event, context);
  // A new request; `collected` stays as it was (a bought-back receivable may be financed again).
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.Requested });
  const values = {
    pool: event.log.address,
    receivableId: event.args.id,
    supplier: event.args.supplier,
    advance: event.args.advance,
    netAdvance: event.args.netAdvance,
    fee: event.args.fee,
    deadline: event.args.deadline,
    state: "requested",
    timestamp: event.block.timestamp,
  };
  await context.db
    .insert(schema.request)
    .values({ id: `${event.log.address.toLowerCase()}-${event.args.id}`, ...values })
    .onConflictDoUpdate(values);
  await logEvent(event, context, event.args.id, "Financing requested", {
    pool: event.log.address,
    advance: event.args.advance,
  });
});
ponder.on("FinancingPool:FinancingRejected", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.Rejected });
  await setRequestState(context, event.log.address, event.args.id, "rejected");
  await logEvent(event, context, event.args.id, "Financing rejected", {
    pool: event.log.address,
    reason: event.args.reason,
  });
});
ponder.on("FinancingPool:FinancingRequestExpired", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.Rejected });
  await setRequestState(context, event.log.address, event.args.id, "expired");
  await logEvent(event, context, event.args.id, "Financing request expired", { pool: event.log.address });
});
ponder.on("FinancingPool:Financed", async ({ event, context }) => {
  await onPool(event, context);
  const pool = event.log.address;
  await setFinancing(event, context, pool, event.args.id, { status: FinancingStatus.Active, collected: () => 0n });
  await context.db.update(schema.financing, { id: `${pool.toLowerCase()}-${event.args.id}` }).set({
    financed: true,
    supplier: event.args.supplier,
    advance: event.args.advance,
    fee: event.args.fee,
    netAdvance: event.args.netAdvance,
    reserve: event.args.reserve,
    financedAt: event.block.timestamp,
  });
  await context.db
    .update(schema.pool, { address: pool })
    .set((row) => ({ financedCount: row.financedCount + 1, netAdvanced: row.netAdvanced + event.args.netAdvance }));
  await context.db.update(schema.receivable, { id: event.args.id }).set({ financedBy: pool });
  await setRequestState(context, pool, event.args.id, "financed");
  await logEvent(event, context, event.args.id, "Financed", {
    pool,
    advance: event.args.advance,
    fee: event.args.fee,
    netAdvance: event.args.netAdvance,
  });
});
ponder.on("FinancingPool:Collected", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, {
    collected: (before) => before + event.args.amount,
  });
  await logEvent(event, context, event.args.id, "Collected", {
    pool: event.log.address,
    amount: event.args.amount,
    principal: event.args.principal,
    fee: event.args.fee,
  });
});
ponder.on("FinancingPool:FinancingRepaid", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.Repaid });
  await logEvent(event, context, event.args.id, "Financing repaid", { pool: event.log.address });
});
ponder.on("FinancingPool:WrittenOff", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.WrittenOff });
  const values = { pool: event.log.address, loss: event.args.loss, timestamp: event.block.timestamp };
  await context.db
    .insert(schema.writeOff)
    .values({ receivableId: event.args.id, ...values })
    .onConflictDoUpdate(values);
  await logEvent(event, context, event.args.id, "Written off", { pool: event.log.address, loss: event.args.loss });
});
ponder.on("FinancingPool:RecourseExercised", async ({ event, context }) => {
  await onPool(event, context);
  await setFinancing(event, context, event.log.address, event.args.id, { status: FinancingStatus.BoughtBack });
  await logEvent(event, context, event.args.id, "Recourse exercised", {
    pool: event.log.address,
    price: event.args.price,
  });
});
