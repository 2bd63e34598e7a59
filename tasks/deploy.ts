/**
 * `deploy`: the TradeFin core, the local test stablecoin on local chains, the settlement-currency allowlist and the
 * access-control roles, all through `deployTradeFin()` (src/hardhat/deploy.ts) in one Ignition deployment; writes the
 * address book.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { IERC20Metadata } from "../typechain-types";
import {
  IN_PROCESS_NETWORK,
  chainMismatch,
  deploymentsDir,
  readAddressBook,
  writeAddressBook,
} from "../src/node/addressBook";
import { chainIdentityOf, resolveAddress, selectSigner } from "../src/hardhat/context";
import { ACCESS_ROLES, addressBookFor, deployTradeFin, type AccessRole } from "../src/hardhat/deploy";
import { TaskInputError, parsePositiveInt, tradefinTask } from "./lib/cli";
import { decideGovernance, governanceNotes, type GovernanceFlags } from "./lib/governance";

/** Chain ids of local development chains (Hardhat, Ganache/anvil default). */
export const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/** Points Ignition's journal folder next to the address books when TRADEFIN_DEPLOYMENTS_DIR is set. */
export function useIgnitionDir(hre: HardhatRuntimeEnvironment): string {
  if (process.env.TRADEFIN_DEPLOYMENTS_DIR?.trim()) hre.config.paths.ignition = join(deploymentsDir(), "ignition");
  return hre.config.paths.ignition;
}

/** The Ignition journal folder of a deployment id (default `chain-<id>`). */
function journalDir(hre: HardhatRuntimeEnvironment, deploymentId: string | undefined, chainId: number): string {
  return join(useIgnitionDir(hre), "deployments", deploymentId ?? `chain-${chainId}`);
}

/**
 * A journal whose core contracts have no code on the chain is stale (the local node was restarted).
 * On a local chain it is removed so the deployment starts over; elsewhere the caller must decide (--reset).
 */
async function dropStaleJournal(hre: HardhatRuntimeEnvironment, dir: string, chainId: number): Promise<boolean> {
  const file = join(dir, "deployed_addresses.json");
  if (!existsSync(file)) return false;
  const addresses = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const registry = addresses["TradeFin#ParticipantRegistry"];
  if (!registry || (await hre.ethers.provider.getCode(registry)) !== "0x") return false;
  if (!LOCAL_CHAIN_IDS.has(chainId)) {
    throw new TaskInputError(
      `the Ignition journal ${dir} records contracts that do not exist on this chain; check the network, ` +
        "or start over with --reset",
    );
  }
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** True when the journal in `dir` records a core whose ParticipantRegistry has code on the chain. */
async function journalCoreOnChain(hre: HardhatRuntimeEnvironment, dir: string): Promise<boolean> {
  const file = join(dir, "deployed_addresses.json");
  if (!existsSync(file)) return false;
  const registry = (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>)["TradeFin#ParticipantRegistry"];
  return registry !== undefined && (await hre.ethers.provider.getCode(registry)) !== "0x";
}

/** Parses a comma-separated list of addresses or account indexes. */
async function addressList(hre: HardhatRuntimeEnvironment, value: string | undefined, fallback: string) {
  if (!value) return [fallback];
  return Promise.all(
    value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => resolveAddress(hre, v, "address")),
  );
}

interface DeployArgs extends GovernanceFlags {
  admin?: string;
  onboarder?: string;
  pauser?: string;
  ratingAgent?: string;
  graceDays?: string;
  adminDelayDays?: string;
  stablecoin?: string;
  noMock: boolean;
  deploymentId?: string;
  reset: boolean;
}

tradefinTask<DeployArgs>(
  "deploy",
  "Deploy the TradeFin core (and a test stablecoin on local chains) and write deployments/<network>.json",
  (t) =>
    t
      .addOptionalParam("admin", "DEFAULT_ADMIN_ROLE holder (address or account index; default: the signer)")
      .addOptionalParam("onboarder", "ONBOARDER_ROLE holders, comma-separated (default: the signer)")
      .addOptionalParam("pauser", "PAUSER_ROLE holders, comma-separated (default: the signer)")
      .addOptionalParam("ratingAgent", "RATING_AGENT_ROLE holders, comma-separated (default: the signer)")
      .addOptionalParam("graceDays", "Days after the due date before a default may be declared", "30")
      .addOptionalParam("adminDelayDays", "Days a new admin waits before accepting the role", "2")
      .addOptionalParam("stablecoin", "Existing ERC-20 stablecoin address(es) to allowlist, comma-separated")
      .addFlag("noMock", "Do not deploy the test stablecoin tUSD on a local chain")
      .addOptionalParam("deploymentId", "Ignition deployment id (default chain-<chainId>)")
      .addFlag("reset", "Discard the Ignition journal of this deployment id and deploy afresh")
      .addOptionalParam("safe", "Safe that proposes to a new timelock, which becomes the admin (docs/GOVERNANCE.md)")
      .addOptionalParam("delay", "The timelock's delay in seconds, with --safe (default 172800 = 48 h)")
      .addFlag("iAcceptASingleKeyAdmin", "Outside chain 31337, accept an externally owned account as admin"),
  async (args, s) => {
    const { hre } = s;
    const network = hre.network.name;
    const chain = await chainIdentityOf(hre);
    const chainId = chain.chainId;
    const local = LOCAL_CHAIN_IDS.has(chainId);
    const signer = await selectSigner(hre, args.from);
    const requested = args.admin ? await resolveAddress(hre, args.admin, "--admin") : signer.address;
    // Governance (issue 14): with --safe a timelock becomes the admin; a single-key admin is refused off 31337.
    const gov = await decideGovernance(hre, args, {
      chainId,
      admin: requested,
      adminGiven: args.admin !== undefined,
    });
    const core = {
      ...(gov.admin !== undefined ? { admin: gov.admin } : {}),
      adminTransferDelay: parsePositiveInt(args.adminDelayDays, "admin-delay-days", 2) * 86_400,
      defaultGracePeriod: parsePositiveInt(args.graceDays, "grace-days", 30) * 86_400,
    };

    // A book written on another chain (a restarted local node, another node with the same chain id)
    // describes contracts, pools and entities that do not exist here: none of it is carried over.
    const earlier = readAddressBook(network);
    const otherChain = earlier ? chainMismatch(earlier, chain) : undefined;
    if (earlier && otherChain) {
      const pools = Object.keys(earlier.pools);
      const entities = Object.keys(earlier.entities).length;
      s.note(
        `Discarded the address book of another chain: ${otherChain}. Its ${pools.length} pool${pools.length === 1 ? "" : "s"}` +
          `${pools.length ? ` (${pools.join(", ")})` : ""} and ${entities} entity label${entities === 1 ? "" : "s"} are not carried over.`,
      );
    }
    if (network !== IN_PROCESS_NETWORK) {
      const dir = journalDir(hre, args.deploymentId, chainId);
      if (args.reset) rmSync(dir, { recursive: true, force: true });
      else if (otherChain && LOCAL_CHAIN_IDS.has(chainId) && existsSync(dir)) {
        rmSync(dir, { recursive: true, force: true });
        s.note(`Discarded the Ignition journal of the other chain ${dir}.`);
      } else if (await dropStaleJournal(hre, dir, chainId)) s.note(`Discarded the stale Ignition journal ${dir}.`);
    }
    // What the deployment sets up besides the core: the same for a first run and a re-run, so that Ignition's
    // journal finds nothing left to do on a re-run (or only what new flags add).
    const mock = local && !args.noMock;
    const currencies = args.stablecoin ? await addressList(hre, args.stablecoin, "") : [];
    const grants: Record<AccessRole, string[]> = {
      ONBOARDER_ROLE: await addressList(hre, args.onboarder, signer.address),
      PAUSER_ROLE: await addressList(hre, args.pauser, signer.address),
      RATING_AGENT_ROLE: await addressList(hre, args.ratingAgent, signer.address),
    };
    const journal = network === IN_PROCESS_NETWORK ? undefined : journalDir(hre, args.deploymentId, chainId);
    const existed = journal !== undefined && (await journalCoreOnChain(hre, journal));

    s.note(`Deploying the TradeFin core on ${network} (chain ${chainId}) from ${signer.address}…`);
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const deployed = await deployTradeFin(hre, {
      deployer: signer.address,
      core,
      ...(gov.governance ? { governance: gov.governance } : {}),
      roles: grants,
      currencies,
      localStablecoin: mock,
      deploymentId: args.deploymentId,
    });
    const deployedNow = !existed;
    const timelock = deployed.timelock ? await deployed.timelock.getAddress() : undefined;
    // The Ignition parameters the deployment ran with (TradeFin, and Governance with --safe), for later runs.
    const parameters = Object.fromEntries(
      Object.entries(deployed.parameters).filter(([, v]) => v !== undefined),
    ) as Record<string, Record<string, unknown>>;
    const participants = deployed.participants;
    const addresses = {
      participants: await participants.getAddress(),
      receivables: await deployed.receivables.getAddress(),
      riskEngine: await deployed.riskEngine.getAddress(),
      lens: await deployed.lens.getAddress(),
    };
    const deployBlock = (await hre.ethers.provider.getBlockNumber()) ?? 0;

    // Keep pools and labels of an earlier run of the same deployment on the same chain (deploy is idempotent).
    const previous = otherChain ? undefined : earlier;
    const same = previous !== undefined && previous.contracts.participants === addresses.participants;
    const book = await addressBookFor(hre, {
      ...(same ? { deployedAt: previous.deployedAt } : {}),
      deployer: signer.address,
      deployBlock: same ? (previous.deployBlock ?? deployBlock) : deployBlock,
      ignition: { ...(args.deploymentId ? { deploymentId: args.deploymentId } : {}), parameters },
      contracts: addresses,
      stablecoins: same ? previous.stablecoins : {},
      pools: same ? previous.pools : {},
      entities: same ? previous.entities : {},
    });

    // What this run did (the setup's events since it started), and what is left to an admin that is not the signer.
    const isAdmin = await participants.hasRole(await participants.DEFAULT_ADMIN_ROLE(), signer.address);
    const since = blockBefore + 1;
    const allowedNow = new Set(
      (await participants.queryFilter(participants.filters.CurrencyAllowedSet(), since)).map((e) =>
        e.args.token.toLowerCase(),
      ),
    );
    const grantedNow = new Set(
      (await participants.queryFilter(participants.filters.RoleGranted(), since)).map(
        (e) => `${e.args.role}:${e.args.account.toLowerCase()}`,
      ),
    );
    const actions: string[] = [];
    const tokens = [...(deployed.stablecoin ? [await deployed.stablecoin.getAddress()] : []), ...currencies];
    for (const address of tokens) {
      const token = (await hre.ethers.getContractAt("IERC20Metadata", address)) as unknown as IERC20Metadata;
      const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
      const isMock = mock && address === tokens[0];
      book.stablecoins[symbol] = { address, decimals: Number(decimals), ...(isMock ? { mock: true } : {}) };
      if (allowedNow.has(address.toLowerCase())) actions.push(`allowlisted ${symbol} (${address})`);
      else if (!isAdmin && !(await participants.isCurrencyAllowed(address))) {
        s.note(`${signer.address} is not the admin: allowlist ${symbol} with setCurrencyAllowed(${address}, true).`);
      }
    }
    for (const role of ACCESS_ROLES) {
      const roleId = await participants[role]();
      for (const holder of grants[role]) {
        if (grantedNow.has(`${roleId}:${holder.toLowerCase()}`)) actions.push(`granted ${role} to ${holder}`);
        else if (!isAdmin && !(await participants.hasRole(roleId, holder))) {
          s.note(`${signer.address} is not the admin: grant ${role} to ${holder} with grantRole.`);
        }
      }
    }

    const path = writeAddressBook(book);
    s.say(
      !deployedNow
        ? `Found the existing TradeFin deployment on ${network} (chain ${chainId}); nothing was deployed`
        : `TradeFin deployed on ${network} (chain ${chainId})`,
    );
    s.say(`  ParticipantRegistry  ${addresses.participants}`);
    s.say(`  ReceivableRegistry   ${addresses.receivables}`);
    s.say(`  RiskEngine           ${addresses.riskEngine}`);
    s.say(`  ReceivableLens       ${addresses.lens}`);
    for (const [sym, c] of Object.entries(book.stablecoins)) {
      s.say(`  ${sym.padEnd(20)} ${c.address}${c.mock ? " (test stablecoin, local only)" : ""}`);
    }
    for (const a of actions) s.say(`  ${a}`);
    if (timelock && gov.governance) for (const n of governanceNotes(timelock, gov.governance)) s.say(n);
    s.say(path ? `Address book: ${path}` : "Address book kept in memory (in-process network).");
    return {
      ok: true,
      deployed: deployedNow,
      discarded: earlier && otherChain ? { reason: otherChain, pools: Object.keys(earlier.pools) } : null,
      addressBook: path ?? null,
      ...book,
      roles: grants,
      actions,
      timelock: timelock ?? null,
    };
  },
);
