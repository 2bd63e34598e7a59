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
      const { participants, admin } = await loadFixture(deployCoreFixture);
      expect(await participants.defaultAdmin()).to.equal(admin.address);
      expect(await participants.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
      expect(await participants.defaultAdminDelay()).to.equal(BigInt(3 * DAY));
    });

    it("exposes the access-control role ids as the hashes of their names", async () => {
      const { participants } = await loadFixture(deployCoreFixture);
      expect(await participants.ONBOARDER_ROLE()).to.equal(ethers.id("ONBOARDER_ROLE"));
      expect(await participants.PAUSER_ROLE()).to.equal(ethers.id("PAUSER_ROLE"));
      expect(await participants.RATING_AGENT_ROLE()).to.equal(ethers.id("RATING_AGENT_ROLE"));
    });

    it("starts with no entities", async () => {
      const { participants } = await loadFixture(deployCoreFixture);
      expect(await participants.entityCount()).to.equal(0n);
      expect(await participants.entityIdAt(1)).to.equal(ZERO_ID);
    });
  });

  describe("default admin", () => {
    it("refuses a direct grant of DEFAULT_ADMIN_ROLE", async () => {
      const { participants, admin, outsider } = await loadFixture(participantsFixture);
      await expect(
        participants.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, outsider.address),
      ).to.be.revertedWithCustomError(participants, "AccessControlEnforcedDefaultAdminRules");
    });

    it("refuses a direct revoke of DEFAULT_ADMIN_ROLE", async () => {
      const { participants, admin } = await loadFixture(participantsFixture);
      await expect(
        participants.connect(admin).revokeRole(DEFAULT_ADMIN_ROLE, admin.address),
      ).to.be.revertedWithCustomError(participants, "AccessControlEnforcedDefaultAdminRules");
    });

    it("transfers the role in two steps after the delay", async () => {
      const { participants, admin, outsider, usd } = await loadFixture(participantsFixture);
      await participants.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [pending, schedule] = await participants.pendingDefaultAdmin();
      expect(pending).to.equal(outsider.address);
      expect(schedule).to.equal(BigInt((await time.latest()) + 3 * DAY));

      await time.increaseTo(schedule);
      await participants.connect(outsider).acceptDefaultAdminTransfer();
      expect(await participants.defaultAdmin()).to.equal(outsider.address);
      expect(await participants.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.equal(true);
      expect(await participants.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(false);

      const token = await usd.getAddress();
      await expect(participants.connect(outsider).setCurrencyAllowed(token, false)).to.emit(
        participants,
        "CurrencyAllowedSet",
      );
      await expect(participants.connect(admin).setCurrencyAllowed(token, true))
        .to.be.revertedWithCustomError(participants, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, DEFAULT_ADMIN_ROLE);
    });

    it("refuses acceptance before the delay has passed", async () => {
      const { participants, admin, outsider } = await loadFixture(participantsFixture);
      await participants.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [, schedule] = await participants.pendingDefaultAdmin();
      await time.setNextBlockTimestamp(schedule);
      await expect(participants.connect(outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(participants, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      expect(await participants.defaultAdmin()).to.equal(admin.address);
    });

    it("refuses acceptance by anyone but the pending admin", async () => {
      const { participants, admin, outsider, onboarder } = await loadFixture(participantsFixture);
      await participants.connect(admin).beginDefaultAdminTransfer(outsider.address);
      const [, schedule] = await participants.pendingDefaultAdmin();
      await time.increaseTo(schedule);
      await expect(participants.connect(onboarder).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(participants, "AccessControlInvalidDefaultAdmin")
        .withArgs(onboarder.address);
    });

    it("lets only the admin begin a transfer", async () => {
      const { participants, onboarder } = await loadFixture(participantsFixture);
      await expect(participants.connect(onboarder).beginDefaultAdminTransfer(onboarder.address))
        .to.be.revertedWithCustomError(participants, "AccessControlUnauthorizedAccount")
        .withArgs(onboarder.address, DEFAULT_ADMIN_ROLE);
    });

    it("grants and revokes ONBOARDER_ROLE, which gates onboarding", async () => {
      const { participants, admin, outsider, spare } = await loadFixture(participantsFixture);
      const role = await participants.ONBOARDER_ROLE();
      await participants.connect(admin).grantRole(role, outsider.address);
      await participants
        .connect(outsider)
        .registerEntity(MORE_ENTITIES.newcomer, Role.BUYER, await nextYear(), spare.address);
      await participants.connect(admin).revokeRole(role, outsider.address);
      await expect(participants.connect(outsider).setRoles(MORE_ENTITIES.newcomer, Role.SUPPLIER))
        .to.be.revertedWithCustomError(participants, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role);
    });
  });
});
