/**
 * ParticipantRegistry: `setRoles`: an entity's role bits.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES } from "../shared/fixtures";
import {
  MORE_ENTITIES,
  UNKNOWN_ROLE_BIT,
  entityRecord,
  expectNotOnboarder,
  participantsFixture,
} from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.roles", () => {
  it("replaces the role bits and emits RolesChanged with the previous and new bits", async () => {
    const { participants, byOnboarder, supplier } = await loadFixture(participantsFixture);
    await expect(byOnboarder.setRoles(ENTITIES.supplier, Role.BUYER | Role.FINANCIER))
      .to.emit(participants, "RolesChanged")
      .withArgs(ENTITIES.supplier, Role.SUPPLIER, Role.BUYER | Role.FINANCIER);
    expect((await participants.entity(ENTITIES.supplier)).roles).to.equal(BigInt(Role.BUYER | Role.FINANCIER));
    expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    expect(await participants.isActive(supplier.address, Role.BUYER)).to.equal(true);
    expect(await participants.isActive(supplier.address, Role.FINANCIER)).to.equal(true);
  });

  it("leaves index, expiry, suspension and wallets untouched", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    const before = await entityRecord(participants, ENTITIES.supplier);
    const roles = Role.SUPPLIER | Role.BUYER | Role.FINANCIER;
    await byOnboarder.setRoles(ENTITIES.supplier, roles);
    expect(await entityRecord(participants, ENTITIES.supplier)).to.deep.equal({ ...before, roles });
  });

  it("rejects a caller without ONBOARDER_ROLE", async () => {
    const { participants, regulator } = await loadFixture(participantsFixture);
    await expectNotOnboarder(participants, regulator, () =>
      participants.connect(regulator).setRoles(ENTITIES.supplier, Role.BUYER),
    );
  });

  it("rejects an unknown entity", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    await expect(byOnboarder.setRoles(MORE_ENTITIES.stranger, Role.BUYER))
      .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
      .withArgs(MORE_ENTITIES.stranger);
  });

  it("rejects an empty role set", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    await expect(byOnboarder.setRoles(ENTITIES.supplier, 0))
      .to.be.revertedWithCustomError(participants, "ParticipantInvalidRoles")
      .withArgs(0);
  });

  it("rejects an unknown role bit", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    await expect(byOnboarder.setRoles(ENTITIES.supplier, Role.SUPPLIER | UNKNOWN_ROLE_BIT))
      .to.be.revertedWithCustomError(participants, "ParticipantInvalidRoles")
      .withArgs(Role.SUPPLIER | UNKNOWN_ROLE_BIT);
  });
});
