import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { AccessRole } from "../../src/pure/constants";
import { DAY, ENTITIES } from "../shared/fixtures";
import {
  FACE,
  REASON,
  Status,
  invoiceInput,
  registryFixture,
  signAck,
  signSubmission,
  submit,
  SUBMITTED_KEY,
} from "../shared/receivables";

const { PAUSER_ROLE, DEFAULT_ADMIN_ROLE } = AccessRole;

describe("ReceivableRegistry.freeze", () => {
  describe("freeze", () => {
    it("lets a regulator freeze and unfreeze with events", async () => {
      const { receivables, lens, regulator, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.emit(receivables, "ReceivableFrozen")
        .withArgs(acknowledgedId, regulator.address, REASON);
      expect((await lens.receivable(acknowledgedId)).frozen).to.equal(true);
      await expect(receivables.connect(regulator).unfreeze(acknowledgedId))
        .to.emit(receivables, "ReceivableUnfrozen")
        .withArgs(acknowledgedId, regulator.address);
      expect((await lens.receivable(acknowledgedId)).frozen).to.equal(false);
    });

    it("refuses anyone who is not an active REGULATOR participant, including the hub admin", async () => {
      const { receivables, admin, onboarder, supplier, bank, outsider, acknowledgedId } =
        await loadFixture(registryFixture);
      for (const caller of [admin, onboarder, supplier, bank, outsider]) {
        await expect(receivables.connect(caller).freeze(acknowledgedId, REASON))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
          .withArgs(caller.address);
        await expect(receivables.connect(caller).unfreeze(acknowledgedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
          .withArgs(caller.address);
      }
    });

    it("refuses a suspended regulator", async () => {
      const { participants, receivables, regulator, acknowledgedId } = await loadFixture(registryFixture);
      // Only a regulator suspends a regulator entity (issue 12): here the regulator suspends itself.
      await participants.connect(regulator).suspend(ENTITIES.regulator, REASON);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotRegulator")
        .withArgs(regulator.address);
    });

    it("refuses to freeze twice, to unfreeze an unfrozen receivable and to touch an unknown id", async () => {
      const { receivables, regulator, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(regulator).unfreeze(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFrozen")
        .withArgs(acknowledgedId);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(regulator).freeze(acknowledgedId, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
      await expect(receivables.connect(regulator).freeze(999, REASON))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
    });

    it("blocks a split of a frozen receivable", async () => {
      const { receivables, regulator, supplier, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(regulator).freeze(acknowledgedId, REASON);
      await expect(receivables.connect(supplier).split(acknowledgedId, [FACE / 2n, FACE / 2n]))
        .to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen")
        .withArgs(acknowledgedId);
    });
  });

  describe("pause", () => {
    it("lets the pauser (guardian) pause at once; only the admin (the delayed path) unpauses", async () => {
      const { receivables, admin, pauser } = await loadFixture(registryFixture);
      await expect(receivables.connect(pauser).pause()).to.emit(receivables, "RegistryPaused").withArgs(pauser.address);
      expect(await receivables.paused()).to.equal(true);
      await expect(receivables.connect(pauser).unpause())
        .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
        .withArgs(pauser.address, DEFAULT_ADMIN_ROLE);
      await expect(receivables.connect(admin).unpause())
        .to.emit(receivables, "RegistryUnpaused")
        .withArgs(admin.address);
      expect(await receivables.paused()).to.equal(false);
    });

    it("refuses pause without PAUSER_ROLE and unpause without DEFAULT_ADMIN_ROLE", async () => {
      const { receivables, admin, pauser, outsider } = await loadFixture(registryFixture);
      for (const caller of [admin, outsider]) {
        await expect(receivables.connect(caller).pause())
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, PAUSER_ROLE);
      }
      await receivables.connect(pauser).pause();
      for (const caller of [pauser, outsider]) {
        await expect(receivables.connect(caller).unpause())
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("refuses to pause twice or to unpause when not paused", async () => {
      const { receivables, admin, pauser } = await loadFixture(registryFixture);
      await expect(receivables.connect(admin).unpause()).to.be.revertedWithCustomError(
        receivables,
        "ReceivableNotPaused",
      );
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(pauser).pause()).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("stops submit, submitBatch and submitAcknowledged", async () => {
      const { receivables, admin, pauser, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "P-1" });
      const deadline = BigInt((await time.latest()) + DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(supplier).submit(input)).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(receivables.connect(supplier).submitBatch([input])).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(
        receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await receivables.connect(admin).unpause();
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("stops acknowledge, acknowledgeWithSig and split", async () => {
      const { receivables, lens, pauser, supplier, buyer, outsider, submittedId, acknowledgedId } =
        await loadFixture(registryFixture);
      const r = await lens.receivable(submittedId);
      const key = SUBMITTED_KEY;
      const deadline = BigInt((await time.latest()) + DAY);
      const signature = await signAck(receivables, buyer, {
        id: submittedId,
        invoiceKey: key,
        amount: r.faceAmount,
        dueDate: r.dueDate,
        deadline,
      });
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).acknowledge(submittedId)).to.be.revertedWithCustomError(
        receivables,
        "ReceivablePaused",
      );
      await expect(
        receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
      await expect(
        receivables.connect(supplier).split(acknowledgedId, [FACE / 2n, FACE / 2n]),
      ).to.be.revertedWithCustomError(receivables, "ReceivablePaused");
    });

    it("still lets the buyer reject and the seller cancel while paused", async () => {
      const { receivables, pauser, supplier, buyer, usdAddress, submittedId } = await loadFixture(registryFixture);
      const second = await submit(receivables, supplier, await invoiceInput(usdAddress, { number: "P-2" }));
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).reject(submittedId, REASON))
        .to.emit(receivables, "ReceivableRejected")
        .withArgs(submittedId, buyer.address, REASON);
      await expect(receivables.connect(supplier).cancel(second))
        .to.emit(receivables, "ReceivableCancelled")
        .withArgs(second, supplier.address);
    });

    it("still lets the buyer pay while paused", async () => {
      const { receivables, pauser, buyer, supplier, acknowledgedId } = await loadFixture(registryFixture);
      await receivables.connect(pauser).pause();
      await expect(receivables.connect(buyer).pay(acknowledgedId, FACE))
        .to.emit(receivables, "ReceivablePaid")
        .withArgs(acknowledgedId, buyer.address, supplier.address, FACE, FACE, Status.Paid);
    });
  });
});
