/**
 * Ponder configuration (issue #15): which chain and contracts to index.
 *
 * Everything comes from the Hardhat project next door, so there is nothing to copy by hand:
 * - addresses and the deployment block from the address book `deployments/<network>.json` (written by
 *   `npx hardhat deploy` / `pool:deploy`; folder `$TRADEFIN_DEPLOYMENTS_DIR`, network `$TRADEFIN_NETWORK`,
 *   default `localhost`);
 * - ABIs from the Hardhat artifacts (`npx hardhat compile`);
 * - the RPC URL from `$TRADEFIN_RPC_URL` (default http://127.0.0.1:8545).
 *
 * Pools are the ones in the book when the indexer starts: restart it after `pool:deploy`.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createConfig } from "ponder";
import type { Abi } from "viem";

const root = resolve(process.env.TRADEFIN_ROOT ?? join(process.cwd(), ".."));
const network = process.env.TRADEFIN_NETWORK ?? "localhost";
const bookDir = resolve(process.env.TRADEFIN_DEPLOYMENTS_DIR ?? join(root, "deployments"));
const bookPath = join(bookDir, `${network}.json`);

interface Book {
  chainId: number;
  deployBlock?: number;
  contracts: { participants: string; receivables: string; riskEngine: string; lens: string };
  pools: Record<string, { address: string }>;
}

function readJson<T>(path: string, hint: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as Error).message}): ${hint}`);
  }
}

const book = readJson<Book>(bookPath, `run \`npx hardhat deploy --network ${network}\` first`);
const abi = (name: string, folder = ""): Abi =>
  readJson<{ abi: Abi }>(
    join(root, "artifacts", "contracts", folder, `${name}.sol`, `${name}.json`),
    "run `npx hardhat compile` first",
  ).abi;

const startBlock = book.deployBlock ?? 0;
const poolAddresses = Object.values(book.pools).map((p) => p.address as `0x${string}`);

export default createConfig({
  // PGlite (embedded Postgres) by default, in $TRADEFIN_PGLITE_DIR or .ponder/pglite; PostgreSQL when
  // DATABASE_URL is set. Same schema, same queries.
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.TRADEFIN_PGLITE_DIR ?? ".ponder/pglite" },
  chains: {
    tradefin: {
      id: book.chainId,
      rpc: process.env.TRADEFIN_RPC_URL ?? "http://127.0.0.1:8545",
      // A local node mines a block per transaction: poll often, no reorg-safe lag needed there.
      pollingInterval: 500,
      // Local chains restart: never trust an RPC cache across runs.
      disableCache: book.chainId === 31337 || book.chainId === 1337,
    },
  },
  contracts: {
    ParticipantRegistry: {
      chain: "tradefin",
      abi: abi("ParticipantRegistry"),
      address: book.contracts.participants as `0x${string}`,
      startBlock,
    },
    ReceivableRegistry: {
      chain: "tradefin",
      abi: abi("ReceivableRegistry"),
      address: book.contracts.receivables as `0x${string}`,
      startBlock,
    },
    // Read-only views of the receivable registry (it emits nothing; the handlers read it at each event's block).
    ReceivableLens: {
      chain: "tradefin",
      abi: abi("ReceivableLens", "periphery"),
      address: book.contracts.lens as `0x${string}`,
      startBlock,
    },
    RiskEngine: {
      chain: "tradefin",
      abi: abi("RiskEngine"),
      address: book.contracts.riskEngine as `0x${string}`,
      startBlock,
    },
    FinancingPool: {
      chain: "tradefin",
      abi: abi("FinancingPool"),
      // An empty list would mean "every contract with this ABI"; a dead address indexes nothing instead.
      address: poolAddresses.length > 0 ? poolAddresses : ["0x000000000000000000000000000000000000dEaD"],
      startBlock,
    },
  },
});
