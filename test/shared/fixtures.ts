import { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import TradeFinModule from "../../ignition/modules/TradeFin";
import LocalStablecoinModule from "../../ignition/modules/LocalStablecoin";
import { financingPoolModule } from "../../ignition/modules/FinancingPool";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type {
  ParticipantRegistry,
  ReceivableRegistry,
  ReceivableLens,
  RiskEngine,
  MockStablecoin,
} from "../../typechain-types";
import { entityId, Role } from "../../src/pure/ids";

export const DAY = 24 * 3600;
export const YEAR = 365 * DAY;
/** Grace period after the due date before a default may be declared, in the test deployment. */
export const GRACE_PERIOD = 30 * DAY;

export const ENTITIES = {
  supplier: entityId("LEI:SUPPLIER0000000000001"),
  buyer: entityId("LEI:BUYER000000000000000001"),
  bank: entityId("LEI:BANK0000000000000000001"),
  regulator: entityId("LEI:REGULATOR00000000000001"),
} as const;

/** Deploys the core through the same Ignition module the scripts use. */
export async function deployCoreFixture() {
  const signers = await ethers.getSigners();
  const [admin, onboarder, pauser, ratingAgent, supplier, supplier2, buyer, buyer2, bank, regulator, outsider] =
    signers;
  const { participants, receivables, riskEngine, lens } = await ignition.deploy(TradeFinModule, {
    parameters: { TradeFin: { admin: admin.address, adminTransferDelay: 3 * DAY, defaultGracePeriod: GRACE_PERIOD } },
  });
  const { stablecoin } = await ignition.deploy(LocalStablecoinModule);
  const registry = participants as unknown as ParticipantRegistry;
  const usd = stablecoin as unknown as MockStablecoin;
  const receivableRegistry = receivables as unknown as ReceivableRegistry;
  return {
    registry,
    receivables: receivableRegistry,
    riskEngine: riskEngine as unknown as RiskEngine,
    lens: lens as unknown as ReceivableLens,
    usd,
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
  };
}

/**
 * The core and two banks' pools in one Ignition deployment: the pool modules use the TradeFin core module, so
 * deploying them together binds both pools to the same registries (a separate `ignition.deploy` of a pool
 * module on the in-process network would deploy a second core). Parameters: `Pool_<first>`, `Pool_<second>`.
 */
export function coreWithTwoPools(id: string, first: string, second: string) {
  return buildModule(id, (m) => {
    const core = m.useModule(TradeFinModule);
    const { pool: pool1 } = m.useModule(financingPoolModule(first));
    const { pool: pool2 } = m.useModule(financingPoolModule(second));
    return { ...core, pool1, pool2 };
  });
}

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** The accounts every fixture gives the deployment's access-control roles. */
export interface RoleHolders {
  admin: Signer;
  onboarder: Signer;
  pauser: Signer;
  ratingAgent: Signer;
}

/**
 * What an admin does first on a fresh deployment: grants ONBOARDER_ROLE, PAUSER_ROLE and RATING_AGENT_ROLE
 * and allows the settlement currency. Returns the registry connected as the onboarder.
 */
export async function grantRolesAndAllow(registry: ParticipantRegistry, who: RoleHolders, currency: string) {
  const byAdmin = registry.connect(who.admin);
  await byAdmin.grantRole(await registry.ONBOARDER_ROLE(), who.onboarder.address);
  await byAdmin.grantRole(await registry.PAUSER_ROLE(), who.pauser.address);
  await byAdmin.grantRole(await registry.RATING_AGENT_ROLE(), who.ratingAgent.address);
  await byAdmin.setCurrencyAllowed(currency, true);
  return registry.connect(who.onboarder);
}

/**
 * The four ENTITIES with their wallets: supplier (two wallets), buyer (two wallets), bank, regulator. `reg` is
 * connected as the onboarder; the regulator is registered by `a.admin`, the only account that may give an entity
 * the REGULATOR role.
 */
export async function registerActors(
  reg: ParticipantRegistry,
  expiry: number,
  a: {
    admin: Signer;
    supplier: Signer;
    supplier2: Signer;
    buyer: Signer;
    buyer2: Signer;
    bank: Signer;
    regulator: Signer;
  },
) {
  await reg.registerEntity(ENTITIES.supplier, Role.SUPPLIER, expiry, a.supplier.address);
  await reg.addWallet(ENTITIES.supplier, a.supplier2.address, false);
  await reg.registerEntity(ENTITIES.buyer, Role.BUYER, expiry, a.buyer.address);
  await reg.addWallet(ENTITIES.buyer, a.buyer2.address, false);
  await reg.registerEntity(ENTITIES.bank, Role.FINANCIER, expiry, a.bank.address);
  await reg.connect(a.admin).registerEntity(ENTITIES.regulator, Role.REGULATOR, expiry, a.regulator.address);
}

/** Binds a financing pool to its bank's entity as an onboarder must: a pull-only wallet, in one transaction. */
export async function bindPool(reg: ParticipantRegistry, bankEntity: string, pool: string) {
  await reg.addWallet(bankEntity, pool, true);
}

/** Core deployment with roles granted and one entity per actor registered. */
export async function onboardedFixture() {
  const f = await deployCoreFixture();
  const reg = await grantRolesAndAllow(f.registry, f, await f.usd.getAddress());
  const expiry = (await time.latest()) + YEAR;
  await registerActors(reg, expiry, f);
  return { ...f, expiry };
}
