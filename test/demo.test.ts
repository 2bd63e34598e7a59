import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { main, STEPS, type DemoResult } from "../scripts/demo";

/** Words the story must tell, each matched case-insensitively. */
const STORY = [/acknowledg/i, /split/i, /financ/i, /default/i, /portfolio and supervision report/i];

describe("Demo (npm run demo)", () => {
  describe("in process", () => {
    let output = "";
    let result: DemoResult;

    before(async () => {
      // The demo moves the chain's clock by months: run it inside a snapshot so other suites are unaffected.
      const snapshot = await takeSnapshot();
      const lines: string[] = [];
      try {
        result = await main({ log: (line) => lines.push(line) });
      } finally {
        await snapshot.restore();
      }
      output = lines.join("\n");
    });

    it("runs its named steps in order, each under its numbered heading", () => {
      expect(new Set(STEPS.map((s) => s.name)).size, "step names are unique").to.equal(STEPS.length);
      const headings = output.split("\n").filter((line) => line.startsWith("=== "));
      expect(headings).to.deep.equal(STEPS.map((s, i) => `=== ${i + 1}. ${s.title} ===`));
    });

    it("names every step, in order, in the header comment of scripts/demo.ts", () => {
      const header = readFileSync(join(__dirname, "..", "scripts", "demo.ts"), "utf8").split("*/")[0];
      const listed = [...header.matchAll(/^ \*\s+(\d+)\. `([a-z-]+)`/gm)].map((m) => [Number(m[1]), m[2]]);
      expect(listed).to.deep.equal(STEPS.map((s, i) => [i + 1, s.name]));
    });

    it("tells the whole story: acknowledgement, split, financing, default and the report", () => {
      for (const word of STORY) expect(output).to.match(word);
      expect(output).to.contain("Exposure by buyer");
      expect(output).to.contain("Overdue");
      expect(output).to.contain("Frozen receivables");
    });

    it("refuses the re-submitted invoice and every move of the frozen receivable, in words", () => {
      expect(output).to.contain("[ReceivableInvoiceKeyUsed]");
      expect(output).to.contain("[PoolNotEligible]");
      expect(output).to.contain("Blocking: A regulator has frozen this receivable.");
      expect(output.match(/\[ReceivableIsFrozen\]/g)).to.have.length(2);
    });

    it("lets the buyer acknowledge by signature without paying gas", () => {
      expect(output).to.contain("unchanged: the buyer paid no gas");
    });

    it("ends with one default written off by Harbor and the loss in the report", () => {
      const { report, ids, writtenOff } = result;
      expect(report.defaults.count).to.equal(1);
      const d = report.defaults.items[0];
      expect(d.id).to.equal(ids.defaulted);
      expect(d.writtenOff).to.deep.equal({ pool: "Harbor", loss: writtenOff });
      expect(writtenOff).to.be.greaterThan(0n);
      expect(report.byBank.find((p) => p.name === "Harbor")!.losses).to.equal(writtenOff);
    });

    it("records the late payment as five days late", () => {
      expect(result.daysLate).to.equal(5n);
      const gm = result.report.byBuyer.find((b) => b.buyer === "Global Motors AG")!;
      expect(gm.record.paidLateCount).to.equal(1n);
      expect(gm.record.totalDaysLate).to.equal(5n);
    });

    it("leaves both banks with an active financing and the split, the freeze and the overdue items in the report", () => {
      const { report, ids } = result;
      const line = (id: bigint) => report.receivables.find((l) => l.id === id)!;
      expect(line(ids.splitParent).status).to.equal("Split");
      expect(line(ids.tier2Child).parentId).to.equal(ids.splitParent);
      expect(line(ids.tier2Child).financedBy).to.equal("Pearl");
      expect(line(ids.tier2Child).status).to.equal("Paid");
      expect(line(ids.onTime).financingStatus).to.equal("Repaid");
      expect(line(ids.pearlSme).financingStatus).to.equal("Active");
      expect(line(ids.newlyFinanced).financingStatus).to.equal("Active");
      expect(line(ids.rejected).status).to.equal("Rejected");
      expect(report.frozen.map((f) => [f.id, f.reason])).to.deep.equal([[ids.frozen, "AML REVIEW"]]);
      expect(report.byBank.every((p) => p.outstandingAdvances > 0n)).to.equal(true);
      const overdueIds = report.receivables.filter((l) => l.daysPastDue > 0).map((l) => l.id);
      expect(overdueIds).to.have.members([ids.keptChild, ids.defaulted]);
      expect(report.overdue.reduce((n, b) => n + b.count, 0)).to.equal(2);
    });
  });

  describe("as `hardhat run scripts/demo.ts`", () => {
    it("exits 0 and prints the story", function () {
      this.timeout(180_000);
      const root = join(__dirname, "..");
      const run = spawnSync(
        process.execPath,
        [require.resolve("hardhat/internal/cli/bootstrap"), "run", "scripts/demo.ts"],
        {
          cwd: root,
          encoding: "utf8",
          env: { ...process.env, HARDHAT_NETWORK: "hardhat" },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      expect(run.status, run.stderr).to.equal(0);
      for (const word of STORY) expect(run.stdout).to.match(word);
    });
  });
});
