/**
 * Governance tasks (issue 14; docs/GOVERNANCE.md): schedule a call to a TradeFin contract through the timelock
 * (via the Safe when the proposer is a Safe), execute it once the delay has run, and list what is scheduled.
 * `governance:create-safe` deploys the Safe contracts and a Safe on a local chain (public chains have them).
 */
import { Interface, id as keccakText, isAddress, type FunctionFragment } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { resolveAddress } from "../src/hardhat/context";
import type { TradeFin } from "../src/hardhat/context";
import { formatTimestamp } from "../src/pure/errors";
import {
  DEV_CHAIN_ID,
  GovernanceError,
  assertProposer,
  encodeExecute,
  encodeSchedule,
  findOperation,
  governingTimelock,
  listOperations,
  operationId,
  operationTimestamp,
  saltOf,
  timelockCall,
  timelockMinDelay,
  type KnownContract,
  type PendingOperation,
} from "../src/chain/governance";
import { createSafe, deploySafeContracts, execThroughSafe, isSafe, type SafeCall } from "../src/chain/safe";
import { TaskInputError, required, tradefinTask, type Session } from "./lib/cli";
import { readLocalSafes, safeContextOf, writeLocalSafes } from "./lib/governance";

/** The TradeFin contracts of the deployment (and its pools and timelock), with their ABIs, for encoding and decoding. */
async function knownContracts(tf: TradeFin, timelock?: string): Promise<KnownContract[]> {
  const hre = tf.hre;
  const iface = async (name: string) => new Interface((await hre.artifacts.readArtifact(name)).abi);
  const out: KnownContract[] = [
    { name: "participants", address: tf.book.contracts.participants, iface: await iface("ParticipantRegistry") },
    { name: "receivables", address: tf.book.contracts.receivables, iface: await iface("ReceivableRegistry") },
    { name: "riskEngine", address: tf.book.contracts.riskEngine, iface: await iface("RiskEngine") },
  ];
  const poolAbi = await iface("FinancingPool");
  for (const [bank, p] of Object.entries(tf.book.pools))
    out.push({ name: `pool:${bank}`, address: p.address, iface: poolAbi });
  if (timelock) out.push({ name: "timelock", address: timelock, iface: await iface("Timelock") });
  return out;
}

/** `--contract`: participants | receivables | riskEngine | pool:<bank> | timelock | an address of the book. */
function pickContract(known: KnownContract[], value: string): KnownContract {
  const match = known.find(
    (k) => k.name === value || (isAddress(value) && k.address.toLowerCase() === value.toLowerCase()),
  );
  if (!match) {
    throw new TaskInputError(
      `--contract "${value}" is not one of ${known.map((k) => k.name).join(", ")} (or one of their addresses)`,
    );
  }
  return match;
}

/** A role name (`ONBOARDER_ROLE`) as its bytes32 id; DEFAULT_ADMIN_ROLE is zero. */
function roleId(name: string): string {
  return name === "DEFAULT_ADMIN_ROLE" ? "0x" + "00".repeat(32) : keccakText(name);
}

/** Encodes `fn(args)` for `target`: role names for bytes32 role arguments, account indexes for addresses. */
async function encodeCall(
  hre: HardhatRuntimeEnvironment,
  target: KnownContract,
  fn: string,
  argsJson: string | undefined,
) {
  let fragment: FunctionFragment | null;
  try {
    fragment = target.iface.getFunction(fn);
  } catch {
    throw new TaskInputError(
      `"${fn}" names several functions of ${target.name}: give the full signature, e.g. "${fn}(…)"`,
    );
  }
  if (!fragment) throw new TaskInputError(`${target.name} has no function "${fn}"`);
  if (fragment.stateMutability === "view" || fragment.stateMutability === "pure") {
    throw new TaskInputError(`${fragment.name} is a view: there is nothing to schedule`);
  }
  let raw: unknown[];
  try {
    raw = argsJson ? (JSON.parse(argsJson) as unknown[]) : [];
  } catch {
    throw new TaskInputError(`--args must be a JSON array, e.g. '["ONBOARDER_ROLE", "0x…"]'`);
  }
  if (!Array.isArray(raw) || raw.length !== fragment.inputs.length) {
    throw new TaskInputError(
      `${fragment.format("sighash")} takes ${fragment.inputs.length} argument(s); --args must be a JSON array of them`,
    );
  }
  const values = await Promise.all(
    fragment.inputs.map(async (input, i) => {
      const v = raw[i];
      if (input.type === "bytes32" && typeof v === "string" && /^[A-Z][A-Z0-9_]*_ROLE$/.test(v)) return roleId(v);
      if (input.type === "address" && typeof v === "string")
        return resolveAddress(hre, v, input.name || `argument ${i + 1}`);
      return v;
    }),
  );
  return { fragment, data: target.iface.encodeFunctionData(fragment, values) };
}

/** The timelock in charge of `target`: `--timelock`, else the pool's owner, or the registry's admin. */
async function timelockFor(
  tf: TradeFin,
  target: KnownContract | undefined,
  given: string | undefined,
): Promise<string> {
  return governingTimelock(tf.signer, {
    participants: tf.participants,
    ...(target?.name.startsWith("pool:") ? { pool: target.address } : {}),
    ...(given ? { given: await resolveAddress(tf.hre, given, "--timelock") } : {}),
  });
}

/** Addresses of `--signers` (account indexes or addresses the network holds keys for). */
async function signersOf(hre: HardhatRuntimeEnvironment, value: string | undefined): Promise<string[]> {
  if (!value) return [];
  return Promise.all(
    value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => resolveAddress(hre, v, "--signers")),
  );
}

/** Sends `call` as the proposer: through the Safe with `signers`, or prints it for the Safe app; or from the signer. */
async function sendAsProposer(
  s: Session,
  tf: TradeFin,
  safeArg: string | undefined,
  signersArg: string | undefined,
  call: SafeCall,
): Promise<{ tx?: string; safeTransaction?: SafeCall & { safe: string } }> {
  const safe = safeArg ?? process.env.GOVERNANCE_SAFE?.trim();
  if (!safe) {
    const receipt = await (await tf.signer.sendTransaction({ to: call.to, data: call.data })).wait();
    return { tx: receipt?.hash };
  }
  const safeAddress = await resolveAddress(tf.hre, safe, "--safe");
  if (!(await isSafe(tf.signer, safeAddress))) throw new GovernanceError(`--safe ${safeAddress} is not a Safe`);
  const signers = await signersOf(tf.hre, signersArg);
  if (signers.length === 0) {
    s.say(
      `Propose this transaction in the Safe ${safeAddress} (Safe app, Transaction Builder), to be signed by its owners:`,
    );
    s.say(`  to    ${call.to}`);
    s.say(`  value 0`);
    s.say(`  data  ${call.data}`);
    return { safeTransaction: { safe: safeAddress, ...call } };
  }
  const ctx = await safeContextOf(tf.hre);
  const tx = await execThroughSafe(ctx, safeAddress, signers, [call]);
  return { tx };
}

function printOperation(s: Session, op: PendingOperation): void {
  const when = op.readyAt > 0n ? formatTimestamp(op.readyAt) : "—";
  s.say(`${op.id}  ${op.state.padEnd(9)} ready at ${when}`);
  for (const c of op.calls) s.say(`    ${c.contract ?? c.target}.${c.call}`);
}

function operationJson(op: PendingOperation) {
  return {
    ...op,
    readyAt: op.readyAt > 0n ? Number(op.readyAt) : null,
    readyAtIso: op.readyAt > 0n ? new Date(Number(op.readyAt) * 1000).toISOString() : null,
  };
}

interface ScheduleArgs {
  contract?: string;
  function?: string;
  args?: string;
  salt?: string;
  delay?: string;
  timelock?: string;
  safe?: string;
  signers?: string;
}

tradefinTask<ScheduleArgs>(
  "governance:schedule",
  "Schedule a call to a TradeFin contract through the timelock (via the Safe when --safe is given)",
  (t) =>
    t
      .addOptionalParam("contract", "participants | receivables | riskEngine | pool:<bank> | timelock, or an address")
      .addOptionalParam("function", 'Function name or signature, e.g. grantRole or "setPolicy((…))"')
      .addOptionalParam("args", `Arguments as a JSON array; role names and account indexes are accepted`)
      .addOptionalParam("salt", "Free text that tells two schedulings of the same call apart")
      .addOptionalParam("delay", "Seconds before it may run (default and minimum: the timelock's delay)")
      .addOptionalParam("timelock", "The timelock (default: the pool's owner, or the registry's admin)")
      .addOptionalParam(
        "safe",
        "The Safe that proposes (default: GOVERNANCE_SAFE from .env; none: the signer proposes)",
      )
      .addOptionalParam("signers", "Safe owners who sign now, comma-separated (without: print the Safe transaction)"),
  async (args, s) => {
    const tf = await s.tradefin();
    const contract = required(args.contract, "contract");
    // The timelock's own functions (updateDelay, grantRole(PROPOSER_ROLE, …)) go through itself.
    const own = contract === "timelock" ? await timelockFor(tf, undefined, args.timelock) : undefined;
    const known = await knownContracts(tf, own);
    const target = pickContract(known, contract);
    const timelock = await timelockFor(tf, target, args.timelock);
    const { fragment, data } = await encodeCall(tf.hre, target, required(args.function, "function"), args.args);
    const minDelay = await timelockMinDelay(tf.signer, timelock);
    const delay = args.delay === undefined ? minDelay : BigInt(args.delay);
    if (delay < minDelay)
      throw new GovernanceError(`--delay ${delay} is below the timelock's minimum of ${minDelay} s`);
    const call = timelockCall(target.address, data, saltOf(args.salt));
    const id = operationId(call);
    const safeGiven = args.safe ?? (process.env.GOVERNANCE_SAFE?.trim() || undefined);
    if (!safeGiven) await assertProposer(tf.signer, timelock, tf.signer.address);
    const sent = await sendAsProposer(s, tf, args.safe, args.signers, {
      to: timelock,
      data: encodeSchedule(call, delay),
    });
    const readyAt = sent.tx ? await operationTimestamp(tf.signer, timelock, id) : 0n;
    if (sent.tx) {
      s.say(`Scheduled ${target.name}.${fragment.name} on the timelock ${timelock}`);
      s.say(`  operation ${id}`);
      s.say(`  ready at  ${formatTimestamp(readyAt)}; then: npx hardhat governance:execute --id ${id}`);
    }
    return {
      ok: true,
      id,
      timelock,
      target: target.address,
      contract: target.name,
      function: fragment.format("sighash"),
      data,
      salt: call.salt,
      delay: Number(delay),
      readyAt: readyAt > 0n ? Number(readyAt) : null,
      tx: sent.tx ?? null,
      safeTransaction: sent.safeTransaction ?? null,
    };
  },
);

interface ExecuteArgs {
  id?: string;
  timelock?: string;
  safe?: string;
  signers?: string;
}

tradefinTask<ExecuteArgs>(
  "governance:execute",
  "Execute a scheduled operation whose delay has run (anyone may, unless the timelock restricts executors)",
  (t) =>
    t
      .addOptionalParam("id", "Operation id (governance:pending lists them)")
      .addOptionalParam("timelock", "The timelock (default: the registry's admin)")
      .addOptionalParam("safe", "Execute through this Safe (when only the Safe may execute)")
      .addOptionalParam("signers", "Safe owners who sign, with --safe"),
  async (args, s) => {
    const tf = await s.tradefin();
    const timelock = await timelockFor(tf, undefined, args.timelock);
    const known = await knownContracts(tf, timelock);
    const op = await findOperation(tf.signer, timelock, required(args.id, "id"), known, tf.book.deployBlock ?? 0);
    if (op.calls.length !== 1)
      throw new GovernanceError(`operation ${op.id} is a batch: run executeBatch with its calls`);
    if (op.state !== "ready") {
      const why =
        op.state === "waiting"
          ? `is waiting until ${formatTimestamp(op.readyAt)}`
          : op.state === "done"
            ? "has already run"
            : "was cancelled";
      throw new GovernanceError(`operation ${op.id} ${why}`);
    }
    const c = op.calls[0];
    const data = encodeExecute({
      target: c.target,
      value: c.value,
      data: c.data,
      predecessor: op.predecessor,
      salt: op.salt,
    });
    const sent = args.safe
      ? await sendAsProposer(s, tf, args.safe, required(args.signers, "signers"), { to: timelock, data })
      : await sendAsProposer(s, tf, undefined, undefined, { to: timelock, data });
    s.say(`Executed ${c.contract ?? c.target}.${c.call}`);
    return { ok: true, id: op.id, timelock, target: c.target, call: c.call, tx: sent.tx ?? null };
  },
);

interface PendingArgs {
  timelock?: string;
  all: boolean;
}

tradefinTask<PendingArgs>(
  "governance:pending",
  "List the operations scheduled on the timelock: id, target, function, ready-at time, state",
  (t) =>
    t
      .addOptionalParam("timelock", "The timelock (default: the registry's admin)")
      .addFlag("all", "Also list executed and cancelled operations"),
  async (args, s) => {
    const tf = await s.tradefin();
    const timelock = await timelockFor(tf, undefined, args.timelock);
    const known = await knownContracts(tf, timelock);
    const all = await listOperations(tf.signer, timelock, known, tf.book.deployBlock ?? 0);
    const ops = args.all ? all : all.filter((o) => o.state === "waiting" || o.state === "ready");
    const minDelay = await timelockMinDelay(tf.signer, timelock);
    s.say(
      `Timelock ${timelock} (delay ${minDelay} s): ${ops.length} ${args.all ? "" : "pending "}operation${ops.length === 1 ? "" : "s"}`,
    );
    for (const op of ops) printOperation(s, op);
    return { ok: true, timelock, minDelay: Number(minDelay), operations: ops.map(operationJson) };
  },
);

interface CreateSafeArgs {
  owners?: string;
  threshold?: string;
  saltNonce?: string;
}

tradefinTask<CreateSafeArgs>(
  "governance:create-safe",
  "Local chain 31337 only: deploy the Safe contracts (once) and a Safe with --owners and --threshold",
  (t) =>
    t
      .addOptionalParam("owners", "Owners, comma-separated (addresses or account indexes)")
      .addOptionalParam("threshold", "Signatures needed", "2")
      .addOptionalParam("saltNonce", "Makes the Safe's address differ from another with the same owners", "0"),
  async (args, s) => {
    const hre = s.hre;
    const ownersArg = required(args.owners, "owners");
    const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
    if (chainId !== DEV_CHAIN_ID) {
      throw new GovernanceError(
        `chain ${chainId} has the canonical Safe deployments: create the Safe in the Safe app, not with this task`,
      );
    }
    const owners = await signersOf(hre, ownersArg);
    const threshold = Number(args.threshold);
    const [deployer] = await hre.ethers.getSigners();
    let file = readLocalSafes(hre.network.name);
    if (
      !file ||
      file.chainId !== chainId ||
      (await hre.ethers.provider.getCode(file.contracts.safeSingletonAddress)) === "0x"
    ) {
      file = { chainId, contracts: await deploySafeContracts(deployer), safes: [] };
    }
    const ctx = { provider: hre.network.provider, chainId: BigInt(chainId), contracts: file.contracts };
    const safe = await createSafe(ctx, deployer.address, owners, threshold, args.saltNonce);
    file.safes.push({ address: safe, owners, threshold });
    const path = writeLocalSafes(hre.network.name, file);
    s.say(`Safe ${safe} (${threshold} of ${owners.length}) on ${hre.network.name}`);
    if (path) s.say(`Safe contracts recorded in ${path}`);
    return { ok: true, safe, owners, threshold, contracts: file.contracts, file: path ?? null };
  },
);
