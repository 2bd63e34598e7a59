import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { IReceivableRegistry, ReceivableRegistry } from "../../typechain-types";
import { ACKNOWLEDGEMENT_TYPES } from "../../src/pure/eip712";
import { Status as SdkStatus } from "../../src/pure/constants";
import { eventsIn } from "../../src/pure/events";
import { onboardedFixture, ENTITIES, DAY } from "./fixtures";

/** Receivable status numbers as bigints (what the contracts' views return), from the SDK's Status. */
export const Status = Object.fromEntries(Object.entries(SdkStatus).map(([name, value]) => [name, BigInt(value)])) as {
  readonly [K in keyof typeof SdkStatus]: bigint;
};

// The SDK's invoice key and number hash, so that every contract test also checks them against the chain.
import { invoiceKey, invoiceNumberHash as numberHash } from "../../src/pure/invoice";
export { invoiceKey, numberHash };

/** Builds an InvoiceInput: issued yesterday, due in 60 days, 100,000.00 units of a 6-decimal token. */
export async function invoiceInput(
  currency: string,
  overrides: Partial<IReceivableRegistry.InvoiceInputStruct> & { number?: string } = {},
): Promise<IReceivableRegistry.InvoiceInputStruct> {
  const now = await time.latest();
  const { number, ...rest } = overrides;
  return {
    buyerEntityId: ENTITIES.buyer,
    currency,
    amount: 100_000_000_000n,
    issueDate: now - DAY,
    dueDate: now + 60 * DAY,
    invoiceNumberHash: numberHash(number ?? "INV-001"),
    docHash: ethers.keccak256(ethers.toUtf8Bytes(`doc:${number ?? "INV-001"}`)),
    ...rest,
  };
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

/** Signs an EIP-712 Acknowledgement as `signer` for `receivables`. */
export async function signAck(
  receivables: ReceivableRegistry,
  signer: HardhatEthersSigner,
  msg: {
    id: bigint;
    invoiceKey: string;
    amount: bigint;
    dueDate: bigint | number;
    nonce?: bigint;
    deadline: bigint | number;
  },
  domainOverride: { chainId?: bigint; verifyingContract?: string } = {},
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: "TradeFin Receivables",
    version: "1",
    chainId: domainOverride.chainId ?? chainId,
    verifyingContract: domainOverride.verifyingContract ?? (await receivables.getAddress()),
  };
  // Default 0: the nonce is a revocation handle the signer chooses (never consumed); tests relay with 0.
  const nonce = msg.nonce ?? 0n;
  return signer.signTypedData(domain, ACKNOWLEDGEMENT_TYPES, { ...msg, nonce });
}

/**
 * The ReceivableLogic library's interface, for errors it raises inside the registry's calls (its functions
 * run by DELEGATECALL, so the revert data comes back from the registry): e.g. OpenZeppelin's ECDSA errors.
 */
export async function logicErrors() {
  return ethers.getContractAt("ReceivableLogic", ethers.ZeroAddress);
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
