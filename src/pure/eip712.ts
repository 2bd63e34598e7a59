/**
 * EIP-712 acknowledgement of a receivable by its buyer, as `IReceivableRegistry.acknowledgeWithSig`
 * and `submitAcknowledged` verify it.
 *
 * Signed struct: `Acknowledgement(uint256 id,bytes32 invoiceKey,uint256 amount,uint32 dueDate,uint256 nonce,uint256 deadline)`
 * in the domain { name "TradeFin Receivables", version "1", chainId, verifyingContract = the registry }.
 * `nonce` is a revocation handle, not a counter: signatures do not depend on each other (an unrelayed one
 * blocks nothing), replay is impossible because a receivable is acknowledged once and an invoice key used
 * once, and the buyer cancels a signature it gave with `revokeAcknowledgementNonces` (Permit2-style bitmap).
 * A buyer wallet that is a contract (a Safe) signs through ERC-1271: see {@link contractWalletSignature}.
 * The SDK uses {@link acknowledgementNonce}: the low 64 bits of the invoice key. For `submitAcknowledged`
 * the id is 0 (the receivable does not exist yet) and the invoice key binds the signature to the invoice.
 */
import {
  AbiCoder,
  keccak256,
  TypedDataEncoder,
  verifyTypedData,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

/** EIP-712 domain name of the receivable registry. */
export const RECEIVABLES_DOMAIN_NAME = "TradeFin Receivables";
/** EIP-712 domain version of the receivable registry. */
export const RECEIVABLES_DOMAIN_VERSION = "1";

/** The canonical type string, exactly as in the interface NatSpec. */
export const ACKNOWLEDGEMENT_TYPE =
  "Acknowledgement(uint256 id,bytes32 invoiceKey,uint256 amount,uint32 dueDate,uint256 nonce,uint256 deadline)";

/**
 * The nonce the SDK signs for an invoice: the low 64 bits of its invoice key. Deterministic, so a clerk can
 * revoke the signature of a given invoice without having kept anything; distinct invoices of a buyer collide
 * with probability ~2^-64 (and a collision only means revoking one revokes the other).
 */
export function acknowledgementNonce(invoiceKey: string): bigint {
  return BigInt(invoiceKey) & 0xffffffffffffffffn;
}

/** The bitmap word and mask that revoke `nonce` (`revokeAcknowledgementNonces(wordPos, mask)`). */
export function nonceBitmapPosition(nonce: bigint): { wordPos: bigint; mask: bigint } {
  return { wordPos: nonce >> 8n, mask: 1n << (nonce & 255n) };
}

/** The `types` argument for ethers' typed-data functions. */
export const ACKNOWLEDGEMENT_TYPES: Record<string, TypedDataField[]> = {
  Acknowledgement: [
    { name: "id", type: "uint256" },
    { name: "invoiceKey", type: "bytes32" },
    { name: "amount", type: "uint256" },
    { name: "dueDate", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** What the buyer signs. `id` is 0 for `submitAcknowledged`. */
export interface AcknowledgementMessage {
  id: bigint | number;
  invoiceKey: string;
  amount: bigint;
  dueDate: number | bigint;
  nonce: bigint | number;
  deadline: bigint | number;
}

/** Anything that signs typed data the ethers v6 way (a Wallet, a HardhatEthersSigner, a JsonRpcSigner). */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** The registry's EIP-712 domain on chain `chainId` at `verifyingContract`. */
export function receivablesDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return {
    name: RECEIVABLES_DOMAIN_NAME,
    version: RECEIVABLES_DOMAIN_VERSION,
    chainId,
    verifyingContract,
  };
}

/** What a buyer acknowledges before the receivable exists (`submitAcknowledged`). */
export interface SubmissionTerms {
  currency: string;
  amount: bigint | number | string;
  issueDate: number | bigint;
  dueDate: number | bigint;
  docHash: string;
}

/**
 * The submission commitment: keccak256(abi.encode(invoiceKey, currency, issueDate, docHash)), signed in the
 * `invoiceKey` field of an id-0 acknowledgement so the signature also binds the token, issue date and document.
 */
export function submissionCommitment(invoiceKey: string, terms: Omit<SubmissionTerms, "amount" | "dueDate">): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "address", "uint32", "bytes32"],
      [invoiceKey, terms.currency, terms.issueDate, terms.docHash],
    ),
  );
}

/** The message for `submitAcknowledged`: id 0, the submission commitment, amount and due date. */
export function submissionAcknowledgement(
  invoiceKey: string,
  invoice: SubmissionTerms,
  nonce: bigint | number,
  deadline: bigint | number,
): AcknowledgementMessage {
  return {
    id: 0n,
    invoiceKey: submissionCommitment(invoiceKey, invoice),
    amount: BigInt(invoice.amount),
    dueDate: invoice.dueDate,
    nonce,
    deadline,
  };
}

/** Converts the message to a plain record for ethers. */
function asValue(message: AcknowledgementMessage): Record<string, unknown> {
  return { ...message };
}

/**
 * Has `signer` sign the acknowledgement.
 *
 * @returns The 65-byte signature (r ‖ s ‖ v) as hex, ready for `acknowledgeWithSig` / `submitAcknowledged`.
 *          ethers produces low-s signatures, which the registry requires.
 */
export async function signAcknowledgement(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  message: AcknowledgementMessage,
): Promise<string> {
  return signer.signTypedData(domain, ACKNOWLEDGEMENT_TYPES, asValue(message));
}

/** The EIP-712 digest the contract recovers the signer from. */
export function acknowledgementDigest(domain: TypedDataDomain, message: AcknowledgementMessage): string {
  return TypedDataEncoder.hash(domain, ACKNOWLEDGEMENT_TYPES, asValue(message));
}

/** The address that signed `message` with `signature` in `domain`. */
export function recoverAcknowledgementSigner(
  domain: TypedDataDomain,
  message: AcknowledgementMessage,
  signature: string,
): string {
  return verifyTypedData(domain, ACKNOWLEDGEMENT_TYPES, asValue(message), signature);
}

/**
 * The `signature` argument for a buyer wallet that is a smart contract (a Safe, say): the wallet's address and
 * the signature its ERC-1271 `isValidSignature` accepts for the acknowledgement digest
 * ({@link acknowledgementDigest}), ABI-encoded. The registry tells the two forms apart by length: 65 bytes is
 * an externally owned wallet's ECDSA signature, anything else this encoding.
 */
export function contractWalletSignature(wallet: string, walletSignature: string): string {
  return AbiCoder.defaultAbiCoder().encode(["address", "bytes"], [wallet, walletSignature]);
}
