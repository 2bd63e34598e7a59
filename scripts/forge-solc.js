#!/usr/bin/env node
// A `solc` executable for forge (foundry.toml `solc = "scripts/forge-solc.js"`), backed by the npm package
// `solc` (solc-js 0.8.30, WebAssembly) so that forge compiles offline with no native compiler to download.
// forge needs two things of it: `--version` (to learn the version) and `--standard-json` (input on stdin,
// output on stdout). Imports are resolved by forge itself (it sends every source), so no import callback
// is needed; a missing file is reported by solc as an ordinary error.
"use strict";
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  const long = solc.version(); // e.g. 0.8.30+commit.73712a01.Emscripten.clang
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${long}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write(`forge-solc: only --version and --standard-json are supported (got: ${args.join(" ")})\n`);
  process.exit(2);
}
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  const output = solc.compile(input, {
    import: (path) => ({ error: `forge-solc: ${path} was not part of the standard-json input` }),
  });
  process.stdout.write(output);
});
