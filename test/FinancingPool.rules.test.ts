/**
 * Pool rules of issue 12, one test per behaviour, each failing on the code before the change:
 * - item 4: the supplier's terms are protected in full (a fee bound on `finance`, the quoted terms recorded
 *   with a request and honoured at approval), so a manager who reprices cannot take the reserve;
 * - item 3: the auto-approval limit covers everything the pool advances on one original invoice, and the
 *   manager can cap auto-approved advances per supplier entity and period;
 * - item 6: anyone can release a request that can no longer be approved.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DAY, ENTITIES, GRACE_PERIOD } from "./shared/fixtures";
import {
  acknowledgedReceivable,
  farDeadline,
  modelAssessment,
  poolFixture,
  quoteTerms,
  type PoolFixture,
  UNIT,
} from "./shared/pool";
import { Status } from "./shared/receivables";
import { standardPolicy } from "../src/pure/policy";
import type { RiskPolicy } from "../src/pure/risk";
import { approvalTerms, capWindowStart, FinancingStatus, needsApproval, termsFromAssessment } from "../src/pure/pool";

/** Auto-approval up to 50,000: a 200,000 invoice (advance 170,000 at grade B) needs the manager. */
const APPROVAL_POLICY = standardPolicy(6, { autoApprovalLimit: 50_000n * UNIT });
const FACE = 200_000n * UNIT;

/** Financed-event arguments (the reserve is face − advance). */
function financedArgs(
  id: bigint,
  supplier: string,
  buyerIndex: bigint,
  t: { grade: number; advance: bigint; fee: bigint },
) {
  return [id, supplier, buyerIndex, t.grade, t.advance, t.fee, t.advance - t.fee, FACE - t.advance] as const;
}

/**
 * The manager's repricing of issue 12: advance rate 100 % and the highest base rate at which the net advance
 * still meets `minNet`, found with the reference model (src/pure/risk.ts) so that no policy is set while searching.
 */
async function repricingPolicy(f: PoolFixture, id: bigint, minNet: bigint): Promise<RiskPolicy> {
  const full: RiskPolicy = { ...APPROVAL_POLICY, advanceRateBps: [10_000n, 10_000n, 10_000n, 10_000n, 0n] };
  let lo = APPROVAL_POLICY.baseRateBps;
  let hi = 10_000n;
  const net = async (base: bigint) => {
    const a = await modelAssessment(f, f.pool1, { ...full, baseRateBps: base }, id);
    return termsFromAssessment(a, FACE).net;
  };
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if ((await net(mid)) >= minNet) lo = mid;
    else hi = mid - 1n;
  }
  return { ...full, baseRateBps: lo };
}

describe("FinancingPool rules (issue 12)", () => {
  async function requestFixture() {
    const f = await poolFixture();
    await f.pool1.connect(f.bank).setPolicy(APPROVAL_POLICY);
    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "RULES-200K", amount: FACE });
    const quoted = quoteTerms(await f.pool1.quote(id));
    const buyerIndex = (await f.lens.receivable(id)).buyerIndex;
    return { ...f, id, quoted, buyerIndex };
  }

  describe("item 4: the supplier's accepted terms", () => {
    it("approves at the recorded advance and fee when the manager reprices to 100 % and a higher base rate", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, quoted, usd, buyerIndex } = f;
      await pool1.connect(supplier).finance(id, quoted.net, quoted.fee, await farDeadline());
      // The attack of the issue: the repriced terms still meet the supplier's minimum net advance…
      const attack = await repricingPolicy(f, id, quoted.net);
      await pool1.connect(bank).setPolicy(attack);
      const repriced = quoteTerms(await pool1.quote(id));
      expect(repriced.net).to.be.at.least(quoted.net);
      expect(repriced.reserve).to.equal(0n);
      expect(repriced.fee).to.be.greaterThan(10n * quoted.fee);
      // …but approval pays the recorded advance for at most the recorded fee, and the reserve stays.
      const before = await usd.balanceOf(supplier.address);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, quoted));
      expect(await usd.balanceOf(supplier.address)).to.equal(before + quoted.net);
      const fin = await pool1.financing(id);
      expect([fin.advance, fin.fee]).to.deep.equal([quoted.advance, quoted.fee]);
      // What the supplier gets now plus its reserve is outstanding − the accepted fee.
      expect(quoted.net + (FACE - fin.advance)).to.equal(FACE - quoted.fee);
    });

    it("charges the lower fee at approval when the policy became cheaper, never more than recorded", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, quoted, buyerIndex } = f;
      await pool1.connect(supplier).finance(id, 0n, ethers.MaxUint256, await farDeadline());
      const cheaper: RiskPolicy = {
        ...APPROVAL_POLICY,
        baseRateBps: 100n,
        advanceRateBps: [9_500n, 9_500n, 9_500n, 9_500n, 0n],
      };
      await pool1.connect(bank).setPolicy(cheaper);
      const q = await pool1.quote(id);
      const expected = approvalTerms(quoted, q.assessment, FACE);
      expect(expected.advance).to.equal(quoted.advance);
      expect(expected.fee).to.be.lessThan(quoted.fee);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, expected));
    });

    it("refuses a financing whose fee a policy change just before raised above the supplier's bound", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, quoted } = f;
      const attack = await repricingPolicy(f, id, quoted.net);
      // The manager's change lands just before the supplier's transaction.
      await pool1.connect(bank).setPolicy(attack);
      const repriced = quoteTerms(await pool1.quote(id));
      // The minimum net advance alone does not protect the reserve: it is met.
      expect(repriced.net).to.be.at.least(quoted.net);
      await expect(pool1.connect(supplier).finance(id, quoted.net, quoted.fee, await farDeadline()))
        .to.be.revertedWithCustomError(pool1, "PoolFeeTooHigh")
        .withArgs(id, repriced.fee, quoted.fee);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.None));
      expect(await pool1.committed()).to.equal(0n);
    });

    it("refuses an auto-approved financing whose fee is one unit above the bound, and accepts it at the bound", async () => {
      const f = await loadFixture(poolFixture);
      const { id } = await acknowledgedReceivable(f, f.supplier, { number: "RULES-AUTO" });
      const t = quoteTerms(await f.pool1.quote(id));
      await expect(f.pool1.connect(f.supplier).finance(id, 0n, t.fee - 1n, await farDeadline()))
        .to.be.revertedWithCustomError(f.pool1, "PoolFeeTooHigh")
        .withArgs(id, t.fee, t.fee - 1n);
      await expect(f.pool1.connect(f.supplier).finance(id, t.net, t.fee, await farDeadline())).to.emit(
        f.pool1,
        "Financed",
      );
    });
  });

  describe("item 3: auto-approval per original invoice and per supplier", () => {
    /** A 400,000 invoice split into four 100,000 children, auto-approval limit 100,000. */
    async function splitFixture() {
      const f = await poolFixture();
      const { id: root } = await acknowledgedReceivable(f, f.supplier, {
        number: "RULES-400K",
        amount: 400_000n * UNIT,
      });
      const first = await f.receivables.connect(f.supplier).split.staticCall(root, Array(4).fill(100_000n * UNIT));
      await f.receivables.connect(f.supplier).split(root, Array(4).fill(100_000n * UNIT));
      const children = [0n, 1n, 2n, 3n].map((i) => first + i);
      return { ...f, root, children };
    }

    it("auto-approves only the first of four 100,000 children of a 400,000 invoice; the rest become requests", async () => {
      const f = await loadFixture(splitFixture);
      const { pool1, supplier, root, children } = f;
      const limit = (await pool1.policy()).autoApprovalLimit;
      expect(limit).to.equal(100_000n * UNIT);
      const statuses = [];
      let advanced = 0n;
      for (const child of children) {
        const q = await pool1.quote(child);
        expect(q.advance).to.be.at.most(limit); // each child alone is within the limit
        expect(q.needsApproval).to.equal(
          needsApproval(q.advance, { autoApprovalLimit: limit, advancedOnRoot: advanced }),
        );
        await pool1.connect(supplier).finance(child, 0n, ethers.MaxUint256, await farDeadline());
        const status = Number((await pool1.financing(child)).status);
        if (status === FinancingStatus.Active) advanced += q.advance;
        statuses.push(status);
      }
      expect(statuses).to.deep.equal([
        FinancingStatus.Active,
        FinancingStatus.Requested,
        FinancingStatus.Requested,
        FinancingStatus.Requested,
      ]);
      expect(await pool1.advancedOnRoot(root)).to.equal(advanced);
    });

    it("counts approved children on the root and keeps the total after repayment, so repaying reopens nothing", async () => {
      const f = await loadFixture(splitFixture);
      const { pool1, supplier, bank, buyer, receivables, root, children } = f;
      await pool1.connect(supplier).finance(children[0], 0n, ethers.MaxUint256, await farDeadline());
      await pool1.connect(supplier).finance(children[1], 0n, ethers.MaxUint256, await farDeadline());
      await pool1.connect(bank).approveRequest(children[1]);
      const a0 = (await pool1.financing(children[0])).advance;
      const a1 = (await pool1.financing(children[1])).advance;
      expect(await pool1.advancedOnRoot(root)).to.equal(a0 + a1);
      // The buyer pays both children in full; the pool collects.
      for (const c of children.slice(0, 2)) {
        await receivables.connect(buyer).pay(c, 100_000n * UNIT);
        await pool1.collect(c);
        expect((await pool1.financing(c)).status).to.equal(BigInt(FinancingStatus.Repaid));
      }
      expect(await pool1.advancedOnRoot(root)).to.equal(a0 + a1);
      expect((await pool1.quote(children[2])).needsApproval).to.equal(true);
      await expect(pool1.connect(supplier).finance(children[2], 0n, ethers.MaxUint256, await farDeadline())).to.emit(
        pool1,
        "FinancingRequested",
      );
    });

    it("does not count one pool's advances on a root against another pool's limit", async () => {
      const f = await loadFixture(splitFixture);
      const { pool1, pool2, supplier, children } = f;
      await pool1.connect(supplier).finance(children[0], 0n, ethers.MaxUint256, await farDeadline());
      await expect(pool2.connect(supplier).finance(children[1], 0n, ethers.MaxUint256, await farDeadline())).to.emit(
        pool2,
        "Financed",
      );
    });

    /** A cap of 150,000 per 30 days; a second wallet of the supplier's entity. */
    async function capFixture() {
      const f = await poolFixture();
      const { pool1, bank, registry, onboarder, outsider, receivables } = f;
      const period = 30 * DAY;
      await expect(pool1.connect(bank).setSupplierAutoCap(150_000n * UNIT, period))
        .to.emit(pool1, "SupplierAutoCapSet")
        .withArgs(150_000n * UNIT, period);
      // `outsider` becomes a second wallet of the supplier's entity.
      await registry.connect(onboarder).addWallet(ENTITIES.supplier, outsider.address, false);
      await receivables.connect(outsider).setApprovalForAll(await pool1.getAddress(), true);
      return { ...f, period, second: outsider };
    }

    it("caps auto-approved advances per supplier entity across its wallets, and opens a new window each period", async () => {
      const f = await loadFixture(capFixture);
      const { pool1, supplier, second, period } = f;
      const ids: bigint[] = [];
      for (const [k, who] of ([supplier, second, second] as HardhatEthersSigner[]).entries()) {
        ids.push((await acknowledgedReceivable(f, who, { number: `RULES-CAP-${k}` })).id);
      }
      const advance = (await pool1.quote(ids[0])).advance; // 85,000 on each 100,000 invoice
      await pool1.connect(supplier).finance(ids[0], 0n, ethers.MaxUint256, await farDeadline());
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // The same entity through another wallet: 170,000 would exceed the cap of 150,000.
      expect((await pool1.quote(ids[1])).needsApproval).to.equal(true);
      await expect(pool1.connect(second).finance(ids[1], 0n, ethers.MaxUint256, await farDeadline())).to.emit(
        pool1,
        "FinancingRequested",
      );
      // An approved request does not use the cap.
      await pool1.connect(f.bank).approveRequest(ids[1]);
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // A new window starts at the next multiple of the period.
      const now = BigInt(await time.latest());
      const next = capWindowStart(now, BigInt(period)) + BigInt(period);
      await time.setNextBlockTimestamp(next);
      const tx = pool1.connect(second).finance(ids[2], 0n, ethers.MaxUint256, await farDeadline());
      await expect(tx).to.emit(pool1, "SupplierAutoCapUsed").withArgs(ENTITIES.supplier, next, advance);
      await expect(tx).to.emit(pool1, "Financed");
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // Once that window is over, nothing is used in the next one.
      await time.increaseTo(next + BigInt(period));
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(0n);
    });

    it("refuses a cap without a period or a period without a cap, and switches off with both zero", async () => {
      const f = await loadFixture(capFixture);
      const { pool1, bank, supplier } = f;
      await expect(pool1.connect(bank).setSupplierAutoCap(1n, 0))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidAutoCap")
        .withArgs(1n, 0n);
      await expect(pool1.connect(bank).setSupplierAutoCap(0n, DAY))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidAutoCap")
        .withArgs(0n, DAY);
      await expect(pool1.connect(supplier).setSupplierAutoCap(0n, 0))
        .to.be.revertedWithCustomError(pool1, "OwnableUnauthorizedAccount")
        .withArgs(supplier.address);
      await expect(pool1.connect(bank).setSupplierAutoCap(0n, 0)).to.emit(pool1, "SupplierAutoCapSet").withArgs(0n, 0n);
      expect(await pool1.supplierAutoCap()).to.deep.equal([0n, 0n]);
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(0n);
    });
  });

  describe("item 6: releasing requests that can no longer be approved", () => {
    async function expectReleasable(f: Awaited<ReturnType<typeof requestFixture>>) {
      const { pool1, outsider, id } = f;
      await expect(pool1.connect(outsider).expireRequest(id))
        .to.emit(pool1, "FinancingRequestExpired")
        .withArgs(id, outsider.address);
      expect(await pool1.committed()).to.equal(0n);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Rejected));
    }

    async function requested() {
      const f = await requestFixture();
      await f.pool1.connect(f.supplier).finance(f.id, 0n, ethers.MaxUint256, await farDeadline());
      return f;
    }

    it("keeps PoolRequestStillValid for a request that could still be approved", async () => {
      const f = await loadFixture(requested);
      const deadline = (await f.pool1.request(f.id)).deadline;
      await expect(f.pool1.connect(f.outsider).expireRequest(f.id))
        .to.be.revertedWithCustomError(f.pool1, "PoolRequestStillValid")
        .withArgs(f.id, deadline);
      // Pause is temporary: the request stays.
      await f.receivables.connect(f.pauser).pause();
      await expect(f.pool1.connect(f.outsider).expireRequest(f.id)).to.be.revertedWithCustomError(
        f.pool1,
        "PoolRequestStillValid",
      );
    });

    it("releases a request whose receivable the supplier split", async () => {
      const f = await loadFixture(requested);
      await f.receivables.connect(f.supplier).split(f.id, [150_000n * UNIT, 50_000n * UNIT]);
      expect((await f.lens.receivable(f.id)).status).to.equal(Status.Split);
      await expectReleasable(f);
    });

    it("releases a request whose receivable was partly paid", async () => {
      const f = await loadFixture(requested);
      await f.receivables.connect(f.buyer).pay(f.id, 1n);
      await expectReleasable(f);
    });

    it("releases a request whose receivable was paid in full", async () => {
      const f = await loadFixture(requested);
      await f.receivables.connect(f.buyer).pay(f.id, FACE);
      expect((await f.lens.receivable(f.id)).status).to.equal(Status.Paid);
      await expectReleasable(f);
    });

    it("releases a request whose receivable the regulator froze", async () => {
      const f = await loadFixture(requested);
      await f.receivables.connect(f.regulator).freeze(f.id, ethers.encodeBytes32String("AML"));
      await expectReleasable(f);
    });

    it("releases a request whose receivable is overdue", async () => {
      const f = await loadFixture(requested);
      const due = (await f.lens.receivable(f.id)).dueDate;
      await time.setNextBlockTimestamp(due);
      await expect(f.pool1.connect(f.outsider).expireRequest(f.id)).to.be.revertedWithCustomError(
        f.pool1,
        "PoolRequestStillValid",
      );
      await time.setNextBlockTimestamp(due + 1n);
      await expectReleasable(f);
    });

    it("releases a request whose receivable was declared in default", async () => {
      const f = await loadFixture(requested);
      const due = (await f.lens.receivable(f.id)).dueDate;
      await time.increaseTo(due + BigInt(GRACE_PERIOD) + 1n);
      await f.receivables.connect(f.supplier).markDefaulted(f.id);
      expect((await f.lens.receivable(f.id)).status).to.equal(Status.Defaulted);
      await expectReleasable(f);
    });
  });
});
