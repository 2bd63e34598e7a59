import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { runs } from "./shared/runs";
import {
  assess,
  assessmentFromChain,
  BLOCKING_MASK,
  explain,
  REASON,
  RiskPolicyError,
  Status,
  validatePolicy,
  type Assessment,
  type RiskInputs,
  type RiskPolicy,
} from "../src/pure/risk";
import {
  anyPolicyArb,
  breakPolicy,
  defaultInputs,
  defaultPolicy,
  harnessFixture,
  inputsArb,
  monotoneBaseArb,
  NOW,
  validPolicyArb,
  POLICY_FIELDS,
  WORKED_EXAMPLE_ASSESSMENT,
} from "./shared/risk";
import type { RiskMathHarness } from "../typechain-types";
import type { RiskMath } from "../typechain-types/contracts/mocks/RiskMathHarness";

const DAY = 86_400n;

/** The harness's Inputs: the registry's riskDataOf record nested, then the rating, the time and the exposure. */
function harnessInputs(i: RiskInputs): RiskMath.InputsStruct {
  const { nowTimestamp, ratingPdBps, ratingValidUntil, buyerExposure, ...rest } = i;
  // buyerIndex only keys the engine's rating look-up; the scorecard never reads it.
  return { record: { ...rest, buyerIndex: 0n }, nowTimestamp, ratingPdBps, ratingValidUntil, buyerExposure };
}

async function onChain(harness: RiskMathHarness, i: RiskInputs, p: RiskPolicy): Promise<Assessment> {
  return assessmentFromChain(await harness.assess(harnessInputs(i), p));
}

/** The worse assessment never has a better grade or a lower PD. */
function expectNotBetter(before: Assessment, after: Assessment) {
  expect(after.grade, "grade").to.be.gte(before.grade);
  expect(after.pdBps, "pdBps").to.be.gte(before.pdBps);
}

/**
 * The worse assessment never advances more, with one documented exception: a smaller advance at a worse grade
 * may fit under the buyer exposure limit where the larger one did not (docs/RISK_MODEL.md, "Monotonicity").
 */
function expectNoMoreAdvance(before: Assessment, after: Assessment) {
  const raised = after.advanceRateBps > before.advanceRateBps || after.maxAdvance > before.maxAdvance;
  if (!raised) return;
  expect(before.reasonCodes & REASON.CONCENTRATION_LIMIT, "only the concentration limit may lift").to.not.equal(0n);
  expect(after.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(0n);
  expect(after.reasonCodes & BLOCKING_MASK).to.equal(0n);
  expect(before.reasonCodes & BLOCKING_MASK & ~REASON.CONCENTRATION_LIMIT).to.equal(0n);
}

/** One unit of an 18-decimal record amount. */
const E18 = 10n ** 18n;
/** A positive record amount (18 decimals) that keeps monotoneBaseArb's headroom. */
const AMOUNT = fc.bigInt(1n, 10n ** 24n);

describe("RiskMath", () => {
  describe("reference model", () => {
    it("matches the TypeScript reference model on random inputs", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(inputsArb, validPolicyArb, async (i, p) => {
          const chain = await onChain(harness, i, p);
          expect(chain).to.deep.equal(assess(i, p));
        }),
        { numRuns: runs(600) },
      );
    });

    it("agrees with the TypeScript reference model on which policies are invalid and why", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(anyPolicyArb, async (p) => {
          let field: string | undefined;
          try {
            validatePolicy(p);
          } catch (e) {
            field = (e as RiskPolicyError).field;
          }
          if (field === undefined) await harness.validatePolicy(p);
          else
            await expect(harness.validatePolicy(p))
              .to.be.revertedWithCustomError(harness, "RiskInvalidPolicy")
              .withArgs(field);
        }),
        { numRuns: runs(150) },
      );
    });
  });

  describe("worked example", () => {
    it("reproduces the worked example of docs/RISK_MODEL.md", async () => {
      const { harness } = await loadFixture(harnessFixture);
      // By amount: 1,800,000 paid on time, 200,000 paid late by 7.5 days on average (Σ amount × days =
      // 1,500,000); the seller's buyers acknowledged 2,300,000, rejected 100,000, and it cancelled 100,000.
      const i = defaultInputs({
        paidOnTimeCount: 18n,
        paidLateCount: 2n,
        paidOnTimeAmount: 1_800_000n * E18,
        paidLateAmount: 200_000n * E18,
        lateAmountDays: 1_500_000n * E18,
        acknowledgedAmount: 2_300_000n * E18,
        sellerAcknowledgedAmount: 2_300_000n * E18,
        sellerRejectedAmount: 100_000n * E18,
        sellerCancelledAmount: 100_000n * E18,
        buyerExposure: 250_000n * 10n ** 6n,
      });
      expect(await harness.multiplierBps(harnessInputs(i))).to.equal(11_875n);
      const a = await onChain(harness, i, defaultPolicy());
      expect(a).to.deep.equal(WORKED_EXAMPLE_ASSESSMENT);
      expect(explain(a)).to.deep.equal([
        "The buyer has paid invoices late before; its late-payment score raises the PD.",
      ]);
    });
  });

  describe("scorecard rules", () => {
    it("uses the policy's unrated PD and flags UNRATED when the buyer was never rated", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const a = await onChain(harness, defaultInputs({ ratingValidUntil: 0n, ratingPdBps: 0n }), defaultPolicy());
      expect(a.pdBps).to.equal(500n);
      expect(a.reasonCodes & REASON.UNRATED).to.equal(REASON.UNRATED);
      expect(a.eligible).to.equal(true);
    });

    it("uses the policy's unrated PD and flags RATING_STALE once the rating's expiry is reached", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const a = await onChain(harness, defaultInputs({ ratingValidUntil: NOW, ratingPdBps: 10n }), defaultPolicy());
      expect(a.pdBps).to.equal(500n);
      expect(a.reasonCodes & (REASON.RATING_STALE | REASON.UNRATED)).to.equal(REASON.RATING_STALE);
    });

    it("rounds the tenor up to whole days and reports zero days on the due date itself", async () => {
      const { harness } = await loadFixture(harnessFixture);
      expect(await harness.tenorDays(NOW, NOW + 1n)).to.equal(1n);
      expect(await harness.tenorDays(NOW, NOW + DAY)).to.equal(1n);
      expect(await harness.tenorDays(NOW, NOW + DAY + 1n)).to.equal(2n);
      expect(await harness.tenorDays(NOW, NOW)).to.equal(0n);
      const onDue = await onChain(harness, defaultInputs({ dueDate: NOW }), defaultPolicy());
      expect(onDue.reasonCodes & REASON.OVERDUE).to.equal(0n);
      const late = await onChain(harness, defaultInputs({ dueDate: NOW - 1n }), defaultPolicy());
      expect(late.reasonCodes & REASON.OVERDUE).to.equal(REASON.OVERDUE);
      expect(late.eligible).to.equal(false);
    });

    it("reports grade, PD and discount but advances nothing when a blocking reason is set", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const a = await onChain(harness, defaultInputs({ frozen: true }), defaultPolicy());
      expect(a.eligible).to.equal(false);
      expect(a.reasonCodes & REASON.FROZEN).to.equal(REASON.FROZEN);
      expect(a.advanceRateBps).to.equal(0n);
      expect(a.maxAdvance).to.equal(0n);
      expect(a.grade).to.equal(1);
      expect(a.discountBps).to.be.gt(0n);
    });

    it("sorts each status into not acknowledged, closed or financeable", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const expected: Record<number, bigint> = {
        [Status.None]: REASON.NOT_ACKNOWLEDGED,
        [Status.Submitted]: REASON.NOT_ACKNOWLEDGED,
        [Status.Acknowledged]: 0n,
        [Status.Rejected]: REASON.NOT_ACKNOWLEDGED,
        [Status.Cancelled]: REASON.NOT_ACKNOWLEDGED,
        [Status.PartiallyPaid]: 0n,
        [Status.Paid]: REASON.CLOSED,
        [Status.Defaulted]: REASON.CLOSED,
        [Status.Split]: REASON.CLOSED,
      };
      for (const [status, reason] of Object.entries(expected)) {
        const a = await onChain(harness, defaultInputs({ status: Number(status) }), defaultPolicy());
        expect(a.reasonCodes & (REASON.NOT_ACKNOWLEDGED | REASON.CLOSED), `status ${status}`).to.equal(reason);
      }
    });

    it("blocks a buyer with more defaults than the policy tolerates and flags any default", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const i = defaultInputs({ defaultCount: 1n, defaultedAmount: 1n, acknowledgedAmount: 10n ** 24n });
      const strict = await onChain(harness, i, defaultPolicy({ maxBuyerDefaults: 0n }));
      expect(strict.reasonCodes & REASON.BUYER_DEFAULTED).to.equal(REASON.BUYER_DEFAULTED);
      expect(strict.eligible).to.equal(false);
      const tolerant = await onChain(harness, i, defaultPolicy({ maxBuyerDefaults: 1n }));
      expect(tolerant.reasonCodes & (REASON.BUYER_DEFAULTED | REASON.DEFAULT_HISTORY)).to.equal(REASON.DEFAULT_HISTORY);
      expect(tolerant.eligible).to.equal(true);
    });

    it("blocks at the buyer exposure limit only when the advance would exceed it", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const limit = 1_000_000n * 10n ** 6n;
      const advance = 85_000n * 10n ** 6n; // grade B at 85 %
      const fits = await onChain(harness, defaultInputs({ buyerExposure: limit - advance }), defaultPolicy());
      expect(fits.eligible).to.equal(true);
      expect(fits.maxAdvance).to.equal(advance);
      const over = await onChain(harness, defaultInputs({ buyerExposure: limit - advance + 1n }), defaultPolicy());
      expect(over.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(REASON.CONCENTRATION_LIMIT);
      const huge = await onChain(harness, defaultInputs({ buyerExposure: 2n ** 256n - 1n }), defaultPolicy());
      expect(huge.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(REASON.CONCENTRATION_LIMIT);
    });

    it("lets a smaller advance at a worse grade fit under the exposure limit (the documented exception)", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const i = defaultInputs({ buyerExposure: 1_000_000n * 10n ** 6n - 80_000n * 10n ** 6n });
      const better = await onChain(harness, i, defaultPolicy());
      const worse = await onChain(harness, { ...i, ratingPdBps: 600n }, defaultPolicy());
      expect(better.grade).to.equal(1);
      expect(better.reasonCodes & REASON.CONCENTRATION_LIMIT).to.equal(REASON.CONCENTRATION_LIMIT);
      expect(worse.grade).to.equal(2);
      expect(worse.eligible).to.equal(true);
      expect(worse.maxAdvance).to.equal(75_000n * 10n ** 6n);
    });

    it("blocks a tenor beyond the policy's maximum and a grade below its minimum", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const long = await onChain(harness, defaultInputs({ dueDate: NOW + 181n * DAY }), defaultPolicy());
      expect(long.reasonCodes & REASON.TENOR_TOO_LONG).to.equal(REASON.TENOR_TOO_LONG);
      const weak = await onChain(harness, defaultInputs({ ratingPdBps: 2500n }), defaultPolicy());
      expect(weak.grade).to.equal(4);
      expect(weak.reasonCodes & REASON.GRADE_BELOW_MIN).to.equal(REASON.GRADE_BELOW_MIN);
    });

    it("flags a seller's dilution from 10 % by amount and a buyer without payment history", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const diluted = (acknowledged: bigint) =>
        defaultInputs({ sellerAcknowledgedAmount: acknowledged * E18, sellerRejectedAmount: 10_000n * E18 });
      const a = await onChain(harness, diluted(90_000n), defaultPolicy());
      expect(a.reasonCodes & (REASON.HIGH_DILUTION | REASON.NO_HISTORY)).to.equal(
        REASON.HIGH_DILUTION | REASON.NO_HISTORY,
      );
      const b = await onChain(harness, diluted(90_001n), defaultPolicy());
      expect(b.reasonCodes & REASON.HIGH_DILUTION).to.equal(0n);
    });
  });

  describe("monotonicity", () => {
    const RUNS = { numRuns: runs(150) };

    async function compare(
      harness: RiskMathHarness,
      i: RiskInputs,
      worse: RiskInputs,
      p: RiskPolicy,
    ): Promise<[Assessment, Assessment]> {
      return [await onChain(harness, i, p), await onChain(harness, worse, p)];
    }

    it("more late payments never improve the grade or raise the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          monotoneBaseArb,
          validPolicyArb,
          fc.bigInt(1n, 10n ** 24n),
          fc.bigInt(0n, 500n),
          async (i, p, k, d) => {
            // A late payment of k (18 decimals), d days late (d = 0 stands for "late by less than a day").
            const worse = {
              ...i,
              paidLateCount: i.paidLateCount + 1n,
              paidLateAmount: i.paidLateAmount + k,
              lateAmountDays: i.lateAmountDays + k * d,
            };
            const [before, after] = await compare(harness, i, worse, p);
            expectNotBetter(before, after);
            expectNoMoreAdvance(before, after);
          },
        ),
        RUNS,
      );
    });

    it("an on-time payment that had been late never improves the grade or raises the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(1n, 90n), AMOUNT, async (i, p, d, k) => {
          const base = { ...i, paidOnTimeCount: i.paidOnTimeCount + 1n, paidOnTimeAmount: i.paidOnTimeAmount + k };
          const worse = {
            ...i,
            paidLateCount: i.paidLateCount + 1n,
            paidLateAmount: i.paidLateAmount + k,
            lateAmountDays: i.lateAmountDays + k * d,
          };
          const [before, after] = await compare(harness, base, worse, p);
          expectNotBetter(before, after);
          expectNoMoreAdvance(before, after);
        }),
        RUNS,
      );
    });

    it("more days late never improve the grade or raise the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(1n, 1000n), async (i, p, d) => {
          const base = { ...i, paidLateAmount: i.paidLateAmount === 0n ? E18 : i.paidLateAmount };
          const worse = { ...base, lateAmountDays: base.lateAmountDays + d * E18 };
          const [before, after] = await compare(harness, base, worse, p);
          expectNotBetter(before, after);
          expectNoMoreAdvance(before, after);
        }),
        RUNS,
      );
    });

    it("a default never improves the grade or raises the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(0n, 10n ** 24n), async (i, p, amount) => {
          const worse = { ...i, defaultCount: i.defaultCount + 1n, defaultedAmount: i.defaultedAmount + amount };
          const [before, after] = await compare(harness, i, worse, p);
          expectNotBetter(before, after);
          expectNoMoreAdvance(before, after);
        }),
        RUNS,
      );
    });

    it("a longer tenor never improves the grade, lowers the discount or raises the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(1n, 400n * DAY), async (i, p, extra) => {
          const worse = { ...i, dueDate: i.dueDate + extra };
          const [before, after] = await compare(harness, i, worse, p);
          expectNotBetter(before, after);
          expect(after.horizonPdBps).to.be.gte(before.horizonPdBps);
          expect(after.discountBps).to.be.gte(before.discountBps);
          expect(after.advanceRateBps).to.be.lte(before.advanceRateBps);
          expect(after.maxAdvance).to.be.lte(before.maxAdvance);
        }),
        RUNS,
      );
    });

    it("a worse rating never improves the grade or raises the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(1n, 10_000n), async (i, p, step) => {
          const base = { ...i, ratingValidUntil: NOW + DAY };
          const worse = { ...base, ratingPdBps: base.ratingPdBps + step > 10_000n ? 10_000n : base.ratingPdBps + step };
          const [before, after] = await compare(harness, base, worse, p);
          expectNotBetter(before, after);
          expectNoMoreAdvance(before, after);
        }),
        RUNS,
      );
    });

    it("more rejected or cancelled invoices of the seller never improve the grade or raise the advance", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, AMOUNT, fc.boolean(), async (i, p, k, rejected) => {
          const worse = rejected
            ? { ...i, sellerRejectedAmount: i.sellerRejectedAmount + k }
            : { ...i, sellerCancelledAmount: i.sellerCancelledAmount + k };
          const [before, after] = await compare(harness, i, worse, p);
          expectNotBetter(before, after);
          expectNoMoreAdvance(before, after);
        }),
        RUNS,
      );
    });

    it("raises the advance for a worse input only through the exposure limit, never otherwise", async () => {
      const { harness } = await loadFixture(harnessFixture);
      // Without a binding limit (no exposure, limit above any advance) the advance is strictly monotone.
      await fc.assert(
        fc.asyncProperty(monotoneBaseArb, validPolicyArb, fc.bigInt(1n, 10_000n), async (i, p, step) => {
          const free = { ...p, buyerExposureLimit: 2n ** 128n - 1n };
          const base = { ...i, buyerExposure: 0n, ratingValidUntil: NOW + DAY };
          const worse = { ...base, ratingPdBps: base.ratingPdBps + step > 10_000n ? 10_000n : base.ratingPdBps + step };
          const [before, after] = await compare(harness, base, worse, free);
          expect(after.advanceRateBps).to.be.lte(before.advanceRateBps);
          expect(after.maxAdvance).to.be.lte(before.maxAdvance);
        }),
        RUNS,
      );
    });
  });

  describe("validatePolicy", () => {
    for (const field of POLICY_FIELDS) {
      it(`rejects a policy with an invalid ${field}, naming the field`, async () => {
        const { harness } = await loadFixture(harnessFixture);
        const bad = breakPolicy(defaultPolicy(), field);
        await expect(harness.validatePolicy(bad))
          .to.be.revertedWithCustomError(harness, "RiskInvalidPolicy")
          .withArgs(field);
        await expect(harness.assess(harnessInputs(defaultInputs()), bad))
          .to.be.revertedWithCustomError(harness, "RiskInvalidPolicy")
          .withArgs(field);
        expect(() => validatePolicy(bad)).to.throw(RiskPolicyError, field);
      });
    }

    it("rejects grade PD bounds that are not strictly increasing", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const bad = defaultPolicy({ gradeMaxPdBps: [100n, 300n, 300n, 2000n] });
      await expect(harness.validatePolicy(bad))
        .to.be.revertedWithCustomError(harness, "RiskInvalidPolicy")
        .withArgs("gradeMaxPdBps");
    });

    it("rejects an advance rate above 100 %", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const bad = defaultPolicy({ advanceRateBps: [10_001n, 8500n, 7500n, 6000n, 0n] });
      await expect(harness.validatePolicy(bad))
        .to.be.revertedWithCustomError(harness, "RiskInvalidPolicy")
        .withArgs("advanceRateBps");
    });

    it("accepts the boundary policy: 100 % rates, bounds up to 100 %, grade E allowed, one day tenor", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const edge = defaultPolicy({
        advanceRateBps: [10_000n, 10_000n, 10_000n, 10_000n, 10_000n],
        gradeMaxPdBps: [0n, 1n, 2n, 10_000n],
        baseRateBps: 10_000n,
        lgdBps: 10_000n,
        unratedPdBps: 10_000n,
        minGrade: 4n,
        maxTenorDays: 1n,
      });
      await harness.validatePolicy(edge);
      expect(() => validatePolicy(edge)).to.not.throw();
    });
  });
});
