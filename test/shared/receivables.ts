/**
 * The receivable registry's test fixtures and helpers: one module for test/ReceivableRegistry/*.test.ts (one file
 * per operation) and every other test that submits, signs or settles receivables. Every world here is built by
 * test/shared/fixtures.ts (deployTradeFin) or test/shared/pool.ts (the same, with pools); invoices are built by
 * {@link invoiceInput} through the SDK's toInvoiceInput, and signatures in the SDK's EIP-712 domain
 * (receivablesDomain), so tests sign exactly what users sign.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type {
  BlacklistToken,
  FeeOnTransferToken,
  IReceivableRegistry,
  NoReturnToken,
  ReceivableRegistry,
  ReentrantToken,
  RevertingReceiver,
} from "../../typechain-types";
import {
  ACKNOWLEDGEMENT_TYPES,
  acknowledgementDigest,
  receivablesDomain,
  signAcknowledgement,
  submissionCommitment,
  type AcknowledgementMessage,
} from "../../src/pure/eip712";
import { Status as SdkStatus } from "../../src/pure/constants";
import { eventsIn } from "../../src/pure/events";
import { entityId, Role } from "../../src/pure/ids";
import {
  canonicalInvoiceNumber,
  invoiceKey,
  invoiceNumberHash as numberHash,
  toInvoiceInput,
} from "../../src/pure/invoice";
import { onboardedFixture, ENTITIES, DAY } from "./fixtures";

// The SDK's invoice key and number hash, so that every contract test also checks them against the chain.
export { invoiceKey, numberHash };

/** Receivable status numbers as bigints (what the contracts' views return), from the SDK's Status. */
export const Status = Object.fromEntries(Object.entries(SdkStatus).map(([name, value]) => [name, BigInt(value)])) as {
  readonly [K in keyof typeof SdkStatus]: bigint;
};

// ------------------------------------------------------------------------------------------------ amounts

/** One unit of a 6-decimal stablecoin, in base units. */
export const UNIT = 1_000_000n;
/** 100,000.00 in a 6-decimal token: the default invoice face amount of invoiceInput. */
export const FACE = 100_000n * UNIT;
/** Scale from 6-decimal base units to the 18-decimal amounts of the buyer record. */
export const TO_18 = 10n ** 12n;
/** FACE normalised to 18 decimals, as the records store it. */
export const FACE_18 = FACE * TO_18;
/** Largest face amount the registry stores (uint96). */
export const MAX_UINT96 = (1n << 96n) - 1n;
/** Largest face amount of a 6-decimal token: its 18-decimal form must fit the records' uint112. */
export const MAX_6_DECIMALS = (2n ** 112n - 1n) / 10n ** 12n;
/** Order of the secp256k1 group; s and n − s are both valid ECDSA solutions. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** What the hostile-token fixture mints to the buyer in every token. */
export const BUYER_FUNDS = 10_000_000n * UNIT;
/** Fee of the fee-on-transfer token, in basis points. */
export const FEE_BPS = 100n;
/** A reason code for reject, suspend and freeze. */
export const REASON = ethers.encodeBytes32String("DISPUTED");

/** ReentrantToken.Hook values. */
export const Hook = { None: 0, TransferFrom: 1, Transfer: 2 } as const;

/** Entities registered on top of receivablesFixture by registryFixture. */
export const EXTRA_ENTITIES = {
  /** A second buyer entity (BUYER only). */
  otherBuyer: entityId("LEI:BUYER000000000000000002"),
  /** An entity that both sells and buys (SUPPLIER | BUYER). */
  dual: entityId("LEI:DUALROLE0000000000001"),
} as const;

/** The EIP-712 types of a buyer's acknowledgement (the SDK's, so tests sign exactly what users sign). */
export const ACK_TYPES = ACKNOWLEDGEMENT_TYPES;

// ----------------------------------------------------------------------------------------------- invoices

type InvoiceOverrides = Partial<IReceivableRegistry.InvoiceInputStruct> & { number?: string };

/**
 * Builds an InvoiceInput through the SDK (toInvoiceInput): invoice `number` (default INV-001) to the fixture's
 * buyer, issued yesterday, due in 60 days, 100,000.00 units of a 6-decimal token; any field may be overridden.
 */
export async function invoiceInput(
  currency: string,
  overrides: InvoiceOverrides = {},
): Promise<IReceivableRegistry.InvoiceInputStruct> {
  const now = await time.latest();
  const { number = "INV-001", ...rest } = overrides;
  const invoiceNumber = canonicalInvoiceNumber(number);
  const input = toInvoiceInput(
    {
      line: 1,
      invoiceNumber,
      invoiceNumberHash: numberHash(invoiceNumber),
      buyerRef: "LEI:BUYER000000000000000001",
      buyerEntityId: ENTITIES.buyer,
      currency,
      decimals: 6,
      amount: FACE,
      issueDate: now - DAY,
      dueDate: now + 60 * DAY,
    },
    ethers.keccak256(ethers.toUtf8Bytes(`doc:${number}`)),
  );
  return { ...input, ...rest };
}

/** The invoice key of `input` submitted by a wallet of `sellerEntityId`. */
export function keyOf(input: IReceivableRegistry.InvoiceInputStruct, sellerEntityId: string = ENTITIES.supplier) {
  return invoiceKey(sellerEntityId, input.buyerEntityId as string, input.invoiceNumberHash as string);
}

/** Submits as `seller` and returns the new id. */
export async function submit(
  receivables: ReceivableRegistry,
  seller: HardhatEthersSigner,
  input: IReceivableRegistry.InvoiceInputStruct,
): Promise<bigint> {
  const receipt = await (await receivables.connect(seller).submit(input)).wait();
  const [event] = eventsIn(receipt, receivables.interface, "ReceivableSubmitted");
  return BigInt(event.args.id);
}

/** Submits an invoice as `seller` and has `buyer` acknowledge it; returns the id. */
export async function acknowledged(
  receivables: ReceivableRegistry,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  input: IReceivableRegistry.InvoiceInputStruct,
): Promise<bigint> {
  const id = await submit(receivables, seller, input);
  await (await receivables.connect(buyer).acknowledge(id)).wait();
  return id;
}

/** Splits `id` as `holder` and returns the children's ids. */
export async function splitInto(
  receivables: ReceivableRegistry,
  holder: HardhatEthersSigner,
  id: bigint,
  amounts: bigint[],
): Promise<bigint[]> {
  const first = await receivables.connect(holder).split.staticCall(id, amounts);
  await (await receivables.connect(holder).split(id, amounts)).wait();
  return childIds(first, amounts.length);
}

/** The ids of `count` consecutive children starting at `first`. */
export function childIds(first: bigint, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => first + BigInt(i));
}

/** Sets the next block's timestamp and returns it, so a test knows the `now` a revert will report. */
export async function atNextBlock(timestamp: number | bigint): Promise<bigint> {
  await time.setNextBlockTimestamp(timestamp);
  return BigInt(timestamp);
}

// --------------------------------------------------------------------------------------------- signatures

/** The registry's EIP-712 domain on the current chain, with `override` for the wrong-domain tests. */
export async function ackDomain(
  receivables: ReceivableRegistry,
  override: { chainId?: bigint; verifyingContract?: string } = {},
) {
  const { chainId } = await ethers.provider.getNetwork();
  return receivablesDomain(override.chainId ?? chainId, override.verifyingContract ?? (await receivables.getAddress()));
}

/**
 * Signs an EIP-712 Acknowledgement as `signer` for `receivables` (in another chain's or contract's domain with
 * `domainOverride`). The nonce defaults to 0: it is a revocation handle the signer chooses (never consumed).
 */
export async function signAck(
  receivables: ReceivableRegistry,
  signer: HardhatEthersSigner,
  msg: Omit<AcknowledgementMessage, "nonce"> & { nonce?: bigint },
  domainOverride: { chainId?: bigint; verifyingContract?: string } = {},
): Promise<string> {
  const domain = await ackDomain(receivables, domainOverride);
  return signAcknowledgement(signer, domain, { ...msg, nonce: msg.nonce ?? 0n });
}

/** The digest the registry recovers the signer from (the SDK computes it; the registry does not expose it). */
export async function ackDigest(
  receivables: ReceivableRegistry,
  id: bigint | number,
  invoiceKey: string,
  amount: bigint,
  dueDate: bigint | number,
  nonce: bigint | number,
  deadline: bigint | number,
): Promise<string> {
  return acknowledgementDigest(await ackDomain(receivables), { id, invoiceKey, amount, dueDate, nonce, deadline });
}

/** Signs the acknowledgement `submitAcknowledged` expects (id 0) for `input`; returns the signature and key. */
export async function signSubmission(
  receivables: ReceivableRegistry,
  signer: HardhatEthersSigner,
  input: IReceivableRegistry.InvoiceInputStruct,
  deadline: number | bigint,
  options: { nonce?: bigint; id?: bigint; sellerEntityId?: string; chainId?: bigint; verifyingContract?: string } = {},
): Promise<{ signature: string; key: string; commitment: string }> {
  const key = keyOf(input, options.sellerEntityId);
  // id 0 signs the submission commitment (key + currency + issue date + document); another id signs the key.
  const id = options.id ?? 0n;
  const commitment = submissionCommitment(key, {
    currency: input.currency as string,
    issueDate: BigInt(input.issueDate),
    docHash: input.docHash as string,
  });
  const signature = await signAck(
    receivables,
    signer,
    {
      id,
      invoiceKey: id === 0n ? commitment : key,
      amount: BigInt(input.amount),
      dueDate: BigInt(input.dueDate),
      nonce: options.nonce,
      deadline,
    },
    { chainId: options.chainId, verifyingContract: options.verifyingContract },
  );
  return { signature, key, commitment };
}

/**
 * The malleable twin of a valid 65-byte signature: s' = n − s and v flipped. It recovers the same address,
 * which is why OpenZeppelin's ECDSA refuses any s in the upper half of the curve order.
 */
export function toHighS(signature: string): { signature: string; s: string } {
  const bytes = ethers.getBytes(signature);
  const r = ethers.hexlify(bytes.slice(0, 32));
  const s = BigInt(ethers.hexlify(bytes.slice(32, 64)));
  const v = bytes[64];
  const highS = ethers.toBeHex(SECP256K1_N - s, 32);
  return { signature: ethers.concat([r, highS, ethers.toBeHex(v === 27 ? 28 : 27, 1)]), s: highS };
}

// ----------------------------------------------------------------------------------------------- fixtures

/** The invoice key of receivablesFixture's submitted receivable (INV-001 from the supplier to the buyer). */
export const SUBMITTED_KEY = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-001"));

/** Signers the core fixture does not use (it takes the first eleven). */
async function spareSigners(): Promise<HardhatEthersSigner[]> {
  return (await ethers.getSigners()).slice(11);
}

/** Registers `wallet` (an EOA or a contract) as the only wallet of a new SUPPLIER entity `ref`. */
export async function registerSupplier(
  f: Awaited<ReturnType<typeof onboardedFixture>>,
  ref: string,
  wallet: string,
): Promise<string> {
  const id = entityId(ref);
  await (await f.participants.connect(f.onboarder).registerEntity(id, Role.SUPPLIER, f.expiry, wallet)).wait();
  return id;
}

/** Onboarded deployment with buyer/supplier funded, plus one submitted and one acknowledged receivable. */
export async function receivablesFixture() {
  const f = await onboardedFixture();
  const usdAddress = await f.usd.getAddress();
  await f.usd.mint(f.buyer.address, 10_000_000_000_000n);
  await f.usd.connect(f.buyer).approve(await f.receivables.getAddress(), ethers.MaxUint256);
  const submittedId = await submit(f.receivables, f.supplier, await invoiceInput(usdAddress, { number: "INV-001" }));
  const acknowledgedId = await submit(f.receivables, f.supplier, await invoiceInput(usdAddress, { number: "INV-002" }));
  await f.receivables.connect(f.buyer).acknowledge(acknowledgedId);
  return { ...f, usdAddress, submittedId, acknowledgedId };
}

/** receivablesFixture plus a second buyer entity and a SUPPLIER|BUYER entity, each with one wallet. */
export async function registryFixture() {
  const f = await receivablesFixture();
  const [otherBuyer, dual] = await spareSigners();
  const reg = f.participants.connect(f.onboarder);
  await reg.registerEntity(EXTRA_ENTITIES.otherBuyer, Role.BUYER, f.expiry, otherBuyer.address);
  await reg.registerEntity(EXTRA_ENTITIES.dual, Role.SUPPLIER | Role.BUYER, f.expiry, dual.address);
  return { ...f, otherBuyer, dual };
}

/**
 * receivablesFixture plus the hostile tokens of contracts/mocks, each allowlisted, minted to the buyer and
 * approved to the receivable registry, and a RevertingReceiver registered as a SUPPLIER entity.
 */
export async function settlementFixture() {
  const f = await receivablesFixture();
  const registryAddress = await f.receivables.getAddress();
  const feeToken = (await ethers.deployContract("FeeOnTransferToken", [FEE_BPS])) as unknown as FeeOnTransferToken;
  const noReturnToken = (await ethers.deployContract("NoReturnToken")) as unknown as NoReturnToken;
  const reentrantToken = (await ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
  const blacklistToken = (await ethers.deployContract("BlacklistToken")) as unknown as BlacklistToken;
  for (const token of [feeToken, noReturnToken, reentrantToken, blacklistToken]) {
    const address = await token.getAddress();
    await f.participants.connect(f.admin).setCurrencyAllowed(address, true);
    await token.mint(f.buyer.address, BUYER_FUNDS);
    await token.connect(f.buyer).approve(registryAddress, ethers.MaxUint256);
  }
  const [receiverOwner] = await spareSigners();
  const revertingReceiver = (await ethers.deployContract(
    "RevertingReceiver",
    [],
    receiverOwner,
  )) as unknown as RevertingReceiver;
  const receiverAddress = await revertingReceiver.getAddress();
  const receiverEntity = await registerSupplier(f, "LEI:REVERTINGRECEIVER0001", receiverAddress);
  return {
    ...f,
    feeToken,
    noReturnToken,
    reentrantToken,
    blacklistToken,
    revertingReceiver,
    receiverAddress,
    receiverOwner,
    receiverEntity,
  };
}

/**
 * A clean buyer (no receivables yet), funded and approving the registry, plus a tier-2 and a tier-3 supplier
 * entity (one wallet each) below the fixture's supplier (tier 1).
 */
export async function tierFixture() {
  const f = await onboardedFixture();
  const usdAddress = await f.usd.getAddress();
  await f.usd.mint(f.buyer.address, BUYER_FUNDS);
  await f.usd.connect(f.buyer).approve(await f.receivables.getAddress(), ethers.MaxUint256);
  const [, tier2, tier3] = await spareSigners();
  await registerSupplier(f, "LEI:TIER2SUPPLIER0000000001", tier2.address);
  await registerSupplier(f, "LEI:TIER3SUPPLIER0000000001", tier3.address);
  return { ...f, usdAddress, tier1: f.supplier, tier2, tier3 };
}

/**
 * The pool world (test/shared/pool.ts: two pools, a rated buyer, a tier-2 supplier) for the issue-12 rules, where
 * a receivable's assessment shows what an action did to the buyer's record: the suppliers, the tier-2 supplier,
 * an outsider and the buyer's second wallet hold tokens and approve the registry, so each can try to pay.
 */
export async function poolWorldFixture() {
  // pool.ts builds on this module: imported when the fixture runs, so the two do not import each other at load.
  const { poolFixture } = await import("./pool");
  const f = await poolFixture();
  for (const s of [f.supplier, f.supplier2, f.tier2, f.outsider, f.buyer2]) {
    await f.usd.mint(s.address, 1_000_000n * UNIT);
    await f.usd.connect(s).approve(await f.receivables.getAddress(), ethers.MaxUint256);
  }
  return f;
}

export type PoolWorld = Awaited<ReturnType<typeof poolWorldFixture>>;

let serial = 0;
/** In the pool world: submits as `seller` (and acknowledges as the buyer unless `submittedOnly`); returns the id. */
export async function worldInvoice(
  f: PoolWorld,
  seller: HardhatEthersSigner,
  o: { amount?: bigint; dueInDays?: number; submittedOnly?: boolean; number?: string } = {},
): Promise<bigint> {
  const input = await invoiceInput(f.usdAddress, {
    number: o.number ?? `R-${++serial}`,
    amount: o.amount ?? FACE,
    ...(o.dueInDays !== undefined ? { dueDate: (await time.latest()) + o.dueInDays * DAY } : {}),
  });
  const id = await submit(f.receivables, seller, input);
  if (!o.submittedOnly) await (await f.receivables.connect(f.buyer).acknowledge(id)).wait();
  return id;
}

/** In the pool world: the assessment of `id` for pool 1. */
export async function pdOf(f: PoolWorld, id: bigint) {
  const a = await f.riskEngine.assessForPool(id, await f.pool1.getAddress());
  return { pd: a.pdBps, grade: a.grade, rate: a.advanceRateBps, maxAdvance: a.maxAdvance, reasons: a.reasonCodes };
}
