/**
 * `hardhat run --network localhost scripts/bench-supervision-report.ts`: the report part of the supervision
 * benchmark (`npm run bench:supervision`, issue #15), in process so that Hardhat's start-up is not counted:
 *
 * - the indexer report: `readReportInputsFromIndexer` + `assembleReport`, what
 *   `npx hardhat report --source indexer` does, `SUPERVISION_REPORT_RUNS` times (default 5), at the block the
 *   indexer holds (`$TRADEFIN_INDEXER_URL`);
 * - the RPC report: `buildReport` (paged `eth_getLogs`, then the views of every receivable), what
 *   `npx hardhat report` does, once (it takes minutes at 20,000 receivables), at the same block;
 * - whether the two are equal to the unit (as `npm run test:indexer` checks on the demo story).
 *
 * Prints one JSON line prefixed with `BENCH_REPORT ` for the orchestrator.
 */
import hre from "hardhat";
import { loadAddressBook } from "../src/node/addressBook";
import {
  assembleReport,
  buildReport,
  readReportInputsFromIndexer,
  reportToJson,
  type ReportContracts,
} from "../src/chain/report";
import type {
  FinancingPool,
  ParticipantRegistry,
  ReceivableLens,
  ReceivableRegistry,
  RiskEngine,
} from "../typechain-types";

const RUNS = Math.max(1, Number(process.env.SUPERVISION_REPORT_RUNS ?? 5));
const INDEXER = process.env.TRADEFIN_INDEXER_URL ?? "http://127.0.0.1:42069";
const SKIP_RPC = process.env.SUPERVISION_SKIP_RPC_REPORT === "1";

async function main() {
  const { ethers } = hre;
  const book = loadAddressBook(hre.network.name, {
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    genesisHash: (await ethers.provider.getBlock(0))!.hash!,
  });
  const at = <T>(name: string, address: string) => ethers.getContractAt(name, address) as unknown as Promise<T>;
  const contracts: ReportContracts = {
    participants: await at<ParticipantRegistry>("ParticipantRegistry", book.contracts.participants),
    receivables: await at<ReceivableRegistry>("ReceivableRegistry", book.contracts.receivables),
    lens: await at<ReceivableLens>("ReceivableLens", book.contracts.lens),
    riskEngine: await at<RiskEngine>("RiskEngine", book.contracts.riskEngine),
    pools: await Promise.all(
      Object.entries(book.pools).map(async ([name, p]) => ({
        name,
        pool: await at<FinancingPool>("FinancingPool", p.address),
      })),
    ),
  };
  const names = { entity: (id: string) => book.entities[id]?.name ?? book.entities[id]?.ref };
  const poolNames = Object.entries(book.pools).map(([name, p]) => [p.address, name] as const);

  const indexerMs: number[] = [];
  let indexerReport;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const inputs = await readReportInputsFromIndexer(INDEXER);
    indexerReport = assembleReport({ ...inputs, fromBlock: book.deployBlock ?? 0 }, { names, poolNames });
    indexerMs.push(performance.now() - t);
  }
  const block = indexerReport!.block;
  let rpcMs: number | null = null;
  let equal: boolean | null = null;
  let rpcReceivables: number | null = null;
  if (!SKIP_RPC) {
    const t = performance.now();
    const rpcReport = await buildReport(contracts, { fromBlock: book.deployBlock ?? 0, toBlock: block, names });
    rpcMs = performance.now() - t;
    rpcReceivables = rpcReport.receivables.length;
    equal = reportToJson(rpcReport) === reportToJson(indexerReport!);
  }
  console.log(
    `BENCH_REPORT ${JSON.stringify({
      block,
      receivables: indexerReport!.receivables.length,
      rpcReceivables,
      indexerMs,
      rpcMs,
      equal,
    })}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
