/**
 * Invoice tasks: submit (one, or a CSV/JSON file as a resumable batch), acknowledge (transaction,
 * EIP-712 signature, relay), reject, cancel, split, transfer, pay, withdraw, default, show.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { ZeroHash, isHexString } from "ethers";
import {
  DEFAULT_BATCH_SIZE,
  SaltStore,
  checkBatchSize,
  submitInvoices,
  type BatchSummary,
  type PlannedInvoice,
} from "../src/chain/batch";
import { chainNow, ensureAllowance, resolveAddress, type TradeFin } from "../src/hardhat/context";
import { acknowledgementNonce, nonceBitmapPosition, receivablesDomain, signAcknowledgement } from "../src/pure/eip712";
import { STATUS_NAMES, formatTimestamp } from "../src/pure/errors";
import { entityLabel as bookLabel } from "../src/node/addressBook";
import { eventsIn } from "../src/pure/events";
import { Role } from "../src/pure/ids";
import { Status } from "../src/pure/risk";
import {
  invoiceDocHash,
  invoiceKey,
  parseInvoiceFile,
  randomSalt,
  toInvoiceInput,
  type InvoiceRowError,
  type NormalisedInvoice,
} from "../src/pure/invoice";
import { DAY, HOUR } from "../src/pure/constants";
import { formatAmount, parseAmount } from "../src/pure/money";
import { reasonBytes } from "./participant";
import { TaskInputError, parseId, parsePositiveInt, required, toJson, tradefinTask, type Session } from "./lib/cli";

/** Statuses a receivable can only reach after the buyer's acknowledgement. */
const ACKNOWLEDGED_OR_LATER = new Set<number>([
  Status.Acknowledged,
  Status.PartiallyPaid,
  Status.Paid,
  Status.Defaulted,
  Status.Split,
]);

// ------------------------------------------------------------------ helpers

/** "line 3, amount: …" for each error, as one block. */
export function formatRowErrors(errors: readonly InvoiceRowError[]): string {
  return errors.map((e) => (e.line > 0 ? `  line ${e.line}, ${e.field}: ${e.message}` : `  ${e.message}`)).join("\n");
}

/** The label of an entity for messages: "Name (REF)", "REF" or the id. */
function entityLabel(tf: TradeFin, id: string): string {
  return bookLabel(tf.book, id) ?? id;
}

/** The signer's seller entity, checked to be an active supplier. */
async function sellerEntity(tf: TradeFin): Promise<string> {
  const id = await tf.participants.entityOf(tf.signer.address);
  if (id === ZeroHash) {
    throw new TaskInputError(
      `wallet ${tf.signer.address} is not bound to any participant: an onboarder must register it ` +
        "(participant:register) or pick another account with --from",
    );
  }
  if (!(await tf.participants.isActive(tf.signer.address, Role.SUPPLIER))) {
    throw new TaskInputError(
      `${entityLabel(tf, id)} (wallet ${tf.signer.address}) is not an active SUPPLIER participant ` +
        "(suspended, KYC expired or lacking the role)",
    );
  }
  return id;
}

/**
 * Checks what only the chain knows before anything is sent: every buyer is an active BUYER, every
 * currency is allowlisted, no invoice is addressed to the seller itself. Returns row errors.
 */
async function checkAgainstChain(
  tf: TradeFin,
  seller: string,
  invoices: readonly NormalisedInvoice[],
): Promise<InvoiceRowError[]> {
  const buyers = new Map<string, boolean>();
  const currencies = new Map<string, boolean>();
  for (const inv of invoices) {
    if (!buyers.has(inv.buyerEntityId)) {
      buyers.set(inv.buyerEntityId, await tf.participants.isEntityActive(inv.buyerEntityId, Role.BUYER));
    }
    if (!currencies.has(inv.currency))
      currencies.set(inv.currency, await tf.participants.isCurrencyAllowed(inv.currency));
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

/** Throws the validation failure: every error with line and field; nothing was sent. */
function refuseFile(file: string, errors: readonly InvoiceRowError[]): never {
  const n = errors.length;
  throw new TaskInputError(
    `${file} has ${n} error${n === 1 ? "" : "s"}; nothing was sent:\n${formatRowErrors(errors)}`,
    { errors },
  );
}

/** Compresses ids into ranges: 1–5, 8, 10–11. */
export function idRanges(ids: readonly bigint[]): string {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1n) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** A receivable's record in display units. */
async function showReceivable(tf: TradeFin, id: bigint) {
  const r = await tf.lens.receivable(id);
  const c = await tf.currency(r.currency);
  const [holder, overdue, parent, root] = await Promise.all([
    tf.receivables.ownerOf(id).catch(() => "0x0000000000000000000000000000000000000000"),
    tf.lens.isOverdue(id),
    tf.lens.parentOf(id),
    tf.receivables.rootOf(id),
  ]);
  const [seller, buyer] = await Promise.all([
    tf.participants.entityIdAt(r.sellerIndex),
    tf.participants.entityIdAt(r.buyerIndex),
  ]);
  const fmt = (v: bigint) => formatAmount(v, c.decimals, { symbol: c.symbol });
  return {
    id,
    status: STATUS_NAMES[Number(r.status)],
    frozen: r.frozen,
    overdue,
    seller: entityLabel(tf, seller),
    buyer: entityLabel(tf, buyer),
    holder,
    currency: c.symbol,
    currencyAddress: r.currency,
    faceAmount: fmt(r.faceAmount),
    paidAmount: fmt(r.paidAmount),
    outstanding: fmt(r.faceAmount - r.paidAmount),
    faceAmountUnits: r.faceAmount,
    paidAmountUnits: r.paidAmount,
    issueDate: formatTimestamp(r.issueDate, true),
    dueDate: formatTimestamp(r.dueDate, true),
    depth: Number(r.depth),
    parentId: parent,
    rootId: root,
    docHash: r.docHash,
  };
}

/** The invoice key of a receivable, from its ReceivableSubmitted event. */
async function keyOf(tf: TradeFin, id: bigint): Promise<string> {
  const events = await tf.receivables.queryFilter(
    tf.receivables.filters.ReceivableSubmitted(id),
    tf.book.deployBlock ?? 0,
  );
  if (events.length === 0) {
    throw new TaskInputError(`receivable #${id} has no invoice key of its own (it does not exist or was split off)`);
  }
  return events[0].args.invoiceKey;
}

// ------------------------------------------------------------------ submit

interface SubmitArgs {
  file?: string;
  batchSize?: string;
  salts?: string;
  number?: string;
  buyer?: string;
  amount?: string;
  currency?: string;
  issueDate?: string;
  dueDate?: string;
  dueDays?: string;
  document?: string;
  salt?: string;
}

/** Today's date (UTC) on the chain's clock, "YYYY-MM-DD". */
function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

async function submitOne(args: SubmitArgs, s: Session) {
  const tf = await s.tradefin();
  const now = await chainNow(s.hre);
  const currency = args.currency ? await tf.currency(args.currency) : await tf.defaultCurrency();
  const issue = args.issueDate ?? isoDay(now);
  const dueDays = parsePositiveInt(args.dueDays, "due-days", 60);
  const due = args.dueDate ?? isoDay(Date.parse(`${issue}T00:00:00Z`) / 1000 + dueDays * DAY);
  const record = {
    invoice_number: required(args.number, "number"),
    buyer_id: required(args.buyer, "buyer"),
    currency: currency.symbol,
    amount: required(args.amount, "amount"),
    issue_date: issue,
    due_date: due,
    ...(args.document ? { document: args.document } : {}),
  };
  const parsed = parseInvoiceFile(
    { content: JSON.stringify([record]), format: "json", baseDir: process.cwd() },
    { currencies: { [currency.symbol]: currency }, now },
  );
  if (!parsed.ok) {
    throw new TaskInputError(
      `the invoice is not valid; nothing was sent:\n${parsed.errors.map((e) => `  ${e.field}: ${e.message}`).join("\n")}`,
      { errors: parsed.errors },
    );
  }
  const inv = parsed.invoices[0];
  const seller = await sellerEntity(tf);
  const chainErrors = await checkAgainstChain(tf, seller, [inv]);
  if (chainErrors.length > 0) throw new TaskInputError(chainErrors.map((e) => `${e.field}: ${e.message}`).join("; "));
  const key = invoiceKey(seller, inv.buyerEntityId, inv.invoiceNumberHash);
  const salt = inv.documentPath ? (args.salt ?? randomSalt()) : undefined;
  const hash = salt ? invoiceDocHash(inv, salt) : ZeroHash;
  const buyerName = bookLabel(tf.book, inv.buyerEntityId) ?? inv.buyerRef;
  const describe = `${inv.invoiceNumber} from ${entityLabel(tf, seller)} to ${buyerName}`;
  const base = tf.decodeContext();
  tf.decodeContext = () => ({
    ...base,
    describeKey: (k) => (k.toLowerCase() === key.toLowerCase() ? describe : undefined),
  });

  const receipt = await (await tf.receivables.submit(toInvoiceInput(inv, hash))).wait();
  const [submitted] = eventsIn(receipt, tf.receivables.interface, "ReceivableSubmitted");
  const id: bigint = submitted.args.id;
  s.say(`Submitted invoice ${describe} as receivable #${id}`);
  s.say(`  amount   ${formatAmount(inv.amount, inv.decimals, { symbol: currency.symbol })}`);
  s.say(`  issued   ${isoDay(inv.issueDate)}, due ${isoDay(inv.dueDate)}`);
  s.say(`  key      ${key}`);
  if (salt) s.say(`  document ${inv.documentPath}\n  salt     ${salt} (keep it with the document: it proves docHash)`);
  return {
    ok: true,
    id,
    invoiceNumber: inv.invoiceNumber,
    buyer: inv.buyerRef,
    buyerName: tf.book.entities[inv.buyerEntityId.toLowerCase()]?.name ?? null,
    currency: currency.symbol,
    amount: formatAmount(inv.amount, inv.decimals, { grouping: false }),
    amountUnits: inv.amount,
    issueDate: isoDay(inv.issueDate),
    dueDate: isoDay(inv.dueDate),
    invoiceKey: key,
    docHash: hash,
    ...(salt ? { salt, document: inv.documentPath } : {}),
    tx: receipt?.hash,
    gasUsed: receipt?.gasUsed,
  };
}

async function submitFile(args: SubmitArgs, s: Session) {
  const file = resolve(required(args.file, "file"));
  if (!existsSync(file)) throw new TaskInputError(`the file ${file} does not exist; nothing was sent`);
  const batchSize = checkBatchSize(parsePositiveInt(args.batchSize, "batch-size", DEFAULT_BATCH_SIZE));
  const tf = await s.tradefin();
  const now = await chainNow(s.hre);
  const parsed = parseInvoiceFile(file, { currencies: tf.invoiceCurrencies(), now });
  if (!parsed.ok) refuseFile(args.file as string, parsed.errors);
  const seller = await sellerEntity(tf);
  const chainErrors = await checkAgainstChain(tf, seller, parsed.invoices);
  if (chainErrors.length > 0) refuseFile(args.file as string, chainErrors);

  const withDocs = parsed.invoices.some((i) => i.documentPath);
  const saltsPath = args.salts ? resolve(args.salts) : withDocs ? `${file}.salts.json` : undefined;
  const salts = new SaltStore(saltsPath);
  const bar = s.json
    ? undefined
    : new SingleBar({
        stream: process.stderr,
        format:
          "Submitting |{bar}| {value}/{total} invoices | {submitted} sent, {skipped} already on chain | {duration}s",
        hideCursor: true,
      });
  let summary: BatchSummary;
  try {
    summary = await submitInvoices({
      receivables: tf.receivables,
      sellerEntityId: seller,
      invoices: parsed.invoices,
      batchSize,
      salts,
      onPlan: (plan) => {
        if (plan.onChain.length > 0) {
          s.note(`${plan.onChain.length} of ${parsed.invoices.length} invoices are already on chain and are skipped.`);
        }
        bar?.start(parsed.invoices.length, plan.onChain.length, { submitted: 0, skipped: plan.onChain.length });
      },
      onProgress: (p) => bar?.update(p.done, { submitted: p.submitted, skipped: p.skipped }),
    });
  } finally {
    bar?.stop();
  }

  const row = (p: PlannedInvoice, status: "submitted" | "skipped") => ({
    line: p.invoice.line,
    invoiceNumber: p.invoice.invoiceNumber,
    buyer: p.invoice.buyerRef,
    invoiceKey: p.key,
    id: p.id,
    status,
  });
  const invoices = [
    ...summary.submitted.map((p) => row(p, "submitted")),
    ...summary.skipped.map((p) => row(p, "skipped")),
  ];
  invoices.sort((a, b) => a.line - b.line);
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  s.say(
    `Submitted ${summary.submitted.length} invoice${summary.submitted.length === 1 ? "" : "s"} in ` +
      `${summary.transactions.length} transaction${summary.transactions.length === 1 ? "" : "s"}; ` +
      `skipped ${summary.skipped.length} already on chain (${summary.total} in the file).`,
  );
  if (summary.submitted.length > 0) s.say(`  new receivables   ${idRanges(summary.submitted.map((p) => p.id))}`);
  if (summary.skipped.length > 0) s.say(`  already on chain  ${idRanges(summary.skipped.map((p) => p.id))}`);
  s.say(`  gas used          ${summary.gasUsed} total, ${summary.gasPerInvoice} per invoice`);
  s.say(`  elapsed           ${seconds} s`);
  if (saltsPath && existsSync(saltsPath)) s.say(`  document salts    ${saltsPath} (keep it: it proves each docHash)`);
  return {
    ok: true,
    file,
    total: summary.total,
    submitted: summary.submitted.length,
    skipped: summary.skipped.length,
    invoices,
    transactions: summary.transactions,
    gasUsed: summary.gasUsed,
    gasPerInvoice: summary.gasPerInvoice,
    elapsedMs: summary.elapsedMs,
    ...(saltsPath ? { salts: saltsPath } : {}),
  };
}

tradefinTask<SubmitArgs>(
  "invoice:submit",
  "Submit one invoice (flags) or a CSV/JSON file of invoices (--file, resumable batch)",
  (t) =>
    t
      .addOptionalParam("file", "CSV or JSON invoice file: validated whole, then submitted in batches")
      .addOptionalParam("batchSize", `Invoices per transaction with --file (1 to 50)`, String(DEFAULT_BATCH_SIZE))
      .addOptionalParam("salts", "Where document salts are kept with --file (default <file>.salts.json)")
      .addOptionalParam("number", "Invoice number")
      .addOptionalParam("buyer", 'Buyer "SCHEME:IDENTIFIER"')
      .addOptionalParam("amount", "Face amount in token units, e.g. 1250.50")
      .addOptionalParam("currency", "Token symbol or address (default: the deployment's only stablecoin or tUSD)")
      .addOptionalParam("issueDate", "Issue date YYYY-MM-DD (default: today on the chain's clock)")
      .addOptionalParam("dueDate", "Due date YYYY-MM-DD")
      .addOptionalParam("dueDays", "Days from the issue date to the due date when --due-date is absent", "60")
      .addOptionalParam("document", "Invoice document (PDF/XML) whose salted hash becomes docHash")
      .addOptionalParam("salt", "32-byte hex salt for the document hash (default: random, printed)"),
  async (args, s) => (args.file ? submitFile(args, s) : submitOne(args, s)),
);

// ----------------------------------------------------------- acknowledge

interface AckArgs {
  id?: string;
  sign: boolean;
  out?: string;
  validHours?: string;
  signature?: string;
  nonce?: string;
  deadline?: string;
}

tradefinTask<AckArgs>(
  "invoice:acknowledge",
  "The buyer acknowledges a receivable: by transaction, or --sign (EIP-712, no gas), or relay --signature",
  (t) =>
    t
      .addOptionalParam("id", "Receivable id")
      .addFlag("sign", "Sign the acknowledgement (EIP-712) instead of sending a transaction")
      .addOptionalParam("out", "With --sign: also save the signature as JSON to this file")
      .addOptionalParam("validHours", "With --sign: hours the signature stays valid", "72")
      .addOptionalParam("signature", "Relay a signature: hex, or the JSON file written by --sign --out")
      .addOptionalParam("nonce", "With a hex --signature: the nonce signed")
      .addOptionalParam("deadline", "With a hex --signature: the deadline (Unix seconds)"),
  async (args, s) => {
    const tf = await s.tradefin();
    /** Refuses (before a signature or a transaction) a receivable the buyer has acknowledged already. */
    const refuseIfAcknowledged = async (id: bigint) => {
      const r = await tf.lens.receivable(id).catch(() => undefined);
      const status = r ? Number(r.status) : Status.None;
      if (ACKNOWLEDGED_OR_LATER.has(status)) {
        throw new TaskInputError(
          `receivable #${id} is already acknowledged (it is ${STATUS_NAMES[status]}); nothing was sent`,
        );
      }
    };
    if (args.sign) {
      const id = parseId(args.id);
      await refuseIfAcknowledged(id);
      const r = await tf.lens.receivable(id);
      const key = await keyOf(tf, id);
      // A revocation handle, not a counter: deterministic per invoice so invoice:revoke-signature --id finds it.
      const nonce = acknowledgementNonce(key);
      const deadline =
        BigInt(await chainNow(s.hre)) + BigInt(parsePositiveInt(args.validHours, "valid-hours", 72) * HOUR);
      const message = { id, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, nonce, deadline };
      const signature = await signAcknowledgement(
        tf.signer,
        receivablesDomain(tf.chainId, tf.book.contracts.receivables),
        message,
      );
      const doc = {
        ok: true,
        ...message,
        signer: tf.signer.address,
        registry: tf.book.contracts.receivables,
        chainId: tf.chainId,
        signature,
      };
      if (args.out) writeFileSync(resolve(args.out), `${toJson(doc)}\n`);
      s.say(`Signed the acknowledgement of receivable #${id} as ${tf.signer.address}`);
      s.say(`  nonce ${nonce}, valid until ${formatTimestamp(deadline)}`);
      s.say(`  signature ${signature}`);
      if (args.out)
        s.say(
          `  saved to ${resolve(args.out)}; relay it with: npx hardhat invoice:acknowledge --signature ${args.out}`,
        );
      return doc;
    }
    if (args.signature) {
      let id: bigint;
      let nonce: bigint;
      let deadline: bigint;
      let signature: string;
      if (isHexString(args.signature)) {
        id = parseId(args.id);
        nonce = parseId(args.nonce, "nonce");
        deadline = parseId(args.deadline, "deadline");
        signature = args.signature;
      } else {
        const path = resolve(args.signature);
        if (!existsSync(path))
          throw new TaskInputError(`--signature must be hex or a JSON file written by --sign; ${path} does not exist`);
        const doc = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
        id = BigInt(doc.id);
        nonce = BigInt(doc.nonce);
        deadline = BigInt(doc.deadline);
        signature = doc.signature;
      }
      await refuseIfAcknowledged(id);
      const key = await keyOf(tf, id);
      const receipt = await (await tf.receivables.acknowledgeWithSig(id, key, nonce, deadline, signature)).wait();
      s.say(`Relayed the buyer's acknowledgement of receivable #${id}`);
      return { ok: true, id, bySignature: true, tx: receipt?.hash };
    }
    const id = parseId(args.id);
    await refuseIfAcknowledged(id);
    const receipt = await (await tf.receivables.acknowledge(id)).wait();
    s.say(`Acknowledged receivable #${id}`);
    return { ok: true, id, bySignature: false, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string; nonce?: string }>(
  "invoice:revoke-signature",
  "The buyer cancels an acknowledgement signature it gave and that was not relayed (by receivable --id or --nonce)",
  (t) =>
    t
      .addOptionalParam("id", "Receivable id whose signature (signed with the SDK's nonce) to cancel")
      .addOptionalParam("nonce", "The nonce of the signature to cancel"),
  async (args, s) => {
    if ((args.id === undefined) === (args.nonce === undefined))
      throw new TaskInputError("give exactly one of --id or --nonce");
    const tf = await s.tradefin();
    const nonce =
      args.nonce !== undefined ? parseId(args.nonce, "nonce") : acknowledgementNonce(await keyOf(tf, parseId(args.id)));
    const { wordPos, mask } = nonceBitmapPosition(nonce);
    const receipt = await (await tf.receivables.revokeAcknowledgementNonces(wordPos, mask)).wait();
    s.say(
      `Revoked acknowledgement nonce ${nonce} of ${tf.signer.address}: a signature with it can no longer be relayed`,
    );
    return { ok: true, signer: tf.signer.address, nonce, wordPos, mask, tx: receipt?.hash };
  },
);

// --------------------------------------------------- simple transactions

tradefinTask<{ id?: string; reason?: string }>(
  "invoice:reject",
  "The buyer disputes a submitted receivable",
  (t) => t.addOptionalParam("id", "Receivable id").addOptionalParam("reason", "Short reason (at most 31 bytes)", ""),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const receipt = await (await tf.receivables.reject(id, reasonBytes(args.reason))).wait();
    s.say(`Rejected receivable #${id}${args.reason ? ` (${args.reason})` : ""}`);
    return { ok: true, id, reason: args.reason ?? "", tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string }>(
  "invoice:cancel",
  "The seller withdraws a receivable the buyer has not acknowledged",
  (t) => t.addOptionalParam("id", "Receivable id"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const receipt = await (await tf.receivables.cancel(id)).wait();
    s.say(`Cancelled receivable #${id}`);
    return { ok: true, id, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string; amounts?: string }>(
  "invoice:split",
  "Split an acknowledged receivable's outstanding amount into parts held by the caller",
  (t) => t.addOptionalParam("id", "Receivable id").addOptionalParam("amounts", "Parts in token units, comma-separated"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const c = await tf.currencyOf(id);
    const amounts = required(args.amounts, "amounts")
      .split(",")
      .map((a) => parseAmount(a.trim(), c.decimals));
    const receipt = await (await tf.receivables.split(id, amounts)).wait();
    const [event] = eventsIn(receipt, tf.receivables.interface, "ReceivableSplit");
    const first = event ? BigInt(event.args.firstChildId) : 0n;
    const children = amounts.map((a, i) => ({
      id: first + BigInt(i),
      amount: formatAmount(a, c.decimals, { symbol: c.symbol }),
    }));
    s.say(`Split receivable #${id} into ${children.map((ch) => `#${ch.id} (${ch.amount})`).join(", ")}`);
    return { ok: true, id, children, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string; to?: string }>(
  "invoice:transfer",
  "Assign a receivable to another active supplier or financier",
  (t) => t.addOptionalParam("id", "Receivable id").addOptionalParam("to", "Recipient (address or account index)"),
  async (args, s) => {
    const id = parseId(args.id);
    const to = await resolveAddress(s.hre, required(args.to, "to"), "--to");
    const tf = await s.tradefin();
    const receipt = await (await tf.receivables.transferFrom(tf.signer.address, to, id)).wait();
    s.say(`Transferred receivable #${id} to ${to}`);
    return { ok: true, id, to, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string; amount?: string; cap: boolean }>(
  "invoice:pay",
  "Pay towards a receivable in its currency (default: everything outstanding); approves the registry if needed",
  (t) =>
    t
      .addOptionalParam("id", "Receivable id")
      .addOptionalParam("amount", "Amount in token units (more than is outstanding is refused unless --cap)")
      .addFlag("cap", "Pay only what is outstanding when --amount is more; the rest stays with the payer"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const c = await tf.currencyOf(id);
    const fmt = (v: bigint) => formatAmount(v, c.decimals, { symbol: c.symbol });
    const outstanding = await tf.receivables.outstandingOf(id);
    const offered = args.amount ? parseAmount(args.amount, c.decimals) : outstanding;
    if (outstanding === 0n) throw new TaskInputError(`receivable #${id} has nothing outstanding`);
    if (offered === 0n) throw new TaskInputError("--amount is zero");
    if (offered > outstanding && !args.cap) {
      throw new TaskInputError(
        `receivable #${id} has ${fmt(outstanding)} outstanding, less than the ${fmt(offered)} offered; nothing was paid. ` +
          `Pay at most ${fmt(outstanding)}, or add --cap to pay ${fmt(outstanding)} and keep the rest`,
        { outstandingUnits: outstanding, amountUnits: offered },
      );
    }
    const take = offered < outstanding ? offered : outstanding;
    const approveTx = await ensureAllowance(tf, c, tf.book.contracts.receivables, take);
    const receipt = await (await tf.receivables.pay(id, take)).wait();
    const r = await tf.lens.receivable(id);
    const kept = offered - take;
    s.say(`Paid ${fmt(take)} towards receivable #${id}; it is now ${STATUS_NAMES[Number(r.status)]}`);
    if (kept > 0n) s.say(`  capped: ${fmt(offered)} was offered; ${fmt(kept)} was not taken and stays with the payer`);
    s.say(`  outstanding ${fmt(r.faceAmount - r.paidAmount)}`);
    return {
      ok: true,
      id,
      paid: fmt(take),
      paidUnits: take,
      offeredUnits: offered,
      keptUnits: kept,
      status: STATUS_NAMES[Number(r.status)],
      outstandingUnits: r.faceAmount - r.paidAmount,
      ...(approveTx ? { approveTx } : {}),
      tx: receipt?.hash,
    };
  },
);

tradefinTask<{ currency?: string; to?: string }>(
  "invoice:withdraw",
  "Withdraw the proceeds credited to the caller as holder",
  (t) =>
    t
      .addOptionalParam("currency", "Token symbol or address (default: the deployment's stablecoin)")
      .addOptionalParam("to", "Recipient (default: the caller)"),
  async (args, s) => {
    const tf = await s.tradefin();
    const c = args.currency ? await tf.currency(args.currency) : await tf.defaultCurrency();
    const to = args.to ? await resolveAddress(s.hre, args.to, "--to") : tf.signer.address;
    const amount = await tf.receivables.claimable(tf.signer.address, c.address);
    const receipt = await (await tf.receivables.withdraw(c.address, to)).wait();
    s.say(`Withdrew ${formatAmount(amount, c.decimals, { symbol: c.symbol })} to ${to}`);
    return { ok: true, currency: c.symbol, amountUnits: amount, to, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string }>(
  "invoice:default",
  "The holder declares a receivable in default (after the due date plus the grace period)",
  (t) => t.addOptionalParam("id", "Receivable id"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const receipt = await (await tf.receivables.markDefaulted(id)).wait();
    s.say(`Declared receivable #${id} in default`);
    return { ok: true, id, tx: receipt?.hash };
  },
);

tradefinTask<{ id?: string }>(
  "invoice:show",
  "Show a receivable: status, parties, amounts, dates, holder",
  (t) => t.addOptionalParam("id", "Receivable id"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const r = await showReceivable(tf, id);
    s.say(`Receivable #${id}: ${r.status}${r.frozen ? ", frozen" : ""}${r.overdue ? ", overdue" : ""}`);
    s.say(`  seller       ${r.seller}`);
    s.say(`  buyer        ${r.buyer}`);
    s.say(`  holder       ${r.holder}`);
    s.say(`  face         ${r.faceAmount}`);
    s.say(`  paid         ${r.paidAmount}`);
    s.say(`  outstanding  ${r.outstanding}`);
    s.say(`  issued       ${r.issueDate}, due ${r.dueDate}`);
    if (r.parentId !== 0n) s.say(`  split from   #${r.parentId} (root #${r.rootId}, depth ${r.depth})`);
    if (r.docHash !== ZeroHash) s.say(`  docHash      ${r.docHash}`);
    return { ok: true, ...r };
  },
);
