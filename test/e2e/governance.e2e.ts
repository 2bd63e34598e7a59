/**
 * `npx hardhat deploy` against a node with another chain id than 31337 (issue 14): anvil from the npm package
 * @foundry-rs/anvil, started with `--chain-id 8453`. A single-key admin is refused with one sentence; the loud
 * flag accepts it; a delay of 0 and a Safe that is not a contract are refused.
 *
 * Runs with `npm run test:e2e` or `npx hardhat test test/e2e/governance.e2e.ts`.
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, sleep } from "../../scripts/lib/net";

const ROOT = resolve(__dirname, "..", "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js");
const ANVIL = join(ROOT, "node_modules", ".bin", "anvil");
const CHAIN_ID = 8453;
const requested = process.env.TRADEFIN_E2E === "1" || process.argv.some((a) => a.endsWith(".e2e.ts"));

(requested ? describe : describe.skip)(`deploy on a chain other than 31337 (anvil, chain ${CHAIN_ID})`, function () {
  this.timeout(300_000);
  let node: ChildProcess | undefined;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let url: string;

  /** Transactions sent by the deployer (account 0 of the test mnemonic). */
  async function deployerNonce(): Promise<number> {
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getTransactionCount",
      params: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"],
    });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    return Number(((await res.json()) as { result: string }).result);
  }

  function hardhat(...args: string[]) {
    const r = spawnSync(process.execPath, [HARDHAT, ...args, "--network", "localhost"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tradefin-gov-e2e-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = { ...process.env, LOCALHOST_URL: url, TRADEFIN_DEPLOYMENTS_DIR: dir, FORCE_COLOR: "0" };
    delete env.GOVERNANCE_SAFE;
    delete env.GOVERNANCE_DELAY;
    node = spawn(
      ANVIL,
      ["--accounts", "20", "--host", "127.0.0.1", "--port", String(port), "--chain-id", String(CHAIN_ID)],
      {
        stdio: "ignore",
        detached: true,
      },
    );
    for (let i = 0; ; i++) {
      try {
        const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        expect(Number(((await res.json()) as { result: string }).result)).to.equal(CHAIN_ID);
        break;
      } catch (e) {
        if (i > 240) throw e;
        await sleep(250);
      }
    }
  });

  after(() => {
    if (node?.pid) process.kill(-node.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an externally owned admin with one clear sentence and deploys nothing", async () => {
    const r = hardhat("deploy");
    expect(r.status).to.not.equal(0);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("Error"));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      new RegExp(
        `^Error: refusing to deploy on chain ${CHAIN_ID}: the admin 0x[0-9a-fA-F]{40} is a single key \\(an externally owned account\\); ` +
          "pass --safe <Safe address> to put a timelock proposed by the Safe in charge, or --i-accept-a-single-key-admin to accept the risk$",
      ),
    );
    expect(r.stderr).to.not.match(/at .*\.ts:\d+/); // no stack trace
    expect(await deployerNonce()).to.equal(0);
  });

  it("refuses a Safe that is an externally owned account, and a delay of 0", async () => {
    const eoa = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const json = (r: { stdout: string }) => JSON.parse(r.stdout) as { ok: boolean; error: { message: string } };
    const notSafe = json(hardhat("deploy", "--safe", eoa, "--json"));
    expect(notSafe.ok).to.equal(false);
    expect(notSafe.error.message).to.match(/the timelock proposer \(--safe\) 0x70997970.* is a single key/);
    const zero = json(hardhat("deploy", "--safe", eoa, "--delay", "0", "--i-accept-a-single-key-admin", "--json"));
    expect(zero.error.message).to.equal(
      `a delay of 0 is allowed only on the local chain 31337, not on chain ${CHAIN_ID}: privileged changes must wait`,
    );
  });

  it("deploys with a single-key admin only when the loud flag is passed", async () => {
    const r = hardhat("deploy", "--i-accept-a-single-key-admin", "--json");
    expect(r.status, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; chainId: number; timelock: string | null };
    expect(doc).to.include({ ok: true, chainId: CHAIN_ID, timelock: null });
  });

  it("refuses a single-key pool owner, and the local Safe helper, on this chain", async () => {
    const pool = JSON.parse(hardhat("pool:deploy", "--bank", "Solo", "--json").stdout) as {
      error: { message: string };
    };
    expect(pool.error.message).to.match(
      new RegExp(
        `^refusing to deploy on chain ${CHAIN_ID}: the pool owner \\(--manager\\) 0x[0-9a-fA-F]{40} is a single key`,
      ),
    );
    const safe = JSON.parse(hardhat("governance:create-safe", "--owners", "1,2,3", "--json").stdout) as {
      error: { message: string };
    };
    expect(safe.error.message).to.equal(
      `chain ${CHAIN_ID} has the canonical Safe deployments: create the Safe in the Safe app, not with this task`,
    );
  });
});
