/**
 * Event handlers (issue #15). State rows are refreshed from the contracts' views at the event's block
 * (`context.client` reads at that block), so they equal what `npx hardhat report` reads from the chain;
 * history rows come straight from the events.
 */
import { ponder, type Event } from "ponder:registry";
import schema from "ponder:schema";
import { snapshotIfNewDay } from "./snapshot";

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
 * Entity ids by registry index. An index is given to one entity once and never reused, so the answer is read
 * from the chain once per process: a new receivable then costs two calls instead of four (the benchmark's
 * catch-up, `npm run bench:supervision`, is bound by the node's eth_call rate).
 */
const entityIds = new Map<string, Hex>();

async function entityIdAt(context: AnyContext, index: number): Promise<Hex> {
  const { ParticipantRegistry } = context.contracts;
  const key = `${context.chain.id}:${ParticipantRegistry.address}:${index}`;
  const known = entityIds.get(key);
  if (known) return known;
  const id = (await context.client.readContract({
    abi: ParticipantRegistry.abi,
    address: ParticipantRegistry.address as Hex,
    functionName: "entityIdAt",
    args: [index],
  })) as Hex;
  // Only a registered index is remembered (an unknown one reads as zero and may be registered later).
  if (!/^0x0*$/.test(id)) entityIds.set(key, id);
  return id;
}

/** Re-reads a receivable's record and holder at the event's block and upserts its row. */
async function refreshReceivable(
  event: AnyEvent,
  context: AnyContext,
  id: bigint,
  lineage?: { parentId: bigint; rootId: bigint },
) {
  const { ReceivableRegistry, ReceivableLens } = context.contracts;
  const address = ReceivableRegistry.address as Hex;
  // The record and the holder are read at the same time (two calls in flight instead of one after the other).
  const [read, owner] = await Promise.all([
    context.client.readContract({
      abi: ReceivableLens.abi,
      address: ReceivableLens.address as Hex,
      functionName: "receivable",
      args: [id],
    }),
    context.client
      .readContract({ abi: ReceivableRegistry.abi, address, functionName: "ownerOf", args: [id] })
      .then((h) => h as Hex)
      .catch(() => ZERO), // burnt (a split parent)
  ]);
  const r = read as {
    currency: Hex;
    sellerIndex: number;
    buyerIndex: number;
    issueDate: number;
    dueDate: number;
    faceAmount: bigint;
    paidAmount: bigint;
    status: number;
    frozen: boolean;
  };
  const holder: Hex = owner;
  const existing = await context.db.find(schema.receivable, { id });
  const state = {
    holder,
    currency: r.currency,
    face: r.faceAmount,
    paid: r.paidAmount,
    status: Number(r.status),
    frozen: r.frozen,
    issueDate: Number(r.issueDate),
    dueDate: Number(r.dueDate),
    updatedAt: event.block.timestamp,
  };
  if (existing) {
    await context.db.update(schema.receivable, { id }).set(state);
    return;
  }
  const [sellerEntityId, buyerEntityId] = await Promise.all([
    entityIdAt(context, Number(r.sellerIndex)),
    entityIdAt(context, Number(r.buyerIndex)),
  ]);
  await context.db.insert(schema.receivable).values({
    id,
    parentId: lineage?.parentId ?? 0n,
    rootId: lineage?.rootId ?? id,
    sellerEntityId,
    buyerEntityId,
    acknowledged: false,
    financedBy: null,
    createdAt: event.block.timestamp,
    ...state,
  });
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

async function refreshBuyerRecord(context: AnyContext, buyerEntityId: Hex) {
  const { ReceivableLens } = context.contracts;
  const rec = (await context.client.readContract({
    abi: ReceivableLens.abi,
    address: ReceivableLens.address as Hex,
    functionName: "buyerRecord",
    args: [buyerEntityId],
  })) as Record<string, bigint | number>;
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

/** A receivable event that changes its state and maybe its buyer's record. */
async function onReceivable(
  event: AnyEvent,
  context: AnyContext,
  id: bigint,
  kind: string,
  detail: unknown,
  buyerRecordChanges = false,
) {
  await tick(event, context);
  await refreshReceivable(event, context, id);
  await logEvent(event, context, id, kind, detail);
  if (buyerRecordChanges) {
    const row = await context.db.find(schema.receivable, { id });
    if (row) await refreshBuyerRecord(context, row.buyerEntityId);
  }
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
  await onReceivable(event, context, event.args.id, "Submitted", {
    amount: event.args.amount,
    dueDate: event.args.dueDate,
  });
});
ponder.on("ReceivableRegistry:ReceivableAcknowledged", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Acknowledged", { by: event.args.buyerWallet }, true);
  await context.db.update(schema.receivable, { id: event.args.id }).set({ acknowledged: true });
});
ponder.on("ReceivableRegistry:ReceivableRejected", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Rejected", {
    by: event.args.buyerWallet,
    reason: event.args.reason,
  });
});
ponder.on("ReceivableRegistry:ReceivableCancelled", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Cancelled", { by: event.args.sellerWallet });
});
ponder.on("ReceivableRegistry:ReceivableFrozen", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Frozen", { by: event.args.regulator, reason: event.args.reason });
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
  await onReceivable(event, context, event.args.id, "Unfrozen", { by: event.args.regulator });
  const row = await context.db.find(schema.freeze, { receivableId: event.args.id });
  if (row) await context.db.update(schema.freeze, { receivableId: event.args.id }).set({ active: false });
});
ponder.on("ReceivableRegistry:ReceivablePaid", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Paid",
    { amount: event.args.amount, paidTotal: event.args.paidTotal, payer: event.args.payer },
    true,
  );
  await context.db.insert(schema.payment).values({
    id: eventId(event),
    receivableId: event.args.id,
    payer: event.args.payer,
    holder: event.args.holder,
    amount: event.args.amount,
    paidTotal: event.args.paidTotal,
    status: Number(event.args.status),
    timestamp: event.block.timestamp,
  });
});
ponder.on("ReceivableRegistry:ReceivableSettled", async ({ event, context }) => {
  await onReceivable(event, context, event.args.id, "Settled", { daysLate: event.args.daysLate }, true);
});
ponder.on("ReceivableRegistry:ReceivableDefaulted", async ({ event, context }) => {
  await onReceivable(
    event,
    context,
    event.args.id,
    "Defaulted",
    { by: event.args.by, outstanding: event.args.outstanding },
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
  await onReceivable(event, context, facts.parentId, "Split", {
    children: facts.children.map((c) => ({ id: c.id, amount: c.amount })),
  });
  for (const child of facts.children) {
    await refreshReceivable(event, context, child.id, { parentId: facts.parentId, rootId: facts.rootId });
    // A child inherits its parent's acknowledgement (it is a part of an acknowledged invoice).
    await logEvent(event, context, child.id, "Created by split", { parentId: facts.parentId, amount: child.amount });
  }
});

ponder.on("ReceivableRegistry:Transfer", async ({ event, context }) => {
  const id = event.args.tokenId;
  if (!(await context.db.find(schema.receivable, { id }))) return; // a mint: ReceivableSubmitted/Split follows
  await tick(event, context);
  await refreshReceivable(event, context, id);
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

async function refreshPool(context: AnyContext, address: Hex) {
  const { FinancingPool } = context.contracts;
  const read = (functionName: string) =>
    context.client.readContract({ abi: FinancingPool.abi, address, functionName: functionName as never }) as Promise<
      bigint | Hex
    >;
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

/** Re-reads the pool's financing of `id` and its exposure to the receivable's buyer. */
async function refreshFinancing(context: AnyContext, pool: Hex, id: bigint) {
  const { FinancingPool } = context.contracts;
  const f = (await context.client.readContract({
    abi: FinancingPool.abi,
    address: pool,
    functionName: "financing",
    args: [id],
  })) as { status: number; collected: bigint };
  const key = `${pool.toLowerCase()}-${id}`;
  const values = { status: Number(f.status), collected: BigInt(f.collected ?? 0n) };
  await context.db
    .insert(schema.financing)
    .values({ id: key, pool, receivableId: id, financed: false, ...values })
    .onConflictDoUpdate(values);
  const r = await context.db.find(schema.receivable, { id });
  if (!r) return;
  const exposure = (await context.client.readContract({
    abi: FinancingPool.abi,
    address: pool,
    functionName: "buyerExposureOf",
    args: [r.buyerEntityId],
  })) as bigint;
  const ekey = `${pool.toLowerCase()}-${r.buyerEntityId}`;
  await context.db
    .insert(schema.poolExposure)
    .values({ id: ekey, pool, buyerEntityId: r.buyerEntityId, exposure })
    .onConflictDoUpdate({ exposure });
}

async function onPool(event: AnyEvent & { log: { address: Hex } }, context: AnyContext, id?: bigint) {
  await tick(event, context);
  await refreshPool(context, event.log.address);
  if (id !== undefined) {
    await refreshReceivable(event, context, id).catch(() => undefined);
    await refreshFinancing(context, event.log.address, id);
  }
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
  await onPool(event, context, event.args.id);
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
  await onPool(event, context, event.args.id);
  await setRequestState(context, event.log.address, event.args.id, "rejected");
  await logEvent(event, context, event.args.id, "Financing rejected", {
    pool: event.log.address,
    reason: event.args.reason,
  });
});
ponder.on("FinancingPool:FinancingRequestExpired", async ({ event, context }) => {
  await onPool(event, context, event.args.id);
  await setRequestState(context, event.log.address, event.args.id, "expired");
  await logEvent(event, context, event.args.id, "Financing request expired", { pool: event.log.address });
});
ponder.on("FinancingPool:Financed", async ({ event, context }) => {
  await onPool(event, context, event.args.id);
  const pool = event.log.address;
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
  await onPool(event, context, event.args.id);
  await logEvent(event, context, event.args.id, "Collected", {
    pool: event.log.address,
    amount: event.args.amount,
    principal: event.args.principal,
    fee: event.args.fee,
  });
});
ponder.on("FinancingPool:FinancingRepaid", async ({ event, context }) => {
  await onPool(event, context, event.args.id);
  await logEvent(event, context, event.args.id, "Financing repaid", { pool: event.log.address });
});
ponder.on("FinancingPool:WrittenOff", async ({ event, context }) => {
  await onPool(event, context, event.args.id);
  const values = { pool: event.log.address, loss: event.args.loss, timestamp: event.block.timestamp };
  await context.db
    .insert(schema.writeOff)
    .values({ receivableId: event.args.id, ...values })
    .onConflictDoUpdate(values);
  await logEvent(event, context, event.args.id, "Written off", { pool: event.log.address, loss: event.args.loss });
});
ponder.on("FinancingPool:RecourseExercised", async ({ event, context }) => {
  await onPool(event, context, event.args.id);
  await logEvent(event, context, event.args.id, "Recourse exercised", {
    pool: event.log.address,
    price: event.args.price,
  });
});
