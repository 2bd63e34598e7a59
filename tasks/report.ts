/**
 * `npx hardhat report [--json] [--from-block N] [--to-block N] [--receivables] --network <network>`
 *
 * The portfolio and supervision report of a deployment (issue #7.5): exposure by buyer and by bank, overdue
 * buckets, defaults, concentration, frozen receivables and totals. Tables for people; `--json` prints one
 * JSON document (bigints as decimal strings) for machines. The report logic lives in src/report.ts, shared
 * with scripts/demo.ts; this file only finds the deployment and prints.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { task, types } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { FinancingPool, ParticipantRegistry, ReceivableRegistry, RiskEngine } from "../typechain-types";
import { buildReport, renderReport, reportToJson, type ReportContracts } from "../src/report";

const PLUGIN = "tradefin";

// ------------------------------------------------------------- deployment

/** What the report reads from the deployment's address book (`deployments/<network>.json`). */
export interface ReportDeployment {
  chainId: number;
  /** Block of the core deployment: the event scan starts there unless --from-block says otherwise. */
  deployBlock?: number;
  contracts: { participants: string; receivables: string; riskEngine: string };
  /** Financing pools by bank name. */
  pools: Record<string, { address: string }>;
  /** Entity labels by entity id. */
  entities: Record<string, { ref: string; name?: string }>;
}

/**
 * The current network's deployment, checked against the provider's chain id.
 *
 * Stand-in for the address book of src/addressBook.ts: it reads the same file
 * (`$TRADEFIN_DEPLOYMENTS_DIR` or `deployments/`, `<network>.json`). Once src/addressBook.ts is on the
 * branch, the body becomes
 *     return loadAddressBook(hre.network.name, Number((await hre.ethers.provider.getNetwork()).chainId));
 * (an AddressBook has every field of ReportDeployment), which also covers the in-process network's
 * in-memory book.
 */
export async function loadDeployment(hre: HardhatRuntimeEnvironment): Promise<ReportDeployment> {
  const network = hre.network.name;
  const dir = process.env.TRADEFIN_DEPLOYMENTS_DIR?.trim() || join(__dirname, "..", "deployments");
  const path = resolve(dir, `${network}.json`);
  if (!existsSync(path)) {
    throw new HardhatPluginError(
      PLUGIN,
      `no deployment for network ${network}: run \`npx hardhat deploy --network ${network}\``,
    );
  }
  const book = JSON.parse(readFileSync(path, "utf8")) as ReportDeployment;
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  if (book.chainId !== chainId) {
    throw new HardhatPluginError(
      PLUGIN,
      `the deployment for network ${network} was made on chain ${book.chainId}, but the provider is on chain ${chainId}`,
    );
  }
  return { ...book, pools: book.pools ?? {}, entities: book.entities ?? {} };
}

/** Typed contracts of a deployment, through artifacts (no TypeChain factory: safe while the config loads). */
async function reportContracts(hre: HardhatRuntimeEnvironment, d: ReportDeployment): Promise<ReportContracts> {
  const at = <T>(name: string, address: string) =>
    hre.ethers.getContractAt(name, address) as Promise<unknown> as Promise<T>;
  return {
    participants: await at<ParticipantRegistry>("ParticipantRegistry", d.contracts.participants),
    receivables: await at<ReceivableRegistry>("ReceivableRegistry", d.contracts.receivables),
    riskEngine: await at<RiskEngine>("RiskEngine", d.contracts.riskEngine),
    pools: await Promise.all(
      Object.entries(d.pools).map(async ([name, p]) => ({
        name,
        pool: await at<FinancingPool>("FinancingPool", p.address),
      })),
    ),
  };
}

// ------------------------------------------------------------------- task

interface ReportArgs {
  json: boolean;
  receivables: boolean;
  fromBlock?: number;
  toBlock?: number;
}

task("report", "Portfolio and supervision report: exposure by buyer and bank, overdue, defaults, concentration")
  .addFlag("json", "Print one JSON document (amounts in base units as decimal strings)")
  .addFlag("receivables", "Also list every receivable (tables only; JSON always has them)")
  .addOptionalParam("fromBlock", "First block of the event scan (default: the deployment block)", undefined, types.int)
  .addOptionalParam("toBlock", "Block the report describes (default: latest)", undefined, types.int)
  .setAction(async (args: ReportArgs, hre) => {
    const d = await loadDeployment(hre);
    const contracts = await reportContracts(hre, d);
    const report = await buildReport(contracts, {
      fromBlock: args.fromBlock ?? d.deployBlock ?? 0,
      ...(args.toBlock !== undefined ? { toBlock: args.toBlock } : {}),
      names: { entity: (id) => d.entities[id]?.name ?? d.entities[id]?.ref },
    });
    console.log(args.json ? reportToJson(report) : renderReport(report, { receivables: args.receivables }));
    return report;
  });
