import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployCoreFixture, onboardedFixture, ENTITIES, DAY, YEAR } from "./shared/fixtures";
import {
  ALL_ROLES,
  INDEX,
  MORE_ENTITIES,
  REASON,
  Suspension,
  UNKNOWN_ROLE_BIT,
  deployBadDecimalsToken,
  deploySilentFallback,
  deployToken,
  entityRecord,
  nextYear,
  participantsFixture,
  pinNextTimestamp,
} from "./shared/participants";
import { receivablesFixture } from "./shared/receivables";
import { Role } from "../src/pure/ids";
import type { ParticipantRegistry } from "../typechain-types";

const ZERO_ID = ethers.ZeroHash;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

describe("ParticipantRegistry", () => {
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

  describe("registerEntity", () => {
    it("stores the record, binds the first wallet and emits EntityRegistered then WalletAdded", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      const expiry = await nextYear();
      const roles = Role.FINANCIER | Role.BUYER;
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, roles, expiry, spare.address))
        .to.emit(registry, "EntityRegistered")
        .withArgs(MORE_ENTITIES.newcomer, 7, roles, expiry)
        .and.to.emit(registry, "WalletAdded")
        .withArgs(MORE_ENTITIES.newcomer, spare.address, false);
      expect(await entityRecord(registry, MORE_ENTITIES.newcomer)).to.deep.equal({
        index: 7,
        roles,
        suspension: Suspension.NONE,
        kycExpiry: expiry,
        walletCount: 1,
      });
      expect(await registry.entityOf(spare.address)).to.equal(MORE_ENTITIES.newcomer);
      expect(await registry.entityIdAt(7)).to.equal(MORE_ENTITIES.newcomer);
      expect(await registry.entityCount()).to.equal(7n);
      expect(await registry.isActive(spare.address, Role.FINANCIER)).to.equal(true);
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
      const { registry } = await loadFixture(participantsFixture);
      expect(await registry.entityCount()).to.equal(6n);
      const expected: Array<[number, string]> = [
        [INDEX.supplier, ENTITIES.supplier],
        [INDEX.buyer, ENTITIES.buyer],
        [INDEX.bank, ENTITIES.bank],
        [INDEX.regulator, ENTITIES.regulator],
        [INDEX.trader, MORE_ENTITIES.trader],
        [INDEX.regulator2, MORE_ENTITIES.regulator2],
      ];
      for (const [index, id] of expected) {
        expect(await registry.entityIdAt(index)).to.equal(id);
        expect((await registry.entity(id)).index).to.equal(BigInt(index));
      }
    });

    it("accepts an entity holding all four roles (from the admin, as it holds REGULATOR)", async () => {
      const { registry, admin, spare } = await loadFixture(participantsFixture);
      await registry.connect(admin).registerEntity(MORE_ENTITIES.newcomer, ALL_ROLES, await nextYear(), spare.address);
      for (const role of Object.values(Role)) {
        expect(await registry.isActive(spare.address, role)).to.equal(true);
      }
    });

    it("accepts a KYC expiry one second after the block time", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now + 1, spare.address);
      expect((await registry.entity(MORE_ENTITIES.newcomer)).kycExpiry).to.equal(BigInt(now + 1));
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

    it("rejects the admin, who does not hold ONBOARDER_ROLE", async () => {
      const { registry, admin, spare } = await loadFixture(participantsFixture);
      await expect(
        registry.connect(admin).registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), spare.address),
      )
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, await registry.ONBOARDER_ROLE());
    });

    it("rejects a zero entity id", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(
        byOnboarder.registerEntity(ZERO_ID, Role.SUPPLIER, await nextYear(), spare.address),
      ).to.be.revertedWithCustomError(registry, "ParticipantZeroEntityId");
    });

    it("rejects registering the same entity twice, even with a fresh wallet", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(ENTITIES.supplier, Role.SUPPLIER, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantAlreadyRegistered")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an empty role set", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, 0, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantInvalidRoles")
        .withArgs(0);
    });

    for (const roles of [UNKNOWN_ROLE_BIT, UNKNOWN_ROLE_BIT | Role.SUPPLIER, 0x80, 0xff]) {
      it(`rejects the role set ${roles}, which has a bit outside the four known roles`, async () => {
        const { registry, admin, onboarder, spare } = await loadFixture(participantsFixture);
        // A set with the REGULATOR bit is the admin's to send (anyone else is refused before the bits are read).
        const by = registry.connect(roles & Role.REGULATOR ? admin : onboarder);
        await expect(by.registerEntity(MORE_ENTITIES.newcomer, roles, await nextYear(), spare.address))
          .to.be.revertedWithCustomError(registry, "ParticipantInvalidRoles")
          .withArgs(roles);
      });
    }

    it("rejects a KYC expiry equal to the block time", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now, spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantKycExpiryInPast")
        .withArgs(now, now);
    });

    it("rejects a KYC expiry in the past", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, now - DAY, spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantKycExpiryInPast")
        .withArgs(now - DAY, now);
    });

    it("rejects the zero address as first wallet", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(
        byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(registry, "ParticipantZeroAddress");
    });

    it("rejects a first wallet already bound to another entity", async () => {
      const { registry, byOnboarder, buyer2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), buyer2.address))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletAlreadyBound")
        .withArgs(buyer2.address, ENTITIES.buyer);
    });

    it("does not consume an index when registration fails", async () => {
      const { registry, byOnboarder, buyer2, spare } = await loadFixture(participantsFixture);
      const expiry = await nextYear();
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, expiry, buyer2.address)).to.be
        .reverted;
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, expiry, spare.address);
      expect((await registry.entity(MORE_ENTITIES.newcomer)).index).to.equal(7n);
    });
  });

  describe("setRoles", () => {
    it("replaces the role bits and emits RolesChanged with the previous and new bits", async () => {
      const { registry, byOnboarder, supplier } = await loadFixture(participantsFixture);
      await expect(byOnboarder.setRoles(ENTITIES.supplier, Role.BUYER | Role.FINANCIER))
        .to.emit(registry, "RolesChanged")
        .withArgs(ENTITIES.supplier, Role.SUPPLIER, Role.BUYER | Role.FINANCIER);
      expect((await registry.entity(ENTITIES.supplier)).roles).to.equal(BigInt(Role.BUYER | Role.FINANCIER));
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
      expect(await registry.isActive(supplier.address, Role.BUYER)).to.equal(true);
      expect(await registry.isActive(supplier.address, Role.FINANCIER)).to.equal(true);
    });

    it("leaves index, expiry, suspension and wallets untouched", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      const before = await entityRecord(registry, ENTITIES.supplier);
      const roles = Role.SUPPLIER | Role.BUYER | Role.FINANCIER;
      await byOnboarder.setRoles(ENTITIES.supplier, roles);
      expect(await entityRecord(registry, ENTITIES.supplier)).to.deep.equal({ ...before, roles });
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { registry, regulator } = await loadFixture(participantsFixture);
      await expect(registry.connect(regulator).setRoles(ENTITIES.supplier, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(regulator.address, await registry.ONBOARDER_ROLE());
    });

    it("rejects an unknown entity", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.setRoles(MORE_ENTITIES.stranger, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects an empty role set", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.setRoles(ENTITIES.supplier, 0))
        .to.be.revertedWithCustomError(registry, "ParticipantInvalidRoles")
        .withArgs(0);
    });

    it("rejects an unknown role bit", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.setRoles(ENTITIES.supplier, Role.SUPPLIER | UNKNOWN_ROLE_BIT))
        .to.be.revertedWithCustomError(registry, "ParticipantInvalidRoles")
        .withArgs(Role.SUPPLIER | UNKNOWN_ROLE_BIT);
    });
  });

  describe("setKycExpiry", () => {
    it("sets a new expiry and emits KycExpiryChanged with the previous and new expiry", async () => {
      const { registry, byOnboarder, expiry } = await loadFixture(participantsFixture);
      const renewed = expiry + YEAR;
      await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, renewed))
        .to.emit(registry, "KycExpiryChanged")
        .withArgs(ENTITIES.buyer, expiry, renewed);
      expect((await registry.entity(ENTITIES.buyer)).kycExpiry).to.equal(BigInt(renewed));
    });

    it("may shorten the expiry as long as it stays in the future", async () => {
      const { registry, byOnboarder, buyer } = await loadFixture(participantsFixture);
      const soon = (await time.latest()) + DAY;
      await byOnboarder.setKycExpiry(ENTITIES.buyer, soon);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(true);
      await time.increaseTo(soon);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
    });

    it("reactivates an entity whose KYC had expired", async () => {
      const { registry, byOnboarder, buyer, expiry } = await loadFixture(participantsFixture);
      await time.increaseTo(expiry + DAY);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(false);
      await byOnboarder.setKycExpiry(ENTITIES.buyer, expiry + YEAR);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(true);
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { registry, outsider, expiry } = await loadFixture(participantsFixture);
      await expect(registry.connect(outsider).setKycExpiry(ENTITIES.buyer, expiry + YEAR))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await registry.ONBOARDER_ROLE());
    });

    it("rejects an unknown entity", async () => {
      const { registry, byOnboarder, expiry } = await loadFixture(participantsFixture);
      await expect(byOnboarder.setKycExpiry(MORE_ENTITIES.stranger, expiry))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects an expiry in the past", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, now - 1))
        .to.be.revertedWithCustomError(registry, "ParticipantKycExpiryInPast")
        .withArgs(now - 1, now);
    });

    it("rejects an expiry equal to the block time", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      const now = await pinNextTimestamp();
      await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, now))
        .to.be.revertedWithCustomError(registry, "ParticipantKycExpiryInPast")
        .withArgs(now, now);
    });
  });

  describe("addWallet", () => {
    it("binds the wallet, counts it and emits WalletAdded", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, false))
        .to.emit(registry, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, false);
      expect(await registry.entityOf(spare.address)).to.equal(ENTITIES.bank);
      expect((await registry.entity(ENTITIES.bank)).walletCount).to.equal(2n);
      expect(await registry.isActive(spare.address, Role.FINANCIER)).to.equal(true);
    });

    it("counts every wallet bound to the entity", async () => {
      const { registry, byOnboarder, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      await byOnboarder.addWallet(ENTITIES.supplier, spare2.address, false);
      expect((await registry.entity(ENTITIES.supplier)).walletCount).to.equal(4n);
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { registry, supplier, spare } = await loadFixture(participantsFixture);
      await expect(registry.connect(supplier).addWallet(ENTITIES.supplier, spare.address, false))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(supplier.address, await registry.ONBOARDER_ROLE());
    });

    it("rejects an unknown entity", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(MORE_ENTITIES.stranger, spare.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects the zero address", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, ethers.ZeroAddress, false)).to.be.revertedWithCustomError(
        registry,
        "ParticipantZeroAddress",
      );
    });

    it("rejects a wallet already bound to another entity", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletAlreadyBound")
        .withArgs(supplier2.address, ENTITIES.supplier);
    });

    it("rejects a wallet already bound to the same entity", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.supplier, supplier2.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletAlreadyBound")
        .withArgs(supplier2.address, ENTITIES.supplier);
    });
  });

  describe("removeWallet", () => {
    it("unbinds the wallet, uncounts it and emits WalletRemoved", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.removeWallet(supplier2.address))
        .to.emit(registry, "WalletRemoved")
        .withArgs(ENTITIES.supplier, supplier2.address);
      expect(await registry.entityOf(supplier2.address)).to.equal(ZERO_ID);
      expect((await registry.entity(ENTITIES.supplier)).walletCount).to.equal(1n);
    });

    it("makes the removed wallet inactive while the entity's other wallet stays active", async () => {
      const { registry, byOnboarder, supplier, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      expect(await registry.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
      await expect(registry.requireActiveWallet(supplier2.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(registry, "ParticipantNotActive")
        .withArgs(supplier2.address, Role.SUPPLIER);
    });

    it("lets the removed wallet be bound to another entity", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      await expect(byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false))
        .to.emit(registry, "WalletAdded")
        .withArgs(ENTITIES.bank, supplier2.address, false);
      expect(await registry.entityOf(supplier2.address)).to.equal(ENTITIES.bank);
      expect(await registry.isActive(supplier2.address, Role.FINANCIER)).to.equal(true);
      expect(await registry.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
      expect((await registry.entity(ENTITIES.supplier)).walletCount).to.equal(1n);
      expect((await registry.entity(ENTITIES.bank)).walletCount).to.equal(2n);
    });

    it("lets the removed wallet become the first wallet of a new entity", async () => {
      const { registry, byOnboarder, buyer2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(buyer2.address);
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), buyer2.address);
      expect(await registry.entityOf(buyer2.address)).to.equal(MORE_ENTITIES.newcomer);
    });

    it("may remove an entity's last wallet, leaving the entity registered with no wallet", async () => {
      const { registry, byOnboarder, bank } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(bank.address);
      expect((await registry.entity(ENTITIES.bank)).walletCount).to.equal(0n);
      expect(await registry.isActive(bank.address, Role.FINANCIER)).to.equal(false);
      expect(await registry.isEntityActive(ENTITIES.bank, Role.FINANCIER)).to.equal(true);
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { registry, supplier, supplier2 } = await loadFixture(participantsFixture);
      await expect(registry.connect(supplier).removeWallet(supplier2.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(supplier.address, await registry.ONBOARDER_ROLE());
    });

    it("rejects a wallet that is not bound to any entity", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.removeWallet(spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletNotBound")
        .withArgs(spare.address);
    });

    it("rejects removing the same wallet twice", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      await expect(byOnboarder.removeWallet(supplier2.address))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletNotBound")
        .withArgs(supplier2.address);
    });
  });

  describe("wallet lists and each wallet's copy of its entity's status", () => {
    /** walletStatus of every listed wallet, next to what the entity record says. */
    async function statuses(registry: ParticipantRegistry, id: string) {
      const e = await registry.entity(id);
      const active = e.suspension === 0n && e.kycExpiry > BigInt(await time.latest());
      const wallets = await registry.walletsOf(id);
      const seen = await Promise.all(wallets.map((w) => registry.walletStatus(w)));
      return { wallets, seen: seen.map((x) => [x.index, x.roles, x.active]), expected: [e.index, e.roles, active] };
    }

    it("lists an entity's wallets in binding order, and nothing for an unknown entity", async () => {
      const { registry, byOnboarder, supplier, supplier2, spare } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      expect(await registry.walletsOf(ENTITIES.supplier)).to.deep.equal([
        supplier.address,
        supplier2.address,
        spare.address,
      ]);
      expect(await registry.walletsOf(MORE_ENTITIES.stranger)).to.deep.equal([]);
    });

    it("moves the last wallet into a removed wallet's place and keeps every copy in step", async () => {
      const { registry, byOnboarder, supplier, supplier2, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      await byOnboarder.addWallet(ENTITIES.supplier, spare2.address, false);
      await byOnboarder.removeWallet(supplier.address);
      expect(await registry.walletsOf(ENTITIES.supplier)).to.deep.equal([
        spare2.address,
        supplier2.address,
        spare.address,
      ]);
      await byOnboarder.removeWallet(spare.address);
      expect(await registry.walletsOf(ENTITIES.supplier)).to.deep.equal([spare2.address, supplier2.address]);

      // Each change of the entity reaches both remaining wallets, including the one that moved.
      const check = async () => {
        const { seen, expected } = await statuses(registry, ENTITIES.supplier);
        expect(seen).to.deep.equal([expected, expected]);
      };
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await check();
      expect((await registry.walletStatus(spare2.address)).active).to.equal(false);
      await byOnboarder.reinstate(ENTITIES.supplier);
      await check();
      await byOnboarder.setRoles(ENTITIES.supplier, Role.SUPPLIER | Role.BUYER);
      await check();
      expect(await registry.isActive(spare2.address, Role.BUYER)).to.equal(true);
      const soon = (await time.latest()) + DAY;
      await byOnboarder.setKycExpiry(ENTITIES.supplier, soon);
      await time.increaseTo(soon);
      await check();
      expect(await registry.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
    });

    it("clears a removed wallet's copy, so the old entity's later changes never reach it", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      const cleared = await registry.walletStatus(supplier2.address);
      expect([cleared.index, cleared.roles, cleared.active]).to.deep.equal([0n, 0n, false]);
      await byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      const now = await registry.walletStatus(supplier2.address);
      expect([now.index, now.roles, now.active]).to.deep.equal([BigInt(INDEX.bank), BigInt(Role.FINANCIER), true]);
    });

    it("binds a wallet pull-only in one transaction, announces the mark and keeps it through entity changes", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      const pullOnly = async (w: string) => (await registry.recipientStatus(w)).pullOnly;
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, true))
        .to.emit(registry, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, true);
      expect(await pullOnly(spare.address)).to.equal(true);
      expect(await registry.isActive(spare.address, Role.FINANCIER)).to.equal(true);
      await byOnboarder.suspend(ENTITIES.bank, REASON);
      await byOnboarder.reinstate(ENTITIES.bank);
      await byOnboarder.setRoles(ENTITIES.bank, Role.FINANCIER | Role.SUPPLIER);
      await byOnboarder.setKycExpiry(ENTITIES.bank, await nextYear());
      expect(await pullOnly(spare.address)).to.equal(true);
    });

    it("binds an ordinary wallet, and a first wallet, without the mark", async () => {
      const { registry, byOnboarder, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.bank, spare.address, false);
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.FINANCIER, await nextYear(), spare2.address);
      expect((await registry.recipientStatus(spare.address)).pullOnly).to.equal(false);
      expect((await registry.recipientStatus(spare2.address)).pullOnly).to.equal(false);
    });

    it("keeps the pull-only mark of a removed wallet and refuses to bind it again without the mark", async () => {
      const { registry, byOnboarder, spare } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.bank, spare.address, true);
      await byOnboarder.removeWallet(spare.address);
      const removed = await registry.recipientStatus(spare.address);
      expect([removed.index, removed.roles, removed.active, removed.pullOnly]).to.deep.equal([0n, 0n, false, true]);
      expect(await registry.entityOf(spare.address)).to.equal(ZERO_ID);
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      await expect(byOnboarder.addWallet(ENTITIES.supplier, spare.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.FINANCIER, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(registry, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      // Bound again as what it is: pull-only, with its new entity's status.
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, true))
        .to.emit(registry, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, true);
      const again = await registry.recipientStatus(spare.address);
      expect([again.index, again.roles, again.active, again.pullOnly]).to.deep.equal([
        BigInt(INDEX.bank),
        BigInt(Role.FINANCIER),
        true,
        true,
      ]);
    });

    it("clears a removed ordinary wallet's record entirely, so it binds again freely", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      const removed = await registry.recipientStatus(supplier2.address);
      expect([removed.index, removed.roles, removed.active, removed.pullOnly]).to.deep.equal([0n, 0n, false, false]);
      await byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false);
      expect((await registry.recipientStatus(supplier2.address)).pullOnly).to.equal(false);
    });

    it("caps an entity at MAX_WALLETS_PER_ENTITY wallets, and frees a place when one is removed", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      const max = Number(await registry.MAX_WALLETS_PER_ENTITY());
      expect(max).to.equal(16);
      const extra = Array.from({ length: max }, (_, k) => ethers.getAddress(ethers.toBeHex(0xa11ce000 + k, 20)));
      const have = Number((await registry.entity(ENTITIES.supplier)).walletCount);
      for (const w of extra.slice(0, max - have)) await byOnboarder.addWallet(ENTITIES.supplier, w, false);
      const over = extra[max - have];
      await expect(byOnboarder.addWallet(ENTITIES.supplier, over, false))
        .to.be.revertedWithCustomError(registry, "ParticipantTooManyWallets")
        .withArgs(ENTITIES.supplier, max);
      expect(await registry.entityOf(over)).to.equal(ZERO_ID);
      await byOnboarder.removeWallet(extra[0]);
      await byOnboarder.addWallet(ENTITIES.supplier, over, false);
      const { wallets, seen, expected } = await statuses(registry, ENTITIES.supplier);
      expect(wallets).to.have.length(max).and.to.include(over);
      expect(seen).to.deep.equal(wallets.map(() => expected));
    });
  });

  describe("suspend", () => {
    it("lets an onboarder suspend an entity, recording who did it", async () => {
      const { registry, onboarder, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.emit(registry, "EntitySuspended")
        .withArgs(ENTITIES.supplier, onboarder.address, false, REASON);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_ONBOARDER));
    });

    it("lets an active REGULATOR participant suspend an entity, recording who did it", async () => {
      const { registry, regulator } = await loadFixture(participantsFixture);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(registry, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("makes every wallet of the entity inactive for every role it holds", async () => {
      const { registry, byOnboarder, trader } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(MORE_ENTITIES.trader, REASON);
      for (const role of [Role.SUPPLIER, Role.BUYER, Role.SUPPLIER | Role.BUYER, 0]) {
        expect(await registry.isActive(trader.address, role)).to.equal(false);
        expect(await registry.isEntityActive(MORE_ENTITIES.trader, role)).to.equal(false);
      }
    });

    it("leaves roles, expiry and wallets untouched", async () => {
      const { registry, regulator } = await loadFixture(participantsFixture);
      const before = await entityRecord(registry, ENTITIES.buyer);
      await registry.connect(regulator).suspend(ENTITIES.buyer, REASON);
      expect(await entityRecord(registry, ENTITIES.buyer)).to.deep.equal({
        ...before,
        suspension: Suspension.BY_REGULATOR,
      });
    });

    it("treats a caller who is both onboarder and active regulator as the regulator", async () => {
      const { registry, admin, regulator } = await loadFixture(participantsFixture);
      await registry.connect(admin).grantRole(await registry.ONBOARDER_ROLE(), regulator.address);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(registry, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("rejects an onboarder suspending an entity an onboarder already suspended, reporting the kind", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantAlreadySuspended")
        .withArgs(ENTITIES.supplier, Suspension.BY_ONBOARDER);
    });

    it("lets a regulator upgrade an onboarder's suspension so that the onboarder can no longer lift it", async () => {
      const { registry, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(registry, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(registry, "ParticipantSuspendedByRegulator")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an entity already suspended by a regulator, reporting the suspension kind", async () => {
      const { registry, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantAlreadySuspended")
        .withArgs(ENTITIES.supplier, Suspension.BY_REGULATOR);
    });

    it("rejects an unknown entity", async () => {
      const { registry, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await expect(byOnboarder.suspend(MORE_ENTITIES.stranger, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
      await expect(registry.connect(regulator).suspend(MORE_ENTITIES.stranger, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects a caller that is neither onboarder nor participant", async () => {
      const { registry, outsider } = await loadFixture(participantsFixture);
      await expect(registry.connect(outsider).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(outsider.address);
    });

    it("rejects the default admin, who is not an onboarder", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      await expect(registry.connect(admin).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(admin.address);
    });

    it("rejects an active participant that does not hold the REGULATOR role", async () => {
      const { registry, bank } = await loadFixture(participantsFixture);
      await expect(registry.connect(bank).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(bank.address);
    });

    it("rejects a regulator whose KYC has expired", async () => {
      const { registry, byOnboarder, regulator, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.setKycExpiry(ENTITIES.supplier, expiry + YEAR);
      await time.increaseTo(expiry);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });

    it("rejects a regulator that is itself suspended", async () => {
      const { registry, regulator, regulator2 } = await loadFixture(participantsFixture);
      await registry.connect(regulator2).suspend(ENTITIES.regulator, REASON);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });

    it("rejects a wallet that was removed from a regulator entity", async () => {
      const { registry, admin, regulator } = await loadFixture(participantsFixture);
      await registry.connect(admin).removeWallet(regulator.address);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });

    it("rejects a regulator whose REGULATOR role was taken away", async () => {
      const { registry, admin, regulator } = await loadFixture(participantsFixture);
      await registry.connect(admin).setRoles(ENTITIES.regulator, Role.FINANCIER);
      await expect(registry.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });

    it("rejects an onboarder whose ONBOARDER_ROLE was revoked", async () => {
      const { registry, admin, onboarder, byOnboarder } = await loadFixture(participantsFixture);
      await registry.connect(admin).revokeRole(await registry.ONBOARDER_ROLE(), onboarder.address);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(onboarder.address);
    });
  });

  describe("reinstate", () => {
    it("lets an onboarder lift an onboarder's suspension and emits EntityReinstated", async () => {
      const { registry, onboarder, byOnboarder, supplier } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.emit(registry, "EntityReinstated")
        .withArgs(ENTITIES.supplier, onboarder.address);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.NONE));
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("refuses to let an onboarder lift a regulator's suspension", async () => {
      const { registry, byOnboarder, regulator, supplier } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(registry, "ParticipantSuspendedByRegulator")
        .withArgs(ENTITIES.supplier);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    });

    it("lets a regulator lift a regulator's suspension", async () => {
      const { registry, regulator, supplier } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(registry.connect(regulator).reinstate(ENTITIES.supplier))
        .to.emit(registry, "EntityReinstated")
        .withArgs(ENTITIES.supplier, regulator.address);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("lets a regulator lift an onboarder's suspension", async () => {
      const { registry, byOnboarder, regulator, supplier } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(registry.connect(regulator).reinstate(ENTITIES.supplier))
        .to.emit(registry, "EntityReinstated")
        .withArgs(ENTITIES.supplier, regulator.address);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("lets one regulator lift another regulator's suspension", async () => {
      const { registry, regulator, regulator2 } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(ENTITIES.buyer, REASON);
      await expect(registry.connect(regulator2).reinstate(ENTITIES.buyer))
        .to.emit(registry, "EntityReinstated")
        .withArgs(ENTITIES.buyer, regulator2.address);
    });

    it("keeps an onboarder from lifting a regulator-imposed suspension of another regulator", async () => {
      const { registry, onboarder, byOnboarder, regulator, regulator2 } = await loadFixture(participantsFixture);
      await registry.connect(regulator2).suspend(ENTITIES.regulator, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.regulator))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, ENTITIES.regulator);
      await registry.connect(regulator2).reinstate(ENTITIES.regulator);
      expect(await registry.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
    });

    it("leaves an entity with expired KYC inactive after reinstatement", async () => {
      const { registry, byOnboarder, supplier, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await time.increaseTo(expiry);
      await byOnboarder.reinstate(ENTITIES.supplier);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.NONE));
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    });

    it("allows suspending again after reinstatement", async () => {
      const { registry, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await byOnboarder.reinstate(ENTITIES.supplier);
      await registry.connect(regulator).suspend(ENTITIES.supplier, REASON);
      expect((await registry.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("rejects an entity that is not suspended", async () => {
      const { registry, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(registry, "ParticipantNotSuspended")
        .withArgs(ENTITIES.supplier);
      await expect(registry.connect(regulator).reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(registry, "ParticipantNotSuspended")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an unknown entity", async () => {
      const { registry, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.reinstate(MORE_ENTITIES.stranger))
        .to.be.revertedWithCustomError(registry, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects a caller that is neither onboarder nor active regulator", async () => {
      const { registry, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      await expect(registry.connect(supplier2).reinstate(ENTITIES.buyer))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(supplier2.address);
    });

    it("rejects a suspended regulator trying to reinstate itself", async () => {
      const { registry, regulator, regulator2 } = await loadFixture(participantsFixture);
      await registry.connect(regulator2).suspend(ENTITIES.regulator, REASON);
      await expect(registry.connect(regulator).reinstate(ENTITIES.regulator))
        .to.be.revertedWithCustomError(registry, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });
  });

  describe("regulators are out of the onboarder's reach (issue 12, item 5)", () => {
    it("refuses an onboarder registering an entity with the REGULATOR role, alone or with other roles", async () => {
      const { registry, onboarder, byOnboarder, spare } = await loadFixture(participantsFixture);
      for (const roles of [Role.REGULATOR, Role.SUPPLIER | Role.REGULATOR, ALL_ROLES]) {
        await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, roles, await nextYear(), spare.address))
          .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
          .withArgs(onboarder.address, MORE_ENTITIES.newcomer, roles);
      }
      expect(await registry.entityOf(spare.address)).to.equal(ZERO_ID);
    });

    it("refuses an onboarder registering itself as a regulator, so it cannot unfreeze what a regulator froze", async () => {
      const { registry, receivables, lens, onboarder, regulator, acknowledgedId } =
        await loadFixture(receivablesFixture);
      const byOnboarder = registry.connect(onboarder);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      // Every way of turning its own wallet into a regulator's: a new regulator entity, a wallet of the real
      // regulator, or the REGULATOR role on an entity it already controls.
      await expect(
        byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.REGULATOR, await nextYear(), onboarder.address),
      )
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, MORE_ENTITIES.newcomer, Role.REGULATOR);
      await expect(byOnboarder.addWallet(ENTITIES.regulator, onboarder.address, false))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), onboarder.address);
      await expect(byOnboarder.setRoles(MORE_ENTITIES.newcomer, Role.SUPPLIER | Role.REGULATOR))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, MORE_ENTITIES.newcomer, Role.SUPPLIER | Role.REGULATOR);
      expect(await registry.isActive(onboarder.address, Role.REGULATOR)).to.equal(false);
      await expect(receivables.connect(onboarder).unfreeze(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
        .withArgs(onboarder.address);
      expect((await lens.receivable(acknowledgedId)).frozen).to.equal(true);
    });

    it("lets the admin, without ONBOARDER_ROLE, register a regulator and give it wallets", async () => {
      const { registry, admin, spare, spare2 } = await loadFixture(participantsFixture);
      const byAdmin = registry.connect(admin);
      expect(await registry.hasRole(await registry.ONBOARDER_ROLE(), admin.address)).to.equal(false);
      const expiry = await nextYear();
      await expect(byAdmin.registerEntity(MORE_ENTITIES.newcomer, Role.REGULATOR, expiry, spare.address))
        .to.emit(registry, "EntityRegistered")
        .withArgs(MORE_ENTITIES.newcomer, INDEX.regulator2 + 1, Role.REGULATOR, expiry);
      await expect(byAdmin.addWallet(MORE_ENTITIES.newcomer, spare2.address, false))
        .to.emit(registry, "WalletAdded")
        .withArgs(MORE_ENTITIES.newcomer, spare2.address, false);
      expect(await registry.isActive(spare2.address, Role.REGULATOR)).to.equal(true);
    });

    it("refuses an onboarder granting or revoking REGULATOR with setRoles, and lets the admin do both", async () => {
      const { registry, admin, onboarder, byOnboarder, trader, regulator } = await loadFixture(participantsFixture);
      const grant = Role.SUPPLIER | Role.BUYER | Role.REGULATOR;
      await expect(byOnboarder.setRoles(MORE_ENTITIES.trader, grant))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, MORE_ENTITIES.trader, grant);
      await expect(byOnboarder.setRoles(ENTITIES.regulator, Role.FINANCIER))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
      // Nor may it edit a regulator's other bits.
      await expect(byOnboarder.setRoles(ENTITIES.regulator, Role.REGULATOR | Role.BUYER))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR | Role.BUYER);
      await expect(registry.connect(admin).setRoles(MORE_ENTITIES.trader, grant))
        .to.emit(registry, "RolesChanged")
        .withArgs(MORE_ENTITIES.trader, Role.SUPPLIER | Role.BUYER, grant);
      expect(await registry.isActive(trader.address, Role.REGULATOR)).to.equal(true);
      await expect(registry.connect(admin).setRoles(ENTITIES.regulator, Role.FINANCIER))
        .to.emit(registry, "RolesChanged")
        .withArgs(ENTITIES.regulator, Role.REGULATOR, Role.FINANCIER);
      expect(await registry.isActive(regulator.address, Role.REGULATOR)).to.equal(false);
    });

    it("refuses the admin an ordinary role change, which stays the onboarder's", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      await expect(registry.connect(admin).setRoles(ENTITIES.supplier, Role.BUYER))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, await registry.ONBOARDER_ROLE());
    });

    it("refuses an onboarder shortening a regulator's KYC or removing its wallets; the admin may", async () => {
      const { registry, admin, onboarder, byOnboarder, regulator } = await loadFixture(participantsFixture);
      const soon = (await time.latest()) + 60;
      await expect(byOnboarder.setKycExpiry(ENTITIES.regulator, soon))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
      await expect(byOnboarder.removeWallet(regulator.address))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresAdmin")
        .withArgs(onboarder.address, ENTITIES.regulator, Role.REGULATOR);
      expect(await registry.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
      const later = await nextYear();
      await expect(registry.connect(admin).setKycExpiry(ENTITIES.regulator, later)).to.emit(
        registry,
        "KycExpiryChanged",
      );
      await expect(registry.connect(admin).removeWallet(regulator.address))
        .to.emit(registry, "WalletRemoved")
        .withArgs(ENTITIES.regulator, regulator.address);
    });

    it("refuses an onboarder suspending the real regulator", async () => {
      const { registry, onboarder, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await expect(byOnboarder.suspend(ENTITIES.regulator, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, ENTITIES.regulator);
      expect(await registry.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
    });

    it("refuses an onboarder suspending an entity that holds REGULATOR among other roles", async () => {
      const { registry, admin, onboarder, byOnboarder } = await loadFixture(participantsFixture);
      await registry.connect(admin).setRoles(MORE_ENTITIES.trader, Role.SUPPLIER | Role.REGULATOR);
      await expect(byOnboarder.suspend(MORE_ENTITIES.trader, REASON))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, MORE_ENTITIES.trader);
    });

    it("refuses an onboarder lifting a regulator's suspension of a regulator", async () => {
      const { registry, onboarder, byOnboarder, regulator, regulator2 } = await loadFixture(participantsFixture);
      await registry.connect(regulator).suspend(MORE_ENTITIES.regulator2, REASON);
      await expect(byOnboarder.reinstate(MORE_ENTITIES.regulator2))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, MORE_ENTITIES.regulator2);
      expect(await registry.isActive(regulator2.address, Role.REGULATOR)).to.equal(false);
    });

    it("refuses an onboarder lifting a suspension of an entity that became a regulator while suspended", async () => {
      const { registry, admin, onboarder, byOnboarder } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(MORE_ENTITIES.trader, REASON);
      await registry.connect(admin).setRoles(MORE_ENTITIES.trader, Role.REGULATOR);
      await expect(byOnboarder.reinstate(MORE_ENTITIES.trader))
        .to.be.revertedWithCustomError(registry, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, MORE_ENTITIES.trader);
    });

    it("lets a regulator suspend and reinstate another regulator", async () => {
      const { registry, regulator, regulator2 } = await loadFixture(participantsFixture);
      await expect(registry.connect(regulator).suspend(MORE_ENTITIES.regulator2, REASON))
        .to.emit(registry, "EntitySuspended")
        .withArgs(MORE_ENTITIES.regulator2, regulator.address, true, REASON);
      expect(await registry.isActive(regulator2.address, Role.REGULATOR)).to.equal(false);
      await expect(registry.connect(regulator).reinstate(MORE_ENTITIES.regulator2))
        .to.emit(registry, "EntityReinstated")
        .withArgs(MORE_ENTITIES.regulator2, regulator.address);
      expect(await registry.isActive(regulator2.address, Role.REGULATOR)).to.equal(true);
    });

    it("still lets an onboarder suspend and reinstate an entity without the REGULATOR role", async () => {
      const { registry, byOnboarder, supplier } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await byOnboarder.reinstate(ENTITIES.supplier);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });
  });

  describe("setCurrencyAllowed", () => {
    it("stores the decimals it reads from the token and emits CurrencyAllowedSet", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      for (const decimals of [0, 2, 18]) {
        const token = await deployToken(decimals);
        const address = await token.getAddress();
        await expect(registry.connect(admin).setCurrencyAllowed(address, true))
          .to.emit(registry, "CurrencyAllowedSet")
          .withArgs(address, true, decimals);
        expect(await registry.isCurrencyAllowed(address)).to.equal(true);
        const c = await registry.currency(address);
        expect(c.allowed).to.equal(true);
        expect(c.decimals).to.equal(BigInt(decimals));
      }
    });

    it("holds the shared fixture's 6-decimal stablecoin", async () => {
      const { registry, usd } = await loadFixture(participantsFixture);
      const c = await registry.currency(await usd.getAddress());
      expect([c.allowed, c.decimals]).to.deep.equal([true, 6n]);
    });

    it("removes a token from the allowlist, clearing its decimals", async () => {
      const { registry, admin, usd } = await loadFixture(participantsFixture);
      const address = await usd.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(address, false))
        .to.emit(registry, "CurrencyAllowedSet")
        .withArgs(address, false, 0);
      expect(await registry.isCurrencyAllowed(address)).to.equal(false);
      const c = await registry.currency(address);
      expect([c.allowed, c.decimals]).to.deep.equal([false, 0n]);
    });

    it("can allow a token again after removing it", async () => {
      const { registry, admin, usd } = await loadFixture(participantsFixture);
      const address = await usd.getAddress();
      await registry.connect(admin).setCurrencyAllowed(address, false);
      await registry.connect(admin).setCurrencyAllowed(address, true);
      expect((await registry.currency(address)).decimals).to.equal(6n);
    });

    it("does not read decimals when removing a token", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const notAToken = await registry.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(notAToken, false))
        .to.emit(registry, "CurrencyAllowedSet")
        .withArgs(notAToken, false, 0);
    });

    it("rejects the zero address", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      for (const allowed of [true, false]) {
        await expect(
          registry.connect(admin).setCurrencyAllowed(ethers.ZeroAddress, allowed),
        ).to.be.revertedWithCustomError(registry, "ParticipantZeroAddress");
      }
    });

    it("rejects a token with more than 18 decimals", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const token = await deployToken(19);
      const address = await token.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(address, true))
        .to.be.revertedWithCustomError(registry, "ParticipantUnsupportedCurrency")
        .withArgs(address);
    });

    it("rejects a contract without decimals()", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const notAToken = await registry.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(notAToken, true))
        .to.be.revertedWithCustomError(registry, "ParticipantUnsupportedCurrency")
        .withArgs(notAToken);
    });

    // BUG: try/catch does not catch a failure to ABI-decode the returned data, and an address without
    // code returns empty data. setCurrencyAllowed(eoa, true) therefore reverts with empty revert data
    // instead of ParticipantUnsupportedCurrency(token) as IParticipantRegistry documents ("its decimals()
    // cannot be read"). Fix idea: require(token.code.length > 0, ParticipantUnsupportedCurrency(token))
    // before the call, or a low-level staticcall that checks returndata length and range.
    it("rejects an address without code with ParticipantUnsupportedCurrency", async () => {
      const { registry, admin, outsider } = await loadFixture(participantsFixture);
      await expect(registry.connect(admin).setCurrencyAllowed(outsider.address, true))
        .to.be.revertedWithCustomError(registry, "ParticipantUnsupportedCurrency")
        .withArgs(outsider.address);
    });

    // BUG: same cause as above: a contract whose fallback accepts decimals() and returns nothing makes
    // the uint8 decoding revert outside the catch, with empty revert data.
    it("rejects a contract whose decimals() returns no data with ParticipantUnsupportedCurrency", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const silent = await deploySilentFallback();
      const address = await silent.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(address, true))
        .to.be.revertedWithCustomError(registry, "ParticipantUnsupportedCurrency")
        .withArgs(address);
    });

    // BUG: same cause as above: decimals() answering 300 (a uint256 that does not fit in uint8) fails
    // ABI validation in the caller, outside the catch, with empty revert data.
    it("rejects a token whose decimals() does not fit in a uint8 with ParticipantUnsupportedCurrency", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const bad = await deployBadDecimalsToken(300n);
      const address = await bad.getAddress();
      await expect(registry.connect(admin).setCurrencyAllowed(address, true))
        .to.be.revertedWithCustomError(registry, "ParticipantUnsupportedCurrency")
        .withArgs(address);
    });

    it("accepts a wide decimals() answer that still fits in 18", async () => {
      const { registry, admin } = await loadFixture(participantsFixture);
      const wide = await deployBadDecimalsToken(8n);
      const address = await wide.getAddress();
      await registry.connect(admin).setCurrencyAllowed(address, true);
      expect((await registry.currency(address)).decimals).to.equal(8n);
    });

    it("rejects every caller but the default admin", async () => {
      const { registry, onboarder, regulator, outsider, usd } = await loadFixture(participantsFixture);
      const address = await usd.getAddress();
      for (const caller of [onboarder, regulator, outsider]) {
        await expect(registry.connect(caller).setCurrencyAllowed(address, false))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });
  });

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

  describe("shared fixture", () => {
    it("onboards one entity per actor with the stablecoin allowed", async () => {
      const { registry, supplier, buyer, bank, regulator, usd } = await loadFixture(onboardedFixture);
      expect(await registry.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
      expect(await registry.isActive(buyer.address, Role.BUYER)).to.equal(true);
      expect(await registry.isActive(bank.address, Role.FINANCIER)).to.equal(true);
      expect(await registry.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
      expect(await registry.isCurrencyAllowed(await usd.getAddress())).to.equal(true);
    });
  });
});
