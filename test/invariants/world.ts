/**
 * The deployment the invariant fuzzer and the role matrix run against: the TradeFin core and two banks' pools,
 * deployed in one go through the same Ignition modules the scripts use, with every actor a test can need.
 *
 * Entities: supplier S1 (wallets `supplier`, `supplier2`), tier-2 supplier S2 (`tier2`), S3 (a RevertingReceiver
 * contract wallet driven by `receiverOwner`), buyers B1 (`buyer`, `buyer2`) and B2 (`buyerB`), banks A (`bank`,
 * pool A) and B (`bankB`, pool B, recourse), regulator R (`regulator`). Four `prospects` are funded but not
 * registered: the fuzzer registers them as new participants. `outsider` is never registered.
 * Every EOA holds ample stablecoin and has approved the receivable registry and both pools for the stablecoin,
 * and both pools as operators of its receivables, so no failure in a run is an allowance artefact.
 */
import { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import LocalStablecoinModule from "../../ignition/modules/LocalStablecoin";
import { policyTuple, standardPolicy } from "../../src/pure/policy";
import type { RiskPolicy } from "../../src/pure/risk";
import { entityId, Role } from "../../src/pure/ids";
import type {
  FinancingPool,
  MockStablecoin,
  ParticipantRegistry,
  ReceivableLens,
  ReceivableRegistry,
  RevertingReceiver,
  RiskEngine,
} from "../../typechain-types";
import {
  DAY,
  ENTITIES,
  GRACE_PERIOD,
  bindPool,
  coreWithTwoPools,
  grantRolesAndAllow,
  registerActors,
} from "../shared/fixtures";

export { DAY, GRACE_PERIOD };
export const UNIT = 1_000_000n;
/** KYC horizon of the fixture's entities: far enough that no run's time travel reaches it. */
export const KYC_HORIZON = 40 * 365 * DAY;
/** Liquidity each bank deposits in its pool. */
export const POOL_LIQUIDITY = 1_500_000n * UNIT;
/** Stablecoin minted to every EOA. */
export const EOA_FUNDS = 1_000_000_000n * UNIT;
/** Admin transfer delay of the deployment. */
export const ADMIN_DELAY = 3 * DAY;

export const WORLD_ENTITIES = {
  S1: ENTITIES.supplier,
  S2: entityId("LEI:TIER2SUPPLIER0000000001"),
  S3: entityId("LEI:REVERTINGRECEIVER0001"),
  B1: ENTITIES.buyer,
  B2: entityId("LEI:BUYER000000000000000002"),
  A: ENTITIES.bank,
  B: entityId("LEI:BANK0000000000000000002"),
  R: ENTITIES.regulator,
} as const;

/** Entity ids of the four prospects (registered only by the fuzzer's `register` command). */
export const PROSPECT_ENTITIES = [0, 1, 2, 3].map((i) => entityId(`LEI:PROSPECT00000000000000${i}`));

/** Policies of the two pools: bank A the standard one; bank B the same with recourse. */
export function poolPolicies(): [RiskPolicy, RiskPolicy] {
  return [standardPolicy(6), standardPolicy(6, { recourse: true })];
}

/** The core and both pools in one Ignition deployment, so the pools bind to this core. */
const WorldModule = coreWithTwoPools("InvariantWorld", "A", "B");

export async function worldFixture() {
  const s = await ethers.getSigners();
  const [admin, onboarder, pauser, ratingAgent, supplier, supplier2, buyer, buyer2, bank, regulator, outsider] = s;
  const [tier2, bankB, buyerB, receiverOwner, ...rest] = s.slice(11);
  const prospects = rest.slice(0, 4);

  const { stablecoin } = await ignition.deploy(LocalStablecoinModule);
  const usd = stablecoin as unknown as MockStablecoin;
  const usdAddress = await usd.getAddress();
  const [policyA, policyB] = poolPolicies();
  const deployed = await ignition.deploy(WorldModule, {
    parameters: {
      TradeFin: { admin: admin.address, adminTransferDelay: ADMIN_DELAY, defaultGracePeriod: GRACE_PERIOD },
      Pool_A: { asset: usdAddress, manager: bank.address, policy: policyTuple(policyA) },
      Pool_B: { asset: usdAddress, manager: bankB.address, policy: policyTuple(policyB) },
    },
  });
  const registry = deployed.participants as unknown as ParticipantRegistry;
  const receivables = deployed.receivables as unknown as ReceivableRegistry;
  const riskEngine = deployed.riskEngine as unknown as RiskEngine;
  const lens = deployed.lens as unknown as ReceivableLens;
  const poolA = deployed.pool1 as unknown as FinancingPool;
  const poolB = deployed.pool2 as unknown as FinancingPool;
  const receiver = (await ethers.deployContract(
    "RevertingReceiver",
    [],
    receiverOwner,
  )) as unknown as RevertingReceiver;

  const reg = await grantRolesAndAllow(registry, { admin, onboarder, pauser, ratingAgent }, usdAddress);
  const expiry = (await time.latest()) + KYC_HORIZON;
  const E = WORLD_ENTITIES;
  // S1, B1, A and R are the shared fixtures' ENTITIES, registered the same way (indices 1..4).
  await registerActors(reg, expiry, { admin, supplier, supplier2, buyer, buyer2, bank, regulator });
  await bindPool(reg, E.A, await poolA.getAddress());
  await reg.registerEntity(E.S2, Role.SUPPLIER, expiry, tier2.address);
  await reg.registerEntity(E.S3, Role.SUPPLIER, expiry, await receiver.getAddress());
  await reg.registerEntity(E.B2, Role.BUYER, expiry, buyerB.address);
  await reg.registerEntity(E.B, Role.FINANCIER, expiry, bankB.address);
  await bindPool(reg, E.B, await poolB.getAddress());

  const signers = {
    admin,
    onboarder,
    pauser,
    ratingAgent,
    supplier,
    supplier2,
    buyer,
    buyer2,
    bank,
    regulator,
    outsider,
    tier2,
    bankB,
    buyerB,
    receiverOwner,
  };
  const eoas: HardhatEthersSigner[] = [...Object.values(signers), ...prospects];
  const spenders = [await receivables.getAddress(), await poolA.getAddress(), await poolB.getAddress()];
  for (const w of eoas) {
    await usd.mint(w.address, EOA_FUNDS);
    for (const spender of spenders) await usd.connect(w).approve(spender, ethers.MaxUint256);
    for (const pool of spenders.slice(1)) await receivables.connect(w).setApprovalForAll(pool, true);
  }
  await poolA.connect(bank).deposit(POOL_LIQUIDITY);
  await poolB.connect(bankB).deposit(POOL_LIQUIDITY);

  return {
    registry,
    receivables,
    lens,
    riskEngine,
    usd,
    poolA,
    poolB,
    receiver,
    expiry,
    policies: [policyA, policyB] as [RiskPolicy, RiskPolicy],
    signers,
    prospects,
    eoas,
  };
}

export type World = Awaited<ReturnType<typeof worldFixture>>;
