/**
 * A governed deployment (issue 14): real Safe contracts, a 2-of-3 Safe, a Timelock proposed by the Safe
 * with a 48 h delay, and the TradeFin core and one pool whose admin and owner is the timelock. Built through
 * the same Ignition modules the deploy task uses; the Safe helpers come from src/safe.ts.
 */
import { ethers, ignition, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import GovernanceModule from "../../ignition/modules/Governance";
import TradeFinModule from "../../ignition/modules/TradeFin";
import LocalStablecoinModule from "../../ignition/modules/LocalStablecoin";
import { financingPoolModule } from "../../ignition/modules/FinancingPool";
import { standardPolicy, policyTuple } from "../../src/pure/policy";
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
import type {
  FinancingPool,
  MockStablecoin,
  ParticipantRegistry,
  ReceivableRegistry,
  RiskEngine,
  Timelock,
} from "../../typechain-types";

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

  const { timelock } = await ignition.deploy(GovernanceModule, {
    parameters: {
      Governance: { delay: GOVERNANCE_DELAY, proposers: [safe], executors: [ethers.ZeroAddress] },
    },
  });
  const timelockAddress = await timelock.getAddress();
  const core = await ignition.deploy(TradeFinModule, {
    parameters: { TradeFin: { admin: timelockAddress, adminTransferDelay: 3 * DAY, defaultGracePeriod: 30 * DAY } },
  });
  const { stablecoin } = await ignition.deploy(LocalStablecoinModule);
  const usd = stablecoin as unknown as MockStablecoin;
  const { pool } = await ignition.deploy(
    financingPoolModule("Governed", {
      core: {
        receivables: await core.receivables.getAddress(),
        riskEngine: await core.riskEngine.getAddress(),
      },
    }),
    {
      parameters: {
        Pool_Governed: {
          asset: await usd.getAddress(),
          manager: timelockAddress,
          policy: policyTuple(standardPolicy(6)),
        },
      },
    },
  );

  const tl = timelock as unknown as Timelock;
  const registry = core.participants as unknown as ParticipantRegistry;

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
  const registryAddress = await registry.getAddress();
  await governed([
    timelockCall(
      registryAddress,
      registry.interface.encodeFunctionData("grantRole", [await registry.PAUSER_ROLE(), guardian.address]),
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
    registry,
    receivables: core.receivables as unknown as ReceivableRegistry,
    riskEngine: core.riskEngine as unknown as RiskEngine,
    pool: pool as unknown as FinancingPool,
    usd,
    schedule,
    execute,
    governed,
  };
}

export type Governed = Awaited<ReturnType<typeof governedFixture>>;
