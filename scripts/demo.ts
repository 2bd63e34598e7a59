/**
 * `npm run demo`: the TradeFin story on the in-process Hardhat network.
 * Today it deploys the participant registry and onboards the actors; later
 * stages (invoices, financing, report) are added as the contracts land.
 */
import hre from "hardhat";
import TradeFinModule from "../ignition/modules/TradeFin";
import LocalStablecoinModule from "../ignition/modules/LocalStablecoin";
import type { ParticipantRegistry } from "../typechain-types";
import { entityId, Role, roleNames } from "../src/ids";

async function main(): Promise<void> {
  const { ethers, ignition } = hre;
  const [admin, supplier, buyer, bank, regulator] = await ethers.getSigners();
  console.log(
    `TradeFin demo on network "${hre.network.name}" (chain id ${(await ethers.provider.getNetwork()).chainId})`,
  );

  const { participants } = await ignition.deploy(TradeFinModule);
  const { stablecoin } = await ignition.deploy(LocalStablecoinModule);
  const registry = participants as unknown as ParticipantRegistry;
  console.log("\nDeployed");
  console.table({
    ParticipantRegistry: await registry.getAddress(),
    "MockStablecoin (tUSD, local only)": await stablecoin.getAddress(),
  });

  await (await registry.grantRole(await registry.ONBOARDER_ROLE(), admin.address)).wait();
  await (await registry.setCurrencyAllowed(await stablecoin.getAddress(), true)).wait();
  const expiry = (await ethers.provider.getBlock("latest"))!.timestamp + 365 * 24 * 3600;
  const actors = [
    { ref: "LEI:5493001KJTIIGC8Y1R12", name: "Acme Components Ltd (SME)", roles: Role.SUPPLIER, wallet: supplier },
    { ref: "USCC:91350211MA2Y5A8X7B", name: "Big Buyer Manufacturing", roles: Role.BUYER, wallet: buyer },
    { ref: "LEI:BANK00000000000000A1", name: "First Trade Bank", roles: Role.FINANCIER, wallet: bank },
    { ref: "LEI:SUPERVISOR0000000001", name: "Financial Supervisor", roles: Role.REGULATOR, wallet: regulator },
  ];
  const rows: Record<string, unknown>[] = [];
  for (const a of actors) {
    const id = entityId(a.ref);
    await (await registry.registerEntity(id, a.roles, expiry, a.wallet.address)).wait();
    const e = await registry.entity(id);
    rows.push({
      entity: a.name,
      ref: a.ref,
      index: Number(e.index),
      roles: roleNames(Number(e.roles)).join(","),
      wallet: a.wallet.address,
      active: await registry.isActive(a.wallet.address, a.roles),
    });
  }
  console.log("\nOnboarded participants");
  console.table(rows);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
