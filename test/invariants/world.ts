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
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { standardPolicy } from "../../src/pure/policy";
import { deployTradeFin } from "../../src/hardhat/deploy";
import type { RiskPolicy } from "../../src/pure/risk";
import { entityId, Role } from "../../src/pure/ids";
import type { MockStablecoin, RevertingReceiver } from "../../typechain-types";
import {
  ADMIN_DELAY,
  DAY,
  ENTITIES,
  GRACE_PERIOD,
  actorEntities,
  baseDeployment,
  contractsOf,
  namedSigners,
} from "../shared/fixtures";

export { DAY, GRACE_PERIOD };
export const UNIT = 1_000_000n;
/** KYC horizon of the fixture's entities: far enough that no run's time travel reaches it. */
export const KYC_HORIZON = 40 * 365 * DAY;
/** Liquidity each bank deposits in its pool. */
export const POOL_LIQUIDITY = 1_500_000n * UNIT;
/** Stablecoin minted to every EOA. */
export const EOA_FUNDS = 1_000_000_000n * UNIT;
/** Admin transfer delay of the deployment (the shared fixtures'). */
export { ADMIN_DELAY };

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

export async function worldFixture() {
  const s = await ethers.getSigners();
  const a = await namedSigners();
  const { bank } = a;
  const [tier2, bankB, buyerB, receiverOwner, ...rest] = s.slice(11);
  const prospects = rest.slice(0, 4);

  // The contract wallet S3 registers with: deployed first, by its owner (the admin's nonces stay the deployment's).
  const receiver = (await ethers.deployContract(
    "RevertingReceiver",
    [],
    receiverOwner,
  )) as unknown as RevertingReceiver;
  const [policyA, policyB] = poolPolicies();
  const expiry = (await time.latest()) + KYC_HORIZON;
  const E = WORLD_ENTITIES;
  const deployed = await deployTradeFin(hre, {
    ...baseDeployment(a),
    // S1, B1, A and R are the shared fixtures' ENTITIES, registered the same way (indices 1..4).
    entities: [
      ...actorEntities(a, expiry),
      { id: E.S2, roles: Role.SUPPLIER, kycExpiry: expiry, wallets: [tier2.address] },
      { id: E.S3, roles: Role.SUPPLIER, kycExpiry: expiry, wallets: [await receiver.getAddress()] },
      { id: E.B2, roles: Role.BUYER, kycExpiry: expiry, wallets: [buyerB.address] },
      { id: E.B, roles: Role.FINANCIER, kycExpiry: expiry, wallets: [bankB.address] },
    ],
    pools: {
      A: { manager: bank.address, policy: policyA, bankEntity: E.A },
      B: { manager: bankB.address, policy: policyB, bankEntity: E.B },
    },
  });
  const { receivables } = deployed;
  const usd = deployed.stablecoin as MockStablecoin;
  const poolA = deployed.pools.A;
  const poolB = deployed.pools.B;

  const signers = {
    ...a,
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
    ...contractsOf(deployed),
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
