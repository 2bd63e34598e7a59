/**
 * ParticipantRegistry: `registerEntity`: the record, the compact index, every refusal; and the shared fixture's entities.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployCoreFixture, onboardedFixture, ENTITIES, DAY, YEAR } from "../shared/fixtures";
import {
  ALL_ROLES,
  INDEX,
  MORE_ENTITIES,
  Suspension,
  UNKNOWN_ROLE_BIT,
  ZERO_ID,
  entityRecord,
  expectNotOnboarder,
  nextYear,
  participantsFixture,
  pinNextTimestamp,
} from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.register", () => {
  describe("registerEntity", () => {
    it("stores the record, binds the first wallet and emits EntityRegistered then WalletAdded", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      const expiry = await nextYear();
      const roles = Role.FINANCIER | Role.BUYER;
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, roles, expiry, spare.address))
        .to.emit(participants, "EntityRegistered")
        .withArgs(MORE_ENTITIES.newcomer, 7, roles, expiry)
        .and.to.emit(participants, "WalletAdded")
        .withArgs(MORE_ENTITIES.newcomer, spare.address, false);
      expect(await entityRecord(participants, MORE_ENTITIES.newcomer)).to.deep.equal({
        index: 7,
        roles,
        suspension: Suspension.NONE,
        kycExpiry: expiry,
        walletCount: 1,
      });
      expect(await participants.entityOf(spare.address)).to.equal(MORE_ENTITIES.newcomer);
      expect(await participants.entityIdAt(7)).to.equal(MORE_ENTITIES.newcomer);
      expect(await participants.entityCount()).to.equal(7n);
      expect(await participants.isActive(spare.address, Role.FINANCIER)).to.equal(true);
    });

    it("returns the compact index it assigns", async () => {
      const { byOnboarder, spare } = await loadFixture(participantsFixture);
      const index = await byOnboarder.registerEntity.staticCall(
        MORE_ENTITIES.newcomer,
        Role.SUPPLIER,
        await nextYear(),
        spare.address,
      );
      expect(index).to.equal(7n);
    });

    it("assigns indices sequentially from one in registration order", async () => {
      const { participants } = await loadFixture(participantsFixture);
      expect(await participants.entityCount()).to.equal(6n);
      const expected: Array<[number, string]> = [
        [INDEX.supplier, ENTITIES.supplier],
        [INDEX.buyer, ENTITIES.buyer],
        [INDEX.bank, ENTITIES.bank],
        [INDEX.regulator, ENTITIES.regulator],
        [INDEX.trader, MORE_ENTITIES.trader],
        [INDEX.regulator2, MORE_ENTITIES.regulator2],
      ];
      for (const [index, id] of expected) {
        expect(await participants.entityIdAt(index)).to.equal(id);
        expect((await participants.entity(id)).index).to.equal(BigInt(index));
      }
    });

    it("accepts an entity holding all four roles (from the admin, as it holds REGULATOR)", async () => {
      const { participants, admin, spare } = await loadFixture(participantsFixture);
      await participants
        .connect(admin)
        .registerEntity(MORE_ENTITIES.newcomer, ALL_ROLES, await nextYear(), spare.address);
      for (const role of Object.values(Role)) {
        expect(await participants.isActive(spare.address, role)).to.equal(true);
      }
    });

    it("accepts a KYC expiry one second after the block time", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now + 1, spare.address);
      expect((await participants.entity(MORE_ENTITIES.newcomer)).kycExpiry).to.equal(BigInt(now + 1));
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { participants, outsider } = await loadFixture(deployCoreFixture);
      const expiry = (await time.latest()) + YEAR;
      await expectNotOnboarder(participants, outsider, () =>
        participants.connect(outsider).registerEntity(ENTITIES.supplier, Role.SUPPLIER, expiry, outsider.address),
      );
    });

    it("rejects the admin, who does not hold ONBOARDER_ROLE", async () => {
      const { participants, admin, spare } = await loadFixture(participantsFixture);
      await expectNotOnboarder(participants, admin, async () =>
        participants
          .connect(admin)
          .registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), spare.address),
      );
    });

    it("rejects a zero entity id", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(
        byOnboarder.registerEntity(ZERO_ID, Role.SUPPLIER, await nextYear(), spare.address),
      ).to.be.revertedWithCustomError(participants, "ParticipantZeroEntityId");
    });

    it("rejects registering the same entity twice, even with a fresh wallet", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(ENTITIES.supplier, Role.SUPPLIER, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantAlreadyRegistered")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an empty role set", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, 0, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantInvalidRoles")
        .withArgs(0);
    });

    for (const roles of [UNKNOWN_ROLE_BIT, UNKNOWN_ROLE_BIT | Role.SUPPLIER, 0x80, 0xff]) {
      it(`rejects the role set ${roles}, which has a bit outside the four known roles`, async () => {
        const { participants, admin, onboarder, spare } = await loadFixture(participantsFixture);
        // A set with the REGULATOR bit is the admin's to send (anyone else is refused before the bits are read).
        const by = participants.connect(roles & Role.REGULATOR ? admin : onboarder);
        await expect(by.registerEntity(MORE_ENTITIES.newcomer, roles, await nextYear(), spare.address))
          .to.be.revertedWithCustomError(participants, "ParticipantInvalidRoles")
          .withArgs(roles);
      });
    }

    it("rejects a KYC expiry equal to the block time", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now, spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantKycExpiryInPast")
        .withArgs(now, now);
    });

    it("rejects a KYC expiry in the past", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now - DAY, spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantKycExpiryInPast")
        .withArgs(now - DAY, now);
    });

    it("rejects the zero address as first wallet", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      await expect(
        byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(participants, "ParticipantZeroAddress");
    });

    it("rejects a first wallet already bound to another entity", async () => {
      const { participants, byOnboarder, buyer2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), buyer2.address))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletAlreadyBound")
        .withArgs(buyer2.address, ENTITIES.buyer);
    });

    it("does not consume an index when registration fails", async () => {
      const { participants, byOnboarder, buyer2, spare } = await loadFixture(participantsFixture);
      const expiry = await nextYear();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, expiry, buyer2.address)).to.be
        .reverted;
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, expiry, spare.address);
      expect((await participants.entity(MORE_ENTITIES.newcomer)).index).to.equal(7n);
    });
  });

  describe("shared fixture", () => {
    it("onboards one entity per actor with the stablecoin allowed", async () => {
      const { participants, supplier, buyer, bank, regulator, usd } = await loadFixture(onboardedFixture);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(true);
      expect(await participants.isActive(bank.address, Role.FINANCIER)).to.equal(true);
      expect(await participants.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
      expect(await participants.isCurrencyAllowed(await usd.getAddress())).to.equal(true);
    });
  });
});
