import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { EnvError, loadRemoteNetwork } from "../../src/hardhat/env";

const KEY = "0x" + "11".repeat(32);

describe("remote network from .env (src/hardhat/env.ts)", () => {
  it("defines no remote network when RPC_URL is unset or blank", () => {
    expect(loadRemoteNetwork({})).to.equal(undefined);
    expect(loadRemoteNetwork({ RPC_URL: "  " })).to.equal(undefined);
  });

  it("builds the network from RPC_URL, DEPLOYER_PRIVATE_KEY (0x optional) and CHAIN_ID", () => {
    const net = loadRemoteNetwork({
      RPC_URL: "https://rpc.example.org",
      DEPLOYER_PRIVATE_KEY: KEY.slice(2),
      CHAIN_ID: "11155111",
    });
    expect(net).to.deep.equal({ url: "https://rpc.example.org", accounts: [KEY], chainId: 11155111 });
  });

  const bad: [string, NodeJS.ProcessEnv, string][] = [
    ["a URL that is not http(s)", { RPC_URL: "ftp://x", DEPLOYER_PRIVATE_KEY: KEY }, "RPC_URL"],
    ["a missing key", { RPC_URL: "http://127.0.0.1:8545" }, "DEPLOYER_PRIVATE_KEY"],
    ["a short key", { RPC_URL: "http://127.0.0.1:8545", DEPLOYER_PRIVATE_KEY: "0x1234" }, "DEPLOYER_PRIVATE_KEY"],
    [
      "a key with non-hex digits",
      { RPC_URL: "http://h", DEPLOYER_PRIVATE_KEY: "zz".repeat(32) },
      "DEPLOYER_PRIVATE_KEY",
    ],
    [
      "a chain id that is not a positive integer",
      { RPC_URL: "http://h", DEPLOYER_PRIVATE_KEY: KEY, CHAIN_ID: "1e3" },
      "CHAIN_ID",
    ],
  ];
  for (const [what, env, variable] of bad) {
    it(`refuses ${what}, naming ${variable}`, () => {
      expect(() => loadRemoteNetwork(env)).to.throw(EnvError, variable);
    });
  }

  it("stops Hardhat with one line naming the variable, not a stack trace", function () {
    this.timeout(60_000);
    const root = join(__dirname, "..", "..");
    const r = spawnSync(
      process.execPath,
      [require.resolve("hardhat/internal/cli/cli", { paths: [root] }), "compile", "--quiet"],
      {
        cwd: root,
        env: { ...process.env, RPC_URL: "http://127.0.0.1:1", DEPLOYER_PRIVATE_KEY: "0xnot-a-key" },
        encoding: "utf8",
      },
    );
    expect(r.status).to.equal(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Error in \.env: DEPLOYER_PRIVATE_KEY must be/);
  });
});
