import { expect } from "chai";
import { artifacts } from "hardhat";
import { coverageRunning } from "./shared/runs";

// Issue 13: every deployable TradeFin contract is compiled with at least 10,000 optimizer runs (gas on the hot
// paths) and stays at least 1.5 KiB under the EIP-170 limit of 24 KiB, so the next rule has room. `npm run size`
// prints the table; this test is the gate.

const EIP170_LIMIT = 24 * 1024;
const HEADROOM = 1536;
const MIN_RUNS = 10_000;

const CONTRACTS = [
  "contracts/ParticipantRegistry.sol:ParticipantRegistry",
  "contracts/ReceivableRegistry.sol:ReceivableRegistry",
  "contracts/libraries/ReceivableLogic.sol:ReceivableLogic",
  "contracts/RiskEngine.sol:RiskEngine",
  "contracts/FinancingPool.sol:FinancingPool",
  "contracts/periphery/ReceivableLens.sol:ReceivableLens",
];

describe("Contract size and optimizer runs (issue 13)", () => {
  // Coverage compiles instrumented contracts without the optimizer: sizes are checked by `npm test` and `npm run size`.
  if (coverageRunning()) return;
  for (const name of CONTRACTS) {
    it(`${name.split(":")[1]}: ≥ ${MIN_RUNS} runs and ≥ 1.5 KiB under 24 KiB`, async () => {
      const artifact = await artifacts.readArtifact(name);
      const bytes = (artifact.deployedBytecode.length - 2) / 2;
      expect(bytes, `${name} deployed size`).to.be.greaterThan(0);
      expect(bytes, `${name} is ${bytes} bytes; the ceiling is ${EIP170_LIMIT - HEADROOM}`).to.be.at.most(
        EIP170_LIMIT - HEADROOM,
      );
      const info = await artifacts.getBuildInfo(name);
      expect(info, `no build info for ${name}`).to.not.equal(undefined);
      const runs = info!.input.settings.optimizer.runs ?? 0;
      expect(info!.input.settings.optimizer.enabled, `${name} optimizer`).to.equal(true);
      expect(runs, `${name} optimizer runs`).to.be.at.least(MIN_RUNS);
    });
  }
});
