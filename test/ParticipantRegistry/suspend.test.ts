/**
 * ParticipantRegistry: `suspend` and `reinstate`: by an onboarder or a regulator, and which of them may lift which suspension.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ENTITIES, YEAR } from "../shared/fixtures";
import { MORE_ENTITIES, REASON, Suspension, entityRecord, participantsFixture } from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.suspend", () => {
  describe("suspend", () => {
    it("lets an onboarder suspend an entity, recording who did it", async () => {
      const { participants, onboarder, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.emit(participants, "EntitySuspended")
        .withArgs(ENTITIES.supplier, onboarder.address, false, REASON);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_ONBOARDER));
    });

    it("lets an active REGULATOR participant suspend an entity, recording who did it", async () => {
      const { participants, regulator } = await loadFixture(participantsFixture);
      await expect(participants.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(participants, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("makes every wallet of the entity inactive for every role it holds", async () => {
      const { participants, byOnboarder, trader } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(MORE_ENTITIES.trader, REASON);
      for (const role of [Role.SUPPLIER, Role.BUYER, Role.SUPPLIER | Role.BUYER, 0]) {
        expect(await participants.isActive(trader.address, role)).to.equal(false);
        expect(await participants.isEntityActive(MORE_ENTITIES.trader, role)).to.equal(false);
      }
    });

    it("leaves roles, expiry and wallets untouched", async () => {
      const { participants, regulator } = await loadFixture(participantsFixture);
      const before = await entityRecord(participants, ENTITIES.buyer);
      await participants.connect(regulator).suspend(ENTITIES.buyer, REASON);
      expect(await entityRecord(participants, ENTITIES.buyer)).to.deep.equal({
        ...before,
        suspension: Suspension.BY_REGULATOR,
      });
    });

    it("treats a caller who is both onboarder and active regulator as the regulator", async () => {
      const { participants, admin, regulator } = await loadFixture(participantsFixture);
      await participants.connect(admin).grantRole(await participants.ONBOARDER_ROLE(), regulator.address);
      await expect(participants.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(participants, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("rejects an onboarder suspending an entity an onboarder already suspended, reporting the kind", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(participants, "ParticipantAlreadySuspended")
        .withArgs(ENTITIES.supplier, Suspension.BY_ONBOARDER);
    });

    it("lets a regulator upgrade an onboarder's suspension so that the onboarder can no longer lift it", async () => {
      const { participants, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(participants.connect(regulator).suspend(ENTITIES.supplier, REASON))
        .to.emit(participants, "EntitySuspended")
        .withArgs(ENTITIES.supplier, regulator.address, true, REASON);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(participants, "ParticipantSuspendedByRegulator")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an entity already suspended by a regulator, reporting the suspension kind", async () => {
      const { participants, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.suspend(ENTITIES.supplier, REASON))
        .to.be.revertedWithCustomError(participants, "ParticipantAlreadySuspended")
        .withArgs(ENTITIES.supplier, Suspension.BY_REGULATOR);
    });

    it("rejects an unknown entity", async () => {
      const { participants, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await expect(byOnboarder.suspend(MORE_ENTITIES.stranger, REASON))
        .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
      await expect(participants.connect(regulator).suspend(MORE_ENTITIES.stranger, REASON))
        .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    // Callers who may not suspend, each after the step that takes their power away (if any).
    type Fixture = Awaited<ReturnType<typeof participantsFixture>>;
    const notAllowed: [string, (f: Fixture) => Promise<HardhatEthersSigner>][] = [
      ["rejects a caller that is neither onboarder nor participant", async (f) => f.outsider],
      ["rejects the default admin, who is not an onboarder", async (f) => f.admin],
      ["rejects an active participant that does not hold the REGULATOR role", async (f) => f.bank],
      [
        "rejects a regulator whose KYC has expired",
        async (f) => {
          await f.byOnboarder.setKycExpiry(ENTITIES.supplier, f.expiry + YEAR);
          await time.increaseTo(f.expiry);
          return f.regulator;
        },
      ],
      [
        "rejects a regulator that is itself suspended",
        async (f) => {
          await f.participants.connect(f.regulator2).suspend(ENTITIES.regulator, REASON);
          return f.regulator;
        },
      ],
      [
        "rejects a wallet that was removed from a regulator entity",
        async (f) => {
          await f.participants.connect(f.admin).removeWallet(f.regulator.address);
          return f.regulator;
        },
      ],
      [
        "rejects a regulator whose REGULATOR role was taken away",
        async (f) => {
          await f.participants.connect(f.admin).setRoles(ENTITIES.regulator, Role.FINANCIER);
          return f.regulator;
        },
      ],
      [
        "rejects an onboarder whose ONBOARDER_ROLE was revoked",
        async (f) => {
          await f.participants.connect(f.admin).revokeRole(await f.participants.ONBOARDER_ROLE(), f.onboarder.address);
          return f.onboarder;
        },
      ],
    ];
    for (const [title, setUp] of notAllowed) {
      it(title, async () => {
        const f = await loadFixture(participantsFixture);
        const caller = await setUp(f);
        await expect(f.participants.connect(caller).suspend(ENTITIES.supplier, REASON))
          .to.be.revertedWithCustomError(f.participants, "ParticipantNotOnboarderOrRegulator")
          .withArgs(caller.address);
      });
    }
  });

  describe("reinstate", () => {
    it("lets an onboarder lift an onboarder's suspension and emits EntityReinstated", async () => {
      const { participants, onboarder, byOnboarder, supplier } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.emit(participants, "EntityReinstated")
        .withArgs(ENTITIES.supplier, onboarder.address);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.NONE));
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("refuses to let an onboarder lift a regulator's suspension", async () => {
      const { participants, byOnboarder, regulator, supplier } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(participants, "ParticipantSuspendedByRegulator")
        .withArgs(ENTITIES.supplier);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    });

    it("lets a regulator lift a regulator's suspension", async () => {
      const { participants, regulator, supplier } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      await expect(participants.connect(regulator).reinstate(ENTITIES.supplier))
        .to.emit(participants, "EntityReinstated")
        .withArgs(ENTITIES.supplier, regulator.address);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("lets a regulator lift an onboarder's suspension", async () => {
      const { participants, byOnboarder, regulator, supplier } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await expect(participants.connect(regulator).reinstate(ENTITIES.supplier))
        .to.emit(participants, "EntityReinstated")
        .withArgs(ENTITIES.supplier, regulator.address);
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(true);
    });

    it("lets one regulator lift another regulator's suspension", async () => {
      const { participants, regulator, regulator2 } = await loadFixture(participantsFixture);
      await participants.connect(regulator).suspend(ENTITIES.buyer, REASON);
      await expect(participants.connect(regulator2).reinstate(ENTITIES.buyer))
        .to.emit(participants, "EntityReinstated")
        .withArgs(ENTITIES.buyer, regulator2.address);
    });

    it("keeps an onboarder from lifting a regulator-imposed suspension of another regulator", async () => {
      const { participants, onboarder, byOnboarder, regulator, regulator2 } = await loadFixture(participantsFixture);
      await participants.connect(regulator2).suspend(ENTITIES.regulator, REASON);
      await expect(byOnboarder.reinstate(ENTITIES.regulator))
        .to.be.revertedWithCustomError(participants, "ParticipantRegulatorRequiresRegulator")
        .withArgs(onboarder.address, ENTITIES.regulator);
      await participants.connect(regulator2).reinstate(ENTITIES.regulator);
      expect(await participants.isActive(regulator.address, Role.REGULATOR)).to.equal(true);
    });

    it("leaves an entity with expired KYC inactive after reinstatement", async () => {
      const { participants, byOnboarder, supplier, expiry } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await time.increaseTo(expiry);
      await byOnboarder.reinstate(ENTITIES.supplier);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.NONE));
      expect(await participants.isActive(supplier.address, Role.SUPPLIER)).to.equal(false);
    });

    it("allows suspending again after reinstatement", async () => {
      const { participants, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.supplier, REASON);
      await byOnboarder.reinstate(ENTITIES.supplier);
      await participants.connect(regulator).suspend(ENTITIES.supplier, REASON);
      expect((await participants.entity(ENTITIES.supplier)).suspension).to.equal(BigInt(Suspension.BY_REGULATOR));
    });

    it("rejects an entity that is not suspended", async () => {
      const { participants, byOnboarder, regulator } = await loadFixture(participantsFixture);
      await expect(byOnboarder.reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(participants, "ParticipantNotSuspended")
        .withArgs(ENTITIES.supplier);
      await expect(participants.connect(regulator).reinstate(ENTITIES.supplier))
        .to.be.revertedWithCustomError(participants, "ParticipantNotSuspended")
        .withArgs(ENTITIES.supplier);
    });

    it("rejects an unknown entity", async () => {
      const { participants, byOnboarder } = await loadFixture(participantsFixture);
      await expect(byOnboarder.reinstate(MORE_ENTITIES.stranger))
        .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
        .withArgs(MORE_ENTITIES.stranger);
    });

    it("rejects a caller that is neither onboarder nor active regulator", async () => {
      const { participants, byOnboarder, supplier2 } = await loadFixture(participantsFixture);
      await byOnboarder.suspend(ENTITIES.buyer, REASON);
      await expect(participants.connect(supplier2).reinstate(ENTITIES.buyer))
        .to.be.revertedWithCustomError(participants, "ParticipantNotOnboarderOrRegulator")
        .withArgs(supplier2.address);
    });

    it("rejects a suspended regulator trying to reinstate itself", async () => {
      const { participants, regulator, regulator2 } = await loadFixture(participantsFixture);
      await participants.connect(regulator2).suspend(ENTITIES.regulator, REASON);
      await expect(participants.connect(regulator).reinstate(ENTITIES.regulator))
        .to.be.revertedWithCustomError(participants, "ParticipantNotOnboarderOrRegulator")
        .withArgs(regulator.address);
    });
  });
});
