/**
 * Lazy task loading: every TradeFin task is declared when Hardhat loads its config, but the module that
 * implements it (and the SDK under src/ it needs) is imported only when the task runs.
 *
 * Hardhat needs each task's name, description and options at config load (for argument parsing and
 * `--help`); transpiling and loading the task modules with the SDK costs seconds on every command. So the
 * first load imports the task modules as before and writes what they declared to a manifest
 * (`cache/tradefin-tasks.json`). Later loads declare the same tasks from the manifest with a stub action;
 * the stub imports the task's module on first use, whose `tradefinTask` calls hand their actions here
 * instead of registering again. The manifest is rebuilt whenever a file under tasks/ or src/ is newer
 * than it, or TRADEFIN_EAGER_TASKS=1 asks for the eager load.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";

/** The action Hardhat runs for a task. */
export type TaskAction = (args: Record<string, unknown>, hre: HardhatRuntimeEnvironment) => Promise<unknown>;

/** One option of a task, as the manifest keeps it. */
interface ParamEntry {
  name: string;
  description?: string;
  defaultValue?: unknown;
  type: string;
  isOptional: boolean;
  isFlag: boolean;
}

/** One task, as the manifest keeps it. */
interface TaskEntry {
  name: string;
  description?: string;
  /** The task module (under tasks/, without extension) that declares it. */
  file: string;
  params: ParamEntry[];
}

interface Manifest {
  version: 1;
  tasks: TaskEntry[];
}

const ROOT = resolve(__dirname, "..", "..");
const MANIFEST = join(ROOT, "cache", "tradefin-tasks.json");

/** Stub tasks declared from the manifest, by name → task module. */
const stubs = new Map<string, string>();
/** Actions of stub tasks, handed over by `tradefinTask` when their module is imported. */
const implementations = new Map<string, TaskAction>();
/** Definitions made in an eager load, for the manifest. */
const recorded: { name: string; definition: ConfigurableTaskDefinition }[] = [];

/**
 * Called by `tradefinTask`: when `name` was declared from the manifest, keeps `action` as its
 * implementation and returns true (the task must not be declared again).
 */
export function claimImplementation(name: string, action: TaskAction): boolean {
  if (!stubs.has(name)) return false;
  implementations.set(name, action);
  return true;
}

/** Called by `tradefinTask` after declaring a task with Hardhat (eager load), for the manifest. */
export function recordDefinition(name: string, definition: ConfigurableTaskDefinition): void {
  recorded.push({ name, definition });
}

/** The newest modification time of the .ts files under `dir`. */
function newestTs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The manifest, when it is newer than every task and SDK module; undefined otherwise. */
function freshManifest(): Manifest | undefined {
  if (process.env.TRADEFIN_EAGER_TASKS === "1" || !existsSync(MANIFEST)) return undefined;
  try {
    const written = statSync(MANIFEST).mtimeMs;
    if (Math.max(newestTs(join(ROOT, "tasks")), newestTs(join(ROOT, "src"))) >= written) return undefined;
    const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Manifest;
    return manifest.version === 1 && Array.isArray(manifest.tasks) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Declares a task from its manifest entry with an action that imports its module on first use. */
function declareStub(entry: TaskEntry): void {
  const t = task(entry.name, entry.description);
  for (const p of entry.params) {
    const type = ((types as unknown as Record<string, unknown>)[p.type] ?? types.string) as (typeof types)["string"];
    if (p.isFlag) t.addFlag(p.name, p.description);
    else if (p.isOptional) t.addOptionalParam(p.name, p.description, p.defaultValue as never, type);
    else t.addParam(p.name, p.description, p.defaultValue as never, type);
  }
  t.setAction(async (args: Record<string, unknown>, hre: HardhatRuntimeEnvironment) => {
    if (!implementations.has(entry.name)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(__dirname, "..", entry.file));
    }
    const action = implementations.get(entry.name);
    if (!action) {
      throw new Error(
        `task ${entry.name} is not declared by tasks/${entry.file}.ts any more; run it again (the task list is rebuilt)`,
      );
    }
    return action(args, hre);
  });
  stubs.set(entry.name, entry.file);
}

/** Writes the manifest from the definitions of an eager load (best effort: a read-only checkout still works). */
function writeManifest(byFile: Map<string, string>): void {
  const tasks: TaskEntry[] = [];
  for (const { name, definition } of recorded) {
    const d = definition as unknown as {
      description?: string;
      paramDefinitions: Record<string, ParamEntry & { type: { name: string } }>;
      positionalParamDefinitions: unknown[];
    };
    if (d.positionalParamDefinitions.length > 0) return; // not supported by the stubs: stay eager
    const params = Object.values(d.paramDefinitions).map((p) => ({
      name: p.name,
      description: p.description,
      defaultValue: p.defaultValue,
      type: p.type.name,
      isOptional: p.isOptional,
      isFlag: p.isFlag,
    }));
    tasks.push({ name, description: d.description, file: byFile.get(name) ?? "index", params });
  }
  try {
    mkdirSync(join(ROOT, "cache"), { recursive: true });
    const tmp = `${MANIFEST}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, tasks } satisfies Manifest, null, 2)}\n`);
    renameSync(tmp, MANIFEST);
  } catch {
    // no manifest: the next command loads the tasks eagerly again
  }
}

/**
 * Declares the tasks of `files` (modules under tasks/): from the manifest when it is fresh, otherwise by
 * importing them, then writing the manifest.
 */
export function loadTasks(files: readonly string[]): void {
  const manifest = freshManifest();
  if (manifest) {
    for (const entry of manifest.tasks) declareStub(entry);
    return;
  }
  const byFile = new Map<string, string>();
  for (const file of files) {
    const before = recorded.length;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(join(__dirname, "..", file));
    for (const { name } of recorded.slice(before)) byFile.set(name, file);
  }
  writeManifest(byFile);
}
