/**
 * Invoices: canonical invoice numbers and their hashes, the invoice key the registry uses as a
 * double-financing guard, salted document hashes, validation of one invoice record, and parsing of
 * whole invoice files (CSV or JSON) with row-level errors.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import {
  AbiCoder,
  ZeroHash,
  concat,
  getAddress,
  hexlify,
  isAddress,
  keccak256,
  randomBytes,
  toUtf8Bytes,
} from "ethers";
import { z } from "zod";
import { canonicalEntityRef, entityId } from "./ids";
import { MoneyError, parseAmount } from "./money";
import { TradeFinError } from "./tradeFinError";

/** Raised for an invalid invoice number, salt or document. */
export class InvoiceError extends TradeFinError {
  override name = "InvoiceError";
}

// ------------------------------------------------------------------ hashing

/** Any run of Unicode white space: JavaScript's `\s` plus NEL (U+0085), which `\s` leaves out. */
const WHITESPACE_RUN = /[\s\u0085]+/gu;

/**
 * The canonical form of an invoice number: Unicode NFC, trimmed, every inner run of white space
 * (any Unicode white space) collapsed to one ASCII space, upper-cased.
 * "inv-001 " and "INV-001" are the same invoice; so are "inv  001" and "INV 001".
 *
 * @throws InvoiceError when nothing is left.
 */
export function canonicalInvoiceNumber(invoiceNumber: string): string {
  const canonical = invoiceNumber.normalize("NFC").replace(WHITESPACE_RUN, " ").trim().toUpperCase();
  if (canonical.length === 0) throw new InvoiceError("invoice number is empty");
  return canonical;
}

/** `keccak256(utf8(canonicalInvoiceNumber(invoiceNumber)))`, the `invoiceNumberHash` of `InvoiceInput`. */
export function invoiceNumberHash(invoiceNumber: string): string {
  return keccak256(toUtf8Bytes(canonicalInvoiceNumber(invoiceNumber)));
}

/**
 * The registry's uniqueness key, exactly as `ReceivableRegistry.computeInvoiceKey`:
 * `keccak256(abi.encode(sellerEntityId, buyerEntityId, invoiceNumberHash))` (three bytes32 words).
 */
export function invoiceKey(sellerEntityId: string, buyerEntityId: string, numberHash: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["bytes32", "bytes32", "bytes32"],
    [sellerEntityId, buyerEntityId, numberHash],
  );
  return keccak256(encoded);
}

/** A fresh random 32-byte salt for {@link docHash}. Keep it with the document: it is needed to prove it. */
export function randomSalt(): string {
  return hexlify(randomBytes(32));
}

/**
 * The salted hash of an invoice document that goes on chain as `docHash`:
 *
 *     docHash = keccak256(abi.encodePacked(bytes32 salt, keccak256(document)))
 *
 * i.e. keccak256 over the 64 bytes `salt ‖ keccak256(documentBytes)`. The salt is a secret the
 * supplier keeps with the document (one per invoice, from {@link randomSalt}); without it the
 * on-chain hash reveals nothing, not even whether a guessed document matches. To prove the
 * document to a financier, the supplier hands over the document and the salt, and the financier
 * recomputes the hash. With no document the docHash is `ZeroHash` (see {@link invoiceDocHash}).
 *
 * @throws InvoiceError when the salt is not 32 bytes or is zero.
 */
export function docHash(documentBytes: Uint8Array, salt: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new InvoiceError("salt must be 32 bytes of hex (0x + 64 digits)");
  if (salt === ZeroHash) throw new InvoiceError("salt must not be zero");
  return keccak256(concat([salt, keccak256(documentBytes)]));
}

// ------------------------------------------------------------------- record

/** A settlement currency the deployment knows: its token address and decimals. */
export interface CurrencyInfo {
  address: string;
  decimals: number;
}

/** What validation needs from the caller. */
export interface InvoiceContext {
  /** Currencies by symbol, e.g. `{ tUSD: { address: "0x…", decimals: 6 } }`. */
  currencies: Record<string, CurrencyInfo> | ReadonlyMap<string, CurrencyInfo>;
  /**
   * The chain's current time (Unix seconds). When given, the rules the registry enforces at submission
   * are checked too: the issue date is not in the future and the due date is.
   */
  now?: number;
}

/** One validated invoice, canonicalised and converted to on-chain units. */
export interface NormalisedInvoice {
  /** Where the record is in its file (CSV: physical line, header = 1; JSON: array index + 1). */
  line: number;
  /** Canonical invoice number (see {@link canonicalInvoiceNumber}). */
  invoiceNumber: string;
  invoiceNumberHash: string;
  /** Canonical "SCHEME:IDENTIFIER" of the buyer. */
  buyerRef: string;
  buyerEntityId: string;
  /** Checksummed token address. */
  currency: string;
  decimals: number;
  /** Face amount in base units. */
  amount: bigint;
  /** Unix seconds at 00:00 UTC of the issue date. */
  issueDate: number;
  /** Unix seconds at 00:00 UTC of the due date. */
  dueDate: number;
  /** The document path as written in the record (resolved against the file's folder by the file parser). */
  documentPath?: string;
}

/** The contract's `IReceivableRegistry.InvoiceInput` tuple. */
export interface InvoiceInput {
  buyerEntityId: string;
  currency: string;
  amount: bigint;
  issueDate: number;
  dueDate: number;
  invoiceNumberHash: string;
  docHash: string;
}

/** Largest face amount the registry stores (uint96). */
export const MAX_AMOUNT = (1n << 96n) - 1n;

/** Builds the `InvoiceInput` for `submit` from a validated invoice and its docHash (ZeroHash without document). */
export function toInvoiceInput(invoice: NormalisedInvoice, documentHash: string = ZeroHash): InvoiceInput {
  return {
    buyerEntityId: invoice.buyerEntityId,
    currency: invoice.currency,
    amount: invoice.amount,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    invoiceNumberHash: invoice.invoiceNumberHash,
    docHash: documentHash,
  };
}

/**
 * The docHash of an invoice: ZeroHash when it names no document, else {@link docHash} of the file's bytes.
 * `documentPath` must already be resolved (the file parser resolves it against the invoice file's folder).
 */
export function invoiceDocHash(invoice: Pick<NormalisedInvoice, "documentPath">, salt: string): string {
  if (!invoice.documentPath) return ZeroHash;
  return docHash(readFileSync(invoice.documentPath), salt);
}

/** Field names of an invoice record, in the order of a CSV header. */
export const INVOICE_FIELDS = [
  "invoice_number",
  "buyer_id",
  "currency",
  "amount",
  "issue_date",
  "due_date",
  "document",
] as const;
export type InvoiceField = (typeof INVOICE_FIELDS)[number];

/** Required string field: "is required" when missing or empty, "must be a string" for other JSON types. */
function requiredText() {
  return z
    .string({ error: (iss) => (iss.input === undefined || iss.input === null ? "is required" : "must be a string") })
    .trim()
    .min(1, { error: "is required" });
}

/** Runs `fn`, turning a thrown error into a zod issue on the current field. */
function attempt<T>(fn: () => T, ctx: z.RefinementCtx): T {
  try {
    return fn();
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
}

/** Looks up a symbol (exact, then case-insensitive if unambiguous) or an address in the known currencies. */
export function resolveCurrency(value: string, ctx: InvoiceContext): CurrencyInfo {
  const entries = ctx.currencies instanceof Map ? [...ctx.currencies] : Object.entries(ctx.currencies);
  const known = entries.map(([s]) => s).join(", ") || "none";
  let found: CurrencyInfo | undefined;
  if (/^0x/i.test(value)) {
    if (!isAddress(value)) throw new InvoiceError(`"${value}" is not a valid address`);
    found = entries.find(([, c]) => c.address.toLowerCase() === value.toLowerCase())?.[1];
  } else {
    found = entries.find(([s]) => s === value)?.[1];
    const loose = entries.filter(([s]) => s.toLowerCase() === value.toLowerCase());
    if (!found && loose.length === 1) found = loose[0][1];
  }
  if (!found) throw new InvoiceError(`unknown currency "${value}" (known: ${known})`);
  return { address: getAddress(found.address), decimals: found.decimals };
}

/** Parses an ISO 8601 calendar date "YYYY-MM-DD" into Unix seconds at 00:00 UTC (must fit a uint32). */
export function parseIsoDate(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new InvoiceError(`"${value}" is not a date of the form YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InvoiceError(`"${value}" is not a calendar date`);
  }
  const seconds = ms / 1000;
  if (seconds < 0 || seconds > 0xffffffff) throw new InvoiceError(`"${value}" is outside 1970-01-01 … 2106-02-07`);
  return seconds;
}

/** Checks the decimal format of an amount before the currency's decimals are known. */
function checkAmountFormat(value: string): string {
  const units = parseAmount(value, 77); // format only; the currency's decimals are checked per record
  if (units === 0n) throw new MoneyError("amount must be greater than zero");
  return value;
}

/** The record shape: every field checked on its own, so one record reports all its bad fields at once. */
function fieldsSchema(ctx: InvoiceContext) {
  return z.strictObject({
    invoice_number: requiredText().transform((v, c) => attempt(() => canonicalInvoiceNumber(v), c)),
    buyer_id: requiredText().transform((v, c) => attempt(() => canonicalEntityRef(v), c)),
    currency: requiredText().transform((v, c) => attempt(() => resolveCurrency(v, ctx), c)),
    amount: requiredText().transform((v, c) => attempt(() => checkAmountFormat(v), c)),
    issue_date: requiredText().transform((v, c) => attempt(() => parseIsoDate(v), c)),
    due_date: requiredText().transform((v, c) => attempt(() => parseIsoDate(v), c)),
    document: z
      .string({ error: "must be a string" })
      .trim()
      .optional()
      .nullable()
      .transform((v) => v || undefined),
  });
}
type Fields = z.output<ReturnType<typeof fieldsSchema>>;

/** Cross-field rules: the amount's decimal places against the currency, the cap, and the dates. */
function checkAcrossFields(v: Partial<Fields>, c: z.RefinementCtx, ctx: InvoiceContext): void {
  const issue = (path: InvoiceField, message: string) => c.addIssue({ code: "custom", path: [path], message });
  const currency = v.currency;
  if (typeof v.amount === "string" && currency && typeof currency.decimals === "number") {
    try {
      if (parseAmount(v.amount, currency.decimals) > MAX_AMOUNT) issue("amount", "amount exceeds the uint96 maximum");
    } catch (err) {
      issue("amount", (err as Error).message);
    }
  }
  const [issueDate, dueDate] = [v.issue_date, v.due_date];
  if (typeof issueDate === "number" && typeof dueDate === "number" && dueDate <= issueDate) {
    issue("due_date", "due date must be after the issue date");
  }
  if (ctx.now === undefined) return;
  if (typeof issueDate === "number" && issueDate > ctx.now) issue("issue_date", "issue date is in the future");
  if (typeof dueDate === "number" && dueDate <= ctx.now) issue("due_date", "due date has already passed");
}

/** Converts a fully valid record into a {@link NormalisedInvoice} without its line. */
function normalise(v: Fields): Omit<NormalisedInvoice, "line"> {
  return {
    invoiceNumber: v.invoice_number,
    invoiceNumberHash: keccak256(toUtf8Bytes(v.invoice_number)),
    buyerRef: v.buyer_id,
    buyerEntityId: entityId(v.buyer_id),
    currency: v.currency.address,
    decimals: v.currency.decimals,
    amount: parseAmount(v.amount, v.currency.decimals),
    issueDate: v.issue_date,
    dueDate: v.due_date,
    ...(v.document ? { documentPath: v.document } : {}),
  };
}

/**
 * The zod schema of one invoice record, bound to the deployment's currencies.
 *
 * Input: an object with string fields `invoice_number`, `buyer_id` ("SCHEME:IDENTIFIER"), `currency`
 * (symbol or 0x address), `amount` (decimal string, "." as decimal point, no thousands separators,
 * > 0, at most the token's decimals places), `issue_date` and `due_date` (YYYY-MM-DD, due after issue)
 * and an optional `document` path; with `ctx.now`, issue ≤ now < due. Unknown fields are refused. Output: a normalised invoice without
 * its line number. Every bad field of the record is reported, each with its field name as path.
 */
export function invoiceRecordSchema(ctx: InvoiceContext) {
  return fieldsSchema(ctx)
    .superRefine((v, c) => checkAcrossFields(v, c, ctx), { when: () => true })
    .transform(normalise);
}

// --------------------------------------------------------------------- files

/** One problem in an invoice file. `line` 0 means the file as a whole. */
export interface InvoiceRowError {
  /** CSV: physical line where the row starts (header = 1). JSON: array index + 1. 0: the whole file. */
  line: number;
  /** The record field ("amount", …), or "file" / "row" / "header" for problems that are not one field's. */
  field: string;
  message: string;
}

/** Either every invoice of the file, valid, or every problem found in it. */
export type InvoiceFileResult = { ok: true; invoices: NormalisedInvoice[] } | { ok: false; errors: InvoiceRowError[] };

/** An invoice file given by content rather than path. */
export interface InvoiceFileContent {
  content: string | Uint8Array;
  format: "csv" | "json";
  /** Folder that relative `document` paths are resolved against (default: the working directory). */
  baseDir?: string;
}

/** {@link InvoiceContext} plus file options. */
export interface InvoiceFileContext extends InvoiceContext {
  /** Check that each named document exists (default true). */
  checkDocuments?: boolean;
}

/** A record as read from the file, before validation. */
interface RawRecord {
  line: number;
  values: Record<string, unknown>;
}

type Loaded = { ok: true; records: RawRecord[] } | { ok: false; errors: InvoiceRowError[] };

const fileError = (message: string): InvoiceRowError => ({ line: 0, field: "file", message });

/**
 * Reads and validates a whole invoice file (CSV or JSON, see docs in DESIGN.md "Invoice files").
 * Nothing is sent anywhere: the caller submits only when `ok` is true, so a bad row never leaves a
 * half-submitted batch. Every bad row is reported with its line and field; an invoice number that
 * repeats for the same buyer is reported on its later line.
 *
 * @param source A path ending in .csv or .json, or `{ content, format }`.
 * @param ctx The deployment's currencies (symbol → address and decimals) and options.
 */
export function parseInvoiceFile(source: string | InvoiceFileContent, ctx: InvoiceFileContext): InvoiceFileResult {
  const input = readSource(source);
  if ("error" in input) return { ok: false, errors: [fileError(input.error)] };
  const loaded = input.format === "csv" ? readCsvRecords(input.bytes) : readJsonRecords(input.bytes);
  if (!loaded.ok) return loaded;
  if (loaded.records.length === 0) return { ok: false, errors: [fileError("the file has no invoices")] };

  const schema = invoiceRecordSchema(ctx);
  const errors: InvoiceRowError[] = [];
  const invoices: NormalisedInvoice[] = [];
  for (const record of loaded.records) {
    const parsed = schema.safeParse(record.values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(record.line, parsed.error.issues));
      continue;
    }
    const invoice: NormalisedInvoice = { line: record.line, ...parsed.data };
    const docError = resolveDocument(invoice, input.baseDir, ctx.checkDocuments ?? true);
    if (docError) errors.push(docError);
    else invoices.push(invoice);
  }
  errors.push(...findDuplicates(invoices));
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, invoices };
}

/** Loads the bytes, format and base folder of a source; an unreadable file becomes an error message. */
function readSource(
  source: string | InvoiceFileContent,
): { bytes: Uint8Array; format: "csv" | "json"; baseDir: string } | { error: string } {
  if (typeof source !== "string") {
    const bytes = typeof source.content === "string" ? Buffer.from(source.content, "utf8") : source.content;
    return { bytes, format: source.format, baseDir: source.baseDir ?? process.cwd() };
  }
  const ext = extname(source).toLowerCase();
  if (ext !== ".csv" && ext !== ".json") return { error: `"${source}" must end in .csv or .json` };
  try {
    return { bytes: readFileSync(source), format: ext === ".csv" ? "csv" : "json", baseDir: dirname(resolve(source)) };
  } catch (err) {
    return { error: `cannot read "${source}": ${(err as Error).message}` };
  }
}

/** Strict UTF-8 decoding without the BOM; undefined when the bytes are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parses CSV (header row, RFC 4180 quoting, LF or CRLF, optional BOM) into raw records with their lines. */
function readCsvRecords(bytes: Uint8Array): Loaded {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, errors: [fileError("the file is not valid UTF-8")] };
  if (text.includes("\r") && !text.includes("\n")) {
    return { ok: false, errors: [fileError("line breaks must be LF or CRLF (this file uses CR only)")] };
  }
  let rows: { record: string[]; info: { bytes: number } }[];
  try {
    rows = parseCsv(Buffer.from(bytes), {
      bom: true,
      info: true,
      record_delimiter: ["\r\n", "\n"],
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof rows; // with `info: true` each record is { record, info }
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return { ok: false, errors: [{ line, field: "file", message: `malformed CSV: ${(err as Error).message}` }] };
  }
  if (rows.length === 0) return { ok: true, records: [] };
  const lines = startLines(bytes, rows);
  const header = readHeader(rows[0].record);
  if (!header.ok) return header;
  const records = rows.slice(1).map((row, i) => csvRecord(header.columns, row.record, lines[i + 1]));
  const errors = records.filter((r): r is InvoiceRowError => "message" in r);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, records: records as RawRecord[] };
}

/**
 * The physical line each CSV record starts on. csv-parse reports where a record ends (`info.bytes`,
 * the offset after its line break); the next record starts after any blank lines that follow.
 * Counting LF bytes ourselves keeps quoted multi-line fields and CRLF right.
 */
function startLines(bytes: Uint8Array, rows: { info: { bytes: number } }[]): number[] {
  const result: number[] = [];
  let line = 1;
  let pos = 0;
  for (const row of rows) {
    while (pos < bytes.length && (bytes[pos] === 0x0a || bytes[pos] === 0x0d)) {
      if (bytes[pos] === 0x0a) line++;
      pos++;
    }
    result.push(line);
    for (; pos < row.info.bytes && pos < bytes.length; pos++) if (bytes[pos] === 0x0a) line++;
  }
  return result;
}

/** Checks the header row: known, unique, complete column names (case and surrounding spaces ignored). */
function readHeader(cells: string[]): { ok: true; columns: string[] } | { ok: false; errors: InvoiceRowError[] } {
  const columns = cells.map((c) => c.trim().toLowerCase());
  const errors: InvoiceRowError[] = [];
  const known = new Set<string>(INVOICE_FIELDS);
  columns.forEach((c, i) => {
    if (!known.has(c)) errors.push({ line: 1, field: c || `column ${i + 1}`, message: `unknown column "${cells[i]}"` });
    else if (columns.indexOf(c) !== i) errors.push({ line: 1, field: c, message: `column "${c}" appears twice` });
  });
  for (const f of INVOICE_FIELDS) {
    if (f !== "document" && !columns.includes(f)) errors.push({ line: 1, field: f, message: "column is missing" });
  }
  if (errors.length > 0) {
    const expected = INVOICE_FIELDS.join(",");
    return { ok: false, errors: errors.map((e) => ({ ...e, message: `${e.message} (header: ${expected})` })) };
  }
  return { ok: true, columns };
}

/** Maps one CSV row onto the header's columns; a row with the wrong number of fields is an error. */
function csvRecord(columns: string[], cells: string[], line: number): RawRecord | InvoiceRowError {
  if (cells.length !== columns.length) {
    return { line, field: "row", message: `has ${cells.length} fields; the header has ${columns.length}` };
  }
  const values: Record<string, unknown> = {};
  columns.forEach((c, i) => (values[c] = cells[i]));
  return { line, values };
}

/** Parses a JSON array of records; record i is on "line" i + 1. */
function readJsonRecords(bytes: Uint8Array): Loaded {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, errors: [fileError("the file is not valid UTF-8")] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [fileError(`not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(data)) return { ok: false, errors: [fileError("must be a JSON array of invoice records")] };
  const errors: InvoiceRowError[] = [];
  const records: RawRecord[] = [];
  data.forEach((item: unknown, i) => {
    if (typeof item === "object" && item !== null && !Array.isArray(item)) {
      records.push({ line: i + 1, values: item as Record<string, unknown> });
    } else errors.push({ line: i + 1, field: "row", message: "must be an object with the invoice fields" });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}

/** Turns zod issues into row errors: one per field (unknown fields are named one by one). */
function issuesToErrors(line: number, issues: z.core.$ZodIssue[]): InvoiceRowError[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ line, field: k, message: `unknown field "${k}"` }));
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : "row";
    return [{ line, field, message: issue.message }];
  });
}

/** Resolves `documentPath` against `baseDir` in place; returns an error when it must exist and does not. */
function resolveDocument(invoice: NormalisedInvoice, baseDir: string, check: boolean): InvoiceRowError | undefined {
  if (!invoice.documentPath) return undefined;
  const written = invoice.documentPath;
  invoice.documentPath = resolve(baseDir, written);
  if (!check) return undefined;
  try {
    if (statSync(invoice.documentPath).isFile()) return undefined;
  } catch {
    // fall through: missing or unreadable
  }
  return {
    line: invoice.line,
    field: "document",
    message: `document "${written}" not found at ${invoice.documentPath}`,
  };
}

/** Errors for invoices whose canonical number and buyer repeat an earlier line of the same file. */
function findDuplicates(invoices: NormalisedInvoice[]): InvoiceRowError[] {
  const firstLine = new Map<string, number>();
  const errors: InvoiceRowError[] = [];
  for (const inv of invoices) {
    const key = `${inv.buyerRef}\u0000${inv.invoiceNumber}`;
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, inv.line);
    else {
      const message = `invoice ${inv.invoiceNumber} to ${inv.buyerRef} already appears on line ${first}`;
      errors.push({ line: inv.line, field: "invoice_number", message });
    }
  }
  return errors;
}

/** Orders errors by line, then by the field's position in a record. */
function sortErrors(errors: InvoiceRowError[]): InvoiceRowError[] {
  const rank = (f: string) => {
    const i = (INVOICE_FIELDS as readonly string[]).indexOf(f);
    return i < 0 ? -1 : i;
  };
  return [...errors].sort((a, b) => a.line - b.line || rank(a.field) - rank(b.field));
}
