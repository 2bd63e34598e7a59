/**
 * FinancingPool: `writeOff`: the default declared by the pool, the loss booked, and recoveries after it.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import {
  acknowledgedReceivable,
  expectMatchesModel,
  expectSolvent,
  financeNow,
  fundedModel,
  poolFixture,
  UNIT,
} from "../shared/pool";
import { FinancingStatus, termsFromAssessment } from "../../src/pure/pool";

describe("FinancingPool.writeOff", () => {
  async function overdueFixture() {
    const f = await poolFixture();
    const { id, input } = await acknowledgedReceivable(f, f.supplier, { number: "INV-BAD", amount: 40_000n * UNIT });
    const terms = termsFromAssessment((await f.pool1.quote(id)).assessment, 40_000n * UNIT);
    await financeNow(f.pool1, f.supplier, id, terms.net);
    const newModel = () => {
      const model = fundedModel(false);
      model.finance(id, f.supplier.address, ENTITIES.buyer, 40_000n * UNIT, terms);
      return model;
    };
    return { ...f, id, terms, newModel, defaultableAfter: BigInt(input.dueDate) + BigInt(GRACE_PERIOD) };
  }

  it("cannot write off before the due date plus the grace period", async () => {
    const f = await loadFixture(overdueFixture);
    await time.setNextBlockTimestamp(f.defaultableAfter);
    await expect(f.pool1.connect(f.bank).writeOff(f.id))
      .to.be.revertedWithCustomError(f.receivables, "ReceivableNotYetDefaultable")
      .withArgs(f.id, f.defaultableAfter, f.defaultableAfter);
  });

  it("applies an uncollected payment, declares the default and books the rest of the principal as a loss", async () => {
    const f = await loadFixture(overdueFixture);
    const { pool1, receivables, lens, buyer, bank, usd, id, terms } = f;
    const model = f.newModel();
    await receivables.connect(buyer).pay(id, 4_000n * UNIT); // not collected before the write-off
    await time.increaseTo(f.defaultableAfter + 1n);
    const { collection, loss } = model.writeOff(id, 4_000n * UNIT);
    expect(collection!.principal).to.equal(4_000n * UNIT);
    expect(loss).to.equal(terms.net - 4_000n * UNIT);
    const tx = pool1.connect(bank).writeOff(id);
    await expect(tx)
      .to.emit(pool1, "Collected")
      .withArgs(id, 4_000n * UNIT, 4_000n * UNIT, 0n, 0n);
    await expect(tx).to.emit(pool1, "WrittenOff").withArgs(id, loss);
    await expect(tx)
      .to.emit(receivables, "ReceivableDefaulted")
      .withArgs(id, await pool1.getAddress(), 36_000n * UNIT);
    await expectMatchesModel(pool1, usd, model, "write-off");
    await expectSolvent(pool1, usd, [f.supplier.address], "write-off");
    expect((await lens.buyerRecord(ENTITIES.buyer)).defaultCount).to.equal(1n);
    await expect(pool1.connect(bank).writeOff(id))
      .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
      .withArgs(id, FinancingStatus.WrittenOff);
  });

  it("counts later recoveries against the loss, then the fee, then the supplier's reserve", async () => {
    const f = await loadFixture(overdueFixture);
    const { pool1, receivables, lens, buyer, bank, outsider, usd, id, terms } = f;
    const model = f.newModel();
    await time.increaseTo(f.defaultableAfter + 1n);
    await pool1.connect(bank).writeOff(id);
    model.writeOff(id, 0n);
    expect(await pool1.losses()).to.equal(terms.net);
    for (const amount of [terms.net - 1n, terms.fee + 2n, 40_000n * UNIT - terms.advance - 1n]) {
      await receivables.connect(buyer).pay(id, amount);
      const c = model.collect(id, (await lens.receivable(id)).paidAmount);
      await expect(pool1.connect(outsider).collect(id))
        .to.emit(pool1, "Collected")
        .withArgs(id, amount, c.principal, c.fee, c.reserve);
      await expectMatchesModel(pool1, usd, model, "recovery");
      await expectSolvent(pool1, usd, [f.supplier.address], "recovery");
    }
    expect(await pool1.losses()).to.equal(0n);
    expect(await pool1.feesEarned()).to.equal(terms.fee);
    expect(await pool1.reserveOf(f.supplier.address)).to.equal(terms.reserve);
    expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Repaid));
  });
});
