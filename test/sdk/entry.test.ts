import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * Runs `script` in a fresh Node process started in the repository, the way a bank's service would load the
 * SDK: `require("tradefin")` resolved through package.json `exports`, TypeScript compiled on the fly by
 * ts-node (the repository has no build step), none of Hardhat's environment. Prints what the script
 * printed last, parsed as JSON.
 */
function runNode(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
}

/** Script code that prints every loaded module of Hardhat or its plug-ins, with `result`. */
const REPORT = `
  const hardhat = Object.keys(require.cache).filter((p) => /node_modules[\\\\/](hardhat|@nomicfoundation)[\\\\/]/.test(p));
  console.log(JSON.stringify({ hardhat, result }));
`;

describe("the SDK entry point", () => {
  it('declares "tradefin" and its layer subpaths in package.json exports', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      name: string;
      exports: Record<string, string>;
    };
    expect(pkg.name).to.equal("tradefin");
    expect(pkg.exports).to.include({
      ".": "./src/index.ts",
      "./node": "./src/node/index.ts",
      "./hardhat": "./src/hardhat/index.ts",
    });
  });

  it("works in a plain Node process: ids, keys, money, a decoded revert and a report, without loading Hardhat", function () {
    this.timeout(90_000);
    const { hardhat, result } = runNode(`
      const { Interface } = require("ethers");
      const tf = require("tradefin");
      const { readAddressBook } = require("tradefin/node");
      (async () => {
        const seller = tf.entityId("LEI:ACME");
        const buyer = tf.entityId("lei:bigbuyer ");
        const key = tf.invoiceKey(seller, buyer, tf.invoiceNumberHash(" inv-7 "));
        const data = new Interface(["error ReceivableIsFrozen(uint256 id)"]).encodeErrorResult("ReceivableIsFrozen", [4n]);
        const decoded = await tf.decodeError(data);
        const empty = tf.assembleReport({
          chainId: 1n, block: 1, timestamp: 0, fromBlock: 0, currencies: [], receivables: [], pools: [], buyers: [],
          defaults: [], freezes: [], writeOffs: [], walletEntities: {},
        });
        const result = {
          entry: require.resolve("tradefin"),
          sameKey: key === tf.invoiceKey(seller, tf.entityId("LEI:BIGBUYER"), tf.invoiceNumberHash("INV-7")),
          amount: tf.formatAmount(tf.parseAmount("88000", 6), 6, { symbol: "tUSD" }),
          sentence: decoded.sentence,
          errorBase: new tf.MoneyError("x") instanceof tf.TradeFinError,
          report: typeof tf.renderReport(empty),
          addressBook: typeof readAddressBook,
        };
        ${REPORT}
      })();
    `);
    expect(result).to.deep.equal({
      entry: join(ROOT, "src", "index.ts"),
      sameKey: true,
      amount: "88,000.00 tUSD",
      sentence: "receivable #4 is frozen by a regulator",
      errorBase: true,
      report: "string",
      addressBook: "function",
    });
    expect(hardhat, "Hardhat modules loaded by the SDK entry point").to.deep.equal([]);
  });

  it("notices a Hardhat module when one is loaded (the check above can fail)", function () {
    this.timeout(90_000);
    const { hardhat } = runNode(`
      require("tradefin");
      require("hardhat/package.json");
      const result = null;
      ${REPORT}
    `);
    expect(hardhat).to.have.length(1);
  });
});
