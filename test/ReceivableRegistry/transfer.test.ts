import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Role } from "../../src/pure/ids";
import { ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import { FACE, REASON, Status, invoiceInput, registryFixture, submit } from "../shared/receivables";

describe("ReceivableRegistry.transfer", () => {
  describe("transfer (assignment)", () => {
    it("assigns an acknowledged receivable to a financier and emits Transfer", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns with safeTransferFrom too", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns to another supplier entity, which may assign onwards", async () => {
      const { receivables, supplier, dual, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(supplier).transferFrom(supplier.address, dual.address, acknowledgedId);
      await receivables.connect(dual).transferFrom(dual.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns a partially paid receivable", async () => {
      const { receivables, lens, supplier, buyer, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(buyer).pay(acknowledgedId, FACE / 4n);
      expect((await lens.receivable(acknowledgedId)).status).to.equal(Status.PartiallyPaid);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("assigns a defaulted receivable (allowed, so a bank can sell a bad debt to a collector)", async () => {
      const { receivables, lens, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      const due = (await lens.receivable(acknowledgedId)).dueDate;
      await time.increaseTo(due + BigInt(GRACE_PERIOD) + 1n);
      await receivables.connect(supplier).markDefaulted(acknowledgedId);
      expect((await lens.receivable(acknowledgedId)).status).to.equal(Status.Defaulted);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("refuses a submitted receivable", async () => {
      const { receivables, supplier, bank, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Submitted);
    });

    it("refuses a paid receivable and a split parent, but not the split children", async () => {
      const { receivables, supplier, buyer, bank, usdAddress, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(buyer).pay(acknowledgedId, FACE);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Paid);
      const parent = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "SPLIT-1" }));
      await receivables.connect(buyer).acknowledge(parent);
      await receivables.connect(supplier).split(parent, [FACE / 2n, FACE / 2n]);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, parent))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(parent, Status.Split);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, parent + 1n);
      expect(await receivables.ownerOf(parent + 1n)).to.equal(bank.address);
    });

    it("refuses an outsider, a BUYER-only wallet and a REGULATOR-only wallet as recipients", async () => {
      const { receivables, supplier, outsider, otherBuyer, regulator, acknowledgedId } =
        await loadFixture(registryFixture);
      for (const to of [outsider, otherBuyer, regulator]) {
        await expect(receivables.connect(supplier).transferFrom(supplier.address, to.address, acknowledgedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidRecipient")
          .withArgs(acknowledgedId, to.address);
      }
    });

    it("refuses a push to a pull-only wallet (a pool), which may still pull the receivable itself", async () => {
      const { participants, receivables, onboarder, supplier, bank, acknowledgedId } =
        await loadFixture(registryFixture);
      // Bind the bank's wallet again, pull-only, as a pool is bound.
      await participants.connect(onboarder).removeWallet(bank.address);
      await participants.connect(onboarder).addWallet(ENTITIES.bank, bank.address, true);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableRecipientPullsOnly")
        .withArgs(acknowledgedId, bank.address);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableRecipientPullsOnly")
        .withArgs(acknowledgedId, bank.address);
      // As a pool's finance does: the holder approves, the pull-only wallet takes it.
      await receivables.connect(supplier).approve(bank.address, acknowledgedId);
      await expect(receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.emit(receivables, "Transfer")
        .withArgs(supplier.address, bank.address, acknowledgedId);
    });

    // Either party losing its active status (suspension, lapsed KYC) stops the transfer, each with its own error.
    const inactive = [
      { party: "recipient", who: "a suspended recipient", entity: ENTITIES.bank, how: "suspend" },
      { party: "recipient", who: "a recipient whose KYC has expired", entity: ENTITIES.bank, how: "expire" },
      { party: "holder", who: "a holder who is suspended", entity: ENTITIES.supplier, how: "suspend" },
      { party: "holder", who: "a holder whose KYC has expired", entity: ENTITIES.supplier, how: "expire" },
    ] as const;
    for (const { party, who, entity, how } of inactive) {
      it(`refuses to move a receivable for ${who}`, async () => {
        const { participants, receivables, onboarder, supplier, bank, acknowledgedId } =
          await loadFixture(registryFixture);
        if (how === "suspend") {
          await participants.connect(onboarder).suspend(entity, REASON);
        } else {
          const expiry = (await time.latest()) + 100;
          await participants.connect(onboarder).setKycExpiry(entity, expiry);
          await time.increaseTo(expiry);
        }
        const [error, wallet] =
          party === "recipient"
            ? ["ReceivableInvalidRecipient", bank.address]
            : ["ReceivableHolderNotActive", supplier.address];
        await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
          .to.be.revertedWithCustomError(receivables, error)
          .withArgs(acknowledgedId, wallet);
      });
    }

    it("refuses a wallet of the buyer entity itself even when that entity also has the SUPPLIER role", async () => {
      const { participants, receivables, onboarder, supplier, buyer2, acknowledgedId } =
        await loadFixture(registryFixture);
      await participants.connect(onboarder).setRoles(ENTITIES.buyer, Role.SUPPLIER | Role.BUYER);
      expect(await participants.isActive(buyer2.address, Role.SUPPLIER)).to.equal(true);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, buyer2.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidRecipient")
        .withArgs(acknowledgedId, buyer2.address);
    });

    it("refuses a frozen receivable and allows it again once unfrozen", async () => {
      const { receivables, regulator, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await receivables.connect(regulator).unfreeze(acknowledgedId);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });

    it("refuses transfers while paused, including safeTransferFrom", async () => {
      const { receivables, pauser, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(pauser).pause();
      await expect(
        receivables.connect(supplier).transferFrom(supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await expect(
        receivables
          .connect(supplier)
          ["safeTransferFrom(address,address,uint256)"](supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("leaves ERC-721 approval rules in force for third parties", async () => {
      const { receivables, supplier, bank, acknowledgedId } = await loadFixture(registryFixture);
      await expect(
        receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId),
      ).to.be.revertedWithCustomError(receivables, "NotOwnerNorApproved");
      await receivables.connect(supplier).approve(bank.address, acknowledgedId);
      await receivables.connect(bank).transferFrom(supplier.address, bank.address, acknowledgedId);
      expect(await receivables.ownerOf(acknowledgedId)).to.equal(bank.address);
    });
  });
});
