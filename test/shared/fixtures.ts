import { ethers, ignition } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import TradeFinModule from "../../ignition/modules/TradeFin";
import LocalStablecoinModule from "../../ignition/modules/LocalStablecoin";
import type { ParticipantRegistry, ReceivableRegistry, RiskEngine, MockStablecoin } from "../../typechain-types";
import { entityId, Role } from "../../src/ids";

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
  const { participants, receivables, riskEngine } = await ignition.deploy(TradeFinModule, {
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

/** Core deployment with roles granted and one entity per actor registered. */
export async function onboardedFixture() {
  const f = await deployCoreFixture();
  const { registry, admin } = f;
  await registry.connect(admin).grantRole(await registry.ONBOARDER_ROLE(), f.onboarder.address);
  await registry.connect(admin).grantRole(await registry.PAUSER_ROLE(), f.pauser.address);
  await registry.connect(admin).grantRole(await registry.RATING_AGENT_ROLE(), f.ratingAgent.address);
  const expiry = (await time.latest()) + YEAR;
  const reg = registry.connect(f.onboarder);
  await reg.registerEntity(ENTITIES.supplier, Role.SUPPLIER, expiry, f.supplier.address);
  await reg.addWallet(ENTITIES.supplier, f.supplier2.address);
  await reg.registerEntity(ENTITIES.buyer, Role.BUYER, expiry, f.buyer.address);
  await reg.addWallet(ENTITIES.buyer, f.buyer2.address);
  await reg.registerEntity(ENTITIES.bank, Role.FINANCIER, expiry, f.bank.address);
  await reg.registerEntity(ENTITIES.regulator, Role.REGULATOR, expiry, f.regulator.address);
  await registry.connect(admin).setCurrencyAllowed(await f.usd.getAddress(), true);
  return { ...f, expiry };
}
