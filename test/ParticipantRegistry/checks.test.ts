/**
 * ParticipantRegistry: the checks other contracts call: `requireActiveWallet`, `requireActiveEntity` and `resolveSubmission`.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, YEAR } from "../shared/fixtures";
import { INDEX, MORE_ENTITIES, REASON, ZERO_ID, deployToken, participantsFixture } from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.checks", () => {
  describe("requireActiveWallet", () => {
    it("returns the entity id and index of an active wallet", async () => {
      const { participants, supplier2, trader } = await loadFixture(participantsFixture);
      expect(await participants.requireActiveWallet(supplier2.address, Role.SUPPLIER)).to.deep.equal([
        ENTITIES.supplier,
        BigInt(INDEX.supplier),
      ]);
      expect(await participants.requireActiveWallet(trader.address, Role.BUYER)).to.deep.equal([
        MORE_ENTITIES.trader,
        BigInt(INDEX.trader),
      ]);
    });

    it("reverts for a wallet bound to no entity", async () => {
      const { participants, outsider } = await loadFixture(participantsFixture);
      await expect(participants.requireActiveWallet(outsider.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
      await expect(participants.requireActiveWallet(outsider.address, 0))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(outsider.address, 0);
    });

    it("reverts for a wallet whose entity lacks the role", async () => {
      const { participants, supplier } = await loadFixture(participantsFixture);
      await expect(participants.requireActiveWallet(supplier.address, Role.BUYER))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(supplier.address, Role.BUYER);
    });

    it("reverts for a wallet whose entity is suspended", async () => {
      const { participants, regulator, supplier } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(participants.requireActiveWallet(supplier.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });

    it("reverts for a wallet whose entity's KYC has expired", async () => {
      const { participants, supplier, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry);
      await expect(participants.requireActiveWallet(supplier.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });
  });

  describe("requireActiveEntity", () => {
    it("returns the index of an active entity", async () => {
      const { participants } = await loadFixture(participantsFixture);
      expect(await participants.requireActiveEntity(ENTITIES.buyer, Role.BUYER)).to.equal(BigInt(INDEX.buyer));
      expect(await participants.requireActiveEntity(MORE_ENTITIES.trader, Role.SUPPLIER | Role.BUYER)).to.equal(
        BigInt(INDEX.trader),
      );
    });

    it("reverts for an unknown entity", async () => {
      const { participants } = await loadFixture(participantsFixture);
      await expect(participants.requireActiveEntity(MORE_ENTITIES.stranger, Role.BUYER))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(MORE_ENTITIES.stranger, Role.BUYER);
    });

    it("reverts for an entity lacking the role", async () => {
      const { participants } = await loadFixture(participantsFixture);
      await expect(participants.requireActiveEntity(ENTITIES.bank, Role.BUYER))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.bank, Role.BUYER);
    });

    it("reverts for a suspended entity", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      await expect(participants.requireActiveEntity(ENTITIES.buyer, Role.BUYER))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });

    it("reverts for an entity whose KYC has expired", async () => {
      const { participants, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry);
      await expect(participants.requireActiveEntity(ENTITIES.buyer, Role.BUYER))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });
  });

  describe("resolveSubmission", () => {
    it("returns the seller entity, both indices and the currency decimals", async () => {
      const { participants, supplier2, usd } = await loadFixture(participantsFixture);
      expect(
        await participants.resolveSubmission(supplier2.address, ENTITIES.buyer, await usd.getAddress()),
      ).to.deep.equal([ENTITIES.supplier, BigInt(INDEX.supplier), BigInt(INDEX.buyer), 6n]);
    });

    it("resolves a multi-role entity as seller and as buyer", async () => {
      const { participants, trader, supplier, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      expect(await participants.resolveSubmission(trader.address, ENTITIES.buyer, token)).to.deep.equal([
        MORE_ENTITIES.trader,
        BigInt(INDEX.trader),
        BigInt(INDEX.buyer),
        6n,
      ]);
      expect(await participants.resolveSubmission(supplier.address, MORE_ENTITIES.trader, token)).to.deep.equal([
        ENTITIES.supplier,
        BigInt(INDEX.supplier),
        BigInt(INDEX.trader),
        6n,
      ]);
    });

    it("reports the decimals of the token asked for", async () => {
      const { participants, admin, supplier } = await loadFixture(participantsFixture);
      const token = await deployToken(18);
      const address = await token.getAddress();
      await participants.connect(admin).setCurrencyAllowed(address, true);
      const [, , , decimals] = await participants.resolveSubmission(supplier.address, ENTITIES.buyer, address);
      expect(decimals).to.equal(18n);
    });

    it("reverts when the seller wallet is not an active SUPPLIER", async () => {
      const { participants, buyer, outsider, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      for (const wallet of [buyer.address, outsider.address]) {
        await expect(participants.resolveSubmission(wallet, ENTITIES.buyer, token))
          .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
          .withArgs(wallet, Role.SUPPLIER);
      }
    });

    it("reverts when the seller is suspended", async () => {
      const { participants, regulator, supplier, usd } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(participants.resolveSubmission(supplier.address, ENTITIES.buyer, await usd.getAddress()))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });

    it("reverts when the buyer entity is not an active BUYER", async () => {
      const { participants, supplier, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      for (const id of [ENTITIES.bank, MORE_ENTITIES.stranger, ZERO_ID]) {
        await expect(participants.resolveSubmission(supplier.address, id, token))
          .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
          .withArgs(id, Role.BUYER);
      }
    });

    it("reverts when the buyer's KYC has expired", async () => {
      const { participants, byOnboarder, supplier, usd, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.setKycExpiry(ENTITIES.supplier, expiry + YEAR);
      await time.increaseTo(expiry);
      await expect(participants.resolveSubmission(supplier.address, ENTITIES.buyer, await usd.getAddress()))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });

    it("reverts when the currency is not on the allowlist", async () => {
      const { participants, admin, supplier, usd } = await loadFixture(participantsFixture);
      const other = await deployToken(6);
      const otherAddress = await other.getAddress();
      await expect(participants.resolveSubmission(supplier.address, ENTITIES.buyer, otherAddress))
        .to.be.revertedWithCustomError(participants, "ParticipantCurrencyNotAllowed")
        .withArgs(otherAddress);
      const usdAddress = await usd.getAddress();
      await participants.connect(admin).setCurrencyAllowed(usdAddress, false);
      await expect(participants.resolveSubmission(supplier.address, ENTITIES.buyer, usdAddress))
        .to.be.revertedWithCustomError(participants, "ParticipantCurrencyNotAllowed")
        .withArgs(usdAddress);
    });

    it("checks the seller first, then the buyer, then the currency", async () => {
      const { participants, supplier, outsider } = await loadFixture(participantsFixture);
      await expect(participants.resolveSubmission(outsider.address, MORE_ENTITIES.stranger, outsider.address))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
      await expect(participants.resolveSubmission(supplier.address, MORE_ENTITIES.stranger, outsider.address))
        .to.be.revertedWithCustomError(participants, "ParticipantEntityNotActive")
        .withArgs(MORE_ENTITIES.stranger, Role.BUYER);
    });
  });
});
