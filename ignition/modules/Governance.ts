import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** 48 hours: the default delay of every privileged change (docs/GOVERNANCE.md). */
export const DEFAULT_GOVERNANCE_DELAY = 48 * 3600;

/**
 * The timelock of a TradeFin deployment (contracts/governance/Timelock.sol, OpenZeppelin's
 * TimelockController): made the admin of the ParticipantRegistry and the owner of each pool, so every
 * privileged change is scheduled by the proposers (a Safe) and runs only after the delay.
 *
 * Parameters (key "Governance"):
 * - `delay`: seconds between scheduling and execution (default 48 h; the deploy task refuses 0 outside chain 31337);
 * - `proposers`: accounts that schedule and cancel (the Safe; required);
 * - `executors`: accounts that execute a ready operation (default `[0x0…0]`: anyone, once the delay has run).
 *
 * The timelock administers itself (no extra admin): changing its delay or proposers is itself a delayed call.
 */
const GovernanceModule = buildModule("Governance", (m) => {
  const delay = m.getParameter("delay", DEFAULT_GOVERNANCE_DELAY);
  const proposers = m.getParameter<string[]>("proposers");
  const executors = m.getParameter<string[]>("executors", ["0x0000000000000000000000000000000000000000"]);
  const timelock = m.contract("Timelock", [delay, proposers, executors, "0x0000000000000000000000000000000000000000"]);
  return { timelock };
});

export default GovernanceModule;
