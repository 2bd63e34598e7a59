import { expect } from "chai";
import { ethers } from "hardhat";
import { ZeroAddress } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Status, invoiceInput, submit, signAck, invoiceKey, numberHash, logicErrors } from "./shared/receivables";
import { ENTITIES, DAY, YEAR, GRACE_PERIOD } from "./shared/fixtures";
import {
  registryFixture,
  EXTRA_ENTITIES,
  ACK_TYPES,
  MAX_UINT96,
  FACE,
  FACE_18,
  ackDigest,
  ackDomain,
  keyOf,
  signSubmission,
  toHighS,
} from "./shared/registry-helpers";
import { Role } from "../src/pure/ids";

const PAUSER_ROLE = ethers.keccak256(ethers.toUtf8Bytes("PAUSER_ROLE"));
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MAX_BATCH = 50n;
const MAX_GRACE = 365n * BigInt(DAY);
const REASON = ethers.encodeBytes32String("DISPUTED");

describe("ReceivableRegistry", () => {
  describe("submit", () => {
    it("mints the receivable to the submitting wallet and stores every field of the invoice", async () => {
      const { registry, receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-200" });
      const id = await submit(receivables, supplier, input);
      const r = await lens.receivable(id);
      expect(r.currency).to.equal(usdAddress);
      expect(r.sellerIndex).to.equal((await registry.entity(ENTITIES.supplier)).index);
      expect(r.buyerIndex).to.equal((await registry.entity(ENTITIES.buyer)).index);
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
      const max6 = (2n ** 112n - 1n) / 10n ** 12n;
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
        .withArgs(MAX_UINT96 + 1n, (2n ** 112n - 1n) / 10n ** 12n);
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
      const { registry, receivables, buyer, outsider, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-211", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      await expect(receivables.connect(buyer).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(buyer.address, Role.SUPPLIER);
      await expect(receivables.connect(outsider).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
    });

    it("bubbles up ParticipantNotActive for a suspended supplier", async () => {
      const { registry, receivables, onboarder, supplier, usdAddress } = await loadFixture(registryFixture);
      await registry.connect(onboarder).suspend(ENTITIES.supplier, REASON);
      const input = await invoiceInput(usdAddress, { number: "INV-212" });
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });

    it("bubbles up ParticipantEntityNotActive for a suspended buyer", async () => {
      const { registry, receivables, onboarder, supplier, usdAddress } = await loadFixture(registryFixture);
      await registry.connect(onboarder).suspend(ENTITIES.buyer, REASON);
      const input = await invoiceInput(usdAddress, { number: "INV-213" });
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });

    it("bubbles up ParticipantEntityNotActive for a buyer entity that is not a BUYER", async () => {
      const { registry, receivables, supplier, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-214", buyerEntityId: ENTITIES.bank });
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.bank, Role.BUYER);
    });

    it("bubbles up ParticipantCurrencyNotAllowed for a token outside the allowlist", async () => {
      const { registry, receivables, supplier } = await loadFixture(registryFixture);
      const other = await ethers.deployContract("MockStablecoin", ["Other USD", "oUSD", 6]);
      const otherAddress = await other.getAddress();
      const input = await invoiceInput(otherAddress, { number: "INV-215" });
      await expect(receivables.connect(supplier).submit(input))
        .to.be.revertedWithCustomError(registry, "ParticipantCurrencyNotAllowed")
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
      const { registry, receivables, onboarder, supplier, usdAddress } = await loadFixture(registryFixture);
      await registry.connect(onboarder).suspend(EXTRA_ENTITIES.otherBuyer, REASON);
      const good = await invoiceInput(usdAddress, { number: "GOOD-2" });
      const bad = await invoiceInput(usdAddress, { number: "BAD-2", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      await expect(receivables.connect(supplier).submitBatch([good, bad]))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(EXTRA_ENTITIES.otherBuyer, Role.BUYER);
    });
  });

  describe("acknowledge", () => {
    it("moves a submitted receivable to Acknowledged and emits ReceivableAcknowledged by transaction", async () => {
      const { receivables, lens, buyer, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, false);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Acknowledged);
    });

    it("accepts any active BUYER wallet of the buyer entity", async () => {
      const { receivables, buyer2, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer2).acknowledge(submittedId))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer2.address, false);
    });

    it("records the acknowledgement in the buyer's record normalised to 18 decimals", async () => {
      const { receivables, lens, supplier, otherBuyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "ACK-1", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      const id = await submit(receivables, supplier, input);
      const empty = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(empty.acknowledgedCount).to.equal(0n);
      await receivables.connect(otherBuyer).acknowledge(id);
      const record = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(record.acknowledgedCount).to.equal(1n);
      expect(record.acknowledgedAmount).to.equal(FACE_18);
      // Outstanding is derived: acknowledged − paid on time − paid late − recovered; nothing paid yet.
      expect([record.paidOnTimeAmount, record.paidLateAmount, record.recoveredAmount]).to.deep.equal([0n, 0n, 0n]);
      const riskData = await receivables.riskDataOf(id);
      expect(riskData.status).to.equal(Status.Acknowledged);
      expect(riskData.frozen).to.equal(false);
      expect(riskData.dueDate).to.equal(input.dueDate);
      expect(riskData.outstanding).to.equal(FACE);
      expect(riskData.acknowledgedAmount).to.equal(FACE_18);
      expect(riskData.defaultedAmount).to.equal(0n);
    });

    it("rejects a wallet that is not a buyer of this receivable", async () => {
      const { receivables, supplier, outsider, bank, otherBuyer, submittedId } = await loadFixture(registryFixture);
      for (const caller of [supplier, outsider, bank, otherBuyer]) {
        await expect(receivables.connect(caller).acknowledge(submittedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyer")
          .withArgs(submittedId, caller.address);
      }
    });

    it("rejects a buyer wallet whose entity is suspended", async () => {
      const { registry, receivables, regulator, buyer, submittedId } = await loadFixture(registryFixture);
      await registry.connect(regulator).suspend(ENTITIES.buyer, REASON);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyer")
        .withArgs(submittedId, buyer.address);
    });

    it("rejects a receivable that is no longer Submitted", async () => {
      const { receivables, supplier, buyer, submittedId, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
      await receivables.connect(supplier).cancel(submittedId);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Cancelled);
    });

    it("rejects an unknown id", async () => {
      const { receivables, buyer } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(999))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
    });
  });

  describe("acknowledgeWithSig", () => {
    async function signedFixture() {
      const f = await registryFixture();
      const r = await f.lens.receivable(f.submittedId);
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));
      const deadline = BigInt((await time.latest()) + DAY);
      const msg = { id: f.submittedId, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, deadline };
      return { ...f, key, deadline, msg };
    }

    it("records a buyer's signature relayed by any account and consumes no nonce", async () => {
      const { receivables, lens, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, true);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Acknowledged);
      // The nonce is a revocation handle: nothing is written for it.
      expect(await lens.nonceRevoked(buyer.address, 0)).to.equal(false);
      const record = await lens.buyerRecord(ENTITIES.buyer);
      expect(record.acknowledgedCount).to.equal(2n);
      expect(record.acknowledgedAmount).to.equal(2n * FACE_18);
    });

    it("accepts a signature from the buyer entity's second wallet", async () => {
      const { receivables, buyer2, supplier, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer2, msg);
      await expect(receivables.connect(supplier).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer2.address, true);
    });

    it("verifies the digest that ethers' TypedDataEncoder computes, with any nonce the signer chose", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const value = { ...msg, nonce: 3n };
      const expected = ethers.TypedDataEncoder.hash(await ackDomain(receivables), ACK_TYPES, value);
      const digest = await ackDigest(receivables, value.id, key, value.amount, value.dueDate, 3n, deadline);
      expect(digest).to.equal(expected);
      const signature = await signAck(receivables, buyer, value);
      expect(ethers.recoverAddress(digest, signature)).to.equal(buyer.address);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 3n, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, true);
    });

    it("accepts a deadline equal to the block time", async () => {
      const { receivables, buyer, outsider, submittedId, key, msg } = await loadFixture(signedFixture);
      const deadline = (await time.latest()) + 5;
      const signature = await signAck(receivables, buyer, { ...msg, deadline });
      await time.setNextBlockTimestamp(deadline);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects an expired deadline", async () => {
      const { receivables, buyer, outsider, submittedId, key, msg } = await loadFixture(signedFixture);
      const deadline = (await time.latest()) + 5;
      const signature = await signAck(receivables, buyer, { ...msg, deadline });
      await time.setNextBlockTimestamp(deadline + 1);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableSignatureExpired")
        .withArgs(deadline, deadline + 1);
    });

    it("accepts the same nonce on a second receivable: signatures do not depend on each other", async () => {
      const { receivables, supplier, buyer, outsider, usdAddress, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const input = await invoiceInput(usdAddress, { number: "SIG-2" });
      const second = await submit(receivables, supplier, input);
      const secondMsg = { ...msg, id: second, invoiceKey: keyOf(input), dueDate: BigInt(input.dueDate), nonce: 0n };
      // Signed first, relayed second: an unrelayed signature blocks no later one.
      const first = await signAck(receivables, buyer, msg);
      const later = await signAck(receivables, buyer, secondMsg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(second, keyOf(input), 0, deadline, later)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, first)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects a signature whose nonce the signer revoked, and only that signer's", async () => {
      const { receivables, lens, buyer, buyer2, outsider, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, { ...msg, nonce: 261n });
      // Nonce 261 = word 1, bit 5. Another wallet revoking it changes nothing for this signer.
      await receivables.connect(buyer2).revokeAcknowledgementNonces(1, 1n << 5n);
      expect(await lens.nonceRevoked(buyer.address, 261)).to.equal(false);
      await expect(receivables.connect(buyer).revokeAcknowledgementNonces(1, 1n << 5n))
        .to.emit(receivables, "AcknowledgementNoncesRevoked")
        .withArgs(buyer.address, 1, 1n << 5n);
      expect(await lens.nonceRevoked(buyer.address, 261)).to.equal(true);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 261, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableNonceRevoked")
        .withArgs(buyer.address, 261);
    });

    it("rejects the same signature sent twice because the receivable is already acknowledged", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Acknowledged);
    });

    it("rejects a signature made for another chain id", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg, { chainId: 1n });
      const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
      const recovered = ethers.recoverAddress(digest, signature);
      expect(recovered).to.not.equal(buyer.address);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(recovered);
    });

    it("rejects a signature made for another verifying contract", async () => {
      const { receivables, registry, buyer, outsider, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg, { verifyingContract: await registry.getAddress() });
      const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
      const recovered = ethers.recoverAddress(digest, signature);
      expect(recovered).to.not.equal(buyer.address);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(recovered);
    });

    it("rejects a signature over a different amount than the stored face amount", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, { ...msg, amount: msg.amount - 1n });
      const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(ethers.recoverAddress(digest, signature));
    });

    it("rejects a signer that is not a buyer wallet", async () => {
      const { receivables, bank, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, bank, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(bank.address);
    });

    it("rejects a buyer wallet of another buyer entity", async () => {
      const { receivables, otherBuyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, otherBuyer, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(otherBuyer.address);
    });

    it("rejects a buyer wallet whose entity is suspended", async () => {
      const { registry, receivables, onboarder, buyer, outsider, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await registry.connect(onboarder).suspend(ENTITIES.buyer, REASON);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(buyer.address);
    });

    it("rejects the malleable high-s twin of a valid signature", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const valid = await signAck(receivables, buyer, msg);
      const twin = toHighS(valid);
      const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
      // The twin is a mathematically valid signature by the same key: only the low-s rule refuses it.
      expect(ethers.recoverAddress(digest, valid)).to.equal(buyer.address);
      const logic = await logicErrors(); // before the call: the matcher must be attached when it reverts
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, twin.signature))
        .to.be.revertedWithCustomError(logic, "ECDSAInvalidSignatureS")
        .withArgs(twin.s);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, valid)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects a key that does not belong to the receivable", async () => {
      const { receivables, buyer, outsider, submittedId, deadline, msg } = await loadFixture(signedFixture);
      const otherKey = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-002"));
      const signature = await signAck(receivables, buyer, { ...msg, invoiceKey: otherKey });
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, otherKey, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableKeyMismatch")
        .withArgs(submittedId, otherKey);
    });

    it("rejects an unknown id and a receivable that is not Submitted", async () => {
      const { receivables, buyer, outsider, acknowledgedId, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(999, msg.invoiceKey, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
      await expect(
        receivables.connect(outsider).acknowledgeWithSig(acknowledgedId, msg.invoiceKey, 0, deadline, signature),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
    });
  });

  describe("submitAcknowledged", () => {
    async function deadlineIn(seconds: number) {
      return BigInt((await time.latest()) + seconds);
    }

    it("submits and acknowledges in one transaction and updates both records", async () => {
      const { receivables, lens, supplier, otherBuyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-1", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      const deadline = await deadlineIn(DAY);
      const { signature, key } = await signSubmission(receivables, otherBuyer, input, deadline);
      const id = (await lens.totalMinted()) + 1n;
      const tx = receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature);
      await expect(tx)
        .to.emit(receivables, "ReceivableSubmitted")
        .withArgs(
          id,
          key,
          ENTITIES.supplier,
          EXTRA_ENTITIES.otherBuyer,
          usdAddress,
          FACE,
          input.issueDate,
          input.dueDate,
          input.docHash,
        );
      await expect(tx).to.emit(receivables, "ReceivableAcknowledged").withArgs(id, otherBuyer.address, true);
      await expect(tx).to.emit(receivables, "Transfer").withArgs(ethers.ZeroAddress, supplier.address, id);
      expect((await lens.receivable(id)).status).to.equal(Status.Acknowledged);
      expect(await receivables.ownerOf(id)).to.equal(supplier.address);
      const buyerRecord = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(buyerRecord.acknowledgedCount).to.equal(1n);
      expect(buyerRecord.acknowledgedAmount).to.equal(FACE_18);
      expect(buyerRecord.paidOnTimeAmount + buyerRecord.paidLateAmount).to.equal(0n);
      const sellerRecord = await lens.sellerRecord(ENTITIES.supplier);
      expect(sellerRecord.submittedCount).to.equal(3n);
      // The fixture's acknowledged invoice and this one.
      expect(sellerRecord.acknowledgedAmount).to.equal(2n * FACE_18);
    });

    it("accepts the same nonce on a second invoice and refuses a replay of the first by its used key", async () => {
      const { receivables, supplier, supplier2, buyer, usdAddress } = await loadFixture(registryFixture);
      const deadline = await deadlineIn(DAY);
      const first = await invoiceInput(usdAddress, { number: "SA-2" });
      const s1 = await signSubmission(receivables, buyer, first, deadline, { nonce: 0n });
      await receivables.connect(supplier).submitAcknowledged(first, 0, deadline, s1.signature);
      const second = await invoiceInput(usdAddress, { number: "SA-3" });
      const s2 = await signSubmission(receivables, buyer, second, deadline, { nonce: 0n });
      await expect(receivables.connect(supplier).submitAcknowledged(second, 0, deadline, s2.signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
      const replay = receivables.connect(supplier2).submitAcknowledged(first, 0, deadline, s1.signature);
      await expect(replay).to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed");
    });

    it("rejects a signature made for another chain id", async () => {
      const { receivables, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-4" });
      const deadline = await deadlineIn(DAY);
      const { signature, commitment } = await signSubmission(receivables, buyer, input, deadline, { chainId: 1n });
      const digest = await ackDigest(
        receivables,
        0,
        commitment,
        BigInt(input.amount),
        BigInt(input.dueDate),
        0,
        deadline,
      );
      const recovered = ethers.recoverAddress(digest, signature);
      expect(recovered).to.not.equal(buyer.address);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(recovered);
    });

    it("rejects a signature made for another verifying contract", async () => {
      const { receivables, registry, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-5" });
      const deadline = await deadlineIn(DAY);
      const { signature, commitment } = await signSubmission(receivables, buyer, input, deadline, {
        verifyingContract: await registry.getAddress(),
      });
      const digest = await ackDigest(
        receivables,
        0,
        commitment,
        BigInt(input.amount),
        BigInt(input.dueDate),
        0,
        deadline,
      );
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(ethers.recoverAddress(digest, signature));
    });

    it("rejects the buyer's signature on an invoice in another currency, with another issue date or document", async () => {
      const { receivables, lens, registry, admin, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const other = await (await ethers.getContractFactory("MockStablecoin")).deploy("Other USD", "oUSD", 18);
      await registry.connect(admin).setCurrencyAllowed(await other.getAddress(), true);
      const input = await invoiceInput(usdAddress, { number: "SA-CUR" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      const before = await lens.totalMinted();
      for (const changed of [
        { ...input, currency: await other.getAddress() },
        { ...input, issueDate: BigInt(input.issueDate) - 1n },
        { ...input, docHash: ethers.keccak256(ethers.toUtf8Bytes("another document")) },
      ]) {
        await expect(
          receivables.connect(supplier).submitAcknowledged(changed, 0, deadline, signature),
        ).to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner");
      }
      expect(await lens.totalMinted()).to.equal(before);
      // The terms it signed still go through.
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects a signature that names a receivable id instead of 0", async () => {
      const { receivables, lens, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-6" });
      const deadline = await deadlineIn(DAY);
      const id = (await lens.totalMinted()) + 1n;
      const { signature, commitment } = await signSubmission(receivables, buyer, input, deadline, { id });
      const digest = await ackDigest(
        receivables,
        0,
        commitment,
        BigInt(input.amount),
        BigInt(input.dueDate),
        0,
        deadline,
      );
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(ethers.recoverAddress(digest, signature));
    });

    it("rejects an expired deadline", async () => {
      const { receivables, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-7" });
      const deadline = await deadlineIn(5);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableSignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("rejects a signer that is not a buyer wallet", async () => {
      const { receivables, supplier, bank, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-8" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, bank, input, deadline);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(bank.address);
    });

    it("rejects a buyer wallet of another buyer entity", async () => {
      const { receivables, supplier, otherBuyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-9" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, otherBuyer, input, deadline);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(otherBuyer.address);
    });

    it("rejects the malleable high-s twin of a valid signature", async () => {
      const { receivables, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-10" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      const twin = toHighS(signature);
      const logic = await logicErrors(); // before the call: the matcher must be attached when it reverts
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, twin.signature))
        .to.be.revertedWithCustomError(logic, "ECDSAInvalidSignatureS")
        .withArgs(twin.s);
    });

    it("rejects an invoice whose key is already used even with a valid signature", async () => {
      const { receivables, supplier2, buyer, usdAddress, submittedId } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      const deadline = await deadlineIn(DAY);
      const { signature, key } = await signSubmission(receivables, buyer, input, deadline);
      await expect(receivables.connect(supplier2).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(key, submittedId);
    });
  });

  describe("reject", () => {
    it("lets the buyer reject a submitted receivable, keeps the key used and counts it for the seller", async () => {
      const { receivables, lens, buyer, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).reject(submittedId, REASON))
        .to.emit(receivables, "ReceivableRejected")
        .withArgs(submittedId, buyer.address, REASON);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Rejected);
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));
      expect(await receivables.invoiceKeyUsed(key)).to.equal(true);
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
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));
      expect(await lens.receivableOfKey(key)).to.equal(submittedId);
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

  describe("transfer (assignment)", () => {
    it("assigns an acknowledged receivable to a financier and emits Transfer", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns with safeTransferFrom too", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns to another supplier entity, which may assign onwards", async () => {
      const { receivables, supplier, dual, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(supplier).transferFrom(supplier.address, dual.address, acknowledgedId);
      await receivables.connect(dual).transferFrom(dual.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns a partially paid receivable", async () => {
      const { receivables, lens, supplier, buyer, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(buyer).pay(acknowledgedId, FACE / 4n);
      expect((await lens.receivable(acknowledgedId)).status).to.equal(Status.PartiallyPaid);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns a defaulted receivable (allowed, so a bank can sell a bad debt to a collector)", async () => {
      const { receivables, lens, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      const due = (await lens.receivable(acknowledgedId)).dueDate;
      await time.increaseTo(due + BigInt(GRACE_PERIOD) + 1n);
      await receivables.connect(supplier).markDefaulted(acknowledgedId);
      expect((await lens.receivable(acknowledgedId)).status).to.equal(Status.Defaulted);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("refuses a submitted receivable", async () => {
      const { receivables, supplier, bank, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Submitted);
    });

    it("refuses a paid receivable and a split parent, but not the split children", async () => {
      const { receivables, supplier, buyer, bank, usdAddress, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(buyer).pay(acknowledgedId, FACE);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Paid);
      const parent = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "SPLIT-1" }));
      await receivables.connect(buyer).acknowledge(parent);
      await receivables.connect(supplier).split(parent, [FACE / 2n, FACE / 2n]);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, parent))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(parent, Status.Split);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, parent + 1n);
      expect(await receivables.ownerOf(parent + 1n)).to.equal(bank.address);
    });

    it("refuses an outsider, a BUYER-only wallet and a REGULATOR-only wallet as recipients", async () => {
      const { receivables, supplier, outsider, otherBuyer, regulator, acknowledgedId } =
        await loadFixture(registryFixture);
      for (const to of [outsider, otherBuyer, regulator]) {
        await expect(receivables.connect(supplier).transferFrom(supplier.address, to.address, acknowledgedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidRecipient")
          .withArgs(acknowledgedId, to.address);
      }
    });

    it("refuses a push to a pull-only wallet (a pool), which may still pull the receivable itself", async () => {
      const { registry, receivables, onboarder, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      // Bind the bank's wallet again, pull-only, as a pool is bound.
      await registry.connect(onboarder).removeWallet(bank.address);
      await registry.connect(onboarder).addWallet(ENTITIES.bank, bank.address, true);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableRecipientPullsOnly")
        .withArgs(acknowledgedId, bank.address);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableRecipientPullsOnly")
        .withArgs(acknowledgedId, bank.address);
      // As a pool's finance does: the holder approves, the pull-only wallet takes it.
      await receivables.connect(supplier).approve(bank.address, acknowledgedId);
      await expect(receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
    });

    // Either party losing its active status (suspension, lapsed KYC) stops the transfer, each with its own error.
    const inactive = [
      { party: "recipient", who: "a suspended recipient", entity: ENTITIES.bank, how: "suspend" },
      { party: "recipient", who: "a recipient whose KYC has expired", entity: ENTITIES.bank, how: "expire" },
      { party: "holder", who: "a holder who is suspended", entity: ENTITIES.supplier, how: "suspend" },
      { party: "holder", who: "a holder whose KYC has expired", entity: ENTITIES.supplier, how: "expire" },
    ] as const;
    for (const { party, who, entity, how } of inactive) {
      it(`refuses to move a receivable for ${who}`, async () => {
        const { registry, receivables, onboarder, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
        if (how === "suspend") {
          await registry.connect(onboarder).suspend(entity, REASON);
        } else {
          const expiry = (await time.latest()) + 100;
          await registry.connect(onboarder).setKycExpiry(entity, expiry);
          await time.increaseTo(expiry);
        }
        const [error, wallet] =
          party === "recipient"
            ? ["ReceivableInvalidRecipient", bank.address]
            : ["ReceivableHolderNotActive", supplier.address];
        await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
          .to.be.revertedWithCustomError(receivables, error)
          .withArgs(acknowledgedId, wallet);
      });
    }

    it("refuses a wallet of the buyer entity itself even when that entity also has the SUPPLIER role", async () => {
      const { registry, receivables, onboarder, supplier, buyer2, acknowledgedId } = await loadFixture(registryFixture);
      await registry.connect(onboarder).setRoles(ENTITIES.buyer, Role.SUPPLIER | Role.BUYER);
      expect(await registry.isActive(buyer2.address, Role.SUPPLIER)).to.equal(true);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, buyer2.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidRecipient")
        .withArgs(acknowledgedId, buyer2.address);
    });

    it("refuses a frozen receivable and allows it again once unfrozen", async () => {
      const { receivables, regulator, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await receivables.connect(regulator).unfreeze(acknowledgedId);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("refuses transfers while paused, including safeTransferFrom", async () => {
      const { receivables, pauser, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(pauser).pause();
      await expect(
        receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("leaves ERC-721 approval rules in force for third parties", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(
        receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "NotOwnerNorApproved");
      await receivables.connect(supplier).approve(bank.address, acknowledgedId);
      await receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });
  });

  describe("freeze", () => {
    it("lets a regulator freeze and unfreeze with events", async () => {
      const { receivables, lens, regulator, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.emit(receivables, "ReceivableFrozen")
        .withArgs(acknowledgedId, regulator.address, REASON);
      expect((await lens.receivable(acknowledgedId)).frozen).to.equal(true);
      await expect(receivables.connect(regulator).unfreeze(acknowledgedId))
        .to.emit(receivables, "ReceivableUnfrozen")
        .withArgs(acknowledgedId, regulator.address);
      expect((await lens.receivable(acknowledgedId)).frozen).to.equal(false);
    });

    it("refuses anyone who is not an active REGULATOR participant, including the hub admin", async () => {
      const { receivables, admin, onboarder, supplier, bank, outsider, acknowledgedId } =
        await loadFixture(registryFixture);
      for (const caller of [admin, onboarder, supplier, bank, outsider]) {
        await expect(receivables.connect(caller).freeze(acknowledgedId, REASON))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
          .withArgs(caller.address);
        await expect(receivables.connect(caller).unfreeze(acknowledgedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
          .withArgs(caller.address);
      }
    });

    it("refuses a suspended regulator", async () => {
      const { registry, receivables, regulator, acknowledgedId } = await loadFixture(registryFixture);
      // Only a regulator suspends a regulator entity (issue 12): here the regulator suspends itself.
      await registry.connect(regulator).suspend(ENTITIES.regulator, REASON);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
        .withArgs(regulator.address);
    });

    it("refuses to freeze twice, to unfreeze an unfrozen receivable and to touch an unknown id", async () => {
      const { receivables, regulator, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(regulator).unfreeze(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFrozen")
        .withArgs(acknowledgedId);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await expect(receivables.connect(regulator).freeze(999, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
    });

    it("blocks a split of a frozen receivable", async () => {
      const { receivables, regulator, supplier, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(supplier).split(acknowledgedId, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
    });
  });

  describe("pause", () => {
    it("lets the pauser (guardian) pause at once; only the admin (the delayed path) unpauses", async () => {
      const { receivables, admin, pauser } = await loadFixture(registryFixture);
      await expect(receivables.connect(pauser).pause()).to.emit(receivables, "RegistryPaused").withArgs(pauser.address);
      expect(await receivables.paused()).to.equal(true);
      await expect(receivables.connect(pauser).unpause())
        .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
        .withArgs(pauser.address, DEFAULT_ADMIN_ROLE);
      await expect(receivables.connect(admin).unpause())
        .to.emit(receivables, "RegistryUnpaused")
        .withArgs(admin.address);
      expect(await receivables.paused()).to.equal(false);
    });

    it("refuses pause without PAUSER_ROLE and unpause without DEFAULT_ADMIN_ROLE", async () => {
      const { receivables, admin, pauser, outsider } = await loadFixture(registryFixture);
      for (const caller of [admin, outsider]) {
        await expect(receivables.connect(caller).pause())
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, PAUSER_ROLE);
      }
      await receivables.connect(pauser).pause();
      for (const caller of [pauser, outsider]) {
        await expect(receivables.connect(caller).unpause())
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("refuses to pause twice or to unpause when not paused", async () => {
      const { receivables, admin, pauser } = await loadFixture(registryFixture);
      await expect(receivables.connect(admin).unpause()).to.be.revertedWithCustomError(
        receivables,
        "ReceivableNotPaused",
      );
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(pauser).pause()).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("stops submit, submitBatch and submitAcknowledged", async () => {
      const { receivables, admin, pauser, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "P-1" });
      const deadline = BigInt((await time.latest()) + DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(supplier).submit(input)).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(receivables.connect(supplier).submitBatch([input])).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(
        receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await receivables.connect(admin).unpause();
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("stops acknowledge, acknowledgeWithSig and split", async () => {
      const { receivables, lens, pauser, supplier, buyer, outsider, submittedId, acknowledgedId } =
        await loadFixture(registryFixture);
      const r = await lens.receivable(submittedId);
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));
      const deadline = BigInt((await time.latest()) + DAY);
      const signature = await signAck(receivables, buyer, {
        id: submittedId,
        invoiceKey: key,
        amount: r.faceAmount,
        dueDate: r.dueDate,
        deadline,
      });
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).acknowledge(submittedId)).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(
        receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await expect(
        receivables.connect(supplier).split(acknowledgedId, [FACE / 2n, FACE / 2n]),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("still lets the buyer reject and the seller cancel while paused", async () => {
      const { receivables, pauser, supplier, buyer, usdAddress, submittedId } = await loadFixture(registryFixture);
      const second = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "P-2" }));
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).reject(submittedId, REASON))
        .to.emit(receivables, "ReceivableRejected")
        .withArgs(submittedId, buyer.address, REASON);
      await expect(receivables.connect(supplier).cancel(second))
        .to.emit(receivables, "ReceivableCancelled")
        .withArgs(second, supplier.address);
    });

    it("still lets the buyer pay while paused", async () => {
      const { receivables, pauser, buyer, supplier, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).pay(acknowledgedId, FACE))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(acknowledgedId, buyer.address, supplier.address, FACE, FACE, Status.Paid);
    });
  });

  describe("setDefaultGracePeriod", () => {
    it("lets the admin change the grace period up to the cap, with an event naming the first id it applies to", async () => {
      const { receivables, lens, admin } = await loadFixture(registryFixture);
      expect(await lens.defaultGracePeriod()).to.equal(BigInt(GRACE_PERIOD));
      // The fixture minted ids 1 and 2: the change applies from id 3 on, never to those already submitted.
      const next = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(admin).setDefaultGracePeriod(MAX_GRACE))
        .to.emit(receivables, "DefaultGracePeriodSet")
        .withArgs(GRACE_PERIOD, MAX_GRACE, next);
      expect(await lens.defaultGracePeriod()).to.equal(MAX_GRACE);
      await expect(receivables.connect(admin).setDefaultGracePeriod(0))
        .to.emit(receivables, "DefaultGracePeriodSet")
        .withArgs(MAX_GRACE, 0, next);
    });

    it("refuses a grace period over the cap", async () => {
      const { receivables, admin } = await loadFixture(registryFixture);
      expect(await receivables.MAX_GRACE_PERIOD()).to.equal(MAX_GRACE);
      await expect(receivables.connect(admin).setDefaultGracePeriod(MAX_GRACE + 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableGracePeriodTooLong")
        .withArgs(MAX_GRACE + 1n, MAX_GRACE);
    });

    it("refuses a caller without DEFAULT_ADMIN_ROLE", async () => {
      const { receivables, pauser, outsider } = await loadFixture(registryFixture);
      for (const caller of [pauser, outsider]) {
        await expect(receivables.connect(caller).setDefaultGracePeriod(DAY))
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("refuses a deployment with a grace period over the cap and reports the initial one", async () => {
      const { registry, receivables } = await loadFixture(registryFixture);
      const logic = await ethers.deployContract("ReceivableLogic");
      const factory = await ethers.getContractFactory("ReceivableRegistry", {
        libraries: { ReceivableLogic: await logic.getAddress() },
      });
      await expect(factory.deploy(await registry.getAddress(), MAX_GRACE + 1n, ZeroAddress))
        .to.be.revertedWithCustomError(receivables, "ReceivableGracePeriodTooLong")
        .withArgs(MAX_GRACE + 1n, MAX_GRACE);
      const fresh = await factory.deploy(await registry.getAddress(), YEAR, ZeroAddress);
      await expect(fresh.deploymentTransaction()).to.emit(fresh, "DefaultGracePeriodSet").withArgs(0, YEAR, 1);
    });
  });

  describe("views", () => {
    it("report ReceivableNotFound for id 0 and for an id never minted", async () => {
      const { receivables, lens } = await loadFixture(registryFixture);
      const next = (await lens.totalMinted()) + 1n;
      for (const id of [0n, next]) {
        await expect(lens.receivable(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(receivables.outstandingOf(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
          .withArgs(id);
        await expect(lens.isOverdue(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(lens.parentOf(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(receivables.rootOf(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
          .withArgs(id);
      }
    });

    it("name the token collection and point at the participant registry", async () => {
      const { registry, receivables } = await loadFixture(registryFixture);
      expect(await receivables.name()).to.equal("TradeFin Receivable");
      expect(await receivables.symbol()).to.equal("TFR");
      expect(await receivables.participants()).to.equal(await registry.getAddress());
    });
  });

  describe("lifecycle", () => {
    it("runs submit, acknowledge, assignment to a bank and payment to the new holder", async () => {
      const { receivables, lens, supplier, buyer, bank, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "LIFE-1" });
      const id = await submit(receivables, supplier, input);
      expect((await lens.receivable(id)).status).to.equal(Status.Submitted);
      await receivables.connect(buyer).acknowledge(id);
      expect((await lens.receivable(id)).status).to.equal(Status.Acknowledged);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await receivables.connect(buyer).pay(id, FACE);
      expect((await lens.receivable(id)).status).to.equal(Status.Paid);
      expect(await receivables.claimable(bank.address, usdAddress)).to.equal(FACE);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(0n);
    });

    it("refuses at submission an amount that fits uint96 but not the 18-decimal buyer record", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const max6 = (2n ** 112n - 1n) / 10n ** 12n;
      await expect(
        receivables.connect(supplier).submit(await invoiceInput(usdAddress, { number: "HUGE-1", amount: MAX_UINT96 })),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableAmountTooLarge")
        .withArgs(MAX_UINT96, max6);
      const id = await submit(
        receivables,
        supplier,
        await invoiceInput(usdAddress, { number: "HUGE-2", amount: max6 }),
      );
      expect((await lens.receivable(id)).faceAmount).to.equal(max6);
    });
  });
});
