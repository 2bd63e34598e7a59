/**
 * Invoices on chain: the checks only the chain can answer before an invoice is sent (the seller is an active
 * SUPPLIER, every buyer an active BUYER, every currency allowlisted), a receivable's invoice key from its history,
 * a submission (plain, or acknowledged beforehand by the buyer's EIP-712 signature), the buyer's acknowledgement
 * (by transaction, by EIP-712 signature, relayed), the revocation of a signature, a payment with the allowance it
 * needs, a split, and a receivable's record with its holder and lineage. Ids and amounts are read from the
 * receipt's events, never predicted.
 *
 * Hardhat-free: every function takes typed contracts bound to the acting signer (`tradefin/hardhat`'s `connect`
 * gives them to the tasks; a bank's service builds them with ethers). Refusals before anything is sent are
 * PreconditionErrors whose message is the whole sentence.
 */
import { ZeroAddress, ZeroHash, type ContractTransactionReceipt } from "ethers";
import type { ParticipantRegistry, ReceivableLens, ReceivableRegistry } from "../../typechain-types";
import {
  acknowledgementNonce,
  nonceBitmapPosition,
  receivablesDomain,
  signAcknowledgement,
  submissionAcknowledgement,
  type AcknowledgementMessage,
  type TypedDataSigner,
} from "../pure/eip712";
import { STATUS_NAMES, Status } from "../pure/constants";
import { eventsIn } from "../pure/events";
import { Role } from "../pure/ids";
import {
  invoiceKey,
  toInvoiceInput,
  type InvoiceInput,
  type InvoiceRowError,
  type NormalisedInvoice,
} from "../pure/invoice";
import { PreconditionError, confirm, ensureTokenAllowance, requiredEvent, type AllowanceToken } from "./tx";

/** Statuses a receivable can only reach after the buyer's acknowledgement. */
export const ACKNOWLEDGED_OR_LATER: ReadonlySet<number> = new Set<number>([
  Status.Acknowledged,
  Status.PartiallyPaid,
  Status.Paid,
  Status.Defaulted,
  Status.Split,
]);

/** Puts a name on an entity id in a sentence ("Acme Ltd (LEI:…)"); default the id itself. */
export type EntityNamer = (entityId: string) => string | undefined;

// ------------------------------------------------------------------ checks before sending

/**
 * The entity of `wallet`, checked to be an active SUPPLIER: the seller of the invoices it submits.
 *
 * @throws PreconditionError when the wallet is bound to no entity, or its entity is suspended, past its KYC
 *         expiry or lacks the role.
 */
export async function sellerEntityOf(
  participants: ParticipantRegistry,
  wallet: string,
  name: EntityNamer = () => undefined,
): Promise<string> {
  const id = await participants.entityOf(wallet);
  if (id === ZeroHash) {
    throw new PreconditionError(
      `wallet ${wallet} is not bound to any participant: an onboarder must register it ` +
        "(participant:register) or pick another account with --from",
    );
  }
  if (!(await participants.isActive(wallet, Role.SUPPLIER))) {
    throw new PreconditionError(
      `${name(id) ?? id} (wallet ${wallet}) is not an active SUPPLIER participant ` +
        "(suspended, KYC expired or lacking the role)",
    );
  }
  return id;
}

/**
 * Checks what only the chain knows before anything is sent: every buyer is an active BUYER, every currency is
 * allowlisted, no invoice is addressed to the seller itself. Each buyer and currency is read once.
 *
 * @returns one row error per problem, with the invoice's line and the field at fault; empty when all is well.
 */
export async function checkInvoicesAgainstChain(
  participants: ParticipantRegistry,
  seller: string,
  invoices: readonly NormalisedInvoice[],
): Promise<InvoiceRowError[]> {
  const buyers = new Map<string, boolean>();
  const currencies = new Map<string, boolean>();
  for (const inv of invoices) {
    if (!buyers.has(inv.buyerEntityId)) {
      buyers.set(inv.buyerEntityId, await participants.isEntityActive(inv.buyerEntityId, Role.BUYER));
    }
    if (!currencies.has(inv.currency)) currencies.set(inv.currency, await participants.isCurrencyAllowed(inv.currency));
  }
  const errors: InvoiceRowError[] = [];
  for (const inv of invoices) {
    if (inv.buyerEntityId === seller) {
      errors.push({ line: inv.line, field: "buyer_id", message: `${inv.buyerRef} is the seller itself` });
    } else if (!buyers.get(inv.buyerEntityId)) {
      errors.push({
        line: inv.line,
        field: "buyer_id",
        message: `${inv.buyerRef} is not an active BUYER participant (unregistered, suspended, KYC expired or lacking the role)`,
      });
    }
    if (!currencies.get(inv.currency)) {
      errors.push({
        line: inv.line,
        field: "currency",
        message: `${inv.currency} is not an allowed settlement currency`,
      });
    }
  }
  return errors;
}

/**
 * Refuses, before a signature or a transaction, a receivable the buyer has acknowledged already (or that has
 * moved past acknowledgement: paid, defaulted, split).
 *
 * @returns the receivable as the lens read it, or undefined when the lens could not read it (no such id).
 */
export async function assertNotAcknowledged(
  lens: ReceivableLens,
  id: bigint,
): Promise<Awaited<ReturnType<ReceivableLens["receivable"]>> | undefined> {
  const r = await lens.receivable(id).catch(() => undefined);
  const status = r ? Number(r.status) : Status.None;
  if (ACKNOWLEDGED_OR_LATER.has(status)) {
    throw new PreconditionError(
      `receivable #${id} is already acknowledged (it is ${STATUS_NAMES[status]}); nothing was sent`,
    );
  }
  return r;
}

// ------------------------------------------------------------------ history

/**
 * The invoice key of a receivable, from its ReceivableSubmitted event (searched from `fromBlock`, the
 * deployment's block). A child of a split has none of its own.
 */
export async function invoiceKeyOf(receivables: ReceivableRegistry, id: bigint, fromBlock = 0): Promise<string> {
  const events = await receivables.queryFilter(receivables.filters.ReceivableSubmitted(id), fromBlock);
  if (events.length === 0) {
    throw new PreconditionError(`receivable #${id} has no invoice key of its own (it does not exist or was split off)`);
  }
  return events[0].args.invoiceKey;
}

// ------------------------------------------------------------------ submit

/** A receivable minted by a submission: its id and invoice key, from the `ReceivableSubmitted` event. */
export interface Submitted {
  id: bigint;
  invoiceKey: string;
  receipt: ContractTransactionReceipt;
}

/** The receivable the `ReceivableSubmitted` event of a receipt announces; throws when there is none. */
function submittedIn(receivables: ReceivableRegistry, receipt: ContractTransactionReceipt): Submitted {
  const e = requiredEvent(receipt, receivables, "ReceivableSubmitted");
  return { id: BigInt(e.args.id), invoiceKey: String(e.args.invoiceKey), receipt };
}

/**
 * Submits one invoice, a validated file record or the contract's `InvoiceInput`, as the registry's signer (the
 * seller). `docHash` defaults to the invoice's own (an `InvoiceInput`'s), else ZeroHash for no document.
 */
export async function submitInvoice(
  receivables: ReceivableRegistry,
  invoice: NormalisedInvoice | InvoiceInput,
  docHash?: string,
): Promise<Submitted> {
  const input =
    "docHash" in invoice ? { ...invoice, docHash: docHash ?? invoice.docHash } : toInvoiceInput(invoice, docHash);
  return submittedIn(receivables, await confirm(receivables.submit(input)));
}

/**
 * An invoice that arrives acknowledged: the buyer signs its terms (EIP-712, no gas) before the receivable exists
 * (id 0, the submission commitment, the SDK's nonce of the invoice key, `deadline` in Unix seconds) and the
 * registry's signer, the seller of entity `sellerEntityId`, sends `submitAcknowledged`.
 */
export async function submitAcknowledgedInvoice(
  receivables: ReceivableRegistry,
  buyer: TypedDataSigner,
  chainId: bigint | number,
  sellerEntityId: string,
  invoice: InvoiceInput,
  deadline: bigint,
): Promise<Submitted & { nonce: bigint; signature: string }> {
  const key = invoiceKey(sellerEntityId, invoice.buyerEntityId, invoice.invoiceNumberHash);
  const nonce = acknowledgementNonce(key);
  const domain = receivablesDomain(chainId, await receivables.getAddress());
  const signature = await signAcknowledgement(buyer, domain, submissionAcknowledgement(key, invoice, nonce, deadline));
  const receipt = await confirm(receivables.submitAcknowledged(invoice, nonce, deadline, signature));
  return { ...submittedIn(receivables, receipt), nonce, signature };
}

// ------------------------------------------------------------------ acknowledgement

/** The registry and lens an acknowledgement reads, and where the receivable's history starts. */
export interface AcknowledgementContracts {
  receivables: ReceivableRegistry;
  lens: ReceivableLens;
  /** The deployment's first block (the invoice key is read from the events since). */
  fromBlock?: number;
}

/** A signed acknowledgement, ready to be relayed by anyone with {@link relayAcknowledgement}. */
export interface SignedAcknowledgement {
  message: AcknowledgementMessage & { id: bigint; nonce: bigint; deadline: bigint };
  /** The registry the signature is for (the EIP-712 verifying contract). */
  registry: string;
  chainId: bigint;
  signature: string;
}

/**
 * The buyer signs the acknowledgement of receivable `id` (EIP-712, no gas): refused when it is acknowledged
 * already; the message carries the receivable's face amount and due date as the registry holds them, its invoice
 * key, the SDK's nonce for that key ({@link acknowledgementNonce}, so that the buyer can revoke it by receivable)
 * and `deadline` (Unix seconds).
 */
export async function signReceivableAcknowledgement(
  c: AcknowledgementContracts,
  signer: TypedDataSigner,
  chainId: bigint | number,
  id: bigint,
  deadline: bigint,
): Promise<SignedAcknowledgement> {
  const read = await assertNotAcknowledged(c.lens, id);
  const [r, key, registry] = await Promise.all([
    read ?? c.lens.receivable(id), // read again only to surface the lens's error for an id it could not read
    invoiceKeyOf(c.receivables, id, c.fromBlock),
    c.receivables.getAddress(),
  ]);
  // A revocation handle, not a counter: deterministic per invoice so that a revocation by --id finds it.
  const nonce = acknowledgementNonce(key);
  const message = { id, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, nonce, deadline };
  const signature = await signAcknowledgement(signer, receivablesDomain(chainId, registry), message);
  return { message, registry, chainId: BigInt(chainId), signature };
}

/** Relays a buyer's acknowledgement signature (anyone may): refused when the receivable is acknowledged already. */
export async function relayAcknowledgement(
  c: AcknowledgementContracts,
  id: bigint,
  signed: { nonce: bigint; deadline: bigint; signature: string },
): Promise<ContractTransactionReceipt> {
  await assertNotAcknowledged(c.lens, id);
  const key = await invoiceKeyOf(c.receivables, id, c.fromBlock);
  return confirm(c.receivables.acknowledgeWithSig(id, key, signed.nonce, signed.deadline, signed.signature));
}

/** The buyer acknowledges receivable `id` by transaction: refused when it is acknowledged already. */
export async function acknowledgeReceivable(
  c: Pick<AcknowledgementContracts, "receivables" | "lens">,
  id: bigint,
): Promise<ContractTransactionReceipt> {
  await assertNotAcknowledged(c.lens, id);
  return confirm(c.receivables.acknowledge(id));
}

/**
 * The buyer cancels an acknowledgement signature it gave: by its nonce, or by the receivable whose SDK nonce it is
 * (`{ id }`). After this, relaying the signature fails.
 */
export async function revokeAcknowledgementSignature(
  c: Pick<AcknowledgementContracts, "receivables" | "fromBlock">,
  which: { nonce: bigint } | { id: bigint },
): Promise<{ nonce: bigint; wordPos: bigint; mask: bigint; receipt: ContractTransactionReceipt }> {
  const nonce =
    "nonce" in which ? which.nonce : acknowledgementNonce(await invoiceKeyOf(c.receivables, which.id, c.fromBlock));
  const { wordPos, mask } = nonceBitmapPosition(nonce);
  const receipt = await confirm(c.receivables.revokeAcknowledgementNonces(wordPos, mask));
  return { nonce, wordPos, mask, receipt };
}

// ------------------------------------------------------------------ payment, split, record

/** What {@link payReceivable} paid. */
export interface Payment {
  /** Taken by the registry. */
  paid: bigint;
  offered: bigint;
  /** Offered but not taken (with `cap`): it stays with the payer. */
  kept: bigint;
  /** The receivable after the payment. */
  status: number;
  outstanding: bigint;
  /** The approval sent first, when the allowance was short. */
  approveTx?: string;
  /** When the payment settled the receivable: days after the due date (0 on time). */
  daysLate?: bigint;
  receipt: ContractTransactionReceipt;
}

/**
 * Pays towards receivable `id` from the token's signer `payer`: `amount` (default everything outstanding), approving
 * the registry first when the allowance is short. More than is outstanding is refused unless `cap`, which pays what
 * is outstanding and leaves the rest with the payer. `format` writes amounts in the refusals ("88,000.00 tUSD").
 */
export async function payReceivable(
  c: { receivables: ReceivableRegistry; lens: ReceivableLens },
  token: AllowanceToken,
  payer: string,
  id: bigint,
  options: { amount?: bigint; cap?: boolean; format?: (units: bigint) => string } = {},
): Promise<Payment> {
  const fmt = options.format ?? ((v: bigint) => String(v));
  const outstanding = await c.receivables.outstandingOf(id);
  const offered = options.amount ?? outstanding;
  if (outstanding === 0n) throw new PreconditionError(`receivable #${id} has nothing outstanding`);
  if (offered === 0n) throw new PreconditionError("--amount is zero");
  if (offered > outstanding && !options.cap) {
    throw new PreconditionError(
      `receivable #${id} has ${fmt(outstanding)} outstanding, less than the ${fmt(offered)} offered; nothing was paid. ` +
        `Pay at most ${fmt(outstanding)}, or add --cap to pay ${fmt(outstanding)} and keep the rest`,
      { outstandingUnits: outstanding, amountUnits: offered },
    );
  }
  const paid = offered < outstanding ? offered : outstanding;
  const approveTx = await ensureTokenAllowance(token, payer, await c.receivables.getAddress(), paid);
  const receipt = await confirm(c.receivables.pay(id, paid));
  const [settled] = eventsIn(receipt, c.receivables.interface, "ReceivableSettled");
  const r = await c.lens.receivable(id);
  return {
    paid,
    offered,
    kept: offered - paid,
    status: Number(r.status),
    outstanding: r.faceAmount - r.paidAmount,
    ...(approveTx ? { approveTx } : {}),
    ...(settled ? { daysLate: BigInt(settled.args.daysLate) } : {}),
    receipt,
  };
}

/**
 * Splits receivable `id` into parts of `amounts`, held by the caller; returns the children's ids in order (from the
 * `ReceivableSplit` event).
 */
export async function splitReceivable(
  receivables: ReceivableRegistry,
  id: bigint,
  amounts: readonly bigint[],
): Promise<{ children: bigint[]; receipt: ContractTransactionReceipt }> {
  const receipt = await confirm(receivables.split(id, [...amounts]));
  const first = BigInt(requiredEvent(receipt, receivables, "ReceivableSplit").args.firstChildId);
  return { children: amounts.map((_, i) => first + BigInt(i)), receipt };
}

/** A receivable as the lens records it, with its holder, lineage and the entity ids of its parties. */
export async function readReceivable(
  c: { participants: ParticipantRegistry; receivables: ReceivableRegistry; lens: ReceivableLens },
  id: bigint,
) {
  const r = await c.lens.receivable(id);
  const [holder, overdue, parentId, rootId, sellerEntityId, buyerEntityId] = await Promise.all([
    c.receivables.ownerOf(id).catch(() => ZeroAddress),
    c.lens.isOverdue(id),
    c.lens.parentOf(id),
    c.receivables.rootOf(id),
    c.participants.entityIdAt(r.sellerIndex),
    c.participants.entityIdAt(r.buyerIndex),
  ]);
  return {
    id,
    status: Number(r.status),
    frozen: r.frozen,
    overdue,
    sellerEntityId,
    buyerEntityId,
    holder,
    currency: r.currency,
    faceAmount: r.faceAmount,
    paidAmount: r.paidAmount,
    issueDate: r.issueDate,
    dueDate: r.dueDate,
    depth: Number(r.depth),
    parentId,
    rootId,
    docHash: r.docHash,
  };
}
