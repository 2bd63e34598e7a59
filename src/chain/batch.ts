/**
 * Resumable batch submission of invoices.
 *
 * The file is validated by the caller first (parseInvoiceFile): nothing is sent unless every row is good.
 * Then each invoice's key (seller entity, buyer entity, invoice number hash) is computed exactly as the
 * registry computes it, and every invoice whose key is already on chain is skipped. All the keys are read in
 * one call, the registry's `extSloads` over the `invoiceKey → id` mapping (ReceivableSlots.KEY_TO_ID_SLOT),
 * in slices of {@link KEYS_PER_CALL}, instead of one `receivableOfKey` call per invoice. That is what makes a re-run after a crash or a kill resume without duplicates: the registry
 * never accepts a key twice, and the engine never sends one it can see. The rest goes out with
 * `submitBatch` in chunks. A chunk that races another submission of one of its keys (a transaction of
 * the killed run still pending, say) reverts as a whole with ReceivableInvoiceKeyUsed, on chain or already
 * when its gas is estimated (nodes estimate against the pending block, mempool included); the engine then
 * re-reads the chunk's keys, at the latest block and, when none landed there, at the pending block, drops those
 * taken and sends the remainder. Keys taken only by a pending transaction are confirmed at the end: the run
 * waits until they are on chain (a killed run's transaction from the same wallet has a lower nonce, so it is
 * mined before this run's next one) and fails, naming the lines, if they never arrive.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { AbiCoder, ZeroHash, keccak256, type ContractTransactionReceipt } from "ethers";
import type { ReceivableRegistry } from "../../typechain-types";
import { decodeError } from "../pure/errors";
import { eventsIn } from "../pure/events";
import { invoiceDocHash, invoiceKey, randomSalt, toInvoiceInput, type NormalisedInvoice } from "../pure/invoice";
import { TradeFinError } from "../pure/tradeFinError";

/** Default invoices per submitBatch transaction. */
export const DEFAULT_BATCH_SIZE = 25;
/** The registry's cap (ReceivableRegistry.MAX_BATCH). */
export const MAX_BATCH_SIZE = 50;
/**
 * The storage slot of ReceivableRegistry's `_keyToId` mapping (invoice key → receivable id), as
 * contracts/libraries/ReceivableSlots.sol `KEY_TO_ID_SLOT`; test/tasks/batch.test.ts compares it with the
 * compiler's storage layout.
 */
export const KEY_TO_ID_SLOT = 2n;
/**
 * Keys read per `extSloads` call: each is one cold SLOAD (2,100 gas), so a slice costs about 2.3 M gas
 * of an eth_call, far below any node's cap, and a 1,000-invoice file is planned in one call.
 */
export const KEYS_PER_CALL = 1_000;
/** Times a chunk is re-planned after losing a race on one of its keys. */
const MAX_CHUNK_RETRIES = 3;
/** How long the run waits at its end for keys a pending transaction took to be mined. */
const PENDING_WAIT_MS = 30_000;
/** Block a key read is made at: the latest block, or the pending one (the node's mempool included). */
export type KeyReadBlock = "latest" | "pending";

/** Raised for bad options; chain errors propagate as they are (decode them with decodeError). */
export class BatchError extends TradeFinError {
  override name = "BatchError";
}

/** Checks a batch size: an integer from 1 to 50. */
export function checkBatchSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new BatchError(`--batch-size must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${size}`);
  }
  return size;
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  checkBatchSize(size);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ------------------------------------------------------------------- salts

/** The salt behind one invoice's docHash: keep it with the document to prove it later. */
export interface SaltRecord {
  invoiceNumber: string;
  buyer: string;
  document: string;
  salt: string;
  docHash: string;
}

/**
 * Salts of document hashes, by invoice key, kept in a JSON file next to the invoice file. A re-run reuses
 * the salt of an invoice it already hashed, and the file is saved before a chunk is sent, so a salt is
 * never lost for an invoice that reaches the chain.
 */
export class SaltStore {
  private readonly records: Record<string, SaltRecord>;
  private dirty = false;

  constructor(readonly path: string | undefined) {
    this.records =
      path && existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, SaltRecord>) : {};
  }

  /** The docHash of `invoice` under key `key`: ZeroHash without document, else salted (salt reused if known). */
  docHashFor(key: string, invoice: NormalisedInvoice): string {
    if (!invoice.documentPath) return ZeroHash;
    const known = this.records[key];
    const salt = known?.salt ?? randomSalt();
    const hash = invoiceDocHash(invoice, salt);
    if (!known || known.docHash !== hash) {
      this.records[key] = {
        invoiceNumber: invoice.invoiceNumber,
        buyer: invoice.buyerRef,
        document: invoice.documentPath,
        salt,
        docHash: hash,
      };
      this.dirty = true;
    }
    return hash;
  }

  /** The record of a key, if any. */
  get(key: string): SaltRecord | undefined {
    return this.records[key];
  }

  /** Writes the file when something changed (atomically). */
  save(): void {
    if (!this.dirty || !this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.records, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.dirty = false;
  }
}

// ------------------------------------------------------------------ engine

/** One invoice with its key, and its receivable id once known. */
export interface PlannedInvoice {
  invoice: NormalisedInvoice;
  key: string;
  /** The receivable id (0 while not on chain). */
  id: bigint;
}

/** What `planBatch` found. */
export interface BatchPlan {
  /** Invoices whose key is already on chain, with their ids. */
  onChain: PlannedInvoice[];
  /** Invoices to send, in file order. */
  pending: PlannedInvoice[];
}

/** Progress after each confirmed chunk. */
export interface BatchProgress {
  /** Invoices of the file now known to be on chain (skipped + submitted so far). */
  done: number;
  total: number;
  submitted: number;
  skipped: number;
}

/** One submitBatch transaction. */
export interface BatchTransaction {
  hash: string;
  count: number;
  gasUsed: bigint;
  firstId: bigint;
}

/** The result of a run. */
export interface BatchSummary {
  total: number;
  /** Submitted by this run. */
  submitted: PlannedInvoice[];
  /** Skipped because already on chain (before the run, or landed by a concurrent transaction). */
  skipped: PlannedInvoice[];
  transactions: BatchTransaction[];
  gasUsed: bigint;
  /** gasUsed / submitted (0 when nothing was sent). */
  gasPerInvoice: bigint;
  elapsedMs: number;
}

/** Options of {@link submitInvoices}. */
export interface BatchOptions {
  /** The registry, connected to an active SUPPLIER wallet of `sellerEntityId`. */
  receivables: ReceivableRegistry;
  /** The seller entity of the signer (the registry's entityOf(signer)). */
  sellerEntityId: string;
  /** Validated invoices (parseInvoiceFile). */
  invoices: readonly NormalisedInvoice[];
  /** Invoices per transaction (default 25, at most 50). */
  batchSize?: number;
  /** Where document salts are kept (needed when invoices name documents). */
  salts?: SaltStore;
  /** Called once the plan is known. */
  onPlan?: (plan: BatchPlan) => void | Promise<void>;
  /** Called after each confirmed chunk. */
  onProgress?: (progress: BatchProgress) => void | Promise<void>;
  /** Called just before a chunk is sent (tests use it to simulate races and crashes). */
  beforeChunk?: (chunk: readonly PlannedInvoice[]) => void | Promise<void>;
}

/** The storage slot holding the receivable id of `key` in ReceivableRegistry (Solidity mapping layout). */
export function keyToIdSlot(key: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [key, KEY_TO_ID_SLOT]));
}

/**
 * The receivable id of each invoice key (0 for a key never used), read from the registry's storage with
 * one `extSloads` call per {@link KEYS_PER_CALL} keys, all at the same block.
 */
export async function receivableIdsOfKeys(
  registry: Pick<ReceivableRegistry, "extSloads">,
  keys: readonly string[],
  blockTag: KeyReadBlock = "latest",
): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
    const slots = keys.slice(i, i + KEYS_PER_CALL).map(keyToIdSlot);
    const words = await registry.extSloads(slots, { blockTag });
    for (const word of words) ids.push(BigInt(word));
  }
  return ids;
}

/** Computes every invoice's key and reads, in one call, which are already on chain (at `blockTag`). */
export async function planBatch(
  registry: Pick<ReceivableRegistry, "extSloads">,
  sellerEntityId: string,
  invoices: readonly NormalisedInvoice[],
  blockTag: KeyReadBlock = "latest",
): Promise<BatchPlan> {
  const keys = invoices.map((invoice) => invoiceKey(sellerEntityId, invoice.buyerEntityId, invoice.invoiceNumberHash));
  const ids = await receivableIdsOfKeys(registry, keys, blockTag);
  const planned = invoices.map((invoice, i) => ({ invoice, key: keys[i], id: ids[i] }));
  return { onChain: planned.filter((p) => p.id !== 0n), pending: planned.filter((p) => p.id === 0n) };
}

/**
 * Waits (up to {@link PENDING_WAIT_MS}) until every invoice of `awaiting`, skipped because a pending transaction
 * held its key, is on chain at the latest block.
 *
 * @throws BatchError naming the lines still missing: re-running the file submits them.
 */
async function confirmLanded(
  registry: Pick<ReceivableRegistry, "extSloads">,
  sellerEntityId: string,
  awaiting: readonly PlannedInvoice[],
): Promise<void> {
  let missing = awaiting.map((p) => p.invoice);
  for (const deadline = Date.now() + PENDING_WAIT_MS; missing.length > 0;) {
    missing = (await planBatch(registry, sellerEntityId, missing)).pending.map((p) => p.invoice);
    if (missing.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (missing.length > 0) {
    throw new BatchError(
      `${missing.length} invoice(s) were skipped because a pending transaction held their keys, and it was not ` +
        `mined: lines ${missing.map((i) => i.line).join(", ")}; run the same file again to submit them`,
    );
  }
}

/** The ids minted in a receipt, by invoice key (from ReceivableSubmitted events). */
function mintedIds(receivables: ReceivableRegistry, receipt: ContractTransactionReceipt): Map<string, bigint> {
  const ids = new Map<string, bigint>();
  for (const e of eventsIn(receipt, receivables.interface, "ReceivableSubmitted")) {
    ids.set(String(e.args.invoiceKey), BigInt(e.args.id));
  }
  return ids;
}

/**
 * Submits every invoice not yet on chain, in chunks; resumable (see the module comment).
 *
 * @returns What was submitted, what was skipped, the transactions and their gas.
 * @throws The chain's error when a chunk fails for any reason other than a key that landed meanwhile.
 */
export async function submitInvoices(options: BatchOptions): Promise<BatchSummary> {
  const started = Date.now();
  const size = checkBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE);
  const { receivables, sellerEntityId } = options;
  const salts = options.salts ?? new SaltStore(undefined);
  const plan = await planBatch(receivables, sellerEntityId, options.invoices);
  await options.onPlan?.(plan);

  const total = options.invoices.length;
  const skipped = [...plan.onChain];
  /** Skipped because a pending transaction holds their keys: confirmed on chain before the run returns. */
  const awaiting: PlannedInvoice[] = [];
  const submitted: PlannedInvoice[] = [];
  const transactions: BatchTransaction[] = [];
  const progress = () => ({
    done: skipped.length + submitted.length,
    total,
    submitted: submitted.length,
    skipped: skipped.length,
  });

  for (let part of chunk(plan.pending, size)) {
    for (let attempt = 0; part.length > 0; attempt++) {
      const inputs = part.map((p) => toInvoiceInput(p.invoice, salts.docHashFor(p.key, p.invoice)));
      salts.save(); // before sending: a salt must outlive any crash once its hash may be on chain
      await options.beforeChunk?.(part);
      let receipt: ContractTransactionReceipt | null;
      try {
        receipt = await (await receivables.submitBatch(inputs)).wait();
      } catch (err) {
        if (attempt >= MAX_CHUNK_RETRIES) throw err;
        // Another transaction may have landed some of these keys (e.g. one left pending by a killed run and
        // mined in the same block as this chunk, whose receipt then carries no revert data): ask the chain,
        // not the error. Re-plan when it did; otherwise the failure is this chunk's own and is rethrown.
        const decoded = await decodeError(err);
        const raced = decoded !== undefined && ["ReceivableInvoiceKeyUsed", "EmptyRevert"].includes(decoded.name);
        if (!raced) throw err;
        const invoices = part.map((p) => p.invoice);
        let again = await planBatch(receivables, sellerEntityId, invoices);
        if (again.onChain.length === 0) {
          // Not on chain yet: a transaction in the mempool (which the gas estimate saw) may hold them.
          again = await planBatch(receivables, sellerEntityId, invoices, "pending");
          awaiting.push(...again.onChain);
        }
        if (again.onChain.length === 0) throw err;
        skipped.push(...again.onChain);
        part = again.pending;
        continue;
      }
      if (!receipt) throw new BatchError("the node returned no receipt for a submitBatch transaction");
      const ids = mintedIds(receivables, receipt);
      for (const p of part) {
        const id = ids.get(p.key);
        if (id === undefined) throw new BatchError(`no ReceivableSubmitted event for line ${p.invoice.line}`);
        submitted.push({ ...p, id });
      }
      transactions.push({
        hash: receipt.hash,
        count: part.length,
        gasUsed: receipt.gasUsed,
        firstId: submitted[submitted.length - part.length].id,
      });
      break;
    }
    await options.onProgress?.(progress());
  }

  await confirmLanded(receivables, sellerEntityId, awaiting);
  const gasUsed = transactions.reduce((sum, t) => sum + t.gasUsed, 0n);
  return {
    total,
    submitted,
    skipped,
    transactions,
    gasUsed,
    gasPerInvoice: submitted.length > 0 ? gasUsed / BigInt(submitted.length) : 0n,
    elapsedMs: Date.now() - started,
  };
}
