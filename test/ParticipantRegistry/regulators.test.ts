/**
 * ParticipantRegistry: regulators are out of the onboarder's reach (issue 12, item 5): only the admin registers, edits or removes a
 * regulator, and only a regulator suspends or reinstates one.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES } from "../shared/fixtures";
import {
  ALL_ROLES,
  INDEX,
  MORE_ENTITIES,
  REASON,
  ZERO_ID,
  expectNotOnboarder,
  nextYear,
  participantsFixture,
} from "../shared/participants";
import { receivablesFixture } from "../shared/receivables";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.regulators", () => {
  it("refuses an onboarder registering an entity with the REGULATOR role, alone or with other roles", async () => {
    const { participants, onboarder, byOnboarder, spare } = await loadFixture(participantsFixture);
    for (const roles of [Role.REGULATOR, Role.SUPPLIER | Role.REGULATOR, ALL_ROLES]) {
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, roles, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, MORE_ENTITIES.newcomer, roles);
    }
    expect(await participants.entityOf(spare.address)).to.equal(ZERO_ID);
  });

  it("refuses an onboarder registering itself as a regulator, so it cannot unfreeze what a regulator froze", async () => {
    const { participants, receivables, lens, onboarder, regulator, acknowledgedId } =
      await loadFixture(receivablesFixture);
    const byOnboarder = participants.connect(onboarder);
    await receivables.connect(regulator).freeze(acknowledgedId, REASON);
    // Every way of turning its own wallet into a regulator's: a new regulator entity, a wallet of the real
    // regulator, or the REGULATOR role on an entity it already controls.
    await expect(
      byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.REGULATOR, await nextYear(), onboarder.address),
    )
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, MORE_ENTITIES.newcomer, Role.REGULATOR);
    await expect(byOnboarder.addWallet(ENTITIES.regulator, onboarder.address, false))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
    await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), onboarder.address);
    await expect(byOnboarder.setRoles(MORE_ENTITIES.newcomer, Role.SUPPLIER | Role.REGULATOR))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, MORE_ENTITIES.newcomer, Role.SUPPLIER | Role.REGULATOR);
    expect(await participants.isActive(onboarder.address, Role.REGULATOR)).to.equal(false);
    await expect(receivables.connect(onboarder).unfreeze(acknowledgedId))
      .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
      .withArgs(onboarder.address);
    expect((await lens.receivable(acknowledgedId)).frozen).to.equal(true);
  });

  it("lets the admin, without ONBOARDER_ROLE, register a regulator and give it wallets", async () => {
    const { participants, admin, spare, spare2 } = await loadFixture(participantsFixture);
    const byAdmin = participants.connect(admin);
    expect(await participants.hasRole(await participants.ONBOARDER_ROLE(), admin.address)).to.equal(false);
    const expiry = await nextYear();
    await expect(byAdmin.registerEntity(MORE_ENTITIES.newcomer, Role.REGULATOR, expiry, spare.address))
      .to.emit(participants, "EntityRegistered")
      .withArgs(MORE_ENTITIES.newcomer, INDEX.regulator2 + 1, Role.REGULATOR, expiry);
    await expect(byAdmin.addWallet(MORE_ENTITIES.newcomer, spare2.address, false))
      .to.emit(participants, "WalletAdded")
      .withArgs(MORE_ENTITIES.newcomer, spare2.address, false);
    expect(await participants.isActive(spare2.address, Role.REGULATOR)).to.equal(true);
  });

  it("refuses an onboarder granting or revoking REGULATOR with setRoles, and lets the admin do both", async () => {
    const { participants, admin, onboarder, byOnboarder, trader, regulator } = await loadFixture(participantsFixture);
    const grant = Role.SUPPLIER | Role.BUYER | Role.REGULATOR;
    await expect(byOnboarder.setRoles(MORE_ENTITIES.trader, grant))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, MORE_ENTITIES.trader, grant);
    await expect(byOnboarder.setRoles(ENTITIES.regulator, Role.FINANCIER))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
    // Nor may it edit a regulator's other bits.
    await expect(byOnboarder.setRoles(ENTITIES.regulator, Role.REGULATOR | Role.BUYER))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR | Role.BUYER);
    await expect(participants.connect(admin).setRoles(MORE_ENTITIES.trader, grant))
      .to.emit(participants, "RolesChanged")
      .withArgs(MORE_ENTITIES.trader, Role.SUPPLIER | Role.BUYER, grant);
    expect(await participants.isActive(trader.address, Role.REGULATOR)).to.equal(true);
    await expect(participants.connect(admin).setRoles(ENTITIES.regulator, Role.FINANCIER))
      .to.emit(participants, "RolesChanged")
      .withArgs(ENTITIES.regulator, Role.REGULATOR, Role.FINANCIER);
    expect(await participants.isActive(regulator.address, Role.REGULATOR)).to.equal(false);
  });

  it("refuses the admin an ordinary role change, which stays the onboarder's", async () => {
    const { participants, admin } = await loadFixture(participantsFixture);
    await expectNotOnboarder(participants, admin, () =>
      participants.connect(admin).setRoles(ENTITIES.supplier, Role.BUYER),
    );
  });

  it("refuses an onboarder shortening a regulator's KYC or removing its wallets; the admin may", async () => {
    const { participants, admin, onboarder, byOnboarder, regulator } = await loadFixture(participantsFixture);
    const soon = (await time.latest()) + 60;
    await expect(byOnboarder.setKycExpiry(ENTITIES.regulator, soon))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
    await expect(byOnboarder.removeWallet(regulator.address))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresAdmin")
      .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
    expect(await participants.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
    const later = await nextYear();
    await expect(participants.connect(admin).setKycExpiry(ENTITIES.regulator, later)).to.emit(
      participants,
      "KycExpiryChanged",
    );
    await expect(participants.connect(admin).removeWallet(regulator.address))
      .to.emit(participants, "WalletRemoved")
      .withArgs(ENTITIES.regulator, regulator.address);
  });

  it("refuses an onboarder suspending the real regulator", async () => {
    const { participants, onboarder, byOnboarder, regulator } = await loadFixture(participantsFixture);
    await expect(byOnboarder.suspend(ENTITIES.regulator, REASON))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresRegulator")
      .withArgs(onboarder.address, ENTITIES.regulator);
    expect(await participants.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
  });

  it("refuses an onboarder suspending an entity that holds REGULATOR among other roles", async () => {
    const { participants, admin, onboarder, byOnboarder } = await loadFixture(participantsFixture);
    await participants.connect(admin).setRoles(MORE_ENTITIES.trader, Role.SUPPLIER | Role.REGULATOR);
    await expect(byOnboarder.suspend(MORE_ENTITIES.trader, REASON))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresRegulator")
      .withArgs(onboarder.address, MORE_ENTITIES.trader);
  });

  it("refuses an onboarder lifting a regulator's suspension of a regulator", async () => {
    const { participants, onboarder, byOnboarder, regulator, regulator2 } = await loadFixture(participantsFixture);
    await participants.connect(regulator).suspend(MORE_ENTITIES.regulator2, REASON);
    await expect(byOnboarder.reinstate(MORE_ENTITIES.regulator2))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresRegulator")
      .withArgs(onboarder.address, MORE_ENTITIES.regulator2);
    expect(await participants.isActive(regulator2.address, Role.REGULATOR)).to.equal(false);
  });

  it("refuses an onboarder lifting a suspension of an entity that became a regulator while suspended", async () => {
    const { participants, admin, onboarder, byOnboarder } = await loadFixture(participantsFixture);
    await byOnboarder.suspend(MORE_ENTITIES.trader, REASON);
    await participants.connect(admin).setRoles(MORE_ENTITIES.trader, Role.REGULATOR);
    await expect(byOnboarder.reinstate(MORE_ENTITIES.trader))
      .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresRegulator")
      .withArgs(onboarder.address, MORE_ENTITIES.trader);
  });

  it("lets a regulator suspend and reinstate another regulator", async () => {
    const { participants, regulator, regulator2 } = await loadFixture(participantsFixture);
    await expect(participants.connect(regulator).suspend(MORE_ENTITIES.regulator2, REASON))
      .to.emit(participants, "EntitySuspended")
      .withArgs(MORE_ENTITIES.regulator2, regulator.address, true, REASON);
    expect(await participants.isActive(regulator2.address, Role.REGULATOR)).to.equal(false);
    await expect(participants.connect(regulator).reinstate(MORE_ENTITIES.regulator2))
      .to.emit(participants, "EntityReinstated")
      .withArgs(MORE_ENTITIES.regulator2, regulator.address);
    expect(await participants.isActive(regulator2.address, Role.REGULATOR)).to.equal(true);
  });

  it("still lets an onboarder suspend and reinstate an entity without the REGULATOR role", async () => {
    const { participants, byOnboarder, supplier } = await loadFixture(participantsFixture);
    await byOnboarder.suspend(ENTITIES.supplier, REASON);
    await byOnboarder.reinstate(ENTITIES.supplier);
    expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
  });
});
