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
import { entityId, Role } from "../../src/pure/ids";
import { onboardedFixture } from "./fixtures";
import { receivablesFixture, submit } from "./receivables";

/** One unit of a 6-decimal stablecoin, in base units. */
export const UNIT = 1_000_000n;
/** 100,000.00 in a 6-decimal token: the default invoice face amount of invoiceInput. */
export const FACE = 100_000n * UNIT;
/** Scale from 6-decimal base units to the 18-decimal amounts of the buyer record. */
export const TO_18 = 10n ** 12n;
/** What the hostile-token fixture mints to the buyer in every token. */
export const BUYER_FUNDS = 10_000_000n * UNIT;
/** Fee of the fee-on-transfer token, in basis points. */
export const FEE_BPS = 100n;

/** ReentrantToken.Hook values. */
export const Hook = { None: 0, TransferFrom: 1, Transfer: 2 } as const;

/** Signers the core fixture does not use (it takes the first eleven). */
async function spareSigners(): Promise<HardhatEthersSigner[]> {
  return (await ethers.getSigners()).slice(11);
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

/** Registers `wallet` (an EOA or a contract) as the only wallet of a new SUPPLIER entity `ref`. */
export async function registerSupplier(
  f: Awaited<ReturnType<typeof onboardedFixture>>,
  ref: string,
  wallet: string,
): Promise<string> {
  const id = entityId(ref);
  await (await f.registry.connect(f.onboarder).registerEntity(id, Role.SUPPLIER, f.expiry, wallet)).wait();
  return id;
}

/** The ids of `count` consecutive children starting at `first`. */
export function childIds(first: bigint, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => first + BigInt(i));
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
    await f.registry.connect(f.admin).setCurrencyAllowed(address, true);
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

/** Sets the next block's timestamp and returns it, so a test knows the `now` a revert will report. */
export async function atNextBlock(timestamp: number | bigint): Promise<bigint> {
  await time.setNextBlockTimestamp(timestamp);
  return BigInt(timestamp);
}
