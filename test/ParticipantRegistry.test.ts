import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployCoreFixture, onboardedFixture, ENTITIES, YEAR } from "./shared/fixtures";
import { Role } from "../src/ids";

describe("ParticipantRegistry", () => {
  describe("registerEntity", () => {
    it("registers an entity with a compact index and binds its first wallet", async () => {
      const { registry, onboarder, supplier, expiry } = await loadFixture(onboardedFixture);
      const e = await registry.entity(ENTITIES.supplier);
      expect(e.index).to.equal(1n);
      expect(e.roles).to.equal(BigInt(Role.SUPPLIER));
      expect(e.kycExpiry).to.equal(BigInt(expiry));
      expect(e.walletCount).to.equal(2n);
      expect(await registry.entityOf(supplier.address)).to.equal(ENTITIES.supplier);
      expect(await registry.entityIdAt(1)).to.equal(ENTITIES.supplier);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
      expect(await registry.isActive(supplier.address, Role.BUYER)).to.equal(false);
      void onboarder;
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { registry, outsider } = await loadFixture(deployCoreFixture);
      const expiry = (await time.latest()) + YEAR;
      await expect(
        registry.connect(outsider).registerEntity(ENTITIES.supplier, Role.SUPPLIER, expiry, outsider.address),
      )
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await registry.ONBOARDER_ROLE());
    });
  });

  describe("isActive", () => {
    it("stops being active when KYC expires", async () => {
      const { registry, supplier, expiry } = await loadFixture(onboardedFixture);
      await time.increaseTo(expiry);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    });
  });
});
