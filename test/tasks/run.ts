import hre from "hardhat";
import { setSink } from "../../tasks/lib/cli";

/** Runs a task in this process with its output captured; returns its JSON document. */
export async function runTask(task: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const restore = setSink({ stdout: () => undefined, stderr: () => undefined });
  try {
    return (await hre.run(task, { json: true, ...args })) as Record<string, unknown>;
  } finally {
    restore();
  }
}
