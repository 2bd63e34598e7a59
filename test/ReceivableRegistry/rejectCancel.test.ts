import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES } from "../shared/fixtures";
import { REASON, SUBMITTED_KEY, Status, registryFixture } from "../shared/receivables";

describe("ReceivableRegistry.rejectCancel", () => {
  describe("reject", () => {
    it("lets the buyer reject a submitted receivable, keeps the key used and counts it for the seller", async () => {
      const { receivables, lens, buyer, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).reject(submittedId, REASON))
        .to.emit(receivables, "ReceivableRejected")
        .withArgs(submittedId, buyer.address, REASON);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Rejected);
      expect(await receivables.invoiceKeyUsed(SUBMITTED_KEY)).to.equal(true);
      const record = await lens.sellerRecord(ENTITIES.supplier);
      expect(record.submittedCount).to.equal(2n);
      expect(record.rejectedCount).to.equal(1n);
      expect(record.cancelledCount).to.equal(0n);
      expect((await lens.buyerRecord(ENTITIES.buyer)).acknowledgedCount).to.equal(1n);
    });

    it("rejects a caller that is not a buyer wallet of the receivable", async () => {
      const { receivables, supplier, otherBuyer, submittedId } = await loadFixture(registryFixture);
      for (const caller of [supplier, otherBuyer]) {
        await expect(receivables.connect(caller).reject(submittedId, REASON))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyer")
          .withArgs(submittedId, caller.address);
      }
    });

    it("cannot reject an acknowledged receivable or an unknown id", async () => {
      const { receivables, buyer, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).reject(acknowledgedId, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
      await expect(receivables.connect(buyer).reject(999, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
    });
  });

  describe("cancel", () => {
    it("lets the seller cancel a submitted receivable, keeps the key used and counts it", async () => {
      const { receivables, lens, supplier, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).cancel(submittedId))
        .to.emit(receivables, "ReceivableCancelled")
        .withArgs(submittedId, supplier.address);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Cancelled);
      expect(await lens.receivableOfKey(SUBMITTED_KEY)).to.equal(submittedId);
      const record = await lens.sellerRecord(ENTITIES.supplier);
      expect(record.cancelledCount).to.equal(1n);
      expect(record.rejectedCount).to.equal(0n);
    });

    it("lets another wallet of the seller entity cancel", async () => {
      const { receivables, supplier2, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier2).cancel(submittedId))
        .to.emit(receivables, "ReceivableCancelled")
        .withArgs(submittedId, supplier2.address);
    });

    it("rejects a caller outside the seller entity", async () => {
      const { receivables, buyer, bank, outsider, dual, submittedId } = await loadFixture(registryFixture);
      for (const caller of [buyer, bank, outsider, dual]) {
        await expect(receivables.connect(caller).cancel(submittedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotSeller")
          .withArgs(submittedId, caller.address);
      }
    });

    it("cannot cancel an acknowledged or rejected receivable", async () => {
      const { receivables, supplier, buyer, submittedId, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).cancel(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
      await receivables.connect(buyer).reject(submittedId, REASON);
      await expect(receivables.connect(supplier).cancel(submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Rejected);
    });
  });
});
