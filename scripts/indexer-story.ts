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
import { writeAddressBook, type AddressBook } from "../src/node/addressBook";
import { addressBookFor } from "../src/hardhat/deploy";
import { main } from "./demo";

/** True for a request that never reached the node: it had closed the idle keep-alive connection first. */
function closedConnection(err: unknown): boolean {
  for (let e = err as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "UND_ERR_SOCKET" || /other side closed/.test(e.message ?? "")) return true;
  }
  return false;
}

/**
 * A loaded machine lets `hardhat node` close an idle keep-alive connection just as the next request goes out
 * on it ("SocketError: other side closed"); such a request was never read by the node, so it is sent again.
 */
function retryClosedConnections() {
  const provider = hre.network.provider as unknown as Record<"request" | "send", (...a: unknown[]) => Promise<unknown>>;
  for (const name of ["request", "send"] as const) {
    const original = provider[name].bind(provider);
    provider[name] = async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await original(...args);
        } catch (err) {
          if (attempt >= 5 || !closedConnection(err)) throw err;
        }
      }
    };
  }
}

async function story() {
  retryClosedConnections();
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
  const book = await addressBookFor(hre, {
    deployer: admin.address,
    deployBlock,
    contracts: {
      participants: await contracts.participants.getAddress(),
      receivables: await contracts.receivables.getAddress(),
      riskEngine: await contracts.riskEngine!.getAddress(),
      lens: await contracts.lens.getAddress(),
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
  });
  const path = writeAddressBook(book);
  console.log(
    `Address book written to ${path ?? "(memory)"}: ${report.receivables.length} receivables, block ${report.block}.`,
  );
}

story().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
