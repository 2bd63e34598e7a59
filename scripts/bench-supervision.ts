/**
 * `npm run bench:supervision` (issue #15's benchmark, not a timed test): the supervision data layer at a
 * national programme's size. Writes `reports/supervision.json`.
 *
 * 1. Starts `hardhat node` on a free port and seeds it with `$SUPERVISION_RECEIVABLES` invoices (default
 *    20,000; e.g. 500 for a quick try) in a realistic mix: scripts/bench-supervision-seed.ts.
 * 2. For each database — PGlite (embedded, the default) and PostgreSQL (a throw-away cluster started here as
 *    in scripts/test-indexer-postgres.sh; skipped with a message when its binaries are missing, or with
 *    SUPERVISION_DATABASES=pglite) — starts the indexer (Ponder) on a fresh database and measures:
 *    - catch-up: from the start of `ponder start` until the indexer holds the chain's last block, and the
 *      events of the indexed contracts per second over that time;
 *    - the report from the indexer, in process (scripts/bench-supervision-report.ts: what
 *      `npx hardhat report --source indexer` does, without Hardhat's start-up), and once through the CLI;
 *    - the dashboard's JSON routes, `SUPERVISION_REQUESTS` requests each (default 50): p50 and p95 per route,
 *      and per page (a page load: `/api/status` and `/api/report/totals` as the app's start, then the page's own
 *      routes in parallel, as the browser does).
 * 3. The RPC report (`buildReport`, what `npx hardhat report` does) is timed once on the same chain, at the
 *    indexer's block, and compared with the indexer's report to the unit. `speedup` = RPC report time ÷ indexer
 *    report time (both in process, the median of the indexer runs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, chownSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { freePort, sleep } from "./lib/net";

const ROOT = resolve(__dirname, "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const PONDER = join(ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const OUT = join(ROOT, "reports", "supervision.json");
const REQUESTS = Math.max(1, Number(process.env.SUPERVISION_REQUESTS ?? 50));
const DATABASES = (process.env.SUPERVISION_DATABASES ?? "pglite,postgres").split(",").map((s) => s.trim());
/** The local node: `hardhat node` (default) or `anvil` (SUPERVISION_NODE=anvil; the npm package @foundry-rs/anvil). */
const NODE = process.env.SUPERVISION_NODE ?? "hardhat";
if (NODE !== "hardhat" && NODE !== "anvil")
  throw new Error(`SUPERVISION_NODE must be hardhat or anvil (got "${NODE}")`);
const ANVIL = join(ROOT, "node_modules", ".bin", "anvil");
const CATCH_UP_TIMEOUT_S = Number(process.env.SUPERVISION_CATCH_UP_TIMEOUT ?? 3 * 3600);

const children = new Set<ChildProcess>();
const cleanups: (() => void)[] = [];
const dir = mkdtempSync(join(tmpdir(), "tradefin-supervision-"));
const log = (line: string) => console.log(line);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<Json> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const json = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (json.error) throw new Error(`${method}: ${json.error.message}`);
  return json.result;
}

/** Runs `hardhat <args> --network localhost`; throws with its output when it fails. */
function hardhat(env: NodeJS.ProcessEnv, args: string[], inherit = false): { stdout: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    stdio: inherit ? ["ignore", "inherit", "inherit"] : "pipe",
  });
  const ms = performance.now() - t;
  if (r.status !== 0)
    throw new Error(`hardhat ${args.join(" ")} failed:\n${r.stderr ?? ""}\n${(r.stdout ?? "").slice(-3000)}`);
  return { stdout: r.stdout ?? "", ms };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const round = (x: number) => Math.round(x * 10) / 10;
const stats = (xs: number[]) => ({
  p50Ms: round(quantile(xs, 0.5)),
  p95Ms: round(quantile(xs, 0.95)),
  maxMs: round(Math.max(...xs)),
  n: xs.length,
});

/** The logs of the indexed contracts between two blocks: what the indexer processes. */
async function countEvents(url: string, addresses: string[], from: number, to: number): Promise<number> {
  let n = 0;
  for (let a = from; a <= to; a += 500) {
    const b = Math.min(to, a + 499);
    const logs = (await rpc(url, "eth_getLogs", [
      { address: addresses, fromBlock: `0x${a.toString(16)}`, toBlock: `0x${b.toString(16)}` },
    ])) as unknown[];
    n += logs.length;
  }
  return n;
}

// ---------------------------------------------------------------- PostgreSQL

interface Cluster {
  url: string;
  stop: () => void;
}

/** A throw-away PostgreSQL cluster on a free loopback port (as scripts/test-indexer-postgres.sh), or why not. */
async function startPostgres(): Promise<Cluster | string> {
  const candidates = [
    process.env.PG_BIN,
    "/usr/lib/postgresql/15/bin",
    spawnSync("sh", ["-c", 'dirname "$(command -v pg_ctl)"'], { encoding: "utf8" }).stdout.trim() || undefined,
  ].filter((x): x is string => !!x);
  const bin = candidates.find((d) => existsSync(join(d, "pg_ctl")) && existsSync(join(d, "initdb")));
  if (!bin)
    return `no PostgreSQL binaries (pg_ctl, initdb) on PATH, in $PG_BIN or /usr/lib/postgresql/15/bin: apt-get install -y postgresql`;
  const port = await freePort();
  const pgDir = join(dir, "pg");
  mkdirSync(pgDir);
  const asRoot = userInfo().username === "root";
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    if (!Number.isFinite(uid) || Number.isNaN(uid))
      return "running as root but there is no `postgres` user to run the cluster";
    chownSync(dir, uid, gid);
    chownSync(pgDir, uid, gid);
  }
  const asPg = (cmd: string) =>
    asRoot
      ? spawnSync("su", ["postgres", "-c", cmd], { encoding: "utf8" })
      : spawnSync("bash", ["-c", cmd], { encoding: "utf8" });
  const init = asPg(`${bin}/initdb -D ${pgDir}/data -U postgres --auth=trust`);
  if (init.status !== 0) return `initdb failed: ${init.stderr}`;
  const start = asPg(
    `${bin}/pg_ctl -D ${pgDir}/data -o '-c listen_addresses=127.0.0.1 -p ${port} -k ${pgDir}' -l ${pgDir}/log -w start`,
  );
  if (start.status !== 0) return `pg_ctl start failed: ${start.stderr}`;
  const version = asPg(`${bin}/postgres --version`).stdout.trim();
  log(`PostgreSQL (${version}) on 127.0.0.1:${port}`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    asPg(`${bin}/pg_ctl -D ${pgDir}/data -m fast stop`);
  };
  cleanups.push(stop);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}

// ------------------------------------------------------------------- the API

/** A dashboard page: the routes the app (indexer/dashboard/app.js) fetches for it, after its start-up pair. */
interface Page {
  name: string;
  routes: (i: number) => string[];
}
const START_ROUTES = ["/api/status", "/api/report/totals"];

async function timeGet(api: string, path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${api}${path}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return performance.now() - t;
}

async function benchApi(api: string, pages: Page[]) {
  // Warm-up: one request per route (the first request of a route compiles its query plans).
  const warm: Record<string, number> = {};
  for (const p of pages)
    for (const r of [...START_ROUTES, ...p.routes(0)])
      warm[r.replace(/\/0x[0-9a-f]+$|\/\d+$/, "/:id")] ??= round(await timeGet(api, r));
  const routes: Record<string, number[]> = {};
  const pageTimes: Record<string, number[]> = {};
  for (const p of pages) {
    pageTimes[p.name] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const first = await Promise.all(START_ROUTES.map((r) => timeGet(api, r)));
      const own = p.routes(i);
      const second = await Promise.all(own.map((r) => timeGet(api, r)));
      pageTimes[p.name].push(performance.now() - t);
      [...START_ROUTES, ...own].forEach((r, k) => {
        const key = r.replace(/\/0x[0-9a-f]+$|\/\d+$/, "/:id");
        (routes[key] ??= []).push([...first, ...second][k]);
      });
    }
  }
  // Each route alone too (no concurrent requests), REQUESTS times.
  const alone: Record<string, number[]> = {};
  const all = new Map<string, (i: number) => string>();
  for (const p of pages)
    p.routes(0).forEach((_, k) =>
      all.set(p.routes(0)[k].replace(/\/0x[0-9a-f]+$|\/\d+$/, "/:id"), (i) => p.routes(i)[k]),
    );
  for (const r of START_ROUTES) all.set(r, () => r);
  for (const [key, path] of all) {
    alone[key] = [];
    for (let i = 0; i < REQUESTS; i++) alone[key].push(await timeGet(api, path(i)));
  }
  return {
    pages: Object.fromEntries(Object.entries(pageTimes).map(([k, v]) => [k, stats(v)])),
    routesInPages: Object.fromEntries(Object.entries(routes).map(([k, v]) => [k, stats(v)])),
    routesAlone: Object.fromEntries(Object.entries(alone).map(([k, v]) => [k, stats(v)])),
    firstRequestMs: warm,
  };
}

// ------------------------------------------------------------------------ main

async function main() {
  const nodePort = await freePort();
  const url = `http://127.0.0.1:${nodePort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCALHOST_URL: url,
    TRADEFIN_RPC_URL: url,
    TRADEFIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
    PONDER_TELEMETRY_DISABLED: "true",
    FORCE_COLOR: "0",
  };
  delete env.DATABASE_URL;
  const started = new Date();

  log(`Starting ${NODE === "anvil" ? "anvil" : "hardhat node"} on ${url}…`);
  const [cmd, args] =
    NODE === "anvil"
      ? [ANVIL, ["--accounts", "20", "--host", "127.0.0.1", "--port", String(nodePort), "--hardfork", "prague"]]
      : [process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(nodePort)]];
  const node = spawn(cmd, args, {
    cwd: ROOT,
    env,
    stdio: "ignore",
    detached: true,
  });
  children.add(node);
  for (let i = 0; (await rpc(url, "eth_chainId").catch(() => undefined)) === undefined; i++) {
    if (i > 480) throw new Error(`hardhat node did not answer on ${url}`);
    await sleep(250);
  }

  const seedOut = join(dir, "seed.json");
  const seedRun = hardhat(
    { ...env, SUPERVISION_SEED_OUT: seedOut },
    ["run", "scripts/bench-supervision-seed.ts"],
    true,
  );
  const seed = JSON.parse(readFileSync(seedOut, "utf8"));
  const book = JSON.parse(readFileSync(join(dir, "deployments", "localhost.json"), "utf8"));
  const head = Number(await rpc(url, "eth_blockNumber"));
  const addresses = [
    book.contracts.participants,
    book.contracts.receivables,
    book.contracts.riskEngine,
    ...Object.values(book.pools).map((p: Json) => p.address),
  ];
  const events = await countEvents(url, addresses, book.deployBlock, head);
  log(
    `Chain: ${seed.receivables} receivables, ${events} events of the indexed contracts, blocks ${book.deployBlock}..${head}`,
  );

  // Ids the dashboard's Receivable and Participant pages are opened on: spread over the whole range.
  const maxId = seed.receivables;
  const receivableId = (i: number) => 1 + Math.floor(((i * 7919) % REQUESTS) * (maxId / REQUESTS)) + (i % 3);
  const entityIds = Object.keys(book.entities);
  const buyerIds = entityIds.filter((id) => /Buyer/.test(book.entities[id].name));
  const supplierIds = entityIds.filter((id) => /Supplier/.test(book.entities[id].name));
  const participantId = (i: number) =>
    i % 2 === 0 ? buyerIds[i % buyerIds.length] : supplierIds[i % supplierIds.length];
  const pages: Page[] = [
    { name: "supervisor", routes: () => ["/api/report", "/api/snapshots"] },
    { name: "portfolio", routes: () => ["/api/report"] },
    { name: "receivable", routes: (i) => [`/api/receivables/${receivableId(i)}`, "/api/names"] },
    {
      name: "participant",
      routes: (i) => ["/api/participants", "/api/names", `/api/participants/${participantId(i)}`],
    },
  ];

  const results: Record<string, Json> = {};
  const skipped: Record<string, string> = {};
  let rpcReport: Json;
  for (const db of DATABASES) {
    if (db !== "pglite" && db !== "postgres") throw new Error(`SUPERVISION_DATABASES: unknown database "${db}"`);
    let cluster: Cluster | undefined;
    const dbEnv: NodeJS.ProcessEnv = { ...env, DATABASE_SCHEMA: "tradefin_bench" };
    if (db === "postgres") {
      const c = await startPostgres();
      if (typeof c === "string") {
        log(`Skipping PostgreSQL: ${c}`);
        skipped.postgres = c;
        continue;
      }
      cluster = c;
      dbEnv.DATABASE_URL = c.url;
    } else {
      dbEnv.TRADEFIN_PGLITE_DIR = join(dir, "pglite");
    }
    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    log(`\n[${db}] indexer on ${api}: catching up…`);
    const logFile = join(dir, `ponder-${db}.log`);
    const t0 = performance.now();
    const ponder = spawn(process.execPath, [PONDER, "start", "--port", String(apiPort), "--log-level", "warn"], {
      cwd: join(ROOT, "indexer"),
      env: dbEnv,
      stdio: ["ignore", openSync(logFile, "a"), openSync(logFile, "a")],
      detached: true,
    });
    children.add(ponder);
    let firstAnswerMs: number | undefined;
    let status: Json;
    let lastPrint = 0;
    for (;;) {
      status = await fetch(`${api}/api/status`)
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);
      if (status && firstAnswerMs === undefined) firstAnswerMs = performance.now() - t0;
      if (status && Number(status.block) >= head) break;
      if (ponder.exitCode !== null)
        throw new Error(`[${db}] the indexer stopped:\n${readFileSync(logFile, "utf8").slice(-3000)}`);
      if (performance.now() - t0 > CATCH_UP_TIMEOUT_S * 1000)
        throw new Error(`[${db}] not caught up after ${CATCH_UP_TIMEOUT_S} s: ${JSON.stringify(status)}`);
      if (performance.now() - lastPrint > 30_000) {
        lastPrint = performance.now();
        log(
          `  ${Math.round((performance.now() - t0) / 1000)} s: ${status ? `block ${status.block} of ${head}, ${status.receivables} receivables` : "starting"}`,
        );
      }
      await sleep(500);
    }
    const catchUpMs = performance.now() - t0;
    log(`  caught up in ${(catchUpMs / 1000).toFixed(1)} s (${Math.round(events / (catchUpMs / 1000))} events/s)`);

    const reportEnv = {
      ...dbEnv,
      TRADEFIN_INDEXER_URL: api,
      ...(rpcReport ? { SUPERVISION_SKIP_RPC_REPORT: "1" } : {}),
    };
    log(`  report from the indexer${rpcReport ? "" : ", then from the chain (RPC, takes a while)"}…`);
    const out = hardhat(reportEnv, ["run", "scripts/bench-supervision-report.ts"]).stdout;
    const line = out.split("\n").find((l) => l.startsWith("BENCH_REPORT "));
    if (!line) throw new Error(`no BENCH_REPORT line in:\n${out.slice(-2000)}`);
    const rep = JSON.parse(line.slice("BENCH_REPORT ".length));
    if (!rpcReport && rep.rpcMs !== null) rpcReport = { ...rep, database: db };
    const cli = hardhat(reportEnv, ["report", "--json", "--source", "indexer", "--indexer-url", api]);
    log(`  indexer report ${round(quantile(rep.indexerMs, 0.5))} ms in process, ${round(cli.ms)} ms through the CLI`);

    log(`  dashboard API: ${REQUESTS} page loads per page…`);
    const apiStats = await benchApi(api, pages);
    results[db] = {
      catchUp: {
        seconds: round(catchUpMs / 1000),
        eventsPerSecond: Math.round(events / (catchUpMs / 1000)),
        firstApiAnswerSeconds: firstAnswerMs === undefined ? null : round(firstAnswerMs / 1000),
      },
      indexerReport: {
        block: rep.block,
        receivables: rep.receivables,
        inProcessMs: rep.indexerMs.map(round),
        medianMs: round(quantile(rep.indexerMs, 0.5)),
        cliMs: round(cli.ms),
      },
      p95Ms: Object.fromEntries(Object.entries(apiStats.pages).map(([k, v]) => [k, (v as Json).p95Ms])),
      p50Ms: Object.fromEntries(Object.entries(apiStats.pages).map(([k, v]) => [k, (v as Json).p50Ms])),
      api: apiStats,
    };
    for (const [k, v] of Object.entries(apiStats.pages))
      log(`    ${k.padEnd(12)} p50 ${(v as Json).p50Ms} ms, p95 ${(v as Json).p95Ms} ms`);

    ponder.kill("SIGTERM");
    await new Promise((r) => (ponder.exitCode !== null ? r(null) : ponder.once("exit", r)));
    children.delete(ponder);
    cluster?.stop();
  }

  const firstDb = Object.keys(results)[0];
  const speedup =
    rpcReport && firstDb ? round(rpcReport.rpcMs / results[rpcReport.database].indexerReport.medianMs) : null;
  const cpu = cpus();
  const doc = {
    issue: 15,
    command: "npm run bench:supervision",
    node: NODE === "anvil" ? "anvil (SUPERVISION_NODE=anvil)" : "hardhat node",
    receivables: seed.receivables,
    invoices: seed.invoices,
    events,
    seed,
    rpcReport: rpcReport
      ? {
          ms: round(rpcReport.rpcMs),
          block: rpcReport.block,
          receivables: rpcReport.rpcReceivables,
          equalToIndexerReport: rpcReport.equal,
          note: "buildReport in process (what `npx hardhat report` does, without Hardhat's start-up), at the indexer's block",
        }
      : null,
    speedup,
    speedupNote:
      "RPC report time ÷ indexer report time, both in process (median of the indexer runs, on the first database)",
    targets: {
      speedupAtLeast: 50,
      p95MsAtMost: 200,
      speedupMet: speedup !== null && speedup >= 50,
      p95Met: Object.fromEntries(
        Object.entries(results).map(([db, r]) => [
          db,
          Object.values(r.p95Ms as Record<string, number>).every((v) => v <= 200),
        ]),
      ),
    },
    pglite: results.pglite ?? null,
    postgres: results.postgres ?? null,
    ...(Object.keys(skipped).length ? { skipped } : {}),
    pageRoutes: Object.fromEntries(pages.map((p) => [p.name, [...START_ROUTES, "then", ...p.routes(0)]])),
    requestsPerPage: REQUESTS,
    machine: {
      cpus: cpu.length,
      model: cpu[0]?.model ?? "unknown",
      memoryGb: round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      date: started.toISOString(),
      loadAverageAtEnd: loadavg().map(round),
      // Said from the load, not assumed: a loaded machine slows the RPC report most (see docs/INDEXER.md).
      note:
        loadavg()[0] > cpu.length
          ? "a loaded machine (load average above its cores at the end): times are pessimistic and noisy"
          : "load average at or below the cores at the end: nothing much else ran",
    },
    totalSeconds: round((Date.now() - started.getTime()) / 1000),
    seedSeconds: round(seedRun.ms / 1000),
  };
  const n = Number(process.env.SUPERVISION_RECEIVABLES ?? 20_000);
  const out =
    n >= 20_000 || process.env.SUPERVISION_OUT
      ? (process.env.SUPERVISION_OUT ?? OUT)
      : join(dir, "..", `supervision-${n}.json`);
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  log(`\nreceivables ${doc.receivables}, events ${events}; RPC report ${doc.rpcReport?.ms} ms; speedup ${speedup}×`);
  log(`Written to ${out}${out === OUT ? "" : " (below 20,000 receivables: reports/supervision.json is left alone)"}`);
}

function stopAll() {
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (const c of cleanups) c();
  if (process.exitCode) console.error(`Logs kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});
main()
  .catch((err) => {
    console.error(`bench:supervision: ${err.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
