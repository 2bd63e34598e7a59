/**
 * FinancingPool: `exerciseRecourse`: the supplier buys a defaulted receivable back when the policy had recourse.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { GRACE_PERIOD } from "../shared/fixtures";
import { acknowledgedReceivable, expectSolvent, expectUnchanged, financeNow, poolFixture, UNIT } from "../shared/pool";
import { FinancingStatus, recoursePrice } from "../../src/pure/pool";

describe("FinancingPool.recourse", () => {
  async function recourseFixture() {
    const f = await poolFixture();
    const { id, input } = await acknowledgedReceivable(f, f.supplier, { number: "INV-REC", amount: 20_000n * UNIT });
    const { id: noRecourse, input: input2 } = await acknowledgedReceivable(f, f.supplier, {
      number: "INV-NOREC",
      amount: 20_000n * UNIT,
    });
    await financeNow(f.pool2, f.supplier, id);
    await financeNow(f.pool1, f.supplier, noRecourse);
    const lastDue = BigInt(input2.dueDate) > BigInt(input.dueDate) ? BigInt(input2.dueDate) : BigInt(input.dueDate);
    return { ...f, id, noRecourse, defaultableAfter: lastDue + BigInt(GRACE_PERIOD) };
  }

  it("is not available before due date plus grace (the registry refuses the default)", async () => {
    const f = await loadFixture(recourseFixture);
    expect((await f.pool2.financing(f.id)).recourse).to.equal(true);
    await expect(f.pool2.connect(f.supplier).exerciseRecourse(f.id)).to.be.revertedWithCustomError(
      f.receivables,
      "ReceivableNotYetDefaultable",
    );
    expect((await f.pool2.financing(f.id)).status).to.equal(FinancingStatus.Active);
  });

  it("does not wait for the manager: after due date plus grace it declares the default itself", async () => {
    const f = await loadFixture(recourseFixture);
    await time.increaseTo(f.defaultableAfter + 1n);
    // Only the holder (the pool) may declare the default in the registry; exerciseRecourse does it.
    await expect(f.receivables.connect(f.supplier).markDefaulted(f.id))
      .to.be.revertedWithCustomError(f.receivables, "ReceivableNotHolder")
      .withArgs(f.id, f.supplier.address);
    await expect(f.pool2.connect(f.supplier).exerciseRecourse(f.id))
      .to.emit(f.pool2, "RecourseExercised")
      .and.to.emit(f.receivables, "ReceivableDefaulted");
    expect((await f.lens.receivable(f.id)).status).to.equal(7n);
    expect(await f.receivables.ownerOf(f.id)).to.equal(f.supplier.address);
  });

  it("is not available when the policy at financing had no recourse", async () => {
    const f = await loadFixture(recourseFixture);
    await time.increaseTo(f.defaultableAfter + 1n);
    await f.pool1.connect(f.bank).writeOff(f.noRecourse);
    await expectUnchanged(f, f.pool1, [f.noRecourse], [f.supplier.address], async () => {
      await expect(f.pool1.connect(f.supplier).exerciseRecourse(f.noRecourse))
        .to.be.revertedWithCustomError(f.pool1, "PoolRecourseNotAvailable")
        .withArgs(f.noRecourse);
    });
  });

  it("is only for the financed supplier, not another wallet of the same company", async () => {
    const f = await loadFixture(recourseFixture);
    await time.increaseTo(f.defaultableAfter + 1n);
    await f.pool2.connect(f.bank2).writeOff(f.id);
    for (const caller of [f.supplier2, f.outsider]) {
      await expect(f.pool2.connect(caller).exerciseRecourse(f.id))
        .to.be.revertedWithCustomError(f.pool2, "PoolNotSupplier")
        .withArgs(f.id, caller.address);
    }
  });

  it("sells the receivable back for advance − collected after a partial payment, and only once", async () => {
    const f = await loadFixture(recourseFixture);
    const { pool2, receivables, buyer, supplier, bank2, usd, id } = f;
    const rec = await pool2.financing(id);
    const paid = rec.advance - rec.fee + 1_000n; // the principal and part of the fee
    await receivables.connect(buyer).pay(id, paid);
    await time.increaseTo(f.defaultableAfter + 1n);
    await pool2.connect(bank2).writeOff(id);
    const price = recoursePrice({ advance: rec.advance, collected: paid });
    expect(price).to.equal(rec.fee - 1_000n);
    const before = await usd.balanceOf(supplier.address);
    const feesBefore = await pool2.feesEarned();
    await expect(pool2.connect(supplier).exerciseRecourse(id))
      .to.emit(pool2, "RecourseExercised")
      .withArgs(id, supplier.address, price);
    expect(await usd.balanceOf(supplier.address)).to.equal(before - price);
    expect(await pool2.feesEarned()).to.equal(feesBefore + price);
    expect(await receivables.ownerOf(id)).to.equal(supplier.address);
    await expectSolvent(pool2, usd, [supplier.address], "recourse");
    await expect(pool2.connect(supplier).exerciseRecourse(id))
      .to.be.revertedWithCustomError(pool2, "PoolInvalidStatus")
      .withArgs(id, FinancingStatus.BoughtBack);
  });
});
