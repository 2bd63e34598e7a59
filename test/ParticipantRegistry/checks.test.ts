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
      const { registry, supplier2, trader } = await loadFixture(participantsFixture);
      expect(await registry.requireActiveWallet(supplier2.address, Role.SUPPLIER)).to.deep.equal([
        ENTITIES.supplier,
        BigInt(INDEX.supplier),
      ]);
      expect(await registry.requireActiveWallet(trader.address, Role.BUYER)).to.deep.equal([
        MORE_ENTITIES.trader,
        BigInt(INDEX.trader),
      ]);
    });

    it("reverts for a wallet bound to no entity", async () => {
      const { registry, outsider } = await loadFixture(participantsFixture);
      await expect(registry.requireActiveWallet(outsider.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
      await expect(registry.requireActiveWallet(outsider.address, 0))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(outsider.address, 0);
    });

    it("reverts for a wallet whose entity lacks the role", async () => {
      const { registry, supplier } = await loadFixture(participantsFixture);
      await expect(registry.requireActiveWallet(supplier.address, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier.address, Role.BUYER);
    });

    it("reverts for a wallet whose entity is suspended", async () => {
      const { registry, regulator, supplier } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(registry.requireActiveWallet(supplier.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });

    it("reverts for a wallet whose entity's KYC has expired", async () => {
      const { registry, supplier, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry);
      await expect(registry.requireActiveWallet(supplier.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });
  });

  describe("requireActiveEntity", () => {
    it("returns the index of an active entity", async () => {
      const { registry } = await loadFixture(participantsFixture);
      expect(await registry.requireActiveEntity(ENTITIES.buyer, Role.BUYER)).to.equal(BigInt(INDEX.buyer));
      expect(await registry.requireActiveEntity(MORE_ENTITIES.trader, Role.SUPPLIER | Role.BUYER)).to.equal(
        BigInt(INDEX.trader),
      );
    });

    it("reverts for an unknown entity", async () => {
      const { registry } = await loadFixture(participantsFixture);
      await expect(registry.requireActiveEntity(MORE_ENTITIES.stranger, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(MORE_ENTITIES.stranger, Role.BUYER);
    });

    it("reverts for an entity lacking the role", async () => {
      const { registry } = await loadFixture(participantsFixture);
      await expect(registry.requireActiveEntity(ENTITIES.bank, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.bank, Role.BUYER);
    });

    it("reverts for a suspended entity", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      await expect(registry.requireActiveEntity(ENTITIES.buyer, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });

    it("reverts for an entity whose KYC has expired", async () => {
      const { registry, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry);
      await expect(registry.requireActiveEntity(ENTITIES.buyer, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });
  });

  describe("resolveSubmission", () => {
    it("returns the seller entity, both indices and the currency decimals", async () => {
      const { registry, supplier2, usd } = await loadFixture(participantsFixture);
      expect(await registry.resolveSubmission(supplier2.address, ENTITIES.buyer, await usd.getAddress())).to.deep.equal(
        [ENTITIES.supplier, BigInt(INDEX.supplier), BigInt(INDEX.buyer), 6n],
      );
    });

    it("resolves a multi-role entity as seller and as buyer", async () => {
      const { registry, trader, supplier, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      expect(await registry.resolveSubmission(trader.address, ENTITIES.buyer, token)).to.deep.equal([
        MORE_ENTITIES.trader,
        BigInt(INDEX.trader),
        BigInt(INDEX.buyer),
        6n,
      ]);
      expect(await registry.resolveSubmission(supplier.address, MORE_ENTITIES.trader, token)).to.deep.equal([
        ENTITIES.supplier,
        BigInt(INDEX.supplier),
        BigInt(INDEX.trader),
        6n,
      ]);
    });

    it("reports the decimals of the token asked for", async () => {
      const { registry, admin, supplier } = await loadFixture(participantsFixture);
      const token = await deployToken(18);
      const address = await token.getAddress();
      await registry.connect(admin).setCurrencyAllowed(address, true);
      const [, , , decimals] = await registry.resolveSubmission(supplier.address, ENTITIES.buyer, address);
      expect(decimals).to.equal(18n);
    });

    it("reverts when the seller wallet is not an active SUPPLIER", async () => {
      const { registry, buyer, outsider, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      for (const wallet of [buyer.address, outsider.address]) {
        await expect(registry.resolveSubmission(wallet, ENTITIES.buyer, token))
          .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
          .withArgs(wallet, Role.SUPPLIER);
      }
    });

    it("reverts when the seller is suspended", async () => {
      const { registry, regulator, supplier, usd } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(registry.resolveSubmission(supplier.address, ENTITIES.buyer, await usd.getAddress()))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier.address, Role.SUPPLIER);
    });

    it("reverts when the buyer entity is not an active BUYER", async () => {
      const { registry, supplier, usd } = await loadFixture(participantsFixture);
      const token = await usd.getAddress();
      for (const id of [ENTITIES.bank, MORE_ENTITIES.stranger, ZERO_ID]) {
        await expect(registry.resolveSubmission(supplier.address, id, token))
          .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
          .withArgs(id, Role.BUYER);
      }
    });

    it("reverts when the buyer's KYC has expired", async () => {
      const { registry, byOnboarder, supplier, usd, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.setKycExpiry(ENTITIES.supplier, expiry + YEAR);
      await time.increaseTo(expiry);
      await expect(registry.resolveSubmission(supplier.address, ENTITIES.buyer, await usd.getAddress()))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(ENTITIES.buyer, Role.BUYER);
    });

    it("reverts when the currency is not on the allowlist", async () => {
      const { registry, admin, supplier, usd } = await loadFixture(participantsFixture);
      const other = await deployToken(6);
      const otherAddress = await other.getAddress();
      await expect(registry.resolveSubmission(supplier.address, ENTITIES.buyer, otherAddress))
        .to.be.revertedWithCustomError(registry, "ParticipantCurrencyNotAllowed")
        .withArgs(otherAddress);
      const usdAddress = await usd.getAddress();
      await registry.connect(admin).setCurrencyAllowed(usdAddress, false);
      await expect(registry.resolveSubmission(supplier.address, ENTITIES.buyer, usdAddress))
        .to.be.revertedWithCustomError(registry, "ParticipantCurrencyNotAllowed")
        .withArgs(usdAddress);
    });

    it("checks the seller first, then the buyer, then the currency", async () => {
      const { registry, supplier, outsider } = await loadFixture(participantsFixture);
      await expect(registry.resolveSubmission(outsider.address, MORE_ENTITIES.stranger, outsider.address))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(outsider.address, Role.SUPPLIER);
      await expect(registry.resolveSubmission(supplier.address, MORE_ENTITIES.stranger, outsider.address))
        .to.be.revertedWithCustomError(registry, "ParticipantEntityNotActive")
        .withArgs(MORE_ENTITIES.stranger, Role.BUYER);
    });
  });
});
