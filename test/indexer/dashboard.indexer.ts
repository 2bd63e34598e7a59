/**
 * The indexer end to end (issue #15): a `hardhat node` on a free port, the demo story played on it, Ponder
 * (indexer/) started on a free port with PGlite in a temporary folder, then:
 * - it waits until the indexer has reached the chain's last block and holds every receivable (not `/ready`,
 *   which answers before the last blocks are indexed);
 * - `npx hardhat report --source indexer` equals the RPC report at the indexer's block, to the unit;
 * - every report section, GraphQL and SQL answer;
 * - Debian's chromium (playwright-core; `CHROMIUM_PATH`, default /usr/bin/chromium) opens each dashboard
 *   page at 1280×800 and at phone width, checks its figures against the report and saves a screenshot in
 *   docs/img/.
 *
 * Runs only when asked for (`npm run test:indexer`, or TRADEFIN_INDEXER_TEST=1): `npm test` needs no
 * browser and no database server.
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { freePort, sleep } from "../../scripts/lib/net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatAmount } from "../../src/pure/money";

const ROOT = resolve(__dirname, "..", "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const PONDER = join(ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const requested = process.env.TRADEFIN_INDEXER_TEST === "1" || process.argv.some((a) => a.endsWith(".indexer.ts"));

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return ((await res.json()) as { result: unknown }).result;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

(requested ? describe : describe.skip)("Indexer, API and dashboard against a local node", function () {
  this.timeout(600_000);
  const children: ChildProcess[] = [];
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let api: string;
  let chainReport: Json;
  let indexerReport: Json;

  const hardhat = (...args: string[]) => {
    const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status, `hardhat ${args.join(" ")} failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`).to.equal(0);
    return r.stdout;
  };
  const get = async (path: string): Promise<Json> => {
    const res = await fetch(`${api}${path}`);
    expect(res.status, `${path}: ${res.status}`).to.equal(200);
    return res.json();
  };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "tradefin-indexer-"));
    const [nodePort, apiPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${nodePort}`;
    api = `http://127.0.0.1:${apiPort}`;
    env = {
      ...process.env,
      LOCALHOST_URL: url,
      TRADEFIN_RPC_URL: url,
      TRADEFIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
      TRADEFIN_PGLITE_DIR: join(dir, "pglite"),
      TRADEFIN_STORY_QUIET: "1",
      PONDER_TELEMETRY_DISABLED: "true",
      DATABASE_SCHEMA: "tradefin_test",
      FORCE_COLOR: "0",
    };
    // PGlite (no database server) unless the PostgreSQL variant asks otherwise (scripts/test-indexer-postgres.sh).
    delete env.DATABASE_URL;
    if (process.env.TRADEFIN_TEST_DATABASE_URL) env.DATABASE_URL = process.env.TRADEFIN_TEST_DATABASE_URL;
    const node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(nodePort)], {
      cwd: ROOT,
      env,
      stdio: "ignore",
      detached: true,
    });
    children.push(node);
    for (let i = 0; (await rpc(url, "eth_chainId").catch(() => undefined)) === undefined; i++) {
      if (i > 240) throw new Error(`the node did not answer on ${url}`);
      await sleep(250);
    }
    const t0 = Date.now();
    hardhat("run", "scripts/indexer-story.ts");
    const head = Number(await rpc(url, "eth_blockNumber"));
    console.log(`      story played in ${((Date.now() - t0) / 1000).toFixed(1)} s, chain at block ${head}`);

    const t1 = Date.now();
    const ponder = spawn(process.execPath, [PONDER, "start", "--port", String(apiPort), "--log-level", "warn"], {
      cwd: join(ROOT, "indexer"),
      env,
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    });
    children.push(ponder);
    // Wait for the data, not for /ready: every receivable indexed and the chain's last block reached.
    let status: Json;
    for (let i = 0; ; i++) {
      status = await fetch(`${api}/api/status`)
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);
      if (status && Number(status.block) >= head) break;
      if (i > 600 || ponder.exitCode !== null)
        throw new Error(`the indexer did not reach block ${head}: ${JSON.stringify(status)}`);
      await sleep(500);
    }
    console.log(`      database: ${env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`);
    console.log(
      `      indexer caught up in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${status.receivables} receivables`,
    );
    indexerReport = JSON.parse(hardhat("report", "--json", "--source", "indexer", "--indexer-url", api));
    chainReport = JSON.parse(hardhat("report", "--json", "--to-block", String(indexerReport.block)));
  });

  after(() => {
    for (const c of children.reverse()) {
      try {
        if (c.pid) process.kill(-c.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds every receivable of the chain", async () => {
    const status = await get("/api/status");
    expect(status.receivables).to.equal(chainReport.receivables.length);
    expect(chainReport.receivables.length).to.be.greaterThan(5);
  });

  it("gives `report --source indexer` equal to the RPC report at the same block, to the unit", () => {
    expect(indexerReport.block).to.equal(chainReport.block);
    expect(indexerReport).to.deep.equal(chainReport);
    expect(indexerReport.defaults.count).to.be.greaterThan(0);
    expect(indexerReport.frozen.length).to.be.greaterThan(0);
  });

  it("serves each report section, the snapshots, GraphQL and SQL", async () => {
    for (const section of ["totals", "byBuyer", "byBank", "overdue", "defaults", "concentration", "frozen"]) {
      const body = await get(`/api/report/${section}`);
      expect(JSON.stringify(body[section])).to.equal(JSON.stringify(chainReport[section]), section);
    }
    const bad = await fetch(`${api}/api/report/nope`);
    expect(bad.status).to.equal(404);
    const { snapshots } = await get("/api/snapshots");
    expect(snapshots.length).to.be.greaterThan(1); // the story spans several days
    const last = snapshots[snapshots.length - 1];
    const usd = chainReport.totals[0].currency;
    expect(last.outstanding[usd.toLowerCase()] ?? last.outstanding[usd]).to.equal(chainReport.totals[0].outstanding);
    const gql = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ receivables(limit: 1000) { items { id status } } }" }),
    }).then((r) => r.json() as Promise<Json>);
    expect(gql.data.receivables.items).to.have.length(chainReport.receivables.length);
  });

  describe("dashboard in Debian's chromium", function () {
    let browser: import("playwright-core").Browser;
    before(async function () {
      if (!existsSync(CHROMIUM))
        throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    });
    after(async () => browser?.close());

    const sizes = [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 390, height: 844 }],
    ] as const;
    const money = (v: string) => {
      const c = chainReport.currencies[0];
      return formatAmount(BigInt(v), c.decimals, { symbol: c.symbol });
    };

    async function open(path: string, size: { width: number; height: number }, name: string, wait: string) {
      const page = await browser.newPage({ viewport: size });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${api}${path}`);
      await page.waitForSelector(`[data-testid="${wait}"]`, { timeout: 30_000 });
      await page.waitForTimeout(300); // charts draw after the data
      expect(errors, `${path}: script errors`).to.deep.equal([]);
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect(overflow as number, `${path} is wider than a ${size.width} px screen`).to.be.at.most(1);
      await page.screenshot({ path: join(ROOT, "docs", "img", `dashboard-${name}.png`) });
      return page;
    }
    const text = async (page: import("playwright-core").Page, id: string) =>
      (await page.textContent(`[data-testid="${id}"]`))?.trim();

    for (const [label, size] of sizes) {
      it(`Supervisor at ${label} width: totals, overdue and defaults as in the report, two charts`, async () => {
        const page = await open("/supervisor", size, `supervisor-${label}`, "outstanding");
        const t = chainReport.totals[0];
        expect(await text(page, "outstanding")).to.equal(money(t.outstanding));
        expect(await text(page, "overdue")).to.equal(money(t.overdue));
        expect(await text(page, "defaulted")).to.equal(money(t.defaulted));
        expect(await text(page, "advances")).to.equal(money(t.poolAdvances));
        expect(await text(page, "receivables")).to.equal(String(t.receivables));
        expect(await text(page, "frozen")).to.equal(String(chainReport.frozen.length));
        expect(await page.locator("canvas").count()).to.be.at.least(2);
        await page.close();
      });

      it(`Portfolio at ${label} width: the first bank's liquidity, advances, fees and losses`, async () => {
        const pool = chainReport.byBank[0];
        const page = await open(`/portfolio?pool=${pool.name}`, size, `portfolio-${label}`, "pool-liquidity");
        expect(await text(page, "pool-liquidity")).to.equal(money(pool.liquidity));
        expect(await text(page, "pool-outstanding")).to.equal(money(pool.outstandingAdvances));
        expect(await text(page, "pool-fees")).to.equal(money(pool.feesEarned));
        expect(await text(page, "pool-losses")).to.equal(money(pool.losses));
        await page.close();
      });

      it(`Receivable at ${label} width: a split parent with its history and lineage`, async () => {
        const parent = chainReport.receivables.find((l: Json) => l.status === "Split");
        const children = chainReport.receivables.filter((l: Json) => l.parentId === parent.id);
        const page = await open(`/receivable?id=${parent.id}`, size, `receivable-${label}`, "face");
        expect(await text(page, "face")).to.equal(money(parent.face));
        expect(await text(page, "timeline")).to.contain("Split");
        const tree = await page.textContent(".tree");
        for (const c of children) expect(tree).to.contain(`#${c.id}`);
        await page.close();
      });

      it(`Participant at ${label} width: the largest buyer's debt and payment record`, async () => {
        const b = chainReport.byBuyer[0];
        const page = await open(`/participant?id=${b.buyerEntityId}`, size, `participant-${label}`, "owed");
        expect(await text(page, "owed")).to.equal(money(b.outstanding));
        expect(await text(page, "record")).to.contain(`${b.record.paidOnTimeCount} on time`);
        expect(await text(page, "roles")).to.contain("Buyer");
        await page.close();
      });
    }
  });
});
