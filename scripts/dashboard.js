#!/usr/bin/env node
/**
 * `npm run dashboard` (issue #15): the indexer, its API and the dashboard in one command.
 *
 * - With a node already answering at $LOCALHOST_URL (default http://127.0.0.1:8545) and a deployment in its
 *   address book (deployments/localhost.json, or $TRADEFIN_DEPLOYMENTS_DIR), it indexes that deployment.
 * - Otherwise it starts `hardhat node` there and plays the demo story on it (scripts/indexer-story.ts).
 * - Ponder starts on $PORT (default 42069) with PGlite in a fresh temporary folder, or on PostgreSQL when
 *   $DATABASE_URL is set, and the URL is printed.
 * - A restarted node (a new chain with the same id: the deployment block's hash changes) is detected every
 *   few seconds and the indexer starts over on the new chain instead of serving the old one's data.
 *
 * Ctrl-C stops everything this command started.
 */
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const { existsSync, mkdtempSync, readFileSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const PONDER = join(ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const url = process.env.LOCALHOST_URL ?? "http://127.0.0.1:8545";
const port = process.env.PORT ?? "42069";
const booksDir = process.env.TRADEFIN_DEPLOYMENTS_DIR ?? join(ROOT, "deployments");
const bookPath = join(booksDir, "localhost.json");
const children = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rpc(method, params = []) {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const json = await res.json();
  if (json.error) throw new Error(json.error.message);
  return json.result;
}
const answers = () =>
  rpc("eth_chainId").then(
    () => true,
    () => false,
  );

function book() {
  return existsSync(bookPath) ? JSON.parse(readFileSync(bookPath, "utf8")) : undefined;
}
async function deployed() {
  const b = book();
  if (!b) return false;
  const code = await rpc("eth_getCode", [b.contracts.receivables, "latest"]).catch(() => "0x");
  return code !== "0x";
}
/** The hash of the deployment block; null when the chain has no such block (a fresh node). */
async function deployHash() {
  const block = await rpc("eth_getBlockByNumber", [`0x${(book()?.deployBlock ?? 0).toString(16)}`, false]);
  return block ? block.hash : null;
}

const env = { ...process.env, LOCALHOST_URL: url, TRADEFIN_RPC_URL: url, PONDER_TELEMETRY_DISABLED: "true" };

function story() {
  console.log("Playing the demo story on the node (about a minute)…");
  const r = spawnSync(process.execPath, [HARDHAT, "run", "--network", "localhost", "scripts/indexer-story.ts"], {
    cwd: ROOT,
    env: { ...env, TRADEFIN_STORY_QUIET: "1" },
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("the demo story failed");
}

let ponder;
let pgliteDir;
function startPonder() {
  if (!process.env.DATABASE_URL) pgliteDir = mkdtempSync(join(tmpdir(), "tradefin-pglite-"));
  ponder = spawn(process.execPath, [PONDER, "start", "--port", port, "--log-level", "warn"], {
    cwd: join(ROOT, "indexer"),
    env: {
      ...env,
      DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? "tradefin",
      ...(pgliteDir ? { TRADEFIN_PGLITE_DIR: pgliteDir } : {}),
    },
    stdio: "inherit",
  });
  children.add(ponder);
  ponder.on("exit", () => children.delete(ponder));
}
async function stopPonder() {
  if (!ponder) return;
  const p = ponder;
  p.kill("SIGTERM");
  await new Promise((r) => (p.exitCode !== null ? r() : p.once("exit", r)));
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
}

async function main() {
  if (!(await answers())) {
    const { port: nodePort, hostname } = new URL(url);
    console.log(`No node at ${url}: starting hardhat node…`);
    const node = spawn(process.execPath, [HARDHAT, "node", "--hostname", hostname, "--port", nodePort || "8545"], {
      cwd: ROOT,
      env,
      stdio: "ignore",
    });
    children.add(node);
    for (let i = 0; !(await answers()); i++) {
      if (i > 240) throw new Error(`hardhat node did not start on ${url}`);
      await sleep(250);
    }
  }
  if (!(await deployed())) story();
  let hash = await deployHash();
  startPonder();
  const status = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${status}/api/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(500);
  }
  console.log(`\nTradeFin dashboard: ${status}/  (API: ${status}/api/report, GraphQL: ${status}/graphql)`);
  console.log(
    `Report from the indexer: npx hardhat report --source indexer --indexer-url ${status} --network localhost\n`,
  );
  // Watch for a new chain behind the same URL.
  for (;;) {
    await sleep(3000);
    const now = await deployHash().catch(() => undefined); // undefined: the node does not answer (yet)
    if (now === undefined || now === hash) continue;
    console.log("The node was restarted (new chain): re-indexing from scratch…");
    await stopPonder();
    if (!(await deployed())) story();
    hash = await deployHash();
    startPonder();
  }
}

const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
main().catch((err) => {
  console.error(`dashboard: ${err.message}`);
  stop();
});
