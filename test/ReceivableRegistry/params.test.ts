import { expect } from "chai";
import { ethers } from "hardhat";
import { ZeroAddress } from "ethers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { AccessRole } from "../../src/pure/constants";
import { DAY, GRACE_PERIOD, YEAR, onboardedFixture } from "../shared/fixtures";
import {
  FACE,
  MAX_6_DECIMALS,
  MAX_UINT96,
  Status,
  invoiceInput,
  poolWorldFixture,
  registryFixture,
  submit,
  worldInvoice,
} from "../shared/receivables";

const { DEFAULT_ADMIN_ROLE } = AccessRole;
const MAX_GRACE = 365n * BigInt(DAY);

describe("ReceivableRegistry.params", () => {
  describe("setDefaultGracePeriod", () => {
    it("lets the admin change the grace period up to the cap, with an event naming the first id it applies to", async () => {
      const { receivables, lens, admin } = await loadFixture(registryFixture);
      expect(await lens.defaultGracePeriod()).to.equal(BigInt(GRACE_PERIOD));
      // The fixture minted ids 1 and 2: the change applies from id 3 on, never to those already submitted.
      const next = (await lens.totalMinted()) + 1n;
      await expect(receivables.connect(admin).setDefaultGracePeriod(MAX_GRACE))
        .to.emit(receivables, "DefaultGracePeriodSet")
        .withArgs(GRACE_PERIOD, MAX_GRACE, next);
      expect(await lens.defaultGracePeriod()).to.equal(MAX_GRACE);
      await expect(receivables.connect(admin).setDefaultGracePeriod(0))
        .to.emit(receivables, "DefaultGracePeriodSet")
        .withArgs(MAX_GRACE, 0, next);
    });

    it("refuses a grace period over the cap", async () => {
      const { receivables, admin } = await loadFixture(registryFixture);
      expect(await receivables.MAX_GRACE_PERIOD()).to.equal(MAX_GRACE);
      await expect(receivables.connect(admin).setDefaultGracePeriod(MAX_GRACE + 1n))
        .to.be.revertedWithCustomError(receivables, "ReceivableGracePeriodTooLong")
        .withArgs(MAX_GRACE + 1n, MAX_GRACE);
    });

    it("refuses a caller without DEFAULT_ADMIN_ROLE", async () => {
      const { receivables, pauser, outsider } = await loadFixture(registryFixture);
      for (const caller of [pauser, outsider]) {
        await expect(receivables.connect(caller).setDefaultGracePeriod(DAY))
          .to.be.revertedWithCustomError(receivables, "ReceivableUnauthorized")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("refuses a deployment with a grace period over the cap and reports the initial one", async () => {
      const { participants, receivables } = await loadFixture(registryFixture);
      const logic = await ethers.deployContract("ReceivableLogic");
      const factory = await ethers.getContractFactory("ReceivableRegistry", {
        libraries: { ReceivableLogic: await logic.getAddress() },
      });
      await expect(factory.deploy(await participants.getAddress(), MAX_GRACE + 1n, ZeroAddress))
        .to.be.revertedWithCustomError(receivables, "ReceivableGracePeriodTooLong")
        .withArgs(MAX_GRACE + 1n, MAX_GRACE);
      const fresh = await factory.deploy(await participants.getAddress(), YEAR, ZeroAddress);
      await expect(fresh.deploymentTransaction()).to.emit(fresh, "DefaultGracePeriodSet").withArgs(0, YEAR, 1);
    });
  });

  describe("views", () => {
    it("report ReceivableNotFound for id 0 and for an id never minted", async () => {
      const { receivables, lens } = await loadFixture(registryFixture);
      const next = (await lens.totalMinted()) + 1n;
      for (const id of [0n, next]) {
        await expect(lens.receivable(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(receivables.outstandingOf(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
          .withArgs(id);
        await expect(lens.isOverdue(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(lens.parentOf(id)).to.be.revertedWithCustomError(receivables, "ReceivableNotFound").withArgs(id);
        await expect(receivables.rootOf(id))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
          .withArgs(id);
      }
    });

    it("name the token collection and point at the participant registry", async () => {
      const { participants, receivables } = await loadFixture(registryFixture);
      expect(await receivables.name()).to.equal("TradeFin Receivable");
      expect(await receivables.symbol()).to.equal("TFR");
      expect(await receivables.participants()).to.equal(await participants.getAddress());
    });
  });

  describe("lifecycle", () => {
    it("runs submit, acknowledge, assignment to a bank and payment to the new holder", async () => {
      const { receivables, lens, supplier, buyer, bank, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "LIFE-1" });
      const id = await submit(receivables, supplier, input);
      expect((await lens.receivable(id)).status).to.equal(Status.Submitted);
      await receivables.connect(buyer).acknowledge(id);
      expect((await lens.receivable(id)).status).to.equal(Status.Acknowledged);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await receivables.connect(buyer).pay(id, FACE);
      expect((await lens.receivable(id)).status).to.equal(Status.Paid);
      expect(await receivables.claimable(bank.address, usdAddress)).to.equal(FACE);
      expect(await receivables.claimable(supplier.address, usdAddress)).to.equal(0n);
    });

    it("refuses at submission an amount that fits uint96 but not the 18-decimal buyer record", async () => {
      const { receivables, lens, supplier, usdAddress } = await loadFixture(registryFixture);
      const max6 = MAX_6_DECIMALS;
      await expect(
        receivables.connect(supplier).submit(await invoiceInput(usdAddress, { number: "HUGE-1", amount: MAX_UINT96 })),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableAmountTooLarge")
        .withArgs(MAX_UINT96, max6);
      const id = await submit(
        receivables,
        supplier,
        await invoiceInput(usdAddress, { number: "HUGE-2", amount: max6 }),
      );
      expect((await lens.receivable(id)).faceAmount).to.equal(max6);
    });
  });

  describe("Issue 12 item 8: small gaps", function () {
    it("a grace-period change never reaches receivables already submitted, in either direction", async function () {
      const f = await loadFixture(poolWorldFixture);
      const old = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      // Shortened: the holder may not default the old receivable earlier than its terms allowed.
      await expect(f.receivables.connect(f.admin).setDefaultGracePeriod(DAY))
        .to.emit(f.receivables, "DefaultGracePeriodSet")
        .withArgs(GRACE_PERIOD, DAY, old + 1n);
      const fresh = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      await time.increase(10 * DAY + 2 * DAY);
      await expect(f.receivables.connect(f.supplier).markDefaulted(old)).to.be.revertedWithCustomError(
        f.receivables,
        "ReceivableNotYetDefaultable",
      );
      await (await f.receivables.connect(f.supplier).markDefaulted(fresh)).wait();
      // Lengthened: the old receivable keeps its 30 days, it is not pushed back.
      await (await f.receivables.connect(f.admin).setDefaultGracePeriod(90 * DAY)).wait();
      await time.increase(GRACE_PERIOD);
      await (await f.receivables.connect(f.supplier).markDefaulted(old)).wait();
      expect(await f.lens.gracePeriodOf(old)).to.equal(BigInt(GRACE_PERIOD));
      expect(await f.lens.gracePeriodOf(fresh)).to.equal(BigInt(DAY));
    });

    it("a split child minted after a grace-period change keeps its original invoice's grace period", async function () {
      const f = await loadFixture(poolWorldFixture);
      const root = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      await (await f.receivables.connect(f.admin).setDefaultGracePeriod(DAY)).wait(); // from id root + 1 on
      const outstanding = await f.receivables.outstandingOf(root);
      await (await f.receivables.connect(f.supplier).split(root, [outstanding - 1n, 1n])).wait();
      const child = await f.lens.totalMinted(); // the second child, minted after the change
      expect(await f.receivables.rootOf(child)).to.equal(root);
      await time.increase(10 * DAY + 2 * DAY);
      // Judged by its root's id (before the change), not its own: still within the root's 30 days.
      await expect(f.receivables.connect(f.supplier).markDefaulted(child)).to.be.revertedWithCustomError(
        f.receivables,
        "ReceivableNotYetDefaultable",
      );
      await time.increase(GRACE_PERIOD);
      await expect(f.receivables.connect(f.supplier).markDefaulted(child)).to.emit(
        f.receivables,
        "ReceivableDefaulted",
      );
      expect(await f.lens.gracePeriodOf(child)).to.equal(BigInt(GRACE_PERIOD));
    });

    it("a grace-period change before the first invoice applies to it", async function () {
      const f = await loadFixture(onboardedFixture);
      expect(await f.lens.totalMinted()).to.equal(0n);
      await expect(f.receivables.connect(f.admin).setDefaultGracePeriod(DAY))
        .to.emit(f.receivables, "DefaultGracePeriodSet")
        .withArgs(GRACE_PERIOD, DAY, 1n);
      const input = await invoiceInput(await f.usd.getAddress(), { dueDate: (await time.latest()) + 10 * DAY });
      const id = await submit(f.receivables, f.supplier, input);
      await (await f.receivables.connect(f.buyer).acknowledge(id)).wait();
      await time.increase(10 * DAY + 2 * DAY);
      await expect(f.receivables.connect(f.supplier).markDefaulted(id)).to.emit(f.receivables, "ReceivableDefaulted");
      expect(await f.lens.gracePeriodOf(id)).to.equal(BigInt(DAY));
    });
  });
});
