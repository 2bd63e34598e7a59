import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockStablecoin } from "../typechain-types";
import { entityId, Role } from "../src/pure/ids";
import { invoiceInput } from "./shared/receivables";
import { deployTradeFin } from "../src/hardhat/deploy";
import { standardPolicy } from "../src/pure/policy";
import {
  OVERDUE_BUCKETS,
  assembleReport,
  bucketOf,
  buildReport,
  daysPastDue,
  queryPaged,
  readReportInputs,
  reasonText,
  reportInputsFromJson,
  renderReport,
  reportContracts,
  reportToJson,
  type PortfolioReport,
} from "../src/chain/report";

const DAY = 24 * 3600;
const UNIT = 1_000_000n;
const GRACE = 30 * DAY;
/** Scale from 6-decimal base units to the buyer record's 18 decimals. */
const TO_18 = 10n ** 12n;

const REFS = {
  supplier: "LEI:5493005UPPL1ERTEST01",
  buyerA: "LEI:5299000BUYERATEST0001",
  buyerB: "USCC:91310000BUYERB0001",
  bankA: "LEI:549300BANKATEST00001",
  bankB: "LEI:549300BANKBTEST00001",
  regulator: "LEI:9845000REGULATOR0001",
} as const;
const NAMES: Record<string, string> = {
  [entityId(REFS.supplier)]: "Test Supplier",
  [entityId(REFS.buyerA)]: "Buyer A",
  [entityId(REFS.buyerB)]: "Buyer B",
};

/** Core, stablecoin and two pools in one Ignition deployment, participants onboarded and funded. */
async function reportFixture() {
  const [admin, onboarder, regulator, supplier, buyerA, buyerB, bankA, bankB, tier2] = await ethers.getSigners();
  const expiry = (await time.latest()) + 3 * 365 * DAY;
  const entity = (ref: string, roles: number, wallet: HardhatEthersSigner) => ({
    id: entityId(ref),
    roles,
    kycExpiry: expiry,
    wallets: [wallet.address],
  });
  const d = await deployTradeFin(hre, {
    core: { defaultGracePeriod: GRACE },
    localStablecoin: true,
    roles: { ONBOARDER_ROLE: [onboarder.address], RATING_AGENT_ROLE: [admin.address] },
    entities: [
      entity(REFS.supplier, Role.SUPPLIER, supplier),
      entity("LEI:TIER2SUPPLIERTEST01", Role.SUPPLIER, tier2),
      entity(REFS.buyerA, Role.BUYER, buyerA),
      entity(REFS.buyerB, Role.BUYER, buyerB),
      entity(REFS.bankA, Role.FINANCIER, bankA),
      entity(REFS.bankB, Role.FINANCIER, bankB),
      entity(REFS.regulator, Role.REGULATOR, regulator), // by the admin
    ],
    pools: {
      BankA: { manager: bankA.address, policy: standardPolicy(6), bankEntity: entityId(REFS.bankA) },
      BankB: { manager: bankB.address, policy: standardPolicy(6), bankEntity: entityId(REFS.bankB) },
    },
  });
  const { participants, receivables, riskEngine, lens } = d;
  const usd = d.stablecoin as MockStablecoin;
  const usdAddress = await usd.getAddress();
  const poolA = d.pools.BankA;
  const poolB = d.pools.BankB;

  for (const [bank, pool] of [
    [bankA, poolA],
    [bankB, poolB],
  ] as const) {
    await usd.mint(bank.address, 1_000_000n * UNIT);
    await usd.connect(bank).approve(await pool.getAddress(), 1_000_000n * UNIT);
    await pool.connect(bank).deposit(1_000_000n * UNIT);
    await receivables.connect(supplier).setApprovalForAll(await pool.getAddress(), true);
  }
  for (const buyer of [buyerA, buyerB]) {
    await usd.mint(buyer.address, 10_000_000n * UNIT);
    await usd.connect(buyer).approve(await receivables.getAddress(), ethers.MaxUint256);
  }
  // The report names each pool after its bank in the deployment: "BankA", "BankB".
  const contracts = reportContracts(d);
  return {
    contracts,
    participants,
    receivables,
    lens,
    riskEngine,
    poolA,
    poolB,
    usd,
    usdAddress,
    admin,
    regulator,
    supplier,
    tier2,
    buyerA,
    buyerB,
    bankA,
    bankB,
  };
}
type Fixture = Awaited<ReturnType<typeof reportFixture>>;

let invoiceCounter = 0;

/** Submits an invoice of `whole` tokens due in `dueInDays` and, unless `pending`, has the buyer acknowledge it. */
async function invoice(
  f: Fixture,
  buyer: HardhatEthersSigner,
  buyerRef: string,
  whole: bigint,
  dueInDays: number,
  pending = false,
): Promise<bigint> {
  const now = await time.latest();
  const id = (await f.lens.totalMinted()) + 1n;
  invoiceCounter += 1;
  const input = await invoiceInput(f.usdAddress, {
    number: `RPT-${invoiceCounter}`,
    buyerEntityId: entityId(buyerRef),
    amount: whole * UNIT,
    issueDate: now - DAY,
    dueDate: now + dueInDays * DAY,
    docHash: ethers.ZeroHash,
  });
  await f.receivables.connect(f.supplier).submit(input);
  if (!pending) await f.receivables.connect(buyer).acknowledge(id);
  return id;
}

const report = (f: Fixture, options: Parameters<typeof buildReport>[1] = {}) =>
  buildReport(f.contracts, { names: { entity: (id) => NAMES[id] }, ...options });

const buyerLine = (r: PortfolioReport, ref: string) => r.byBuyer.find((b) => b.buyerEntityId === entityId(ref));

describe("Portfolio report", () => {
  describe("helpers", () => {
    it("rounds days past due up, as the registry rounds days late", () => {
      expect(daysPastDue(1000, 1000)).to.equal(0);
      expect(daysPastDue(1000, 999)).to.equal(0);
      expect(daysPastDue(1000, 1001)).to.equal(1);
      expect(daysPastDue(1000, 1000 + DAY)).to.equal(1);
      expect(daysPastDue(1000, 1001 + DAY)).to.equal(2);
    });

    it("puts the bucket boundaries at 30, 60 and 90 days", () => {
      const cases: [number, string][] = [
        [1, "0–30 days"],
        [30, "0–30 days"],
        [31, "31–60 days"],
        [60, "31–60 days"],
        [61, "61–90 days"],
        [90, "61–90 days"],
        [91, "90+ days"],
        [10_000, "90+ days"],
      ];
      for (const [days, label] of cases) expect(OVERDUE_BUCKETS[bucketOf(days)][0], `${days} days`).to.equal(label);
    });

    it("shows a bytes32 reason as text when it is a short string and as hex otherwise", () => {
      expect(reasonText(ethers.encodeBytes32String("AML REVIEW"))).to.equal("AML REVIEW");
      const hash = ethers.id("not text");
      expect(reasonText(hash)).to.equal(hash);
    });
  });

  describe("an empty deployment", () => {
    it("reports no receivables, empty buckets and the pools' liquidity", async () => {
      const f = await loadFixture(reportFixture);
      const r = await report(f);
      expect(r.receivables).to.have.length(0);
      expect(r.byBuyer).to.have.length(0);
      expect(r.defaults.count).to.equal(0);
      expect(r.frozen).to.have.length(0);
      expect(r.overdue.map((b) => b.count)).to.deep.equal([0, 0, 0, 0]);
      expect(r.byBank.map((p) => p.liquidity)).to.deep.equal([1_000_000n * UNIT, 1_000_000n * UNIT]);
      expect(r.byBank.every((p) => p.largestBuyer === undefined)).to.equal(true);
      expect(r.block).to.equal(await ethers.provider.getBlockNumber());
    });
  });

  describe("exposure by buyer", () => {
    it("sums the outstanding face of open receivables per buyer, matching the buyer's on-chain record", async () => {
      const f = await loadFixture(reportFixture);
      const a1 = await invoice(f, f.buyerA, REFS.buyerA, 100_000n, 60);
      await invoice(f, f.buyerA, REFS.buyerA, 40_000n, 30);
      await invoice(f, f.buyerB, REFS.buyerB, 25_000n, 45);
      await f.receivables.connect(f.buyerA).pay(a1, 30_000n * UNIT);

      const r = await report(f);
      const a = buyerLine(r, REFS.buyerA)!;
      const b = buyerLine(r, REFS.buyerB)!;
      expect(a.outstanding).to.equal(110_000n * UNIT);
      expect(a.acknowledgedAmount).to.equal(140_000n * UNIT);
      expect(a.openCount).to.equal(2);
      expect(b.outstanding).to.equal(25_000n * UNIT);
      for (const [line, ref] of [
        [a, REFS.buyerA],
        [b, REFS.buyerB],
      ] as const) {
        const record = await f.lens.buyerRecord(entityId(ref));
        // The record keeps no outstanding amount: it is acknowledged − paid on time − paid late − recovered.
        const outstanding =
          record.acknowledgedAmount - record.paidOnTimeAmount - record.paidLateAmount - record.recoveredAmount;
        expect(line.outstanding * TO_18).to.equal(outstanding);
        expect(line.acknowledgedAmount * TO_18).to.equal(record.acknowledgedAmount);
      }
      expect(a.buyer).to.equal("Buyer A");
    });

    it("keeps invoices awaiting acknowledgement and rejected ones out of the outstanding amount", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 10_000n, 30);
      await invoice(f, f.buyerA, REFS.buyerA, 7_000n, 30, true);
      const rejected = await invoice(f, f.buyerA, REFS.buyerA, 3_000n, 30, true);
      await f.receivables.connect(f.buyerA).reject(rejected, ethers.encodeBytes32String("DISPUTE"));

      const a = buyerLine(await report(f), REFS.buyerA)!;
      expect(a.outstanding).to.equal(10_000n * UNIT);
      expect(a.pendingCount).to.equal(1);
      expect(a.pendingFace).to.equal(7_000n * UNIT);
      expect(a.acknowledgedAmount).to.equal(10_000n * UNIT);
    });

    it("counts split children instead of their closed parent, and names the parent", async () => {
      const f = await loadFixture(reportFixture);
      const parent = await invoice(f, f.buyerA, REFS.buyerA, 50_000n, 60);
      const first = (await f.lens.totalMinted()) + 1n;
      await f.receivables.connect(f.supplier).split(parent, [30_000n * UNIT, 20_000n * UNIT]);
      await f.receivables.connect(f.supplier).transferFrom(f.supplier.address, f.tier2.address, first + 1n);

      const r = await report(f, {
        names: { entity: (e) => NAMES[e], wallet: (w) => (w === f.tier2.address ? "Tier 2" : undefined) },
      });
      expect(r.receivables.map((l) => l.id)).to.deep.equal([parent, first, first + 1n]);
      expect(r.receivables.map((l) => l.status)).to.deep.equal(["Split", "Acknowledged", "Acknowledged"]);
      expect(r.receivables.map((l) => l.parentId)).to.deep.equal([0n, parent, parent]);
      expect(r.receivables[2].holderName).to.equal("Tier 2");
      // Without a wallet lookup, a holder is named after the entity its wallet is bound to.
      expect(r.receivables[1].holderName).to.equal("Test Supplier");
      const a = buyerLine(r, REFS.buyerA)!;
      expect(a.outstanding).to.equal(50_000n * UNIT);
      expect(a.openCount).to.equal(2);
      expect(a.acknowledgedAmount).to.equal(50_000n * UNIT);
    });

    it("shows each buyer's rating and whether it is still valid", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 1_000n, 30);
      await invoice(f, f.buyerB, REFS.buyerB, 1_000n, 30);
      const validUntil = (await time.latest()) + 10 * DAY;
      await f.riskEngine.setRating(entityId(REFS.buyerA), 150, validUntil);

      const before = await report(f);
      expect(buyerLine(before, REFS.buyerA)!.rating).to.deep.equal({ pdBps: 150n, validUntil, valid: true });
      expect(buyerLine(before, REFS.buyerB)!.rating).to.deep.equal({ pdBps: 0n, validUntil: 0, valid: false });
      await time.increaseTo(validUntil);
      expect(buyerLine(await report(f), REFS.buyerA)!.rating!.valid).to.equal(false);
    });
  });

  describe("overdue buckets", () => {
    it("puts each unpaid receivable in its bucket by whole days past due, boundaries included", async () => {
      const f = await loadFixture(reportFixture);
      // Due in 10, 40, 70 and 100 days; 130 days on, they are 120, 90, 60 and 30 days past due.
      const start = await time.latest();
      const ids = [];
      for (const [whole, days] of [
        [1_000n, 10],
        [2_000n, 40],
        [3_000n, 70],
        [4_000n, 100],
      ] as const) {
        ids.push(await invoice(f, f.buyerA, REFS.buyerA, whole, days));
      }
      const due0 = Number((await f.lens.receivable(ids[0])).dueDate);
      await time.increaseTo(due0 + 120 * DAY);

      const r = await report(f);
      expect(r.receivables.map((l) => l.daysPastDue)).to.deep.equal([120, 90, 60, 30]);
      expect(r.overdue.map((b) => b.count)).to.deep.equal([1, 1, 1, 1]);
      expect(r.overdue.map((b) => b.amount[f.usdAddress])).to.deep.equal(
        [4_000n, 3_000n, 2_000n, 1_000n].map((w) => w * UNIT),
      );
      expect(start).to.be.lessThan(r.timestamp);
    });

    it("counts the unpaid part of a partially paid receivable and leaves paid and current ones out", async () => {
      const f = await loadFixture(reportFixture);
      const partly = await invoice(f, f.buyerA, REFS.buyerA, 10_000n, 10);
      const paid = await invoice(f, f.buyerA, REFS.buyerA, 5_000n, 10);
      await invoice(f, f.buyerA, REFS.buyerA, 7_000n, 60);
      await f.receivables.connect(f.buyerA).pay(partly, 4_000n * UNIT);
      await time.increase(20 * DAY);
      await f.receivables.connect(f.buyerA).pay(paid, 5_000n * UNIT);

      const r = await report(f);
      expect(r.overdue[0].count).to.equal(1);
      expect(r.overdue[0].amount[f.usdAddress]).to.equal(6_000n * UNIT);
      expect(buyerLine(r, REFS.buyerA)!.overdue).to.equal(6_000n * UNIT);
      expect(buyerLine(r, REFS.buyerA)!.outstanding).to.equal(13_000n * UNIT);
      expect(r.totals[0].overdue).to.equal(6_000n * UNIT);
    });
  });

  describe("exposure by bank", () => {
    it("reads each pool's liquidity, advances, fees and exposure per buyer from its views", async () => {
      const f = await loadFixture(reportFixture);
      const a1 = await invoice(f, f.buyerA, REFS.buyerA, 60_000n, 60);
      const a2 = await invoice(f, f.buyerA, REFS.buyerA, 20_000n, 60);
      const b1 = await invoice(f, f.buyerB, REFS.buyerB, 30_000n, 60);
      const deadline = (await time.latest()) + 3600;
      await f.poolA.connect(f.supplier).finance(a1, 0, ethers.MaxUint256, deadline);
      await f.poolA.connect(f.supplier).finance(b1, 0, ethers.MaxUint256, deadline);
      await f.poolB.connect(f.supplier).finance(a2, 0, ethers.MaxUint256, deadline);

      const r = await report(f);
      const [pa, pb] = r.byBank;
      expect(pa.name).to.equal("BankA");
      expect(pa.liquidity).to.equal(await f.poolA.liquidity());
      expect(pa.outstandingAdvances).to.equal(await f.poolA.outstandingAdvances());
      expect(pa.financedCount).to.equal(2);
      expect(pa.byStatus).to.deep.equal({ Active: 2 });
      const exposureA = await f.poolA.buyerExposureOf(entityId(REFS.buyerA));
      const exposureB = await f.poolA.buyerExposureOf(entityId(REFS.buyerB));
      expect(pa.exposures.map((e) => [e.buyer, e.exposure])).to.deep.equal([
        ["Buyer A", exposureA],
        ["Buyer B", exposureB],
      ]);
      expect(pa.largestBuyer!.shareBps).to.equal((exposureA * 10_000n) / (exposureA + exposureB));
      expect(pb.largestBuyer!.shareBps).to.equal(10_000n);
      expect(buyerLine(r, REFS.buyerA)!.financed).to.equal(
        exposureA + (await f.poolB.buyerExposureOf(entityId(REFS.buyerA))),
      );
      expect(r.receivables.find((l) => l.id === a2)!.financedBy).to.equal("BankB");
      expect(r.receivables.find((l) => l.id === a2)!.holderName).to.equal("BankB pool");
      expect(r.totals[0].poolAdvances).to.equal(pa.outstandingAdvances + pb.outstandingAdvances);
    });

    it("shows fees earned once the buyer pays and the pool collects", async () => {
      const f = await loadFixture(reportFixture);
      const id = await invoice(f, f.buyerA, REFS.buyerA, 60_000n, 60);
      await f.poolA.connect(f.supplier).finance(id, 0, ethers.MaxUint256, (await time.latest()) + 3600);
      await f.receivables.connect(f.buyerA).pay(id, 60_000n * UNIT);
      await f.poolA.collect(id);

      const pa = (await report(f)).byBank[0];
      expect(pa.feesEarned).to.equal((await f.poolA.financing(id)).fee);
      expect(pa.feesEarned).to.be.greaterThan(0n);
      expect(pa.outstandingAdvances).to.equal(0n);
      expect(pa.byStatus).to.deep.equal({ Repaid: 1 });
      expect(pa.largestBuyer).to.equal(undefined);
    });
  });

  describe("defaults", () => {
    it("lists a written-off default with its amount, the pool's loss and later recoveries", async () => {
      const f = await loadFixture(reportFixture);
      const id = await invoice(f, f.buyerB, REFS.buyerB, 40_000n, 30);
      await f.poolA.connect(f.supplier).finance(id, 0, ethers.MaxUint256, (await time.latest()) + 3600);
      await f.receivables.connect(f.buyerB).pay(id, 10_000n * UNIT);
      const due = Number((await f.lens.receivable(id)).dueDate);
      await time.increaseTo(due + GRACE + DAY);
      await f.poolA.connect(f.bankA).writeOff(id);

      const r1 = await report(f);
      expect(r1.defaults.count).to.equal(1);
      const d = r1.defaults.items[0];
      expect(d.id).to.equal(id);
      expect(d.amount).to.equal(30_000n * UNIT);
      expect(d.recovered).to.equal(0n);
      expect(d.declaredBy).to.equal("BankA pool");
      expect(d.writtenOff).to.deep.equal({ pool: "BankA", loss: await f.poolA.losses() });
      expect(r1.defaults.poolLosses[f.usdAddress]).to.equal(await f.poolA.losses());
      expect(buyerLine(r1, REFS.buyerB)!.defaulted).to.equal(30_000n * UNIT);
      expect(buyerLine(r1, REFS.buyerB)!.record.defaultCount).to.equal(1n);

      await f.receivables.connect(f.buyerB).pay(id, 12_000n * UNIT);
      await f.poolA.collect(id);
      const r2 = await report(f);
      expect(r2.defaults.items[0].recovered).to.equal(12_000n * UNIT);
      expect(r2.defaults.recovered[f.usdAddress]).to.equal(12_000n * UNIT);
      expect(r2.defaults.poolLosses[f.usdAddress]).to.equal(await f.poolA.losses());
      expect(r2.defaults.poolLosses[f.usdAddress]).to.be.lessThan(r1.defaults.poolLosses[f.usdAddress]);
    });
  });

  describe("concentration", () => {
    it("gives each buyer's share of the outstanding total and the Herfindahl index", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 75_000n, 30);
      await invoice(f, f.buyerB, REFS.buyerB, 25_000n, 30);

      const c = (await report(f)).concentration;
      expect(c.buyers.map((b) => [b.buyer, b.shareBps])).to.deep.equal([
        ["Buyer A", 7_500n],
        ["Buyer B", 2_500n],
      ]);
      // 0.75² + 0.25² = 0.625
      expect(c.hhiBps[f.usdAddress]).to.equal(6_250n);
    });
  });

  describe("frozen receivables", () => {
    it("lists a frozen receivable with the regulator's reason and drops it once unfrozen", async () => {
      const f = await loadFixture(reportFixture);
      const id = await invoice(f, f.buyerA, REFS.buyerA, 5_000n, 30);
      await f.receivables.connect(f.regulator).freeze(id, ethers.encodeBytes32String("AML REVIEW"));

      const names = {
        entity: (e: string) => NAMES[e],
        wallet: (w: string) => (w === f.regulator.address ? "FSA" : undefined),
      };
      const frozen = (await report(f, { names })).frozen;
      expect(frozen).to.have.length(1);
      expect(frozen[0]).to.include({ id, reason: "AML REVIEW", by: "FSA", buyer: "Buyer A" });
      expect(frozen[0].frozenAt).to.equal(await time.latest());

      await f.receivables.connect(f.regulator).unfreeze(id);
      expect((await report(f)).frozen).to.have.length(0);
    });
  });

  describe("block range", () => {
    it("leaves out receivables created before fromBlock", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 1_000n, 30);
      const from = (await ethers.provider.getBlockNumber()) + 1;
      const later = await invoice(f, f.buyerA, REFS.buyerA, 2_000n, 30);
      const r = await report(f, { fromBlock: from });
      expect(r.fromBlock).to.equal(from);
      expect(r.receivables.map((l) => l.id)).to.deep.equal([later]);
    });

    it("still shows a pool's exposure to a known buyer financed before fromBlock", async () => {
      const f = await loadFixture(reportFixture);
      const early = await invoice(f, f.buyerA, REFS.buyerA, 10_000n, 30);
      await f.poolA.connect(f.supplier).finance(early, 0, ethers.MaxUint256, (await time.latest()) + 3600);
      const from = (await ethers.provider.getBlockNumber()) + 1;
      await invoice(f, f.buyerA, REFS.buyerA, 2_000n, 30);

      const pa = (await report(f, { fromBlock: from })).byBank[0];
      expect(pa.financedCount).to.equal(0);
      expect(pa.exposures.map((e) => [e.buyer, e.exposure])).to.deep.equal([
        ["Buyer A", await f.poolA.buyerExposureOf(entityId(REFS.buyerA))],
      ]);
      expect(pa.exposures[0].exposure).to.be.greaterThan(0n);
    });

    it("describes the chain as it was at toBlock", async () => {
      const f = await loadFixture(reportFixture);
      const id = await invoice(f, f.buyerA, REFS.buyerA, 8_000n, 30);
      const at = await ethers.provider.getBlockNumber();
      await f.receivables.connect(f.buyerA).pay(id, 8_000n * UNIT);
      await invoice(f, f.buyerB, REFS.buyerB, 1_000n, 30);
      await mine(2);

      const past = await report(f, { toBlock: at });
      expect(past.block).to.equal(at);
      expect(past.receivables.map((l) => [l.id, l.status])).to.deep.equal([[id, "Acknowledged"]]);
      expect(past.totals[0].outstanding).to.equal(8_000n * UNIT);
      const nowReport = await report(f);
      expect(nowReport.receivables.find((l) => l.id === id)!.status).to.equal("Paid");
    });

    it("reads events in pages of logPageBlocks blocks and gets the same report as one scan", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 8_000n, 30);
      const split = await invoice(f, f.buyerB, REFS.buyerB, 3_000n, 30);
      await f.receivables.connect(f.supplier).split(split, [1_000n * UNIT, 2_000n * UNIT]);
      await mine(5);
      const calls: [number, number][] = [];
      const whole = await report(f, { logPageBlocks: 1_000_000 });
      const paged = await report(f, { logPageBlocks: 1 });
      expect(reportToJson(paged)).to.equal(reportToJson(whole));
      expect(paged.receivables).to.have.length(4); // the closed parent and its two children
      await queryPaged(async (a, b) => (calls.push([a, b]), []), 3, 9, 3);
      expect(calls).to.deep.equal([
        [3, 5],
        [6, 8],
        [9, 9],
      ]);
      const refused = await queryPaged(async () => [], 0, 1, 0).catch((e: Error) => e.message);
      expect(refused).to.equal("log page size must be ≥ 1 block, got 0");
    });

    it("assembles the same report from inputs that went through the indexer's JSON wire format", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 8_000n, 30);
      const inputs = await readReportInputs(f.contracts);
      const wire = reportInputsFromJson(
        JSON.parse(JSON.stringify(inputs, (_k, v) => (typeof v === "bigint" ? `${v}` : v))),
      );
      const poolNames = await Promise.all(
        f.contracts.pools.map(async (p) => [await p.pool.getAddress(), p.name] as const),
      );
      const names = { entity: (id: string) => NAMES[id] };
      expect(reportToJson(assembleReport(wire, { names, poolNames }))).to.equal(
        reportToJson(assembleReport(inputs, { names, poolNames })),
      );
      expect(reportToJson(assembleReport(inputs, { names, poolNames }))).to.equal(reportToJson(await report(f)));
    });
  });

  describe("output", () => {
    it("writes bigints as decimal strings in JSON", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 123_456n, 30);
      const r = await report(f);
      const json = JSON.parse(reportToJson(r));
      expect(json.byBuyer[0].outstanding).to.equal((123_456n * UNIT).toString());
      expect(json.chainId).to.equal(r.chainId.toString());
      expect(json.byBank[0].liquidity).to.equal(r.byBank[0].liquidity.toString());
      expect(json.receivables[0].id).to.equal("1");
    });

    it("renders every section with amounts in the token's symbol, and the receivables only when asked", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerA, REFS.buyerA, 123_456n, 30);
      const r = await report(f);
      const text = renderReport(r);
      for (const title of [
        "Totals",
        "Exposure by buyer",
        "Exposure by bank",
        "Overdue",
        "Defaults",
        "Concentration",
        "Frozen receivables",
      ]) {
        expect(text).to.contain(`\n${title}`);
      }
      expect(text).to.contain("123,456.00 tUSD");
      expect(text).to.contain("Buyer A");
      expect(text).to.not.contain("\nReceivables\n");
      expect(renderReport(r, { receivables: true })).to.contain("\nReceivables\n");
      expect(text).to.not.match(/\x1b\[/); // no colour codes
    });

    it("falls back to shortened ids when no name is known", async () => {
      const f = await loadFixture(reportFixture);
      await invoice(f, f.buyerB, REFS.buyerB, 1_000n, 30);
      const r = await buildReport(f.contracts);
      const id = entityId(REFS.buyerB);
      expect(r.byBuyer[0].buyer).to.equal(`${id.slice(0, 6)}…${id.slice(-4)}`);
    });
  });
});
