import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Role } from "../../src/pure/ids";
import { ENTITIES } from "../shared/fixtures";
import { EXTRA_ENTITIES, REASON, invoiceInput, keyOf, registryFixture } from "../shared/receivables";

const MAX_BATCH = 50n;

describe("ReceivableRegistry.submitBatch", () => {
  describe("submitBatch", () => {
    it("mints several receivables with consecutive ids and counts them for the seller", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const inputs = [
        await invoiceInput(usdAddress, { number: "B-1" }),
        await invoiceInput(usdAddress, { number: "B-2", amount: 5n }),
        await invoiceInput(usdAddress, { number: "B-3", buyerEntityId: EXTRA_ENTITIES.otherBuyer }),
      ];
      const before = await lens.totalMinted();
      const firstId = await receivables.connect(supplier).submitBatch.staticCall(inputs);
      expect(firstId).to.equal(before + 1n);
      const tx = receivables.connect(supplier).submitBatch(inputs);
      for (let i = 0; i < inputs.length; i++) {
        const id = firstId + BigInt(i);
        await expect(tx)
          .to.emit(receivables, "ReceivableSubmitted")
          .withArgs(
            id,
            keyOf(inputs[i]),
            ENTITIES.supplier,
            inputs[i].buyerEntityId,
            usdAddress,
            inputs[i].amount,
            inputs[i].issueDate,
            inputs[i].dueDate,
            inputs[i].docHash,
          );
        await expect(tx).to.emit(receivables, "Transfer").withArgs(ethers.ZeroAddress, supplier.address, id);
      }
      expect(await lens.totalMinted()).to.equal(before + 3n);
      expect((await lens.receivable(firstId + 1n)).faceAmount).to.equal(5n);
      expect(await lens.receivableOfKey(keyOf(inputs[2]))).to.equal(firstId + 2n);
      expect((await lens.sellerRecord(ENTITIES.supplier)).submittedCount).to.equal(5n);
    });

    it("accepts exactly MAX_BATCH invoices", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const inputs = await Promise.all(
        Array.from({ length: Number(MAX_BATCH) }, (_, i) => invoiceInput(usdAddress, { number: `CAP-${i}` })),
      );
      const before = await lens.totalMinted();
      await receivables.connect(supplier).submitBatch(inputs);
      expect(await lens.totalMinted()).to.equal(before + MAX_BATCH);
      expect(await receivables.MAX_BATCH()).to.equal(MAX_BATCH);
    });

    it("rejects an empty batch", async () => {
      const { receivables, supplier } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).submitBatch([]))
        .to.be.revertedWithCustomError(receivables, "ReceivableBatchSize")
        .withArgs(0, MAX_BATCH);
    });

    it("rejects a batch over the cap and mints nothing", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const inputs = await Promise.all(
        Array.from({ length: Number(MAX_BATCH) + 1 }, (_, i) => invoiceInput(usdAddress, { number: `OVER-${i}` })),
      );
      const before = await lens.totalMinted();
      await expect(receivables.connect(supplier).submitBatch(inputs))
        .to.be.revertedWithCustomError(receivables, "ReceivableBatchSize")
        .withArgs(MAX_BATCH + 1n, MAX_BATCH);
      expect(await lens.totalMinted()).to.equal(before);
      expect(await receivables.invoiceKeyUsed(keyOf(inputs[0]))).to.equal(false);
    });

    it("rejects a key repeated inside the batch and mints nothing", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const a = await invoiceInput(usdAddress, { number: "DUP-1" });
      const b = await invoiceInput(usdAddress, { number: "DUP-2" });
      const again = await invoiceInput(usdAddress, { number: "DUP-1", amount: 7n });
      const before = await lens.totalMinted();
      await expect(receivables.connect(supplier).submitBatch([a, b, again]))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(a), before + 1n);
      expect(await lens.totalMinted()).to.equal(before);
      expect(await receivables.invoiceKeyUsed(keyOf(a))).to.equal(false);
      expect(await receivables.balanceOf(supplier.address)).to.equal(2n);
    });

    it("rejects a batch holding a key already used on chain", async () => {
      const { receivables, lens, supplier, usdAddress, submittedId } = await loadFixture(registryFixture);
      const fresh = await invoiceInput(usdAddress, { number: "FRESH-1" });
      const used = await invoiceInput(usdAddress, { number: "INV-001" });
      const before = await lens.totalMinted();
      await expect(receivables.connect(supplier).submitBatch([fresh, used]))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(used), submittedId);
      expect(await lens.totalMinted()).to.equal(before);
    });

    it("rejects the whole batch when one item has a zero amount and mints nothing", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const good = await invoiceInput(usdAddress, { number: "GOOD-1" });
      const bad = await invoiceInput(usdAddress, { number: "BAD-1", amount: 0n });
      const before = await lens.totalMinted();
      await expect(receivables.connect(supplier).submitBatch([good, bad])).to.be.revertedWithCustomError(
        receivables,
        "ReceivableZeroAmount",
      );
      expect(await lens.totalMinted()).to.equal(before);
      expect(await receivables.invoiceKeyUsed(keyOf(good))).to.equal(false);
      expect((await lens.sellerRecord(ENTITIES.supplier)).submittedCount).to.equal(2n);
    });

    it("bubbles up the participant check of a later item", async () => {
      const { participants, receivables, onboarder, supplier, usdAddress } = await loadFixture(registryFixture);
      await participants.connect(onboarder).suspend(EXTRA_ENTITIES.otherBuyer, REASON);
      const good = await invoiceInput(usdAddress, { number: "GOOD-2" });
      const bad = await invoiceInput(usdAddress, { number: "BAD-2", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      await expect(receivables.connect(supplier).submitBatch([good, bad]))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(EXTRA_ENTITIES.otherBuyer, Role.BUYER);
    });
  });
});
