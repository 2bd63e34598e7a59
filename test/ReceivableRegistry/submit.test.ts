import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Role } from "../../src/pure/ids";
import { DAY, ENTITIES } from "../shared/fixtures";
import {
  EXTRA_ENTITIES,
  FACE,
  MAX_6_DECIMALS,
  MAX_UINT96,
  REASON,
  Status,
  invoiceInput,
  invoiceKey,
  keyOf,
  numberHash,
  registryFixture,
  submit,
} from "../shared/receivables";

describe("ReceivableRegistry.submit", () => {
  describe("submit", () => {
    it("mints the receivable to the submitting wallet and stores every field of the invoice", async () => {
      const { participants, receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-200" });
      const id = await submit(receivables, supplier, input);
      const r = await lens.receivable(id);
      expect(r.currency).to.equal(usdAddress);
      expect(r.sellerIndex).to.equal((await participants.entity(ENTITIES.supplier)).index);
      expect(r.buyerIndex).to.equal((await participants.entity(ENTITIES.buyer)).index);
      expect(r.status).to.equal(Status.Submitted);
      expect(r.frozen).to.equal(false);
      expect(r.depth).to.equal(0n);
      expect(r.decimals).to.equal(6n);
      expect(r.faceAmount).to.equal(FACE);
      expect(r.paidAmount).to.equal(0n);
      expect(r.issueDate).to.equal(BigInt(input.issueDate));
      expect(r.dueDate).to.equal(BigInt(input.dueDate));
      expect(r.docHash).to.equal(input.docHash);
      expect(await receivables.ownerOf(id)).to.equal(supplier.address);
      expect(await lens.totalMinted()).to.equal(id);
      expect(await receivables.outstandingOf(id)).to.equal(FACE);
      expect(await lens.parentOf(id)).to.equal(0n);
      expect(await receivables.rootOf(id)).to.equal(id);
    });

    it("emits ReceivableSubmitted with the invoice key and docHash, and an ERC-721 Transfer from zero", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-201" });
      const id = (await lens.totalMinted()) + 1n;
      const tx = receivables.connect(supplier).submit(input);
      await expect(tx)
        .to.emit(receivables, "ReceivableSubmitted")
        .withArgs(
          id,
          keyOf(input),
          ENTITIES.supplier,
          ENTITIES.buyer,
          usdAddress,
          FACE,
          input.issueDate,
          input.dueDate,
          input.docHash,
        );
      await expect(tx).to.emit(receivables, "Transfer").withArgs(ethers.ZeroAddress, supplier.address, id);
    });

    it("counts the submission in the seller entity's record", async () => {
      const { receivables, lens, supplier2, usdAddress } = await loadFixture(registryFixture);
      expect((await lens.sellerRecord(ENTITIES.supplier)).submittedCount).to.equal(2n);
      await submit(receivables, supplier2, await invoiceInput(usdAddress, { number: "INV-202" }));
      const record = await lens.sellerRecord(ENTITIES.supplier);
      expect(record.submittedCount).to.equal(3n);
      expect(record.rejectedCount).to.equal(0n);
      expect(record.cancelledCount).to.equal(0n);
    });

    it("accepts an issue date equal to the block time and the largest amount a 6-decimal token may have", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      const max6 = MAX_6_DECIMALS;
      const input = await invoiceInput(usdAddress, { number: "INV-203", issueDate: t, amount: max6 });
      const id = await submit(receivables, supplier, input);
      expect((await lens.receivable(id)).faceAmount).to.equal(max6);
      expect((await lens.receivable(id)).issueDate).to.equal(BigInt(t));
    });

    it("rejects a zero amount", async () => {
      const { receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-204", amount: 0n });
      await expect(receivables.connect(supplier).submit(input)).to.be.revertedWithCustomError(
        receivables,
        "ReceivableZeroAmount",
      );
    });

    it("rejects an amount that does not fit uint96", async () => {
      const { receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-205", amount: MAX_UINT96 + 1n });
      // For a 6-decimal token the 18-decimal record (uint112) is the tighter bound.
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableAmountTooLarge")
        .withArgs(MAX_UINT96 + 1n, MAX_6_DECIMALS);
    });

    it("rejects an issue date in the future", async () => {
      const { receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const t = (await time.latest()) + 10;
      const input = await invoiceInput(usdAddress, { number: "INV-206", issueDate: t + 1, dueDate: t + 30 * DAY });
      await time.setNextBlockTimestamp(t);
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidDates")
        .withArgs(t + 1, t + 30 * DAY, t);
    });

    it("rejects a due date in the past", async () => {
      const { receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const t = (await time.latest()) + 10;
      const input = await invoiceInput(usdAddress, { number: "INV-207", issueDate: t - 2 * DAY, dueDate: t - DAY });
      await time.setNextBlockTimestamp(t);
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidDates")
        .withArgs(t - 2 * DAY, t - DAY, t);
    });

    it("rejects a due date equal to the block time", async () => {
      const { receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const t = (await time.latest()) + 10;
      const input = await invoiceInput(usdAddress, { number: "INV-208", issueDate: t - DAY, dueDate: t });
      await time.setNextBlockTimestamp(t);
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidDates")
        .withArgs(t - DAY, t, t);
    });

    it("rejects an invoice from an entity to itself even when it holds both SUPPLIER and BUYER", async () => {
      const { receivables, dual, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-209", buyerEntityId: EXTRA_ENTITIES.dual });
      await expect(receivables.connect(dual).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableSellerIsBuyer")
        .withArgs(EXTRA_ENTITIES.dual);
    });

    it("lets a SUPPLIER|BUYER entity submit to another buyer", async () => {
      const { receivables, lens, dual, usdAddress } = await loadFixture(registryFixture);
      const id = await submit(receivables, dual, await invoiceInput(usdAddress, { number: "INV-210" }));
      expect(await receivables.ownerOf(id)).to.equal(dual.address);
      expect((await lens.sellerRecord(EXTRA_ENTITIES.dual)).submittedCount).to.equal(1n);
    });

    it("bubbles up ParticipantNotActive for a wallet that is not an active supplier", async () => {
      const { participants, receivables, buyer, outsider, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-211", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      await expect(receivables.connect(buyer).submit(input))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(buyer.address, Role.SUPPLIER);
      await expect(receivables.connect(outsider).submit(input))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
    });

    // The participant registry's refusals of the seller or the buyer entity, bubbled up unchanged.
    const refusals = [
      {
        title: "bubbles up ParticipantNotActive for a suspended supplier",
        suspend: ENTITIES.supplier,
        overrides: { number: "INV-212" },
        error: "ParticipantNotActive",
        args: (supplier: string) => [supplier, Role.SUPPLIER],
      },
      {
        title: "bubbles up ParticipantEntityNotActive for a suspended buyer",
        suspend: ENTITIES.buyer,
        overrides: { number: "INV-213" },
        error: "ParticipantEntityNotActive",
        args: () => [ENTITIES.buyer, Role.BUYER],
      },
      {
        title: "bubbles up ParticipantEntityNotActive for a buyer entity that is not a BUYER",
        overrides: { number: "INV-214", buyerEntityId: ENTITIES.bank },
        error: "ParticipantEntityNotActive",
        args: () => [ENTITIES.bank, Role.BUYER],
      },
    ];
    for (const { title, suspend, overrides, error, args } of refusals) {
      it(title, async () => {
        const { participants, receivables, onboarder, supplier, usdAddress } = await loadFixture(registryFixture);
        if (suspend) await participants.connect(onboarder).suspend(suspend, REASON);
        const input = await invoiceInput(usdAddress, overrides);
        await expect(receivables.connect(supplier).submit(input))
          .to.be.revertedWithCustomError(participants, error)
          .withArgs(...args(supplier.address));
      });
    }

    it("bubbles up ParticipantCurrencyNotAllowed for a token outside the allowlist", async () => {
      const { participants, receivables, supplier } = await loadFixture(registryFixture);
      const other = await ethers.deployContract("MockStablecoin", ["Other USD", "oUSD", 6]);
      const otherAddress = await other.getAddress();
      const input = await invoiceInput(otherAddress, { number: "INV-215" });
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(participants, "ParticipantCurrencyNotAllowed")
        .withArgs(otherAddress);
    });
  });

  describe("invoice key and double financing", () => {
    it("derives the key as keccak256(abi.encode(sellerEntityId, buyerEntityId, numberHash))", async () => {
      const { receivables, lens, submittedId } = await loadFixture(registryFixture);
      const expected = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "bytes32", "bytes32"],
          [ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001")],
        ),
      );
      // The SDK computes the key (the registry no longer exposes computeInvoiceKey); the registry indexed the
      // receivable under exactly that key.
      expect(invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"))).to.equal(expected);
      expect(await receivables.invoiceKeyUsed(expected)).to.equal(true);
      expect(await lens.receivableOfKey(expected)).to.equal(submittedId);
    });

    it("reports an unused key as unused with receivable 0", async () => {
      const { receivables, lens } = await loadFixture(registryFixture);
      const unused = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-NEVER"));
      expect(await receivables.invoiceKeyUsed(unused)).to.equal(false);
      expect(await lens.receivableOfKey(unused)).to.equal(0n);
    });

    it("rejects the same invoice from another wallet of the same seller entity", async () => {
      const { receivables, supplier2, usdAddress, submittedId } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      await expect(receivables.connect(supplier2).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(input), submittedId);
    });

    it("still rejects the invoice after the first receivable was cancelled", async () => {
      const { receivables, lens, supplier, supplier2, usdAddress, submittedId } = await loadFixture(registryFixture);
      await receivables.connect(supplier).cancel(submittedId);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      expect(await receivables.invoiceKeyUsed(keyOf(input))).to.equal(true);
      await expect(receivables.connect(supplier2).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(input), submittedId);
    });

    it("still rejects the invoice after the buyer rejected the first receivable", async () => {
      const { receivables, lens, supplier, buyer, usdAddress, submittedId } = await loadFixture(registryFixture);
      await receivables.connect(buyer).reject(submittedId, REASON);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      expect(await lens.receivableOfKey(keyOf(input))).to.equal(submittedId);
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(input), submittedId);
    });

    it("still rejects the invoice after the first receivable was acknowledged", async () => {
      const { receivables, supplier2, usdAddress, acknowledgedId } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-002" });
      await expect(receivables.connect(supplier2).submit(input))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(keyOf(input), acknowledgedId);
    });

    it("accepts the same invoice number with another buyer as a different key", async () => {
      const { receivables, lens, supplier, usdAddress, submittedId } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-001", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      const firstKey = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));
      expect(keyOf(input)).to.not.equal(firstKey);
      const id = await submit(receivables, supplier, input);
      expect(id).to.not.equal(submittedId);
      expect(await lens.receivableOfKey(keyOf(input))).to.equal(id);
      expect(await lens.receivableOfKey(firstKey)).to.equal(submittedId);
    });

    it("accepts the same invoice number from another seller entity as a different key", async () => {
      const { receivables, lens, dual, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      const id = await submit(receivables, dual, input);
      expect(await lens.receivableOfKey(keyOf(input, EXTRA_ENTITIES.dual))).to.equal(id);
    });
  });
});
