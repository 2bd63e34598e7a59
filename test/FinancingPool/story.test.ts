/**
 * FinancingPool: the two-bank story: finances, collects, writes off and buys back across two banks, every balance checked
 * against the reference model (src/pure/pool.ts) after each step.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { FinancingPool } from "../../typechain-types";
import { DAY, ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import { Status } from "../shared/receivables";
import {
  acknowledgedReceivable,
  checkedTerms,
  expectMatchesModel,
  expectSolvent,
  financedArgs,
  financeNow,
  fundedModel,
  poolFixture,
  POLICY_1,
  POLICY_2,
  UNIT,
} from "../shared/pool";
import type { RiskPolicy } from "../../src/pure/risk";
import { FinancingStatus, PoolModel } from "../../src/pure/pool";

describe("FinancingPool.story", () => {
  it("finances, collects, writes off and buys back across two banks with every balance equal to the model", async () => {
    const f = await loadFixture(poolFixture);
    const { receivables, lens, usd, pool1, pool2, supplier, supplier2, tier2, buyer, outsider, bank, bank2 } = f;
    const m1 = fundedModel(POLICY_1.recourse);
    const m2 = fundedModel(POLICY_2.recourse);
    const wallets = [supplier, supplier2, tier2].map((s) => s.address);
    const expected = new Map<string, bigint>();
    for (const w of wallets) expected.set(w, await usd.balanceOf(w));
    const credit = (w: string, amount: bigint) => expected.set(w, (expected.get(w) ?? 0n) + amount);

    const check = async (step: string) => {
      for (const [pool, model] of [
        [pool1, m1],
        [pool2, m2],
      ] as const) {
        await expectSolvent(pool, usd, wallets, step);
        await expectMatchesModel(pool, usd, model, step);
        for (const [id, mf] of model.financings) {
          const cf = await pool.financing(id);
          expect(
            [cf.supplier, cf.status, cf.grade, cf.recourse, cf.advance, cf.fee, cf.faceAmount, cf.collected],
            `financing ${id} after ${step}`,
          ).to.deep.equal([
            mf.supplier,
            BigInt(mf.status),
            BigInt(mf.grade),
            mf.recourse,
            mf.advance,
            mf.fee,
            mf.faceAmount,
            mf.collected,
          ]);
        }
      }
      for (const w of wallets)
        expect(await usd.balanceOf(w), `balance of ${w} after ${step}`).to.equal(expected.get(w));
    };

    const finance = async (
      pool: FinancingPool,
      model: PoolModel,
      policy: RiskPolicy,
      s: HardhatEthersSigner,
      id: bigint,
    ) => {
      const terms = await checkedTerms(f, pool, policy, id);
      const r = await lens.receivable(id);
      await expect(financeNow(pool, s, id, terms.net))
        .to.emit(pool, "Financed")
        .withArgs(...financedArgs(id, s.address, r.buyerIndex, terms));
      expect(await receivables.ownerOf(id)).to.equal(await pool.getAddress());
      model.finance(id, s.address, ENTITIES.buyer, r.faceAmount, terms);
      credit(s.address, terms.net);
      await check(`financing ${id}`);
      return terms;
    };

    const collect = async (pool: FinancingPool, model: PoolModel, id: bigint, caller: HardhatEthersSigner) => {
      const c = model.collect(id, (await lens.receivable(id)).paidAmount);
      const tx = pool.connect(caller).collect(id);
      await expect(tx).to.emit(pool, "Collected").withArgs(id, c.amount, c.principal, c.fee, c.reserve);
      if (c.repaid) await expect(tx).to.emit(pool, "FinancingRepaid").withArgs(id);
      else await expect(tx).not.to.emit(pool, "FinancingRepaid");
      await check(`collecting ${id}`);
      return c;
    };

    const start = BigInt(await time.latest());
    await check("deposits");

    // Four receivables of the same buyer: A (due in 60 days), B (40 days, to be split), C and D (20 days).
    const a = await acknowledgedReceivable(f, supplier, { number: "INV-A", amount: 100_000n * UNIT });
    const b = await acknowledgedReceivable(f, supplier, {
      number: "INV-B",
      amount: 80_000n * UNIT,
      dueDate: Number(start + 40n * BigInt(DAY)),
    });
    const c = await acknowledgedReceivable(f, supplier2, {
      number: "INV-C",
      amount: 40_000n * UNIT,
      dueDate: Number(start + 20n * BigInt(DAY)),
    });
    const d = await acknowledgedReceivable(f, supplier2, {
      number: "INV-D",
      amount: 20_000n * UNIT,
      dueDate: Number(start + 20n * BigInt(DAY)),
    });
    // The tier-1 supplier splits B and pays its tier-2 supplier with the 30,000 child.
    const firstChild = (await lens.totalMinted()) + 1n;
    await receivables.connect(supplier).split(b.id, [50_000n * UNIT, 30_000n * UNIT]);
    const child = firstChild + 1n;
    await receivables.connect(supplier).transferFrom(supplier.address, tier2.address, child);

    // Financing: A and C by bank 1 (no recourse), the child and D by bank 2 (recourse).
    // Liquidity changes caused by A's own steps, to show the pool gets back N + F for the N it paid.
    let liquidityChangeA = -(await pool1.liquidity());
    const termsA = await finance(pool1, m1, POLICY_1, supplier, a.id);
    liquidityChangeA += await pool1.liquidity();
    expect(liquidityChangeA).to.equal(-termsA.net);
    const termsC = await finance(pool1, m1, POLICY_1, supplier2, c.id);
    await finance(pool2, m2, POLICY_2, tier2, child);
    const termsD = await finance(pool2, m2, POLICY_2, supplier2, d.id);
    expect(termsA.grade).to.equal(1); // grade B for a 1.5 % PD buyer with no history
    expect(termsA.reserve).to.equal(100_000n * UNIT - termsA.advance);

    // Day 10: partial payments on C and D, collected by an outsider.
    await time.increaseTo(start + 10n * BigInt(DAY));
    await receivables.connect(buyer).pay(c.id, 10_000n * UNIT);
    await collect(pool1, m1, c.id, outsider);
    await receivables.connect(buyer).pay(d.id, 5_000n * UNIT);
    await collect(pool2, m2, d.id, outsider);

    // Day 30: 30,000 of A paid and collected by the buyer; day 50: the rest, on time, collected by the supplier.
    await time.increaseTo(start + 30n * BigInt(DAY));
    await receivables.connect(buyer).pay(a.id, 30_000n * UNIT);
    liquidityChangeA -= await pool1.liquidity();
    const a1 = await collect(pool1, m1, a.id, buyer);
    liquidityChangeA += await pool1.liquidity();
    expect([a1.principal, a1.fee, a1.reserve]).to.deep.equal([30_000n * UNIT, 0n, 0n]);

    // Day 45: the child is paid in full five days late; bank 2 collects; tier 2 withdraws its reserve.
    await time.increaseTo(start + 45n * BigInt(DAY));
    await receivables.connect(buyer).pay(child, 30_000n * UNIT);
    await collect(pool2, m2, child, bank2);
    expect(await lens.isOverdue(child)).to.equal(false);
    // By amount the late payment counts at once; the count waits for the child's whole family (its original
    // invoice) to be paid.
    const record = await lens.buyerRecord(ENTITIES.buyer);
    expect(record.paidLateAmount).to.equal(30_000n * UNIT * 10n ** 12n);
    expect(record.paidLateCount).to.equal(0n);
    const tier2Reserve = m2.withdrawReserve(tier2.address);
    await expect(pool2.connect(tier2).withdrawReserve(tier2.address))
      .to.emit(pool2, "ReserveWithdrawn")
      .withArgs(tier2.address, tier2.address, tier2Reserve);
    credit(tier2.address, tier2Reserve);
    await check("tier 2 withdrawing its reserve");

    await time.increaseTo(start + 50n * BigInt(DAY));
    await receivables.connect(buyer).pay(a.id, 70_000n * UNIT);
    liquidityChangeA -= await pool1.liquidity();
    const a2 = await collect(pool1, m1, a.id, supplier);
    liquidityChangeA += await pool1.liquidity();
    expect(a2.principal + a1.principal).to.equal(termsA.net);
    expect(a2.fee).to.equal(termsA.fee);
    expect(a2.reserve).to.equal(termsA.reserve);
    // Over A's life the pool paid out N and got back N + F: its liquidity rose by exactly the fee.
    expect(liquidityChangeA).to.equal(termsA.fee);

    // Day 51: C is past due + grace; bank 1 writes it off and the pool declares the default in the registry.
    await time.increaseTo(start + 51n * BigInt(DAY));
    expect(start + 51n * BigInt(DAY)).to.be.greaterThan(BigInt(c.input.dueDate) + BigInt(GRACE_PERIOD));
    const lossC = m1.writeOff(c.id, (await lens.receivable(c.id)).paidAmount).loss;
    expect(lossC).to.equal(termsC.net - 10_000n * UNIT);
    const writeOffC = pool1.connect(bank).writeOff(c.id);
    await expect(writeOffC).to.emit(pool1, "WrittenOff").withArgs(c.id, lossC);
    await expect(writeOffC)
      .to.emit(receivables, "ReceivableDefaulted")
      .withArgs(c.id, await pool1.getAddress(), 30_000n * UNIT);
    expect((await lens.receivable(c.id)).status).to.equal(Status.Defaulted);
    await check("writing C off");

    // D: bank 2 writes it off, then the supplier buys it back for advance − collected.
    m2.writeOff(d.id, (await lens.receivable(d.id)).paidAmount);
    await pool2.connect(bank2).writeOff(d.id);
    await check("writing D off");
    const price = m2.exerciseRecourse(d.id, (await lens.receivable(d.id)).paidAmount).price;
    expect(price).to.equal(termsD.advance - 5_000n * UNIT);
    await expect(pool2.connect(supplier2).exerciseRecourse(d.id))
      .to.emit(pool2, "RecourseExercised")
      .withArgs(d.id, supplier2.address, price);
    credit(supplier2.address, -price);
    expect(await receivables.ownerOf(d.id)).to.equal(supplier2.address);
    await check("recourse on D");
    // Bank 2 lost nothing on D: the buy-back repaid the written-off principal and the fee.
    expect(await pool2.losses()).to.equal(0n);

    // The supplier collects A's reserve and ends with face − fee.
    const reserveA = m1.withdrawReserve(supplier.address);
    await expect(pool1.connect(supplier).withdrawReserve(supplier.address))
      .to.emit(pool1, "ReserveWithdrawn")
      .withArgs(supplier.address, supplier.address, reserveA);
    credit(supplier.address, reserveA);
    await check("supplier withdrawing A's reserve");
    expect(await usd.balanceOf(supplier.address)).to.equal(100_000n * UNIT - termsA.fee);

    // Final positions: bank 1 earned A's fee and lost C's unpaid principal; bank 2 earned both fees.
    expect(await pool1.feesEarned()).to.equal(termsA.fee);
    expect(await pool1.losses()).to.equal(lossC);
    expect(await pool1.outstandingAdvances()).to.equal(0n);
    expect(await pool2.outstandingAdvances()).to.equal(0n);
    expect(await pool1.buyerExposureOf(ENTITIES.buyer)).to.equal(0n);
    expect((await pool1.financing(a.id)).status).to.equal(BigInt(FinancingStatus.Repaid));
    expect((await pool1.financing(c.id)).status).to.equal(BigInt(FinancingStatus.WrittenOff));
    expect((await pool2.financing(child)).status).to.equal(BigInt(FinancingStatus.Repaid));
    expect((await pool2.financing(d.id)).status).to.equal(BigInt(FinancingStatus.BoughtBack));
  });
});
