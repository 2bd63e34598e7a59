/**
 * `npm run bench`: gas per operation, measured from receipts on the in-process network.
 * Writes reports/gas.json. Not a test: numbers are recorded, compared by test/gas.snapshot.test.ts.
 */
import hre from "hardhat";
import * as fs from "fs";
import * as path from "path";
import TradeFinModule from "../ignition/modules/TradeFin";
import type { ParticipantRegistry } from "../typechain-types";
import { entityId, Role } from "../src/ids";

async function main(): Promise<void> {
  const { ethers, ignition } = hre;
  const [admin, w1, w2] = await ethers.getSigners();
  const { participants } = await ignition.deploy(TradeFinModule);
  const registry = participants as unknown as ParticipantRegistry;
  await (await registry.grantRole(await registry.ONBOARDER_ROLE(), admin.address)).wait();
  const expiry = (await ethers.provider.getBlock("latest"))!.timestamp + 365 * 24 * 3600;

  const results: Record<string, { gas: number }> = {};
  const measure = async (name: string, tx: Promise<{ wait: () => Promise<{ gasUsed: bigint } | null> }>) => {
    const receipt = await (await tx).wait();
    results[name] = { gas: Number(receipt!.gasUsed) };
  };
  await measure("registerEntity", registry.registerEntity(entityId("LEI:A"), Role.SUPPLIER, expiry, w1.address));
  await measure("addWallet", registry.addWallet(entityId("LEI:A"), w2.address));
  await measure("setRoles", registry.setRoles(entityId("LEI:A"), Role.SUPPLIER | Role.BUYER));

  console.table(results);
  const out = path.join(__dirname, "..", "reports", "gas.json");
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
