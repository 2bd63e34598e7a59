/**
 * The indexer's HTTP API and dashboard (issue #15), served by Ponder's own server:
 *
 * - `/graphql` (GraphQL over every table) and `/sql/*` (Ponder's SQL-over-HTTP client);
 * - `/api/report/inputs`: the supervision report's inputs (src/chain/report/model.ts `ReportInputs`, bigints as strings),
 *   what `npx hardhat report --source indexer` reads;
 * - `/api/report` and `/api/report/<section>`: the assembled report (totals, byBuyer, byBank, overdue,
 *   defaults, concentration, frozen, statusCounts), the same figures as the RPC report;
 * - `/api/snapshots`, `/api/receivables/:id`, `/api/participants[/:entityId]`, `/api/pools`;
 * - `/` and `/static/*`: the read-only dashboard (preact + htm, uPlot).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { client, count, desc, eq, graphql } from "ponder";
import { db } from "ponder:api";
import schema from "ponder:schema";
import { assembleReport, reportToJson, type ReportInputs } from "../../../src/chain/report";
import { packageFile, projectRoot, readBook } from "../book";
import { FINANCING_STATUS, STATUS, computeSnapshot } from "../metrics";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const jsonText = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
const jsonResponse = (text: string) =>
  new Response(text, { headers: { "content-type": "application/json; charset=utf-8" } });
const json = (value: unknown) => jsonResponse(jsonText(value));

const lower = (s: string) => s.toLowerCase();

// ---------------------------------------------------------------------- cache

/**
 * Ponder's checkpoint of every chain: it moves whenever indexed rows are committed (its own live queries key
 * on it too). A report computed at one checkpoint stays true until it moves.
 */
async function checkpoint(): Promise<string> {
  const { rows } = await db.execute("SELECT chain_id, latest_checkpoint FROM _ponder_checkpoint");
  return (rows as { chain_id: unknown; latest_checkpoint: unknown }[])
    .map((r) => `${String(r.chain_id)}:${String(r.latest_checkpoint)}`)
    .sort()
    .join(",");
}

/**
 * `compute()` once per checkpoint: the report and the snapshots read every receivable, which costs seconds at
 * 20,000 receivables, while the data only changes when the checkpoint moves. Rows committed between the
 * checkpoint read and the computation make the next request (which sees the new checkpoint) compute again.
 */
function perCheckpoint<T>(compute: () => Promise<T>): () => Promise<T> {
  let key: string | undefined;
  let value: Promise<T> | undefined;
  return async () => {
    const k = await checkpoint();
    if (k !== key || value === undefined) {
      key = k;
      const v = compute();
      value = v;
      v.catch(() => {
        if (value === v) value = undefined; // a failure is not remembered
      });
    }
    return value;
  };
}

// --------------------------------------------------------------------- report

/** The report's inputs from the tables, at the last indexed event's block. */
async function reportInputs(): Promise<ReportInputs> {
  const [m] = await db.select().from(schema.meta).where(eq(schema.meta.id, "chain"));
  const book = readBook();
  const [
    receivables,
    pools,
    exposures,
    financings,
    buyers,
    ratings,
    freezes,
    defaults,
    writeOffs,
    wallets,
    currencies,
  ] = await Promise.all([
    db.select().from(schema.receivable),
    db.select().from(schema.pool),
    db.select().from(schema.poolExposure),
    db.select().from(schema.financing),
    db.select().from(schema.buyerRecord),
    db.select().from(schema.rating),
    db.select().from(schema.freeze).where(eq(schema.freeze.active, true)),
    db.select().from(schema.defaultEvent),
    db.select().from(schema.writeOff),
    db.select().from(schema.wallet).where(eq(schema.wallet.active, true)),
    db.select().from(schema.currency),
  ]);
  const financingOf = new Map(financings.map((f) => [f.id, f]));
  const buyerIds = new Set(receivables.map((r) => r.buyerEntityId));
  const ratingOf = new Map(ratings.map((r) => [r.buyerEntityId, r]));
  const walletEntities: Record<string, string> = {};
  for (const w of wallets) walletEntities[lower(w.address)] = w.entityId;
  defaults.sort((a, b) => (a.block === b.block ? a.logIndex - b.logIndex : a.block < b.block ? -1 : 1));
  return {
    chainId: BigInt(book.chainId),
    block: Number(m?.block ?? 0n),
    timestamp: Number(m?.timestamp ?? 0n),
    fromBlock: book.deployBlock,
    currencies: currencies.map((c) => ({ address: c.address, symbol: c.symbol, decimals: c.decimals })),
    receivables: receivables.map((r) => {
      const f = r.financedBy ? financingOf.get(`${lower(r.financedBy)}-${r.id}`) : undefined;
      return {
        id: r.id,
        parentId: r.parentId,
        sellerEntityId: r.sellerEntityId,
        buyerEntityId: r.buyerEntityId,
        holder: r.holder,
        currency: r.currency,
        face: r.face,
        paid: r.paid,
        status: r.status,
        frozen: r.frozen,
        issueDate: r.issueDate,
        dueDate: r.dueDate,
        acknowledged: r.acknowledged,
        ...(r.financedBy && f ? { financedBy: r.financedBy, financingStatus: f.status } : {}),
      };
    }),
    pools: pools.map((p) => {
      const byStatus: Record<string, number> = {};
      for (const f of financings) {
        if (lower(f.pool) !== lower(p.address) || !f.financed) continue;
        const name = FINANCING_STATUS[f.status];
        byStatus[name] = (byStatus[name] ?? 0) + 1;
      }
      return {
        address: p.address,
        currency: p.currency,
        liquidity: p.liquidity,
        committed: p.committed,
        outstandingAdvances: p.outstandingAdvances,
        feesEarned: p.feesEarned,
        losses: p.losses,
        deposits: p.deposits,
        withdrawals: p.withdrawals,
        financedCount: p.financedCount,
        netAdvanced: p.netAdvanced,
        byStatus,
        exposures: exposures
          .filter((e) => lower(e.pool) === lower(p.address) && e.exposure !== 0n)
          .map((e) => ({ buyerEntityId: e.buyerEntityId, exposure: e.exposure })),
      };
    }),
    buyers: buyers
      .filter((b) => buyerIds.has(b.entityId))
      .map((b) => {
        const r = ratingOf.get(b.entityId);
        return {
          buyerEntityId: b.entityId,
          record: {
            acknowledgedCount: b.acknowledgedCount,
            paidOnTimeCount: b.paidOnTimeCount,
            paidLateCount: b.paidLateCount,
            totalDaysLate: b.totalDaysLate,
            defaultCount: b.defaultCount,
          },
          rating: { pdBps: r?.pdBps ?? 0n, validUntil: Number(r?.validUntil ?? 0n) },
        };
      }),
    defaults: defaults.map((d) => ({
      id: d.receivableId,
      by: d.by,
      outstanding: d.outstanding,
      declaredAt: Number(d.declaredAt),
    })),
    freezes: freezes.map((f) => ({ id: f.receivableId, by: f.by, reason: f.reason, frozenAt: Number(f.frozenAt) })),
    writeOffs: writeOffs.map((w) => ({ id: w.receivableId, pool: w.pool, loss: w.loss })),
    walletEntities,
  };
}

function names() {
  const book = readBook();
  return {
    names: { entity: (id: string) => book.entities[id]?.name ?? book.entities[id]?.ref },
    poolNames: Object.entries(book.pools).map(([name, p]) => [p.address, name] as const),
  };
}

const cachedInputs = perCheckpoint(reportInputs);
const report = perCheckpoint(async () => {
  const { names: n, poolNames } = names();
  return assembleReport(await cachedInputs(), { names: n, poolNames });
});
const inputsJson = perCheckpoint(async () => jsonText(await cachedInputs()));
const reportJson = perCheckpoint(async () => reportToJson(await report(), 0));

app.get("/api/report/inputs", async () => jsonResponse(await inputsJson()));
app.get("/api/report", async () => jsonResponse(await reportJson()));
const SECTIONS = [
  "totals",
  "byBuyer",
  "byBank",
  "overdue",
  "defaults",
  "concentration",
  "frozen",
  "statusCounts",
  "receivables",
] as const;
app.get("/api/report/:section", async (c) => {
  const section = c.req.param("section") as (typeof SECTIONS)[number];
  if (!SECTIONS.includes(section))
    return c.json({ error: `unknown section "${section}"; one of ${SECTIONS.join(", ")}` }, 404);
  const r = await report();
  return json({
    chainId: r.chainId,
    block: r.block,
    timestamp: r.timestamp,
    currencies: r.currencies,
    [section]: r[section],
  });
});

// ------------------------------------------------------------------ dashboard data

app.get("/api/status", async () => {
  const [m] = await db.select().from(schema.meta).where(eq(schema.meta.id, "chain"));
  // Through the schema object, not raw SQL: the table lives in the database schema Ponder was started with.
  const [{ n }] = await db.select({ n: count() }).from(schema.receivable);
  return json({ block: m?.block ?? 0n, timestamp: m?.timestamp ?? 0n, receivables: n });
});

const snapshots = perCheckpoint(async () => {
  const rows = await db.select().from(schema.dailySnapshot).orderBy(schema.dailySnapshot.day);
  const [m] = await db.select().from(schema.meta).where(eq(schema.meta.id, "chain"));
  const live = m
    ? {
        day: Math.floor(Number(m.timestamp) / 86_400),
        timestamp: m.timestamp,
        block: m.block,
        live: true,
        ...computeSnapshot(
          await db.select().from(schema.receivable),
          await db.select().from(schema.poolExposure),
          Number(m.timestamp),
        ),
      }
    : undefined;
  return jsonText({ snapshots: live ? [...rows.filter((r) => r.day < live.day), live] : rows });
});
app.get("/api/snapshots", async () => jsonResponse(await snapshots()));

app.get("/api/names", () => {
  const book = readBook();
  return json({ entities: book.entities, pools: book.pools, stablecoins: book.stablecoins, chainId: book.chainId });
});

app.get("/api/receivables/:id", async (c) => {
  let id: bigint;
  try {
    id = BigInt(c.req.param("id"));
  } catch {
    return c.json({ error: `receivable id must be a whole number, got "${c.req.param("id")}"` }, 400);
  }
  const [r] = await db.select().from(schema.receivable).where(eq(schema.receivable.id, id));
  if (!r) return c.json({ error: `receivable #${id} is not indexed (yet)` }, 404);
  const [events, payments, financings, lineage, freezes] = await Promise.all([
    db.select().from(schema.receivableEvent).where(eq(schema.receivableEvent.receivableId, id)),
    db.select().from(schema.payment).where(eq(schema.payment.receivableId, id)),
    db.select().from(schema.financing).where(eq(schema.financing.receivableId, id)),
    db.select().from(schema.receivable).where(eq(schema.receivable.rootId, r.rootId)),
    db.select().from(schema.freeze).where(eq(schema.freeze.receivableId, id)),
  ]);
  events.sort((a, b) => (a.block === b.block ? a.logIndex - b.logIndex : a.block < b.block ? -1 : 1));
  return json({
    receivable: { ...r, statusName: STATUS[r.status] },
    events,
    payments,
    financings: financings.map((f) => ({ ...f, statusName: FINANCING_STATUS[f.status] })),
    lineage: lineage
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((l) => ({
        id: l.id,
        parentId: l.parentId,
        face: l.face,
        paid: l.paid,
        status: STATUS[l.status],
        currency: l.currency,
      })),
    freeze: freezes[0] ?? null,
  });
});

app.get("/api/participants", async () => {
  const entities = await db.select().from(schema.entity);
  return json({ entities });
});

app.get("/api/participants/:entityId", async (c) => {
  const id = lower(c.req.param("entityId")) as `0x${string}`;
  const [e] = await db.select().from(schema.entity).where(eq(schema.entity.id, id));
  if (!e) return c.json({ error: `entity ${id} is not registered (or not indexed yet)` }, 404);
  const [wallets, record, rating, asBuyer, asSeller] = await Promise.all([
    db.select().from(schema.wallet).where(eq(schema.wallet.entityId, id)),
    db.select().from(schema.buyerRecord).where(eq(schema.buyerRecord.entityId, id)),
    db.select().from(schema.rating).where(eq(schema.rating.buyerEntityId, id)),
    db
      .select()
      .from(schema.receivable)
      .where(eq(schema.receivable.buyerEntityId, id))
      .orderBy(desc(schema.receivable.id))
      .limit(200),
    db
      .select()
      .from(schema.receivable)
      .where(eq(schema.receivable.sellerEntityId, id))
      .orderBy(desc(schema.receivable.id))
      .limit(200),
  ]);
  const [m] = await db.select().from(schema.meta).where(eq(schema.meta.id, "chain"));
  const mapRow = (r: (typeof asBuyer)[number]) => ({ ...r, statusName: STATUS[r.status] });
  return json({
    entity: e,
    wallets,
    buyerRecord: record[0] ?? null,
    rating: rating[0] ? { ...rating[0], valid: Number(rating[0].validUntil) > Number(m?.timestamp ?? 0n) } : null,
    asBuyer: asBuyer.map(mapRow),
    asSeller: asSeller.map(mapRow),
  });
});

// ------------------------------------------------------------------- static files

const dashboardDir = join(projectRoot, "indexer", "dashboard");
const STATIC: Record<string, [() => string, string]> = {
  "/static/app.js": [() => join(dashboardDir, "app.js"), "text/javascript"],
  "/static/style.css": [() => join(dashboardDir, "style.css"), "text/css"],
  "/static/preact.js": [() => packageFile("preact", "dist/preact.module.js"), "text/javascript"],
  "/static/hooks.js": [() => packageFile("preact", "hooks/dist/hooks.module.js"), "text/javascript"],
  "/static/htm.js": [() => packageFile("htm", "dist/htm.module.js"), "text/javascript"],
  "/static/uplot.js": [() => packageFile("uplot", "dist/uPlot.esm.js"), "text/javascript"],
  "/static/uplot.css": [() => packageFile("uplot", "dist/uPlot.min.css"), "text/css"],
};
for (const [path, [file, type]] of Object.entries(STATIC)) {
  app.get(path, () => new Response(readFileSync(file()), { headers: { "content-type": `${type}; charset=utf-8` } }));
}
const page = () =>
  new Response(readFileSync(join(dashboardDir, "index.html")), {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
app.get("/", page);
app.get("/favicon.ico", () => new Response(null, { status: 204 }));
for (const p of [
  "/portfolio",
  "/portfolio/*",
  "/supervisor",
  "/receivable",
  "/receivable/*",
  "/participant",
  "/participant/*",
]) {
  app.get(p, page);
}

export default app;
