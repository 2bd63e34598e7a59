import { expect } from "chai";
import hre from "hardhat";
import * as fs from "fs";
import * as path from "path";
import { measureAll, type Entries } from "../scripts/lib/gasScenarios";
import type { GasEntry } from "../src/pure/gas";
import { coverageRunning } from "./shared/runs";

/** Gas is deterministic: any operation more than 2 % above reports/gas.json fails review here. */
const TOLERANCE = 0.02;
/** Calldata of a scenario varies with the clock by a few zero bytes (12 gas each); floors move by at most this. */
const FLOOR_NOISE = 120;

describe("Gas snapshot (reports/gas.json)", function () {
  this.timeout(600_000);
  // Coverage instruments the contracts, which changes their gas: the snapshot is checked by `npm test`.
  if (coverageRunning()) return;
  const snapshot: Record<string, GasEntry> = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "reports", "gas.json"), "utf8"),
  );
  let measured: Entries;

  before(async () => {
    measured = await measureAll(hre);
  });

  it("records at least the operations the gas issue names", () => {
    for (const op of ["submit", "acknowledge", "acknowledgeWithSig", "pay", "finance"]) {
      expect(snapshot, `reports/gas.json lacks ${op}`).to.have.property(op);
    }
  });

  it("measures every operation of the snapshot and nothing it does not know", () => {
    expect(Object.keys(measured).sort()).to.deep.equal(Object.keys(snapshot).sort());
  });

  it("keeps every operation within 2 % of its snapshot gas (run `npm run bench` to record a change)", () => {
    const over = Object.entries(measured)
      .filter(([op, e]) => snapshot[op] && e.gas > snapshot[op].gas * (1 + TOLERANCE))
      .map(([op, e]) => `${op}: ${e.gas} > ${snapshot[op].gas} + 2 %`);
    expect(over, over.join("\n")).to.deep.equal([]);
  });

  it("keeps the floors of the snapshot (a floor only changes with the design, in review)", () => {
    // Dates, deadlines and signatures in calldata follow the chain's clock, so a zero byte may come or go:
    // ±12 gas each. Anything beyond FLOOR_NOISE is a change to what an operation must touch.
    const changed = Object.entries(measured)
      .filter(([op, e]) => snapshot[op] && Math.abs(e.floor - snapshot[op].floor) > FLOOR_NOISE)
      .map(([op, e]) => `${op}: floor ${e.floor} ≠ ${snapshot[op].floor}`);
    expect(changed, changed.join("\n")).to.deep.equal([]);
  });

  it("costs the same to assess a receivable whatever the buyer's history (1 vs 1,000 invoices, ±1 %)", () => {
    const one = measured["assess (1 past invoice)"].gas;
    const thousand = measured["assess (1,000 past invoices)"].gas;
    expect(Math.abs(thousand - one) / one).to.be.at.most(0.01);
  });
});
