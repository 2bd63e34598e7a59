import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { IReceivableRegistry, ReceivableRegistry } from "../../typechain-types";
import { entityId, Role } from "../../src/pure/ids";
import { ENTITIES } from "./fixtures";
import { receivablesFixture, invoiceKey, signAck } from "./receivables";
import { ACKNOWLEDGEMENT_TYPES, acknowledgementDigest, submissionCommitment } from "../../src/pure/eip712";

/** Largest face amount the registry stores (uint96). */
export const MAX_UINT96 = (1n << 96n) - 1n;
/** Order of the secp256k1 group; s and n − s are both valid ECDSA solutions. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** Face amount of invoiceInput(): 100,000.00 of a 6-decimal token. */
export const FACE = 100_000_000_000n;
/** The same amount normalised to 18 decimals, as the records store it. */
export const FACE_18 = 100_000n * 10n ** 18n;

/** Entities registered on top of receivablesFixture. */
export const EXTRA_ENTITIES = {
  /** A second buyer entity (BUYER only). */
  otherBuyer: entityId("LEI:BUYER000000000000000002"),
  /** An entity that both sells and buys (SUPPLIER | BUYER). */
  dual: entityId("LEI:DUALROLE0000000000001"),
} as const;

/** The EIP-712 types of a buyer's acknowledgement (the SDK's, so tests sign exactly what users sign). */
export const ACK_TYPES = ACKNOWLEDGEMENT_TYPES;

/** receivablesFixture plus a second buyer entity and a SUPPLIER|BUYER entity, each with one wallet. */
export async function registryFixture() {
  const f = await receivablesFixture();
  const signers = await ethers.getSigners();
  const otherBuyer = signers[11];
  const dual = signers[12];
  const reg = f.registry.connect(f.onboarder);
  await reg.registerEntity(EXTRA_ENTITIES.otherBuyer, Role.BUYER, f.expiry, otherBuyer.address);
  await reg.registerEntity(EXTRA_ENTITIES.dual, Role.SUPPLIER | Role.BUYER, f.expiry, dual.address);
  return { ...f, otherBuyer, dual };
}

/** The EIP-712 domain of `receivables` on the current chain. */
/** The digest the registry recovers the signer from (the SDK computes it; the registry no longer exposes it). */
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

export async function ackDomain(receivables: ReceivableRegistry) {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    name: "TradeFin Receivables",
    version: "1",
    chainId,
    verifyingContract: await receivables.getAddress(),
  };
}

/** The invoice key of `input` submitted by a wallet of `sellerEntityId`. */
export function keyOf(input: IReceivableRegistry.InvoiceInputStruct, sellerEntityId: string = ENTITIES.supplier) {
  return invoiceKey(sellerEntityId, input.buyerEntityId as string, input.invoiceNumberHash as string);
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
  const signed = id === 0n ? commitment : key;
  const signature = await signAck(
    receivables,
    signer,
    {
      id,
      invoiceKey: signed,
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
