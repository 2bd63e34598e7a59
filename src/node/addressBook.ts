/**
 * The deployment address book: `deployments/<network>.json`, one file per Hardhat network name.
 *
 * The `deploy` and `pool:deploy` tasks write it; every other task reads it. It records the chain's
 * identity, its id and the hash of its genesis block (both checked against the provider, so a file is
 * never used on another chain, not even a restarted local node or another node with the same chain
 * id), the core contracts,
 * the settlement currencies by symbol, the financing pools by bank name, and optional labels of
 * entities that turn ids into names in error messages.
 *
 * The folder is `deployments/` at the project root, or `$TRADEFIN_DEPLOYMENTS_DIR` when set (the
 * end-to-end tests point it at a temporary folder). The in-process `hardhat` network starts empty in
 * every command, so its book is kept in memory only: a `deploy` followed by other tasks in the same
 * process works, and no stale file is left behind.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getAddress, isAddress } from "ethers";
import { TradeFinError } from "../pure/tradeFinError";

/** Raised when there is no book, or it does not fit the chain; the message says what to run. */
export class AddressBookError extends TradeFinError {
  override name = "AddressBookError";
}

/** A settlement currency of the deployment. */
export interface StablecoinEntry {
  address: string;
  decimals: number;
  /** True for the local MockStablecoin (anyone can mint; never on a real chain). */
  mock?: boolean;
}

/** One bank's financing pool. */
export interface PoolEntry {
  address: string;
  /** The pool's stablecoin. */
  asset: string;
  /** The bank's FINANCIER entity ("SCHEME:IDENTIFIER"), when known. */
  bankRef?: string;
  /** The pool's manager (owner). */
  manager: string;
}

/** A name for an entity id, for messages and reports. */
export interface EntityLabel {
  /** Canonical "SCHEME:IDENTIFIER". */
  ref: string;
  /** A display name, when given at registration. */
  name?: string;
}

/** The content of `deployments/<network>.json`. */
export interface AddressBook {
  /** Format version of this file. */
  version: 1;
  network: string;
  chainId: number;
  /** Hash of block 0 of the chain: tells two chains with the same id apart (absent in older books). */
  genesisHash?: string;
  /** ISO time of the core deployment. */
  deployedAt: string;
  deployer: string;
  /** Block of the core deployment (event queries start there). */
  deployBlock?: number;
  /** The Ignition deployment the core was deployed in; pools are deployed into the same one. */
  ignition?: { deploymentId?: string; parameters: Record<string, Record<string, unknown>> };
  contracts: { participants: string; receivables: string; riskEngine: string; lens: string };
  /** Settlement currencies by token symbol. */
  stablecoins: Record<string, StablecoinEntry>;
  /** Financing pools by bank name. */
  pools: Record<string, PoolEntry>;
  /** Entity labels by entity id. */
  entities: Record<string, EntityLabel>;
}

/** The network whose chain restarts empty in every process; its book lives in memory only. */
export const IN_PROCESS_NETWORK = "hardhat";

const memory = new Map<string, AddressBook>();

/** The folder holding the address books. */
export function deploymentsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.TRADEFIN_DEPLOYMENTS_DIR?.trim();
  return override ? resolve(override) : resolve(__dirname, "..", "deployments");
}

/** The path of a network's address book. */
export function addressBookPath(network: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(network)) throw new AddressBookError(`"${network}" is not a valid network name`);
  return join(deploymentsDir(env), `${network}.json`);
}

/** Checks the shape of a parsed book and checksums its addresses; throws AddressBookError naming the field. */
export function validateAddressBook(data: unknown, where: string): AddressBook {
  const fail = (field: string, what: string): never => {
    throw new AddressBookError(`${where}: ${field} ${what}`);
  };
  if (typeof data !== "object" || data === null) fail("the file", "is not a JSON object");
  const book = data as Partial<AddressBook>;
  if (book.version !== 1) fail("version", `must be 1, got ${JSON.stringify(book.version)}`);
  if (typeof book.network !== "string") fail("network", "is missing");
  if (!Number.isSafeInteger(book.chainId) || (book.chainId as number) <= 0)
    fail("chainId", "must be a positive integer");
  const address = (field: string, v: unknown): string =>
    typeof v === "string" && isAddress(v) ? getAddress(v) : fail(field, "is not an address");
  const c = (book.contracts ?? {}) as Partial<AddressBook["contracts"]>;
  const contracts = {
    participants: address("contracts.participants", c.participants),
    receivables: address("contracts.receivables", c.receivables),
    riskEngine: address("contracts.riskEngine", c.riskEngine),
    lens: address("contracts.lens", c.lens),
  };
  const stablecoins: Record<string, StablecoinEntry> = {};
  for (const [symbol, s] of Object.entries(book.stablecoins ?? {})) {
    if (!Number.isInteger(s.decimals) || s.decimals < 0 || s.decimals > 18) {
      fail(`stablecoins.${symbol}.decimals`, "must be an integer from 0 to 18");
    }
    stablecoins[symbol] = { ...s, address: address(`stablecoins.${symbol}.address`, s.address) };
  }
  const pools: Record<string, PoolEntry> = {};
  for (const [bank, p] of Object.entries(book.pools ?? {})) {
    pools[bank] = {
      ...p,
      address: address(`pools.${bank}.address`, p.address),
      asset: address(`pools.${bank}.asset`, p.asset),
      manager: address(`pools.${bank}.manager`, p.manager),
    };
  }
  return {
    version: 1,
    network: book.network as string,
    chainId: book.chainId as number,
    ...(typeof book.genesisHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(book.genesisHash)
      ? { genesisHash: book.genesisHash.toLowerCase() }
      : {}),
    deployedAt: String(book.deployedAt ?? ""),
    deployer: address("deployer", book.deployer),
    ...(Number.isSafeInteger(book.deployBlock) ? { deployBlock: book.deployBlock } : {}),
    ...(book.ignition ? { ignition: book.ignition } : {}),
    contracts,
    stablecoins,
    pools,
    entities: { ...(book.entities ?? {}) },
  };
}

/** The book of `network`, or undefined when none was written. Does not check the chain id. */
export function readAddressBook(network: string, env: NodeJS.ProcessEnv = process.env): AddressBook | undefined {
  if (network === IN_PROCESS_NETWORK) return memory.get(network);
  const path = addressBookPath(network, env);
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new AddressBookError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateAddressBook(data, path);
}

/** The message for a network without a deployment. */
export function noDeploymentMessage(network: string): string {
  const base = `no deployment for network ${network}: run \`npx hardhat deploy --network ${network}\``;
  return network === IN_PROCESS_NETWORK
    ? `${base} in the same process (the in-process network starts empty in every command; ` +
        "use `npx hardhat node` and --network localhost to keep a chain between commands)"
    : base;
}

/** What tells one chain from another: its id and the hash of its genesis block. */
export interface ChainIdentity {
  chainId: number;
  /** Hash of block 0; undefined when unknown (then only the chain id is compared). */
  genesisHash?: string;
}

/** Why `book` does not belong to `chain`, as a sentence; undefined when it does. */
export function chainMismatch(book: AddressBook, chain: ChainIdentity): string | undefined {
  if (book.chainId !== chain.chainId) {
    return `the deployment for network ${book.network} was made on chain ${book.chainId}, but the node is on chain ${chain.chainId}`;
  }
  if (book.genesisHash && chain.genesisHash && book.genesisHash.toLowerCase() !== chain.genesisHash.toLowerCase()) {
    return (
      `the deployment for network ${book.network} was made on another chain with the same id ${chain.chainId} ` +
      `(genesis block ${book.genesisHash.slice(0, 10)}…, the node's is ${chain.genesisHash.slice(0, 10)}…; ` +
      "a restarted local node or another node)"
    );
  }
  return undefined;
}

/**
 * The book of `network` for a provider on `chain` (a chain id, or id and genesis hash).
 *
 * @throws AddressBookError when there is none ("run `npx hardhat deploy --network X`") or when it was
 *         written for another chain.
 */
export function loadAddressBook(
  network: string,
  chain: number | ChainIdentity,
  env: NodeJS.ProcessEnv = process.env,
): AddressBook {
  const book = readAddressBook(network, env);
  if (!book) throw new AddressBookError(noDeploymentMessage(network));
  const mismatch = chainMismatch(book, typeof chain === "number" ? { chainId: chain } : chain);
  if (mismatch) {
    throw new AddressBookError(
      `${mismatch}: check the network's URL, or deploy again with \`npx hardhat deploy --network ${network}\` ` +
        "(which starts a new address book for this chain)",
    );
  }
  return book;
}

/** Saves the book (atomically: a temporary file renamed into place). The in-process network's stays in memory. */
export function writeAddressBook(book: AddressBook, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const checked = validateAddressBook(book, `address book of ${book.network}`);
  if (book.network === IN_PROCESS_NETWORK) {
    memory.set(book.network, checked);
    return undefined;
  }
  const path = addressBookPath(book.network, env);
  mkdirSync(deploymentsDir(env), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** Reads, changes and writes back the book of `network` (which must exist). */
export function updateAddressBook(
  network: string,
  chainId: number | ChainIdentity,
  change: (book: AddressBook) => void,
  env: NodeJS.ProcessEnv = process.env,
): AddressBook {
  const book = loadAddressBook(network, chainId, env);
  change(book);
  writeAddressBook(book, env);
  return book;
}

/** Forgets the in-memory book of the in-process network (for tests). */
export function clearInProcessAddressBook(): void {
  memory.delete(IN_PROCESS_NETWORK);
}

/** "Name (REF)" or "REF" for an entity id the book has a label for; undefined otherwise. */
export function entityLabel(book: AddressBook, id: string): string | undefined {
  const label = book.entities[id.toLowerCase()] ?? book.entities[id];
  if (!label) return undefined;
  return label.name ? `${label.name} (${label.ref})` : label.ref;
}

/** Finds a stablecoin by symbol (exact, then case-insensitive) or address. */
export function findStablecoin(book: AddressBook, symbolOrAddress: string): [string, StablecoinEntry] | undefined {
  const entries = Object.entries(book.stablecoins);
  const byAddress: boolean = isAddress(symbolOrAddress);
  if (byAddress) {
    return entries.find(([, s]) => s.address.toLowerCase() === symbolOrAddress.toLowerCase());
  }
  const exact = entries.find(([sym]) => sym === symbolOrAddress);
  if (exact) return exact;
  const loose = entries.filter(([sym]) => sym.toLowerCase() === symbolOrAddress.toLowerCase());
  return loose.length === 1 ? loose[0] : undefined;
}

/** The name of an address the book knows ("ReceivableRegistry", "pool FirstBank", "tUSD"), if any. */
export function describeAddress(book: AddressBook, address: string): string | undefined {
  const a = address.toLowerCase();
  const names: Record<string, string> = {
    [book.contracts.participants.toLowerCase()]: "the ParticipantRegistry",
    [book.contracts.receivables.toLowerCase()]: "the ReceivableRegistry",
    [book.contracts.riskEngine.toLowerCase()]: "the RiskEngine",
    [book.contracts.lens.toLowerCase()]: "the ReceivableLens",
  };
  for (const [bank, p] of Object.entries(book.pools)) names[p.address.toLowerCase()] = `pool ${bank}`;
  for (const [sym, s] of Object.entries(book.stablecoins)) names[s.address.toLowerCase()] = sym;
  return names[a];
}
