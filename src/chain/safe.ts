/**
 * Safe multisig helpers (issue 14), shared by the tests, the governance tasks and scripts: the real Safe
 * contracts of `@safe-global/safe-smart-account` (v1.5.0, from npm) and `@safe-global/protocol-kit` to
 * create a Safe, sign as its owners and execute.
 *
 * - `deploySafeContracts`: the Safe singleton, proxy factory, fallback handler and libraries on a chain that
 *   has no canonical Safe deployment (the in-process Hardhat network, `npx hardhat node`); on public chains
 *   protocol-kit finds the canonical deployments itself and `contracts` is left out.
 * - `createSafe`: a Safe with given owners and threshold.
 * - `execThroughSafe`: one or more calls from the Safe, signed by the given owners and executed.
 * - `signTypedDataAsSafe`: an ERC-1271 signature of EIP-712 typed data by the Safe (its owners sign the
 *   Safe's `SafeMessage` wrapping of the digest), which `Safe.isValidSignature(digest, signature)` accepts —
 *   what a Safe buyer hands to `acknowledgeWithSig`; `signDigestAsSafe` does the same for a bare digest.
 *
 * Owners are addresses whose keys the EIP-1193 `provider` holds (Hardhat's accounts, or the accounts of a
 * configured network) or raw private keys. protocol-kit is loaded lazily: it pulls in viem.
 */
import {
  Contract,
  ContractFactory,
  Interface,
  TypedDataEncoder,
  type Signer,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import { TradeFinError } from "../pure/tradeFinError";

/** The EIP-1193 provider protocol-kit talks to (`hre.network.provider`). */
export interface Eip1193 {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
}

/** Addresses of the Safe contracts on one chain, named as protocol-kit's `ContractNetworkConfig` names them. */
export interface SafeContracts {
  safeSingletonAddress: string;
  safeProxyFactoryAddress: string;
  multiSendAddress: string;
  multiSendCallOnlyAddress: string;
  fallbackHandlerAddress: string;
  signMessageLibAddress: string;
  createCallAddress: string;
  simulateTxAccessorAddress: string;
}

/** The Safe version whose artifacts the project ships (pinned in package.json). */
export const SAFE_VERSION = "1.5.0" as const;

/** A call the Safe makes. */
export interface SafeCall {
  to: string;
  data: string;
  value?: bigint;
}

/** Where a Safe lives and how to reach it. */
export interface SafeContext {
  provider: Eip1193;
  chainId: bigint;
  /** Local Safe contracts; undefined on chains with the canonical deployments. */
  contracts?: SafeContracts;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const artifact = (path: string): { abi: unknown[]; bytecode: string } =>
  require(`@safe-global/safe-smart-account/build/artifacts/contracts/${path}`);

const ARTIFACTS: Record<keyof SafeContracts, string> = {
  safeSingletonAddress: "Safe.sol/Safe.json",
  safeProxyFactoryAddress: "proxies/SafeProxyFactory.sol/SafeProxyFactory.json",
  multiSendAddress: "libraries/MultiSend.sol/MultiSend.json",
  multiSendCallOnlyAddress: "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json",
  fallbackHandlerAddress: "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json",
  signMessageLibAddress: "libraries/SignMessageLib.sol/SignMessageLib.json",
  createCallAddress: "libraries/CreateCall.sol/CreateCall.json",
  simulateTxAccessorAddress: "accessors/SimulateTxAccessor.sol/SimulateTxAccessor.json",
};

/** The ABI of the Safe singleton (v1.5.0), for direct calls such as `execTransaction` or `nonce`. */
export const SAFE_ABI = new Interface(artifact(ARTIFACTS.safeSingletonAddress).abi as never);

/** Deploys the Safe singleton, factory, fallback handler and libraries from the npm artifacts, one after another. */
export async function deploySafeContracts(deployer: Signer): Promise<SafeContracts> {
  const out: Partial<SafeContracts> = {};
  for (const [key, path] of Object.entries(ARTIFACTS) as [keyof SafeContracts, string][]) {
    const { abi, bytecode } = artifact(path);
    const contract = await new ContractFactory(abi as never, bytecode, deployer).deploy();
    await contract.waitForDeployment();
    out[key] = await contract.getAddress();
  }
  return out as SafeContracts;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const protocolKit = (): typeof import("@safe-global/protocol-kit") => require("@safe-global/protocol-kit");

/** A protocol-kit instance for `signer` (an address the provider holds, or a private key). */
async function kitFor(
  ctx: SafeContext,
  signer: string,
  safe: { address: string } | { owners: string[]; threshold: number; saltNonce: string },
) {
  const Safe = protocolKit().default;
  const contractNetworks = ctx.contracts ? { [ctx.chainId.toString()]: ctx.contracts } : undefined;
  const common = { provider: ctx.provider as never, signer, contractNetworks, isL1SafeSingleton: true };
  if ("address" in safe) return Safe.init({ ...common, safeAddress: safe.address });
  return Safe.init({
    ...common,
    predictedSafe: {
      safeAccountConfig: { owners: safe.owners, threshold: safe.threshold },
      safeDeploymentConfig: { saltNonce: safe.saltNonce, safeVersion: SAFE_VERSION },
    },
  });
}

/**
 * Creates a Safe with `owners` and `threshold` through the proxy factory, sent by `deployer` (any account the
 * provider holds). Returns its address. `saltNonce` makes the address differ between Safes with the same owners.
 */
export async function createSafe(
  ctx: SafeContext,
  deployer: string,
  owners: string[],
  threshold: number,
  saltNonce = "0",
): Promise<string> {
  if (threshold < 1 || threshold > owners.length) {
    throw new TradeFinError(`a Safe's threshold must be between 1 and its ${owners.length} owners (got ${threshold})`);
  }
  const kit = await kitFor(ctx, deployer, { owners, threshold, saltNonce });
  const address = await kit.getAddress();
  const tx = await kit.createSafeDeploymentTransaction();
  const hash = (await ctx.provider.request({
    method: "eth_sendTransaction",
    params: [{ from: deployer, to: tx.to, data: tx.data, value: "0x" + BigInt(tx.value).toString(16) }],
  })) as string;
  await waitForReceipt(ctx.provider, hash);
  return address;
}

/** Waits for a transaction's receipt and throws when it reverted. */
async function waitForReceipt(provider: Eip1193, hash: string): Promise<{ status: string; blockNumber: string }> {
  for (let i = 0; i < 600; i++) {
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
      status: string;
      blockNumber: string;
    } | null;
    if (receipt) {
      if (receipt.status !== "0x1") throw new TradeFinError(`transaction ${hash} reverted`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new TradeFinError(`transaction ${hash} was not mined`);
}

/** A call the Safe would make reverts; `data` holds the revert data (decode it with the target's ABI). */
export class SafeCallError extends TradeFinError {
  override name = "SafeCallError";
  constructor(
    message: string,
    readonly call: SafeCall,
    readonly data: string | undefined,
  ) {
    super(message, { details: data === undefined ? undefined : `revert data ${data}` });
  }
}

/** The revert data inside an EIP-1193 error (Hardhat's ProviderError and most nodes put it in `data`). */
function revertDataOf(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== "object" || err === null) return undefined;
  const e = err as { data?: unknown; error?: unknown; cause?: unknown };
  if (typeof e.data === "string" && /^0x[0-9a-fA-F]*$/.test(e.data)) return e.data;
  if (typeof e.data === "object" && e.data !== null) {
    const inner = (e.data as { data?: unknown }).data;
    if (typeof inner === "string" && /^0x[0-9a-fA-F]*$/.test(inner)) return inner;
  }
  return revertDataOf(e.error, depth + 1) ?? revertDataOf(e.cause, depth + 1);
}

/**
 * Runs each call with `eth_call` as the Safe would make it (from the Safe's address), so that a call that would
 * revert is refused before any owner signs, with its revert data (a Safe would otherwise fail with GS013).
 */
export async function simulateSafeCalls(ctx: SafeContext, safe: string, calls: SafeCall[]): Promise<void> {
  for (const call of calls) {
    try {
      await ctx.provider.request({
        method: "eth_call",
        params: [{ from: safe, to: call.to, data: call.data, value: "0x" + (call.value ?? 0n).toString(16) }, "latest"],
      });
    } catch (err) {
      const data = revertDataOf(err);
      throw new SafeCallError(
        `the Safe's call to ${call.to} would revert${data && data !== "0x" ? ` (revert data ${data.slice(0, 10)})` : ""}`,
        call,
        data,
      );
    }
  }
}

/** A Safe transaction with the signatures of `signers`, ready for `execute` (or to hand to more owners). */
export async function signSafeCalls(ctx: SafeContext, safe: string, signers: string[], calls: SafeCall[]) {
  if (signers.length === 0) throw new TradeFinError("at least one owner must sign");
  const first = await kitFor(ctx, signers[0], { address: safe });
  let tx = await first.createTransaction({
    transactions: calls.map((c) => ({ to: c.to, data: c.data, value: (c.value ?? 0n).toString() })),
  });
  for (const signer of signers) {
    const kit = signer === signers[0] ? first : await kitFor(ctx, signer, { address: safe });
    tx = await kit.signTransaction(tx);
  }
  return tx;
}

/**
 * Runs `calls` from the Safe: each of `signers` signs the Safe transaction (EIP-712), then `executor`
 * (default: the last signer) submits it with `execTransaction`. Several calls go through MultiSend as one
 * Safe transaction. A call that would revert is refused first (`SafeCallError`, with the revert data), and
 * protocol-kit refuses before sending when fewer owners than the threshold signed.
 * Returns the transaction hash of the execution.
 */
export async function execThroughSafe(
  ctx: SafeContext,
  safe: string,
  signers: string[],
  calls: SafeCall[],
  executor: string = signers[signers.length - 1],
): Promise<string> {
  await simulateSafeCalls(ctx, safe, calls);
  const tx = await signSafeCalls(ctx, safe, signers, calls);
  const kit = await kitFor(ctx, executor, { address: safe });
  const result = await kit.executeTransaction(tx);
  await waitForReceipt(ctx.provider, result.hash);
  return result.hash;
}

/** EIP-712 typed data as ethers takes it. */
export interface TypedData {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

/**
 * An ERC-1271 signature by the Safe of EIP-712 `typedData`: each of `signers` (owners, at least the threshold)
 * signs the Safe's `SafeMessage` wrapping of the typed-data digest; the concatenated owner signatures are what
 * `Safe.isValidSignature(digest, signature)` (through its CompatibilityFallbackHandler) accepts, and so what
 * OpenZeppelin's `SignatureChecker.isValidSignatureNow(safe, digest, signature)` accepts.
 */
export async function signTypedDataAsSafe(
  ctx: SafeContext,
  safe: string,
  signers: string[],
  typedData: TypedData,
): Promise<string> {
  const { buildSignatureBytes, hashSafeMessage } = protocolKit();
  const digest = TypedDataEncoder.hash(typedData.domain, typedData.types, typedData.message);
  // viem wants no null fields and a numeric chain id.
  const domain = Object.fromEntries(
    Object.entries(typedData.domain)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, k === "chainId" ? Number(v) : v]),
  );
  const kitData = { ...typedData, domain } as never;
  // The Safe signs SafeMessage{message: digest}; check protocol-kit hashes the typed data as ethers does.
  if (hashSafeMessage(kitData).toLowerCase() !== digest.toLowerCase()) {
    throw new TradeFinError("protocol-kit and ethers disagree on the EIP-712 digest of the typed data");
  }
  let message = (await kitFor(ctx, signers[0], { address: safe })).createMessage(kitData);
  for (const signer of signers) {
    message = await (await kitFor(ctx, signer, { address: safe })).signMessage(message);
  }
  return buildSignatureBytes([...message.signatures.values()]);
}

/**
 * An ERC-1271 signature by the Safe of a bare 32-byte `digest` (for example an EIP-712 digest computed
 * elsewhere): each of `signers` signs, with `eth_signTypedData_v4` through the provider, the Safe's EIP-712
 * `SafeMessage{message: digest}` in the Safe's domain (chain id, the Safe's address), which is what the Safe's
 * CompatibilityFallbackHandler checks; protocol-kit's `buildSignatureBytes` orders and joins the signatures.
 */
export async function signDigestAsSafe(
  ctx: SafeContext,
  safe: string,
  signers: string[],
  digest: string,
): Promise<string> {
  const { buildSignatureBytes, EthSafeSignature } = protocolKit();
  const typed = {
    types: {
      EIP712Domain: [
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      SafeMessage: [{ name: "message", type: "bytes" }],
    },
    domain: { chainId: Number(ctx.chainId), verifyingContract: safe },
    primaryType: "SafeMessage",
    message: { message: digest },
  };
  const signatures = [];
  for (const signer of signers) {
    const signature = (await ctx.provider.request({
      method: "eth_signTypedData_v4",
      params: [signer, JSON.stringify(typed)],
    })) as string;
    signatures.push(new EthSafeSignature(signer, signature));
  }
  return buildSignatureBytes(signatures);
}

/** The ERC-1271 magic value `isValidSignature(bytes32,bytes)` returns for a valid signature. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e";

/** True when the Safe accepts `signature` for `digest` under ERC-1271 (read through `runner`). */
export async function isValidSafeSignature(
  runner: Signer | import("ethers").Provider,
  safe: string,
  digest: string,
  signature: string,
): Promise<boolean> {
  const erc1271 = new Contract(
    safe,
    ["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"],
    runner,
  );
  try {
    return (await erc1271.isValidSignature(digest, signature)) === ERC1271_MAGIC_VALUE;
  } catch {
    return false;
  }
}

/** The owners and threshold of a deployed Safe, read through `runner`. */
export async function safeInfo(runner: Signer | import("ethers").Provider, safe: string) {
  const c = new Contract(safe, SAFE_ABI, runner);
  const [owners, threshold, nonce] = await Promise.all([c.getOwners(), c.getThreshold(), c.nonce()]);
  return { owners: owners as string[], threshold: Number(threshold), nonce: BigInt(nonce) };
}

/** True when `address` is a Safe (answers `getThreshold()` and `getOwners()`). */
export async function isSafe(runner: Signer | import("ethers").Provider, address: string): Promise<boolean> {
  try {
    const info = await safeInfo(runner, address);
    return info.threshold > 0 && info.owners.length > 0;
  } catch {
    return false;
  }
}
