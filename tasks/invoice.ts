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
import { chainNow, resolveAddress, type TradeFin } from "../src/hardhat/context";
import {
  acknowledgeReceivable,
  checkInvoicesAgainstChain,
  payReceivable,
  readReceivable,
  relayAcknowledgement,
  revokeAcknowledgementSignature,
  sellerEntityOf,
  signReceivableAcknowledgement,
  splitReceivable,
  submitInvoice,
} from "../src/chain/invoices";
import { STATUS_NAMES, formatTimestamp } from "../src/pure/errors";
import { entityLabel as bookLabel } from "../src/node/addressBook";
import { invoiceDocHash, invoiceKey, parseInvoiceFile, randomSalt, type InvoiceRowError } from "../src/pure/invoice";
import { DAY, HOUR } from "../src/pure/constants";
import { formatAmount, parseAmount } from "../src/pure/money";
import { reasonBytes } from "./participant";
import {
  TaskInputError,
  parseId,
  parsePositiveInt,
  reportTransaction,
  required,
  type TaskTransaction,
  toJson,
  tradefinTask,
  type Session,
} from "./lib/cli";

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
function sellerEntity(tf: TradeFin): Promise<string> {
  return sellerEntityOf(tf.participants, tf.signer.address, (id) => bookLabel(tf.book, id));
}

/** The contracts and history start of the acknowledgement functions. */
function ackContracts(tf: TradeFin) {
  return { receivables: tf.receivables, lens: tf.lens, fromBlock: tf.book.deployBlock ?? 0 };
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
  const r = await readReceivable(tf, id);
  const c = await tf.currency(r.currency);
  const fmt = (v: bigint) => formatAmount(v, c.decimals, { symbol: c.symbol });
  return {
    id,
    status: STATUS_NAMES[r.status],
    frozen: r.frozen,
    overdue: r.overdue,
    seller: entityLabel(tf, r.sellerEntityId),
    buyer: entityLabel(tf, r.buyerEntityId),
    holder: r.holder,
    currency: c.symbol,
    currencyAddress: r.currency,
    faceAmount: fmt(r.faceAmount),
    paidAmount: fmt(r.paidAmount),
    outstanding: fmt(r.faceAmount - r.paidAmount),
    faceAmountUnits: r.faceAmount,
    paidAmountUnits: r.paidAmount,
    issueDate: formatTimestamp(r.issueDate, true),
    dueDate: formatTimestamp(r.dueDate, true),
    depth: r.depth,
    parentId: r.parentId,
    rootId: r.rootId,
    docHash: r.docHash,
  };
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
  const chainErrors = await checkInvoicesAgainstChain(tf.participants, seller, [inv]);
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

  const { id, receipt } = await submitInvoice(tf.receivables, inv, hash);
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
  const chainErrors = await checkInvoicesAgainstChain(tf.participants, seller, parsed.invoices);
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
    if (args.sign) {
      const id = parseId(args.id);
      const deadline =
        BigInt(await chainNow(s.hre)) + BigInt(parsePositiveInt(args.validHours, "valid-hours", 72) * HOUR);
      const signed = await signReceivableAcknowledgement(ackContracts(tf), tf.signer, tf.chainId, id, deadline);
      const { message, signature } = signed;
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
      s.say(`  nonce ${message.nonce}, valid until ${formatTimestamp(deadline)}`);
      s.say(`  signature ${signature}`);
      if (args.out)
        s.say(
          `  saved to ${resolve(args.out)}; relay it with: npx hardhat invoice:acknowledge --signature ${args.out}`,
        );
      return doc;
    }
    if (args.signature) {
      const { id, ...signed } = readSignatureArgs(args);
      return reportTransaction(
        s,
        relayAcknowledgement(ackContracts(tf), id, signed),
        `Relayed the buyer's acknowledgement of receivable #${id}`,
        { id, bySignature: true },
      );
    }
    const id = parseId(args.id);
    return reportTransaction(s, acknowledgeReceivable(tf, id), `Acknowledged receivable #${id}`, {
      id,
      bySignature: false,
    });
  },
);

/** The signature to relay: hex with --id, --nonce and --deadline, or the JSON file written by --sign --out. */
function readSignatureArgs(args: AckArgs): { id: bigint; nonce: bigint; deadline: bigint; signature: string } {
  const given = args.signature as string;
  if (isHexString(given)) {
    return {
      id: parseId(args.id),
      nonce: parseId(args.nonce, "nonce"),
      deadline: parseId(args.deadline, "deadline"),
      signature: given,
    };
  }
  const path = resolve(given);
  if (!existsSync(path))
    throw new TaskInputError(`--signature must be hex or a JSON file written by --sign; ${path} does not exist`);
  const doc = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
  return { id: BigInt(doc.id), nonce: BigInt(doc.nonce), deadline: BigInt(doc.deadline), signature: doc.signature };
}

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
    const which = args.nonce !== undefined ? { nonce: parseId(args.nonce, "nonce") } : { id: parseId(args.id) };
    const { nonce, wordPos, mask, receipt } = await revokeAcknowledgementSignature(ackContracts(tf), which);
    return reportTransaction(
      s,
      receipt,
      `Revoked acknowledgement nonce ${nonce} of ${tf.signer.address}: a signature with it can no longer be relayed`,
      { signer: tf.signer.address, nonce, wordPos, mask },
    );
  },
);

// --------------------------------------------------- simple transactions

/** A task on one receivable (`--id`) that sends one registry transaction and says what it did. */
function receivableTask(
  name: string,
  description: string,
  send: (tf: TradeFin, id: bigint) => Promise<TaskTransaction>,
  said: (id: bigint) => string,
) {
  tradefinTask<{ id?: string }>(
    name,
    description,
    (t) => t.addOptionalParam("id", "Receivable id"),
    async (args, s) => {
      const id = parseId(args.id);
      const tf = await s.tradefin();
      return reportTransaction(s, send(tf, id), said(id), { id });
    },
  );
}

tradefinTask<{ id?: string; reason?: string }>(
  "invoice:reject",
  "The buyer disputes a submitted receivable",
  (t) => t.addOptionalParam("id", "Receivable id").addOptionalParam("reason", "Short reason (at most 31 bytes)", ""),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    return reportTransaction(
      s,
      tf.receivables.reject(id, reasonBytes(args.reason)),
      `Rejected receivable #${id}${args.reason ? ` (${args.reason})` : ""}`,
      { id, reason: args.reason ?? "" },
    );
  },
);

receivableTask(
  "invoice:cancel",
  "The seller withdraws a receivable the buyer has not acknowledged",
  (tf, id) => tf.receivables.cancel(id),
  (id) => `Cancelled receivable #${id}`,
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
    const { children: ids, receipt } = await splitReceivable(tf.receivables, id, amounts);
    const children = ids.map((child, i) => ({
      id: child,
      amount: formatAmount(amounts[i], c.decimals, { symbol: c.symbol }),
    }));
    const parts = children.map((ch) => `#${ch.id} (${ch.amount})`).join(", ");
    return reportTransaction(s, receipt, `Split receivable #${id} into ${parts}`, { id, children });
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
    return reportTransaction(
      s,
      tf.receivables.transferFrom(tf.signer.address, to, id),
      `Transferred receivable #${id} to ${to}`,
      { id, to },
    );
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
    const amount = args.amount ? parseAmount(args.amount, c.decimals) : undefined;
    const p = await payReceivable(tf, c.token, tf.signer.address, id, { amount, cap: args.cap, format: fmt });
    const status = STATUS_NAMES[p.status];
    return reportTransaction(
      s,
      p.receipt,
      [
        `Paid ${fmt(p.paid)} towards receivable #${id}; it is now ${status}`,
        ...(p.kept > 0n
          ? [`  capped: ${fmt(p.offered)} was offered; ${fmt(p.kept)} was not taken and stays with the payer`]
          : []),
        `  outstanding ${fmt(p.outstanding)}`,
      ],
      {
        id,
        paid: fmt(p.paid),
        paidUnits: p.paid,
        offeredUnits: p.offered,
        keptUnits: p.kept,
        status,
        outstandingUnits: p.outstanding,
        ...(p.approveTx ? { approveTx: p.approveTx } : {}),
      },
    );
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
    return reportTransaction(
      s,
      tf.receivables.withdraw(c.address, to),
      `Withdrew ${formatAmount(amount, c.decimals, { symbol: c.symbol })} to ${to}`,
      { currency: c.symbol, amountUnits: amount, to },
    );
  },
);

receivableTask(
  "invoice:default",
  "The holder declares a receivable in default (after the due date plus the grace period)",
  (tf, id) => tf.receivables.markDefaulted(id),
  (id) => `Declared receivable #${id} in default`,
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
