/**
 * Sending a transaction and waiting for it, the one shape every chain call of the SDK, the tasks and the demo
 * shares, the event a receipt must carry, and the allowance an ERC-20 payment needs first. Hardhat-free: typed
 * TypeChain contracts or plain ethers objects.
 */
import type {
  ContractTransactionReceipt,
  ContractTransactionResponse,
  Interface,
  LogDescription,
  TransactionReceipt,
} from "ethers";
import { eventsIn } from "../pure/events";
import { TradeFinError } from "../pure/tradeFinError";

/** A sent transaction, as ethers' contract methods and `Signer.sendTransaction` return it. */
export interface SentTransaction<R extends TransactionReceipt = ContractTransactionReceipt> {
  wait(): Promise<R | null>;
}

/** A refusal before anything is sent: what only the chain knows (roles, holders, statuses) says no. */
export class PreconditionError extends TradeFinError {
  override name = "PreconditionError";
  constructor(message: string, details?: unknown) {
    super(message, details === undefined ? {} : { details });
  }
}

/**
 * Waits for a transaction that is being sent (`contract.method(...)` or `signer.sendTransaction(...)`) to be
 * mined and returns its receipt; a revert rejects with ethers' error, which decodeError turns into a sentence.
 */
export async function confirm<R extends TransactionReceipt = ContractTransactionReceipt>(
  sent: Promise<SentTransaction<R>> | SentTransaction<R>,
): Promise<R> {
  const receipt = await (await sent).wait();
  if (!receipt) throw new TradeFinError("the node returned no receipt for the transaction");
  return receipt;
}

/**
 * The first event `name` of `contract` in a receipt: what a call reads its ids and amounts from instead of
 * predicting them. Throws when the receipt has none (the transaction did not do what it must).
 */
export function requiredEvent(
  receipt: ContractTransactionReceipt,
  contract: { interface: Interface },
  name: string,
): LogDescription {
  const [event] = eventsIn(receipt, contract.interface, name);
  if (!event) throw new TradeFinError(`no ${name} event in transaction ${receipt.hash}`, { details: { name } });
  return event;
}

/** The ERC-20 calls {@link ensureAllowance} makes. */
export interface AllowanceToken {
  allowance(owner: string, spender: string): Promise<bigint>;
  approve(spender: string, amount: bigint): Promise<ContractTransactionResponse>;
}

/**
 * Makes sure `spender` may take `amount` of `token` from `owner` (the token's signer): approves `amount` when the
 * allowance is short. Returns the approval's transaction hash, or undefined when none was needed.
 */
export async function ensureTokenAllowance(
  token: AllowanceToken,
  owner: string,
  spender: string,
  amount: bigint,
): Promise<string | undefined> {
  if ((await token.allowance(owner, spender)) >= amount) return undefined;
  return (await confirm(token.approve(spender, amount))).hash;
}
