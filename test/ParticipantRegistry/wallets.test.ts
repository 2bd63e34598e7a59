/**
 * ParticipantRegistry: `addWallet` and `removeWallet`, the wallet lists and each wallet's copy of its entity's status.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, DAY } from "../shared/fixtures";
import {
  INDEX,
  MORE_ENTITIES,
  REASON,
  ZERO_ID,
  expectNotOnboarder,
  nextYear,
  participantsFixture,
} from "../shared/participants";
import { Role } from "../../src/pure/ids";
import type { ParticipantRegistry } from "../../typechain-types";

describe("ParticipantRegistry.wallets", () => {
  describe("addWallet", () => {
    it("binds the wallet, counts it and emits WalletAdded", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, false))
        .to.emit(participants, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, false);
      expect(await participants.entityOf(spare.address)).to.equal(ENTITIES.bank);
      expect((await participants.entity(ENTITIES.bank)).walletCount).to.equal(2n);
      expect(await participants.isActive(spare.address, Role.FINANCIER)).to.equal(true);
    });

    it("counts every wallet bound to the entity", async () => {
      const { participants, byOnboarder, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      await byOnboarder.addWallet(ENTITIES.supplier, spare2.address, false);
      expect((await participants.entity(ENTITIES.supplier)).walletCount).to.equal(4n);
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { participants, supplier, spare } = await loadFixture(participantsFixture);
      await expectNotOnboarder(participants, supplier, () =>
        participants.connect(supplier).addWallet(ENTITIES.supplier, spare.address, false),
      );
    });

    it("rejects an unknown entity", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(MORE_ENTITIES.stranger, spare.address, false))
        .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects the zero address", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, ethers.ZeroAddress, false)).to.be.revertedWithCustomError(
        participants,
        "ParticipantZeroAddress",
      );
    });

    it("rejects a wallet already bound to another entity", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletAlreadyBound")
        .withArgs(supplier2.address, ENTITIES.supplier);
    });

    it("rejects a wallet already bound to the same entity", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.addWallet(ENTITIES.supplier, supplier2.address, false))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletAlreadyBound")
        .withArgs(supplier2.address, ENTITIES.supplier);
    });
  });

  describe("removeWallet", () => {
    it("unbinds the wallet, uncounts it and emits WalletRemoved", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await expect(byOnboarder.removeWallet(supplier2.address))
        .to.emit(participants, "WalletRemoved")
        .withArgs(ENTITIES.supplier, supplier2.address);
      expect(await participants.entityOf(supplier2.address)).to.equal(ZERO_ID);
      expect((await participants.entity(ENTITIES.supplier)).walletCount).to.equal(1n);
    });

    it("makes the removed wallet inactive while the entity's other wallet stays active", async () => {
      const { participants, byOnboarder, supplier, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      expect(await participants.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
      await expect(participants.requireActiveWallet(supplier2.address, Role.SUPPLIER))
        .to.be.revertedWithCustomError(participants, "ParticipantNotActive")
        .withArgs(supplier2.address, Role.SUPPLIER);
    });

    it("lets the removed wallet be bound to another entity", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      await expect(byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false))
        .to.emit(participants, "WalletAdded")
        .withArgs(ENTITIES.bank, supplier2.address, false);
      expect(await participants.entityOf(supplier2.address)).to.equal(ENTITIES.bank);
      expect(await participants.isActive(supplier2.address, Role.FINANCIER)).to.equal(true);
      expect(await participants.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
      expect((await participants.entity(ENTITIES.supplier)).walletCount).to.equal(1n);
      expect((await participants.entity(ENTITIES.bank)).walletCount).to.equal(2n);
    });

    it("lets the removed wallet become the first wallet of a new entity", async () => {
      const { participants, byOnboarder, buyer2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(buyer2.address);
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.SUPPLIER, await nextYear(), buyer2.address);
      expect(await participants.entityOf(buyer2.address)).to.equal(MORE_ENTITIES.newcomer);
    });

    it("may remove an entity's last wallet, leaving the entity registered with no wallet", async () => {
      const { participants, byOnboarder, bank } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(bank.address);
      expect((await participants.entity(ENTITIES.bank)).walletCount).to.equal(0n);
      expect(await participants.isActive(bank.address, Role.FINANCIER)).to.equal(false);
      expect(await participants.isEntityActive(ENTITIES.bank, Role.FINANCIER)).to.equal(true);
    });

    it("rejects a caller without ONBOARDER_ROLE", async () => {
      const { participants, supplier, supplier2 } = await loadFixture(participantsFixture);
      await expectNotOnboarder(participants, supplier, () =>
        participants.connect(supplier).removeWallet(supplier2.address),
      );
    });

    it("rejects a wallet that is not bound to any entity", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await expect(byOnboarder.removeWallet(spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletNotBound")
        .withArgs(spare.address);
    });

    it("rejects removing the same wallet twice", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      await expect(byOnboarder.removeWallet(supplier2.address))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletNotBound")
        .withArgs(supplier2.address);
    });
  });

  describe("wallet lists and each wallet's copy of its entity's status", () => {
    /** walletStatus of every listed wallet, next to what the entity record says. */
    async function statuses(participants: ParticipantRegistry, id: string) {
      const e = await participants.entity(id);
      const active = e.suspension === 0n && e.kycExpiry > BigInt(await time.latest());
      const wallets = await participants.walletsOf(id);
      const seen = await Promise.all(wallets.map((w) => participants.walletStatus(w)));
      return { wallets, seen: seen.map((x) => [x.index, x.roles, x.active]), expected: [e.index, e.roles, active] };
    }

    it("lists an entity's wallets in binding order, and nothing for an unknown entity", async () => {
      const { participants, byOnboarder, supplier, supplier2, spare } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      expect(await participants.walletsOf(ENTITIES.supplier)).to.deep.equal([
        supplier.address,
        supplier2.address,
        spare.address,
      ]);
      expect(await participants.walletsOf(MORE_ENTITIES.stranger)).to.deep.equal([]);
    });

    it("moves the last wallet into a removed wallet's place and keeps every copy in step", async () => {
      const { participants, byOnboarder, supplier, supplier2, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.supplier, spare.address, false);
      await byOnboarder.addWallet(ENTITIES.supplier, spare2.address, false);
      await byOnboarder.removeWallet(supplier.address);
      expect(await participants.walletsOf(ENTITIES.supplier)).to.deep.equal([
        spare2.address,
        supplier2.address,
        spare.address,
      ]);
      await byOnboarder.removeWallet(spare.address);
      expect(await participants.walletsOf(ENTITIES.supplier)).to.deep.equal([spare2.address, supplier2.address]);

      // Each change of the entity reaches both remaining wallets, including the one that moved.
      const check = async () => {
        const { seen, expected } = await statuses(participants, ENTITIES.supplier);
        expect(seen).to.deep.equal([expected, expected]);
      };
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await check();
      expect((await participants.walletStatus(spare2.address)).active).to.equal(false);
      await byOnboarder.reinstate(ENTITIES.supplier);
      await check();
      await byOnboarder.setRoles(ENTITIES.supplier, Role.SUPPLIER | Role.BUYER);
      await check();
      expect(await participants.isActive(spare2.address, Role.BUYER)).to.equal(true);
      const soon = (await time.latest()) + DAY;
      await byOnboarder.setKycExpiry(ENTITIES.supplier, soon);
      await time.increaseTo(soon);
      await check();
      expect(await participants.isActive(supplier2.address, Role.SUPPLIER)).to.equal(false);
    });

    it("clears a removed wallet's copy, so the old entity's later changes never reach it", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      const cleared = await participants.walletStatus(supplier2.address);
      expect([cleared.index, cleared.roles, cleared.active]).to.deep.equal([0n, 0n, false]);
      await byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      const now = await participants.walletStatus(supplier2.address);
      expect([now.index, now.roles, now.active]).to.deep.equal([BigInt(INDEX.bank), BigInt(Role.FINANCIER), true]);
    });

    it("binds a wallet pull-only in one transaction, announces the mark and keeps it through entity changes", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      const pullOnly = async (w: string) => (await participants.recipientStatus(w)).pullOnly;
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, true))
        .to.emit(participants, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, true);
      expect(await pullOnly(spare.address)).to.equal(true);
      expect(await participants.isActive(spare.address, Role.FINANCIER)).to.equal(true);
      await byOnboarder.suspend(ENTITIES.bank, REASON);
      await byOnboarder.reinstate(ENTITIES.bank);
      await byOnboarder.setRoles(ENTITIES.bank, Role.FINANCIER | Role.SUPPLIER);
      await byOnboarder.setKycExpiry(ENTITIES.bank, await nextYear());
      expect(await pullOnly(spare.address)).to.equal(true);
    });

    it("binds an ordinary wallet, and a first wallet, without the mark", async () => {
      const { participants, byOnboarder, spare, spare2 } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.bank, spare.address, false);
      await byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.FINANCIER, await nextYear(), spare2.address);
      expect((await participants.recipientStatus(spare.address)).pullOnly).to.equal(false);
      expect((await participants.recipientStatus(spare2.address)).pullOnly).to.equal(false);
    });

    it("keeps the pull-only mark of a removed wallet and refuses to bind it again without the mark", async () => {
      const { participants, byOnboarder, spare } = await loadFixture(participantsFixture);
      await byOnboarder.addWallet(ENTITIES.bank, spare.address, true);
      await byOnboarder.removeWallet(spare.address);
      const removed = await participants.recipientStatus(spare.address);
      expect([removed.index, removed.roles, removed.active, removed.pullOnly]).to.deep.equal([0n, 0n, false, true]);
      expect(await participants.entityOf(spare.address)).to.equal(ZERO_ID);
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, false))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      await expect(byOnboarder.addWallet(ENTITIES.supplier, spare.address, false))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      await expect(byOnboarder.registerEntity(MORE_ENTITIES.newcomer, Role.FINANCIER, await nextYear(), spare.address))
        .to.be.revertedWithCustomError(participants, "ParticipantWalletMarkedPullOnly")
        .withArgs(spare.address);
      // Bound again as what it is: pull-only, with its new entity's status.
      await expect(byOnboarder.addWallet(ENTITIES.bank, spare.address, true))
        .to.emit(participants, "WalletAdded")
        .withArgs(ENTITIES.bank, spare.address, true);
      const again = await participants.recipientStatus(spare.address);
      expect([again.index, again.roles, again.active, again.pullOnly]).to.deep.equal([
        BigInt(INDEX.bank),
        BigInt(Role.FINANCIER),
        true,
        true,
      ]);
    });

    it("clears a removed ordinary wallet's record entirely, so it binds again freely", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.removeWallet(supplier2.address);
      const removed = await participants.recipientStatus(supplier2.address);
      expect([removed.index, removed.roles, removed.active, removed.pullOnly]).to.deep.equal([0n, 0n, false, false]);
      await byOnboarder.addWallet(ENTITIES.bank, supplier2.address, false);
      expect((await participants.recipientStatus(supplier2.address)).pullOnly).to.equal(false);
    });

    it("caps an entity at MAX_WALLETS_PER_ENTITY wallets, and frees a place when one is removed", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      const max = Number(await participants.MAX_WALLETS_PER_ENTITY());
      expect(max).to.equal(16);
      const extra = Array.from({ length: max }, (_, k) => ethers.getAddress(ethers.toBeHex(0xa11ce000 + k, 20)));
      const have = Number((await participants.entity(ENTITIES.supplier)).walletCount);
      for (const w of extra.slice(0, max - have)) await byOnboarder.addWallet(ENTITIES.supplier, w, false);
      const over = extra[max - have];
      await expect(byOnboarder.addWallet(ENTITIES.supplier, over, false))
        .to.be.revertedWithCustomError(participants, "ParticipantTooManyWallets")
        .withArgs(ENTITIES.supplier, max);
      expect(await participants.entityOf(over)).to.equal(ZERO_ID);
      await byOnboarder.removeWallet(extra[0]);
      await byOnboarder.addWallet(ENTITIES.supplier, over, false);
      const { wallets, seen, expected } = await statuses(participants, ENTITIES.supplier);
      expect(wallets).to.have.length(max).and.to.include(over);
      expect(seen).to.deep.equal(wallets.map(() => expected));
    });
  });
});
