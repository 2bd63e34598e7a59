/**
 * `npx hardhat report [--json] [--from-block N] [--to-block N] [--log-page-blocks N] [--receivables]
 *   [--source chain|indexer] [--indexer-url URL] --network <network>`
 *
 * The portfolio and supervision report of a deployment (issue #7.5): exposure by buyer and by bank, overdue
 * buckets, defaults, concentration, frozen receivables and totals. Tables for people; `--json` prints one
 * JSON document (bigints as decimal strings) for machines. The report logic lives in src/chain/report/ (read, build, render), shared
 * with scripts/demo.ts and the indexer; this file only finds the deployment (the address book) and prints.
 *
 * `--source chain` (default) reads events in pages of `--log-page-blocks` blocks and views at one block: no
 * infrastructure, but about two RPC calls per receivable. `--source indexer` reads the same inputs from the
 * indexer's API (`npm run dashboard`, issue #15) in one request, at the block the indexer has reached.
 */
import { types } from "hardhat/config";
import {
  assembleReport,
  buildReport,
  readReportInputsFromIndexer,
  renderReport,
  reportToJson,
  reportContracts,
} from "../src/chain/report";
import { TaskInputError, tradefinTask } from "./lib/cli";

interface ReportArgs {
  receivables: boolean;
  fromBlock?: number;
  toBlock?: number;
  logPageBlocks?: number;
  source: string;
  indexerUrl: string;
}

const DEFAULT_INDEXER_URL = process.env.TRADEFIN_INDEXER_URL ?? "http://127.0.0.1:42069";

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
      .addOptionalParam("toBlock", "Block the report describes (default: latest)", undefined, types.int)
      .addOptionalParam(
        "logPageBlocks",
        "Blocks per eth_getLogs page of the event scan (default 2000)",
        undefined,
        types.int,
      )
      .addOptionalParam("source", "Where to read: chain (events and views) or indexer (its API)", "chain")
      .addOptionalParam(
        "indexerUrl",
        "The indexer's URL for --source indexer (default $TRADEFIN_INDEXER_URL or http://127.0.0.1:42069)",
        DEFAULT_INDEXER_URL,
      ),
  async (args, s) => {
    if (args.source !== "chain" && args.source !== "indexer") {
      throw new TaskInputError(`--source must be "chain" or "indexer", got "${args.source}"`);
    }
    const tf = await s.tradefin();
    const names = { entity: (id: string) => tf.book.entities[id]?.name ?? tf.book.entities[id]?.ref };
    let report;
    if (args.source === "indexer") {
      if (args.toBlock !== undefined || args.fromBlock !== undefined) {
        throw new TaskInputError(
          "--source indexer reports at the block the indexer has reached: drop --from-block/--to-block",
        );
      }
      const inputs = await readReportInputsFromIndexer(args.indexerUrl).catch((err: Error) => {
        throw new TaskInputError(err.message); // one sentence, no stack trace
      });
      if (inputs.chainId !== BigInt(tf.book.chainId)) {
        throw new TaskInputError(
          `the indexer at ${args.indexerUrl} follows chain ${inputs.chainId}, the address book is for chain ${tf.book.chainId}`,
        );
      }
      const poolNames = Object.entries(tf.book.pools).map(([name, p]) => [p.address, name] as const);
      report = assembleReport({ ...inputs, fromBlock: tf.book.deployBlock ?? 0 }, { names, poolNames });
    } else {
      const pools = await Promise.all(
        Object.keys(tf.book.pools).map(async (name) => [name, (await tf.pool(name)).contract] as const),
      );
      report = await buildReport(reportContracts({ ...tf, pools: Object.fromEntries(pools) }), {
        fromBlock: args.fromBlock ?? tf.book.deployBlock ?? 0,
        ...(args.toBlock !== undefined ? { toBlock: args.toBlock } : {}),
        ...(args.logPageBlocks !== undefined ? { logPageBlocks: args.logPageBlocks } : {}),
        names,
      });
    }
    // --json: the frame prints the returned document; tables otherwise.
    // `ok` first, as in every other task's document.
    if (s.json) return { ok: true, ...JSON.parse(reportToJson(report)) };
    s.say(renderReport(report, { receivables: args.receivables }));
    return { ok: true, ...report };
  },
);
