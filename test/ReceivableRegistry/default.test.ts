import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import {
  FACE,
  Status,
  TO_18,
  UNIT,
  acknowledged,
  atNextBlock,
  invoiceInput,
  receivablesFixture,
} from "../shared/receivables";

describe("ReceivableRegistry.default", () => {
  describe("markDefaulted", () => {
    async function overdueFixture() {
      const f = await receivablesFixture();
      const r = await f.lens.receivable(f.acknowledgedId);
      const defaultableAfter = r.dueDate + BigInt(GRACE_PERIOD);
      return { ...f, id: f.acknowledgedId, due: r.dueDate, defaultableAfter };
    }

    it("refuses a default before the due date plus the grace period, up to and including that second", async () => {
      const { receivables, supplier, id, due, defaultableAfter } = await loadFixture(overdueFixture);
      for (const at of [due - 1n, due + 1n, defaultableAfter]) {
        await atNextBlock(at);
        await expect(receivables.connect(supplier).markDefaulted(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotYetDefaultable")
          .withArgs(id, defaultableAfter, at);
      }
    });

    it("refuses a default declared by anyone but the holder, even another wallet of the holder's entity", async () => {
      const { receivables, supplier2, buyer, bank, id, defaultableAfter } = await loadFixture(overdueFixture);
      await time.increaseTo(defaultableAfter + 1n);
      for (const caller of [supplier2, buyer, bank]) {
        await expect(receivables.connect(caller).markDefaulted(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotHolder")
          .withArgs(id, caller.address);
      }
    });

    it("declares a default one second after the grace period and records it against the buyer", async () => {
      const { receivables, lens, supplier, id, defaultableAfter } = await loadFixture(overdueFixture);
      const before = await lens.buyerRecord(ENTITIES.buyer);
      await atNextBlock(defaultableAfter + 1n);
      await expect(receivables.connect(supplier).markDefaulted(id))
        .to.emit(receivables, "ReceivableDefaulted")
        .withArgs(id, supplier.address, FACE);
      expect((await lens.receivable(id)).status).to.equal(Status.Defaulted);
      expect(await lens.isOverdue(id)).to.equal(true);
      const after = await lens.buyerRecord(ENTITIES.buyer);
      expect(after.defaultCount - before.defaultCount).to.equal(1n);
      expect(after.defaultedAmount - before.defaultedAmount).to.equal(FACE * TO_18);
      // A default moves no money: the amounts paid (and so the derived outstanding) are unchanged.
      expect([after.paidOnTimeAmount, after.paidLateAmount, after.recoveredAmount]).to.deep.equal([
        before.paidOnTimeAmount,
        before.paidLateAmount,
        before.recoveredAmount,
      ]);
    });

    it("records only the unpaid part of a partially paid receivable as defaulted", async () => {
      const { receivables, lens, supplier, buyer, id, defaultableAfter } = await loadFixture(overdueFixture);
      await receivables.connect(buyer).pay(id, 35_000n * UNIT);
      const before = await lens.buyerRecord(ENTITIES.buyer);
      await time.increaseTo(defaultableAfter + 1n);
      await expect(receivables.connect(supplier).markDefaulted(id))
        .to.emit(receivables, "ReceivableDefaulted")
        .withArgs(id, supplier.address, 65_000n * UNIT);
      const after = await lens.buyerRecord(ENTITIES.buyer);
      expect(after.defaultedAmount - before.defaultedAmount).to.equal(65_000n * UNIT * TO_18);
    });

    it("lets a financier that bought the receivable declare the default", async () => {
      const { receivables, supplier, bank, id, defaultableAfter } = await loadFixture(overdueFixture);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await time.increaseTo(defaultableAfter + 1n);
      await expect(receivables.connect(supplier).markDefaulted(id))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotHolder")
        .withArgs(id, supplier.address);
      await expect(receivables.connect(bank).markDefaulted(id))
        .to.emit(receivables, "ReceivableDefaulted")
        .withArgs(id, bank.address, FACE);
    });

    it("refuses a default on a receivable that is already Defaulted, Paid, Split or only Submitted", async () => {
      const f = await loadFixture(overdueFixture);
      const { receivables, usdAddress, supplier, buyer, id, submittedId } = f;
      const paid = await acknowledged(
        receivables,
        supplier,
        buyer,
        await invoiceInput(usdAddress, { number: "INV-P" }),
      );
      await receivables.connect(buyer).pay(paid, FACE);
      const parent = await acknowledged(
        receivables,
        supplier,
        buyer,
        await invoiceInput(usdAddress, { number: "INV-S" }),
      );
      await receivables.connect(supplier).split(parent, [FACE / 2n, FACE / 2n]);
      await time.increase(200 * DAY);
      await receivables.connect(supplier).markDefaulted(id);

      const cases: [bigint, bigint][] = [
        [id, Status.Defaulted],
        [paid, Status.Paid],
        [parent, Status.Split],
        [submittedId, Status.Submitted],
      ];
      for (const [target, status] of cases) {
        await expect(receivables.connect(supplier).markDefaulted(target))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
          .withArgs(target, status);
      }
    });

    it("takes later payments as recovery and marks the receivable Paid once fully recovered, without on-time or late credit", async () => {
      const { receivables, lens, usdAddress, supplier, buyer, id, due, defaultableAfter } =
        await loadFixture(overdueFixture);
      await time.increaseTo(defaultableAfter + 1n);
      await receivables.connect(supplier).markDefaulted(id);
      const before = await lens.buyerRecord(ENTITIES.buyer);

      await expect(receivables.connect(buyer).pay(id, 40_000n * UNIT))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, supplier.address, 40_000n * UNIT, 40_000n * UNIT, Status.Defaulted);
      expect((await lens.receivable(id)).status).to.equal(Status.Defaulted);
      const middle = await lens.buyerRecord(ENTITIES.buyer);
      expect(middle.recoveredAmount - before.recoveredAmount).to.equal(40_000n * UNIT * TO_18);

      const at = await atNextBlock(defaultableAfter + BigInt(DAY));
      const daysLate = (at - due + BigInt(DAY) - 1n) / BigInt(DAY);
      await expect(receivables.connect(buyer).pay(id, FACE))
        .to.emit(receivables, "ReceivableSettled")
        .withArgs(id, daysLate);
      expect((await lens.receivable(id)).status).to.equal(Status.Paid);

      const after = await lens.buyerRecord(ENTITIES.buyer);
      expect(after.recoveredAmount - before.recoveredAmount).to.equal(FACE * TO_18);
      // A recovery is neither an on-time nor a late payment.
      expect(after.paidOnTimeAmount).to.equal(before.paidOnTimeAmount);
      expect(after.paidLateAmount).to.equal(before.paidLateAmount);
      expect(after.paidOnTimeCount).to.equal(before.paidOnTimeCount);
      expect(after.paidLateCount).to.equal(before.paidLateCount);
      expect(after.totalDaysLate).to.equal(before.totalDaysLate);
      expect(after.defaultCount).to.equal(before.defaultCount);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(FACE);
    });
  });
});
