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
        expect(await f.registry.isActive(wallet, role), `isActive: ${name}`).to.equal(active);
        expect(await f.registry.isEntityActive(id, role), `isEntityActive: ${name}`).to.equal(active);
      }
    });

    it("are false for an entity suspended by an onboarder", async () => {
      const { registry, byOnboarder, buyer } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await registry.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("are false for an entity suspended by a regulator", async () => {
      const { registry, regulator, buyer } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.buyer, REASON);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await registry.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("are true one second before the KYC expiry and false from the expiry on", async () => {
      const { registry, buyer, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry - 1);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(true);
      expect(await registry.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(true);
      await time.increaseTo(expiry);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await registry.isEntityActive(ENTITIES.buyer, Role.BUYER)).to.equal(false);
    });

    it("expire only the entity whose KYC ran out", async () => {
      const { registry, byOnboarder, buyer, supplier, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.setKycExpiry(ENTITIES.supplier, expiry + YEAR);
      await time.increaseTo(expiry + DAY);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });
  });

  describe("entityOf, entity, entityIdAt and entityCount", () => {
    it("resolve every wallet of an entity to that entity", async () => {
      const { registry, supplier, supplier2, buyer, buyer2 } = await loadFixture(participantsFixture);
      expect(await registry.entityOf(supplier.address)).to.equal(ENTITIES.supplier);
      expect(await registry.entityOf(supplier2.address)).to.equal(ENTITIES.supplier);
      expect(await registry.entityOf(buyer.address)).to.equal(ENTITIES.buyer);
      expect(await registry.entityOf(buyer2.address)).to.equal(ENTITIES.buyer);
    });

    it("return zero for an unbound wallet", async () => {
      const { registry, outsider } = await loadFixture(participantsFixture);
      expect(await registry.entityOf(outsider.address)).to.equal(ZERO_ID);
      expect(await registry.entityOf(ethers.ZeroAddress)).to.equal(ZERO_ID);
    });

    it("return an all-zero record for an unknown entity", async () => {
      const { registry } = await loadFixture(participantsFixture);
      expect(await entityRecord(registry, MORE_ENTITIES.stranger)).to.deep.equal({
        index: 0,
        roles: 0,
        suspension: 0,
        kycExpiry: 0,
        walletCount: 0,
      });
    });

    it("return zero for index 0 and for an index past the count", async () => {
      const { registry } = await loadFixture(participantsFixture);
      const count = Number(await registry.entityCount());
      expect(await registry.entityIdAt(0)).to.equal(ZERO_ID);
      expect(await registry.entityIdAt(count)).to.not.equal(ZERO_ID);
      expect(await registry.entityIdAt(count + 1)).to.equal(ZERO_ID);
    });

    it("return an all-zero allowlist record for an unknown token", async () => {
      const { registry, outsider } = await loadFixture(participantsFixture);
      expect(await registry.isCurrencyAllowed(outsider.address)).to.equal(false);
      const c = await registry.currency(outsider.address);
      expect([c.allowed, c.decimals]).to.deep.equal([false, 0n]);
    });
  });
});
