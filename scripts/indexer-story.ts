/**
 * `hardhat run --network localhost scripts/indexer-story.ts`: plays the demo story (scripts/demo.ts) on a
 * running node and writes its address book (`deployments/<network>.json`, or `$TRADEFIN_DEPLOYMENTS_DIR`), so
 * that the indexer (indexer/ponder.config.ts) and `npx hardhat report` find the deployment. Used by
 * `npm run dashboard` and `npm run test:indexer` (issue #15).
 *
 * The demo deploys through Ignition in process; its journal goes to a temporary folder so that a restarted
 * node never meets a stale journal.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { writeAddressBook, type AddressBook } from "../src/addressBook";
import { main } from "./demo";

async function story() {
  hre.config.paths.ignition = mkdtempSync(join(tmpdir(), "tradefin-ignition-"));
  const { ethers } = hre;
  const deployBlock = (await ethers.provider.getBlockNumber()) + 1;
  const [admin] = await ethers.getSigners();
  const quiet = process.env.TRADEFIN_STORY_QUIET === "1";
  const result = await main({ log: quiet ? () => undefined : (line) => console.log(line) });
  const { contracts, report } = result;
  const entities: AddressBook["entities"] = {};
  for (const l of report.receivables) {
    entities[l.sellerEntityId] = { ref: l.seller, name: l.seller };
    entities[l.buyerEntityId] = { ref: l.buyer, name: l.buyer };
  }
  const usd = await contracts.usd.getAddress();
  const book: AddressBook = {
    version: 1,
    network: hre.network.name,
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    deployedAt: new Date().toISOString(),
    deployer: admin.address,
    deployBlock,
    contracts: {
      participants: await contracts.participants.getAddress(),
      receivables: await contracts.receivables.getAddress(),
      riskEngine: await contracts.riskEngine!.getAddress(),
    },
    stablecoins: {
      [await contracts.usd.symbol()]: { address: usd, decimals: Number(await contracts.usd.decimals()), mock: true },
    },
    pools: Object.fromEntries(
      await Promise.all(
        contracts.pools.map(async (p) => [
          p.name,
          { address: await p.pool.getAddress(), asset: usd, manager: await p.pool.owner() },
        ]),
      ),
    ),
    entities,
  };
  const path = writeAddressBook(book);
  console.log(
    `Address book written to ${path ?? "(memory)"}: ${report.receivables.length} receivables, block ${report.block}.`,
  );
}

story().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
