/**
 * A governed deployment (issue 14): real Safe contracts, a 2-of-3 Safe, a Timelock proposed by the Safe
 * with a 48 h delay, and the TradeFin core, the test stablecoin and one pool whose admin and owner is the timelock.
 * Built by deployTradeFin() with its `governance` option (src/hardhat/deploy.ts), the one setup path; the Safe
 * helpers come from src/chain/safe.ts.
 */
import hre, { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployTradeFin } from "../../src/hardhat/deploy";
import { standardPolicy } from "../../src/pure/policy";
import {
  createSafe,
  deploySafeContracts,
  execThroughSafe,
  type SafeCall,
  type SafeContext,
} from "../../src/chain/safe";
import {
  encodeExecute,
  encodeSchedule,
  operationId,
  timelockCall,
  type TimelockCall,
} from "../../src/chain/governance";
import type { MockStablecoin, Timelock } from "../../typechain-types";

export const DAY = 24 * 3600;
/** The delay of the governed test deployment: the production default, 48 h. */
export const GOVERNANCE_DELAY = 2 * DAY;

export async function governedFixture() {
  const s = await ethers.getSigners();
  const [deployer, guardian, bankKey, outsider] = s;
  // Safe owners: three accounts no other role uses.
  const owners = [s[15], s[16], s[17]];
  const { chainId } = await ethers.provider.getNetwork();
  const contracts = await deploySafeContracts(deployer);
  const ctx: SafeContext = { provider: network.provider, chainId, contracts };
  const safe = await createSafe(
    ctx,
    deployer.address,
    owners.map((o) => o.address),
    2,
  );

  // The timelock (proposed by the Safe, executed by anyone) is the registry's admin and the pool's manager.
  const d = await deployTradeFin(hre, {
    governance: { delay: GOVERNANCE_DELAY, proposers: [safe], executors: [ethers.ZeroAddress] },
    core: { adminTransferDelay: 3 * DAY, defaultGracePeriod: 30 * DAY },
    localStablecoin: true,
    pools: { Governed: { policy: standardPolicy(6) } },
  });
  const tl = d.timelock as Timelock;
  const timelockAddress = await tl.getAddress();
  const participants = d.participants;
  const usd = d.stablecoin as MockStablecoin;

  /** Schedules `calls` (one operation each) through the timelock, signed by `signers` of the Safe. */
  async function schedule(calls: TimelockCall[], signers = [owners[0], owners[1]]): Promise<string[]> {
    const safeCalls: SafeCall[] = calls.map((c) => ({
      to: timelockAddress,
      data: encodeSchedule(c, GOVERNANCE_DELAY),
    }));
    await execThroughSafe(
      ctx,
      safe,
      signers.map((o) => o.address),
      safeCalls,
    );
    return calls.map(operationId);
  }

  /** Executes `calls` from any account (the executor role is open). */
  async function execute(calls: TimelockCall[], from = outsider) {
    for (const c of calls) await (await from.sendTransaction({ to: timelockAddress, data: encodeExecute(c) })).wait();
  }

  /** The whole delayed path: schedule through the Safe, wait out the delay, execute. */
  async function governed(calls: TimelockCall[]) {
    await schedule(calls);
    await time.increase(GOVERNANCE_DELAY);
    await execute(calls);
  }

  // The guardian gets PAUSER_ROLE the only way there is: through the delay.
  const registryAddress = await participants.getAddress();
  await governed([
    timelockCall(
      registryAddress,
      participants.interface.encodeFunctionData("grantRole", [await participants.PAUSER_ROLE(), guardian.address]),
    ),
  ]);

  return {
    deployer,
    guardian,
    bankKey,
    outsider,
    owners,
    ctx,
    safe,
    timelock: tl,
    timelockAddress,
    participants,
    receivables: d.receivables,
    riskEngine: d.riskEngine,
    pool: d.pools.Governed,
    usd,
    schedule,
    execute,
    governed,
  };
}

export type Governed = Awaited<ReturnType<typeof governedFixture>>;
