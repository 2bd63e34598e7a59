import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockStablecoin } from "../../typechain-types";
import { entityId, Role } from "../../src/pure/ids";
import {
  deployTradeFin,
  type DeployTradeFinOptions,
  type EntitySetup,
  type TradeFinDeployment,
} from "../../src/hardhat/deploy";

export const DAY = 24 * 3600;
export const YEAR = 365 * DAY;
/** Grace period after the due date before a default may be declared, in the test deployment. */
export const GRACE_PERIOD = 30 * DAY;
/** Seconds a new admin waits before accepting, in the test deployment. */
export const ADMIN_DELAY = 3 * DAY;

export const ENTITIES = {
  supplier: entityId("LEI:SUPPLIER0000000000001"),
  buyer: entityId("LEI:BUYER000000000000000001"),
  bank: entityId("LEI:BANK0000000000000000001"),
  regulator: entityId("LEI:REGULATOR00000000000001"),
} as const;

/** The first eleven accounts, by the part every fixture gives them. */
export async function namedSigners() {
  const signers = await ethers.getSigners();
  const [admin, onboarder, pauser, ratingAgent, supplier, supplier2, buyer, buyer2, bank, regulator, outsider] =
    signers;
  return { admin, onboarder, pauser, ratingAgent, supplier, supplier2, buyer, buyer2, bank, regulator, outsider };
}

type Named = Awaited<ReturnType<typeof namedSigners>>;

/**
 * What every fixture's deployment shares: the core with the test admin, delay and grace period, the test
 * stablecoin allowlisted, and the access roles granted to `onboarder`, `pauser` and `ratingAgent`.
 */
export function baseDeployment(a: Named): DeployTradeFinOptions {
  return {
    core: { admin: a.admin.address, adminTransferDelay: ADMIN_DELAY, defaultGracePeriod: GRACE_PERIOD },
    localStablecoin: true,
    roles: {
      ONBOARDER_ROLE: [a.onboarder.address],
      PAUSER_ROLE: [a.pauser.address],
      RATING_AGENT_ROLE: [a.ratingAgent.address],
    },
  };
}

/**
 * The four ENTITIES with their wallets, in registration order (indexes 1..4): supplier (two wallets), buyer (two
 * wallets), bank, regulator (registered by the admin, the only account that may give an entity REGULATOR).
 */
export function actorEntities(a: Named, expiry: number): EntitySetup[] {
  return [
    {
      id: ENTITIES.supplier,
      roles: Role.SUPPLIER,
      kycExpiry: expiry,
      wallets: [a.supplier.address, a.supplier2.address],
    },
    { id: ENTITIES.buyer, roles: Role.BUYER, kycExpiry: expiry, wallets: [a.buyer.address, a.buyer2.address] },
    { id: ENTITIES.bank, roles: Role.FINANCIER, kycExpiry: expiry, wallets: [a.bank.address] },
    { id: ENTITIES.regulator, roles: Role.REGULATOR, kycExpiry: expiry, wallets: [a.regulator.address] },
  ];
}

/**
 * The contracts of a fixture's deployment, under the SDK's names: `participants` is the ParticipantRegistry,
 * `receivables` the ReceivableRegistry (one name per contract, as in src/ and the contracts).
 */
export function contractsOf(d: TradeFinDeployment) {
  return {
    participants: d.participants,
    receivables: d.receivables,
    riskEngine: d.riskEngine,
    lens: d.lens,
    usd: d.stablecoin as MockStablecoin,
  };
}

/** The core (and the test stablecoin, allowlisted) with no roles granted and no entity registered. */
export async function deployCoreFixture() {
  const a = await namedSigners();
  return { ...contractsOf(await deployTradeFin(hre, { ...baseDeployment(a), roles: {} })), ...a };
}

/** Core deployment with roles granted and one entity per actor registered; `participants` is the admin's. */
export async function onboardedFixture() {
  const a = await namedSigners();
  const expiry = (await time.latest()) + YEAR;
  const d = await deployTradeFin(hre, { ...baseDeployment(a), entities: actorEntities(a, expiry) });
  return { ...contractsOf(d), ...a, expiry };
}
