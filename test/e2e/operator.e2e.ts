/**
 * End-to-end, issue 16: the command line as a bank clerk and an SME's IT person meet it, as child
 * processes against a real `hardhat node` (restarted once, to show that a book never mixes two chains).
 *
 * Runs only when asked for (`hardhat test test/e2e/*.e2e.ts`, or TRADEFIN_E2E=1).
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { freePort, sleep } from "../../scripts/lib/net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const requested = process.env.TRADEFIN_E2E === "1" || process.argv.some((a) => a.endsWith(".e2e.ts"));

const SUPPLIER = "LEI:OPSUPPLIER0000000001";
const BUYER = "LEI:OPBUYER00000000000001";
const BANK = "LEI:OPBANK000000000000001";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

(requested ? describe : describe.skip)("Operator experience end to end (issue 16)", function () {
  this.timeout(600_000);
  let node: ChildProcess | undefined;
  let dir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;

  function hardhat(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
    const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost"], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      encoding: "utf8",
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs with --json; stdout must be exactly one JSON document whatever the outcome. */
  function json(...args: string[]): { run: Run; doc: Record<string, unknown> } {
    const run = hardhat([...args, "--json"]);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(run.stdout) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${args.join(" ")} --json: stdout is not one JSON document (${err}):\n${run.stdout}`);
    }
    return { run, doc };
  }

  /** Like {@link json} but expects success. */
  function ok(...args: string[]): Record<string, unknown> {
    const { run, doc } = json(...args);
    expect(run.status, `${args.join(" ")} failed: ${run.stderr}`).to.equal(0);
    expect(doc.ok).to.equal(true);
    return doc;
  }

  /** Expects a refusal: non-zero exit, one `Error:` line on stderr, no stack trace; returns stderr. */
  function refused(...args: string[]): string {
    const r = hardhat(args);
    expect(r.status, `${args.join(" ")} should fail:\n${r.stdout}`).to.not.equal(0);
    expect(r.stderr).to.not.match(/\n\s+at /);
    return r.stderr;
  }

  async function startNode(): Promise<void> {
    const url = `http://127.0.0.1:${port}`;
    node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: ROOT,
      env,
      stdio: "ignore",
      detached: true,
    });
    for (let i = 0; ; i++) {
      try {
        const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
        await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        return;
      } catch {
        if (i > 480) throw new Error(`the node did not answer on ${url}`);
        await sleep(250);
      }
    }
  }

  async function stopNode(): Promise<void> {
    if (!node?.pid) return;
    const exited = new Promise((done) => node?.once("exit", done));
    try {
      process.kill(-node.pid, "SIGTERM");
    } catch {
      return;
    }
    await exited;
    node = undefined;
  }

  let small: string; // 5,000.00 tUSD, acknowledged: financed in FirstBank
  let big: string; // 88,000.00 tUSD, acknowledged: split refusal
  let owing: string; // 1,234.50 tUSD, acknowledged: over-payment

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "tradefin-op-"));
    port = await freePort();
    env = {
      ...process.env,
      LOCALHOST_URL: `http://127.0.0.1:${port}`,
      TRADEFIN_DEPLOYMENTS_DIR: dir,
      FORCE_COLOR: "0",
    };
    await startNode();
    ok("deploy");
    ok("participant:register", "--ref", SUPPLIER, "--roles", "SUPPLIER", "--wallet", "1", "--name", "Op Supplier");
    ok("participant:register", "--ref", BUYER, "--roles", "BUYER", "--wallet", "2", "--name", "Op Buyer");
    ok("participant:register", "--ref", BANK, "--roles", "FINANCIER", "--wallet", "3", "--name", "First Bank");
    ok("pool:deploy", "--bank", "FirstBank", "--manager", "3");
    ok("pool:deposit", "--bank", "FirstBank", "--amount", "100000", "--mint", "--from", "3");
    ok("stablecoin:mint", "--to", "2", "--amount", "10000");
    const submit = (n: string, amount: string) =>
      String(ok("invoice:submit", "--from", "1", "--number", n, "--buyer", BUYER, "--amount", amount).id);
    small = submit("OP-1", "5000");
    big = submit("OP-2", "88000");
    owing = submit("OP-3", "1234.50");
    for (const id of [small, big, owing]) ok("invoice:acknowledge", "--id", id, "--from", "2");
  });

  after(async () => {
    await stopNode();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("item 2: under --json stdout is one JSON document even when a compile runs first (compile output on stderr)", () => {
    // A contract newer than the artifacts: the task compiles before it runs, as on a fresh clone.
    const probe = join(ROOT, "contracts", "mocks", `E2EProbe${process.pid}.sol`);
    writeFileSync(
      probe,
      `// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n\ncontract E2EProbe${process.pid} {\n    uint256 public x;\n}\n`,
    );
    try {
      const { run, doc } = json("invoice:show", "--id", small);
      expect(run.status, run.stderr).to.equal(0);
      expect(doc).to.include({ ok: true, status: "Acknowledged" });
      expect(run.stderr).to.match(/Compiled 1 Solidity file/);
      expect(run.stdout).to.not.match(/Compiled|Generating typings/);
    } finally {
      rmSync(probe, { force: true });
    }
    // With the sources unchanged since, the next command skips the compile (mtime check).
    const again = hardhat(["invoice:show", "--id", small, "--json"]);
    expect(again.status).to.equal(0);
    expect(again.stderr).to.not.match(/Compiled|Nothing to compile/);
    expect(existsSync(probe)).to.equal(false);
  });

  it("item 3: amounts in sentences read 88,000.00 tUSD, never base units", () => {
    const split = refused("invoice:split", "--id", big, "--amounts", "1000,2000", "--from", "1");
    expect(split).to.contain("the parts add up to 3,000.00 tUSD but 88,000.00 tUSD is outstanding");
    const deposit = refused("pool:deposit", "--bank", "FirstBank", "--amount", "88000", "--from", "3");
    expect(deposit).to.match(/has 0\.00 tUSD but 88,000\.00 tUSD is needed/);
    // No base-unit amount anywhere: identifiers (addresses, LEIs such as LEI:OPBANK000000000000001) are left out
    // of the digit check, amounts are not.
    const withoutIds = (text: string) => text.replace(/0x[0-9a-fA-F]+|LEI:[A-Z0-9]+/g, "");
    for (const text of [split, deposit]) expect(withoutIds(text), text).to.not.match(/base units|\d{9,}/);
  });

  it("item 4: invoice:pay refuses an over-payment naming outstanding and amount; --cap says what was taken", () => {
    const text = refused("invoice:pay", "--id", owing, "--amount", "5000", "--from", "2");
    expect(text).to.contain(`receivable #${owing} has 1,234.50 tUSD outstanding, less than the 5,000.00 tUSD offered`);
    expect(text).to.contain("nothing was paid");
    expect(ok("invoice:show", "--id", owing).paidAmount).to.equal("0.00 tUSD");

    const capped = hardhat(["invoice:pay", "--id", owing, "--amount", "5000", "--cap", "--from", "2"]);
    expect(capped.status, capped.stderr).to.equal(0);
    expect(capped.stdout).to.contain(`Paid 1,234.50 tUSD towards receivable #${owing}`);
    expect(capped.stdout).to.contain("3,765.50 tUSD was not taken and stays with the payer");
  });

  it("item 5: pool:finance from an unregistered wallet says it is not registered and does not hold the receivable", () => {
    const text = refused("pool:finance", "--bank", "FirstBank", "--id", small, "--from", "9");
    expect(text).to.match(/wallet 0x[0-9a-fA-F]{40} is not registered to any participant and does not hold receivable/);
    expect(text).to.contain(`held by wallet`);
    expect(text).to.contain("Op Supplier");
    expect(text).to.not.contain("approve");
  });

  it("item 6: one vocabulary, gross advance, fee, net paid out and reserve, in pool:finance, pool:quote and the report", () => {
    const quote = hardhat(["pool:quote", "--bank", "FirstBank", "--id", small]);
    expect(quote.status, quote.stderr).to.equal(0);
    for (const word of ["Gross advance", "Fee", "Net paid out", "Reserve"]) expect(quote.stdout).to.contain(word);
    const fin = hardhat(["pool:finance", "--bank", "FirstBank", "--id", small, "--from", "1"]);
    expect(fin.status, fin.stderr).to.equal(0);
    expect(fin.stdout).to.match(
      /gross advance [\d,.]+ tUSD, fee [\d,.]+ tUSD, net paid out [\d,.]+ tUSD; reserve [\d,.]+ tUSD follows/,
    );
    const report = hardhat(["report"]);
    expect(report.status, report.stderr).to.equal(0);
    expect(report.stdout).to.contain("Net paid out, unrecovered");
    expect(report.stdout).to.not.match(/Pool advances|Outstanding advances|Financed \(principal\)/);
  });

  it("item 8: the smaller ones", () => {
    // deploy with nothing to deploy says so.
    const again = hardhat(["deploy"]);
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout).to.contain("Found the existing TradeFin deployment");
    // invoice:submit names the buyer.
    const sub = hardhat(["invoice:submit", "--from", "1", "--number", "OP-4", "--buyer", BUYER, "--amount", "10"]);
    expect(sub.stdout).to.contain(`to Op Buyer (${BUYER})`);
    // report --json has ok, as every other task's document.
    expect(ok("report").ok).to.equal(true);
    // A missing file is a sentence.
    const missing = refused("invoice:submit", "--file", join(dir, "nope.csv"), "--from", "1");
    expect(missing).to.match(/^Error: .*nope\.csv does not exist/m);
    expect(missing).to.not.contain("ENOENT");
    // Acknowledging twice.
    expect(refused("invoice:acknowledge", "--id", big, "--from", "2")).to.contain(
      `receivable #${big} is already acknowledged`,
    );
    // The report's overdue table names the currency even when empty.
    expect(hardhat(["report"]).stdout).to.match(/90\+ days[^\n]*tUSD/);
  });

  it("item 8: a node that is down is one line naming the URL", async () => {
    const downPort = await freePort();
    const r = hardhat(["invoice:show", "--id", "1"], { LOCALHOST_URL: `http://127.0.0.1:${downPort}` });
    expect(r.status).to.not.equal(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.contain(`http://127.0.0.1:${downPort}`);
    expect(r.stderr).to.not.contain("HH108");
  });

  it("item 2: every task keeps --json stdout to one JSON document, on success and on refusal", async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "cache", "tradefin-tasks.json"), "utf8")) as {
      tasks: { name: string }[];
    };
    expect(manifest.tasks.length).to.be.greaterThan(25);
    // Each task bare (`<task> --json`): most refuse a missing option, some succeed; a few at a time.
    const names = manifest.tasks.map((t) => t.name);
    const outputs = new Map<string, string>();
    const runOne = (name: string) =>
      new Promise<void>((done) => {
        const child = spawn(process.execPath, [HARDHAT, name, "--json", "--network", "localhost"], { cwd: ROOT, env });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.once("exit", () => {
          outputs.set(name, out);
          done();
        });
      });
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let name = queue.shift(); name; name = queue.shift()) await runOne(name);
      }),
    );
    for (const name of names) {
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(outputs.get(name) ?? "") as Record<string, unknown>;
      } catch (err) {
        throw new Error(`${name} --json: stdout is not one JSON document (${err}):\n${outputs.get(name)}`);
      }
      expect(doc, name).to.have.property("ok");
    }
  });

  it("item 1: after a node restart, commands refuse the old book, and deploy discards all of it and says so", async () => {
    await stopNode();
    await startNode(); // same URL, same chain id 31337, a new genesis block
    const show = refused("invoice:show", "--id", small);
    expect(show).to.contain("was made on another chain with the same id 31337");
    expect(show).to.contain("npx hardhat deploy --network localhost");

    const dep = hardhat(["deploy"]);
    expect(dep.status, dep.stderr).to.equal(0);
    expect(dep.stderr).to.match(
      /Discarded the address book of another chain: .*1 pool \(FirstBank\) and 3 entity labels/,
    );
    const book = JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")) as {
      pools: object;
      entities: object;
      genesisHash: string;
    };
    expect(book.pools).to.deep.equal({});
    expect(book.entities).to.deep.equal({});
    expect(book.genesisHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(refused("pool:deposit", "--bank", "FirstBank", "--amount", "1", "--mint")).to.contain('no pool "FirstBank"');
    expect(ok("report").ok).to.equal(true);
  });
});
