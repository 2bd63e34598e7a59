import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbiCoder, ZeroHash, keccak256, toBeHex } from "ethers";
import { artifacts, network } from "hardhat";
import type { ReceivableRegistry } from "../../typechain-types";
import { onboardedFixture, ENTITIES, DAY } from "../shared/fixtures";
import {
  KEYS_PER_CALL,
  KEY_TO_ID_SLOT,
  MAX_BATCH_SIZE,
  SaltStore,
  checkBatchSize,
  chunk,
  keyToIdSlot,
  planBatch,
  receivableIdsOfKeys,
  submitInvoices,
} from "../../src/chain/batch";
import { invoiceKey, parseInvoiceFile, toInvoiceInput, type NormalisedInvoice } from "../../src/pure/invoice";

/** n valid invoices from the shared supplier to the shared buyer, parsed from CSV like a user's file. */
async function invoices(n: number, usd: string, document?: string): Promise<NormalisedInvoice[]> {
  const now = await time.latest();
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  const rows = ["invoice_number,buyer_id,currency,amount,issue_date,due_date,document"];
  for (let i = 0; i < n; i++) {
    rows.push(
      `INV-${i},LEI:BUYER000000000000000001,tUSD,${1000 + i}.25,${day(now - DAY)},${day(now + 60 * DAY)},${document ?? ""}`,
    );
  }
  const parsed = parseInvoiceFile(
    { content: rows.join("\n"), format: "csv", baseDir: "/" },
    { currencies: { tUSD: { address: usd, decimals: 6 } }, now },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.invoices;
}

async function setup() {
  const f = await onboardedFixture();
  return { ...f, usdAddress: await f.usd.getAddress(), bySupplier: f.receivables.connect(f.supplier) };
}

describe("Batch submission engine", () => {
  it("splits work into chunks of at most the batch size and refuses sizes outside 1..50", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(checkBatchSize(MAX_BATCH_SIZE)).to.equal(50);
    expect(() => checkBatchSize(0)).to.throw("from 1 to 50");
    expect(() => checkBatchSize(51)).to.throw("from 1 to 50");
  });

  it("submits every invoice once, in chunks, with ids and gas in the summary", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(23, f.usdAddress);
    const progress: number[] = [];
    const summary = await submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 10,
      onProgress: (p) => {
        progress.push(p.done);
      },
    });
    expect(summary.submitted.length).to.equal(23);
    expect(summary.skipped.length).to.equal(0);
    expect(summary.transactions.map((t) => t.count)).to.deep.equal([10, 10, 3]);
    expect(progress).to.deep.equal([10, 20, 23]);
    expect(await f.lens.totalMinted()).to.equal(23n);
    expect(summary.gasUsed).to.equal(summary.transactions.reduce((s, t) => s + t.gasUsed, 0n));
    expect(summary.gasPerInvoice).to.equal(summary.gasUsed / 23n);
    for (const p of summary.submitted) expect(await f.lens.receivableOfKey(p.key)).to.equal(p.id);
  });

  it("resumes after a crash mid-way: a re-run skips what landed and ends with every invoice on chain exactly once", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(30, f.usdAddress);
    let chunks = 0;
    const crash = submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 10,
      onProgress: () => {
        if (++chunks === 2) throw new Error("killed");
      },
    });
    const error = await crash.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal("killed");
    expect(await f.lens.totalMinted()).to.equal(20n);

    const rerun = await submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 10,
    });
    expect(rerun.skipped.length).to.equal(20);
    expect(rerun.submitted.length).to.equal(10);
    expect(await f.lens.totalMinted()).to.equal(30n);
    const plan = await planBatch(f.receivables, ENTITIES.supplier, list);
    expect(plan.pending).to.have.length(0);
    expect(new Set(plan.onChain.map((p) => p.id)).size).to.equal(30);
  });

  it("plans a batch with one extSloads call that finds the same ids as the lens, 0 for a key not on chain", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(40, f.usdAddress);
    await submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list.slice(0, 25),
      batchSize: 25,
    });
    const slotsPerCall: number[] = [];
    const counting = {
      extSloads: (async (slots: string[]) => {
        slotsPerCall.push(slots.length);
        return f.receivables.extSloads(slots);
      }) as unknown as ReceivableRegistry["extSloads"],
    };
    const plan = await planBatch(counting, ENTITIES.supplier, list);
    expect(slotsPerCall).to.deep.equal([40]);
    expect(plan.onChain.map((p) => p.invoice.line)).to.deep.equal(list.slice(0, 25).map((i) => i.line));
    expect(plan.pending.map((p) => p.invoice.line)).to.deep.equal(list.slice(25).map((i) => i.line));
    for (const p of [...plan.onChain, ...plan.pending]) {
      expect(p.id, p.invoice.invoiceNumber).to.equal(await f.lens.receivableOfKey(p.key));
    }
    expect(await receivableIdsOfKeys(f.receivables, [ZeroHash])).to.deep.equal([0n]);
  });

  it("reads more keys than one call takes in slices of KEYS_PER_CALL", async () => {
    const f = await loadFixture(setup);
    const slotsPerCall: number[] = [];
    const counting = {
      extSloads: (async (slots: string[]) => {
        slotsPerCall.push(slots.length);
        return f.receivables.extSloads(slots);
      }) as unknown as ReceivableRegistry["extSloads"],
    };
    const keys = Array.from({ length: KEYS_PER_CALL + 3 }, (_, i) => keccak256(toBeHex(i + 1, 32)));
    const ids = await receivableIdsOfKeys(counting, keys);
    expect(slotsPerCall).to.deep.equal([KEYS_PER_CALL, 3]);
    expect(ids).to.have.length(KEYS_PER_CALL + 3);
    expect(ids.every((id) => id === 0n)).to.equal(true);
  });

  it("reads the slot the compiler gives ReceivableRegistry's invoiceKey → id mapping", async () => {
    const info = await artifacts.getBuildInfo("contracts/ReceivableRegistry.sol:ReceivableRegistry");
    const layout = (
      info!.output.contracts["contracts/ReceivableRegistry.sol"].ReceivableRegistry as unknown as {
        storageLayout: { storage: { label: string; slot: string }[] };
      }
    ).storageLayout;
    const entry = layout.storage.find((e) => e.label === "_keyToId");
    expect(entry, "_keyToId in the storage layout").to.not.equal(undefined);
    expect(BigInt(entry!.slot)).to.equal(KEY_TO_ID_SLOT);
    expect(keyToIdSlot(ZeroHash)).to.equal(
      keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [ZeroHash, KEY_TO_ID_SLOT])),
    );
  });

  it("re-plans a chunk that loses a race on one of its keys instead of failing", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(6, f.usdAddress);
    let raced = false;
    const summary = await submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 6,
      beforeChunk: async (part) => {
        if (raced) return;
        raced = true; // another process lands invoice 3 between planning and sending
        await (await f.receivables.connect(f.supplier2).submit({ ...toInvoiceInput(part[3].invoice) })).wait();
      },
    });
    expect(summary.skipped.map((p) => p.invoice.invoiceNumber)).to.deep.equal(["INV-3"]);
    expect(summary.submitted).to.have.length(5);
    expect(await f.lens.totalMinted()).to.equal(6n);
  });

  it("re-plans a chunk mined in the same block as a killed run's pending copy (a receipt with no revert data)", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(4, f.usdAddress);
    let raced = false;
    const summary = await submitInvoices({
      receivables: f.bySupplier,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 4,
      beforeChunk: async (part) => {
        if (raced) return;
        raced = true;
        // A transaction left pending in the mempool lands invoice 2 in the block that also carries this chunk,
        // ahead of it: estimation passes, then the chunk reverts on chain.
        await network.provider.send("evm_setAutomine", [false]);
        await f.receivables.connect(f.supplier2).submit({ ...toInvoiceInput(part[2].invoice) });
        setTimeout(() => {
          void network.provider.send("evm_mine", []).then(() => network.provider.send("evm_setAutomine", [true]));
        }, 300);
      },
    });
    expect(summary.skipped.map((p) => p.invoice.invoiceNumber)).to.deep.equal(["INV-2"]);
    expect(summary.submitted).to.have.length(3);
    expect(await f.lens.totalMinted()).to.equal(4n);
  });

  it("re-plans a chunk whose gas estimate meets a key held by a pending transaction, and confirms it landed", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(4, f.usdAddress);
    const key2 = invoiceKey(ENTITIES.supplier, list[2].buyerEntityId, list[2].invoiceNumberHash);
    let estimates = 0;
    // As on a node after a killed run: its last transaction (here invoice 2, from the seller's other wallet)
    // waits in the mempool, so the latest block does not have the key but the gas estimate (made at the pending
    // block) reverts with ReceivableInvoiceKeyUsed before anything is sent.
    const racing = {
      interface: f.bySupplier.interface,
      extSloads: (slots: string[], overrides?: { blockTag?: string }) => f.bySupplier.extSloads(slots, overrides ?? {}),
      submitBatch: async (inputs: unknown[]) => {
        if (estimates++ === 0) {
          await network.provider.send("evm_setAutomine", [false]);
          await f.receivables.connect(f.supplier2).submit({ ...toInvoiceInput(list[2]) });
          const data = f.receivables.interface.encodeErrorResult("ReceivableInvoiceKeyUsed", [key2, 3n]);
          throw Object.assign(new Error("execution reverted (estimateGas)"), { code: "CALL_EXCEPTION", data });
        }
        await network.provider.send("evm_setAutomine", [true]); // the next block carries both transactions
        return f.bySupplier.submitBatch(inputs as Parameters<typeof f.bySupplier.submitBatch>[0]);
      },
    } as unknown as ReceivableRegistry;
    const summary = await submitInvoices({
      receivables: racing,
      sellerEntityId: ENTITIES.supplier,
      invoices: list,
      batchSize: 4,
    }).finally(() => network.provider.send("evm_setAutomine", [true])); // never leave the next test without blocks
    expect(summary.skipped.map((p) => p.invoice.invoiceNumber)).to.deep.equal(["INV-2"]);
    expect(summary.submitted.map((p) => p.invoice.invoiceNumber)).to.deep.equal(["INV-0", "INV-1", "INV-3"]);
    expect(await f.lens.totalMinted()).to.equal(4n);
    expect(await f.lens.receivableOfKey(key2)).to.not.equal(0n);
  });

  it("propagates any other revert unchanged", async () => {
    const f = await loadFixture(setup);
    const list = await invoices(2, f.usdAddress);
    await f.participants.connect(f.onboarder).suspend(ENTITIES.supplier, ZeroHash);
    await expect(
      submitInvoices({ receivables: f.bySupplier, sellerEntityId: ENTITIES.supplier, invoices: list }),
    ).to.be.revertedWithCustomError(f.participants, "ParticipantNotActive");
  });

  it("keeps one salt per document across runs and saves it before sending", async () => {
    const f = await loadFixture(setup);
    const dir = mkdtempSync(join(tmpdir(), "tradefin-salts-"));
    try {
      const doc = join(dir, "inv.xml");
      writeFileSync(doc, "<invoice/>");
      const list = await invoices(2, f.usdAddress, doc);
      const path = join(dir, "salts.json");
      const summary = await submitInvoices({
        receivables: f.bySupplier,
        sellerEntityId: ENTITIES.supplier,
        invoices: list,
        salts: new SaltStore(path),
      });
      const reloaded = new SaltStore(path);
      for (const p of summary.submitted) {
        const record = reloaded.get(p.key);
        expect(record?.document).to.equal(doc);
        expect((await f.lens.receivable(p.id)).docHash).to.equal(record?.docHash);
        expect(reloaded.docHashFor(p.key, p.invoice)).to.equal(record?.docHash);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
