import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ReceivableLens } from "../typechain-types";
import { acknowledgementNonce, nonceBitmapPosition, receivablesDomain, signAcknowledgement } from "../src/pure/eip712";
import { policyTuple } from "../src/pure/policy";
import { REASON } from "../src/pure/risk";
import { DAY, ENTITIES, GRACE_PERIOD, YEAR } from "./shared/fixtures";
import { POLICY_1, UNIT, poolFixture, type PoolFixture } from "./shared/pool";
import { invoiceInput, invoiceKey, numberHash, submit } from "./shared/receivables";
import { runs } from "./shared/runs";

/**
 * Issue 12, registry and risk-engine side: each rule below was bent by the party it judges on the code before
 * this change (the figures), and each test here fails on that code.
 */

const FACE = 100_000n * UNIT;
const TO_18 = 10n ** 12n;
const Status = { Submitted: 1n, Acknowledged: 2n, PartiallyPaid: 5n, Paid: 6n, Defaulted: 7n, Split: 8n } as const;

type F = PoolFixture & { lens: ReceivableLens };

async function rulesFixture(): Promise<F> {
  const f = await poolFixture();
  const lens = (await ethers.deployContract("ReceivableLens", [
    await f.receivables.getAddress(),
  ])) as unknown as ReceivableLens;
  // The supplier, the tier-2 supplier and an outsider hold tokens and approve the registry: they can try to pay.
  for (const s of [f.supplier, f.supplier2, f.tier2, f.outsider]) {
    await f.usd.mint(s.address, 1_000_000n * UNIT);
    await f.usd.connect(s).approve(await f.receivables.getAddress(), ethers.MaxUint256);
  }
  await f.usd.mint(f.buyer2.address, 1_000_000n * UNIT);
  await f.usd.connect(f.buyer2).approve(await f.receivables.getAddress(), ethers.MaxUint256);
  return { ...f, lens };
}

let serial = 0;
/** Submits as `seller` (and acknowledges as the buyer unless `submittedOnly`); returns the id. */
async function invoice(
  f: F,
  seller: HardhatEthersSigner,
  o: { amount?: bigint; dueInDays?: number; submittedOnly?: boolean; number?: string } = {},
): Promise<bigint> {
  const number = o.number ?? `R-${++serial}`;
  const input = await invoiceInput(f.usdAddress, {
    number,
    amount: o.amount ?? FACE,
    ...(o.dueInDays !== undefined ? { dueDate: (await time.latest()) + o.dueInDays * DAY } : {}),
  });
  const id = await submit(f.receivables, seller, input);
  if (!o.submittedOnly) await (await f.receivables.connect(f.buyer).acknowledge(id)).wait();
  return id;
}

/** Splits `id` as `holder` and returns the children's ids. */
async function split(f: F, holder: HardhatEthersSigner, id: bigint, amounts: bigint[]): Promise<bigint[]> {
  const first = await f.receivables.connect(holder).split.staticCall(id, amounts);
  await (await f.receivables.connect(holder).split(id, amounts)).wait();
  return amounts.map((_, i) => first + BigInt(i));
}

async function pdOf(f: F, id: bigint) {
  const a = await f.riskEngine.assessForPool(id, await f.pool1.getAddress());
  return { pd: a.pdBps, grade: a.grade, rate: a.advanceRateBps, maxAdvance: a.maxAdvance, reasons: a.reasonCodes };
}

describe("Issue 12: rules the judged parties cannot bend (registry, risk engine)", function () {
  describe("1. a payment by a third party cannot take away what the holder can do", function () {
    it("an outsider's 1-unit payment is refused and the receivable stays financeable and splittable", async function () {
      const f = await loadFixture(rulesFixture);
      const id = await invoice(f, f.supplier);
      await expect(f.receivables.connect(f.outsider).pay(id, 1n))
        .to.be.revertedWithCustomError(f.receivables, "ReceivableNotBuyerPayer")
        .withArgs(id, f.outsider.address);
      expect((await f.lens.receivable(id)).status).to.equal(Status.Acknowledged);
      expect((await pdOf(f, id)).maxAdvance).to.be.greaterThan(0n);
      expect((await f.riskEngine.assessForPool(id, await f.pool1.getAddress())).eligible).to.equal(true);
      await split(f, f.supplier, id, [FACE - 1n, 1n]);
    });

    it("neither the holder nor the supplier's other wallet can pay; every buyer wallet can, even suspended", async function () {
      const f = await loadFixture(rulesFixture);
      const id = await invoice(f, f.supplier);
      for (const s of [f.supplier, f.supplier2, f.tier2, f.bank]) {
        await expect(f.receivables.connect(s).pay(id, 1n)).to.be.revertedWithCustomError(
          f.receivables,
          "ReceivableNotBuyerPayer",
        );
      }
      await (await f.receivables.connect(f.buyer2).pay(id, 10n * UNIT)).wait();
      await (await f.registry.connect(f.onboarder).suspend(ENTITIES.buyer, ethers.encodeBytes32String("KYC"))).wait();
      await (await f.receivables.connect(f.buyer).pay(id, FACE - 10n * UNIT)).wait();
      expect((await f.lens.receivable(id)).status).to.equal(Status.Paid);
    });
  });

  describe("2. the buyer's record counts original invoices by amount; dilution counts what buyers decided", function () {
    it("split-and-self-pay washing: refused, and tiny children paid by the buyer move nothing", async function () {
      const f = await loadFixture(rulesFixture);
      // History: the buyer paid one 100,000 invoice 30 days late.
      const late = await invoice(f, f.tier2, { dueInDays: 10 });
      await time.increase(40 * DAY);
      await (await f.receivables.connect(f.buyer).pay(late, FACE)).wait();
      const reference = await invoice(f, f.tier2);
      const before = await pdOf(f, reference);

      const target = await invoice(f, f.supplier);
      const kids = await split(f, f.supplier, target, [FACE - 7n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]);
      for (const kid of kids.slice(1)) {
        await expect(f.receivables.connect(f.supplier).pay(kid, 1n)).to.be.revertedWithCustomError(
          f.receivables,
          "ReceivableNotBuyerPayer",
        );
      }
      // Even the buyer paying the seven 1-unit children on time is 7 units on time, not 7 on-time invoices.
      for (const kid of kids.slice(1)) await (await f.receivables.connect(f.buyer).pay(kid, 1n)).wait();
      const record = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(record.paidOnTimeCount).to.equal(0n);
      expect(record.paidLateCount).to.equal(1n);
      expect(record.paidOnTimeAmount).to.equal(7n * TO_18);
      const after = await pdOf(f, reference);
      expect(after.pd).to.equal(before.pd);
      expect(after.grade).to.equal(before.grade);
      expect(after.maxAdvance).to.equal(before.maxAdvance);
    });

    it("one late invoice split into children counts as one late invoice, weighted by its amount", async function () {
      const f = await loadFixture(rulesFixture);
      const id = await invoice(f, f.supplier, { dueInDays: 10 });
      const kids = await split(f, f.supplier, id, Array(8).fill(FACE / 8n));
      await time.increase(15 * DAY); // 5 days late: rounded up per payment
      for (const kid of kids) await (await f.receivables.connect(f.buyer).pay(kid, FACE / 8n)).wait();
      const r = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(r.paidLateCount).to.equal(1n);
      expect(r.paidLateAmount).to.equal(FACE * TO_18);
      expect(r.lateAmountDays).to.be.within(5n * FACE * TO_18, 6n * FACE * TO_18);
      expect(r.acknowledgedCount).to.equal(1n);
      expect((await f.lens.receivable(id)).paidAmount).to.equal(FACE); // the root holds its family's payments
    });

    it("one invoice split into children that all default counts as one default of its amount", async function () {
      const f = await loadFixture(rulesFixture);
      const id = await invoice(f, f.supplier, { dueInDays: 10 });
      const kids = await split(f, f.supplier, id, Array(8).fill(FACE / 8n));
      await time.increase(10 * DAY + GRACE_PERIOD + 1);
      for (const kid of kids) await (await f.receivables.connect(f.supplier).markDefaulted(kid)).wait();
      const r = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(r.defaultCount).to.equal(1n);
      expect(r.defaultedAmount).to.equal(FACE * TO_18);
      expect(await f.lens.rootDefaulted(id)).to.equal(true);
      // A full recovery of the family adds no on-time or late count.
      for (const kid of kids) await (await f.receivables.connect(f.buyer).pay(kid, FACE / 8n)).wait();
      const after = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(after.paidOnTimeCount + after.paidLateCount).to.equal(0n);
      expect(after.recoveredAmount).to.equal(FACE * TO_18);
    });

    it("fifty junk submissions nobody acknowledges leave the seller's dilution where it was", async function () {
      const f = await loadFixture(rulesFixture);
      const reference = await invoice(f, f.tier2);
      for (let i = 0; i < 2; i++) {
        const r = await invoice(f, f.tier2, { submittedOnly: true });
        await (await f.receivables.connect(f.buyer).reject(r, ethers.encodeBytes32String("not ours"))).wait();
      }
      const before = await pdOf(f, reference);
      expect(before.reasons & REASON.HIGH_DILUTION).to.equal(REASON.HIGH_DILUTION); // 2/3 by amount
      const batch = [];
      for (let i = 0; i < 50; i++) batch.push(await invoiceInput(f.usdAddress, { number: `JUNK-${i}`, amount: FACE }));
      await (await f.receivables.connect(f.tier2).submitBatch(batch)).wait();
      const after = await pdOf(f, reference);
      expect(after.pd).to.equal(before.pd);
      expect(after.reasons).to.equal(before.reasons);
    });

    it("property: no sequence of supplier-only actions improves the buyer's grade, PD or advance rate", async function () {
      this.timeout(900_000);
      const f = await loadFixture(rulesFixture);
      // A receivable of another seller (buyer-level effects) and one of the acting supplier that its actions
      // never touch (seller-level effects: dilution).
      const other = await invoice(f, f.tier2);
      const own = await invoice(f, f.supplier, { number: "OWN-REFERENCE" });
      const ownWallets = [f.supplier, f.supplier2];
      const baseline = [await pdOf(f, other), await pdOf(f, own)];
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      let snap = snapshot;

      const action = fc.oneof(
        fc.record({ kind: fc.constant("submit" as const), ack: fc.boolean(), amount: fc.bigInt(1n, FACE) }),
        fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
        fc.record({ kind: fc.constant("split" as const), pick: fc.nat(), parts: fc.integer({ min: 2, max: 8 }) }),
        fc.record({ kind: fc.constant("transfer" as const), pick: fc.nat(), to: fc.nat(1) }),
        fc.record({
          kind: fc.constant("pay" as const),
          pick: fc.nat(),
          wallet: fc.nat(1),
          amount: fc.bigInt(1n, FACE),
        }),
        fc.record({ kind: fc.constant("withdraw" as const), wallet: fc.nat(1) }),
      );
      let sequences = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 6 }), async (actions) => {
          await ethers.provider.send("evm_revert", [snap]);
          snap = await ethers.provider.send("evm_snapshot", []);
          sequences++;
          const mine: bigint[] = [];
          const pick = (n: number) => (mine.length ? mine[n % mine.length] : undefined);
          for (const a of actions) {
            const wallet = "wallet" in a ? ownWallets[a.wallet] : f.supplier;
            const id = "pick" in a ? pick(a.pick) : undefined;
            try {
              if (a.kind === "submit") {
                mine.push(await invoice(f, f.supplier, { amount: a.amount, submittedOnly: !a.ack }));
              } else if (a.kind === "cancel" && id !== undefined) {
                await (await f.receivables.connect(f.supplier).cancel(id)).wait();
              } else if (a.kind === "split" && id !== undefined) {
                const out = await f.lens.receivable(id);
                const left = out.faceAmount - out.paidAmount;
                if (left < BigInt(a.parts)) continue;
                const amounts = Array(a.parts - 1).fill(1n);
                amounts.unshift(left - BigInt(a.parts - 1));
                const holder = (await f.receivables.ownerOf(id)) === f.supplier2.address ? f.supplier2 : f.supplier;
                mine.push(...(await split(f, holder, id, amounts)));
              } else if (a.kind === "transfer" && id !== undefined) {
                const holder = (await f.receivables.ownerOf(id)) === f.supplier2.address ? f.supplier2 : f.supplier;
                const to = ownWallets[a.to];
                await (await f.receivables.connect(holder).transferFrom(holder.address, to.address, id)).wait();
              } else if (a.kind === "pay" && id !== undefined) {
                await (await f.receivables.connect(wallet).pay(id, a.amount)).wait();
                throw new Error(`a supplier wallet paid receivable ${id}`);
              } else if (a.kind === "withdraw") {
                await (await f.receivables.connect(wallet).withdraw(f.usdAddress, wallet.address)).wait();
              }
            } catch (e) {
              if (e instanceof Error && e.message.startsWith("a supplier wallet paid")) throw e;
              // Refusals (wrong status, nothing to withdraw, not payable by the supplier) are part of the search.
            }
          }
          const now = [await pdOf(f, other), await pdOf(f, own)];
          for (let i = 0; i < 2; i++) {
            expect(now[i].pd, "PD").to.be.at.least(baseline[i].pd);
            expect(now[i].grade, "grade").to.be.at.least(baseline[i].grade);
            expect(now[i].rate, "advance rate").to.be.at.most(baseline[i].rate);
            expect(now[i].maxAdvance, "advance").to.be.at.most(baseline[i].maxAdvance);
          }
        }),
        { numRuns: runs(300), seed: Number(process.env.FUZZ_SEED ?? 12) || undefined },
      );
      await ethers.provider.send("evm_revert", [snap]);
      expect(sequences).to.be.at.least(runs(300));
    });
  });

  describe("7. acknowledgement signatures are independent and revocable", function () {
    async function signFor(f: F, signer: HardhatEthersSigner, id: bigint, number: string, nonce?: bigint) {
      const r = await f.lens.receivable(id);
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash(number));
      const { chainId } = await ethers.provider.getNetwork();
      const domain = receivablesDomain(chainId, await f.receivables.getAddress());
      const deadline = BigInt(await time.latest()) + 3600n;
      const n = nonce ?? acknowledgementNonce(key);
      const message = { id, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, nonce: n, deadline };
      return { key, nonce: n, deadline, signature: await signAcknowledgement(signer, domain, message) };
    }

    it("a signature the supplier never relays blocks no later one", async function () {
      const f = await loadFixture(rulesFixture);
      const a = await invoice(f, f.supplier, { submittedOnly: true, number: "SIG-A" });
      const b = await invoice(f, f.supplier, { submittedOnly: true, number: "SIG-B" });
      const sa = await signFor(f, f.buyer, a, "SIG-A");
      const sb = await signFor(f, f.buyer, b, "SIG-B");
      await (
        await f.receivables.connect(f.supplier).acknowledgeWithSig(b, sb.key, sb.nonce, sb.deadline, sb.signature)
      ).wait();
      await (
        await f.receivables.connect(f.supplier).acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature)
      ).wait();
      expect((await f.lens.receivable(a)).status).to.equal(Status.Acknowledged);
      expect((await f.lens.receivable(b)).status).to.equal(Status.Acknowledged);
      // Replay is impossible without a consumed nonce: the receivable is no longer Submitted.
      await expect(
        f.receivables.acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature),
      ).to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidStatus");
    });

    it("the buyer cancels a signature it gave; other wallets' and other nonces' signatures stay valid", async function () {
      const f = await loadFixture(rulesFixture);
      const a = await invoice(f, f.supplier, { submittedOnly: true, number: "SIG-C" });
      const sa = await signFor(f, f.buyer, a, "SIG-C");
      const { wordPos, mask } = nonceBitmapPosition(sa.nonce);
      await expect(f.receivables.connect(f.buyer).revokeAcknowledgementNonces(wordPos, mask))
        .to.emit(f.receivables, "AcknowledgementNoncesRevoked")
        .withArgs(f.buyer.address, wordPos, mask);
      expect(await f.lens.nonceRevoked(f.buyer.address, sa.nonce)).to.equal(true);
      await expect(f.receivables.acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature))
        .to.be.revertedWithCustomError(f.receivables, "ReceivableNonceRevoked")
        .withArgs(f.buyer.address, sa.nonce);
      // The same invoice signed by the buyer's other wallet (whose nonces were not revoked) still works.
      const s2 = await signFor(f, f.buyer2, a, "SIG-C");
      await (await f.receivables.acknowledgeWithSig(a, s2.key, s2.nonce, s2.deadline, s2.signature)).wait();
      expect((await f.lens.receivable(a)).status).to.equal(Status.Acknowledged);
      // Revoking is the signer's own business: an outsider revoking touches only its own bitmap.
      await (await f.receivables.connect(f.outsider).revokeAcknowledgementNonces(wordPos, mask)).wait();
      expect(await f.lens.nonceRevoked(f.buyer2.address, sa.nonce)).to.equal(false);
    });
  });

  describe("8. small gaps", function () {
    it("ReceivableSplit carries the root, the first child and every child's amount", async function () {
      const f = await loadFixture(rulesFixture);
      const id = await invoice(f, f.supplier);
      const first = (await f.lens.totalMinted()) + 1n;
      await expect(f.receivables.connect(f.supplier).split(id, [FACE - 5n, 5n]))
        .to.emit(f.receivables, "ReceivableSplit")
        .withArgs(id, id, first, [FACE - 5n, 5n]);
      await expect(f.receivables.connect(f.supplier).split(first, [FACE - 10n, 5n]))
        .to.emit(f.receivables, "ReceivableSplit")
        .withArgs(first, id, first + 2n, [FACE - 10n, 5n]);
    });

    it("a grace-period change never reaches receivables already submitted, in either direction", async function () {
      const f = await loadFixture(rulesFixture);
      const old = await invoice(f, f.supplier, { dueInDays: 10 });
      // Shortened: the holder may not default the old receivable earlier than its terms allowed.
      await expect(f.receivables.connect(f.admin).setDefaultGracePeriod(DAY))
        .to.emit(f.receivables, "DefaultGracePeriodSet")
        .withArgs(GRACE_PERIOD, DAY, old + 1n);
      const fresh = await invoice(f, f.supplier, { dueInDays: 10 });
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

    it("a rating of PD 0 or below the floor is refused, and an unrated PD of 0 still means some risk", async function () {
      const f = await loadFixture(rulesFixture);
      const until = BigInt(await time.latest()) + BigInt(YEAR / 2);
      for (const pd of [0n, 2n]) {
        await expect(f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, pd, until))
          .to.be.revertedWithCustomError(f.riskEngine, "RiskPdOutOfRange")
          .withArgs(pd, 3n, 10_000n);
      }
      const id = await invoice(f, f.supplier);
      await time.increaseTo(f.ratingUntil + 1n); // the fixture's rating expires
      const a = await f.riskEngine.assess(id, policyTuple({ ...POLICY_1, unratedPdBps: 0n }), 0n);
      expect(a.pdBps).to.be.at.least(3n);
    });

    it("a rating's validity is bounded to 366 days", async function () {
      const f = await loadFixture(rulesFixture);
      const now = BigInt(await time.latest());
      const max = await f.riskEngine.MAX_RATING_VALIDITY();
      expect(max).to.equal(366n * BigInt(DAY));
      await expect(
        f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 150n, now + 10n * BigInt(YEAR)),
      ).to.be.revertedWithCustomError(f.riskEngine, "RiskRatingValidityTooLong");
      await (await f.riskEngine.connect(f.ratingAgent).setRating(ENTITIES.buyer, 150n, now + max)).wait();
    });

    it("each pool chooses the rating agent it accepts; only its owner can", async function () {
      const f = await loadFixture(rulesFixture);
      const [agent2] = (await ethers.getSigners()).slice(13);
      await (await f.registry.connect(f.admin).grantRole(await f.registry.RATING_AGENT_ROLE(), agent2.address)).wait();
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
      const id = await invoice(f, f.supplier);
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
