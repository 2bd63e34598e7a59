/**
 * FinancingPool: `finance` when the pool finances at once: the terms paid, every refusal, and the supplier's fee bound
 * (issue 12, item 4).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { MockStablecoin } from "../../typechain-types";
import { ENTITIES } from "../shared/fixtures";
import { invoiceInput, Status, submit } from "../shared/receivables";
import {
  acknowledgedReceivable,
  checkedTerms,
  expectMatchesModel,
  expectSolvent,
  expectUnchanged,
  farDeadline,
  financedArgs,
  financeNow,
  fundedModel,
  largeRequestFixture,
  modelAssessment,
  poolFixture,
  quoteTerms,
  repricingPolicy,
  POLICY_1,
  POOL_LIQUIDITY,
  UNIT,
} from "../shared/pool";
import { standardPolicy } from "../../src/pure/policy";
import { assessmentFromChain, REASON } from "../../src/pure/risk";
import { FinancingStatus } from "../../src/pure/pool";

describe("FinancingPool.finance", () => {
  describe("financing at once", () => {
    it("moves the receivable to the pool, pays the supplier the net advance and matches the model", async () => {
      const f = await loadFixture(poolFixture);
      const { pool1, supplier, usd, receivables, lens } = f;
      const model = fundedModel(false);
      const { id } = await acknowledgedReceivable(f, supplier, { number: "INV-NOW" });
      const terms = await checkedTerms(f, pool1, POLICY_1, id);
      const before = await usd.balanceOf(supplier.address);
      expect(
        await pool1.connect(supplier).finance.staticCall(id, terms.net, ethers.MaxUint256, await farDeadline()),
      ).to.equal(true);
      const buyerIndex = (await lens.receivable(id)).buyerIndex;
      await expect(financeNow(pool1, supplier, id, terms.net))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, terms));
      model.finance(id, supplier.address, ENTITIES.buyer, 100_000n * UNIT, terms);
      await expectMatchesModel(pool1, usd, model, "finance");
      await expectSolvent(pool1, usd, [supplier.address], "finance");
      expect(await usd.balanceOf(supplier.address)).to.equal(before + terms.net);
      expect(await receivables.ownerOf(id)).to.equal(await pool1.getAddress());
      const rec = await pool1.financing(id);
      expect([
        rec.supplier,
        rec.status,
        rec.recourse,
        rec.advance,
        rec.fee,
        rec.faceAmount,
        rec.collected,
      ]).to.deep.equal([
        supplier.address,
        BigInt(FinancingStatus.Active),
        false,
        terms.advance,
        terms.fee,
        100_000n * UNIT,
        0n,
      ]);
      expect(await pool1.buyerExposure(buyerIndex)).to.equal(terms.net);
    });

    it("refuses a net advance below the supplier's minimum with PoolSlippage", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-SLIP" });
      const terms = await checkedTerms(f, f.pool1, POLICY_1, id);
      await expectUnchanged(f, f.pool1, [id], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, id, terms.net + 1n))
          .to.be.revertedWithCustomError(f.pool1, "PoolSlippage")
          .withArgs(id, terms.net, terms.net + 1n);
      });
    });

    it("refuses a financing after the supplier's deadline with PoolDeadlinePassed", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-LATE" });
      const deadline = BigInt(await time.latest()) + 10n;
      await expectUnchanged(f, f.pool1, [id], [f.supplier.address], async () => {
        await time.setNextBlockTimestamp(deadline + 1n);
        await expect(f.pool1.connect(f.supplier).finance(id, 0n, ethers.MaxUint256, deadline))
          .to.be.revertedWithCustomError(f.pool1, "PoolDeadlinePassed")
          .withArgs(deadline, deadline + 1n);
      });
    });

    it("accepts a financing at the deadline's last second", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-EDGE" });
      const deadline = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(deadline);
      await expect(f.pool1.connect(f.supplier).finance(id, 0n, ethers.MaxUint256, deadline)).to.emit(
        f.pool1,
        "Financed",
      );
    });

    it("refuses a receivable already held by bank 1 to bank 2 with PoolNotHolder", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-TWICE" });
      await financeNow(f.pool1, f.supplier, id);
      await expectUnchanged(f, f.pool2, [id], [f.supplier.address], async () => {
        await expect(financeNow(f.pool2, f.supplier, id))
          .to.be.revertedWithCustomError(f.pool2, "PoolNotHolder")
          .withArgs(id, f.supplier.address);
      });
    });

    it("refuses a financing asked by someone who does not hold the receivable with PoolNotHolder", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-NOTMINE" });
      await expect(financeNow(f.pool1, f.supplier2, id))
        .to.be.revertedWithCustomError(f.pool1, "PoolNotHolder")
        .withArgs(id, f.supplier2.address);
    });

    it("refuses to finance the same receivable twice with PoolAlreadyFinanced", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-AGAIN" });
      await financeNow(f.pool1, f.supplier, id);
      await expect(financeNow(f.pool1, f.supplier, id))
        .to.be.revertedWithCustomError(f.pool1, "PoolAlreadyFinanced")
        .withArgs(id, FinancingStatus.Active);
    });

    it("refuses a frozen receivable with PoolNotEligible carrying the FROZEN bit", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-FROZEN" });
      await f.receivables.connect(f.regulator).freeze(id, ethers.encodeBytes32String("investigation"));
      const a = await f.riskEngine.assessForPool(id, await f.pool1.getAddress());
      expect(a.reasonCodes & REASON.FROZEN).to.equal(REASON.FROZEN);
      expect(assessmentFromChain(a)).to.deep.equal(await modelAssessment(f, f.pool1, POLICY_1, id));
      await expectUnchanged(f, f.pool1, [id], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, id))
          .to.be.revertedWithCustomError(f.pool1, "PoolNotEligible")
          .withArgs(id, a.reasonCodes);
      });
    });

    it("refuses a receivable the buyer has not acknowledged with PoolNotFinanceable", async () => {
      const f = await loadFixture(poolFixture);
      const id = await submit(f.receivables, f.supplier, await invoiceInput(f.usdAddress, { number: "INV-SUBM" }));
      await expect(financeNow(f.pool1, f.supplier, id))
        .to.be.revertedWithCustomError(f.pool1, "PoolNotFinanceable")
        .withArgs(id, Status.Submitted);
    });

    it("refuses a partly paid receivable with PoolNotFinanceable", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-PART" });
      await f.receivables.connect(f.buyer).pay(id, 1n);
      await expect(financeNow(f.pool1, f.supplier, id))
        .to.be.revertedWithCustomError(f.pool1, "PoolNotFinanceable")
        .withArgs(id, Status.PartiallyPaid);
    });

    it("refuses a receivable in another currency with PoolCurrencyMismatch", async () => {
      const f = await loadFixture(poolFixture);
      const eur = (await ethers.deployContract("MockStablecoin", ["Test EUR", "tEUR", 6])) as unknown as MockStablecoin;
      const eurAddress = await eur.getAddress();
      await f.participants.connect(f.admin).setCurrencyAllowed(eurAddress, true);
      const id = await submit(f.receivables, f.supplier, await invoiceInput(eurAddress, { number: "INV-EUR" }));
      await f.receivables.connect(f.buyer).acknowledge(id);
      await expect(financeNow(f.pool1, f.supplier, id))
        .to.be.revertedWithCustomError(f.pool1, "PoolCurrencyMismatch")
        .withArgs(id, eurAddress, f.usdAddress);
    });

    it("refuses new financing while the receivable registry is paused with PoolRegistryPaused", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-PAUSE" });
      await f.receivables.connect(f.pauser).pause();
      await expectUnchanged(f, f.pool1, [id], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, id)).to.be.revertedWithCustomError(f.pool1, "PoolRegistryPaused");
      });
    });

    it("refuses an advance above the per-buyer exposure limit with PoolNotEligible carrying CONCENTRATION_LIMIT", async () => {
      const f = await loadFixture(poolFixture);
      const { id: first } = await acknowledgedReceivable(f, f.supplier, { number: "INV-CONC-1" });
      const { id: second } = await acknowledgedReceivable(f, f.supplier, { number: "INV-CONC-2" });
      const t1 = await checkedTerms(f, f.pool1, POLICY_1, first);
      // Room for exactly one advance: exposure counts net advances, the check adds the next gross advance.
      const policy = standardPolicy(6, { buyerExposureLimit: t1.net + t1.advance - 1n });
      await f.pool1.connect(f.bank).setPolicy(policy);
      await financeNow(f.pool1, f.supplier, first);
      expect(await f.pool1.buyerExposureOf(ENTITIES.buyer)).to.equal(t1.net);
      const a = await f.riskEngine.assessForPool(second, await f.pool1.getAddress());
      expect(a.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(REASON.CONCENTRATION_LIMIT);
      expect(assessmentFromChain(a)).to.deep.equal(await modelAssessment(f, f.pool1, policy, second));
      await expectUnchanged(f, f.pool1, [second], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, second))
          .to.be.revertedWithCustomError(f.pool1, "PoolNotEligible")
          .withArgs(second, a.reasonCodes);
      });
      // Another bank has its own limit.
      await expect(financeNow(f.pool2, f.supplier, second)).to.emit(f.pool2, "Financed");
    });

    it("refuses a financing above the pool's total exposure limit with PoolTotalExposureLimit", async () => {
      const f = await loadFixture(poolFixture);
      const { id: first } = await acknowledgedReceivable(f, f.supplier, { number: "INV-TOTAL-1" });
      const { id: second } = await acknowledgedReceivable(f, f.supplier, { number: "INV-TOTAL-2" });
      const t1 = await checkedTerms(f, f.pool1, POLICY_1, first);
      await financeNow(f.pool1, f.supplier, first);
      const t2 = await checkedTerms(f, f.pool1, POLICY_1, second);
      const limit = t1.net + t2.net - 1n;
      await f.pool1.connect(f.bank).setPolicy(standardPolicy(6, { totalExposureLimit: limit }));
      await expectUnchanged(f, f.pool1, [second], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, second))
          .to.be.revertedWithCustomError(f.pool1, "PoolTotalExposureLimit")
          .withArgs(t1.net, t2.net, limit);
      });
      await f.pool1.connect(f.bank).setPolicy(standardPolicy(6, { totalExposureLimit: limit + 1n }));
      await expect(financeNow(f.pool1, f.supplier, second)).to.emit(f.pool1, "Financed");
    });

    it("refuses a net advance above free liquidity with PoolInsufficientLiquidity", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-DRY" });
      const t = await checkedTerms(f, f.pool1, POLICY_1, id);
      await f.pool1.connect(f.bank).withdrawLiquidity(POOL_LIQUIDITY - (t.net - 1n), f.bank.address);
      await expectUnchanged(f, f.pool1, [id], [f.supplier.address], async () => {
        await expect(financeNow(f.pool1, f.supplier, id))
          .to.be.revertedWithCustomError(f.pool1, "PoolInsufficientLiquidity")
          .withArgs(t.net - 1n, t.net);
      });
      await f.pool1.connect(f.bank).deposit(1n);
      await expect(financeNow(f.pool1, f.supplier, id)).to.emit(f.pool1, "Financed");
      expect(await f.pool1.liquidity()).to.equal(0n);
    });
  });

  describe("the supplier's fee bound (issue 12, item 4)", () => {
    it("refuses a financing whose fee a policy change just before raised above the supplier's bound", async () => {
      const f = await loadFixture(largeRequestFixture);
      const { pool1, supplier, bank, id, quoted } = f;
      const attack = await repricingPolicy(f, id, quoted.net);
      // The manager's change lands just before the supplier's transaction.
      await pool1.connect(bank).setPolicy(attack);
      const repriced = quoteTerms(await pool1.quote(id));
      // The minimum net advance alone does not protect the reserve: it is met.
      expect(repriced.net).to.be.at.least(quoted.net);
      await expect(financeNow(pool1, supplier, id, quoted.net, quoted.fee))
        .to.be.revertedWithCustomError(pool1, "PoolFeeTooHigh")
        .withArgs(id, repriced.fee, quoted.fee);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.None));
      expect(await pool1.committed()).to.equal(0n);
    });

    it("refuses an auto-approved financing whose fee is one unit above the bound, and accepts it at the bound", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "RULES-AUTO" });
      const t = quoteTerms(await f.pool1.quote(id));
      await expect(financeNow(f.pool1, f.supplier, id, 0n, t.fee - 1n))
        .to.be.revertedWithCustomError(f.pool1, "PoolFeeTooHigh")
        .withArgs(id, t.fee, t.fee - 1n);
      await expect(financeNow(f.pool1, f.supplier, id, t.net, t.fee)).to.emit(f.pool1, "Financed");
    });
  });
});
