/**
 * `npm run bench:startup`: the fixed start cost of every TradeFin task, the time a user waits before a
 * task does anything, measured as a no-op run of each task (`<task> --from bench-no-op --json` on the
 * in-process network: Hardhat loads its config, the task loads its module and checks the compile, then
 * refuses the `--from` value or a missing option before any chain work), and once `--help` (the config
 * load alone, the same for every task).
 *
 * Each measurement is the median of BENCH_RUNS runs (default 3) of wall time and of CPU time (user +
 * system, which a busy machine distorts less). Results go to reports/startup.json under BENCH_LABEL
 * (default "after"); BENCH_ROOT runs another checkout of the project (e.g. an older commit, to record
 * "before"). When the file has both "before" and "after", a comparison table is printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const TARGET = resolve(process.env.BENCH_ROOT ?? ROOT);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const LABEL = process.env.BENCH_LABEL ?? "after";
const OUT = join(ROOT, "reports", "startup.json");
const HARDHAT = join(TARGET, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");

interface Sample {
  wallMs: number;
  cpuMs: number;
}

interface TaskCost {
  noOp: Sample;
}

interface Run {
  label: string;
  root: string;
  at: string;
  runs: number;
  cpus: number;
  loadAverage: number;
  /** `hardhat --help`: the config load. */
  help: Sample;
  tasks: Record<string, TaskCost>;
  /** Median over the tasks of their no-op cost. */
  median: TaskCost;
}

/** Runs `hardhat <args>` in the target checkout under /usr/bin/time; returns wall and CPU time. */
function once(args: string[]): Sample {
  const r = spawnSync("/usr/bin/time", ["-f", "BENCH %e %U %S", process.execPath, HARDHAT, ...args], {
    cwd: TARGET,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
  if (!m) throw new Error(`could not time \`hardhat ${args.join(" ")}\`: ${r.stderr}`);
  return { wallMs: Math.round(Number(m[1]) * 1000), cpuMs: Math.round((Number(m[2]) + Number(m[3])) * 1000) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function measure(args: string[]): Sample {
  const samples = Array.from({ length: RUNS }, () => once(args));
  return { wallMs: median(samples.map((x) => x.wallMs)), cpuMs: median(samples.map((x) => x.cpuMs)) };
}

/** The task names, from this checkout's task manifest (written by any hardhat command). */
function taskNames(): string[] {
  const manifest = join(ROOT, "cache", "tradefin-tasks.json");
  if (!existsSync(manifest)) once(["--help"]);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { tasks: { name: string }[] }).tasks.map((t) => t.name);
}

function main(): void {
  const names = taskNames();
  once(["--help"]); // warm the file cache and (after) write the manifest
  const help = measure(["--help"]);
  const tasks: Record<string, TaskCost> = {};
  for (const name of names) {
    tasks[name] = { noOp: measure([name, "--from", "bench-no-op", "--json"]) };
    process.stderr.write(
      `${LABEL} ${name.padEnd(24)} no-op ${tasks[name].noOp.wallMs} ms (cpu ${tasks[name].noOp.cpuMs})\n`,
    );
  }
  const all = Object.values(tasks);
  const run: Run = {
    label: LABEL,
    root: TARGET,
    at: new Date().toISOString(),
    runs: RUNS,
    cpus: cpus().length,
    loadAverage: Number(loadavg()[0].toFixed(2)),
    help,
    tasks,
    median: {
      noOp: { wallMs: median(all.map((t) => t.noOp.wallMs)), cpuMs: median(all.map((t) => t.noOp.cpuMs)) },
    },
  };
  const doc = (existsSync(OUT) ? JSON.parse(readFileSync(OUT, "utf8")) : {}) as Record<string, Run>;
  doc[LABEL] = run;
  mkdirSync(join(ROOT, "reports"), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`Wrote ${OUT} (${LABEL})\n`);
  if (doc.before && doc.after) process.stdout.write(`${table(doc.before, doc.after)}\n`);
}

/** A Markdown table of no-op start costs before and after, CPU time first (less noisy). */
export function table(before: Run, after: Run): string {
  const s = (x?: Sample) => (x ? `${(x.cpuMs / 1000).toFixed(1)} s / ${(x.wallMs / 1000).toFixed(1)} s` : "–");
  const lines = ["| Task | before (CPU / wall) | after (CPU / wall) |", "| --- | --- | --- |"];
  const names = [...new Set([...Object.keys(before.tasks), ...Object.keys(after.tasks)])];
  for (const n of names) lines.push(`| ${n} | ${s(before.tasks[n]?.noOp)} | ${s(after.tasks[n]?.noOp)} |`);
  lines.push(`| **median of the tasks** | ${s(before.median.noOp)} | ${s(after.median.noOp)} |`);
  lines.push(`| \`hardhat --help\` (config load) | ${s(before.help)} | ${s(after.help)} |`);
  return lines.join("\n");
}

if (require.main === module) main();
