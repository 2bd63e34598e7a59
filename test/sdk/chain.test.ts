import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { PreconditionError } from "../../src/chain/tx";
import {
  checkInvoicesAgainstChain,
  invoiceKeyOf,
  payReceivable,
  readReceivable,
  relayAcknowledgement,
  revokeAcknowledgementSignature,
  sellerEntityOf,
  signReceivableAcknowledgement,
  splitReceivable,
  submitInvoice,
} from "../../src/chain/invoices";
import { assertHolder, bindPoolToBank, depositLiquidity, financeReceivable } from "../../src/chain/pools";
import { readEntity } from "../../src/chain/participants";
import { assessUnderPolicy, assessUnderPool } from "../../src/chain/risk";
import { GovernanceError, governingTimelock } from "../../src/chain/governance";
import { STATUS_NAMES } from "../../src/pure/constants";
import { invoiceKey, parseInvoiceFile, type NormalisedInvoice } from "../../src/pure/invoice";
import { BPS } from "../../src/pure/risk";
import { ENTITIES } from "../shared/fixtures";
import { POLICY_1, UNIT, acknowledgedReceivable, poolFixture } from "../shared/pool";

const DAY = 86_400;

/** Invoices parsed from JSON like a user's file; `currencies` maps symbols to tokens. */
async function invoices(
  records: { number: string; buyer: string; currency?: string }[],
  currencies: Record<string, { address: string; decimals: number }>,
): Promise<NormalisedInvoice[]> {
  const now = await time.latest();
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  const rows = records.map((r) => ({
    invoice_number: r.number,
    buyer_id: r.buyer,
    currency: r.currency ?? "tUSD",
    amount: "1000",
    issue_date: day(now - DAY),
    due_date: day(now + 60 * DAY),
  }));
  const parsed = parseInvoiceFile({ content: JSON.stringify(rows), format: "json", baseDir: "/" }, { currencies, now });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.invoices;
}

/** The error a promise rejects with (undefined when it resolves). */
async function caught(p: Promise<unknown>): Promise<Error | undefined> {
  return p.then(
    () => undefined,
    (e: Error) => e,
  );
}

const BUYER_REF = "LEI:BUYER000000000000000001";

describe("SDK chain flows (src/chain: invoices, pools, participants, risk, governance)", () => {
  async function setup() {
    const f = await loadFixture(poolFixture);
    const tUSD = { address: f.usdAddress, decimals: 6 };
    return { ...f, tUSD };
  }

  it("checks invoices against the chain: the seller itself, an inactive buyer, a currency not allowlisted", async () => {
    const f = await setup();
    const good = await invoices([{ number: "C-1", buyer: BUYER_REF }], { tUSD: f.tUSD });
    expect(await checkInvoicesAgainstChain(f.participants, ENTITIES.supplier, good)).to.deep.equal([]);

    const other = { address: f.outsider.address, decimals: 6 };
    const bad = await invoices(
      [
        { number: "C-2", buyer: BUYER_REF },
        { number: "C-3", buyer: "LEI:NOBODY0000000000000001" },
        { number: "C-4", buyer: BUYER_REF, currency: "XYZ" },
      ],
      { tUSD: f.tUSD, XYZ: other },
    );
    const errors = await checkInvoicesAgainstChain(f.participants, ENTITIES.buyer, bad);
    expect(errors.map((e) => [e.line, e.field])).to.deep.equal([
      [1, "buyer_id"],
      [2, "buyer_id"],
      [3, "buyer_id"],
      [3, "currency"],
    ]);
    expect(errors[0].message).to.equal(`${BUYER_REF} is the seller itself`);
    expect(errors[1].message).to.match(/^LEI:NOBODY0000000000000001 is not an active BUYER participant/);
    expect(errors[3].message).to.equal(`${other.address} is not an allowed settlement currency`);
  });

  it("finds the seller's entity, and refuses an unbound wallet or one that is not an active SUPPLIER", async () => {
    const f = await setup();
    expect(await sellerEntityOf(f.participants, f.supplier2.address)).to.equal(ENTITIES.supplier);
    const unbound = await caught(sellerEntityOf(f.participants, f.outsider.address));
    expect(unbound).to.be.instanceOf(PreconditionError);
    expect(unbound?.message).to.match(/^wallet 0x[0-9a-fA-F]{40} is not bound to any participant/);
    const buyer = await caught(sellerEntityOf(f.participants, f.buyer.address, () => "Big Buyer"));
    expect(buyer?.message).to.equal(
      `Big Buyer (wallet ${f.buyer.address}) is not an active SUPPLIER participant (suspended, KYC expired or lacking the role)`,
    );
  });

  it("submits, reads the invoice key from history, signs and relays the acknowledgement, then refuses a second", async () => {
    const f = await setup();
    const [inv] = await invoices([{ number: "ACK-1", buyer: BUYER_REF }], { tUSD: f.tUSD });
    const { id } = await submitInvoice(f.receivables.connect(f.supplier), inv);
    const key = await invoiceKeyOf(f.receivables, id);
    expect(key).to.equal(invoiceKey(ENTITIES.supplier, ENTITIES.buyer, inv.invoiceNumberHash));
    const missing = await caught(invoiceKeyOf(f.receivables, 999n));
    expect(missing?.message).to.equal(
      "receivable #999 has no invoice key of its own (it does not exist or was split off)",
    );

    const c = { receivables: f.receivables, lens: f.lens };
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const deadline = BigInt(await time.latest()) + 3600n;
    const signed = await signReceivableAcknowledgement(c, f.buyer, chainId, id, deadline);
    expect(signed.message).to.include({ id, invoiceKey: key, amount: inv.amount, deadline });
    expect(signed.registry).to.equal(await f.receivables.getAddress());

    // Anyone relays it.
    await relayAcknowledgement({ ...c, receivables: f.receivables.connect(f.outsider) }, id, {
      ...signed.message,
      signature: signed.signature,
    });
    const r = await readReceivable({ participants: f.participants, ...c }, id);
    expect(STATUS_NAMES[r.status]).to.equal("Acknowledged");
    expect(r).to.include({
      sellerEntityId: ENTITIES.supplier,
      buyerEntityId: ENTITIES.buyer,
      holder: f.supplier.address,
    });

    const again = await caught(signReceivableAcknowledgement(c, f.buyer, chainId, id, deadline));
    expect(again).to.be.instanceOf(PreconditionError);
    expect(again?.message).to.equal(`receivable #${id} is already acknowledged (it is Acknowledged); nothing was sent`);
  });

  it("revokes a signature by its receivable, after which relaying it fails", async () => {
    const f = await setup();
    const [inv] = await invoices([{ number: "REV-1", buyer: BUYER_REF }], { tUSD: f.tUSD });
    const { id } = await submitInvoice(f.receivables.connect(f.supplier), inv);
    const c = { receivables: f.receivables, lens: f.lens };
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const signed = await signReceivableAcknowledgement(c, f.buyer, chainId, id, BigInt(await time.latest()) + 3600n);
    const revoked = await revokeAcknowledgementSignature({ receivables: f.receivables.connect(f.buyer) }, { id });
    expect(revoked.nonce).to.equal(signed.message.nonce);
    expect(revoked.receipt.status).to.equal(1);
    const relay = await caught(relayAcknowledgement(c, id, { ...signed.message, signature: signed.signature }));
    expect(relay).to.not.equal(undefined);
    expect(STATUS_NAMES[(await readReceivable({ participants: f.participants, ...c }, id)).status]).to.equal(
      "Submitted",
    );
  });

  it("pays with the allowance it needs, refuses more than is outstanding unless capped, and splits", async () => {
    const f = await setup();
    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "PAY-1" });
    const outstanding = await f.receivables.outstandingOf(id);
    await f.usd.mint(f.buyer2.address, outstanding + UNIT);
    const c = { receivables: f.receivables.connect(f.buyer2), lens: f.lens };
    const token = f.usd.connect(f.buyer2);
    const over = await caught(
      payReceivable(c, token, f.buyer2.address, id, { amount: outstanding + UNIT, format: (v) => `${v} units` }),
    );
    expect(over).to.be.instanceOf(PreconditionError);
    expect(over?.message).to.match(new RegExp(`^receivable #${id} has ${outstanding} units outstanding, less than`));
    expect((over as PreconditionError).details).to.deep.equal({
      outstandingUnits: outstanding,
      amountUnits: outstanding + UNIT,
    });

    const paid = await payReceivable(c, token, f.buyer2.address, id, { amount: outstanding + UNIT, cap: true });
    expect(paid).to.include({ paid: outstanding, offered: outstanding + UNIT, kept: UNIT, outstanding: 0n });
    expect(STATUS_NAMES[paid.status]).to.equal("Paid");
    expect(paid.approveTx).to.match(/^0x[0-9a-f]{64}$/);
    expect(await f.usd.balanceOf(f.buyer2.address)).to.equal(UNIT);
    const nothing = await caught(payReceivable(c, token, f.buyer2.address, id));
    expect(nothing?.message).to.equal(`receivable #${id} has nothing outstanding`);

    const second = await acknowledgedReceivable(f, f.supplier, { number: "SPLIT-1" });
    const parts = [40_000n * UNIT, 60_000n * UNIT];
    const { children } = await splitReceivable(f.receivables.connect(f.supplier), second.id, parts);
    expect(children).to.have.length(2);
    expect(children[1]).to.equal(children[0] + 1n);
    for (const child of children) expect(await f.receivables.ownerOf(child)).to.equal(f.supplier.address);
  });

  it("finances only for the holder, with the fee bound priced off-chain, and deposits liquidity", async () => {
    const f = await setup();
    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "FIN-1" });
    const c = { receivables: f.receivables, participants: f.participants, lens: f.lens };
    const notHolder = await caught(assertHolder(c, f.outsider.address, id, (a) => `wallet ${a} of Supplier`));
    expect(notHolder).to.be.instanceOf(PreconditionError);
    expect(notHolder?.message).to.equal(
      `wallet ${f.outsider.address} is not registered to any participant and does not hold receivable #${id}; ` +
        `it is held by wallet ${f.supplier.address} of Supplier: only the holder can finance it (pick its wallet with --from)`,
    );

    const deadline = (await time.latest()) + 3600;
    const quote = await f.pool1.quote(id);
    const financed = await financeReceivable(
      { ...c, receivables: f.receivables.connect(f.supplier) },
      f.pool1.connect(f.supplier),
      f.supplier.address,
      id,
      { deadline },
    );
    expect(financed).to.include({ executed: true, status: "Active", minNet: quote.netAdvance, deadline });
    expect(financed.fee).to.equal(financed.maxFee);
    expect(financed.advance - financed.fee).to.equal(quote.netAdvance);
    expect(await f.receivables.ownerOf(id)).to.equal(await f.pool1.getAddress());

    await f.usd.mint(f.bank.address, 1_000n * UNIT);
    const before = await f.pool1.liquidity();
    const { liquidity } = await depositLiquidity(
      f.pool1.connect(f.bank),
      f.usd.connect(f.bank),
      f.bank.address,
      1_000n * UNIT,
    );
    expect(liquidity).to.equal(before + 1_000n * UNIT);
  });

  it("binds a pool only once and only as an onboarder; reads an entity; assesses under a pool and a policy", async () => {
    const f = await setup();
    const pool = await f.pool1.getAddress();
    expect(await bindPoolToBank(f.participants, pool, ENTITIES.bank, f.outsider.address)).to.equal(true);
    expect(await bindPoolToBank(f.participants, f.outsider.address, ENTITIES.bank, f.outsider.address)).to.equal(false);
    expect(await bindPoolToBank(f.participants, f.outsider.address, undefined, f.onboarder.address)).to.equal(false);
    expect(await f.participants.entityOf(f.outsider.address)).to.equal(ethers.ZeroHash);

    const supplier = await readEntity(f.participants, ENTITIES.supplier);
    expect(supplier).to.deep.include({ index: 1, roles: ["SUPPLIER"], suspension: "none", walletCount: 2 });
    expect(supplier.wallets).to.deep.equal([f.supplier.address, f.supplier2.address]);
    expect((await readEntity(f.participants, ethers.id("nobody"))).index).to.equal(0);

    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "RISK-1" });
    const underPool = await assessUnderPool(f.riskEngine, f.pool1, id);
    expect(underPool.fee).to.equal(underPool.quote.fee);
    expect(underPool.assessment.eligible).to.equal(true);
    const underPolicy = await assessUnderPolicy(f.riskEngine, id, POLICY_1);
    expect(underPolicy.fee).to.equal((underPolicy.assessment.maxAdvance * underPolicy.assessment.discountBps) / BPS);
    expect(underPolicy.assessment.grade).to.equal(underPool.assessment.grade);
  });

  it("refuses an ungoverned deployment's admin as the timelock in charge", async () => {
    const f = await setup();
    const error = await caught(governingTimelock(f.admin, { participants: f.participants }));
    expect(error).to.be.instanceOf(GovernanceError);
    expect(error?.message).to.equal(
      `${f.admin.address} (the registry's admin) is not a timelock: this deployment is not governed (deploy with --safe), or pass --timelock`,
    );
  });
});
