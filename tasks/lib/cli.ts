/**
 * The frame every TradeFin task runs in: the common `--json` and `--from` options, human output that
 * `--json` silences (then exactly one JSON document goes to stdout), and failures turned into one plain
 * sentence (a decoded revert, or the SDK's own message) with a non-zero exit and no stack trace.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { TradeFin } from "../../src/hardhat/context";
import { claimImplementation, recordDefinition, type TaskAction } from "./lazy";
import { TradeFinError, isTradeFinError } from "../../src/pure/tradeFinError";

// Nothing from src/ but the dependency-free error base is imported at the top of this module: Hardhat
// loads it with the config for every command (also `--help`), and transpiling the SDK costs seconds. The
// action loads what it needs.

/** The plugin name Hardhat prints before a failure: "Error in plugin tradefin: …". */
export const PLUGIN = "tradefin";

/** A mistake in the task's arguments or a refused precondition; its message is the whole story. */
export class TaskInputError extends TradeFinError {
  override name = "TaskInputError";
  constructor(message: string, details?: unknown) {
    super(message, { details });
  }
}

/** Where output goes; tests replace it to capture it. */
export interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}
const processSink: Sink = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Writes the --json document and waits until it has left the process: Hardhat's CLI calls process.exit()
 * when the task returns, which would cut a large document written to a pipe short.
 */
function writeDocument(text: string): Promise<void> {
  if (sink !== processSink) {
    sink.stdout(text);
    return Promise.resolve();
  }
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}
let sink: Sink = processSink;

/** Replaces the output sink (tests); returns a function restoring the previous one. */
export function setSink(next: Sink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

/** Options every task takes. */
export interface CommonArgs {
  json: boolean;
  from?: string;
}

/** What an action gets besides its arguments. */
export interface Session {
  hre: HardhatRuntimeEnvironment;
  json: boolean;
  /** A line of human output on stdout (silent with --json). */
  say(line?: string): void;
  /** A note on stderr (progress, hints); shown in both modes. */
  note(line: string): void;
  /** Connects to the deployment with the `--from` signer (memoised). */
  tradefin(): Promise<TradeFin>;
}

/** JSON.stringify replacer: bigints as decimal strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Serialises a task result the way `--json` prints it. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer, 2);
}

/** True when `task` is the task the Hardhat command line was asked to run (not `hardhat test`, `run`, …). */
function isCommandLineTask(task: string): boolean {
  const main = require.main?.filename ?? "";
  return /hardhat[\\/]internal[\\/]cli[\\/](cli|bootstrap)\.[jt]s$/.test(main) && process.argv.slice(2).includes(task);
}

/** Finds the sentence for a failure: a decoded revert, a plain SDK message, or an RPC error's short message. */
export async function explainFailure(
  err: unknown,
  tf: TradeFin | undefined,
  url?: string,
): Promise<{ name: string; message: string }> {
  // Every SDK error's message is a plain sentence already.
  if (isTradeFinError(err)) return { name: err.name, message: err.message };
  const sys = err as NodeJS.ErrnoException;
  if (sys?.code === "ENOENT" && typeof sys.path === "string") {
    return { name: "FileNotFound", message: `the file ${sys.path} does not exist` };
  }
  if (sys?.code === "EACCES" && typeof sys.path === "string") {
    return { name: "FileNotReadable", message: `the file ${sys.path} cannot be read (permission denied)` };
  }
  const down = nodeDownMessage(err, url);
  if (down) return { name: "NodeUnreachable", message: down };
  const { decodeError } = await import("../../src/pure/errors");
  const decoded = await decodeError(err, tf?.decodeContext() ?? {}).catch(() => undefined);
  if (decoded) return { name: decoded.name, message: `refused: ${decoded.sentence}` };
  const e = err as { shortMessage?: string; message?: string };
  return { name: (err as Error)?.name ?? "Error", message: e?.shortMessage ?? e?.message ?? String(err) };
}

/** One line for a node that does not answer, naming the URL tried; undefined for other failures. */
export function nodeDownMessage(err: unknown, url: string | undefined): string | undefined {
  const e = err as { number?: number; code?: string; errorDescriptor?: { number?: number }; message?: string };
  const hh108 = e?.number === 108 || e?.errorDescriptor?.number === 108 || /HH108/.test(e?.message ?? "");
  const refused = e?.code === "ECONNREFUSED" || /ECONNREFUSED/.test(e?.message ?? "");
  if (!hh108 && !refused) return undefined;
  return (
    `no node answers at ${url ?? "the network's URL"}: start one with \`npx hardhat node\` ` +
    "(or set LOCALHOST_URL / the network's URL to a running node)"
  );
}

/** Project files whose change needs a compile: every contract, and the config (compiler settings). */
function newestSourceMtime(root: string, sources: string): number {
  let newest = statSync(join(root, "hardhat.config.ts")).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".sol")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(sources);
  return newest;
}

/**
 * True when the artifacts and TypeChain bindings are newer than every contract and the config, so that
 * `compile` would have nothing to do. Hardhat's own check hashes every source with its dependency graph,
 * which costs a second or more on every command; a look at modification times is enough to skip it.
 * Anything unusual (no cache file yet, a source newer than it) falls back to the real compile.
 */
export function compileIsFresh(hre: HardhatRuntimeEnvironment): boolean {
  try {
    const { root, sources, cache } = hre.config.paths;
    const stamp = join(cache, "solidity-files-cache.json");
    const typechainIndex = join(root, "typechain-types", "index.ts");
    if (!existsSync(stamp) || !existsSync(typechainIndex)) return false;
    const compiledAt = Math.min(statSync(stamp).mtimeMs, statSync(typechainIndex).mtimeMs);
    return newestSourceMtime(root, sources) < compiledAt;
  } catch {
    return false;
  }
}

/**
 * Compiles when the sources changed, with everything the compiler and TypeChain print sent to stderr:
 * stdout belongs to the task (under --json, exactly one JSON document).
 */
export async function compileQuietly(hre: HardhatRuntimeEnvironment): Promise<void> {
  if (compileIsFresh(hre)) return;
  const { log, info } = console;
  console.log = console.info = (...parts: unknown[]) => console.error(...parts);
  try {
    await hre.run("compile", { quiet: true });
  } finally {
    console.log = log;
    console.info = info;
  }
}

/**
 * Declares a task with `--json` and `--from`, running `action` in the TradeFin frame. The action's return
 * value is the JSON document (also returned to programmatic callers of `hre.run`).
 */
export function tradefinTask<A extends object>(
  name: string,
  description: string,
  define: (t: ConfigurableTaskDefinition) => void,
  action: (args: A & CommonArgs, session: Session) => Promise<unknown>,
): void {
  const run: TaskAction = async (rawArgs, hre) => {
    const args = rawArgs as A & CommonArgs;
    // Tasks read artifacts (ABIs, bytecode): compile first when a source changed, as `hardhat test` and
    // `hardhat run` do. On a fresh clone this is what makes `npx hardhat deploy` work.
    await compileQuietly(hre);
    let tf: TradeFin | undefined;
    const session: Session = {
      hre,
      json: args.json,
      say: (line = "") => {
        if (!args.json) sink.stdout(`${line}\n`);
      },
      note: (line) => sink.stderr(`${line}\n`),
      tradefin: async () => {
        if (!tf) {
          const { connect } = await import("../../src/hardhat/context");
          tf = await connect(hre, { from: args.from });
        }
        return tf;
      },
    };
    try {
      const result = await action(args, session);
      if (args.json) await writeDocument(`${toJson(result ?? {})}\n`);
      return result;
    } catch (err) {
      if (err instanceof HardhatPluginError) throw err;
      const url = (hre.network.config as { url?: string }).url;
      const { name: errorName, message } = await explainFailure(err, tf, url);
      const details = isTradeFinError(err) ? err.details : undefined;
      if (args.json) await writeDocument(`${toJson({ ok: false, error: { name: errorName, message, details } })}\n`);
      if (isCommandLineTask(name)) {
        // Run from the command line: one sentence and a non-zero exit. Hardhat would add a stack trace
        // on machines it takes for CI servers (any Linux without a display), so it is not asked to.
        sink.stderr(`Error: ${message}\n`);
        process.exitCode = 1;
        return undefined;
      }
      throw new HardhatPluginError(PLUGIN, message, err instanceof Error ? err : undefined);
    }
  };
  // Declared from the manifest already (tasks/lib/lazy.ts): only the action was missing.
  if (claimImplementation(name, run)) return;
  const t = task(name, description)
    .addFlag("json", "Print one machine-readable JSON document on stdout and nothing else")
    .addOptionalParam("from", "Signer: an account index of the network or one of its addresses (default 0)");
  define(t);
  t.setAction(run);
  recordDefinition(name, t);
}

/** Parses a required string argument; throws TaskInputError naming the option. */
export function required<T>(value: T | undefined, option: string): T {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    throw new TaskInputError(`--${option} is required`);
  }
  return value;
}

/** Parses a non-negative integer argument such as a receivable id. */
export function parseId(value: string | undefined, option = "id"): bigint {
  const v = required(value, option).trim();
  if (!/^\d+$/.test(v)) throw new TaskInputError(`--${option} must be a whole number, got "${value}"`);
  return BigInt(v);
}

/** Parses a positive integer option with a default. */
export function parsePositiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new TaskInputError(`--${option} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}

/** A transaction being sent (`contract.method(…)`), or its receipt once mined. */
export type TaskTransaction = { wait(): Promise<{ hash: string } | null> } | { hash: string } | null | undefined;

/** Waits for a transaction being sent to be mined and returns its receipt (a receipt is returned as it is). */
export async function mined(
  sent: TaskTransaction | Promise<TaskTransaction>,
): Promise<{ hash: string } | null | undefined> {
  const tx = await sent;
  return tx && "wait" in tx ? await tx.wait() : tx;
}

/**
 * The end of a task that sends a transaction: waits for it to be mined (unless given its receipt), prints `lines`
 * and returns the task's JSON document `{ ok: true, …doc, tx }` with the transaction's hash.
 */
export async function reportTransaction<D extends object>(
  s: Session,
  sent: TaskTransaction | Promise<TaskTransaction>,
  lines: string | readonly string[],
  doc: D,
): Promise<{ ok: true } & D & { tx: string | undefined }> {
  const receipt = await mined(sent);
  for (const line of typeof lines === "string" ? [lines] : lines) s.say(line);
  return { ok: true, ...doc, tx: receipt?.hash };
}
