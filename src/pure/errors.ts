/**
 * Decoding of TradeFin reverts into plain sentences.
 *
 * `decodeError(err)` finds the revert data in an ethers error (or takes raw revert data), decodes it
 * against the compiled ABIs of the TradeFin contracts (which list the OpenZeppelin errors they can raise),
 * and renders a sentence such as "invoice INV-7 from Acme Ltd to Big Buyer was already registered on
 * 2026-03-02 (receivable #12)". Every error has a sentence template; a test fails when an interface
 * gains an error without one.
 */
import { ErrorFragment, Interface, dataSlice, isHexString, type ParamType } from "ethers";
import type * as TypeChain from "../../typechain-types";
import { AccessRole, DAY_SECONDS, FINANCING_STATUS_NAMES, HOUR, STATUS_NAMES } from "./constants";
import { roleNames } from "./ids";
import { formatBps } from "./money";
import { reasonNames } from "./risk";
import { TradeFinError } from "./tradeFinError";

// ----------------------------------------------------------------- sources

/**
 * Loads the TypeChain bindings on first use rather than at import: Hardhat tasks import this module
 * while Hardhat loads its config, which on a fresh checkout is before `hardhat compile` has generated
 * typechain-types.
 */
function typeChain(): typeof TypeChain {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("../../typechain-types") as typeof TypeChain;
  } catch (err) {
    throw new TradeFinError("typechain-types is missing; run `npx hardhat compile` first", { cause: err });
  }
}

/** The interfaces whose errors TradeFin contracts declare (the specification). */
export function tradeFinInterfaces(): { name: string; iface: Interface }[] {
  const { IParticipantRegistry__factory, IReceivableRegistry__factory, IRiskEngine__factory, IFinancingPool__factory } =
    typeChain();
  return [
    { name: "IParticipantRegistry", iface: IParticipantRegistry__factory.createInterface() },
    { name: "IReceivableRegistry", iface: IReceivableRegistry__factory.createInterface() },
    { name: "IRiskEngine", iface: IRiskEngine__factory.createInterface() },
    { name: "IFinancingPool", iface: IFinancingPool__factory.createInterface() },
  ];
}

/**
 * The ABIs of what TradeFin deploys and calls: each contract's ABI as the compiler wrote it, which lists
 * every error the contract can raise, the ones inherited from OpenZeppelin bases and libraries included
 * (AccessControl, Solady's ERC721, SafeERC20, ECDSA, SafeCast, ReentrancyGuard, Ownable, …). The settlement token
 * is represented by OpenZeppelin's ERC20Permit, whose errors (balance, allowance, permit) surface through
 * SafeERC20 unchanged when a payment or an advance fails in the token.
 */
export function compiledAbis(): { name: string; iface: Interface }[] {
  const {
    ParticipantRegistry__factory,
    ReceivableRegistry__factory,
    ReceivableLogic__factory,
    RiskEngine__factory,
    FinancingPool__factory,
    ReceivableLens__factory,
    ERC20Permit__factory,
  } = typeChain();
  return [
    { name: "ParticipantRegistry", iface: ParticipantRegistry__factory.createInterface() },
    { name: "ReceivableRegistry", iface: ReceivableRegistry__factory.createInterface() },
    // The registry's linked library raises its errors inside the registry's calls (among them OpenZeppelin's
    // Checkpoints and SafeCast ones).
    { name: "ReceivableLogic", iface: ReceivableLogic__factory.createInterface() },
    { name: "RiskEngine", iface: RiskEngine__factory.createInterface() },
    { name: "FinancingPool", iface: FinancingPool__factory.createInterface() },
    { name: "ReceivableLens", iface: ReceivableLens__factory.createInterface() },
    { name: "ERC20Permit", iface: ERC20Permit__factory.createInterface() },
  ];
}

/** Solidity's built-in reverts: `require(false, "text")` and panics. */
const BUILTIN = new Interface(["error Error(string message)", "error Panic(uint256 code)"]);

/** One decodable error and where it is declared. */
interface KnownError {
  source: string;
  fragment: ErrorFragment;
}

let defaultErrors: Map<string, KnownError> | undefined;

/**
 * Every error decodeError knows, keyed by selector; built once without extras. An error keeps the name of
 * the TradeFin interface that declares it as its source; an error that only a compiled ABI lists comes
 * from an OpenZeppelin base or library (a test checks each against the OpenZeppelin sources).
 */
function knownErrors(extra: readonly Interface[] = []): Map<string, KnownError> {
  if (extra.length === 0 && defaultErrors) return defaultErrors;
  const sources = [
    ...tradeFinInterfaces(),
    ...compiledAbis().map(({ iface }) => ({ name: "dependency", iface })),
    ...extra.map((iface, i) => ({ name: `extra#${i}`, iface })),
    { name: "Solidity", iface: BUILTIN },
  ];
  const map = new Map<string, KnownError>();
  for (const { name, iface } of sources) {
    iface.forEachError((fragment) => {
      if (!map.has(fragment.selector)) map.set(fragment.selector, { source: name, fragment });
    });
  }
  if (extra.length === 0) defaultErrors = map;
  return map;
}

/** Every error fragment decodeError can decode (for tests and tooling). */
export function allKnownErrors(): ErrorFragment[] {
  return [...knownErrors().values()].map((k) => k.fragment);
}

// ------------------------------------------------------------ context & API

/** A lookup that may be synchronous or asynchronous; undefined means "no better name". */
export type Lookup<T> = (value: string) => T | undefined | Promise<T | undefined>;

/** What a caller knows about an invoice key. */
export interface KeyDescription {
  /** e.g. "INV-7 from Acme Ltd to Big Buyer". */
  label: string;
  /** When the key was registered, e.g. "2026-03-02". */
  registeredOn?: string;
}

/** Optional lookups that replace ids with names in sentences. */
export interface DecodeContext {
  /** invoiceKey → invoice description. */
  describeKey?: Lookup<string | KeyDescription>;
  /** entityId → company name, e.g. "Acme Ltd". */
  describeEntity?: Lookup<string>;
  /** token address → symbol, e.g. "tUSD". */
  describeToken?: Lookup<string>;
  /** wallet address → who it is, e.g. "Acme Ltd (treasury wallet)". */
  describeWallet?: Lookup<string>;
  /**
   * Base units → an amount people read, e.g. "88,000.00 tUSD" (the deployment's currency). Without it
   * amounts read "88000000000 base units".
   */
  formatAmount?: (units: bigint) => string;
  /** More ABIs to decode against (e.g. a FinancingPool), tried after the TradeFin ones. */
  extraInterfaces?: readonly Interface[];
}

/** A decoded revert. */
export interface DecodedError {
  /** Error name, e.g. "ReceivableInvoiceKeyUsed"; "UnknownError" when no ABI matches, "EmptyRevert" without data. */
  name: string;
  /** Full signature, e.g. "ReceivableInvoiceKeyUsed(bytes32,uint256)" (empty when unknown). */
  signature: string;
  /** Where the error is declared: a TradeFin interface ("IReceivableRegistry", …), "dependency" (OpenZeppelin or Solady), "Solidity". */
  source: string;
  /** Arguments by parameter name (positional "arg0", … when unnamed). */
  args: Record<string, unknown>;
  /** The plain-English explanation. */
  sentence: string;
  /** The raw revert data. */
  data: string;
}

/**
 * Decodes a revert into its name, arguments and a plain sentence.
 *
 * @param err An ethers error (CALL_EXCEPTION, a provider error wrapping revert data, …) or raw revert
 *        data as hex.
 * @param ctx Optional lookups that put names on ids.
 * @returns The decoded error, or undefined when `err` carries no revert data (e.g. a network error):
 *          rethrow the original error then.
 */
export async function decodeError(err: unknown, ctx: DecodeContext = {}): Promise<DecodedError | undefined> {
  const found = findRevertData(err);
  const isCallException =
    typeof err === "object" && err !== null && (err as { code?: unknown }).code === "CALL_EXCEPTION";
  const data = found ?? (isCallException ? "0x" : undefined);
  if (data === undefined) return undefined;
  if (data === "0x") {
    const sentence = "the transaction reverted without a reason";
    return { name: "EmptyRevert", signature: "", source: "", args: {}, sentence, data };
  }
  const known = knownErrors(ctx.extraInterfaces).get(dataSlice(data, 0, 4).toLowerCase());
  if (!known) return unknownError(data, `unrecognised error ${dataSlice(data, 0, 4)}`);
  let values: unknown[];
  try {
    values = [...new Interface([known.fragment]).decodeErrorResult(known.fragment, data).toArray()];
  } catch {
    return unknownError(data, `${known.fragment.name} with undecodable arguments`);
  }
  const args = namedArgs(known.fragment.inputs, values);
  const sentence = await render(known.fragment, args, ctx);
  return {
    name: known.fragment.name,
    signature: known.fragment.format("sighash"),
    source: known.source,
    args,
    sentence,
    data,
  };
}

/** The result for data no known error matches. */
function unknownError(data: string, what: string): DecodedError {
  const sentence = `the transaction reverted with an ${what} (data ${data})`;
  return { name: "UnknownError", signature: "", source: "", args: {}, sentence, data };
}

/** Pairs decoded values with their parameter names. */
function namedArgs(inputs: readonly ParamType[], values: unknown[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  inputs.forEach((p, i) => (args[p.name || `arg${i}`] = values[i]));
  return args;
}

/**
 * Finds revert data in an error: a hex string itself, or a `data` field (possibly nested in `error`,
 * `info.error`, `cause`, `data.data`) as ethers, Hardhat and JSON-RPC providers report it.
 */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || err === null || err === undefined) return undefined;
  if (typeof err === "string") return isHexString(err) && (err.length === 2 || err.length >= 10) ? err : undefined;
  if (typeof err !== "object") return undefined;
  const o = err as Record<string, unknown>;
  for (const key of ["data", "error", "info", "cause"]) {
    const found = findRevertData(o[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

// --------------------------------------------------------------- rendering

/** Rendered (human) labels of the arguments, by parameter name. */
type Labels = Record<string, string>;
/** Extra details a template may use. */
interface Extra {
  raw: Record<string, unknown>;
  key?: KeyDescription;
  /** Formats a raw amount like the amount parameters. */
  amount: (value: unknown) => string;
}
type Template = (p: Labels, x: Extra) => string;

/** Role id → its name, e.g. keccak256("ONBOARDER_ROLE") → "ONBOARDER_ROLE". */
const ROLE_IDS: Record<string, string> = Object.fromEntries(
  Object.entries(AccessRole).map(([name, roleId]) => [roleId, name]),
);

// Defined in ./constants; re-exported because sentences and reports read them from here.
export { FINANCING_STATUS_NAMES, STATUS_NAMES };

const TIMESTAMP_PARAMS = new Set([
  "nowTimestamp",
  "deadline",
  "defaultableAfter",
  "kycExpiry",
  "validUntil",
  "latestAllowed",
  "schedule",
]);
const DATE_PARAMS = new Set(["issueDate", "dueDate"]);
/** Parameters that hold token amounts in base units; sentences show them in currency units. */
const AMOUNT_PARAMS = new Set([
  "amount",
  "balance",
  "needed",
  "allowance",
  "sum",
  "outstanding",
  "expected",
  "received",
  "available",
  "netAdvance",
  "minNetAdvance",
  "limit",
  "paid",
]);

/** An amount in currency units when the context can tell them, else in base units. */
function amountLabel(value: unknown, ctx: DecodeContext): string {
  const units = BigInt(value as bigint);
  try {
    if (ctx.formatAmount) return ctx.formatAmount(units);
  } catch {
    // fall through to base units
  }
  return `${units} base units`;
}

/** Reason-code bits as words: "overdue, tenor too long". */
export function reasonWords(codes: bigint): string {
  const names = reasonNames(codes).map((n) => n.toLowerCase().replace(/_/g, " "));
  return names.length > 0 ? names.join(", ") : `code ${codes}`;
}

/** Unix seconds as "2026-03-02 14:05:00 UTC" (or "2026-03-02" with `dateOnly`). */
export function formatTimestamp(seconds: bigint | number, dateOnly = false): string {
  const n = Number(seconds);
  if (!Number.isSafeInteger(n) || n > 253402300799) return String(seconds);
  const iso = new Date(n * 1000).toISOString();
  return dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Seconds as whole days and hours, e.g. "30 days" or "2 days 3 hours". */
function formatDuration(seconds: bigint): string {
  const days = seconds / DAY_SECONDS;
  const hours = (seconds % DAY_SECONDS) / BigInt(HOUR);
  const d = `${days} day${days === 1n ? "" : "s"}`;
  return hours === 0n ? d : `${d} ${hours} hour${hours === 1n ? "" : "s"}`;
}

/** Calls a lookup, treating a failure like "no better name" so that a lookup never hides the error. */
async function lookUp<T>(fn: Lookup<T> | undefined, value: string): Promise<T | undefined> {
  if (!fn) return undefined;
  try {
    return await fn(value);
  } catch {
    return undefined;
  }
}

/** The human label of one argument, chosen by its ABI type and name. */
async function label(p: ParamType, value: unknown, ctx: DecodeContext): Promise<string> {
  const name = p.name;
  const v = String(value);
  if (p.type === "bytes32") return labelBytes32(name, v, ctx);
  if (p.type === "address") {
    const fn = name === "token" || name === "currency" ? ctx.describeToken : ctx.describeWallet;
    return (await lookUp(fn, v)) ?? v;
  }
  if (name === "role" || name === "roles") return roleNames(Number(value)).join("+") || "no role";
  if (name === "financingStatus") return FINANCING_STATUS_NAMES[Number(value)] ?? `status ${v}`;
  if (name === "status" || name === "registryStatus") return STATUS_NAMES[Number(value)] ?? `status ${v}`;
  if (name === "suspension") return Number(value) === 2 ? "by a regulator" : "by an onboarder";
  if (name === "pdBps") return formatBps(BigInt(v));
  if (name === "reasonCodes") return reasonWords(BigInt(v));
  if (AMOUNT_PARAMS.has(name) && p.type.startsWith("uint")) return amountLabel(value, ctx);
  if (DATE_PARAMS.has(name)) return formatTimestamp(BigInt(v), true);
  if (TIMESTAMP_PARAMS.has(name)) return formatTimestamp(BigInt(v));
  return v;
}

/** Labels a bytes32 argument: entity, invoice key, role id, or hex. */
async function labelBytes32(name: string, v: string, ctx: DecodeContext): Promise<string> {
  if (/entityId$/i.test(name)) return (await lookUp(ctx.describeEntity, v)) ?? `entity ${v}`;
  if (name === "invoiceKey") {
    const d = await lookUp(ctx.describeKey, v);
    return typeof d === "string" ? d : (d?.label ?? `with key ${v}`);
  }
  if (/role$/i.test(name)) return ROLE_IDS[v] ?? `role ${v}`;
  return v;
}

/** Renders the sentence of a decoded error. */
async function render(fragment: ErrorFragment, raw: Record<string, unknown>, ctx: DecodeContext): Promise<string> {
  const labels: Labels = {};
  for (const [i, p] of fragment.inputs.entries()) {
    const key = p.name || `arg${i}`;
    labels[key] = await label(p, raw[key], ctx);
  }
  const extra: Extra = { raw, amount: (value) => amountLabel(value, ctx) };
  if (typeof raw.invoiceKey === "string") {
    const d = await lookUp(ctx.describeKey, raw.invoiceKey);
    if (d && typeof d !== "string") extra.key = d;
  }
  const template = SENTENCES[fragment.name];
  if (template) return template(labels, extra);
  const list = Object.entries(labels).map(([k, v]) => `${k} ${v}`);
  return `${fragment.name}${list.length ? ` (${list.join(", ")})` : ""}`;
}

// --------------------------------------------------------------- sentences

const PANICS: Record<number, string> = {
  0x01: "an internal consistency check (assert) failed",
  0x11: "an arithmetic operation overflowed or underflowed",
  0x12: "a division or modulo by zero",
  0x21: "a value out of range was converted to an enum",
  0x22: "a storage byte array is incorrectly encoded",
  0x31: "pop() was called on an empty array",
  0x32: "an array index was out of bounds",
  0x41: "too much memory was allocated",
  0x51: "an uninitialised function was called",
};

const NOT_ACTIVE = "unregistered, suspended, KYC expired or lacking the role";

/** Sentence templates by error name. Each starts lower-case so callers can prefix "Refused: ". */
export const SENTENCES: Readonly<Record<string, Template>> = {
  // ------------------------------------------------------ Solidity built-ins
  Error: (p) => p.message,
  Panic: (_p, x) => `the contract panicked: ${PANICS[Number(x.raw.code)] ?? `panic code ${x.raw.code}`}`,

  // --------------------------------------------------- IParticipantRegistry
  ParticipantZeroEntityId: () => "the entity id is zero",
  ParticipantZeroAddress: () => "the wallet or token address is zero",
  ParticipantInvalidRoles: (_p, x) =>
    `role bits ${x.raw.roles} are not a non-empty combination of SUPPLIER, BUYER, FINANCIER and REGULATOR`,
  ParticipantKycExpiryInPast: (p) => `the KYC expiry ${p.kycExpiry} is not in the future (now ${p.nowTimestamp})`,
  ParticipantAlreadyRegistered: (p) => `${p.entityId} is already registered`,
  ParticipantUnknownEntity: (p) => `${p.entityId} is not registered`,
  ParticipantWalletAlreadyBound: (p) => `wallet ${p.wallet} is already bound to ${p.entityId}`,
  ParticipantWalletNotBound: (p) => `wallet ${p.wallet} is not bound to any participant`,
  ParticipantTooManyWallets: (p) =>
    `participant ${p.entityId} already has the maximum of ${p.maxWallets} wallets; remove one before adding another`,
  ParticipantNotOnboarderOrRegulator: (p) => `${p.caller} is neither an onboarder nor an active regulator`,
  ParticipantAlreadySuspended: (p) => `${p.entityId} is already suspended (${p.suspension})`,
  ParticipantNotSuspended: (p) => `${p.entityId} is not suspended`,
  ParticipantSuspendedByRegulator: (p) =>
    `${p.entityId} was suspended by a regulator; only a regulator can reinstate it`,
  ParticipantRegulatorRequiresAdmin: (p) =>
    `${p.caller} is not the admin: only the admin registers or edits a regulator (${p.entityId}, roles ${p.roles})`,
  ParticipantRegulatorRequiresRegulator: (p) =>
    `${p.caller} is not an active regulator: only a regulator suspends or reinstates the regulator ${p.entityId}`,
  ParticipantWalletMarkedPullOnly: (p) =>
    `wallet ${p.wallet} was bound pull-only (a financing pool) and can be bound again only with --pull-only`,
  ParticipantNotActive: (p) => `wallet ${p.wallet} is not an active ${p.role} participant (${NOT_ACTIVE})`,
  ParticipantEntityNotActive: (p) => `${p.entityId} is not an active ${p.role} participant (${NOT_ACTIVE})`,
  ParticipantCurrencyNotAllowed: (p) => `${p.token} is not an allowed settlement currency`,
  ParticipantUnsupportedCurrency: (p) =>
    `${p.token} cannot be a settlement currency: it reports more than 18 decimals or its decimals() cannot be read`,

  // ---------------------------------------------------- IReceivableRegistry
  ReceivableNotFound: (p) => `receivable #${p.id} does not exist`,
  ReceivableInvalidStatus: (p) => `receivable #${p.id} is ${p.status}, which does not allow this operation`,
  ReceivableZeroAmount: () => "the amount is zero",
  ReceivableAmountTooLarge: (p, x) =>
    `the amount ${p.amount} exceeds the largest face amount the registry stores (${x.amount(x.raw.max)})`,
  ReceivableInvalidDates: (p) =>
    `the invoice dates are inconsistent: issued ${p.issueDate}, due ${p.dueDate}, now ${p.nowTimestamp} ` +
    "(the issue date must not be in the future and the due date must be later than both)",
  ReceivableSellerIsBuyer: (p) => `${p.entityId} cannot invoice itself: seller and buyer are the same entity`,
  ReceivableInvoiceKeyUsedByPredecessor: (p) =>
    `invoice ${p.invoiceKey} was already registered in the registry this one replaced (${p.predecessor})`,
  ReceivableInvoiceKeyUsed: (p, x) =>
    x.key?.registeredOn
      ? `invoice ${p.invoiceKey} was already registered on ${x.key.registeredOn} (receivable #${p.existingId})`
      : `invoice ${p.invoiceKey} was already registered as receivable #${p.existingId}`,
  ReceivableBatchSize: (p) => `a batch of ${p.size} invoices is not allowed: send between 1 and ${p.max}`,
  ReceivableNotBuyer: (p) => `${p.caller} is not an active wallet of the buyer of receivable #${p.id}`,
  ReceivableNotBuyerPayer: (p) =>
    `${p.payer} is not a wallet of the buyer of receivable #${p.id}: only the buyer entity's own wallets may pay it`,
  ReceivableNonceRevoked: (p) =>
    `${p.signer} revoked acknowledgement nonce ${p.nonce}: the signature was cancelled, ask the buyer for a new one`,
  ReceivableNotSeller: (p) => `${p.caller} is not a wallet of the seller of receivable #${p.id}`,
  ReceivableNotHolder: (p) => `${p.caller} does not hold receivable #${p.id}`,
  ReceivableSignatureExpired: (p) => `the signature expired at ${p.deadline} (now ${p.nowTimestamp})`,
  ReceivableInvalidSigner: (p) =>
    `the signature recovers to ${p.signer}, which is not an active wallet of the buyer (or it signs other terms)`,
  ReceivableKeyMismatch: (p) => `invoice ${p.invoiceKey} does not belong to receivable #${p.id}`,
  ReceivableIsFrozen: (p) => `receivable #${p.id} is frozen by a regulator`,
  ReceivableNotFrozen: (p) => `receivable #${p.id} is not frozen`,
  ReceivableNotRegulator: (p) => `${p.caller} is not an active regulator`,
  ReceivableUnauthorized: (p) => `${p.caller} does not hold ${p.role}`,
  ReceivableRecipientPullsOnly: (p) =>
    `${p.to} is a financing pool: it takes receivable #${p.id} only through its own finance, so finance it there instead of transferring it`,
  ReceivableInvalidRecipient: (p) =>
    `${p.to} cannot receive receivable #${p.id}: it must be an active supplier or financier and not the buyer`,
  ReceivableHolderNotActive: (p) => `the holder of receivable #${p.id}, ${p.holder}, is not an active participant`,
  ReceivablePaymentShortfall: (p) =>
    `the payment of receivable #${p.id} fell short: ${p.expected} was sent but ${p.received} arrived ` +
    "(a fee-on-transfer token?)",
  ReceivableNothingToWithdraw: (p) => `nothing is credited to ${p.holder} in ${p.currency}`,
  ReceivableZeroRecipient: () => "the withdrawal recipient is the zero address",
  ReceivableNotYetDefaultable: (p) =>
    `receivable #${p.id} cannot be declared in default before ${p.defaultableAfter} (now ${p.nowTimestamp})`,
  ReceivableSplitCount: (p) => `a split into ${p.count} parts is not allowed: use between 2 and ${p.max}`,
  ReceivableSplitDepth: (p) => `the split would reach depth ${p.depth}, beyond the limit of ${p.max}`,
  ReceivableSplitSumMismatch: (p) =>
    `the parts add up to ${p.sum} but ${p.outstanding} is outstanding; they must match exactly`,
  ReceivableSplitZeroAmount: (_p, x) => `part ${BigInt(x.raw.index as bigint) + 1n} of the split is zero`,
  ReceivableGracePeriodTooLong: (_p, x) =>
    `a grace period of ${formatDuration(x.raw.gracePeriod as bigint)} is longer than the maximum of ` +
    `${formatDuration(x.raw.max as bigint)}`,

  ReceivablePaused: () => "new business is paused by the guardian (payments still work)",
  ReceivableNotPaused: () => "the registry is not paused",

  // ------------------------------------------------------------ IRiskEngine
  RiskNotRatingAgent: (p) => `${p.caller} is not a rating agent`,
  RiskPdOutOfRange: (_p, x) => {
    const pd = x.raw.pdBps as bigint;
    const lo = x.raw.minPdBps as bigint;
    return pd > (x.raw.maxPdBps as bigint)
      ? `a probability of default of ${formatBps(pd)} is above 100 %`
      : `a probability of default of ${formatBps(pd)} is below the floor of ${formatBps(lo)} (a PD of 0 never means no risk)`;
  },
  RiskRatingValidityTooLong: (p) =>
    `the rating would be valid until ${p.validUntil}, later than the longest validity allowed (${p.latestAllowed})`,
  RiskNotPoolOwner: (p) => `${p.caller} does not own pool ${p.pool}: only its manager chooses its rating agent`,
  RiskRatingExpiryInPast: (p) =>
    `the rating would expire at ${p.validUntil}, which is not in the future (now ${p.nowTimestamp})`,
  RiskUnknownEntity: (p) => `buyer ${p.entityId} is not registered`,
  RiskInvalidPolicy: (p) => `the risk policy is invalid: check ${p.field}`,

  // --------------------------------------------------------- IFinancingPool
  PoolZeroAddress: () => "an address is zero",
  PoolZeroAmount: () => "the amount is zero",
  PoolAmountTooLarge: (p, x) =>
    `the amount ${p.amount} is larger than the pool's accounting holds (${x.amount(x.raw.max)})`,
  PoolTransferShortfall: (p) => `only ${p.received} of ${p.expected} arrived (fee-on-transfer token?)`,
  PoolInsufficientLiquidity: (p) => `the pool has ${p.available} of free liquidity but ${p.needed} is needed`,
  PoolCurrencyMismatch: (p) => `receivable #${p.id} is in ${p.currency}, but the pool lends ${p.asset}`,
  PoolNotHolder: (p) => `${p.caller} does not hold receivable #${p.id}`,
  PoolNotFinanceable: (p) =>
    `receivable #${p.id} is ${p.registryStatus}; only acknowledged, unpaid receivables can be financed`,
  PoolAlreadyFinanced: (p) => `receivable #${p.id} is already ${p.financingStatus} in this pool`,
  PoolNotEligible: (p) => `receivable #${p.id} is not eligible under the pool's policy (${p.reasonCodes})`,
  PoolSlippage: (p) =>
    `the net paid out for receivable #${p.id} would be ${p.netAdvance}, below the minimum ${p.minNetAdvance}`,
  PoolFeeTooHigh: (p) => `the fee for receivable #${p.id} would be ${p.fee}, above the most accepted (${p.maxFee})`,
  PoolInvalidAutoCap: (p, x) =>
    `a supplier cap of ${p.cap} per ${formatDuration(BigInt(x.raw.period as bigint))} is invalid: ` +
    "give both an amount and a period, or both zero to switch the cap off",
  PoolDeadlinePassed: (p) => `the deadline ${p.deadline} has passed (now ${p.nowTimestamp})`,
  PoolTotalExposureLimit: (p) =>
    `paying out ${p.netAdvance} net would take what the pool has paid out and not yet recovered (${p.outstanding}) ` +
    `over its limit of ${p.limit}`,
  PoolRegistryPaused: () => "new business is paused in the receivable registry",
  PoolInvalidStatus: (p) =>
    `financing of receivable #${p.id} is ${p.financingStatus}, which does not allow this operation`,
  PoolNothingToCollect: (p) => `no new payment to collect for receivable #${p.id}`,
  PoolRecourseNotAvailable: (p) =>
    `recourse is not available for receivable #${p.id} (the policy had no recourse or it is not in default)`,
  PoolNotSupplier: (p) => `${p.caller} is not the supplier financed for receivable #${p.id}`,
  PoolNothingToWithdraw: (p) => `no reserve is waiting for ${p.supplier}`,
  PoolRequestStillValid: (p) =>
    `the request for receivable #${p.id} can still be approved until ${p.deadline}: the supplier still holds it ` +
    "and it is acknowledged, unpaid, unfrozen and not overdue",

  // ----------------------------------------------------------- OpenZeppelin
  AccessControlUnauthorizedAccount: (p) => `${p.account} does not hold ${p.neededRole}`,
  AccessControlBadConfirmation: () => "an account can only renounce a role for itself",
  AccessControlInvalidDefaultAdmin: (p) => `${p.defaultAdmin} cannot become the default admin`,
  AccessControlEnforcedDefaultAdminRules: () =>
    "the default admin can only change through the two-step, delayed admin transfer",
  AccessControlEnforcedDefaultAdminDelay: (p) => `the admin change cannot complete before ${p.schedule}`,
  OwnableUnauthorizedAccount: (p) => `${p.account} is not the manager (owner) of this pool`,
  OwnableInvalidOwner: (p) => `${p.owner} cannot become the manager (owner) of this pool`,
  ERC20InsufficientBalance: (p) => `${p.sender} has ${p.balance} but ${p.needed} is needed`,
  ERC20InvalidSender: (p) => `${p.sender} cannot send tokens`,
  ERC20InvalidReceiver: (p) => `${p.receiver} cannot receive tokens`,
  ERC20InsufficientAllowance: (p) => `${p.spender} may spend ${p.allowance} but ${p.needed} is needed`,
  ERC20InvalidApprover: (p) => `${p.approver} cannot approve spending`,
  ERC20InvalidSpender: (p) => `${p.spender} cannot be approved to spend`,
  NotOwnerNorApproved: () => "the caller neither holds the receivable nor is approved to move it",
  TokenDoesNotExist: () => "the receivable does not exist",
  TokenAlreadyExists: () => "the receivable already exists",
  TransferFromIncorrectOwner: () => "the sender named does not hold the receivable",
  TransferToZeroAddress: () => "a receivable cannot be sent to the zero address",
  TransferToNonERC721ReceiverImplementer: () => "the recipient contract does not accept ERC-721 tokens",
  BalanceQueryForZeroAddress: () => "the zero address holds no receivables",
  AccountBalanceOverflow: () => "the holder's receivable count would overflow",
  SafeERC20FailedOperation: (p) => `a transfer of ${p.token} failed`,
  ERC2612ExpiredSignature: (p) => `the permit expired at ${p.deadline}`,
  ERC2612InvalidSigner: (p) => `the permit was signed by ${p.signer}, not by the owner ${p.owner}`,
  ReentrancyGuardReentrantCall: () => "a re-entrant call was refused",
  ECDSAInvalidSignature: () => "the signature is invalid",
  ECDSAInvalidSignatureLength: (p) => `the signature is ${p.length} bytes long; 65 are expected`,
  ECDSAInvalidSignatureS: () => "the signature is malleable (high s value) and is refused",
  InvalidAccountNonce: (p) => `the nonce is not the current one of ${p.account} (${p.currentNonce})`,
  InvalidShortString: () => "a stored short string is malformed",
  StringTooLong: (p) => `the text "${p.str}" is too long for a short string`,
  CheckpointUnorderedInsertion: () => "a checkpoint would be written out of order",
  SafeCastOverflowedUintDowncast: (p) => `the value ${p.value} does not fit in ${p.bits} bits`,
};
