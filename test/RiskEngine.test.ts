import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { engineFixture, defaultInputs, defaultPolicy, NOW, WORKED_EXAMPLE_ASSESSMENT } from "./shared/risk";
import { ENTITIES, DAY, YEAR, onboardedFixture } from "./shared/fixtures";
import { invoiceInput, poolWorldFixture, worldInvoice } from "./shared/receivables";
import { POLICY_1 } from "./shared/pool";
import { policyTuple } from "../src/pure/policy";
import { entityId, Role } from "../src/pure/ids";
import { assess, assessmentFromChain, explain, REASON, Status, type RiskInputs } from "../src/pure/risk";
import type { IReceivableRegistry } from "../typechain-types";

const USD = 10n ** 6n;
const ZERO_HASH = "0x" + "00".repeat(32);

type Receivable = IReceivableRegistry.ReceivableStruct;

/** A receivable record for the mock source: 100 000 USD owed by the fixture buyer, due in `days` days. */
function receivableRecord(
  sellerIndex: bigint,
  buyerIndex: bigint,
  dueDate: bigint,
  overrides: Partial<Receivable> = {},
): Receivable {
  return {
    currency: ethers.ZeroAddress,
    sellerIndex,
    buyerIndex,
    status: Status.Acknowledged,
    frozen: false,
    depth: 0,
    decimals: 6,
    faceAmount: 100_000n * USD,
    paidAmount: 0n,
    issueDate: NOW,
    dueDate,
    docHash: ZERO_HASH,
    ...overrides,
  };
}

/** The model inputs the engine should gather for a mock receivable with empty records at time `now`. */
function expectedInputs(r: Receivable, now: bigint, rating: { pdBps: bigint; validUntil: bigint }): RiskInputs {
  // defaultInputs' history, seller record and exposure are all zero, as the mock's empty records are.
  return defaultInputs({
    status: Number(r.status),
    frozen: Boolean(r.frozen),
    nowTimestamp: now,
    dueDate: BigInt(r.dueDate),
    outstanding: BigInt(r.faceAmount) - BigInt(r.paidAmount),
    ratingPdBps: rating.pdBps,
    ratingValidUntil: rating.validUntil,
  });
}

describe("RiskEngine", () => {
  describe("setRating", () => {
    it("stores a rating agent's PD for a buyer and emits RatingSet", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const validUntil = (await time.latest()) + YEAR;
      await expect(engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, validUntil))
        .to.emit(engine, "RatingSet")
        .withArgs(ENTITIES.buyer, ratingAgent.address, 150, validUntil);
      const r = await engine.rating(ENTITIES.buyer);
      expect(r.pdBps).to.equal(150n);
      expect(r.validUntil).to.equal(BigInt(validUntil));
    });

    it("replaces an earlier rating of the same buyer", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const validUntil = (await time.latest()) + YEAR;
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, validUntil);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 900, validUntil + 10);
      const r = await engine.rating(ENTITIES.buyer);
      expect(r.pdBps).to.equal(900n);
      expect(r.validUntil).to.equal(BigInt(validUntil + 10));
    });

    it("rejects a caller without RATING_AGENT_ROLE in the participant registry", async () => {
      const { engine, outsider, onboarder, admin } = await loadFixture(engineFixture);
      const validUntil = (await time.latest()) + YEAR;
      for (const caller of [outsider, onboarder, admin]) {
        await expect(engine.connect(caller).setRating(ENTITIES.buyer, 150, validUntil))
          .to.be.revertedWithCustomError(engine, "RiskNotRatingAgent")
          .withArgs(caller.address);
      }
    });

    it("follows the participant registry when the role is granted and revoked", async () => {
      const { engine, participants, admin, outsider } = await loadFixture(engineFixture);
      const validUntil = (await time.latest()) + YEAR;
      const role = await participants.RATING_AGENT_ROLE();
      await participants.connect(admin).grantRole(role, outsider.address);
      await engine.connect(outsider).setRating(ENTITIES.buyer, 10, validUntil);
      await participants.connect(admin).revokeRole(role, outsider.address);
      await expect(engine.connect(outsider).setRating(ENTITIES.buyer, 10, validUntil)).to.be.revertedWithCustomError(
        engine,
        "RiskNotRatingAgent",
      );
    });

    it("rejects a PD above 10 000 bps or below the 3 bps floor (a PD of 0 never means no risk)", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const validUntil = (await time.latest()) + YEAR;
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 10_000, validUntil);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 3, validUntil);
      for (const pd of [10_001, 2, 0]) {
        await expect(engine.connect(ratingAgent).setRating(ENTITIES.buyer, pd, validUntil))
          .to.be.revertedWithCustomError(engine, "RiskPdOutOfRange")
          .withArgs(pd, 3, 10_000);
      }
    });

    it("rejects a validity longer than 366 days from now", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const now = (await time.latest()) + 1;
      const latest = now + 366 * DAY;
      await time.setNextBlockTimestamp(now);
      await expect(engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, latest + 1))
        .to.be.revertedWithCustomError(engine, "RiskRatingValidityTooLong")
        .withArgs(latest + 1, latest);
      await time.setNextBlockTimestamp(now + 1);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, latest + 1);
    });

    it("rejects an expiry that is not in the future", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const now = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(now);
      await expect(engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, now))
        .to.be.revertedWithCustomError(engine, "RiskRatingExpiryInPast")
        .withArgs(now, now);
    });

    it("rejects an entity the participant registry does not know", async () => {
      const { engine, ratingAgent } = await loadFixture(engineFixture);
      const unknown = entityId("LEI:NOBODY00000000000000001");
      await expect(engine.connect(ratingAgent).setRating(unknown, 150, (await time.latest()) + YEAR))
        .to.be.revertedWithCustomError(engine, "RiskUnknownEntity")
        .withArgs(unknown);
    });

    it("reports a zero rating for an unrated or unknown entity", async () => {
      const { engine } = await loadFixture(engineFixture);
      for (const id of [ENTITIES.buyer, entityId("LEI:NOBODY00000000000000001")]) {
        const r = await engine.rating(id);
        expect([r.pdBps, r.validUntil]).to.deep.equal([0n, 0n]);
      }
    });
  });

  describe("assess", () => {
    it("assesses a receivable from the registry's records exactly as the reference model does", async () => {
      const { engine, source, ratingAgent, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      const validUntil = now + BigInt(YEAR);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, validUntil);
      const r = receivableRecord(sellerIndex, buyerIndex, now + 60n * BigInt(DAY), {
        status: Status.PartiallyPaid,
        paidAmount: 40_000n * USD,
      });
      await source.setReceivable(7n, r);
      const E18 = 10n ** 18n;
      await source.setBuyerRecord(buyerIndex, {
        acknowledgedCount: 30,
        acknowledgedAmount: 3_000_000n * E18,
        paidLateCount: 3,
        totalDaysLate: 40,
        defaultCount: 1,
        paidOnTimeAmount: 2_500_000n * E18,
        paidLateAmount: 300_000n * E18,
        paidOnTimeCount: 25,
        lateAmountDays: 4_000_000n * E18,
        defaultedAmount: 100_000n * E18,
        recoveredAmount: 0n,
      });
      await source.setSellerRecord(sellerIndex, {
        submittedCount: 40,
        rejectedCount: 3,
        cancelledCount: 2,
        rejectedAmount: 300_000n * E18,
        acknowledgedAmount: 3_500_000n * E18,
        cancelledAmount: 200_000n * E18,
      });
      const policy = defaultPolicy({ maxBuyerDefaults: 1n });
      const a = assessmentFromChain(await engine.assess(7n, policy, 123n * USD));
      const expected = assess(
        {
          ...expectedInputs(r, now, { pdBps: 150n, validUntil }),
          paidOnTimeCount: 25n,
          paidLateCount: 3n,
          defaultCount: 1n,
          paidOnTimeAmount: 2_500_000n * E18,
          paidLateAmount: 300_000n * E18,
          lateAmountDays: 4_000_000n * E18,
          acknowledgedAmount: 3_000_000n * E18,
          defaultedAmount: 100_000n * E18,
          sellerAcknowledgedAmount: 3_500_000n * E18,
          sellerRejectedAmount: 300_000n * E18,
          sellerCancelledAmount: 200_000n * E18,
          buyerExposure: 123n * USD,
        },
        policy,
      );
      expect(a).to.deep.equal(expected);
      expect(a.maxAdvance).to.equal((60_000n * USD * policy.advanceRateBps[a.grade]) / 10_000n);
      expect(a.reasonCodes & (REASON.LATE_HISTORY | REASON.DEFAULT_HISTORY | REASON.HIGH_DILUTION)).to.equal(
        REASON.LATE_HISTORY | REASON.DEFAULT_HISTORY | REASON.HIGH_DILUTION,
      );
    });

    it("falls back to the unrated PD and flags RATING_STALE once the rating expires", async () => {
      const { engine, source, ratingAgent, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      const validUntil = now + 30n * BigInt(DAY);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 50, validUntil);
      await source.setReceivable(1n, receivableRecord(sellerIndex, buyerIndex, now + 120n * BigInt(DAY)));
      const policy = defaultPolicy({ unratedPdBps: 700n });

      const fresh = assessmentFromChain(await engine.assess(1n, policy, 0n));
      expect(fresh.pdBps).to.equal(50n);
      expect(fresh.grade).to.equal(0);
      expect(fresh.reasonCodes & (REASON.RATING_STALE | REASON.UNRATED)).to.equal(0n);

      await time.increaseTo(validUntil);
      const stale = assessmentFromChain(await engine.assess(1n, policy, 0n));
      expect(stale.pdBps).to.equal(700n);
      expect(stale.grade).to.equal(2);
      expect(stale.reasonCodes & (REASON.RATING_STALE | REASON.UNRATED)).to.equal(REASON.RATING_STALE);
      expect(explain(stale)).to.include("The buyer's rating has expired, so the policy's unrated PD is used.");
    });

    it("uses the unrated PD and flags UNRATED for a buyer never rated", async () => {
      const { engine, source, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      await source.setReceivable(1n, receivableRecord(sellerIndex, buyerIndex, now + 10n * BigInt(DAY)));
      const a = assessmentFromChain(await engine.assess(1n, defaultPolicy(), 0n));
      expect(a.pdBps).to.equal(500n);
      expect(a.reasonCodes & REASON.UNRATED).to.equal(REASON.UNRATED);
    });

    it("reverts with the registry's error for a receivable that does not exist", async () => {
      const { engine, source } = await loadFixture(engineFixture);
      await expect(engine.assess(99n, defaultPolicy(), 0n))
        .to.be.revertedWithCustomError(source, "ReceivableNotFound")
        .withArgs(99n);
    });

    it("reverts RiskInvalidPolicy for an invalid policy", async () => {
      const { engine, source, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      await source.setReceivable(1n, receivableRecord(sellerIndex, buyerIndex, now + 10n * BigInt(DAY)));
      await expect(engine.assess(1n, defaultPolicy({ lgdBps: 10_001n }), 0n))
        .to.be.revertedWithCustomError(engine, "RiskInvalidPolicy")
        .withArgs("lgdBps");
      await expect(engine.validatePolicy(defaultPolicy({ maxTenorDays: 0n })))
        .to.be.revertedWithCustomError(engine, "RiskInvalidPolicy")
        .withArgs("maxTenorDays");
      await engine.validatePolicy(defaultPolicy());
    });
  });

  describe("assessForPool", () => {
    it("reads the pool's policy and its exposure to the receivable's buyer", async () => {
      const { engine, source, pool, ratingAgent, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, now + BigInt(YEAR));
      await source.setReceivable(1n, receivableRecord(sellerIndex, buyerIndex, now + 30n * BigInt(DAY)));
      const policy = defaultPolicy({ buyerExposureLimit: 500_000n * USD });
      await pool.setPolicy(policy);

      await pool.setBuyerExposure(buyerIndex, 415_000n * USD); // + 85 000 advance = the limit
      const fits = assessmentFromChain(await engine.assessForPool(1n, await pool.getAddress()));
      expect(fits).to.deep.equal(assessmentFromChain(await engine.assess(1n, policy, 415_000n * USD)));
      expect(fits.eligible).to.equal(true);

      await pool.setBuyerExposure(buyerIndex, 415_000n * USD + 1n);
      const over = assessmentFromChain(await engine.assessForPool(1n, await pool.getAddress()));
      expect(over.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(REASON.CONCENTRATION_LIMIT);
      expect(over.maxAdvance).to.equal(0n);
    });

    it("reverts RiskInvalidPolicy when the pool's stored policy is invalid", async () => {
      const { engine, source, pool, buyerIndex, sellerIndex } = await loadFixture(engineFixture);
      const now = BigInt(await time.latest());
      await source.setReceivable(1n, receivableRecord(sellerIndex, buyerIndex, now + 30n * BigInt(DAY)));
      await pool.setPolicy(defaultPolicy({ lgdBps: 10_001n }));
      await expect(engine.assessForPool(1n, await pool.getAddress()))
        .to.be.revertedWithCustomError(engine, "RiskInvalidPolicy")
        .withArgs("lgdBps");
    });
  });

  // ------------------------------------------------------------------------------------------------------------
  // Integration with the real ReceivableRegistry: the core onboardedFixture deploys through Ignition.
  // ------------------------------------------------------------------------------------------------------------
  describe("with the real ReceivableRegistry", function () {
    async function registryFixture() {
      const f = await onboardedFixture();
      const { receivables, lens, riskEngine: engine } = f;
      const signers = await ethers.getSigners();
      const buyerB = signers[11];
      const buyerBId = entityId("LEI:BUYER000000000000000002");
      await f.participants.connect(f.onboarder).registerEntity(buyerBId, Role.BUYER, f.expiry, buyerB.address);
      const usd = f.usd;
      for (const payer of [f.buyer, buyerB]) {
        await usd.mint(payer.address, 100_000_000n * USD);
        await usd.connect(payer).approve(await receivables.getAddress(), ethers.MaxUint256);
      }
      let invoiceNo = 0;
      /** Submits one invoice of `amount` USD due in `days` days to `buyerEntity`; returns its id. */
      async function submit(buyerEntity: string, amount: bigint, days: number): Promise<bigint> {
        const now = await time.latest();
        invoiceNo += 1;
        const input = await invoiceInput(await usd.getAddress(), {
          number: `INV-${invoiceNo}`,
          buyerEntityId: buyerEntity,
          amount: amount * USD,
          issueDate: now,
          dueDate: now + days * DAY,
          docHash: ZERO_HASH,
        });
        const tx = receivables.connect(f.supplier).submit(input);
        await tx;
        return await lens.totalMinted();
      }
      return { ...f, receivables, lens, engine, buyerB, buyerBId, submit };
    }

    it("reverts with the registry's ReceivableNotFound for id 0 and for an id never minted", async () => {
      const { receivables, lens, engine } = await loadFixture(registryFixture);
      const next = (await lens.totalMinted()) + 1n;
      for (const id of [0n, next]) {
        await expect(engine.assess(id, defaultPolicy(), 0n))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
          .withArgs(id);
      }
    });

    it("blocks a submitted receivable and accepts it once the buyer acknowledges", async () => {
      const { receivables, engine, buyer, submit } = await loadFixture(registryFixture);
      const id = await submit(ENTITIES.buyer, 100_000n, 60);
      const submitted = assessmentFromChain(await engine.assess(id, defaultPolicy(), 0n));
      expect(submitted.reasonCodes & REASON.NOT_ACKNOWLEDGED).to.equal(REASON.NOT_ACKNOWLEDGED);
      expect(submitted.eligible).to.equal(false);
      await receivables.connect(buyer).acknowledge(id);
      const acknowledged = assessmentFromChain(await engine.assess(id, defaultPolicy(), 0n));
      expect(acknowledged.eligible).to.equal(true);
      expect(acknowledged.maxAdvance).to.be.gt(0n);
    });

    it("blocks a frozen receivable until the regulator lifts the freeze", async () => {
      const { receivables, engine, buyer, regulator, submit } = await loadFixture(registryFixture);
      const id = await submit(ENTITIES.buyer, 100_000n, 60);
      await receivables.connect(buyer).acknowledge(id);
      await receivables.connect(regulator).freeze(id, ethers.encodeBytes32String("investigation"));
      const frozen = assessmentFromChain(await engine.assess(id, defaultPolicy(), 0n));
      expect(frozen.reasonCodes & REASON.FROZEN).to.equal(REASON.FROZEN);
      expect(frozen.eligible).to.equal(false);
      await receivables.connect(regulator).unfreeze(id);
      expect((await engine.assess(id, defaultPolicy(), 0n)).eligible).to.equal(true);
    });

    it("blocks an acknowledged receivable once its due date has passed", async () => {
      const { receivables, lens, engine, buyer, submit } = await loadFixture(registryFixture);
      const id = await submit(ENTITIES.buyer, 100_000n, 60);
      await receivables.connect(buyer).acknowledge(id);
      const due = (await lens.receivable(id)).dueDate;
      await time.increaseTo(due + 1n);
      const overdue = assessmentFromChain(await engine.assess(id, defaultPolicy(), 0n));
      expect(overdue.reasonCodes & REASON.OVERDUE).to.equal(REASON.OVERDUE);
      expect(overdue.tenorDays).to.equal(0n);
      expect(overdue.eligible).to.equal(false);
    });

    it("blocks a receivable once it is paid in full", async () => {
      const { receivables, engine, buyer, submit } = await loadFixture(registryFixture);
      const id = await submit(ENTITIES.buyer, 1_000n, 60);
      await receivables.connect(buyer).acknowledge(id);
      await receivables.connect(buyer).pay(id, 1_000n * USD);
      const paid = assessmentFromChain(await engine.assess(id, defaultPolicy(), 0n));
      expect(paid.reasonCodes & REASON.CLOSED).to.equal(REASON.CLOSED);
    });

    it("reproduces the worked example of docs/RISK_MODEL.md on a real registry history", async () => {
      const { receivables, lens, engine, buyer, supplier, ratingAgent, submit } = await loadFixture(registryFixture);
      // 20 settled invoices of 10 000 USD: 18 on time, 2 late by 7 and 8 days (15 days in total).
      for (let n = 0; n < 20; n++) {
        const id = await submit(ENTITIES.buyer, 10_000n, 30);
        await receivables.connect(buyer).acknowledge(id);
        const lateDays = n === 18 ? 7 : n === 19 ? 8 : 0;
        if (lateDays > 0)
          await time.setNextBlockTimestamp((await lens.receivable(id)).dueDate + BigInt(lateDays * DAY));
        await receivables.connect(buyer).pay(id, 10_000n * USD);
      }
      // One rejected and one cancelled invoice of the seller (14 000 USD each), and two more open ones (11 000
      // USD each): with the 100 000 below, buyers acknowledged 322 000 and 28 000 was diluted, 8 % by amount.
      await receivables
        .connect(buyer)
        .reject(await submit(ENTITIES.buyer, 14_000n, 30), ethers.encodeBytes32String("dispute"));
      await receivables.connect(supplier).cancel(await submit(ENTITIES.buyer, 14_000n, 30));
      for (let n = 0; n < 2; n++)
        await receivables.connect(buyer).acknowledge(await submit(ENTITIES.buyer, 11_000n, 30));
      // The receivable assessed: 100 000 USD due in exactly 90 days, the buyer rated 1.50 %.
      const id = await submit(ENTITIES.buyer, 100_000n, 90);
      await receivables.connect(buyer).acknowledge(id);
      await engine.connect(ratingAgent).setRating(ENTITIES.buyer, 150, (await time.latest()) + YEAR);
      const record = await lens.buyerRecord(ENTITIES.buyer);
      const E18 = 10n ** 18n;
      expect([record.paidOnTimeCount, record.paidLateCount, record.totalDaysLate]).to.deep.equal([18n, 2n, 15n]);
      // By amount: 180 000 on time, 20 000 late, Σ amount × days late = 10 000 × 7 + 10 000 × 8.
      expect([record.paidOnTimeAmount, record.paidLateAmount, record.lateAmountDays]).to.deep.equal([
        180_000n * E18,
        20_000n * E18,
        150_000n * E18,
      ]);
      const seller = await lens.sellerRecord(ENTITIES.supplier);
      expect([seller.submittedCount, seller.rejectedCount, seller.cancelledCount]).to.deep.equal([25n, 1n, 1n]);
      expect([seller.acknowledgedAmount, seller.rejectedAmount, seller.cancelledAmount]).to.deep.equal([
        322_000n * E18,
        14_000n * E18,
        14_000n * E18,
      ]);

      const a = assessmentFromChain(await engine.assess(id, defaultPolicy(), 250_000n * USD));
      expect(a).to.deep.equal(WORKED_EXAMPLE_ASSESSMENT);
    });

    it("costs the same gas to assess for a buyer with 1 and with 50 past paid invoices", async () => {
      const { receivables, lens, engine, buyer, buyerB, buyerBId, ratingAgent, submit } =
        await loadFixture(registryFixture);
      async function history(payer: typeof buyer, entity: string, count: number) {
        for (let n = 0; n < count; n++) {
          const id = await submit(entity, 1_000n, 30);
          await receivables.connect(payer).acknowledge(id);
          await receivables.connect(payer).pay(id, 1_000n * USD);
        }
        const open = await submit(entity, 50_000n, 60);
        await receivables.connect(payer).acknowledge(open);
        await engine.connect(ratingAgent).setRating(entity, 150, (await time.latest()) + YEAR);
        return open;
      }
      const few = await history(buyer, ENTITIES.buyer, 1);
      const many = await history(buyerB, buyerBId, 50);
      expect((await lens.buyerRecord(buyerBId)).paidOnTimeCount).to.equal(50n);
      const policy = defaultPolicy();
      // Both ids are single non-zero bytes, so calldata costs the same.
      expect(few).to.be.lt(256n);
      expect(many).to.be.lt(256n);
      const gasFew = await engine.assess.estimateGas(few, policy, 0n);
      const gasMany = await engine.assess.estimateGas(many, policy, 0n);
      expect(gasMany).to.equal(gasFew);
    });
  });

  describe("Issue 12 item 8: ratings (bounded validity, no PD of 0, each pool's own agent)", function () {
    it("a rating of PD 0 or below the floor is refused, and an unrated PD of 0 still means some risk", async function () {
      const f = await loadFixture(poolWorldFixture);
      const until = BigInt(await time.latest()) + BigInt(YEAR / 2);
      for (const pd of [0n, 2n]) {
        await expect(f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, pd, until))
          .to.be.revertedWithCustomError(f.riskEngine, "RiskPdOutOfRange")
          .withArgs(pd, 3n, 10_000n);
      }
      const id = await worldInvoice(f, f.supplier);
      await time.increaseTo(f.ratingUntil + 1n); // the fixture's rating expires
      const a = await f.riskEngine.assess(id, policyTuple({ ...POLICY_1, unratedPdBps: 0n }), 0n);
      expect(a.pdBps).to.be.at.least(3n);
    });

    it("a rating's validity is bounded to 366 days", async function () {
      const f = await loadFixture(poolWorldFixture);
      const now = BigInt(await time.latest());
      const max = await f.riskEngine.MAX_RATING_VALIDITY();
      expect(max).to.equal(366n * BigInt(DAY));
      await expect(
        f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 150n, now + 10n * BigInt(YEAR)),
      ).to.be.revertedWithCustomError(f.riskEngine, "RiskRatingValidityTooLong");
      await (await f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 150n, now + max)).wait();
    });

    it("each pool chooses the rating agent it accepts; only its owner can", async function () {
      const f = await loadFixture(poolWorldFixture);
      const [agent2] = (await ethers.getSigners()).slice(13);
      await (
        await f.participants.connect(f.admin).grantRole(await f.participants.RATING_AGENT_ROLE(), agent2.address)
      ).wait();
      const until = BigInt(await time.latest()) + BigInt(YEAR / 2);
      await (await f.riskEngine.connect(agent2).setRating(ENTITIES.buyer, 1_900n, until)).wait();
      await (await f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 150n, until)).wait();
      const pool1 = await f.pool1.getAddress();
      const pool2 = await f.pool2.getAddress();
      await expect(f.riskEngine.connect(f.supplier).setPoolRatingAgent(pool1, agent2.address))
        .to.be.revertedWithCustomError(f.riskEngine, "RiskNotPoolOwner")
        .withArgs(f.supplier.address, pool1);
      await expect(f.riskEngine.connect(f.bank).setPoolRatingAgent(pool1, f.outsider.address))
        .to.be.revertedWithCustomError(f.riskEngine, "RiskNotRatingAgent")
        .withArgs(f.outsider.address);
      await expect(f.riskEngine.connect(f.bank).setPoolRatingAgent(pool1, agent2.address))
        .to.emit(f.riskEngine, "PoolRatingAgentSet")
        .withArgs(pool1, agent2.address);
      expect(await f.riskEngine.ratingAgentOf(pool1)).to.equal(agent2.address);
      expect((await f.riskEngine.ratingFor(pool1, ENTITIES.buyer)).pdBps).to.equal(1_900n);
      expect((await f.riskEngine.ratingFor(pool2, ENTITIES.buyer)).pdBps).to.equal(150n);
      const id = await worldInvoice(f, f.supplier);
      const a1 = await f.riskEngine.assessForPool(id, pool1);
      const a2 = await f.riskEngine.assessForPool(id, pool2);
      expect(a1.pdBps).to.be.at.least(1_900n);
      expect(a2.pdBps).to.be.lessThan(1_900n);
      // A later rating by another agent does not reach the pool that chose agent2.
      await (await f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 100n, until)).wait();
      expect((await f.riskEngine.assessForPool(id, pool1)).pdBps).to.equal(a1.pdBps);
    });
  });
});
