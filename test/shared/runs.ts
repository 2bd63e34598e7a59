import hre from "hardhat";

/** True while `hardhat coverage` runs the suite on instrumented (slower) contracts. */
export function coverageRunning(): boolean {
  return Boolean((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);
}

/**
 * Property-test run counts: `n` in `npm test`; a tenth (at least 20) under coverage, where the point is
 * to reach every branch, not to search the input space again on contracts that run several times slower.
 */
export function runs(n: number): number {
  return coverageRunning() ? Math.max(20, Math.floor(n / 10)) : n;
}
