/**
 * A receivable's lifecycle, one call per business step, over typed contracts and ethers signers (no Hardhat):
 * submit an invoice (plain, or already acknowledged by the buyer's EIP-712 signature), acknowledge by a
 * signature someone else relays, split, pay with an allowance, deposit into a pool, finance on a quote, collect,
 * write off. Each call waits for its transaction and reads the ids and amounts it returns from the receipt's
 * events instead of predicting them. Batches from an invoice file are `submitInvoices` (./batch.ts).
 *
 * The acting wallet is passed as a `Signer` and the contracts are connected to it here, so a caller holds one
 * set of contracts for everyone. scripts/demo.ts tells its story with these calls.
 */
import type {
  ContractRunner,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  Interface,
  LogDescription,
  Signer,
  TypedDataDomain,
} from "ethers";
import type { FinancingPool, IERC20, ReceivableLens, ReceivableRegistry, RiskEngine } from "../../typechain-types";
import {
  acknowledgementNonce,
  receivablesDomain,
  signAcknowledgement,
  submissionAcknowledgement,
  type TypedDataSigner,
} from "../pure/eip712";
import { eventsIn } from "../pure/events";
import { invoiceKey, type InvoiceInput } from "../pure/invoice";
import { TradeFinError } from "../pure/tradeFinError";
import type { ReportContracts } from "./report";

/** A lifecycle step whose transaction did not do what it must (no receipt, an expected event missing). */
export class LifecycleError extends TradeFinError {
  override name = "LifecycleError";
}

/** Waits for a transaction and returns its receipt; throws when the node returns none (a dropped transaction). */
export async function confirmed(
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new LifecycleError("the node returned no receipt: the transaction was dropped");
  return receipt;
}

/** The first event `name` of `contract` in a receipt; throws when there is none. */
export function requiredEvent(
  receipt: ContractTransactionReceipt,
  contract: { interface: Interface },
  name: string,
): LogDescription {
  const [event] = eventsIn(receipt, contract.interface, name);
  if (!event) throw new LifecycleError(`no ${name} event in transaction ${receipt.hash}`, { details: { name } });
  return event;
}

/** The EIP-712 domain of `receivables` on the chain of its runner's provider. */
export async function registryDomain(receivables: ReceivableRegistry): Promise<TypedDataDomain> {
  const provider = receivables.runner?.provider;
  if (!provider) throw new LifecycleError("the receivable registry is not connected to a provider");
  const { chainId } = await provider.getNetwork();
  return receivablesDomain(chainId, await receivables.getAddress());
}

// ------------------------------------------------------------------ submit

/** A receivable minted by a submission. */
export interface Submitted {
  id: bigint;
  invoiceKey: string;
  receipt: ContractTransactionReceipt;
}

/** The receivable a `ReceivableSubmitted` event of the receipt announces. */
function submittedIn(receivables: ReceivableRegistry, receipt: ContractTransactionReceipt): Submitted {
  const e = requiredEvent(receipt, receivables, "ReceivableSubmitted");
  return { id: BigInt(e.args.id), invoiceKey: String(e.args.invoiceKey), receipt };
}

/** The seller submits one invoice; returns the new receivable's id and invoice key (from the event). */
export async function submitReceivable(
  seller: Signer,
  receivables: ReceivableRegistry,
  invoice: InvoiceInput,
): Promise<Submitted> {
  return submittedIn(receivables, await confirmed(receivables.connect(seller).submit(invoice)));
}

/** Options of {@link submitAcknowledgedBySignature}. */
export interface SignedSubmission {
  /** The seller's wallet: sends the transaction and pays its gas. */
  seller: Signer;
  /** The seller's entity (its invoice key is computed with it). */
  sellerEntityId: string;
  /** A wallet of the buyer: signs the invoice's terms off-chain, pays nothing. */
  buyer: TypedDataSigner;
  receivables: ReceivableRegistry;
  invoice: InvoiceInput;
  /** The signature is valid until then (Unix seconds). */
  deadline: bigint;
}

/**
 * An invoice that arrives acknowledged: the buyer signs its terms before the receivable exists (id 0, the
 * submission commitment, the SDK's nonce of the invoice key), the seller sends `submitAcknowledged`.
 */
export async function submitAcknowledgedBySignature(
  o: SignedSubmission,
): Promise<Submitted & { nonce: bigint; signature: string }> {
  const key = invoiceKey(o.sellerEntityId, o.invoice.buyerEntityId, o.invoice.invoiceNumberHash);
  const nonce = acknowledgementNonce(key);
  const domain = await registryDomain(o.receivables);
  const signature = await signAcknowledgement(
    o.buyer,
    domain,
    submissionAcknowledgement(key, o.invoice, nonce, o.deadline),
  );
  const receipt = await confirmed(
    o.receivables.connect(o.seller).submitAcknowledged(o.invoice, nonce, o.deadline, signature),
  );
  return { ...submittedIn(o.receivables, receipt), nonce, signature };
}

// ---------------------------------------------------------- acknowledgement

/** Options of {@link acknowledgeBySignature}. */
export interface RelayedAcknowledgement {
  /** Who sends `acknowledgeWithSig` and pays its gas (the seller, a relayer). */
  relayer: Signer;
  /** A wallet of the buyer: signs off-chain, pays nothing. */
  buyer: TypedDataSigner;
  receivables: ReceivableRegistry;
  lens: ReceivableLens;
  id: bigint;
  /** The receivable's invoice key. */
  invoiceKey: string;
  /** The signature is valid until then (Unix seconds). */
  deadline: bigint;
}

/**
 * The buyer acknowledges receivable `id` by signature: the message is built from the receivable as stored
 * (face amount, due date) with the SDK's nonce of the invoice key, the buyer signs it and the relayer sends it.
 */
export async function acknowledgeBySignature(
  o: RelayedAcknowledgement,
): Promise<{ receipt: ContractTransactionReceipt; nonce: bigint; signature: string }> {
  const r = await o.lens.receivable(o.id);
  const nonce = acknowledgementNonce(o.invoiceKey);
  const signature = await signAcknowledgement(o.buyer, await registryDomain(o.receivables), {
    id: o.id,
    invoiceKey: o.invoiceKey,
    amount: r.faceAmount,
    dueDate: r.dueDate,
    nonce,
    deadline: o.deadline,
  });
  const receipt = await confirmed(
    o.receivables.connect(o.relayer).acknowledgeWithSig(o.id, o.invoiceKey, nonce, o.deadline, signature),
  );
  return { receipt, nonce, signature };
}

// -------------------------------------------------------------------- split

/** The holder splits receivable `id` into children of face `amounts`; returns their ids (from the event). */
export async function splitIntoChildren(
  holder: Signer,
  receivables: ReceivableRegistry,
  id: bigint,
  amounts: readonly bigint[],
): Promise<{ childIds: bigint[]; receipt: ContractTransactionReceipt }> {
  const receipt = await confirmed(receivables.connect(holder).split(id, [...amounts]));
  const first = BigInt(requiredEvent(receipt, receivables, "ReceivableSplit").args.firstChildId);
  return { childIds: amounts.map((_, i) => first + BigInt(i)), receipt };
}

// ------------------------------------------------------------------- money

/** A settlement token, as far as allowances go (an IERC20 or any token contract with its methods). */
export interface ApprovableToken {
  getAddress(): Promise<string>;
  connect(runner: ContractRunner | null): Pick<IERC20, "allowance" | "approve">;
}

/**
 * Makes sure `spender` may take `amount` of `token` from `owner`: approves exactly `amount` when the allowance
 * is short. Returns the approval's receipt, or undefined when none was needed.
 */
export async function approveIfShort(
  owner: Signer,
  token: ApprovableToken,
  spender: string,
  amount: bigint,
): Promise<ContractTransactionReceipt | undefined> {
  const t = token.connect(owner);
  if ((await t.allowance(await owner.getAddress(), spender)) >= amount) return undefined;
  return confirmed(t.approve(spender, amount));
}

/** What {@link payWithAllowance} did. */
export interface PaymentMade {
  receipt: ContractTransactionReceipt;
  /** The approval sent first, when the allowance was short. */
  approval?: ContractTransactionReceipt;
  /** When the payment settled the receivable: days after the due date (0 on time). */
  daysLate?: bigint;
}

/** The payer pays `amount` towards receivable `id`, approving the registry first when its allowance is short. */
export async function payWithAllowance(
  payer: Signer,
  token: ApprovableToken,
  receivables: ReceivableRegistry,
  id: bigint,
  amount: bigint,
): Promise<PaymentMade> {
  const approval = await approveIfShort(payer, token, await receivables.getAddress(), amount);
  const receipt = await confirmed(receivables.connect(payer).pay(id, amount));
  const [settled] = eventsIn(receipt, receivables.interface, "ReceivableSettled");
  return {
    receipt,
    ...(approval ? { approval } : {}),
    ...(settled ? { daysLate: BigInt(settled.args.daysLate) } : {}),
  };
}

/** The pool's manager adds `amount` of liquidity, approving the pool first when the allowance is short. */
export async function depositWithAllowance(
  manager: Signer,
  token: ApprovableToken,
  pool: FinancingPool,
  amount: bigint,
): Promise<ContractTransactionReceipt> {
  await approveIfShort(manager, token, await pool.getAddress(), amount);
  return confirmed(pool.connect(manager).deposit(amount));
}

// ---------------------------------------------------------------- financing

/**
 * The supplier finances receivable `id` on the terms of a quote (`pool.quote(id)`): at least its net paid out,
 * at most its fee, before `deadline`. `requested` is true when the pool recorded a request for its manager
 * instead of paying at once (above the auto-approval rules).
 */
export async function financeOnQuote(
  supplier: Signer,
  pool: FinancingPool,
  id: bigint,
  quote: { netAdvance: bigint; fee: bigint },
  deadline: bigint | number,
): Promise<{ receipt: ContractTransactionReceipt; requested: boolean }> {
  const receipt = await confirmed(pool.connect(supplier).finance(id, quote.netAdvance, quote.fee, deadline));
  return { receipt, requested: eventsIn(receipt, pool.interface, "FinancingRequested").length > 0 };
}

/** How a collection split a buyer payment (the pool's `Collected` event), in base units. */
export interface Collected {
  amount: bigint;
  principal: bigint;
  fee: bigint;
  reserve: bigint;
  receipt: ContractTransactionReceipt;
}

/** Applies the buyer's payments on receivable `id` to its financing (anyone may call it through `pool`'s runner). */
export async function collectPayments(pool: FinancingPool, id: bigint): Promise<Collected> {
  const receipt = await confirmed(pool.collect(id));
  const e = requiredEvent(receipt, pool, "Collected");
  return {
    amount: BigInt(e.args.amount),
    principal: BigInt(e.args.principal),
    fee: BigInt(e.args.fee),
    reserve: BigInt(e.args.reserve),
    receipt,
  };
}

/** The pool's manager writes off the financing of a defaulted receivable; returns the loss booked. */
export async function writeOffFinancing(
  manager: Signer,
  pool: FinancingPool,
  id: bigint,
): Promise<{ loss: bigint; receipt: ContractTransactionReceipt }> {
  const receipt = await confirmed(pool.connect(manager).writeOff(id));
  return { loss: BigInt(requiredEvent(receipt, pool, "WrittenOff").args.loss), receipt };
}

// ------------------------------------------------------------------- report

/** A deployment's contracts with its pools by bank name (what `deployTradeFin()` returns has this shape). */
export interface DeployedContracts {
  participants: ReportContracts["participants"];
  receivables: ReceivableRegistry;
  lens: ReceivableLens;
  riskEngine?: RiskEngine;
  pools: Readonly<Record<string, FinancingPool>>;
}

/** The report's contracts of a deployment: each pool named after its bank, in the order given. */
export function reportContracts(d: DeployedContracts): ReportContracts {
  return {
    participants: d.participants,
    receivables: d.receivables,
    lens: d.lens,
    ...(d.riskEngine ? { riskEngine: d.riskEngine } : {}),
    pools: Object.entries(d.pools).map(([name, pool]) => ({ name, pool })),
  };
}
