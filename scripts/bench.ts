/**
 * `npm run bench`: gas per user-facing operation on the in-process Hardhat network, beside each
 * operation's floor (scenarios: scripts/lib/gasScenarios.ts; floors: src/pure/gas.ts, docs/GAS.md).
 *
 * Writes reports/gas.json ({ "<operation>": { gas, floor } }), the committed snapshot that
 * test/GasSnapshot.test.ts holds the contracts to. BENCH_WRITE=0 prints without writing.
 */
import hre from "hardhat";
import * as fs from "fs";
import * as path from "path";
import Table from "cli-table3";
import { ratio, type GasEntry } from "../src/pure/gas";
import { measureAll } from "./lib/gasScenarios";

async function main(): Promise<void> {
  const entries = await measureAll(hre);
  // ----------------------------------------------------------------- output
  const table = new Table({
    head: ["operation", "gas", "floor", "ratio"],
    colAligns: ["left", "right", "right", "right"],
  });
  for (const [name, e] of Object.entries(entries)) {
    table.push([name, e.gas.toLocaleString("en-US"), e.floor.toLocaleString("en-US"), ratio(e).toFixed(3)]);
  }
  console.log(table.toString());
  const worst = Object.entries(entries).reduce((a, b) => (ratio(a[1]) > ratio(b[1]) ? a : b));
  console.log(`worst ratio: ${worst[0]} at ${ratio(worst[1]).toFixed(3)}`);

  if (process.env.BENCH_WRITE !== "0") {
    const out = path.join(__dirname, "..", "reports", "gas.json");
    const snapshot: Record<string, GasEntry> = {};
    for (const [name, e] of Object.entries(entries)) snapshot[name] = { gas: e.gas, floor: e.floor };
    fs.writeFileSync(out, JSON.stringify(snapshot, null, 2) + "\n");
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
