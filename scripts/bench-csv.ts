/**
 * Part of `npm run bench`: a batch of 1,000 invoices from a CSV file, submitted the way an SME's IT person
 * would, with `npx hardhat invoice:submit --file` against a local `hardhat node` started on a free loopback
 * port. Reports the wall-clock time (validation, planning, signing, sending, mining) and the gas per
 * invoice from the receipts, and writes reports/csv-batch.json. Time depends on the machine, so it is
 * recorded here, never asserted by a test; the gas is deterministic.
 *
 * Then it runs the same command again: every invoice is on chain already, so the re-run only validates and
 * plans (one read of all the keys) and skips them all; its time is recorded beside the first run's.
 *
 * BENCH_CSV_INVOICES (default 1000) and BENCH_CSV_BATCH (default 50) change the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "./lib/net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const HARDHAT = require.resolve("hardhat/internal/cli/cli", { paths: [ROOT] });
const INVOICES = Number(process.env.BENCH_CSV_INVOICES ?? 1000);
const BATCH = Number(process.env.BENCH_CSV_BATCH ?? 50);
const SUPPLIER = "LEI:BENCHCSVSUPPLIER00001";
const BUYER = "LEI:BENCHCSVBUYER00000001";

async function waitForNode(url: string): Promise<void> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
  for (let i = 0; i < 240; i++) {
    try {
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the node did not answer on ${url}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tradefin-bench-csv-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, LOCALHOST_URL: url, TRADEFIN_DEPLOYMENTS_DIR: dir, FORCE_COLOR: "0" };
  let node: ChildProcess | undefined;
  const hardhat = (...args: string[]) => {
    const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost", "--json"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`hardhat ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
    try {
      return JSON.parse(r.stdout) as Record<string, unknown>;
    } catch {
      throw new Error(`hardhat ${args.join(" ")} printed no JSON document:\n${r.stdout}\n${r.stderr}`);
    }
  };
  try {
    node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: ROOT,
      env,
      stdio: "ignore",
      detached: true,
    });
    await waitForNode(url);
    hardhat("deploy");
    hardhat("participant:register", "--ref", SUPPLIER, "--roles", "SUPPLIER", "--wallet", "1");
    hardhat("participant:register", "--ref", BUYER, "--roles", "BUYER", "--wallet", "2");

    const rows = ["invoice_number,buyer_id,currency,amount,issue_date,due_date,document"];
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < INVOICES; i++) rows.push(`BENCH-${i},${BUYER},tUSD,${1000 + i}.25,${day(-3)},${day(75)},`);
    const file = join(dir, "invoices.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);

    const started = process.hrtime.bigint();
    const summary = hardhat("invoice:submit", "--file", file, "--from", "1", "--batch-size", String(BATCH));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const submitted = (summary.submitted as unknown[] | number | undefined) ?? [];
    const count = Array.isArray(submitted) ? submitted.length : Number(submitted);
    const gasUsed = BigInt(String(summary.gasUsed));

    const rerunStarted = process.hrtime.bigint();
    const rerun = hardhat("invoice:submit", "--file", file, "--from", "1", "--batch-size", String(BATCH));
    const rerunSeconds = Number(process.hrtime.bigint() - rerunStarted) / 1e9;
    const result = {
      invoices: INVOICES,
      batchSize: BATCH,
      submitted: count,
      transactions: Array.isArray(summary.transactions) ? summary.transactions.length : undefined,
      gasTotal: gasUsed.toString(),
      gasPerInvoice: count ? Number(gasUsed / BigInt(count)) : 0,
      secondsWallClock: Math.round(seconds * 10) / 10,
      invoicesPerSecond: Math.round((count / seconds) * 10) / 10,
      rerunSkipped: Number(rerun.skipped),
      rerunSecondsWallClock: Math.round(rerunSeconds * 10) / 10,
      rerunPlanningMs: Number(rerun.elapsedMs),
      note: "wall clock includes starting Hardhat for the task, validating the file, planning (one read of every invoice key) and mining on a local hardhat node; the re-run's planning time is the SDK's (submitInvoices elapsed), its wall clock adds Hardhat's start",
    };
    console.log(`CSV batch of ${INVOICES} invoices on a local node (batches of ${BATCH}):`);
    console.table(result);
    if (count !== INVOICES) throw new Error(`expected ${INVOICES} invoices submitted, got ${count}`);
    if (result.rerunSkipped !== INVOICES) {
      throw new Error(`expected the re-run to skip all ${INVOICES} invoices, it skipped ${result.rerunSkipped}`);
    }
    if (process.env.BENCH_WRITE !== "0") {
      writeFileSync(join(ROOT, "reports", "csv-batch.json"), JSON.stringify(result, null, 2) + "\n");
      console.log("wrote reports/csv-batch.json");
    }
  } finally {
    if (node?.pid) {
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        // already stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
