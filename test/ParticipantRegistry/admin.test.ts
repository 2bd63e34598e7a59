/**
 * ParticipantRegistry: deployment and the default admin: who administers the registry, and the two-step, delayed transfer of that role.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployCoreFixture, DAY } from "../shared/fixtures";
import { DEFAULT_ADMIN_ROLE, MORE_ENTITIES, ZERO_ID, nextYear, participantsFixture } from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.admin", () => {
  describe("deployment", () => {
    it("makes the configured account the default admin with the configured transfer delay", async () => {
      const { registry, admin } = await loadFixture(deployCoreFixture);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await registry.defaultAdminDelay()).to.equal(BigInt(3 * DAY));
    });

    it("exposes the access-control role ids as the hashes of their names", async () => {
      const { registry } = await loadFixture(deployCoreFixture);
      expect(await registry.ONBOARDER_ROLE()).to.equal(ethers.id("ONBOARDER_ROLE"));
      expect(await registry.PAUSER_ROLE()).to.equal(ethers.id("PAUSER_ROLE"));
      expect(await registry.RATING_AGENT_ROLE()).to.equal(ethers.id("RATING_AGENT_ROLE"));
    });

    it("starts with no entities", async () => {
      const { registry } = await loadFixture(deployCoreFixture);
      expect(await registry.entityCount()).to.equal(0n);
      expect(await registry.entityIdAt(1)).to.equal(ZERO_ID);
    });
  });

  describe("default admin", () => {
    it("refuses a direct grant of DEFAULT_ADMIN_ROLE", async () => {
      const { registry, admin, outsider } = await loadFixture(participantsFixture);
      await expect(
        registry.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, outsider.address),
      ).to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminRules");
    });

    it("refuses a direct revoke of DEFAULT_ADMIN_ROLE", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      await expect(registry.connect(admin).revokeRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminRules",
      );
    });

    it("transfers the role in two steps after the delay", async () => {
      const { registry, admin, outsider, usd } = await loadFixture(participantsFixture);
      await registry.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      expect(pending).to.equal(outsider.address);
      expect(schedule).to.equal(BigInt((await time.latest()) + 3 * DAY));

      await time.increaseTo(schedule);
      await registry.connect(outsider).acceptDefaultAdminTransfer();
      expect(await registry.defaultAdmin()).to.equal(outsider.address);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.equal(true);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(false);

      const token = await usd.getAddress();
      await expect(registry.connect(outsider).setCurrencyAllowed(token, false)).to.emit(registry, "CurrencyAllowedSet");
      await expect(registry.connect(admin).setCurrencyAllowed(token, true))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses acceptance before the delay has passed", async () => {
      const { registry, admin, outsider } = await loadFixture(participantsFixture);
      await registry.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [, schedule] = await registry.pendingDefaultAdmin();
      await time.setNextBlockTimestamp(schedule);
      await expect(registry.connect(outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
    });

    it("refuses acceptance by anyone but the pending admin", async () => {
      const { registry, admin, outsider, onboarder } = await loadFixture(participantsFixture);
      await registry.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [, schedule] = await registry.pendingDefaultAdmin();
      await time.increaseTo(schedule);
      await expect(registry.connect(onboarder).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlInvalidDefaultAdmin")
        .withArgs(onboarder.address);
    });

    it("lets only the admin begin a transfer", async () => {
      const { registry, onboarder } = await loadFixture(participantsFixture);
      await expect(registry.connect(onboarder).beginDefaultAdminTransfer(onboarder.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(onboarder.address, DEFAULT_ADMIN_ROLE);
    });

    it("grants and revokes ONBOARDER_ROLE, which gates onboarding", async () => {
      const { registry, admin, outsider, spare } = await loadFixture(participantsFixture);
      const role = await registry.ONBOARDER_ROLE();
      await registry.connect(admin).grantRole(role, outsider.address);
      await registry
        .connect(outsider)
        .registerEntity(MORE_ENTITIES.newcomer, Role.BUYER, await nextYear(), spare.address);
      await registry.connect(admin).revokeRole(role, outsider.address);
      await expect(registry.connect(outsider).setRoles(MORE_ENTITIES.newcomer, Role.SUPPLIER))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role);
    });
  });
});
