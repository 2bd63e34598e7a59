import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { REASON as RISK_REASON } from "../../src/pure/risk";
import { DAY, ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
import { runs } from "../shared/runs";
import {
  FACE,
  Status,
  TO_18,
  invoiceInput,
  pdOf,
  poolWorldFixture,
  splitInto,
  worldInvoice,
} from "../shared/receivables";

describe("ReceivableRegistry.records", () => {
  describe("Issue 12 item 2: the buyer's record counts original invoices by amount; dilution counts what buyers decided", function () {
    it("split-and-self-pay washing: refused, and tiny children paid by the buyer move nothing", async function () {
      const f = await loadFixture(poolWorldFixture);
      // History: the buyer paid one 100,000 invoice 30 days late.
      const late = await worldInvoice(f, f.tier2, { dueInDays: 10 });
      await time.increase(40 * DAY);
      await (await f.receivables.connect(f.buyer).pay(late, FACE)).wait();
      const reference = await worldInvoice(f, f.tier2);
      const before = await pdOf(f, reference);

      const target = await worldInvoice(f, f.supplier);
      const kids = await splitInto(f.receivables, f.supplier, target, [FACE - 7n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]);
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
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      const kids = await splitInto(f.receivables, f.supplier, id, Array(8).fill(FACE / 8n));
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
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      const kids = await splitInto(f.receivables, f.supplier, id, Array(8).fill(FACE / 8n));
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

    it("an unsplit invoice's default counts once and stays its family's default after a full recovery", async function () {
      const f = await loadFixture(poolWorldFixture);
      const id = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      const other = await worldInvoice(f, f.supplier, { dueInDays: 10 });
      await time.increase(10 * DAY + GRACE_PERIOD + 1);
      await (await f.receivables.connect(f.supplier).markDefaulted(id)).wait();
      const r = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(r.defaultCount).to.equal(1n);
      expect(r.defaultedAmount).to.equal(FACE * TO_18);
      expect(await f.lens.rootDefaulted(id)).to.equal(true);
      expect(await f.lens.rootDefaulted(other)).to.equal(false);
      // A partial recovery keeps it Defaulted; the full one makes it Paid and records the default in the bitmap.
      await (await f.receivables.connect(f.buyer).pay(id, FACE / 2n)).wait();
      expect(await f.lens.rootDefaulted(id)).to.equal(true);
      await (await f.receivables.connect(f.buyer).pay(id, FACE)).wait();
      expect((await f.lens.receivable(id)).status).to.equal(Status.Paid);
      expect(await f.lens.rootDefaulted(id)).to.equal(true);
      const after = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(after.defaultCount).to.equal(1n);
      expect(after.paidOnTimeCount + after.paidLateCount).to.equal(0n);
      expect(after.recoveredAmount).to.equal(FACE * TO_18);
      // The other invoice, paid late without a default, is a late payment and no family default.
      await (await f.receivables.connect(f.buyer).pay(other, FACE)).wait();
      expect(await f.lens.rootDefaulted(other)).to.equal(false);
      expect((await f.lens.buyerRecord(ENTITIES.buyer)).paidLateCount).to.equal(1n);
    });

    it("fifty junk submissions nobody acknowledges leave the seller's dilution where it was", async function () {
      const f = await loadFixture(poolWorldFixture);
      const reference = await worldInvoice(f, f.tier2);
      for (let i = 0; i < 2; i++) {
        const r = await worldInvoice(f, f.tier2, { submittedOnly: true });
        await (await f.receivables.connect(f.buyer).reject(r, ethers.encodeBytes32String("not ours"))).wait();
      }
      const before = await pdOf(f, reference);
      expect(before.reasons & RISK_REASON.HIGH_DILUTION).to.equal(RISK_REASON.HIGH_DILUTION); // 2/3 by amount
      const batch = [];
      for (let i = 0; i < 50; i++) batch.push(await invoiceInput(f.usdAddress, { number: `JUNK-${i}`, amount: FACE }));
      await (await f.receivables.connect(f.tier2).submitBatch(batch)).wait();
      const after = await pdOf(f, reference);
      expect(after.pd).to.equal(before.pd);
      expect(after.reasons).to.equal(before.reasons);
    });

    it("property: no sequence of supplier-only actions improves the buyer's grade, PD or advance rate", async function () {
      this.timeout(900_000);
      const f = await loadFixture(poolWorldFixture);
      // A receivable of another seller (buyer-level effects) and one of the acting supplier that its actions
      // never touch (seller-level effects: dilution).
      const other = await worldInvoice(f, f.tier2);
      const own = await worldInvoice(f, f.supplier, { number: "OWN-REFERENCE" });
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
                mine.push(await worldInvoice(f, f.supplier, { amount: a.amount, submittedOnly: !a.ack }));
              } else if (a.kind === "cancel" && id !== undefined) {
                await (await f.receivables.connect(f.supplier).cancel(id)).wait();
              } else if (a.kind === "split" && id !== undefined) {
                const out = await f.lens.receivable(id);
                const left = out.faceAmount - out.paidAmount;
                if (left < BigInt(a.parts)) continue;
                const amounts = Array(a.parts - 1).fill(1n);
                amounts.unshift(left - BigInt(a.parts - 1));
                const holder = (await f.receivables.ownerOf(id)) === f.supplier2.address ? f.supplier2 : f.supplier;
                mine.push(...(await splitInto(f.receivables, holder, id, amounts)));
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
});
