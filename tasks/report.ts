/**
 * `npx hardhat report [--json] [--from-block N] [--to-block N] [--receivables] --network <network>`
 *
 * The portfolio and supervision report of a deployment (issue #7.5): exposure by buyer and by bank, overdue
 * buckets, defaults, concentration, frozen receivables and totals. Tables for people; `--json` prints one
 * JSON document (bigints as decimal strings) for machines. The report logic lives in src/report.ts, shared
 * with scripts/demo.ts; this file only finds the deployment (the address book) and prints.
 */
import { types } from "hardhat/config";
import { buildReport, renderReport, reportToJson, type ReportContracts } from "../src/report";
import { tradefinTask } from "./lib/cli";

interface ReportArgs {
  receivables: boolean;
  fromBlock?: number;
  toBlock?: number;
}

tradefinTask<ReportArgs>(
  "report",
  "Portfolio and supervision report: exposure by buyer and bank, overdue, defaults, concentration",
  (t) =>
    t
      .addFlag("receivables", "Also list every receivable (tables only; JSON always has them)")
      .addOptionalParam(
        "fromBlock",
        "First block of the event scan (default: the deployment block)",
        undefined,
        types.int,
      )
      .addOptionalParam("toBlock", "Block the report describes (default: latest)", undefined, types.int),
  async (args, s) => {
    const tf = await s.tradefin();
    const contracts: ReportContracts = {
      participants: tf.participants,
      receivables: tf.receivables,
      lens: tf.lens,
      riskEngine: tf.riskEngine,
      pools: await Promise.all(
        Object.keys(tf.book.pools).map(async (name) => ({ name, pool: (await tf.pool(name)).contract })),
      ),
    };
    const report = await buildReport(contracts, {
      fromBlock: args.fromBlock ?? tf.book.deployBlock ?? 0,
      ...(args.toBlock !== undefined ? { toBlock: args.toBlock } : {}),
      names: { entity: (id) => tf.book.entities[id]?.name ?? tf.book.entities[id]?.ref },
    });
    // --json: the frame prints the returned document; tables otherwise.
    // `ok` first, as in every other task's document.
    if (s.json) return { ok: true, ...JSON.parse(reportToJson(report)) };
    s.say(renderReport(report, { receivables: args.receivables }));
    return { ok: true, ...report };
  },
);
