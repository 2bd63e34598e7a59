/**
 * FinancingPool: `finance` above the auto-approval limit: requests, the manager's approval or rejection, the terms the
 * supplier accepted (issue 12, item 4), auto-approval per original invoice and per supplier (item 3), and releasing
 * requests that can no longer be approved (item 6).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DAY, ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import { Status } from "../shared/receivables";
import {
  acknowledgedReceivable,
  APPROVAL_POLICY,
  capFixture,
  checkedTerms,
  expectMatchesModel,
  expectSolvent,
  FACE,
  farDeadline,
  financedArgs,
  financeNow,
  fundedModel,
  largeRequestFixture,
  plain,
  poolFixture,
  quoteTerms,
  REASON_TEXT,
  repricingPolicy,
  requestFixture,
  UNIT,
} from "../shared/pool";
import type { RiskPolicy } from "../../src/pure/risk";
import { approvalTerms, capWindowStart, FinancingStatus, needsApproval } from "../../src/pure/pool";

describe("FinancingPool.request", () => {
  describe("financing on the manager's approval", () => {
    it("records a request above the auto-approval limit with the quoted advance and fee, and reserves its net advance", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, id, usd } = f;
      const terms = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
      expect(terms.advance).to.be.greaterThan(APPROVAL_POLICY.autoApprovalLimit);
      const deadline = await farDeadline();
      const minNet = terms.net - 1_000n * UNIT;
      await expect(pool1.connect(supplier).finance(id, minNet, ethers.MaxUint256, deadline))
        .to.emit(pool1, "FinancingRequested")
        .withArgs(id, supplier.address, terms.advance, terms.fee, terms.net, deadline);
      const model = fundedModel(false);
      model.request(id, terms);
      await expectMatchesModel(pool1, usd, model, "request");
      await expectSolvent(pool1, usd, [supplier.address], "request");
      expect(await f.receivables.ownerOf(id)).to.equal(supplier.address);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Requested));
      const r = await pool1.request(id);
      expect([r.advance, r.fee, r.deadline]).to.deep.equal([terms.advance, terms.fee, deadline]);
      await expect(pool1.connect(supplier).finance(id, 0n, ethers.MaxUint256, deadline))
        .to.be.revertedWithCustomError(pool1, "PoolAlreadyFinanced")
        .withArgs(id, FinancingStatus.Requested);
    });

    it("executes an approved request at the recorded advance for the lower of the recorded fee and the fee now", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, usd, receivables, lens } = f;
      const atRequest = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
      await financeNow(pool1, supplier, id, atRequest.net);
      const model = fundedModel(false);
      model.request(id, atRequest);
      // Two days later the tenor is shorter, the fee lower and the net advance higher.
      await time.increase(2 * DAY);
      const fresh = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
      expect(fresh.fee).to.be.lessThan(atRequest.fee);
      const atApproval = approvalTerms(atRequest, (await pool1.quote(id)).assessment, 100_000n * UNIT);
      expect(atApproval).to.deep.equal({ ...atRequest, fee: fresh.fee, net: atRequest.advance - fresh.fee });
      const before = await usd.balanceOf(supplier.address);
      const buyerIndex = (await lens.receivable(id)).buyerIndex;
      await expect(pool1.connect(bank).approveRequest(id))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, atApproval));
      model.finance(id, supplier.address, ENTITIES.buyer, 100_000n * UNIT, atApproval);
      await expectMatchesModel(pool1, usd, model, "approval");
      await expectSolvent(pool1, usd, [supplier.address], "approval");
      expect(await pool1.committed()).to.equal(0n);
      expect(await usd.balanceOf(supplier.address)).to.equal(before + atApproval.net);
      expect(await receivables.ownerOf(id)).to.equal(await pool1.getAddress());
      expect(Object.values(plain(await pool1.request(id)))).to.deep.equal([0n, 0n, 0n]);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
        .withArgs(id, FinancingStatus.Active);
    });

    it("frees the commitment of a rejected request and lets the supplier ask again", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, usd } = f;
      const terms = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
      await financeNow(pool1, supplier, id);
      await expect(pool1.connect(bank).rejectRequest(id, REASON_TEXT))
        .to.emit(pool1, "FinancingRejected")
        .withArgs(id, REASON_TEXT);
      const model = fundedModel(false);
      model.request(id, terms);
      model.releaseRequest(id);
      await expectMatchesModel(pool1, usd, model, "rejection");
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Rejected));
      await expect(pool1.connect(bank).rejectRequest(id, REASON_TEXT))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
        .withArgs(id, FinancingStatus.Rejected);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
        .withArgs(id, FinancingStatus.Rejected);
      await expect(financeNow(pool1, supplier, id)).to.emit(pool1, "FinancingRequested");
      expect(await pool1.committed()).to.equal((await pool1.quote(id)).netAdvance);
    });

    it("approves on the recorded terms when the policy became dearer after the request", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id, lens } = f;
      const terms = await checkedTerms(f, pool1, APPROVAL_POLICY, id);
      await financeNow(pool1, supplier, id, terms.net, terms.fee);
      const dearer = { ...APPROVAL_POLICY, baseRateBps: 2_000n };
      await pool1.connect(bank).setPolicy(dearer);
      const now = await checkedTerms(f, pool1, dearer, id);
      expect(now.net).to.be.lessThan(terms.net);
      const buyerIndex = (await lens.receivable(id)).buyerIndex;
      await expect(pool1.connect(bank).approveRequest(id))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, terms));
      expect(await pool1.committed()).to.equal(0n);
    });

    it("refuses to approve a request after the supplier's deadline", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, id } = f;
      const deadline = BigInt(await time.latest()) + 100n;
      await pool1.connect(supplier).finance(id, 0n, ethers.MaxUint256, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.be.revertedWithCustomError(pool1, "PoolDeadlinePassed")
        .withArgs(deadline, deadline + 1n);
      // The manager can still reject it, which frees the commitment.
      await pool1.connect(bank).rejectRequest(id, REASON_TEXT);
      expect(await pool1.committed()).to.equal(0n);
    });

    it("lets anyone release a request whose deadline passed, freeing its liquidity, but not before", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, outsider, id } = f;
      const deadline = BigInt(await time.latest()) + 100n;
      await pool1.connect(supplier).finance(id, 0n, ethers.MaxUint256, deadline);
      const reserved = await pool1.committed();
      expect(reserved).to.be.greaterThan(0n);
      await expect(pool1.connect(outsider).expireRequest(id))
        .to.be.revertedWithCustomError(pool1, "PoolRequestStillValid")
        .withArgs(id, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(pool1.connect(outsider).expireRequest(id))
        .to.emit(pool1, "FinancingRequestExpired")
        .withArgs(id, outsider.address);
      expect(await pool1.committed()).to.equal(0n);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Rejected));
      expect(Object.values(plain(await pool1.request(id)))).to.deep.equal([0n, 0n, 0n]);
      await expect(pool1.connect(outsider).expireRequest(id))
        .to.be.revertedWithCustomError(pool1, "PoolInvalidStatus")
        .withArgs(id, FinancingStatus.Rejected);
    });

    it("lets anyone release a request once the supplier no longer holds the receivable", async () => {
      const f = await loadFixture(requestFixture);
      const { pool1, supplier, bank, outsider, receivables, id } = f;
      await financeNow(pool1, supplier, id);
      await receivables.connect(supplier).transferFrom(supplier.address, bank.address, id);
      await expect(pool1.connect(outsider).expireRequest(id)).to.emit(pool1, "FinancingRequestExpired");
      expect(await pool1.committed()).to.equal(0n);
    });

    it("refuses to approve or reject a receivable that was never requested", async () => {
      const f = await loadFixture(requestFixture);
      await expect(f.pool1.connect(f.bank).approveRequest(f.id))
        .to.be.revertedWithCustomError(f.pool1, "PoolInvalidStatus")
        .withArgs(f.id, FinancingStatus.None);
      await expect(f.pool1.connect(f.bank).rejectRequest(f.id, REASON_TEXT))
        .to.be.revertedWithCustomError(f.pool1, "PoolInvalidStatus")
        .withArgs(f.id, FinancingStatus.None);
    });
  });

  describe("the supplier's accepted terms at approval (issue 12, item 4)", () => {
    it("approves at the recorded advance and fee when the manager reprices to 100 % and a higher base rate", async () => {
      const f = await loadFixture(largeRequestFixture);
      const { pool1, supplier, bank, id, quoted, usd, buyerIndex } = f;
      await financeNow(pool1, supplier, id, quoted.net, quoted.fee);
      // The attack of the issue: the repriced terms still meet the supplier's minimum net advance…
      const attack = await repricingPolicy(f, id, quoted.net);
      await pool1.connect(bank).setPolicy(attack);
      const repriced = quoteTerms(await pool1.quote(id));
      expect(repriced.net).to.be.at.least(quoted.net);
      expect(repriced.reserve).to.equal(0n);
      expect(repriced.fee).to.be.greaterThan(10n * quoted.fee);
      // …but approval pays the recorded advance for at most the recorded fee, and the reserve stays.
      // (The net advance is the advance less the fee, the reserve the face less the advance.)
      expect([quoted.net, quoted.reserve]).to.deep.equal([quoted.advance - quoted.fee, FACE - quoted.advance]);
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
      const f = await loadFixture(largeRequestFixture);
      const { pool1, supplier, bank, id, quoted, buyerIndex } = f;
      await financeNow(pool1, supplier, id);
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
      expect([expected.net, expected.reserve]).to.deep.equal([
        expected.advance - expected.fee,
        FACE - expected.advance,
      ]);
      await expect(pool1.connect(bank).approveRequest(id))
        .to.emit(pool1, "Financed")
        .withArgs(...financedArgs(id, supplier.address, buyerIndex, expected));
    });
  });

  describe("auto-approval per original invoice and per supplier (issue 12, item 3)", () => {
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
        await financeNow(pool1, supplier, child);
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
      await financeNow(pool1, supplier, children[0]);
      await financeNow(pool1, supplier, children[1]);
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
      await expect(financeNow(pool1, supplier, children[2])).to.emit(pool1, "FinancingRequested");
    });

    it("does not count one pool's advances on a root against another pool's limit", async () => {
      const f = await loadFixture(splitFixture);
      const { pool1, pool2, supplier, children } = f;
      await financeNow(pool1, supplier, children[0]);
      await expect(financeNow(pool2, supplier, children[1])).to.emit(pool2, "Financed");
    });

    it("caps auto-approved advances per supplier entity across its wallets, and opens a new window each period", async () => {
      const f = await loadFixture(capFixture);
      const { pool1, supplier, second, period } = f;
      const ids: bigint[] = [];
      for (const [k, who] of ([supplier, second, second] as HardhatEthersSigner[]).entries()) {
        ids.push((await acknowledgedReceivable(f, who, { number: `RULES-CAP-${k}` })).id);
      }
      const advance = (await pool1.quote(ids[0])).advance; // 85,000 on each 100,000 invoice
      await financeNow(pool1, supplier, ids[0]);
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // The same entity through another wallet: 170,000 would exceed the cap of 150,000.
      expect((await pool1.quote(ids[1])).needsApproval).to.equal(true);
      await expect(financeNow(pool1, second, ids[1])).to.emit(pool1, "FinancingRequested");
      // An approved request does not use the cap.
      await pool1.connect(f.bank).approveRequest(ids[1]);
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // A new window starts at the next multiple of the period.
      const now = BigInt(await time.latest());
      const next = capWindowStart(now, BigInt(period)) + BigInt(period);
      await time.setNextBlockTimestamp(next);
      const tx = financeNow(pool1, second, ids[2]);
      await expect(tx).to.emit(pool1, "SupplierAutoCapUsed").withArgs(ENTITIES.supplier, next, advance);
      await expect(tx).to.emit(pool1, "Financed");
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(advance);
      // Once that window is over, nothing is used in the next one.
      await time.increaseTo(next + BigInt(period));
      expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(0n);
    });
  });

  describe("releasing requests that can no longer be approved (issue 12, item 6)", () => {
    async function expectReleasable(f: Awaited<ReturnType<typeof largeRequestFixture>>) {
      const { pool1, outsider, id } = f;
      await expect(pool1.connect(outsider).expireRequest(id))
        .to.emit(pool1, "FinancingRequestExpired")
        .withArgs(id, outsider.address);
      expect(await pool1.committed()).to.equal(0n);
      expect((await pool1.financing(id)).status).to.equal(BigInt(FinancingStatus.Rejected));
    }

    async function requested() {
      const f = await largeRequestFixture();
      await financeNow(f.pool1, f.supplier, f.id);
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
