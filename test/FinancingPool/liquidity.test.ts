/**
 * FinancingPool: the manager's liquidity: deposits and withdrawals, and liquidity committed to pending requests.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  acknowledgedReceivable,
  APPROVAL_POLICY,
  checkedTerms,
  expectMatchesModel,
  expectSolvent,
  expectUnchanged,
  farDeadline,
  financeNow,
  fundedModel,
  poolFixture,
  POOL_LIQUIDITY,
  UNIT,
} from "../shared/pool";

describe("FinancingPool.liquidity", () => {
  it("takes a deposit from the manager and emits LiquidityDeposited", async () => {
    const { pool1, usd, bank } = await loadFixture(poolFixture);
    const model = fundedModel(false);
    await usd.mint(bank.address, 500n * UNIT);
    await expect(pool1.connect(bank).deposit(500n * UNIT))
      .to.emit(pool1, "LiquidityDeposited")
      .withArgs(bank.address, 500n * UNIT);
    model.deposit(500n * UNIT);
    await expectMatchesModel(pool1, usd, model, "deposit");
    expect(await usd.balanceOf(bank.address)).to.equal(0n);
  });

  it("sends free liquidity to any address and emits LiquidityWithdrawn", async () => {
    const { pool1, usd, bank, outsider } = await loadFixture(poolFixture);
    const model = fundedModel(false);
    await expect(pool1.connect(bank).withdrawLiquidity(POOL_LIQUIDITY, outsider.address))
      .to.emit(pool1, "LiquidityWithdrawn")
      .withArgs(outsider.address, POOL_LIQUIDITY);
    model.withdrawLiquidity(POOL_LIQUIDITY);
    await expectMatchesModel(pool1, usd, model, "withdrawal");
    expect(await usd.balanceOf(outsider.address)).to.equal(POOL_LIQUIDITY);
  });

  it("refuses a deposit larger than its 128-bit accounting holds, before any token moves", async () => {
    const f = await loadFixture(poolFixture);
    const { pool1, bank } = f;
    const tooMuch = 2n ** 128n;
    await expectUnchanged(f, pool1, [], [bank.address], async () => {
      await expect(pool1.connect(bank).deposit(tooMuch))
        .to.be.revertedWithCustomError(pool1, "PoolAmountTooLarge")
        .withArgs(tooMuch, 2n ** 128n - 1n);
    });
  });

  it("refuses a zero deposit, a zero withdrawal, a withdrawal to the zero address and one above liquidity", async () => {
    const f = await loadFixture(poolFixture);
    const { pool1, bank } = f;
    await expectUnchanged(f, pool1, [], [bank.address], async () => {
      await expect(pool1.connect(bank).deposit(0n)).to.be.revertedWithCustomError(pool1, "PoolZeroAmount");
      await expect(pool1.connect(bank).withdrawLiquidity(0n, bank.address)).to.be.revertedWithCustomError(
        pool1,
        "PoolZeroAmount",
      );
      await expect(pool1.connect(bank).withdrawLiquidity(1n, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        pool1,
        "PoolZeroAddress",
      );
      await expect(pool1.connect(bank).withdrawLiquidity(POOL_LIQUIDITY + 1n, bank.address))
        .to.be.revertedWithCustomError(pool1, "PoolInsufficientLiquidity")
        .withArgs(POOL_LIQUIDITY, POOL_LIQUIDITY + 1n);
    });
  });

  it("never lets the manager withdraw liquidity committed to a pending request", async () => {
    const f = await loadFixture(poolFixture);
    const { pool1, bank, supplier, usd } = f;
    await pool1.connect(bank).setPolicy(APPROVAL_POLICY);
    const { id } = await acknowledgedReceivable(f, supplier, { number: "INV-COMMIT" });
    const terms = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
    expect(await pool1.connect(supplier).finance.staticCall(id, 0n, ethers.MaxUint256, await farDeadline())).to.equal(
      false,
    );
    await financeNow(pool1, supplier, id);
    expect(await pool1.committed()).to.equal(terms.net);
    const free = POOL_LIQUIDITY - terms.net;
    await expect(pool1.connect(bank).withdrawLiquidity(free + 1n, bank.address))
      .to.be.revertedWithCustomError(pool1, "PoolInsufficientLiquidity")
      .withArgs(free, free + 1n);
    await pool1.connect(bank).withdrawLiquidity(free, bank.address);
    expect(await pool1.liquidity()).to.equal(terms.net);
    await expectSolvent(pool1, usd, [supplier.address], "withdrawing all free liquidity");
    // The committed liquidity is still there for the approval.
    await expect(pool1.connect(bank).approveRequest(id)).to.emit(pool1, "Financed");
    expect(await pool1.liquidity()).to.equal(0n);
  });
});
