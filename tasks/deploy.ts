/**
 * `deploy`: the TradeFin core through Ignition, the local test stablecoin on local chains, the
 * settlement-currency allowlist and the access-control roles; writes the address book.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import TradeFinModule from "../ignition/modules/TradeFin";
import LocalStablecoinModule from "../ignition/modules/LocalStablecoin";
import type { IERC20Metadata, ParticipantRegistry } from "../typechain-types";
import {
  IN_PROCESS_NETWORK,
  chainMismatch,
  deploymentsDir,
  readAddressBook,
  writeAddressBook,
  type AddressBook,
} from "../src/addressBook";
import { chainIdentityOf, resolveAddress, selectSigner } from "../src/context";
import { TaskInputError, parsePositiveInt, tradefinTask } from "./lib/cli";
import { setUpGovernance, type GovernanceFlags } from "./lib/governance";

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
    const gov = await setUpGovernance(hre, args, {
      chainId,
      admin: requested,
      adminGiven: args.admin !== undefined,
      deploymentId: args.deploymentId,
      defaultSender: signer.address,
    });
    const admin = gov.admin;
    const parameters = {
      ...gov.parameters,
      TradeFin: {
        admin,
        adminTransferDelay: parsePositiveInt(args.adminDelayDays, "admin-delay-days", 2) * 86_400,
        defaultGracePeriod: parsePositiveInt(args.graceDays, "grace-days", 30) * 86_400,
      },
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
    const options = { parameters, defaultSender: signer.address, deploymentId: args.deploymentId };
    s.note(`Deploying the TradeFin core on ${network} (chain ${chainId}) from ${signer.address}…`);
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const core = await hre.ignition.deploy(TradeFinModule, options);
    // Ignition reuses what its journal records; no new block means nothing was deployed.
    const deployedNow = (await hre.ethers.provider.getBlockNumber()) > blockBefore;
    const participants = core.participants as unknown as ParticipantRegistry;
    const addresses = {
      participants: await core.participants.getAddress(),
      receivables: await core.receivables.getAddress(),
      riskEngine: await core.riskEngine.getAddress(),
      lens: await core.lens.getAddress(),
    };
    const deployBlock = (await hre.ethers.provider.getBlockNumber()) ?? 0;

    // Keep pools and labels of an earlier run of the same deployment on the same chain (deploy is idempotent).
    const previous = otherChain ? undefined : earlier;
    const same = previous !== undefined && previous.contracts.participants === addresses.participants;
    const book: AddressBook = {
      version: 1,
      network,
      chainId,
      ...(chain.genesisHash ? { genesisHash: chain.genesisHash } : {}),
      deployedAt: same ? previous.deployedAt : new Date().toISOString(),
      deployer: signer.address,
      deployBlock: same ? (previous.deployBlock ?? deployBlock) : deployBlock,
      ignition: { ...(args.deploymentId ? { deploymentId: args.deploymentId } : {}), parameters },
      contracts: addresses,
      stablecoins: same ? previous.stablecoins : {},
      pools: same ? previous.pools : {},
      entities: same ? previous.entities : {},
    };

    const isAdmin = await participants.hasRole(await participants.DEFAULT_ADMIN_ROLE(), signer.address);
    const registry = participants.connect(signer);
    const actions: string[] = [];

    const tokens: string[] = [];
    if (local && !args.noMock) {
      const { stablecoin } = await hre.ignition.deploy(LocalStablecoinModule, { ...options, parameters: {} });
      tokens.push(await stablecoin.getAddress());
    }
    if (args.stablecoin) tokens.push(...(await addressList(hre, args.stablecoin, "")));
    for (const address of tokens) {
      const token = (await hre.ethers.getContractAt("IERC20Metadata", address)) as unknown as IERC20Metadata;
      const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
      const mock = local && !args.noMock && address === tokens[0];
      book.stablecoins[symbol] = { address, decimals: Number(decimals), ...(mock ? { mock: true } : {}) };
      if (!(await participants.isCurrencyAllowed(address))) {
        if (!isAdmin) {
          s.note(`${signer.address} is not the admin: allowlist ${symbol} with setCurrencyAllowed(${address}, true).`);
          continue;
        }
        await (await registry.setCurrencyAllowed(address, true)).wait();
        actions.push(`allowlisted ${symbol} (${address})`);
      }
    }

    const grants: Record<string, string[]> = {};
    const roles: [string, string | undefined, () => Promise<string>][] = [
      ["ONBOARDER_ROLE", args.onboarder, () => participants.ONBOARDER_ROLE()],
      ["PAUSER_ROLE", args.pauser, () => participants.PAUSER_ROLE()],
      ["RATING_AGENT_ROLE", args.ratingAgent, () => participants.RATING_AGENT_ROLE()],
    ];
    for (const [roleName, value, roleId] of roles) {
      const role = await roleId();
      grants[roleName] = await addressList(hre, value, signer.address);
      for (const holder of grants[roleName]) {
        if (await participants.hasRole(role, holder)) continue;
        if (!isAdmin) {
          s.note(`${signer.address} is not the admin: grant ${roleName} to ${holder} with grantRole.`);
          continue;
        }
        await (await registry.grantRole(role, holder)).wait();
        actions.push(`granted ${roleName} to ${holder}`);
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
    for (const n of gov.notes) s.say(n);
    s.say(path ? `Address book: ${path}` : "Address book kept in memory (in-process network).");
    return {
      ok: true,
      deployed: deployedNow,
      discarded: earlier && otherChain ? { reason: otherChain, pools: Object.keys(earlier.pools) } : null,
      addressBook: path ?? null,
      ...book,
      roles: grants,
      actions,
      timelock: gov.timelock ?? null,
    };
  },
);
