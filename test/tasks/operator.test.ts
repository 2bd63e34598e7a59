/**
 * Issue 16 pieces that need no node: chain identity of the address book, amounts and reason codes in
 * decoded sentences, the reviewed-warnings filter, the compile freshness check and the lazy task manifest.
 * The end-to-end counterparts are in test/e2e/operator.e2e.ts.
 */
import { expect } from "chai";
import hre from "hardhat";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AbiCoder, id as keccakText } from "ethers";
import { isReviewedWarning } from "../../hardhat.config";
import {
  AddressBookError,
  chainMismatch,
  loadAddressBook,
  writeAddressBook,
  type AddressBook,
} from "../../src/node/addressBook";
import { decodeError, reasonWords } from "../../src/pure/errors";
import { formatAmount } from "../../src/pure/money";
import { REASON } from "../../src/pure/risk";
import { compileIsFresh, nodeDownMessage } from "../../tasks/lib/cli";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const GENESIS_1 = `0x${"11".repeat(32)}`;
const GENESIS_2 = `0x${"22".repeat(32)}`;

function book(genesisHash?: string): AddressBook {
  return {
    version: 1,
    network: "localhost",
    chainId: 31337,
    ...(genesisHash ? { genesisHash } : {}),
    deployedAt: "2026-01-01T00:00:00.000Z",
    deployer: A,
    contracts: { participants: A, receivables: A, riskEngine: A, lens: A },
    stablecoins: {},
    pools: {},
    entities: {},
  };
}

/** Revert data of `signature` with `values`. */
function revert(signature: string, types: string[], values: unknown[]): string {
  return keccakText(signature).slice(0, 10) + AbiCoder.defaultAbiCoder().encode(types, values).slice(2);
}

describe("Operator experience (issue 16)", () => {
  describe("chain identity", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "tradefin-chain-"));
      env = { TRADEFIN_DEPLOYMENTS_DIR: dir };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("refuses a book from another chain with the same id (restarted node) in a sentence naming the deploy command", () => {
      writeAddressBook(book(GENESIS_1), env);
      expect(() => loadAddressBook("localhost", { chainId: 31337, genesisHash: GENESIS_2 }, env)).to.throw(
        AddressBookError,
        /made on another chain with the same id 31337 .*npx hardhat deploy --network localhost/,
      );
      expect(loadAddressBook("localhost", { chainId: 31337, genesisHash: GENESIS_1 }, env).genesisHash).to.equal(
        GENESIS_1,
      );
    });

    it("tells chains apart by id first, and accepts an older book without a genesis hash on its chain id", () => {
      expect(chainMismatch(book(GENESIS_1), { chainId: 1, genesisHash: GENESIS_1 })).to.contain("chain 31337");
      expect(chainMismatch(book(), { chainId: 31337, genesisHash: GENESIS_2 })).to.equal(undefined);
    });
  });

  describe("sentences", () => {
    const ctx = { formatAmount: (units: bigint) => formatAmount(units, 6, { symbol: "tUSD" }) };

    it("shows amounts of decoded reverts in currency units", async () => {
      const data = revert(
        "ERC20InsufficientBalance(address,uint256,uint256)",
        ["address", "uint256", "uint256"],
        [A, 0n, 88_000_000_000n],
      );
      const decoded = await decodeError(data, ctx);
      expect(decoded?.sentence).to.equal(`${A} has 0.00 tUSD but 88,000.00 tUSD is needed`);
      const bare = await decodeError(data);
      expect(bare?.sentence).to.contain("88000000000 base units");
    });

    it("names reason codes in words", async () => {
      expect(reasonWords(REASON.FROZEN | REASON.OVERDUE)).to.match(/frozen/);
      const data = revert("PoolNotEligible(uint256,uint256)", ["uint256", "uint256"], [7n, REASON.FROZEN]);
      expect((await decodeError(data, ctx))?.sentence).to.equal(
        "receivable #7 is not eligible under the pool's policy (frozen)",
      );
    });

    it("puts a node that does not answer in one line naming the URL", () => {
      const hh108 = Object.assign(new Error("Cannot connect to the network localhost.\nPlease make sure…"), {
        number: 108,
      });
      const line = nodeDownMessage(hh108, "http://127.0.0.1:8545");
      expect(line).to.contain("http://127.0.0.1:8545");
      expect(line).to.not.contain("\n");
      expect(nodeDownMessage(new Error("other"), "x")).to.equal(undefined);
    });
  });

  describe("start cost and noise", () => {
    it("hides only the reviewed OpenZeppelin transient-storage warning", () => {
      const message = "Transient storage as defined by EIP-1153 can break the composability of smart contracts";
      const oz = { file: "@openzeppelin/contracts/utils/TransientSlot.sol" };
      expect(isReviewedWarning({ severity: "warning", message, sourceLocation: oz })).to.equal(true);
      expect(
        isReviewedWarning({ severity: "warning", message, sourceLocation: { file: "contracts/FinancingPool.sol" } }),
      ).to.equal(false);
      expect(isReviewedWarning({ severity: "error", message, sourceLocation: oz })).to.equal(false);
      expect(
        isReviewedWarning({ severity: "warning", message: "Unused local variable.", sourceLocation: oz }),
      ).to.equal(false);
    });

    it("skips the compile only while no contract is newer than the artifacts", async () => {
      await hre.run("compile", { quiet: true });
      expect(compileIsFresh(hre)).to.equal(true);
      const probe = join(hre.config.paths.sources, "mocks", `FreshnessProbe${process.pid}.sol`);
      writeFileSync(probe, "// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n");
      try {
        const later = new Date(Date.now() + 60_000);
        utimesSync(probe, later, later);
        expect(compileIsFresh(hre)).to.equal(false);
      } finally {
        rmSync(probe, { force: true });
      }
      expect(compileIsFresh(hre)).to.equal(true);
    });

    it("declares every task from the manifest, each pointing at the module that implements it", () => {
      const path = resolve(__dirname, "..", "..", "cache", "tradefin-tasks.json");
      expect(existsSync(path)).to.equal(true);
      const manifest = JSON.parse(readFileSync(path, "utf8")) as {
        tasks: { name: string; file: string; params: { name: string }[] }[];
      };
      const names = manifest.tasks.map((t) => t.name);
      expect(names).to.include.members(["deploy", "invoice:pay", "pool:finance", "report"]);
      for (const t of manifest.tasks) {
        expect(existsSync(resolve(__dirname, "..", "..", "tasks", `${t.file}.ts`)), t.name).to.equal(true);
        expect(t.params.map((p) => p.name)).to.include.members(["json", "from"]);
        expect(hre.tasks[t.name], t.name).to.not.equal(undefined);
      }
      expect(manifest.tasks.find((t) => t.name === "invoice:pay")?.params.map((p) => p.name)).to.include("cap");
    });
  });
});
