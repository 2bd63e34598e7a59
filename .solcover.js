// solidity-coverage: test doubles are not measured; thresholds are checked by scripts/check-coverage.js.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["text", "json-summary", "lcov"],
  mocha: { timeout: 600_000 },
};
