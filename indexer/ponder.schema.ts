/**
 * The indexer's tables (issue #15). Amounts are in the token's base units (bigint); entity ids are bytes32
 * hex; times are Unix seconds. The same schema runs on PGlite (default) and PostgreSQL (`DATABASE_URL`).
 *
 * Current state (receivable, financing, rating, freeze, wallet) is built from the events; pool, poolExposure,
 * buyerRecord and entity are read from the contracts' views at the block of an event that touches them (once
 * per block), so the rows equal what the chain report reads; history (receivableEvent, payment,
 * defaultEvent, request, writeOff) comes from the events;
 * dailySnapshot is computed when the first event of a new day arrives.
 */
import { index, onchainTable } from "ponder";

export const entity = onchainTable("entity", (t) => ({
  id: t.hex().primaryKey(),
  index: t.integer().notNull(),
  roles: t.integer().notNull(),
  kycExpiry: t.bigint().notNull(),
  suspended: t.boolean().notNull(),
  registeredAt: t.bigint().notNull(),
}));

export const wallet = onchainTable(
  "wallet",
  (t) => ({
    address: t.hex().primaryKey(),
    entityId: t.hex().notNull(),
    active: t.boolean().notNull(),
    addedAt: t.bigint().notNull(),
  }),
  (table) => ({ entityIdx: index().on(table.entityId) }),
);

export const currency = onchainTable("currency", (t) => ({
  address: t.hex().primaryKey(),
  symbol: t.text().notNull(),
  decimals: t.integer().notNull(),
  allowed: t.boolean().notNull(),
}));

export const receivable = onchainTable(
  "receivable",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** 0 for an invoice. */
    parentId: t.bigint().notNull(),
    /** The invoice at the root of the lineage (itself for an invoice). */
    rootId: t.bigint().notNull(),
    sellerEntityId: t.hex().notNull(),
    buyerEntityId: t.hex().notNull(),
    holder: t.hex().notNull(),
    currency: t.hex().notNull(),
    face: t.bigint().notNull(),
    paid: t.bigint().notNull(),
    status: t.integer().notNull(),
    frozen: t.boolean().notNull(),
    issueDate: t.integer().notNull(),
    dueDate: t.integer().notNull(),
    acknowledged: t.boolean().notNull(),
    /** The pool that financed it last, if any. */
    financedBy: t.hex(),
    createdAt: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({
    buyerIdx: index().on(table.buyerEntityId),
    sellerIdx: index().on(table.sellerEntityId),
    rootIdx: index().on(table.rootId),
    parentIdx: index().on(table.parentId),
  }),
);

/** Every event of a receivable, for the timeline. */
export const receivableEvent = onchainTable(
  "receivable_event",
  (t) => ({
    id: t.text().primaryKey(),
    receivableId: t.bigint().notNull(),
    kind: t.text().notNull(),
    detail: t.json(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ receivableIdx: index().on(table.receivableId) }),
);

export const payment = onchainTable(
  "payment",
  (t) => ({
    id: t.text().primaryKey(),
    receivableId: t.bigint().notNull(),
    payer: t.hex().notNull(),
    holder: t.hex().notNull(),
    amount: t.bigint().notNull(),
    paidTotal: t.bigint().notNull(),
    status: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ receivableIdx: index().on(table.receivableId) }),
);

/** One receivable in one pool: the financing's current status and the figures of its Financed event. */
export const financing = onchainTable(
  "financing",
  (t) => ({
    id: t.text().primaryKey(),
    pool: t.hex().notNull(),
    receivableId: t.bigint().notNull(),
    status: t.integer().notNull(),
    /** True once a Financed event was seen (requests that were never approved stay false). */
    financed: t.boolean().notNull(),
    supplier: t.hex(),
    advance: t.bigint(),
    fee: t.bigint(),
    netAdvance: t.bigint(),
    reserve: t.bigint(),
    collected: t.bigint().notNull(),
    financedAt: t.bigint(),
  }),
  (table) => ({ poolIdx: index().on(table.pool), receivableIdx: index().on(table.receivableId) }),
);

export const request = onchainTable("request", (t) => ({
  id: t.text().primaryKey(),
  pool: t.hex().notNull(),
  receivableId: t.bigint().notNull(),
  supplier: t.hex().notNull(),
  advance: t.bigint().notNull(),
  /** The most the manager's approval may charge (the fee quoted at the request, issue 12). */
  fee: t.bigint().notNull(),
  netAdvance: t.bigint().notNull(),
  deadline: t.bigint().notNull(),
  /** requested, rejected, expired or financed. */
  state: t.text().notNull(),
  timestamp: t.bigint().notNull(),
}));

export const pool = onchainTable("pool", (t) => ({
  address: t.hex().primaryKey(),
  currency: t.hex().notNull(),
  liquidity: t.bigint().notNull(),
  committed: t.bigint().notNull(),
  outstandingAdvances: t.bigint().notNull(),
  feesEarned: t.bigint().notNull(),
  losses: t.bigint().notNull(),
  deposits: t.bigint().notNull(),
  withdrawals: t.bigint().notNull(),
  financedCount: t.integer().notNull(),
  netAdvanced: t.bigint().notNull(),
}));

export const poolExposure = onchainTable(
  "pool_exposure",
  (t) => ({
    id: t.text().primaryKey(),
    pool: t.hex().notNull(),
    buyerEntityId: t.hex().notNull(),
    exposure: t.bigint().notNull(),
  }),
  (table) => ({ poolIdx: index().on(table.pool) }),
);

export const buyerRecord = onchainTable("buyer_record", (t) => ({
  entityId: t.hex().primaryKey(),
  acknowledgedCount: t.bigint().notNull(),
  paidOnTimeCount: t.bigint().notNull(),
  paidLateCount: t.bigint().notNull(),
  totalDaysLate: t.bigint().notNull(),
  defaultCount: t.bigint().notNull(),
}));

export const rating = onchainTable("rating", (t) => ({
  buyerEntityId: t.hex().primaryKey(),
  agent: t.hex().notNull(),
  pdBps: t.bigint().notNull(),
  validUntil: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** The standing (or last) freeze of each receivable. */
export const freeze = onchainTable("freeze", (t) => ({
  receivableId: t.bigint().primaryKey(),
  by: t.hex().notNull(),
  reason: t.hex().notNull(),
  frozenAt: t.bigint().notNull(),
  active: t.boolean().notNull(),
}));

export const defaultEvent = onchainTable("default_event", (t) => ({
  id: t.text().primaryKey(),
  receivableId: t.bigint().notNull(),
  by: t.hex().notNull(),
  outstanding: t.bigint().notNull(),
  declaredAt: t.bigint().notNull(),
  block: t.bigint().notNull(),
  logIndex: t.integer().notNull(),
}));

export const writeOff = onchainTable("write_off", (t) => ({
  receivableId: t.bigint().primaryKey(),
  pool: t.hex().notNull(),
  loss: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

/**
 * The portfolio at the end of a day with activity (UTC day number = timestamp / 86400). Amount maps are
 * `{ currency: "base units" }`; exposures `{ entityId or pool: { currency: "base units" } }`.
 */
export const dailySnapshot = onchainTable("daily_snapshot", (t) => ({
  day: t.integer().primaryKey(),
  timestamp: t.bigint().notNull(),
  block: t.bigint().notNull(),
  receivables: t.integer().notNull(),
  outstanding: t.json().notNull(),
  /** Five buckets: not yet due, 1–30, 31–60, 61–90, 90+ days past due. */
  overdue: t.json().notNull(),
  defaultsCount: t.integer().notNull(),
  defaulted: t.json().notNull(),
  exposureByBuyer: t.json().notNull(),
  exposureByBank: t.json().notNull(),
  top10ShareBps: t.integer().notNull(),
  hhiBps: t.integer().notNull(),
}));

/** Where indexing stands: the last event's block, and the last day snapshotted. */
export const meta = onchainTable("meta", (t) => ({
  id: t.text().primaryKey(),
  block: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  lastDay: t.integer().notNull(),
}));
