/**
 * Supervision tasks (an active REGULATOR participant): freeze or unfreeze a receivable, or suspend or
 * reinstate a whole participant. A freeze blocks transfer, split and financing, never payment.
 */
import { canonicalEntityRef, entityId } from "../src/pure/ids";
import { TaskInputError, parseId, reportTransaction, tradefinTask } from "./lib/cli";
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
      return reportTransaction(
        s,
        tf.receivables.freeze(what.id, reason),
        `Froze receivable #${what.id}${args.reason ? ` (${args.reason})` : ""}`,
        { id: what.id, reason: args.reason ?? "" },
      );
    }
    return reportTransaction(
      s,
      tf.participants.suspend(entityId(what.ref), reason),
      `Suspended ${what.ref}${args.reason ? ` (${args.reason})` : ""}`,
      { ref: what.ref, entityId: entityId(what.ref), reason: args.reason ?? "" },
    );
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
      return reportTransaction(s, tf.receivables.unfreeze(what.id), `Unfroze receivable #${what.id}`, { id: what.id });
    }
    return reportTransaction(s, tf.participants.reinstate(entityId(what.ref)), `Reinstated ${what.ref}`, {
      ref: what.ref,
      entityId: entityId(what.ref),
    });
  },
);
