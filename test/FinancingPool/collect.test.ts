/**
 * FinancingPool: `collect` and `withdrawReserve`: the waterfall of payments into principal, fee and reserve.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES } from "../shared/fixtures";
import {
  acknowledgedReceivable,
  expectMatchesModel,
  expectSolvent,
  expectUnchanged,
  financeNow,
  fundedModel,
  poolFixture,
  POOL_LIQUIDITY,
  UNIT,
} from "../shared/pool";
import { FinancingStatus, termsFromAssessment } from "../../src/pure/pool";

describe("FinancingPool.collect", () => {
  async function financedFixture() {
    const f = await poolFixture();
    const { id, input } = await acknowledgedReceivable(f, f.supplier, { number: "INV-COLL" });
    const terms = termsFromAssessment((await f.pool1.quote(id)).assessment, 100_000n * UNIT);
    await financeNow(f.pool1, f.supplier, id, terms.net);
    // A factory, not a model: loadFixture hands every test the same objects, and a model is mutable.
    const newModel = () => {
      const model = fundedModel(false);
      model.finance(id, f.supplier.address, ENTITIES.buyer, 100_000n * UNIT, terms);
      return model;
    };
    return { ...f, id, terms, newModel, due: BigInt(input.dueDate) };
  }

  it("applies partial payments as they come: principal first, then the fee, then the reserve", async () => {
    const f = await loadFixture(financedFixture);
    const { pool1, receivables, lens, buyer, supplier, outsider, bank, usd, id, terms } = f;
    const model = f.newModel();
    // One payment inside the principal, one across principal and fee, one across fee and reserve, the rest.
    const p1 = terms.net / 2n;
    const p2 = terms.net - p1 + terms.fee / 2n;
    const p3 = terms.fee - terms.fee / 2n + 1_000n;
    const p4 = 100_000n * UNIT - p1 - p2 - p3;
    const callers = [outsider, buyer, supplier, bank];
    const parts: [bigint, bigint, bigint][] = [];
    for (const [i, amount] of [p1, p2, p3, p4].entries()) {
      await receivables.connect(buyer).pay(id, amount);
      const c = model.collect(id, (await lens.receivable(id)).paidAmount);
      const tx = pool1.connect(callers[i]).collect(id);
      await expect(tx).to.emit(pool1, "Collected").withArgs(id, amount, c.principal, c.fee, c.reserve);
      if (i === 3) await expect(tx).to.emit(pool1, "FinancingRepaid").withArgs(id);
      await expectMatchesModel(pool1, usd, model, `payment ${i + 1}`);
      await expectSolvent(pool1, usd, [supplier.address], `payment ${i + 1}`);
      parts.push([c.principal, c.fee, c.reserve]);
    }
    expect(parts).to.deep.equal([
      [p1, 0n, 0n],
      [terms.net - p1, terms.fee / 2n, 0n],
      [0n, terms.fee - terms.fee / 2n, 1_000n],
      [0n, 0n, p4],
    ]);
    expect(await pool1.reserveOf(supplier.address)).to.equal(terms.reserve);
    expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Repaid));
    expect(await pool1.feesEarned()).to.equal(terms.fee);
    expect(await pool1.liquidity()).to.equal(POOL_LIQUIDITY + terms.fee);
  });

  it("collects several payments made between two collections as one", async () => {
    const f = await loadFixture(financedFixture);
    const { pool1, receivables, buyer, outsider, usd, id } = f;
    const model = f.newModel();
    await receivables.connect(buyer).pay(id, 10_000n * UNIT);
    await receivables.connect(buyer).pay(id, 15_000n * UNIT);
    const c = model.collect(id, 25_000n * UNIT);
    await expect(pool1.connect(outsider).collect(id))
      .to.emit(pool1, "Collected")
      .withArgs(id, 25_000n * UNIT, c.principal, c.fee, c.reserve);
    await expectMatchesModel(pool1, usd, model, "collect");
  });

  it("refuses a collection with no new payment with PoolNothingToCollect", async () => {
    const f = await loadFixture(financedFixture);
    const { pool1, receivables, buyer, outsider, id } = f;
    await expect(pool1.connect(outsider).collect(id))
      .to.be.revertedWithCustomError(pool1, "PoolNothingToCollect")
      .withArgs(id);
    await receivables.connect(buyer).pay(id, 1n);
    await pool1.connect(outsider).collect(id);
    await expectUnchanged(f, pool1, [id], [f.supplier.address], async () => {
      await expect(pool1.connect(outsider).collect(id))
        .to.be.revertedWithCustomError(pool1, "PoolNothingToCollect")
        .withArgs(id);
    });
  });

  it("refuses to collect a receivable the pool never financed, or one already repaid", async () => {
    const f = await loadFixture(financedFixture);
    const { pool1, pool2, receivables, buyer, outsider, id } = f;
    await expect(pool2.connect(outsider).collect(id))
      .to.be.revertedWithCustomError(pool2, "PoolInvalidStatus")
      .withArgs(id, FinancingStatus.None);
    await receivables.connect(buyer).pay(id, 100_000n * UNIT);
    await pool1.connect(outsider).collect(id);
    await expect(pool1.connect(outsider).collect(id))
      .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
      .withArgs(id, FinancingStatus.Repaid);
  });

  it("pays a released reserve to any address and refuses an empty withdrawal", async () => {
    const f = await loadFixture(financedFixture);
    const { pool1, receivables, buyer, supplier, outsider, usd, id, terms } = f;
    await expect(pool1.connect(supplier).withdrawReserve(supplier.address))
      .to.be.revertedWithCustomError(pool1, "PoolNothingToWithdraw")
      .withArgs(supplier.address);
    await receivables.connect(buyer).pay(id, 100_000n * UNIT);
    await pool1.connect(outsider).collect(id);
    await expect(pool1.connect(supplier).withdrawReserve(ethers.ZeroAddress)).to.be.revertedWithCustomError(
      pool1,
      "PoolZeroAddress",
    );
    expect(await pool1.connect(supplier).withdrawReserve.staticCall(outsider.address)).to.equal(terms.reserve);
    await expect(pool1.connect(supplier).withdrawReserve(outsider.address))
      .to.emit(pool1, "ReserveWithdrawn")
      .withArgs(supplier.address, outsider.address, terms.reserve);
    expect(await usd.balanceOf(outsider.address)).to.equal(terms.reserve);
    expect(await pool1.reserveOf(supplier.address)).to.equal(0n);
    await expectSolvent(pool1, usd, [supplier.address], "reserve withdrawal");
  });
});
