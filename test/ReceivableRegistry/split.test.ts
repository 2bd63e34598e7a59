import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES } from "../shared/fixtures";
import {
  FACE,
  Status,
  UNIT,
  acknowledged,
  childIds,
  invoiceInput,
  poolWorldFixture,
  receivablesFixture,
  worldInvoice,
} from "../shared/receivables";

const MAX_CHILDREN = 8n;
const MAX_DEPTH = 4n;

describe("ReceivableRegistry.split", () => {
  describe("bad inputs", () => {
    it("refuses an empty split, a single child and more than eight children", async () => {
      const { receivables, supplier, acknowledgedId: id } = await loadFixture(receivablesFixture);
      const nine = Array<bigint>(9).fill(FACE / 9n);
      nine[8] += FACE - (FACE / 9n) * 9n; // the nine children still add up to the face amount
      for (const amounts of [[], [FACE], nine]) {
        await expect(receivables.connect(supplier).split(id, amounts))
          .to.be.revertedWithCustomError(receivables, "ReceivableSplitCount")
          .withArgs(amounts.length, MAX_CHILDREN);
      }
    });

    it("accepts exactly eight children", async () => {
      const { receivables, lens, supplier, acknowledgedId: id } = await loadFixture(receivablesFixture);
      const first = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(supplier).split(id, Array<bigint>(8).fill(FACE / 8n)))
        .to.emit(receivables, "ReceivableSplit")
        .withArgs(id, id, first, Array<bigint>(8).fill(FACE / 8n));
      expect(await lens.totalMinted()).to.equal(first + 7n);
    });

    it("names the first zero amount by its index", async () => {
      const { receivables, supplier, acknowledgedId: id } = await loadFixture(receivablesFixture);
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, 0n, FACE / 2n, 0n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableSplitZeroAmount")
        .withArgs(1);
      await expect(receivables.connect(supplier).split(id, [0n, FACE]))
        .to.be.revertedWithCustomError(receivables, "ReceivableSplitZeroAmount")
        .withArgs(0);
    });

    it("refuses children that do not add up to the outstanding amount to the smallest unit", async () => {
      const { receivables, supplier, acknowledgedId: id } = await loadFixture(receivablesFixture);
      for (const amounts of [
        [60_000n * UNIT, 40_000n * UNIT - 1n],
        [60_000n * UNIT, 40_000n * UNIT + 1n],
      ]) {
        await expect(receivables.connect(supplier).split(id, amounts))
          .to.be.revertedWithCustomError(receivables, "ReceivableSplitSumMismatch")
          .withArgs(amounts[0] + amounts[1], FACE);
      }
    });

    it("allows four levels of splitting and refuses a fifth", async () => {
      const { receivables, lens, supplier, acknowledgedId } = await loadFixture(receivablesFixture);
      let id = acknowledgedId;
      let amount = FACE;
      for (let depth = 1n; depth <= MAX_DEPTH; depth++) {
        amount /= 2n;
        const first = (await lens.totalMinted()) + 1n;
        await receivables.connect(supplier).split(id, [amount, amount]);
        id = first;
        const child = await lens.receivable(id);
        expect(child.depth).to.equal(depth);
        expect(await receivables.rootOf(id)).to.equal(acknowledgedId);
      }
      await expect(receivables.connect(supplier).split(id, [amount / 2n, amount / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableSplitDepth")
        .withArgs(MAX_DEPTH + 1n, MAX_DEPTH);
    });

    it("refuses a split by anyone but the holder, even another wallet of the holder's entity", async () => {
      const f = await loadFixture(receivablesFixture);
      const { receivables, supplier, supplier2, buyer, bank, acknowledgedId: id } = f;
      for (const caller of [supplier2, buyer, bank]) {
        await expect(receivables.connect(caller).split(id, [FACE / 2n, FACE / 2n]))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotHolder")
          .withArgs(id, caller.address);
      }
      // After an assignment the new holder may split and the seller may not.
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotHolder")
        .withArgs(id, supplier.address);
      await expect(receivables.connect(bank).split(id, [FACE / 2n, FACE / 2n])).to.emit(receivables, "ReceivableSplit");
    });

    it("refuses to split a receivable frozen by the regulator, and allows it once unfrozen", async () => {
      const { receivables, supplier, regulator, acknowledgedId: id } = await loadFixture(receivablesFixture);
      await receivables.connect(regulator).freeze(id, ethers.encodeBytes32String("sanctions"));
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(id);
      await receivables.connect(regulator).unfreeze(id);
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n])).to.emit(
        receivables,
        "ReceivableSplit",
      );
    });

    it("refuses to split a partially paid receivable", async () => {
      const { receivables, supplier, buyer, acknowledgedId: id } = await loadFixture(receivablesFixture);
      await receivables.connect(buyer).pay(id, 10_000n * UNIT);
      // Even children summing to what is still outstanding are refused: only unpaid receivables split.
      await expect(receivables.connect(supplier).split(id, [45_000n * UNIT, 45_000n * UNIT]))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(id, Status.PartiallyPaid);
    });

    it("refuses to split a receivable the buyer has not acknowledged", async () => {
      const { receivables, supplier, submittedId } = await loadFixture(receivablesFixture);
      await expect(receivables.connect(supplier).split(submittedId, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Submitted);
    });

    it("refuses to split an unknown receivable", async () => {
      const { receivables, lens, supplier } = await loadFixture(receivablesFixture);
      const unknown = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(supplier).split(unknown, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(unknown);
    });

    it("refuses to split while the registry is paused, and allows it after unpause", async () => {
      const { receivables, supplier, pauser, admin, acknowledgedId: id } = await loadFixture(receivablesFixture);
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n])).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await receivables.connect(admin).unpause();
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n])).to.emit(
        receivables,
        "ReceivableSplit",
      );
    });
  });

  describe("children", () => {
    it("inherit buyer, seller, currency, dates, decimals and document hash, and are born Acknowledged", async () => {
      const { receivables, lens, usdAddress, supplier, buyer } = await loadFixture(receivablesFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-SPLIT-1" });
      const id = await acknowledged(receivables, supplier, buyer, input);
      const parent = await lens.receivable(id);
      const amounts = [10_000n * UNIT, 25_000n * UNIT, 65_000n * UNIT];
      const first = (await lens.totalMinted()) + 1n;
      await receivables.connect(supplier).split(id, amounts);

      const children = childIds(first, amounts.length);
      for (const [i, childId] of children.entries()) {
        const child = await lens.receivable(childId);
        expect(child.status).to.equal(Status.Acknowledged);
        expect(child.buyerIndex).to.equal(parent.buyerIndex);
        expect(child.sellerIndex).to.equal(parent.sellerIndex);
        expect(child.currency).to.equal(usdAddress);
        expect(child.decimals).to.equal(6n);
        expect(child.issueDate).to.equal(input.issueDate);
        expect(child.dueDate).to.equal(input.dueDate);
        expect(child.docHash).to.equal(input.docHash);
        expect(child.faceAmount).to.equal(amounts[i]);
        expect(child.paidAmount).to.equal(0n);
        expect(child.frozen).to.equal(false);
        expect(child.depth).to.equal(1n);
        expect(await receivables.ownerOf(childId)).to.equal(supplier.address);
        expect(await lens.parentOf(childId)).to.equal(id);
        expect(await receivables.rootOf(childId)).to.equal(id);
        expect(await receivables.outstandingOf(childId)).to.equal(amounts[i]);
      }
    });

    it("carry the root's document hash down to grandchildren", async () => {
      const { receivables, lens, usdAddress, supplier, buyer } = await loadFixture(receivablesFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-SPLIT-2" });
      const root = await acknowledged(receivables, supplier, buyer, input);
      const first = (await lens.totalMinted()) + 1n;
      await receivables.connect(supplier).split(root, [FACE / 2n, FACE / 2n]);
      const second = (await lens.totalMinted()) + 1n;
      await receivables.connect(supplier).split(first, [FACE / 4n, FACE / 4n]);
      const grandchild = await lens.receivable(second + 1n);
      expect(grandchild.docHash).to.equal(input.docHash);
      expect(grandchild.depth).to.equal(2n);
      expect(await lens.parentOf(second + 1n)).to.equal(first);
      expect(await receivables.rootOf(second + 1n)).to.equal(root);
    });

    it("can be assigned to a financier and paid on their own", async () => {
      const f = await loadFixture(receivablesFixture);
      const { receivables, lens, usdAddress, supplier, buyer, bank, acknowledgedId: id } = f;
      const first = (await lens.totalMinted()) + 1n;
      await receivables.connect(supplier).split(id, [70_000n * UNIT, 30_000n * UNIT]);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, first + 1n);
      await receivables.connect(buyer).pay(first + 1n, 30_000n * UNIT);
      expect((await lens.receivable(first + 1n)).status).to.equal(Status.Paid);
      expect((await lens.receivable(first)).status).to.equal(Status.Acknowledged);
      expect(await receivables.claimable(bank.address, usdAddress)).to.equal(30_000n * UNIT);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(0n);
    });
  });

  describe("parent", () => {
    it("becomes Split, emits ReceivableSplit and can be neither transferred nor paid nor split again", async () => {
      const { receivables, lens, supplier, buyer, bank, acknowledgedId: id } = await loadFixture(receivablesFixture);
      const first = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(supplier).split(id, [FACE / 4n, (3n * FACE) / 4n]))
        .to.emit(receivables, "ReceivableSplit")
        .withArgs(id, id, first, [FACE / 4n, (3n * FACE) / 4n]);
      expect((await lens.receivable(id)).status).to.equal(Status.Split);
      expect(await receivables.ownerOf(id)).to.equal(supplier.address);

      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, id))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(id, Status.Split);
      await expect(receivables.connect(buyer).pay(id, FACE))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(id, Status.Split);
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(id, Status.Split);
    });

    it("leaves the buyer's record unchanged: a split moves no debt", async () => {
      const { receivables, lens, supplier, acknowledgedId: id } = await loadFixture(receivablesFixture);
      const before = await lens.buyerRecord(ENTITIES.buyer);
      await receivables.connect(supplier).split(id, [FACE / 4n, FACE / 4n, FACE / 2n]);
      const after = await lens.buyerRecord(ENTITIES.buyer);
      expect(after).to.deep.equal(before);
      expect(after.acknowledgedAmount - after.paidOnTimeAmount - after.paidLateAmount).to.be.greaterThan(0n);
    });
  });

  describe("Issue 12 item 8: small gaps", function () {
    it("ReceivableSplit carries the root, the first child and every child's amount", async function () {
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier);
      const first = (await f.lens.totalMinted()) + 1n;
      await expect(f.receivables.connect(f.supplier).split(id, [FACE - 5n, 5n]))
        .to.emit(f.receivables, "ReceivableSplit")
        .withArgs(id, id, first, [FACE - 5n, 5n]);
      await expect(f.receivables.connect(f.supplier).split(first, [FACE - 10n, 5n]))
        .to.emit(f.receivables, "ReceivableSplit")
        .withArgs(first, id, first + 2n, [FACE - 10n, 5n]);
    });
  });
});
