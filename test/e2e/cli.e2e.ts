/**
 * End-to-end: the tasks as a user runs them, as child processes against a real node.
 *
 * Runs only when asked for (`hardhat test test/e2e/*.e2e.ts`, or TRADEFIN_E2E=1), so `npm test` stays fast.
 * The address book and the Ignition journal go to a temporary folder (TRADEFIN_DEPLOYMENTS_DIR).
 *
 * The node: `hardhat node` by default; `E2E_NODE=anvil` starts `anvil --accounts 20` instead (from the npm
 * package @foundry-rs/anvil), with `--hardfork $E2E_HARDFORK` (default: the compile profile TRADEFIN_EVM, else
 * prague). `npm run test:e2e:anvil`, `test:e2e:shanghai`, `test:e2e:london` (docs/NETWORKS.md).
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { freePort, sleep } from "../../scripts/lib/net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Contract, JsonRpcProvider, Network } from "ethers";
import { entityId } from "../../src/pure/ids";
import { invoiceKey, invoiceNumberHash } from "../../src/pure/invoice";

const ROOT = resolve(__dirname, "..", "..");
/** Hardhat's command line, run with this Node binary (as `npx hardhat` does, without npx's start-up). */
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const requested = process.env.TRADEFIN_E2E === "1" || process.argv.some((a) => a.endsWith(".e2e.ts"));

const NODE = process.env.E2E_NODE ?? "hardhat";
if (NODE !== "hardhat" && NODE !== "anvil") throw new Error(`E2E_NODE must be hardhat or anvil (got "${NODE}")`);
const HARDFORK = process.env.E2E_HARDFORK ?? process.env.TRADEFIN_EVM ?? "prague";
const ANVIL = join(ROOT, "node_modules", ".bin", "anvil");

const SUPPLIER = "LEI:E2ESUPPLIER000000001";
const BUYER = "LEI:E2EBUYER0000000000001";
/** The read-only views the test needs, on the ReceivableLens (views moved off the registry). */
const LENS_ABI = [
  "function totalMinted() view returns (uint256)",
  "function receivableOfKey(bytes32) view returns (uint256)",
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The node's command line: both give accounts #0..#19 of the same test mnemonic, 10,000 ETH each, chain 31337. */
function nodeCommand(port: number): [string, string[]] {
  if (NODE === "anvil") {
    return [ANVIL, ["--accounts", "20", "--host", "127.0.0.1", "--port", String(port), "--hardfork", HARDFORK]];
  }
  return [process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)]];
}

/**
 * `evm_setIntervalMining` takes milliseconds on Hardhat and whole seconds on anvil; 0 turns it off on both.
 * Sub-second intervals round up to one second on anvil.
 */
function intervalMiningArg(ms: number): number {
  if (NODE !== "anvil" || ms === 0) return ms;
  return Math.max(1, Math.round(ms / 1000));
}

const TITLE = `Tasks end to end against a local JSON-RPC node (${NODE === "anvil" ? `anvil, ${HARDFORK}` : "hardhat node"})`;

(requested ? describe : describe.skip)(TITLE, function () {
  this.timeout(180_000);
  let node: ChildProcess | undefined;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let provider: JsonRpcProvider;
  let lens: Contract;
  const seller = entityId(SUPPLIER);
  const buyer = entityId(BUYER);

  /** `hardhat <args> --network localhost`, synchronously, like a user at a shell. */
  function hardhat(...args: string[]): Run {
    const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Like {@link hardhat} but expects success and parses the --json document. */
  function hardhatJson(...args: string[]): Record<string, unknown> {
    const r = hardhat(...args, "--json");
    expect(r.status, `${args.join(" ")} failed: ${r.stderr}`).to.equal(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** Writes a CSV of invoices INV-<prefix>-<i> to the buyer. */
  function csv(name: string, prefix: string, count: number, edit?: (rows: string[]) => void): string {
    const rows = ["invoice_number,buyer_id,currency,amount,issue_date,due_date,document"];
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < count; i++) rows.push(`${prefix}-${i},${BUYER},tUSD,${100 + i}.50,${day(-2)},${day(90)},`);
    edit?.(rows);
    const path = join(dir, name);
    writeFileSync(path, `${rows.join("\n")}\n`);
    return path;
  }

  const minted = async (): Promise<bigint> => lens.totalMinted();
  const keyOf = (number: string) => invoiceKey(seller, buyer, invoiceNumberHash(number));

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "tradefin-e2e-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    env = { ...process.env, LOCALHOST_URL: url, TRADEFIN_DEPLOYMENTS_DIR: dir, FORCE_COLOR: "0" };
    const [command, args] = nodeCommand(port);
    node = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: "ignore",
      detached: true, // its own process group, so after() stops the node and any child it has
    });
    let chainId: number | undefined;
    for (let i = 0; chainId === undefined; i++) {
      try {
        const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        chainId = Number(((await res.json()) as { result: string }).result);
      } catch {
        if (i > 240) throw new Error(`the node did not answer eth_chainId on ${url}`);
        await sleep(250);
      }
    }
    provider = new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1 });

    const deployed = hardhatJson("deploy");
    lens = new Contract((deployed.contracts as { lens: string }).lens, LENS_ABI, provider);
    hardhatJson(
      "participant:register",
      "--ref",
      SUPPLIER,
      "--roles",
      "SUPPLIER",
      "--wallet",
      "1",
      "--name",
      "E2E Supplier",
    );
    hardhatJson("participant:register", "--ref", BUYER, "--roles", "BUYER", "--wallet", "2", "--name", "E2E Buyer");
  });

  after(() => {
    provider?.destroy();
    if (node?.pid) {
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a CSV with one bad row: non-zero exit, the line and field named, nothing sent", async () => {
    const before = await minted();
    const file = csv("bad.csv", "BAD", 5, (rows) => {
      rows[3] = rows[3].replace("102.50", "102.5.0"); // line 4
    });
    const r = hardhat("invoice:submit", "--file", file, "--from", "1");
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/line 4, amount: .*not a decimal number/);
    expect(r.stderr).to.contain("nothing was sent");
    expect(r.stderr).to.not.match(/\n\s+at /); // no stack trace
    expect(await minted()).to.equal(before);
  });

  it("resumes a batch killed half-way: every invoice ends on chain exactly once", async () => {
    const before = await minted();
    const file = csv("big.csv", "BIG", 200);
    // Mine a block every 400 ms (1 s on anvil) instead of at once, so the run can be caught between two chunks.
    await provider.send("evm_setAutomine", [false]);
    await provider.send("evm_setIntervalMining", [intervalMiningArg(400)]);
    const child = spawn(
      process.execPath,
      [HARDHAT, "invoice:submit", "--file", file, "--from", "1", "--batch-size", "10", "--network", "localhost"],
      {
        cwd: ROOT,
        env,
        stdio: "ignore",
        detached: true,
      },
    );
    const exited = new Promise((done) => child.once("exit", done));
    try {
      while ((await minted()) - before < 10n) await sleep(100);
      process.kill(-(child.pid as number), "SIGKILL");
      await exited;
    } finally {
      await provider.send("evm_setIntervalMining", [intervalMiningArg(0)]);
      await provider.send("evm_setAutomine", [true]);
    }
    const landed = (await minted()) - before;
    expect(landed).to.be.greaterThanOrEqual(10n);
    expect(landed).to.be.lessThan(200n);

    const rerun = hardhatJson("invoice:submit", "--file", file, "--from", "1", "--batch-size", "10");
    expect(rerun.total).to.equal(200);
    expect(Number(rerun.submitted) + Number(rerun.skipped)).to.equal(200);
    expect(rerun.skipped).to.be.greaterThanOrEqual(Number(landed));
    expect(await minted()).to.equal(before + 200n);
    const ids = new Set<bigint>();
    for (let i = 0; i < 200; i++) ids.add(await lens.receivableOfKey(keyOf(`BIG-${i}`)));
    expect(ids.size).to.equal(200);
    expect(ids.has(0n)).to.equal(false);
  });

  it("explains a refused transaction in a sentence, and under --json also as one JSON document on stdout", async () => {
    const first = hardhatJson(
      "invoice:submit",
      "--from",
      "1",
      "--number",
      "DUP-1",
      "--buyer",
      BUYER,
      "--amount",
      "250",
    );
    const before = await minted();
    const r = hardhat(
      "invoice:submit",
      "--from",
      "1",
      "--number",
      " dup-1 ",
      "--buyer",
      BUYER,
      "--amount",
      "250",
      "--json",
    );
    expect(r.status).to.not.equal(0);
    const sentence = `invoice DUP-1 from E2E Supplier (${SUPPLIER}) to E2E Buyer (${BUYER}) was already registered as receivable #${first.id}`;
    expect(r.stderr).to.contain(sentence);
    expect(r.stderr).to.not.match(/\n\s+at /);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { name: string; message: string } };
    expect(doc.ok).to.equal(false);
    expect(doc.error.name).to.equal("ReceivableInvoiceKeyUsed");
    expect(doc.error.message).to.contain(sentence);
    expect(await minted()).to.equal(before);
  });
  it("runs the lifecycle: acknowledge, finance in a pool, pay and collect (the nonReentrant paths of both contracts)", async () => {
    const BANK = "LEI:E2EBANK00000000000001";
    hardhatJson("participant:register", "--ref", BANK, "--roles", "FINANCIER", "--wallet", "3", "--name", "E2E Bank");
    const invoice = hardhatJson(
      "invoice:submit",
      "--from",
      "1",
      "--number",
      "LIFE-1",
      "--buyer",
      BUYER,
      "--amount",
      "10000",
      "--due-days",
      "60",
    );
    const id = String(invoice.id);
    hardhatJson("invoice:acknowledge", "--from", "2", "--id", id);
    hardhatJson("pool:deploy", "--bank", "E2EBank", "--bank-ref", BANK, "--manager", "3");
    hardhatJson("pool:deposit", "--bank", "E2EBank", "--amount", "100000", "--from", "3", "--mint");
    hardhatJson("pool:finance", "--bank", "E2EBank", "--id", id, "--from", "1");
    hardhatJson("stablecoin:mint", "--to", "2", "--amount", "10000");
    hardhatJson("invoice:pay", "--from", "2", "--id", id);
    hardhatJson("pool:collect", "--bank", "E2EBank", "--id", id);
    const shown = hardhatJson("invoice:show", "--id", id);
    expect(JSON.stringify(shown)).to.match(/Paid/);
  });
});
