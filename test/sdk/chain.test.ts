import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { PreconditionError, requiredEvent } from "../../src/chain/tx";
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
  submitAcknowledgedInvoice,
  submitInvoice,
} from "../../src/chain/invoices";
import {
  assertHolder,
  bindPoolToBank,
  collectPayments,
  depositLiquidity,
  financeReceivable,
  writeOffFinancing,
} from "../../src/chain/pools";
import { readEntity } from "../../src/chain/participants";
import { assessUnderPolicy, assessUnderPool } from "../../src/chain/risk";
import { GovernanceError, governingTimelock } from "../../src/chain/governance";
import { reportContracts } from "../../src/chain/report";
import { FINANCING_STATUS_NAMES, Role, STATUS_NAMES } from "../../src/pure/constants";
import { decodeError, type DecodedError } from "../../src/pure/errors";
import { addressBookFor, deployBankPool } from "../../src/hardhat/deploy";
import { acknowledgementNonce } from "../../src/pure/eip712";
import { invoiceKey, parseInvoiceFile, toInvoiceInput, type NormalisedInvoice } from "../../src/pure/invoice";
import { BPS } from "../../src/pure/risk";
import { TradeFinError } from "../../src/pure/tradeFinError";
import { ENTITIES, GRACE_PERIOD } from "../shared/fixtures";
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

/**
 * The decoded revert a promise rejects with. Fails when it resolves, or when what it rejects with carries no revert
 * data (a TypeError, a refusal before sending): a test then names the contract error it expects.
 */
async function revertOf(p: Promise<unknown>): Promise<DecodedError> {
  const error = await caught(p);
  expect(error, "the call was refused").to.not.equal(undefined);
  const decoded = await decodeError(error);
  expect(decoded, `revert data in ${String(error)}`).to.not.equal(undefined);
  return decoded!;
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
    const relay = await revertOf(relayAcknowledgement(c, id, { ...signed.message, signature: signed.signature }));
    expect(relay.name).to.equal("ReceivableNonceRevoked");
    expect(relay.args).to.deep.equal({ signer: f.buyer.address, nonce: signed.message.nonce });
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

  it("binds a freshly deployed pool as a pull-only wallet of its bank's entity, and a second call sends nothing", async () => {
    const f = await setup();
    const contracts = {
      participants: await f.participants.getAddress(),
      receivables: await f.receivables.getAddress(),
      riskEngine: await f.riskEngine.getAddress(),
      lens: await f.lens.getAddress(),
    };
    const book = await addressBookFor(hre, {
      deployer: f.admin.address,
      deployBlock: 0,
      contracts,
      stablecoins: { tUSD: { address: f.usdAddress, decimals: 6, mock: true } },
      pools: {},
      entities: {},
    });
    const { address: pool } = await deployBankPool(hre, book, "Bank3", {
      asset: f.usdAddress,
      manager: f.bank.address,
      policy: POLICY_1,
      sender: f.admin.address,
    });
    expect(await f.participants.entityOf(pool), "unbound when deployed").to.equal(ethers.ZeroHash);
    const walletsBefore = await f.participants.walletsOf(ENTITIES.bank);
    expect(walletsBefore).to.not.include(pool);

    const onboarder = f.participants.connect(f.onboarder);
    expect(await bindPoolToBank(onboarder, pool, ENTITIES.bank, f.onboarder.address)).to.equal(true);
    expect(await f.participants.entityOf(pool)).to.equal(ENTITIES.bank);
    const { index } = await f.participants.entity(ENTITIES.bank);
    const [walletIndex, roles, active, pullOnly] = await f.participants.recipientStatus(pool);
    expect({ walletIndex, roles, active, pullOnly }).to.deep.equal({
      walletIndex: index,
      roles: BigInt(Role.FINANCIER),
      active: true,
      pullOnly: true,
    });
    expect(await f.participants.walletsOf(ENTITIES.bank)).to.deep.equal([...walletsBefore, pool]);

    // Bound already: true again, and nothing is sent.
    const block = await ethers.provider.getBlockNumber();
    expect(await bindPoolToBank(onboarder, pool, ENTITIES.bank, f.onboarder.address)).to.equal(true);
    expect(await ethers.provider.getBlockNumber(), "no transaction").to.equal(block);
    expect(await f.participants.walletsOf(ENTITIES.bank)).to.deep.equal([...walletsBefore, pool]);
    // Bound to this bank, asked for another: refused, nothing sent.
    const refusal = await bindPoolToBank(onboarder, pool, ENTITIES.supplier, f.onboarder.address).catch((e) => e);
    expect(refusal).to.be.instanceOf(PreconditionError);
    expect(String(refusal.message)).to.contain("already bound to entity");
    expect(await ethers.provider.getBlockNumber(), "no transaction").to.equal(block);
  });

  it("submits an invoice the buyer acknowledged beforehand by signature, and a contract InvoiceInput with its docHash", async () => {
    const f = await setup();
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const deadline = BigInt(await time.latest()) + 3600n;
    const [signedInv, plainInv] = await invoices(
      [
        { number: "SIG-1", buyer: BUYER_REF },
        { number: "SIG-2", buyer: BUYER_REF },
      ],
      { tUSD: f.tUSD },
    );
    const input = toInvoiceInput(signedInv, ethers.id("doc:SIG-1"));
    const seller = f.receivables.connect(f.supplier);
    const submitted = await submitAcknowledgedInvoice(seller, f.buyer, chainId, ENTITIES.supplier, input, deadline);
    const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, input.invoiceNumberHash);
    expect(submitted).to.include({ invoiceKey: key, nonce: acknowledgementNonce(key) });
    expect(submitted.signature).to.match(/^0x[0-9a-f]{130}$/);
    const r = await f.lens.receivable(submitted.id);
    expect(STATUS_NAMES[Number(r.status)]).to.equal("Acknowledged");
    expect(r.docHash).to.equal(input.docHash);
    expect(await f.receivables.ownerOf(submitted.id)).to.equal(f.supplier.address);
    // Signed by a wallet of no buyer: the registry refuses it.
    const other = toInvoiceInput(plainInv);
    const forged = await revertOf(
      submitAcknowledgedInvoice(seller, f.outsider, chainId, ENTITIES.supplier, other, deadline),
    );
    expect(forged.name).to.equal("ReceivableInvalidSigner");
    expect(forged.args).to.deep.equal({ signer: f.outsider.address });

    // An InvoiceInput keeps its own docHash unless one is given; the invoice key comes from the event.
    const plain = await submitInvoice(seller, { ...other, docHash: ethers.id("doc:SIG-2") });
    expect(plain.invoiceKey).to.equal(invoiceKey(ENTITIES.supplier, ENTITIES.buyer, other.invoiceNumberHash));
    expect(plain.id).to.equal(submitted.id + 1n);
    expect((await f.lens.receivable(plain.id)).docHash).to.equal(ethers.id("doc:SIG-2"));
    const [third] = await invoices([{ number: "SIG-3", buyer: BUYER_REF }], { tUSD: f.tUSD });
    const overridden = await submitInvoice(seller, toInvoiceInput(third, ethers.id("a")), ethers.id("b"));
    expect((await f.lens.receivable(overridden.id)).docHash).to.equal(ethers.id("b"));
  });

  it("reads a required event from a receipt, and refuses a receipt without it", async () => {
    const f = await setup();
    const [inv] = await invoices([{ number: "EV-1", buyer: BUYER_REF }], { tUSD: f.tUSD });
    const { id, receipt } = await submitInvoice(f.receivables.connect(f.supplier), inv);
    expect(requiredEvent(receipt, f.receivables, "ReceivableSubmitted").args.id).to.equal(id);
    const error = (() => {
      try {
        requiredEvent(receipt, f.receivables, "ReceivableSplit");
      } catch (e) {
        return e as TradeFinError;
      }
    })();
    expect(error).to.be.instanceOf(TradeFinError);
    expect(error?.message).to.equal(`no ReceivableSplit event in transaction ${receipt.hash}`);
    expect(error?.details).to.deep.equal({ name: "ReceivableSplit" });
  });

  it("records the days late of the payment that settles a receivable, none for a partial one", async () => {
    const f = await setup();
    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "LATE-1" });
    const c = { receivables: f.receivables.connect(f.buyer), lens: f.lens };
    const token = f.usd.connect(f.buyer);
    const partial = await payReceivable(c, token, f.buyer.address, id, { amount: 10_000n * UNIT });
    expect(partial.daysLate).to.equal(undefined);
    await time.increaseTo(Number((await f.lens.receivable(id)).dueDate) + 2 * DAY + 60);
    const rest = await payReceivable(c, token, f.buyer.address, id);
    expect(rest.daysLate).to.equal(3n);
    expect(STATUS_NAMES[rest.status]).to.equal("Paid");
  });

  it("collects the buyer's payments into the pool and writes off a defaulted financing, amounts from the events", async () => {
    const f = await setup();
    const { id } = await acknowledgedReceivable(f, f.supplier, { number: "COL-1" });
    const c = { receivables: f.receivables.connect(f.supplier), participants: f.participants, lens: f.lens };
    const deadline = (await time.latest()) + 3600;
    await financeReceivable(c, f.pool1.connect(f.supplier), f.supplier.address, id, { deadline });
    const paid = 30_000n * UNIT;
    await payReceivable(
      { receivables: f.receivables.connect(f.buyer), lens: f.lens },
      f.usd.connect(f.buyer),
      f.buyer.address,
      id,
      {
        amount: paid,
      },
    );
    const feesBefore = await f.pool1.feesEarned();
    const collected = await collectPayments(f.pool1.connect(f.outsider), id);
    expect(collected.amount).to.equal(paid);
    expect(collected.principal + collected.fee + collected.reserve).to.equal(paid);
    expect(collected.fee).to.equal((await f.pool1.feesEarned()) - feesBefore);
    expect((await f.pool1.financing(id)).collected).to.equal(paid);
    const again = await revertOf(collectPayments(f.pool1, id));
    expect(again.name, "nothing more to collect").to.equal("PoolNothingToCollect");
    expect(again.args).to.deep.equal({ id });

    await time.increaseTo(Number((await f.lens.receivable(id)).dueDate) + GRACE_PERIOD + DAY);
    const notManager = await revertOf(writeOffFinancing(f.pool1.connect(f.outsider), id));
    expect(notManager.name).to.equal("OwnableUnauthorizedAccount");
    expect(notManager.args).to.deep.equal({ account: f.outsider.address });
    const { loss } = await writeOffFinancing(f.pool1.connect(f.bank), id);
    const financing = await f.pool1.financing(id);
    expect(loss).to.equal(await f.pool1.losses());
    expect(loss).to.equal(financing.advance - financing.fee - collected.principal);
    expect(FINANCING_STATUS_NAMES[Number(financing.status)]).to.equal("WrittenOff");
    expect(STATUS_NAMES[Number((await f.lens.receivable(id)).status)]).to.equal("Defaulted");
  });

  it("names the report's pools after the deployment's banks, in order, with the risk engine when there is one", async () => {
    const f = await setup();
    const d = { participants: f.participants, receivables: f.receivables, lens: f.lens };
    const withEngine = reportContracts({ ...d, riskEngine: f.riskEngine, pools: { Bank2: f.pool2, Bank1: f.pool1 } });
    expect(Object.keys(withEngine)).to.deep.equal(["participants", "receivables", "lens", "riskEngine", "pools"]);
    for (const k of ["participants", "receivables", "lens"] as const) expect(withEngine[k]).to.equal(d[k]);
    expect(withEngine.riskEngine).to.equal(f.riskEngine);
    expect(withEngine.pools.map((p) => p.name)).to.deep.equal(["Bank2", "Bank1"]);
    expect(withEngine.pools[0].pool).to.equal(f.pool2);
    expect(withEngine.pools[1].pool).to.equal(f.pool1);
    const without = reportContracts({ ...d, pools: {} });
    expect(Object.keys(without)).to.deep.equal(["participants", "receivables", "lens", "pools"]);
    expect(without.pools).to.deep.equal([]);
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
