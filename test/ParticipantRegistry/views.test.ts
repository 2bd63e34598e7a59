/**
 * ParticipantRegistry: the views: `isActive`, `isEntityActive`, `entityOf`, `entity`, `entityIdAt` and `entityCount`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, DAY, YEAR } from "../shared/fixtures";
import {
  MORE_ENTITIES,
  REASON,
  UNKNOWN_ROLE_BIT,
  ZERO_ID,
  entityRecord,
  participantsFixture,
} from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.views", () => {
  describe("isActive and isEntityActive", () => {
    it("answer the truth table of registration, roles and role combinations", async () => {
      const f = await loadFixture(participantsFixture);
      const { supplier, trader, regulator } = { ...ENTITIES, ...MORE_ENTITIES };
      const { SUPPLIER, BUYER, FINANCIER } = Role;
      // [case, wallet, entity id, role asked for, expected]
      const cases: Array<[string, string, string, number, boolean]> = [
        ["registered with the role", f.supplier.address, supplier, SUPPLIER, true],
        ["second wallet of the entity", f.supplier2.address, supplier, SUPPLIER, true],
        ["lacking the role", f.supplier.address, supplier, BUYER, false],
        ["multi-role asked for one role", f.trader.address, trader, BUYER, true],
        ["multi-role asked for the other role", f.trader.address, trader, SUPPLIER, true],
        ["multi-role asked for both roles", f.trader.address, trader, SUPPLIER | BUYER, true],
        ["multi-role asked for a role it lacks", f.trader.address, trader, FINANCIER, false],
        ["asked for a held and a missing role", f.trader.address, trader, BUYER | FINANCIER, false],
        ["asked for no role", f.regulator.address, regulator, 0, true],
        ["asked for an unknown role bit", f.regulator.address, regulator, UNKNOWN_ROLE_BIT, false],
        ["unregistered", f.outsider.address, MORE_ENTITIES.stranger, SUPPLIER, false],
        ["unregistered asked for no role", f.outsider.address, MORE_ENTITIES.stranger, 0, false],
        ["zero address and zero id", ethers.ZeroAddress, ZERO_ID, 0, false],
      ];
      for (const [name, wallet, id, role, active] of cases) {
        expect(await f.participants.isActive(wallet, role), `isActive: ${name}`).to.equal(active);
        expect(await f.participants.isEntityActive(id, role), `isEntityActive: ${name}`).to.equal(active);
      }
    });

    it("are false for an entity suspended by an onboarder", async () => {
      const { participants, byOnboarder, buyer } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await participants.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("are false for an entity suspended by a regulator", async () => {
      const { participants, regulator, buyer } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.buyer, REASON);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await participants.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("are true one second before the KYC expiry and false from the expiry on", async () => {
      const { participants, buyer, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry - 1);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(true);
      expect(await participants.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(true);
      await time.increaseTo(expiry);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await participants.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("expire only the entity whose KYC ran out", async () => {
      const { participants, byOnboarder, buyer, supplier, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.setKycExpiry(ENTITIES.supplier, expiry + YEAR);
      await time.increaseTo(expiry + DAY);
      expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });
  });

  describe("entityOf, entity, entityIdAt and entityCount", () => {
    it("resolve every wallet of an entity to that entity", async () => {
      const { participants, supplier, supplier2, buyer, buyer2 } = await loadFixture(participantsFixture);
      expect(await participants.entityOf(supplier.address)).to.equal(ENTITIES.supplier);
      expect(await participants.entityOf(supplier2.address)).to.equal(ENTITIES.supplier);
      expect(await participants.entityOf(buyer.address)).to.equal(ENTITIES.buyer);
      expect(await participants.entityOf(buyer2.address)).to.equal(ENTITIES.buyer);
    });

    it("return zero for an unbound wallet", async () => {
      const { participants, outsider } = await loadFixture(participantsFixture);
      expect(await participants.entityOf(outsider.address)).to.equal(ZERO_ID);
      expect(await participants.entityOf(ethers.ZeroAddress)).to.equal(ZERO_ID);
    });

    it("return an all-zero record for an unknown entity", async () => {
      const { participants } = await loadFixture(participantsFixture);
      expect(await entityRecord(participants, MORE_ENTITIES.stranger)).to.deep.equal({
        index: 0,
        roles: 0,
        suspension: 0,
        kycExpiry: 0,
        walletCount: 0,
      });
    });

    it("return zero for index 0 and for an index past the count", async () => {
      const { participants } = await loadFixture(participantsFixture);
      const count = Number(await participants.entityCount());
      expect(await participants.entityIdAt(0)).to.equal(ZERO_ID);
      expect(await participants.entityIdAt(count)).to.not.equal(ZERO_ID);
      expect(await participants.entityIdAt(count + 1)).to.equal(ZERO_ID);
    });

    it("return an all-zero allowlist record for an unknown token", async () => {
      const { participants, outsider } = await loadFixture(participantsFixture);
      expect(await participants.isCurrencyAllowed(outsider.address)).to.equal(false);
      const c = await participants.currency(outsider.address);
      expect([c.allowed, c.decimals]).to.deep.equal([false, 0n]);
    });
  });
});
