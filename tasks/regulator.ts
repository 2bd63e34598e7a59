/**
 * Supervision tasks (an active REGULATOR participant): freeze or unfreeze a receivable, or suspend or
 * reinstate a whole participant. A freeze blocks transfer, split and financing, never payment.
 */
import { canonicalEntityRef, entityId } from "../src/pure/ids";
import { TaskInputError, parseId, tradefinTask } from "./lib/cli";
import { reasonBytes } from "./participant";

interface FreezeArgs {
  id?: string;
  ref?: string;
  reason?: string;
}

/** Exactly one of --id and --ref. */
function target(args: FreezeArgs): { id: bigint } | { ref: string } {
  if ((args.id === undefined) === (args.ref === undefined)) {
    throw new TaskInputError("give either --id (a receivable) or --ref (a participant)");
  }
  return args.id !== undefined ? { id: parseId(args.id) } : { ref: canonicalEntityRef(args.ref as string) };
}

tradefinTask<FreezeArgs>(
  "regulator:freeze",
  "Freeze a receivable (--id) or suspend a participant (--ref) as a regulator",
  (t) =>
    t
      .addOptionalParam("id", "Receivable id")
      .addOptionalParam("ref", 'Participant "SCHEME:IDENTIFIER"')
      .addOptionalParam("reason", "Short reason (at most 31 bytes)", ""),
  async (args, s) => {
    const what = target(args);
    const reason = reasonBytes(args.reason);
    const tf = await s.tradefin();
    if ("id" in what) {
      const receipt = await (await tf.receivables.freeze(what.id, reason)).wait();
      s.say(`Froze receivable #${what.id}${args.reason ? ` (${args.reason})` : ""}`);
      return { ok: true, id: what.id, reason: args.reason ?? "", tx: receipt?.hash };
    }
    const receipt = await (await tf.participants.suspend(entityId(what.ref), reason)).wait();
    s.say(`Suspended ${what.ref}${args.reason ? ` (${args.reason})` : ""}`);
    return { ok: true, ref: what.ref, entityId: entityId(what.ref), reason: args.reason ?? "", tx: receipt?.hash };
  },
);

tradefinTask<FreezeArgs>(
  "regulator:unfreeze",
  "Lift a receivable's freeze (--id) or a participant's suspension (--ref) as a regulator",
  (t) => t.addOptionalParam("id", "Receivable id").addOptionalParam("ref", 'Participant "SCHEME:IDENTIFIER"'),
  async (args, s) => {
    const what = target(args);
    const tf = await s.tradefin();
    if ("id" in what) {
      const receipt = await (await tf.receivables.unfreeze(what.id)).wait();
      s.say(`Unfroze receivable #${what.id}`);
      return { ok: true, id: what.id, tx: receipt?.hash };
    }
    const receipt = await (await tf.participants.reinstate(entityId(what.ref))).wait();
    s.say(`Reinstated ${what.ref}`);
    return { ok: true, ref: what.ref, entityId: entityId(what.ref), tx: receipt?.hash };
  },
);
