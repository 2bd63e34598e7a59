/**
 * Governance (issue 14): the decisions the deploy tooling makes about who may hold power, and the timelock
 * operations the `governance:*` tasks schedule, execute and list. Pure checks first (no I/O), then chain access.
 * docs/GOVERNANCE.md explains the model; src/chain/safe.ts runs calls through the Safe.
 */
import {
  AbiCoder,
  Contract,
  Interface,
  ZeroHash,
  getAddress,
  id as keccakText,
  keccak256,
  type Provider,
  type Signer,
} from "ethers";
import { TradeFinError } from "../pure/tradeFinError";

/** A refused governance setting or operation; its message is one plain sentence. */
export class GovernanceError extends TradeFinError {
  override name = "GovernanceError";
}

/** The only chain on which a delay of 0 and a single-key admin are accepted without a flag (Hardhat's). */
export const DEV_CHAIN_ID = 31337;
/** 48 hours, the default delay of every privileged change. */
export const DEFAULT_DELAY_SECONDS = 48 * 3600;
/** The name of the flag that accepts a single key as admin or pool owner outside chain 31337. */
export const SINGLE_KEY_FLAG = "--i-accept-a-single-key-admin";

/** Parses and checks a timelock delay in seconds: a whole number, and 0 only on chain 31337. */
export function checkDelay(value: string | number | undefined, chainId: number): number {
  const delay = value === undefined || value === "" ? DEFAULT_DELAY_SECONDS : Number(value);
  if (!Number.isSafeInteger(delay) || delay < 0) {
    throw new GovernanceError(`the delay must be a whole number of seconds, got "${value}"`);
  }
  if (delay === 0 && chainId !== DEV_CHAIN_ID) {
    throw new GovernanceError(
      `a delay of 0 is allowed only on the local chain 31337, not on chain ${chainId}: privileged changes must wait`,
    );
  }
  return delay;
}

/** A holder of a privileged power the deploy task is about to install. */
export interface PowerHolder {
  /** What the holder is, in the sentence: "admin", "pool owner", "timelock proposer". */
  role: string;
  address: string;
  /** The account's code (`0x` for an externally owned account). */
  code: string;
}

/**
 * Why a deployment must be refused, or undefined when it may go on: outside chain 31337 every privileged holder
 * must be a contract (a timelock, a Safe), unless the operator passed the single-key flag.
 */
export function singleKeyRefusal(
  chainId: number,
  holders: PowerHolder[],
  acceptSingleKey: boolean,
): string | undefined {
  if (chainId === DEV_CHAIN_ID || acceptSingleKey) return undefined;
  const keys = holders.filter((h) => h.code === "0x" || h.code === "");
  if (keys.length === 0) return undefined;
  const which = keys.map((h) => `the ${h.role} ${getAddress(h.address)}`).join(" and ");
  return (
    `refusing to deploy on chain ${chainId}: ${which} ${keys.length === 1 ? "is a single key" : "are single keys"} ` +
    `(an externally owned account); pass --safe <Safe address> to put a timelock proposed by the Safe in charge, ` +
    `or ${SINGLE_KEY_FLAG} to accept the risk`
  );
}

/** Looks up the code of each holder and throws the refusal of `singleKeyRefusal`, if any. */
export async function assertNoSingleKey(
  provider: Pick<Provider, "getCode">,
  chainId: number,
  holders: { role: string; address: string }[],
  acceptSingleKey: boolean,
): Promise<void> {
  if (chainId === DEV_CHAIN_ID || acceptSingleKey) return;
  const withCode = await Promise.all(holders.map(async (h) => ({ ...h, code: await provider.getCode(h.address) })));
  const refusal = singleKeyRefusal(chainId, withCode, acceptSingleKey);
  if (refusal) throw new GovernanceError(refusal);
}

// ---------------------------------------------------------------------------------------------------------
// Timelock operations

/** The TimelockController functions and events the tooling uses. */
export const TIMELOCK_ABI = new Interface([
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt) payable",
  "function cancel(bytes32 id)",
  "function getMinDelay() view returns (uint256)",
  "function getTimestamp(bytes32 id) view returns (uint256)",
  "function getOperationState(bytes32 id) view returns (uint8)",
  "function hashOperation(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt) pure returns (bytes32)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function PROPOSER_ROLE() view returns (bytes32)",
  "event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)",
  "event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)",
  "event CallSalt(bytes32 indexed id, bytes32 salt)",
  "event Cancelled(bytes32 indexed id)",
]);

/** TimelockController.OperationState. */
export const OPERATION_STATES = ["unset", "waiting", "ready", "done"] as const;
export type OperationState = (typeof OPERATION_STATES)[number] | "cancelled";

/** One call through the timelock. */
export interface TimelockCall {
  target: string;
  value: bigint;
  data: string;
  predecessor: string;
  salt: string;
}

/** A call with the defaults: no value, no predecessor, and a salt (default zero). */
export function timelockCall(target: string, data: string, salt: string = ZeroHash): TimelockCall {
  return { target: getAddress(target), value: 0n, data, predecessor: ZeroHash, salt };
}

/** A salt from free text ("grant onboarder to bank B, ticket 42"), so the same call can be scheduled twice. */
export function saltOf(text: string | undefined): string {
  return text ? keccakText(text) : ZeroHash;
}

/** The operation id, as TimelockController.hashOperation computes it. */
export function operationId(call: TimelockCall): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "uint256", "bytes", "bytes32", "bytes32"],
      [call.target, call.value, call.data, call.predecessor, call.salt],
    ),
  );
}

/** Calldata of `timelock.schedule(call, delay)`: what the Safe sends. */
export function encodeSchedule(call: TimelockCall, delay: bigint | number): string {
  return TIMELOCK_ABI.encodeFunctionData("schedule", [
    call.target,
    call.value,
    call.data,
    call.predecessor,
    call.salt,
    delay,
  ]);
}

/** Calldata of `timelock.execute(call)`. */
export function encodeExecute(call: TimelockCall): string {
  return TIMELOCK_ABI.encodeFunctionData("execute", [call.target, call.value, call.data, call.predecessor, call.salt]);
}

/** Calldata of `timelock.cancel(id)`. */
export function encodeCancel(id: string): string {
  return TIMELOCK_ABI.encodeFunctionData("cancel", [id]);
}

/** A named contract whose ABI decodes the calls aimed at it. */
export interface KnownContract {
  name: string;
  address: string;
  iface: Interface;
}

/** The function a call runs, decoded with the ABI of its target when known: `grantRole(0x…, 0x…)`. */
export function describeCall(
  target: string,
  data: string,
  known: KnownContract[],
): { contract?: string; call: string } {
  const match = known.find((k) => k.address.toLowerCase() === target.toLowerCase());
  const candidates = match ? [match] : known;
  for (const k of candidates) {
    try {
      const tx = k.iface.parseTransaction({ data });
      if (!tx) continue;
      const args = tx.fragment.inputs.map((input, i) => `${input.name || input.type}=${formatArg(tx.args[i])}`);
      return { contract: match ? k.name : undefined, call: `${tx.name}(${args.join(", ")})` };
    } catch {
      // Not this ABI: try the next one.
    }
  }
  return { contract: match?.name, call: data.length > 10 ? `${data.slice(0, 10)}… (unknown function)` : data };
}

function formatArg(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatArg).join(", ")}]`;
  return String(v);
}

/** A scheduled operation as `governance:pending` lists it. */
export interface PendingOperation {
  id: string;
  /** The calls of the operation (one for `schedule`, several for `scheduleBatch`). */
  calls: { target: string; contract?: string; value: bigint; data: string; call: string }[];
  predecessor: string;
  salt: string;
  delay: bigint;
  /** Unix time from which it may execute (0 once done or cancelled). */
  readyAt: bigint;
  state: OperationState;
  scheduledBlock: number;
  scheduledTx: string;
}

/**
 * Every operation scheduled on `timelock` since `fromBlock`, from its CallScheduled, CallSalt, CallExecuted
 * and Cancelled events, with its state read from the chain (a cancelled one is "cancelled"). Calls are decoded
 * with the ABIs of `known`.
 */
export async function listOperations(
  runner: Provider | Signer,
  timelock: string,
  known: KnownContract[],
  fromBlock = 0,
): Promise<PendingOperation[]> {
  const c = new Contract(timelock, TIMELOCK_ABI, runner);
  const [scheduled, salts, cancelled] = await Promise.all([
    c.queryFilter(c.filters.CallScheduled(), fromBlock),
    c.queryFilter(c.filters.CallSalt(), fromBlock),
    c.queryFilter(c.filters.Cancelled(), fromBlock),
  ]);
  const saltOfId = new Map<string, string>();
  for (const e of salts) if ("args" in e) saltOfId.set(e.args.id as string, e.args.salt as string);
  const cancelledIds = new Set(cancelled.map((e) => ("args" in e ? (e.args.id as string) : "")));
  const byId = new Map<string, PendingOperation>();
  for (const e of scheduled) {
    if (!("args" in e)) continue;
    const opId = e.args.id as string;
    let op = byId.get(opId);
    if (!op) {
      // A cancelled id can be scheduled again; the latest scheduling wins.
      op = {
        id: opId,
        calls: [],
        predecessor: e.args.predecessor as string,
        salt: saltOfId.get(opId) ?? ZeroHash,
        delay: e.args.delay as bigint,
        readyAt: 0n,
        state: "unset",
        scheduledBlock: e.blockNumber,
        scheduledTx: e.transactionHash,
      };
      byId.set(opId, op);
    }
    const target = getAddress(e.args.target as string);
    const data = e.args.data as string;
    const index = Number(e.args.index);
    const described = describeCall(target, data, known);
    op.calls[index] = {
      target,
      contract: described.contract,
      value: e.args.value as bigint,
      data,
      call: described.call,
    };
  }
  const ops = [...byId.values()];
  await Promise.all(
    ops.map(async (op) => {
      const [state, timestamp] = await Promise.all([c.getOperationState(op.id), c.getTimestamp(op.id)]);
      const name = OPERATION_STATES[Number(state)];
      op.state = name === "unset" && cancelledIds.has(op.id) ? "cancelled" : name;
      op.readyAt = op.state === "waiting" || op.state === "ready" ? (timestamp as bigint) : 0n;
    }),
  );
  return ops.sort((a, b) => a.scheduledBlock - b.scheduledBlock);
}

/** The one scheduled operation with id `id` (reading its calls back from the events), or an error sentence. */
export async function findOperation(
  runner: Provider | Signer,
  timelock: string,
  id: string,
  known: KnownContract[],
  fromBlock = 0,
): Promise<PendingOperation> {
  const op = (await listOperations(runner, timelock, known, fromBlock)).find(
    (o) => o.id.toLowerCase() === id.toLowerCase(),
  );
  if (!op) throw new GovernanceError(`no operation ${id} was scheduled on the timelock ${timelock}`);
  return op;
}

/** True when `address` is a TimelockController (answers getMinDelay). */
export async function isTimelock(runner: Provider | Signer, address: string): Promise<boolean> {
  try {
    await new Contract(address, TIMELOCK_ABI, runner).getMinDelay();
    return true;
  } catch {
    return false;
  }
}

/** Where {@link governingTimelock} looks for the timelock in charge of a contract. */
export interface TimelockLookup {
  /** The participant registry, whose admin governs the core. */
  participants: { defaultAdmin(): Promise<string> };
  /** A pool's address, when the target is a pool: its owner governs it. */
  pool?: string;
  /** A timelock named by the caller (`--timelock`), checked instead. */
  given?: string;
}

/**
 * The timelock in charge of a target: the one given, else the pool's owner for a pool, else the registry's admin.
 *
 * @throws GovernanceError when that address is not a timelock (the deployment is not governed).
 */
export async function governingTimelock(runner: Signer, lookup: TimelockLookup): Promise<string> {
  const address = lookup.given
    ? lookup.given
    : lookup.pool
      ? ((await new Contract(lookup.pool, ["function owner() view returns (address)"], runner).owner()) as string)
      : await lookup.participants.defaultAdmin();
  if (!(await isTimelock(runner, address))) {
    const what = lookup.given ? "--timelock" : lookup.pool ? "the pool's owner" : "the registry's admin";
    throw new GovernanceError(
      `${address} (${what}) is not a timelock: this deployment is not governed (deploy with --safe), or pass --timelock`,
    );
  }
  return getAddress(address);
}

/** The timelock's minimum delay, in seconds. */
export async function timelockMinDelay(runner: Provider | Signer, timelock: string): Promise<bigint> {
  return (await new Contract(timelock, TIMELOCK_ABI, runner).getMinDelay()) as bigint;
}

/** When operation `id` becomes ready (Unix seconds; 0 unset, 1 done). */
export async function operationTimestamp(runner: Provider | Signer, timelock: string, id: string): Promise<bigint> {
  return (await new Contract(timelock, TIMELOCK_ABI, runner).getTimestamp(id)) as bigint;
}

/**
 * Refuses an `account` that may not propose to the timelock.
 *
 * @throws GovernanceError naming the proposing Safe to pass instead.
 */
export async function assertProposer(runner: Provider | Signer, timelock: string, account: string): Promise<void> {
  const tl = new Contract(timelock, TIMELOCK_ABI, runner);
  if (!(await tl.hasRole(await tl.PROPOSER_ROLE(), account))) {
    throw new GovernanceError(
      `${account} is not a proposer of the timelock ${timelock}: pass --safe <the proposing Safe> (or GOVERNANCE_SAFE)`,
    );
  }
}
