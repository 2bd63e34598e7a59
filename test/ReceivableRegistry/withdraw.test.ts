import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { UNIT, FACE, settlementFixture } from "../shared/receivables";

describe("ReceivableRegistry.withdraw", () => {
  describe("withdraw", () => {
    it("sends everything credited in a currency to the recipient and emits ProceedsWithdrawn", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usd, usdAddress, acknowledgedId: id, supplier, buyer, outsider } = f;
      await receivables.connect(buyer).pay(id, 30_000n * UNIT);
      await receivables.connect(buyer).pay(id, 20_000n * UNIT);
      expect(await receivables.connect(supplier).withdraw.staticCall(usdAddress, outsider.address)).to.equal(
        50_000n * UNIT,
      );
      const tx = receivables.connect(supplier).withdraw(usdAddress, outsider.address);
      await expect(tx)
        .to.emit(receivables, "ProceedsWithdrawn")
        .withArgs(supplier.address, usdAddress, outsider.address, 50_000n * UNIT);
      await expect(tx).to.changeTokenBalances(usd, [outsider, receivables], [50_000n * UNIT, -(50_000n * UNIT)]);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(0n);
    });

    it("refuses a second withdrawal of the same proceeds", async () => {
      const { receivables, usdAddress, acknowledgedId: id, supplier, buyer } = await loadFixture(settlementFixture);
      await receivables.connect(buyer).pay(id, FACE);
      await receivables.connect(supplier).withdraw(usdAddress, supplier.address);
      await expect(receivables.connect(supplier).withdraw(usdAddress, supplier.address))
        .to.be.revertedWithCustomError(receivables, "ReceivableNothingToWithdraw")
        .withArgs(supplier.address, usdAddress);
    });

    it("refuses a caller with nothing credited in that currency", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usdAddress, noReturnToken, acknowledgedId: id, supplier, buyer, outsider } = f;
      await expect(receivables.connect(outsider).withdraw(usdAddress, outsider.address))
        .to.be.revertedWithCustomError(receivables, "ReceivableNothingToWithdraw")
        .withArgs(outsider.address, usdAddress);
      // Credit in one currency is not credit in another.
      await receivables.connect(buyer).pay(id, FACE);
      const other = await noReturnToken.getAddress();
      await expect(receivables.connect(supplier).withdraw(other, supplier.address))
        .to.be.revertedWithCustomError(receivables, "ReceivableNothingToWithdraw")
        .withArgs(supplier.address, other);
    });

    it("refuses the zero address as recipient", async () => {
      const { receivables, usdAddress, acknowledgedId: id, supplier, buyer } = await loadFixture(settlementFixture);
      await receivables.connect(buyer).pay(id, FACE);
      await expect(
        receivables.connect(supplier).withdraw(usdAddress, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(receivables, "ReceivableZeroRecipient");
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(FACE);
    });
  });
});
