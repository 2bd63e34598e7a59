#!/usr/bin/env node
// Fails (exit 1) when Solidity coverage of contracts/ (mocks excluded by .solcover.js) is under the
// gates: 95 % of lines and 90 % of branches. Reads coverage/coverage-summary.json from `hardhat coverage`.
const fs = require("fs");
const path = require("path");

const GATES = { lines: 95, branches: 90 };
const file = path.join(__dirname, "..", "coverage", "coverage-summary.json");
if (!fs.existsSync(file)) {
  console.error(`coverage gate: ${path.relative(process.cwd(), file)} is missing; run \`hardhat coverage\` first`);
  process.exit(1);
}
const total = JSON.parse(fs.readFileSync(file, "utf8")).total;
let failed = false;
for (const [metric, gate] of Object.entries(GATES)) {
  const pct = total[metric].pct;
  const ok = pct >= gate;
  failed ||= !ok;
  console.log(`coverage gate: ${metric} ${pct.toFixed(2)} % (gate ${gate} %) ${ok ? "ok" : "FAILED"}`);
}
process.exit(failed ? 1 : 0);
