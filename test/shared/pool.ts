import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Result } from "ethers";
import type { FinancingPool, IReceivableRegistry, MockStablecoin } from "../../typechain-types";
import { entityId, Role } from "../../src/pure/ids";
import { standardPolicy } from "../../src/pure/policy";
import { assess, assessmentFromChain, type Assessment, type RiskInputs, type RiskPolicy } from "../../src/pure/risk";
import {
  PoolModel,
  identitySides,
  needsApproval,
  termsFromAssessment,
  type PoolViews,
  type Terms,
} from "../../src/pure/pool";
import { deployTradeFin } from "../../src/hardhat/deploy";
import { DAY, ENTITIES, YEAR, actorEntities, baseDeployment, contractsOf, namedSigners } from "./fixtures";
import { invoiceInput, submit } from "./receivables";

/** One unit of the 6-decimal test stablecoin. */
export const UNIT = 1_000_000n;
/** Liquidity each bank's manager deposits in the fixture. */
export const POOL_LIQUIDITY = 2_000_000n * UNIT;
/** The buyer's rated annual PD in the fixture: grade B under the standard policy. */
export const BUYER_PD_BPS = 150n;

export const BANK2 = entityId("LEI:BANK0000000000000000002");
export const TIER2 = entityId("LEI:TIER2SUPPLIER0000000001");

/** Bank 1: the standard policy, no recourse. */
export const POLICY_1: RiskPolicy = standardPolicy(6);
/** Bank 2: the standard policy with recourse to the supplier. */
export const POLICY_2: RiskPolicy = standardPolicy(6, { recourse: true });

/**
 * Core + two pools deployed through deployTradeFin, the actors of onboardedFixture onboarded the same way, a second
 * FINANCIER entity (bank 2) and a tier-2 supplier entity; each pool bound to its bank's entity and funded with
 * POOL_LIQUIDITY; the buyer rated, funded and approving the registry; the suppliers approving both pools.
 */
export async function poolFixture() {
  const a = await namedSigners();
  const { ratingAgent, supplier, supplier2, buyer, bank } = a;
  const [bank2, tier2] = (await ethers.getSigners()).slice(11);
  const expiry = (await time.latest()) + 2 * YEAR;
  const deployed = await deployTradeFin(hre, {
    ...baseDeployment(a),
    entities: [
      ...actorEntities(a, expiry),
      { id: BANK2, roles: Role.FINANCIER, kycExpiry: expiry, wallets: [bank2.address] },
      { id: TIER2, roles: Role.SUPPLIER, kycExpiry: expiry, wallets: [tier2.address] },
    ],
    pools: {
      Bank1: { manager: bank.address, policy: POLICY_1, bankEntity: ENTITIES.bank },
      Bank2: { manager: bank2.address, policy: POLICY_2, bankEntity: BANK2 },
    },
  });
  const { receivables, riskEngine } = deployed;
  const usd = deployed.stablecoin as MockStablecoin;
  const usdAddress = await usd.getAddress();
  const pool1 = deployed.pools.Bank1;
  const pool2 = deployed.pools.Bank2;

  // Each pool is a wallet of its bank's FINANCIER entity, funded by its manager.
  const pools: [FinancingPool, HardhatEthersSigner][] = [
    [pool1, bank],
    [pool2, bank2],
  ];
  for (const [pool, manager] of pools) {
    const poolAddress = await pool.getAddress();
    await usd.mint(manager.address, POOL_LIQUIDITY);
    await usd.connect(manager).approve(poolAddress, ethers.MaxUint256);
    await pool.connect(manager).deposit(POOL_LIQUIDITY);
    for (const s of [supplier, supplier2, tier2]) {
      await receivables.connect(s).setApprovalForAll(poolAddress, true);
      await usd.connect(s).approve(poolAddress, ethers.MaxUint256);
    }
  }

  await usd.mint(buyer.address, 100_000_000n * UNIT);
  await usd.connect(buyer).approve(await receivables.getAddress(), ethers.MaxUint256);
  const ratingUntil = BigInt(await time.latest()) + BigInt(YEAR);
  await riskEngine.connect(ratingAgent).setRating(ENTITIES.buyer, BUYER_PD_BPS, ratingUntil);

  return {
    ...contractsOf(deployed),
    usdAddress,
    pool1,
    pool2,
    ...a,
    bank2,
    tier2,
    expiry,
    ratingUntil,
  };
}

export type PoolFixture = Awaited<ReturnType<typeof poolFixture>>;

/** Submits an invoice as `seller` and has the buyer acknowledge it; returns the id and its input. */
export async function acknowledgedReceivable(
  f: PoolFixture,
  seller: HardhatEthersSigner,
  overrides: Partial<IReceivableRegistry.InvoiceInputStruct> & { number?: string } = {},
): Promise<{ id: bigint; input: IReceivableRegistry.InvoiceInputStruct }> {
  const input = await invoiceInput(f.usdAddress, overrides);
  const id = await submit(f.receivables, seller, input);
  await (await f.receivables.connect(f.buyer).acknowledge(id)).wait();
  return { id, input };
}

/** A model pool that starts where the fixture leaves each pool: POOL_LIQUIDITY deposited. */
export function fundedModel(recourse: boolean): PoolModel {
  const m = new PoolModel(recourse);
  m.deposit(POOL_LIQUIDITY);
  return m;
}

/** The pool's accounting views. */
export async function poolViews(pool: FinancingPool): Promise<PoolViews> {
  const [liquidity, committed, outstandingAdvances, feesEarned, losses, totalDeposits, totalWithdrawals] =
    await Promise.all([
      pool.liquidity(),
      pool.committed(),
      pool.outstandingAdvances(),
      pool.feesEarned(),
      pool.losses(),
      pool.totalDeposits(),
      pool.totalWithdrawals(),
    ]);
  return { liquidity, committed, outstandingAdvances, feesEarned, losses, totalDeposits, totalWithdrawals };
}

/**
 * Checks the accounting identity (liquidity + outstandingAdvances = deposits − withdrawals + fees − losses)
 * and that the pool's token balance covers liquidity plus the reserves owed to `suppliers`.
 */
export async function expectSolvent(
  pool: FinancingPool,
  usd: MockStablecoin,
  suppliers: readonly string[],
  step: string,
): Promise<void> {
  const v = await poolViews(pool);
  const { lhs, rhs } = identitySides(v);
  expect(lhs, `identity after ${step}`).to.equal(rhs);
  let reserves = 0n;
  for (const s of suppliers) reserves += await pool.reserveOf(s);
  const balance = await usd.balanceOf(await pool.getAddress());
  expect(balance >= v.liquidity + reserves, `balance ${balance} covers liquidity + reserves after ${step}`).to.equal(
    true,
  );
}

/** Checks every accounting view, the token balance, the reserves and the buyer exposure against the model. */
export async function expectMatchesModel(
  pool: FinancingPool,
  usd: MockStablecoin,
  model: PoolModel,
  step: string,
): Promise<void> {
  expect(await poolViews(pool), `views after ${step}`).to.deep.equal(model.views());
  expect(await usd.balanceOf(await pool.getAddress()), `token balance after ${step}`).to.equal(model.balance);
  for (const [supplier, reserve] of model.reserves) {
    expect(await pool.reserveOf(supplier), `reserve of ${supplier} after ${step}`).to.equal(reserve);
  }
  for (const [buyer, exposure] of model.buyerExposure) {
    expect(await pool.buyerExposureOf(buyer), `exposure to ${buyer} after ${step}`).to.equal(exposure);
  }
}

/** The risk engine's inputs for receivable `id` as the chain sees them now (for src/pure/risk.ts). */
export async function chainInputs(
  f: PoolFixture,
  id: bigint,
  buyerExposure: bigint,
  nowTimestamp?: bigint,
): Promise<RiskInputs> {
  const d = await f.receivables.riskDataOf(id);
  const rating = await f.riskEngine.rating(await f.participants.entityIdAt(d.buyerIndex));
  return {
    status: Number(d.status),
    frozen: d.frozen,
    nowTimestamp: nowTimestamp ?? BigInt(await time.latest()),
    dueDate: d.dueDate,
    outstanding: d.outstanding,
    ratingPdBps: rating.pdBps,
    ratingValidUntil: rating.validUntil,
    paidOnTimeCount: d.paidOnTimeCount,
    paidLateCount: d.paidLateCount,
    defaultCount: d.defaultCount,
    paidOnTimeAmount: d.paidOnTimeAmount,
    paidLateAmount: d.paidLateAmount,
    lateAmountDays: d.lateAmountDays,
    acknowledgedAmount: d.acknowledgedAmount,
    defaultedAmount: d.defaultedAmount,
    sellerAcknowledgedAmount: d.sellerAcknowledgedAmount,
    sellerRejectedAmount: d.sellerRejectedAmount,
    sellerCancelledAmount: d.sellerCancelledAmount,
    buyerExposure,
  };
}

/** The src/pure/risk.ts assessment of `id` under `policy` with the pool's current exposure, at `nowTimestamp`. */
export async function modelAssessment(
  f: PoolFixture,
  pool: FinancingPool,
  policy: RiskPolicy,
  id: bigint,
  nowTimestamp?: bigint,
): Promise<Assessment> {
  const r = await f.lens.receivable(id);
  const exposure = await pool.buyerExposure(r.buyerIndex);
  return assess(await chainInputs(f, id, exposure, nowTimestamp), policy);
}

/** The quote's money fields, for comparing with model terms. */
export function quoteTerms(q: Awaited<ReturnType<FinancingPool["quote"]>>): Terms {
  return {
    grade: Number(q.assessment.grade),
    advance: q.advance,
    fee: q.fee,
    net: q.netAdvance,
    reserve: q.reserve,
  };
}

/** A deadline far enough ahead for any test. */
export async function farDeadline(): Promise<bigint> {
  return BigInt(await time.latest()) + 10n * BigInt(YEAR);
}

/** The reason a manager gives when rejecting a request in the tests. */
export const REASON_TEXT = ethers.encodeBytes32String("limit reached");

/** A policy for tests that need approval: the standard one with a 50,000 auto-approval limit. */
export const APPROVAL_POLICY = standardPolicy(6, { autoApprovalLimit: 50_000n * UNIT });

/** The face amount of {@link largeRequestFixture}'s invoice: its 170,000 advance at grade B needs the manager. */
export const FACE = 200_000n * UNIT;

/** A decoded struct as a plain object (nested structs and arrays included). */
export function plain(x: unknown): Record<string, unknown> {
  return (x as Result).toObject(true);
}

export type Quote = Awaited<ReturnType<FinancingPool["quote"]>>;

/** Everything a failed call must leave untouched: pool views, records of `ids`, owners and token balances. */
export async function snapshot(f: PoolFixture, pool: FinancingPool, ids: bigint[], wallets: string[]) {
  const views = await poolViews(pool);
  const records = [];
  for (const id of ids) {
    records.push({
      financing: plain(await pool.financing(id)),
      request: plain(await pool.request(id)),
      owner: await f.receivables.ownerOf(id),
    });
  }
  const balances = [];
  for (const w of [...wallets, await pool.getAddress()]) balances.push(await f.usd.balanceOf(w));
  return { views, records, balances, policy: plain(await pool.policy()) };
}

/** Runs `refused` (which expects a revert) and checks that it left the {@link snapshot} of `pool` as it was. */
export async function expectUnchanged(
  f: PoolFixture,
  pool: FinancingPool,
  ids: bigint[],
  wallets: string[],
  refused: () => Promise<unknown>,
): Promise<void> {
  const before = await snapshot(f, pool, ids, wallets);
  await refused();
  expect(await snapshot(f, pool, ids, wallets)).to.deep.equal(before);
}

/** `supplier` asks `pool` to finance `id` with a deadline far ahead (no minimum net advance, no fee bound by default). */
export async function financeNow(
  pool: FinancingPool,
  supplier: HardhatEthersSigner,
  id: bigint,
  minNet = 0n,
  maxFee: bigint = ethers.MaxUint256,
) {
  return pool.connect(supplier).finance(id, minNet, maxFee, await farDeadline());
}

/** Financed event args for `terms`. */
export function financedArgs(id: bigint, supplier: string, buyerIndex: bigint, t: Terms) {
  return [id, supplier, buyerIndex, t.grade, t.advance, t.fee, t.net, t.reserve] as const;
}

/** The quote as plain values (ethers Results compare by content this way). */
export function plainQuote(q: Quote) {
  return {
    assessment: assessmentFromChain(q.assessment),
    ...quoteTerms(q),
    needsApproval: q.needsApproval,
    validUntil: q.validUntil,
  };
}

/** Terms the pool would give now, from its own quote, checked against src/pure/risk.ts and src/pure/pool.ts. */
export async function checkedTerms(
  f: PoolFixture,
  pool: FinancingPool,
  policy: RiskPolicy,
  id: bigint,
): Promise<Terms> {
  const q = await pool.quote(id);
  expect(assessmentFromChain(q.assessment)).to.deep.equal(await modelAssessment(f, pool, policy, id));
  const r = await f.lens.receivable(id);
  const terms = termsFromAssessment(q.assessment, r.faceAmount - r.paidAmount);
  expect(quoteTerms(q)).to.deep.equal(terms);
  expect(q.needsApproval).to.equal(needsApproval(terms.advance, policy.autoApprovalLimit));
  return terms;
}

/** poolFixture with bank 1 on APPROVAL_POLICY and an acknowledged 100,000 invoice (INV-BIG) not yet financed. */
export async function requestFixture() {
  const f = await poolFixture();
  await f.pool1.connect(f.bank).setPolicy(APPROVAL_POLICY);
  const { id } = await acknowledgedReceivable(f, f.supplier, { number: "INV-BIG" });
  return { ...f, id };
}

/**
 * poolFixture with bank 1 on APPROVAL_POLICY and an acknowledged invoice of FACE (RULES-200K), with bank 1's
 * quote for it and its buyer's index (issue 12's rules).
 */
export async function largeRequestFixture() {
  const f = await poolFixture();
  await f.pool1.connect(f.bank).setPolicy(APPROVAL_POLICY);
  const { id } = await acknowledgedReceivable(f, f.supplier, { number: "RULES-200K", amount: FACE });
  const quoted = quoteTerms(await f.pool1.quote(id));
  const buyerIndex = (await f.lens.receivable(id)).buyerIndex;
  return { ...f, id, quoted, buyerIndex };
}

/**
 * The manager's repricing of issue 12: advance rate 100 % and the highest base rate at which the net advance
 * still meets `minNet`, found with the reference model (src/pure/risk.ts) so that no policy is set while searching.
 */
export async function repricingPolicy(f: PoolFixture, id: bigint, minNet: bigint): Promise<RiskPolicy> {
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

/** poolFixture with bank 1's supplier cap at 150,000 per 30 days and `second`, a second wallet of the supplier. */
export async function capFixture() {
  const f = await poolFixture();
  const { pool1, bank, participants, onboarder, outsider, receivables } = f;
  const period = 30 * DAY;
  await expect(pool1.connect(bank).setSupplierAutoCap(150_000n * UNIT, period))
    .to.emit(pool1, "SupplierAutoCapSet")
    .withArgs(150_000n * UNIT, period);
  // `outsider` becomes a second wallet of the supplier's entity.
  await participants.connect(onboarder).addWallet(ENTITIES.supplier, outsider.address, false);
  await receivables.connect(outsider).setApprovalForAll(await pool1.getAddress(), true);
  return { ...f, period, second: outsider };
}
