import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner as Signer } from "@nomicfoundation/hardhat-ethers/signers";
import { DAY, ENTITIES } from "../shared/fixtures";
import {
  FACE,
  FEE_BPS,
  Hook,
  Status,
  TO_18,
  UNIT,
  acknowledged,
  atNextBlock,
  childIds,
  invoiceInput,
  pdOf,
  poolWorldFixture,
  registerSupplier,
  settlementFixture,
  splitInto,
  submit,
  tierFixture,
  worldInvoice,
} from "../shared/receivables";

describe("ReceivableRegistry.pay", () => {
  describe("multi-tier supply chain", () => {
    it("settles a three-tier split chain so each tier withdraws exactly its share and the buyer's record shows one late day", async () => {
      const { receivables, lens, usd, usdAddress, buyer, tier1, tier2, tier3 } = await loadFixture(tierFixture);
      const registryAddress = await receivables.getAddress();
      const input = await invoiceInput(usdAddress, { number: "INV-TIER-001", amount: 100_000_000_000n });
      const root = await acknowledged(receivables, tier1, buyer, input);
      const due = BigInt(input.dueDate);

      // A tier splits what it holds in two, keeps one child and pays its own supplier `to` with the other.
      async function splitAndPass(holder: Signer, id: bigint, amounts: [bigint, bigint], passed: 0 | 1, to: Signer) {
        const first = (await lens.totalMinted()) + 1n;
        await expect(receivables.connect(holder).split(id, amounts))
          .to.emit(receivables, "ReceivableSplit")
          .withArgs(id, root, first, amounts);
        const children = childIds(first, 2);
        await receivables.connect(holder).transferFrom(holder.address, to.address, children[passed]);
        return children;
      }
      // Tier 1 keeps 60,000 and pays its tier-2 supplier with the 40,000 child.
      const [tier1Leaf, tier2Part] = await splitAndPass(tier1, root, [60_000n * UNIT, 40_000n * UNIT], 1, tier2);
      // Tier 2 keeps 15,000 and pays its tier-3 supplier with the 25,000 child.
      const [tier3Leaf, tier2Leaf] = await splitAndPass(tier2, tier2Part, [25_000n * UNIT, 15_000n * UNIT], 0, tier3);

      // Lineage.
      expect(await lens.parentOf(root)).to.equal(0n);
      expect(await receivables.rootOf(root)).to.equal(root);
      for (const child of [tier1Leaf, tier2Part]) expect(await lens.parentOf(child)).to.equal(root);
      for (const child of [tier3Leaf, tier2Leaf]) expect(await lens.parentOf(child)).to.equal(tier2Part);
      for (const id of [tier1Leaf, tier2Part, tier3Leaf, tier2Leaf])
        expect(await receivables.rootOf(id)).to.equal(root);
      expect(await receivables.ownerOf(tier1Leaf)).to.equal(tier1.address);
      expect(await receivables.ownerOf(tier2Leaf)).to.equal(tier2.address);
      expect(await receivables.ownerOf(tier3Leaf)).to.equal(tier3.address);

      const buyerBefore = await usd.balanceOf(buyer.address);
      const holdersBefore = await Promise.all([tier1, tier2, tier3].map((s) => usd.balanceOf(s.address)));

      // At maturity (an hour before the due date) the buyer pays two leaves in full and the third in part.
      await time.increaseTo(due - 3600n);
      await expect(receivables.connect(buyer).pay(tier1Leaf, 60_000n * UNIT))
        .to.emit(receivables, "ReceivableSettled")
        .withArgs(tier1Leaf, 0);
      await expect(receivables.connect(buyer).pay(tier2Leaf, 15_000n * UNIT))
        .to.emit(receivables, "ReceivableSettled")
        .withArgs(tier2Leaf, 0);
      await expect(receivables.connect(buyer).pay(tier3Leaf, 10_000n * UNIT))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(tier3Leaf, buyer.address, tier3.address, 10_000n * UNIT, 10_000n * UNIT, Status.PartiallyPaid)
        .and.not.to.emit(receivables, "ReceivableSettled");

      // The rest of the tier-3 leaf arrives exactly one day after the due date.
      await atNextBlock(due + BigInt(DAY));
      await expect(receivables.connect(buyer).pay(tier3Leaf, 15_000n * UNIT))
        .to.emit(receivables, "ReceivableSettled")
        .withArgs(tier3Leaf, 1);

      for (const id of [tier1Leaf, tier2Leaf, tier3Leaf]) {
        expect((await lens.receivable(id)).status).to.equal(Status.Paid);
      }
      for (const id of [root, tier2Part]) expect((await lens.receivable(id)).status).to.equal(Status.Split);

      // Each holder withdraws exactly its share.
      const shares = [60_000n * UNIT, 15_000n * UNIT, 25_000n * UNIT];
      const holders = [tier1, tier2, tier3];
      for (let i = 0; i < holders.length; i++) {
        expect(await receivables.claimable(holders[i].address, usdAddress)).to.equal(shares[i]);
        await expect(receivables.connect(holders[i]).withdraw(usdAddress, holders[i].address))
          .to.emit(receivables, "ProceedsWithdrawn")
          .withArgs(holders[i].address, usdAddress, holders[i].address, shares[i]);
      }
      const gains = await Promise.all(holders.map(async (s, i) => (await usd.balanceOf(s.address)) - holdersBefore[i]));
      expect(gains).to.deep.equal(shares);
      const paidByBuyer = buyerBefore - (await usd.balanceOf(buyer.address));
      expect(paidByBuyer).to.equal(100_000_000_000n);
      expect(gains[0] + gains[1] + gains[2]).to.equal(paidByBuyer);
      expect(await usd.balanceOf(registryAddress)).to.equal(0n);

      // One original invoice: it counts once, as late by one day (its family's last payment came a day late);
      // by amount, 85,000 was paid on time and 15,000 one day late.
      const record = await lens.buyerRecord(ENTITIES.buyer);
      expect(record.acknowledgedCount).to.equal(1n);
      expect(record.acknowledgedAmount).to.equal(100_000_000_000n * TO_18);
      expect(record.paidOnTimeCount).to.equal(0n);
      expect(record.paidLateCount).to.equal(1n);
      expect(record.totalDaysLate).to.equal(1n);
      expect(record.paidOnTimeAmount).to.equal(85_000n * 10n ** 18n);
      expect(record.paidLateAmount).to.equal(15_000n * 10n ** 18n);
      expect(record.lateAmountDays).to.equal(15_000n * 10n ** 18n);
      // Nothing outstanding: acknowledged − paid on time − paid late − recovered.
      expect(
        record.acknowledgedAmount - record.paidOnTimeAmount - record.paidLateAmount - record.recoveredAmount,
      ).to.equal(0n);
      expect(record.defaultCount).to.equal(0n);
      // The root shows what its family paid.
      expect((await lens.receivable(root)).paidAmount).to.equal(100_000_000_000n);
    });
  });

  describe("pay", () => {
    it("credits each holder for what was paid while it held the receivable, then marks it Paid", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, lens, usdAddress, acknowledgedId: id, supplier, bank, buyer } = f;
      await expect(receivables.connect(buyer).pay(id, 30_000n * UNIT))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, supplier.address, 30_000n * UNIT, 30_000n * UNIT, Status.PartiallyPaid);
      expect((await lens.receivable(id)).status).to.equal(Status.PartiallyPaid);

      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await expect(receivables.connect(buyer).pay(id, 70_000n * UNIT))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, bank.address, 70_000n * UNIT, FACE, Status.Paid);

      expect((await lens.receivable(id)).status).to.equal(Status.Paid);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(30_000n * UNIT);
      expect(await receivables.claimable(bank.address, usdAddress)).to.equal(70_000n * UNIT);
      expect(await receivables.outstandingOf(id)).to.equal(0n);
    });

    it("takes only the outstanding amount when the payer offers more", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, lens, usd, usdAddress, acknowledgedId: id, supplier, buyer } = f;
      await receivables.connect(buyer).pay(id, 40_000n * UNIT);
      const offered = 2n * FACE;
      expect(await receivables.connect(buyer).pay.staticCall(id, offered)).to.equal(60_000n * UNIT);

      const tx = receivables.connect(buyer).pay(id, offered);
      await expect(tx)
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, supplier.address, 60_000n * UNIT, FACE, Status.Paid);
      await expect(tx).to.changeTokenBalances(usd, [buyer, receivables], [-(60_000n * UNIT), 60_000n * UNIT]);
      expect((await lens.receivable(id)).paidAmount).to.equal(FACE);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(FACE);
    });

    it("lets any wallet of the buyer entity pay and credits the holder; refuses every other payer", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usd, usdAddress, acknowledgedId: id, supplier, buyer2, outsider } = f;
      // A funded outsider, and the supplier itself, cannot pay (they could block or wash the receivable).
      for (const payer of [outsider, supplier]) {
        await usd.mint(payer.address, 5_000n * UNIT);
        await usd.connect(payer).approve(await receivables.getAddress(), 5_000n * UNIT);
        await expect(receivables.connect(payer).pay(id, 5_000n * UNIT))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyerPayer")
          .withArgs(id, payer.address);
      }
      // The buyer entity's second wallet may.
      await usd.mint(buyer2.address, 5_000n * UNIT);
      await usd.connect(buyer2).approve(await receivables.getAddress(), 5_000n * UNIT);
      await expect(receivables.connect(buyer2).pay(id, 5_000n * UNIT))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer2.address, supplier.address, 5_000n * UNIT, 5_000n * UNIT, Status.PartiallyPaid);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(5_000n * UNIT);
    });

    it("refuses to pay a Submitted, Rejected, Cancelled, Split or Paid receivable", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usdAddress, supplier, buyer, submittedId, acknowledgedId } = f;
      const rejected = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "INV-REJ" }));
      await receivables.connect(buyer).reject(rejected, ethers.encodeBytes32String("disputed"));
      const cancelled = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "INV-CAN" }));
      await receivables.connect(supplier).cancel(cancelled);
      const paid = await acknowledged(
        receivables,
        supplier,
        buyer,
        await invoiceInput(usdAddress, { number: "INV-PD" }),
      );
      await receivables.connect(buyer).pay(paid, FACE);
      await receivables.connect(supplier).split(acknowledgedId, [FACE / 2n, FACE / 2n]);

      const cases: [bigint, bigint][] = [
        [submittedId, Status.Submitted],
        [rejected, Status.Rejected],
        [cancelled, Status.Cancelled],
        [acknowledgedId, Status.Split],
        [paid, Status.Paid],
      ];
      for (const [id, status] of cases) {
        await expect(receivables.connect(buyer).pay(id, UNIT))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
          .withArgs(id, status);
      }
    });

    it("refuses an unknown id and a zero amount", async () => {
      const { receivables, lens, buyer, acknowledgedId } = await loadFixture(settlementFixture);
      const unknown = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(buyer).pay(unknown, UNIT))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(unknown);
      await expect(receivables.connect(buyer).pay(0n, UNIT))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(0n);
      await expect(receivables.connect(buyer).pay(acknowledgedId, 0n)).to.be.revertedWithCustomError(
        receivables,
        "ReceivableZeroAmount",
      );
    });

    it("takes payment while the registry is paused", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usdAddress, acknowledgedId: id, supplier, buyer, pauser } = f;
      await receivables.connect(pauser).pause();
      expect(await receivables.paused()).to.equal(true);
      await expect(receivables.connect(supplier).split(id, [FACE / 2n, FACE / 2n])).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(receivables.connect(buyer).pay(id, FACE))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, supplier.address, FACE, FACE, Status.Paid);
      await expect(receivables.connect(supplier).withdraw(usdAddress, supplier.address))
        .to.emit(receivables, "ProceedsWithdrawn")
        .withArgs(supplier.address, usdAddress, supplier.address, FACE);
    });

    it("takes payment on a receivable frozen by the regulator", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, lens, usdAddress, acknowledgedId: id, supplier, bank, buyer, regulator } = f;
      await receivables.connect(regulator).freeze(id, ethers.encodeBytes32String("investigation"));
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, id))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(receivables.connect(buyer).pay(id, FACE)).to.emit(receivables, "ReceivableSettled").withArgs(id, 0);
      expect((await lens.receivable(id)).status).to.equal(Status.Paid);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(FACE);
    });
  });

  describe("holders that cannot receive", () => {
    it("does not let a contract holder that rejects everything block payment, and it withdraws to another address", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, usd, usdAddress, acknowledgedId: id, supplier, buyer, outsider } = f;
      const { revertingReceiver, receiverAddress, receiverOwner } = f;
      // It really refuses pushes: an ERC-721 safe transfer to it reverts.
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, receiverAddress, id),
      ).to.be.revertedWithCustomError(revertingReceiver, "RevertingReceiverRejected");
      await receivables.connect(supplier).transferFrom(supplier.address, receiverAddress, id);

      await expect(receivables.connect(buyer).pay(id, FACE))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, receiverAddress, FACE, FACE, Status.Paid);
      expect(await receivables.claimable(receiverAddress, usdAddress)).to.equal(FACE);
      expect(await usd.balanceOf(receiverAddress)).to.equal(0n);

      const tx = revertingReceiver
        .connect(receiverOwner)
        .withdraw(await receivables.getAddress(), usdAddress, outsider);
      await expect(tx)
        .to.emit(receivables, "ProceedsWithdrawn")
        .withArgs(receiverAddress, usdAddress, outsider.address, FACE);
      await expect(tx).to.changeTokenBalances(usd, [outsider, receivables], [FACE, -FACE]);
      expect(await receivables.claimable(receiverAddress, usdAddress)).to.equal(0n);
    });

    it("does not let a blacklisted holder block payment, and it withdraws to a clean address", async () => {
      const f = await loadFixture(settlementFixture);
      const { receivables, blacklistToken, supplier, supplier2, buyer, admin } = f;
      const token = await blacklistToken.getAddress();
      const id = await acknowledged(receivables, supplier, buyer, await invoiceInput(token, { number: "INV-BL-1" }));
      await blacklistToken.connect(admin).setBlacklisted(supplier.address, true);

      await expect(receivables.connect(buyer).pay(id, FACE))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(id, buyer.address, supplier.address, FACE, FACE, Status.Paid);
      expect(await receivables.claimable(supplier.address, token)).to.equal(FACE);

      await expect(receivables.connect(supplier).withdraw(token, supplier.address))
        .to.be.revertedWithCustomError(blacklistToken, "BlacklistTokenBlocked")
        .withArgs(supplier.address);
      expect(await receivables.claimable(supplier.address, token)).to.equal(FACE);

      await expect(receivables.connect(supplier).withdraw(token, supplier2.address)).to.changeTokenBalances(
        blacklistToken,
        [supplier2, receivables],
        [FACE, -FACE],
      );
      expect(await receivables.claimable(supplier.address, token)).to.equal(0n);
    });
  });

  describe("hostile tokens", () => {
    it("refuses a fee-on-transfer payment with the shortfall and changes nothing", async () => {
      const { receivables, lens, feeToken, supplier, buyer } = await loadFixture(settlementFixture);
      const token = await feeToken.getAddress();
      const id = await acknowledged(receivables, supplier, buyer, await invoiceInput(token, { number: "INV-FOT" }));
      const amount = 10_000n * UNIT;
      const received = amount - (amount * FEE_BPS) / 10_000n;
      const stateBefore = await lens.receivable(id);
      const recordBefore = await lens.buyerRecord(ENTITIES.buyer);
      const buyerBalance = await feeToken.balanceOf(buyer.address);

      await expect(receivables.connect(buyer).pay(id, amount))
        .to.be.revertedWithCustomError(receivables, "ReceivablePaymentShortfall")
        .withArgs(id, amount, received);

      expect(await lens.receivable(id)).to.deep.equal(stateBefore);
      expect(await lens.buyerRecord(ENTITIES.buyer)).to.deep.equal(recordBefore);
      expect(await receivables.claimable(supplier.address, token)).to.equal(0n);
      expect(await feeToken.balanceOf(buyer.address)).to.equal(buyerBalance);
      expect(await feeToken.balanceOf(await receivables.getAddress())).to.equal(0n);
    });

    it("pays and withdraws through SafeERC20 with a token whose transfers return nothing", async () => {
      const { receivables, noReturnToken, supplier, buyer, outsider } = await loadFixture(settlementFixture);
      const token = await noReturnToken.getAddress();
      // The token really returns no data from transfer.
      const raw = await ethers.provider.call({
        from: buyer.address,
        to: token,
        data: noReturnToken.interface.encodeFunctionData("transfer", [outsider.address, 1n]),
      });
      expect(raw).to.equal("0x");

      const id = await acknowledged(receivables, supplier, buyer, await invoiceInput(token, { number: "INV-NRV" }));
      await expect(receivables.connect(buyer).pay(id, FACE)).to.changeTokenBalances(
        noReturnToken,
        [buyer, receivables],
        [-FACE, FACE],
      );
      expect(await receivables.claimable(supplier.address, token)).to.equal(FACE);
      await expect(receivables.connect(supplier).withdraw(token, supplier.address)).to.changeTokenBalances(
        noReturnToken,
        [supplier, receivables],
        [FACE, -FACE],
      );
    });

    it("surfaces a failing no-return transfer instead of crediting the holder", async () => {
      const { receivables, noReturnToken, supplier, buyer, buyer2 } = await loadFixture(settlementFixture);
      const token = await noReturnToken.getAddress();
      const id = await acknowledged(receivables, supplier, buyer, await invoiceInput(token, { number: "INV-NRV" }));
      // The buyer's second wallet gave the registry no allowance of this token.
      await expect(receivables.connect(buyer2).pay(id, UNIT))
        .to.be.revertedWithCustomError(noReturnToken, "NoReturnTokenInsufficientAllowance")
        .withArgs(await receivables.getAddress(), 0n, UNIT);
      expect(await receivables.claimable(supplier.address, token)).to.equal(0n);
    });
  });

  describe("re-entrancy", () => {
    async function reentrantFixture() {
      const f = await settlementFixture();
      const token = await f.reentrantToken.getAddress();
      const id = await acknowledged(
        f.receivables,
        f.supplier,
        f.buyer,
        await invoiceInput(token, { number: "INV-RE-1" }),
      );
      return { ...f, token, id, registryAddress: await f.receivables.getAddress() };
    }

    it("stops a token whose transferFrom re-enters pay with the re-entrancy guard", async () => {
      const { receivables, lens, reentrantToken, registryAddress, buyer, id } = await loadFixture(reentrantFixture);
      // The token itself could pay: it holds funds and approves the registry.
      await reentrantToken.mint(await reentrantToken.getAddress(), 10_000n * UNIT);
      await reentrantToken.approveFromSelf(registryAddress, ethers.MaxUint256);
      const reenter = receivables.interface.encodeFunctionData("pay", [id, 10_000n * UNIT]);
      await reentrantToken.arm(Hook.TransferFrom, registryAddress, reenter, true);

      await expect(receivables.connect(buyer).pay(id, 10_000n * UNIT)).to.be.revertedWithCustomError(
        receivables,
        "ReentrancyGuardReentrantCall",
      );
      expect((await lens.receivable(id)).paidAmount).to.equal(0n);
    });

    it("records a single payment when the re-entered pay fails and the token carries on", async () => {
      const { receivables, lens, reentrantToken, registryAddress, token, supplier, buyer, id } =
        await loadFixture(reentrantFixture);
      const tokenAddress = await reentrantToken.getAddress();
      await reentrantToken.mint(tokenAddress, 10_000n * UNIT);
      await reentrantToken.approveFromSelf(registryAddress, ethers.MaxUint256);
      const reenter = receivables.interface.encodeFunctionData("pay", [id, 10_000n * UNIT]);
      await reentrantToken.arm(Hook.TransferFrom, registryAddress, reenter, false);

      await expect(receivables.connect(buyer).pay(id, 10_000n * UNIT)).to.changeTokenBalances(
        reentrantToken,
        [buyer, receivables, tokenAddress],
        [-(10_000n * UNIT), 10_000n * UNIT, 0n],
      );
      expect(await reentrantToken.callbackCount()).to.equal(1n);
      expect(await reentrantToken.lastCallSucceeded()).to.equal(false);
      expect(await reentrantToken.lastCallResult()).to.equal(
        receivables.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      expect((await lens.receivable(id)).paidAmount).to.equal(10_000n * UNIT);
      expect(await receivables.claimable(supplier.address, token)).to.equal(10_000n * UNIT);
    });

    it("stops a holder token whose transfer re-enters withdraw, so proceeds leave once", async () => {
      const f = await loadFixture(reentrantFixture);
      const { receivables, reentrantToken, registryAddress, token, supplier, buyer, outsider, id } = f;
      // The token contract is a registered supplier holding the receivable: it attacks its own withdrawal.
      await registerSupplier(f, "LEI:REENTRANTHOLDER00001", token);
      await receivables.connect(supplier).transferFrom(supplier.address, token, id);
      await receivables.connect(buyer).pay(id, FACE);
      expect(await receivables.claimable(token, token)).to.equal(FACE);
      const reenter = receivables.interface.encodeFunctionData("withdraw", [token, outsider.address]);

      await reentrantToken.arm(Hook.Transfer, registryAddress, reenter, true);
      await expect(reentrantToken.attack()).to.be.revertedWithCustomError(receivables, "ReentrancyGuardReentrantCall");
      expect(await receivables.claimable(token, token)).to.equal(FACE);

      await reentrantToken.arm(Hook.Transfer, registryAddress, reenter, false);
      await expect(reentrantToken.attack()).to.changeTokenBalances(
        reentrantToken,
        [outsider, receivables],
        [FACE, -FACE],
      );
      expect(await reentrantToken.callbackCount()).to.equal(1n);
      expect(await reentrantToken.lastCallResult()).to.equal(
        receivables.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      expect(await receivables.claimable(token, token)).to.equal(0n);
    });
  });

  describe("Issue 12 item 1: a payment by a third party cannot take away what the holder can do", function () {
    it("an outsider's 1-unit payment is refused and the receivable stays financeable and splittable", async function () {
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier);
      await expect(f.receivables.connect(f.outsider).pay(id, 1n))
        .to.be.revertedWithCustomError(f.receivables, "ReceivableNotBuyerPayer")
        .withArgs(id, f.outsider.address);
      expect((await f.lens.receivable(id)).status).to.equal(Status.Acknowledged);
      expect((await pdOf(f, id)).maxAdvance).to.be.greaterThan(0n);
      expect((await f.riskEngine.assessForPool(id, await f.pool1.getAddress())).eligible).to.equal(true);
      await splitInto(f.receivables, f.supplier, id, [FACE - 1n, 1n]);
    });

    it("neither the holder nor the supplier's other wallet can pay; every buyer wallet can, even suspended", async function () {
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier);
      for (const s of [f.supplier, f.supplier2, f.tier2, f.bank]) {
        await expect(f.receivables.connect(s).pay(id, 1n)).to.be.revertedWithCustomError(
          f.receivables,
          "ReceivableNotBuyerPayer",
        );
      }
      await (await f.receivables.connect(f.buyer2).pay(id, 10n * UNIT)).wait();
      await (
        await f.participants.connect(f.onboarder).suspend(ENTITIES.buyer, ethers.encodeBytes32String("KYC"))
      ).wait();
      await (await f.receivables.connect(f.buyer).pay(id, FACE - 10n * UNIT)).wait();
      expect((await f.lens.receivable(id)).status).to.equal(Status.Paid);
    });
  });
});
