/**
 * Hardhat glue of governance (issue 14) that `deploy` and `pool:deploy` call: put a timelock proposed by a Safe
 * in charge, and refuse a single key as admin or pool owner outside chain 31337. The decisions themselves are
 * in src/chain/governance.ts (pure, unit-tested); local Safe contract addresses are kept here for the tasks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { IN_PROCESS_NETWORK, deploymentsDir } from "../../src/node/addressBook";
import { DEV_CHAIN_ID, GovernanceError, assertNoSingleKey, checkDelay } from "../../src/chain/governance";
import type { SafeContracts, SafeContext } from "../../src/chain/safe";
import type { GovernanceOptions } from "../../src/hardhat/deploy";

/** What `deploy` needs to know about governance, from its flags. */
export interface GovernanceFlags {
  /** `--safe`: the Safe that proposes to the timelock; when given, a timelock becomes the admin. */
  safe?: string;
  /** `--delay`: the timelock's delay in seconds (default 48 h; 0 only on chain 31337). */
  delay?: string;
  /** `--i-accept-a-single-key-admin`. */
  iAcceptASingleKeyAdmin?: boolean;
}

/** The admin the core is deployed with, or the timelock that deployTradeFin() puts in charge. */
export interface GovernanceSetup {
  /** The admin, when no timelock is deployed. */
  admin?: string;
  /** deployTradeFin()'s `governance` option (the Safe as proposer, the delay), with `--safe`. */
  governance?: GovernanceOptions;
}

/**
 * Decides the admin of a new deployment. With `--safe`: deployTradeFin() is to deploy the Timelock (Ignition module
 * "Governance", in the same deployment) with the Safe as proposer and canceller and anyone as executor, and make it
 * the admin. Without: `admin` stays, and outside chain 31337 an externally owned account is refused unless the flag
 * accepts it. The Safe itself must be a contract too.
 */
export async function decideGovernance(
  hre: HardhatRuntimeEnvironment,
  flags: GovernanceFlags,
  ctx: { chainId: number; admin: string; adminGiven: boolean },
): Promise<GovernanceSetup> {
  const accept = flags.iAcceptASingleKeyAdmin === true;
  // .env may name the Safe and the delay (GOVERNANCE_SAFE, GOVERNANCE_DELAY); the flags win.
  const safeArg = flags.safe ?? (process.env.GOVERNANCE_SAFE?.trim() || undefined);
  if (!safeArg) {
    if (flags.delay !== undefined) throw new GovernanceError("--delay needs --safe: the delay is the timelock's");
    await assertNoSingleKey(hre.ethers.provider, ctx.chainId, [{ role: "admin", address: ctx.admin }], accept);
    return { admin: ctx.admin };
  }
  if (ctx.adminGiven)
    throw new GovernanceError("give either --admin or --safe, not both: with --safe the timelock is the admin");
  const safe = hre.ethers.getAddress(safeArg);
  const delay = checkDelay(flags.delay ?? (process.env.GOVERNANCE_DELAY?.trim() || undefined), ctx.chainId);
  await assertNoSingleKey(
    hre.ethers.provider,
    ctx.chainId,
    [{ role: "timelock proposer (--safe)", address: safe }],
    accept,
  );
  return { governance: { proposers: [safe], delay, executors: [hre.ethers.ZeroAddress] } };
}

/** What `deploy` prints about the timelock deployTradeFin() put in charge. */
export function governanceNotes(timelock: string, governance: GovernanceOptions): string[] {
  return [
    `The admin is the timelock ${timelock} (delay ${governance.delay} s), proposed by the Safe ${governance.proposers[0]}.`,
    "Role grants and the currency allowlist go through it: npx hardhat governance:schedule (docs/GOVERNANCE.md).",
  ];
}

/** `pool:deploy`: refuses a single key as pool owner outside chain 31337 unless the flag accepts it. */
export async function checkPoolOwner(hre: HardhatRuntimeEnvironment, manager: string, accept: boolean | undefined) {
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  await assertNoSingleKey(
    hre.ethers.provider,
    chainId,
    [{ role: "pool owner (--manager)", address: manager }],
    accept === true,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Local Safe contracts: chains without the canonical Safe deployments (31337) keep theirs in
// deployments/<network>.safe.json (in memory on the in-process network).

/** What `governance:create-safe` records on a local chain. */
export interface LocalSafeFile {
  chainId: number;
  contracts: SafeContracts;
  safes: { address: string; owners: string[]; threshold: number }[];
}

const memory = new Map<string, LocalSafeFile>();

function safeFilePath(network: string): string {
  return join(deploymentsDir(), `${network}.safe.json`);
}

/** The local Safe contracts of `network`, or undefined. */
export function readLocalSafes(network: string): LocalSafeFile | undefined {
  if (network === IN_PROCESS_NETWORK) return memory.get(network);
  const path = safeFilePath(network);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as LocalSafeFile) : undefined;
}

/** Records the local Safe contracts of `network`. */
export function writeLocalSafes(network: string, file: LocalSafeFile): string | undefined {
  if (network === IN_PROCESS_NETWORK) {
    memory.set(network, file);
    return undefined;
  }
  const path = safeFilePath(network);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file, null, 2) + "\n");
  return path;
}

/**
 * The Safe context of the current network: on chain 31337 the local contracts recorded by
 * `governance:create-safe` (a file of another chain id is ignored), elsewhere protocol-kit's canonical ones.
 */
export async function safeContextOf(hre: HardhatRuntimeEnvironment): Promise<SafeContext> {
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const local = readLocalSafes(hre.network.name);
  const contracts = local && BigInt(local.chainId) === chainId ? local.contracts : undefined;
  if (!contracts && Number(chainId) === DEV_CHAIN_ID) {
    throw new GovernanceError(
      `no Safe contracts are recorded for ${hre.network.name}: run npx hardhat governance:create-safe first`,
    );
  }
  return { provider: hre.network.provider, chainId, contracts };
}
