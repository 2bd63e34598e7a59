/**
 * Daily snapshots (issue #15): when the first event of a new UTC day arrives, the portfolio as it stood after
 * the previous day's last event is written to `daily_snapshot`, so the dashboard can draw time series without
 * replaying history. Days without activity have no row (nothing changed but the clock).
 */
import type { Context } from "ponder:registry";
import schema from "ponder:schema";
import { computeSnapshot } from "./metrics";

const DAY = 86_400n;

export async function snapshotIfNewDay(
  event: { block: { number: bigint; timestamp: bigint } },
  context: Context,
): Promise<void> {
  const day = Number(event.block.timestamp / DAY);
  const m = await context.db.find(schema.meta, { id: "chain" });
  if (!m) {
    await context.db
      .insert(schema.meta)
      .values({ id: "chain", block: event.block.number, timestamp: event.block.timestamp, lastDay: day });
    return;
  }
  if (day > m.lastDay) {
    const receivables = await context.db.sql.select().from(schema.receivable);
    const exposures = await context.db.sql.select().from(schema.poolExposure);
    const s = computeSnapshot(receivables, exposures, Number(m.timestamp));
    await context.db
      .insert(schema.dailySnapshot)
      .values({ day: m.lastDay, timestamp: m.timestamp, block: m.block, ...s })
      .onConflictDoUpdate({ timestamp: m.timestamp, block: m.block, ...s });
  }
  await context.db
    .update(schema.meta, { id: "chain" })
    .set({ block: event.block.number, timestamp: event.block.timestamp, lastDay: Math.max(day, m.lastDay) });
}
