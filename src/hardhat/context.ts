/**
 * A connection to a TradeFin deployment from a Hardhat runtime: the address book of the current network
 * (chain id checked), typed TypeChain contracts bound to the chosen signer, lookups that put names on
 * ids in error messages, and small helpers (currencies, pools, chain time).
 *
 * Contracts are created through `hre.ethers.getContractAt` (artifacts), never through TypeChain
 * factories, so this module can be imported while Hardhat loads its config, before the first compile.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getAddress, isAddress } from "ethers";
import type {
  FinancingPool,
  IERC20Metadata,
  ParticipantRegistry,
  ReceivableRegistry,
  RiskEngine,
  ReceivableLens,
} from "../../typechain-types";
import {
  AddressBookError,
  describeAddress,
  entityLabel,
  findStablecoin,
  loadAddressBook,
  type AddressBook,
  type ChainIdentity,
  type PoolEntry,
  type StablecoinEntry,
} from "../node/addressBook";
import { ensureTokenAllowance } from "../chain/tx";
import type { DecodeContext } from "../pure/errors";
import type { CurrencyInfo } from "../pure/invoice";
import { formatAmount } from "../pure/money";
import { TradeFinError } from "../pure/tradeFinError";

/** Raised for a bad `--from`, an unknown currency or pool, and the like. */
export class ContextError extends TradeFinError {
  override name = "ContextError";
}

/**
 * Picks the signer for `--from`: an index into `hre.ethers.getSigners()` ("0", "3") or one of their
 * addresses. Default: account 0.
 */
export async function selectSigner(hre: HardhatRuntimeEnvironment, from?: string): Promise<HardhatEthersSigner> {
  const signers = await hre.ethers.getSigners();
  if (signers.length === 0) throw new ContextError(`network ${hre.network.name} has no accounts configured`);
  const value = (from ?? "").trim();
  if (value === "") return signers[0];
  if (/^\d+$/.test(value)) {
    const i = Number(value);
    if (i >= signers.length) {
      throw new ContextError(`--from ${value}: network ${hre.network.name} has accounts 0 to ${signers.length - 1}`);
    }
    return signers[i];
  }
  if (isAddress(value)) {
    const found = signers.find((s) => s.address.toLowerCase() === value.toLowerCase());
    if (!found) throw new ContextError(`--from ${value}: no account of network ${hre.network.name} has this address`);
    return found;
  }
  throw new ContextError(`--from "${value}" is neither an account index nor an address`);
}

/**
 * Resolves an address argument: an address, or an account index of the network ("2").
 */
export async function resolveAddress(hre: HardhatRuntimeEnvironment, value: string, what: string): Promise<string> {
  const v = value.trim();
  if (isAddress(v)) return getAddress(v);
  if (/^\d+$/.test(v)) return (await selectSigner(hre, v)).address;
  throw new ContextError(`${what} "${value}" is neither an address nor an account index`);
}

/** The network's chain id, from the provider. */
export async function chainIdOf(hre: HardhatRuntimeEnvironment): Promise<number> {
  return Number((await hre.ethers.provider.getNetwork()).chainId);
}

/** The network's chain id and genesis block hash, which together tell two chains apart. */
export async function chainIdentityOf(hre: HardhatRuntimeEnvironment): Promise<ChainIdentity> {
  const [chainId, genesis] = await Promise.all([chainIdOf(hre), hre.ethers.provider.getBlock(0)]);
  return { chainId, ...(genesis?.hash ? { genesisHash: genesis.hash.toLowerCase() } : {}) };
}

/** The latest block's timestamp. */
export async function chainNow(hre: HardhatRuntimeEnvironment): Promise<number> {
  const block = await hre.ethers.provider.getBlock("latest");
  if (!block) throw new ContextError("the provider returned no latest block");
  return block.timestamp;
}

/** A resolved currency: its symbol, address, decimals and a token contract bound to the signer. */
export interface Currency extends StablecoinEntry {
  symbol: string;
  token: IERC20Metadata;
}

/**
 * Makes sure `spender` may take `amount` of `c` from the signer: approves `amount` when the allowance is short.
 * Returns the approval's transaction hash, or undefined when none was needed.
 */
export async function ensureAllowance(
  tf: Pick<TradeFin, "signer">,
  c: Pick<Currency, "token">,
  spender: string,
  amount: bigint,
): Promise<string | undefined> {
  return ensureTokenAllowance(c.token, tf.signer.address, spender, amount);
}

/** Everything a task needs to act on a deployment. */
export interface TradeFin {
  hre: HardhatRuntimeEnvironment;
  network: string;
  chainId: number;
  /** The chain's id and genesis hash (pass it to updateAddressBook). */
  chain: ChainIdentity;
  book: AddressBook;
  signer: HardhatEthersSigner;
  participants: ParticipantRegistry;
  receivables: ReceivableRegistry;
  riskEngine: RiskEngine;
  /** Read-only views over the receivable registry's storage. */
  lens: ReceivableLens;
  /** A currency of the book by symbol or address; an unknown address is read from the chain. */
  currency(symbolOrAddress: string): Promise<Currency>;
  /** The default currency: the only one in the book, or "tUSD". */
  defaultCurrency(): Promise<Currency>;
  /** The currency of a receivable. */
  currencyOf(id: bigint): Promise<Currency>;
  /** A pool by bank name or address. */
  pool(bankOrAddress: string): Promise<{ bank: string; entry: PoolEntry; contract: FinancingPool }>;
  /** Currencies of the book as the invoice parser wants them. */
  invoiceCurrencies(): Record<string, CurrencyInfo>;
  /** Lookups that put names on ids in decoded errors. */
  decodeContext(): DecodeContext;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** `--from`: account index or address. */
  from?: string;
}

/**
 * Connects to the deployment of the current network.
 *
 * @throws AddressBookError when the network has no deployment, or the book is for another chain, or its
 *         contracts have no code (the local node was restarted).
 */
export async function connect(hre: HardhatRuntimeEnvironment, options: ConnectOptions = {}): Promise<TradeFin> {
  const network = hre.network.name;
  const chain = await chainIdentityOf(hre);
  const chainId = chain.chainId;
  const book = loadAddressBook(network, chain);
  const code = await hre.ethers.provider.getCode(book.contracts.receivables);
  if (code === "0x") {
    throw new AddressBookError(
      `the deployment for network ${network} has no code at ${book.contracts.receivables} (was the node restarted?): ` +
        `run \`npx hardhat deploy --network ${network}\``,
    );
  }
  const signer = await selectSigner(hre, options.from);
  const at = async <T>(name: string, address: string): Promise<T> =>
    (await hre.ethers.getContractAt(name, address, signer)) as unknown as T;
  const participants = await at<ParticipantRegistry>("ParticipantRegistry", book.contracts.participants);
  const receivables = await at<ReceivableRegistry>("ReceivableRegistry", book.contracts.receivables);
  const riskEngine = await at<RiskEngine>("RiskEngine", book.contracts.riskEngine);
  const lens = await at<ReceivableLens>("ReceivableLens", book.contracts.lens);

  const currencyCache = new Map<string, Currency>();
  const currency = async (symbolOrAddress: string): Promise<Currency> => {
    const key = symbolOrAddress.toLowerCase();
    const cached = currencyCache.get(key);
    if (cached) return cached;
    const found = findStablecoin(book, symbolOrAddress);
    let result: Currency;
    if (found) {
      const token = await at<IERC20Metadata>("IERC20Metadata", found[1].address);
      result = { symbol: found[0], ...found[1], token };
    } else if (isAddress(symbolOrAddress)) {
      const token = await at<IERC20Metadata>("IERC20Metadata", getAddress(symbolOrAddress));
      const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
      result = { symbol, address: getAddress(symbolOrAddress), decimals: Number(decimals), token };
    } else {
      const known = Object.keys(book.stablecoins).join(", ") || "none";
      throw new ContextError(`unknown currency "${symbolOrAddress}" on network ${network} (known: ${known})`);
    }
    currencyCache.set(key, result);
    return result;
  };

  const tf: TradeFin = {
    hre,
    network,
    chainId,
    chain,
    book,
    signer,
    participants,
    receivables,
    riskEngine,
    lens,
    currency,
    async defaultCurrency() {
      const symbols = Object.keys(book.stablecoins);
      if (symbols.length === 1) return currency(symbols[0]);
      if (book.stablecoins.tUSD) return currency("tUSD");
      throw new ContextError(`name the currency with --currency (known: ${symbols.join(", ") || "none"})`);
    },
    async currencyOf(id: bigint) {
      const r = await lens.receivable(id);
      return currency(r.currency);
    },
    async pool(bankOrAddress: string) {
      const entries = Object.entries(book.pools);
      const byAddress: boolean = isAddress(bankOrAddress);
      const found = byAddress
        ? entries.find(([, p]) => p.address.toLowerCase() === bankOrAddress.toLowerCase())
        : (entries.find(([b]) => b === bankOrAddress) ??
          entries.find(([b]) => b.toLowerCase() === bankOrAddress.toLowerCase()));
      if (!found) {
        const known = entries.map(([b]) => b).join(", ") || "none";
        throw new ContextError(
          `no pool "${bankOrAddress}" on network ${network} (known: ${known}); deploy one with \`npx hardhat pool:deploy\``,
        );
      }
      const contract = await at<FinancingPool>("FinancingPool", found[1].address);
      return { bank: found[0], entry: found[1], contract };
    },
    invoiceCurrencies() {
      const out: Record<string, CurrencyInfo> = {};
      for (const [sym, s] of Object.entries(book.stablecoins)) out[sym] = { address: s.address, decimals: s.decimals };
      return out;
    },
    decodeContext() {
      return decodeContextFor(book, participants, signer.address);
    },
  };
  return tf;
}

/** Lookups for decodeError from an address book and the participant registry. */
export function decodeContextFor(book: AddressBook, participants: ParticipantRegistry, me?: string): DecodeContext {
  const coins = Object.entries(book.stablecoins);
  const main = coins.length === 1 ? coins[0] : coins.find(([sym]) => sym === "tUSD");
  return {
    // Amounts in reverts are in the deployment's currency: "88,000.00 tUSD".
    ...(main ? { formatAmount: (units: bigint) => formatAmount(units, main[1].decimals, { symbol: main[0] }) } : {}),
    describeEntity: (id) => entityLabel(book, id),
    describeToken: (address) => describeAddress(book, address),
    describeWallet: async (address) => {
      const known = describeAddress(book, address);
      if (known) return `${known} (${address})`;
      const you = me && address.toLowerCase() === me.toLowerCase() ? "your wallet " : "wallet ";
      const entity = await participants.entityOf(address);
      const name = entity === "0x" + "0".repeat(64) ? undefined : entityLabel(book, entity);
      return name ? `${you}${address} of ${name}` : `${you}${address}`;
    },
  };
}
