/**
 * One setup path: `deployTradeFin()` deploys a TradeFin world through Ignition — the core, optionally the local
 * test stablecoin, the access roles, the currency allowlist, entities and banks' pools bound to their banks — and
 * returns typed contracts. Tests (test/shared/fixtures.ts, test/shared/governance.ts), the gas benchmark
 * (scripts/lib/gasScenarios.ts), the demo (scripts/demo.ts), the supervision benchmark's chain
 * (scripts/bench-supervision-seed.ts) and the `deploy` task (tasks/deploy.ts) all deploy through it; the modules are
 * in ignition/modules/ (Governance: the timelock in charge, when there is one; TradeFin: the core; Setup: everything
 * after it). A pool added later to a deployment (`pool:deploy`) goes through {@link deployBankPool}, the same
 * FinancingPool module.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import type { Interface } from "ethers";
import type {
  FinancingPool,
  MockStablecoin,
  ParticipantRegistry,
  ReceivableLens,
  ReceivableRegistry,
  RiskEngine,
  Timelock,
} from "../../typechain-types";
import type { TradeFinParameters } from "../../ignition/modules/TradeFin";
import { financingPoolModule, type PoolParameters } from "../../ignition/modules/FinancingPool";
import GovernanceModule, { DEFAULT_GOVERNANCE_DELAY } from "../../ignition/modules/Governance";
import {
  ACCESS_ROLES,
  tradeFinSetupModule,
  type AccessRole,
  type EntitySetup,
  type SetupPlan,
} from "../../ignition/modules/Setup";
import { IN_PROCESS_NETWORK, type AddressBook } from "../node/addressBook";
import { chainIdentityOf } from "./context";
import { policyTuple, type PolicyLike } from "../pure/policy";
import { TradeFinError } from "../pure/tradeFinError";

export { ACCESS_ROLES, type AccessRole, type EntitySetup, type SetupPlan };

/** A bank's pool in {@link DeployTradeFinOptions.pools}. */
export interface PoolOptions {
  /** The pool's stablecoin; default the local test stablecoin (`localStablecoin` must be set). */
  asset?: string;
  /** The bank's manager (Ownable2Step owner of the pool); default the deployer. */
  manager?: string;
  /** The bank's risk policy; default `standardPolicy(6)`. */
  policy?: PolicyLike;
  /** The bank's FINANCIER entity: the pool is bound to it as a pull-only wallet (by the onboarder). */
  bankEntity?: string;
}

/**
 * A timelock in charge of the deployment (ignition/modules/Governance.ts, docs/GOVERNANCE.md): OpenZeppelin's
 * TimelockController, made the admin of the ParticipantRegistry and the default manager (owner) of each pool, so
 * every privileged change is scheduled by the proposers and runs only after the delay.
 */
export interface GovernanceOptions {
  /** Accounts that schedule and cancel operations (the Safe). */
  proposers: readonly string[];
  /** Seconds between scheduling and execution; default DEFAULT_GOVERNANCE_DELAY (48 h). */
  delay?: number;
  /** Accounts that execute a ready operation; default `[address(0)]`: anyone, once the delay has run. */
  executors?: readonly string[];
}

/** The `Governance` Ignition parameters of a governed deployment. */
export interface GovernanceParameters {
  delay: number;
  proposers: string[];
  executors: string[];
}

/** Options of {@link deployTradeFin}. Everything is optional: `{}` deploys the bare core. */
export interface DeployTradeFinOptions {
  /** Sends the deployment (Ignition's defaultSender) and, when it is the admin, the admin's calls; default account 0. */
  deployer?: string;
  /** The core's constructor parameters (admin, transfer delay, grace period). */
  core?: TradeFinParameters;
  /**
   * Deploy a timelock first (same Ignition deployment id) and make it the admin (`core.admin` must then be left
   * out) and the manager of every pool that names none. The admin's calls are then left in `pendingAdminCalls`.
   */
  governance?: GovernanceOptions;
  /** Holders of ONBOARDER_ROLE, PAUSER_ROLE and RATING_AGENT_ROLE. */
  roles?: Partial<Record<AccessRole, readonly string[]>>;
  /** Who registers entities and binds pools; default the first ONBOARDER_ROLE holder. */
  onboarder?: string;
  /** Settlement currencies to allowlist, besides the local stablecoin. */
  currencies?: readonly string[];
  /** Deploy the 6-decimal test stablecoin tUSD (local chains only) and allowlist it. */
  localStablecoin?: boolean;
  /** Entities to register, in order (an entity's compact index is its position among registrations). */
  entities?: readonly EntitySetup[];
  /** Pools by bank name (letters, digits, _): deployed, and bound when `bankEntity` is given. */
  pools?: Readonly<Record<string, PoolOptions>>;
  /** Ignition deployment id (a journal under ignition/deployments/ on live networks). */
  deploymentId?: string;
}

/**
 * A call only the admin may make, left to it because the deployer is not the admin: ready to be proposed to a
 * timelock or a Safe (`to`, `data`) or made by hand (`description`).
 */
export interface AdminCall {
  /** The participant registry. */
  to: string;
  method: "grantRole" | "setCurrencyAllowed";
  args: [string, string] | [string, boolean];
  /** ABI-encoded calldata. */
  data: string;
  /** E.g. "grant ONBOARDER_ROLE to 0x… with grantRole". */
  description: string;
}

/** What {@link deployTradeFin} deployed. */
export interface TradeFinDeployment {
  participants: ParticipantRegistry;
  receivables: ReceivableRegistry;
  riskEngine: RiskEngine;
  lens: ReceivableLens;
  /** The local test stablecoin, with `localStablecoin`. */
  stablecoin?: MockStablecoin;
  /** The timelock in charge, with `governance`. */
  timelock?: Timelock;
  /** Pools by bank name. */
  pools: Record<string, FinancingPool>;
  /** The Ignition parameters of the deployment (the address book keeps them for `pool:deploy`). */
  parameters: { TradeFin: TradeFinParameters; Governance?: GovernanceParameters } & Record<
    string,
    TradeFinParameters | PoolParameters | GovernanceParameters | undefined
  >;
  /** The admin's calls the deployer did not make because it is not the admin (a timelock, a Safe, another key). */
  pendingAdminCalls: AdminCall[];
}

/**
 * Deploys TradeFin through Ignition (ignition/modules/TradeFin.ts and Setup.ts, after Governance.ts with
 * `governance`, under the same deployment id) and returns typed contracts. On the in-process network every call is
 * a fresh deployment; elsewhere Ignition's journal makes a second call with the same options a no-op.
 */
export async function deployTradeFin(
  hre: HardhatRuntimeEnvironment,
  options: DeployTradeFinOptions = {},
): Promise<TradeFinDeployment> {
  const deployer = options.deployer ?? (await hre.ethers.getSigners())[0].address;
  const governed = options.governance ? await deployGovernance(hre, options, deployer) : undefined;
  const core: TradeFinParameters = { ...options.core, ...(governed ? { admin: governed.address } : {}) };
  const admin = core.admin ?? deployer;
  const deployerIsAdmin = admin.toLowerCase() === deployer.toLowerCase();
  const roles = options.roles ?? {};
  const localStablecoin = options.localStablecoin ?? false;
  const pools = Object.entries(options.pools ?? {});

  const plan: SetupPlan = {
    admin: deployerIsAdmin ? deployer : undefined,
    onboarder: options.onboarder ?? roles.ONBOARDER_ROLE?.[0],
    roles,
    currencies: options.currencies ?? [],
    localStablecoin,
    entities: options.entities ?? [],
    pools: pools.map(([bank, p]) => ({ bank, bankEntity: p.bankEntity, localAsset: p.asset === undefined })),
  };
  const parameters: TradeFinDeployment["parameters"] = {
    TradeFin: core,
    ...(governed ? { Governance: governed.parameters } : {}),
  };
  for (const [bank, p] of pools) {
    if (p.asset === undefined && !localStablecoin) {
      throw new TradeFinError(`pool ${bank}: give its asset, or localStablecoin`);
    }
    const manager = p.manager ?? governed?.address;
    parameters[`Pool_${bank}`] = {
      ...(p.asset !== undefined ? { asset: p.asset } : {}),
      ...(manager !== undefined ? { manager } : {}),
      ...(p.policy !== undefined ? { policy: policyTuple(p.policy) } : {}),
    };
  }

  const deployed = (await hre.ignition.deploy(tradeFinSetupModule(plan), {
    parameters: parameters as unknown as DeploymentParameters,
    defaultSender: deployer,
    deploymentId: options.deploymentId,
  })) as Record<string, unknown>;

  const participants = deployed.participants as ParticipantRegistry;
  const stablecoin = localStablecoin ? (deployed.stablecoin as MockStablecoin) : undefined;
  const pendingAdminCalls: AdminCall[] = [];
  if (!deployerIsAdmin) {
    const to = await participants.getAddress();
    const call = (method: AdminCall["method"], args: AdminCall["args"], description: string): AdminCall => ({
      to,
      method,
      args,
      data: (participants.interface as Interface).encodeFunctionData(method, args),
      description,
    });
    for (const role of ACCESS_ROLES) {
      const roleId = await participants[role]();
      for (const holder of roles[role] ?? []) {
        pendingAdminCalls.push(call("grantRole", [roleId, holder], `grant ${role} to ${holder} with grantRole`));
      }
    }
    const tokens = [...(stablecoin ? [await stablecoin.getAddress()] : []), ...(options.currencies ?? [])];
    for (const token of tokens) {
      pendingAdminCalls.push(
        call("setCurrencyAllowed", [token, true], `allowlist ${token} with setCurrencyAllowed(${token}, true)`),
      );
    }
  }
  return {
    participants,
    receivables: deployed.receivables as ReceivableRegistry,
    riskEngine: deployed.riskEngine as RiskEngine,
    lens: deployed.lens as ReceivableLens,
    ...(stablecoin ? { stablecoin } : {}),
    ...(governed ? { timelock: governed.timelock } : {}),
    pools: Object.fromEntries(pools.map(([bank]) => [bank, deployed[`pool_${bank}`] as FinancingPool])),
    parameters,
    pendingAdminCalls,
  };
}

/** Deploys the Governance module (the timelock) for {@link deployTradeFin}'s `governance` option. */
async function deployGovernance(hre: HardhatRuntimeEnvironment, options: DeployTradeFinOptions, deployer: string) {
  const g = options.governance!;
  if (options.core?.admin !== undefined) {
    throw new TradeFinError(
      "give either core.admin or governance, not both: with governance the timelock is the admin",
    );
  }
  if (g.proposers.length === 0) throw new TradeFinError("governance needs at least one proposer (the Safe)");
  const parameters: GovernanceParameters = {
    delay: g.delay ?? DEFAULT_GOVERNANCE_DELAY,
    proposers: [...g.proposers],
    executors: [...(g.executors ?? [hre.ethers.ZeroAddress])],
  };
  const { timelock } = await hre.ignition.deploy(GovernanceModule, {
    parameters: { Governance: parameters } as unknown as DeploymentParameters,
    defaultSender: deployer,
    deploymentId: options.deploymentId,
  });
  return { timelock: timelock as unknown as Timelock, address: await timelock.getAddress(), parameters };
}

/** A pool added to an existing deployment by {@link deployBankPool}. */
export interface BankPoolOptions {
  /** The pool's stablecoin. */
  asset: string;
  /** The bank's manager (Ownable2Step owner of the pool). */
  manager: string;
  /** The bank's risk policy. */
  policy: PolicyLike;
  /** Sends the deployment when the book's deployer is not an account of this network. */
  sender: string;
}

/**
 * Deploys bank `bank`'s FinancingPool (ignition/modules/FinancingPool.ts) into the deployment of `book`: on a live
 * network into the same Ignition deployment as the core (its journal and parameters, sent by the book's deployer
 * when this network holds its key), so that a re-run finds the pool instead of deploying another; on the
 * in-process network, which keeps no journal, wired to the book's core by address.
 *
 * @returns the pool's address, and whether this call deployed it (false: found in the journal).
 * @throws TradeFinError when the pool found is bound to another ReceivableRegistry than the book's.
 */
export async function deployBankPool(
  hre: HardhatRuntimeEnvironment,
  book: AddressBook,
  bank: string,
  options: BankPoolOptions,
): Promise<{ address: string; deployed: boolean }> {
  const poolParams = { asset: options.asset, manager: options.manager, policy: policyTuple(options.policy) };
  const blockBefore = await hre.ethers.provider.getBlockNumber();
  let deployed: { pool: { getAddress(): Promise<string> } };
  if (book.network === IN_PROCESS_NETWORK) {
    const core = { receivables: book.contracts.receivables, riskEngine: book.contracts.riskEngine };
    deployed = await hre.ignition.deploy(financingPoolModule(bank, { core }), {
      parameters: { [`Pool_${bank}`]: poolParams },
      defaultSender: options.sender,
    });
  } else {
    const signers = await hre.ethers.getSigners();
    const deployer = signers.find((x) => x.address === book.deployer)?.address ?? options.sender;
    deployed = await hre.ignition.deploy(financingPoolModule(bank), {
      parameters: {
        ...(book.ignition?.parameters ?? {}),
        [`Pool_${bank}`]: poolParams,
      } as unknown as DeploymentParameters,
      deploymentId: book.ignition?.deploymentId,
      defaultSender: deployer,
    });
  }
  const address = await deployed.pool.getAddress();
  const deployedNow = (await hre.ethers.provider.getBlockNumber()) > blockBefore;
  const pool = (await hre.ethers.getContractAt("FinancingPool", address)) as unknown as FinancingPool;
  if ((await pool.receivables()) !== book.contracts.receivables) {
    throw new TradeFinError(
      `the pool at ${address} is bound to another ReceivableRegistry than the address book's; check the Ignition journal`,
    );
  }
  return { address, deployed: deployedNow };
}

/** What a script that deployed with {@link deployTradeFin} knows of the deployment for its address book. */
export interface DeploymentBookParts {
  deployer: string;
  /** The first block of the deployment (event queries start there). */
  deployBlock: number;
  contracts: AddressBook["contracts"];
  stablecoins: AddressBook["stablecoins"];
  pools: AddressBook["pools"];
  entities: AddressBook["entities"];
  /** The Ignition deployment id and parameters, for a later run to find the same deployment. */
  ignition?: AddressBook["ignition"];
  /** When it was deployed (default now; a re-run keeps the first run's). */
  deployedAt?: string;
}

/**
 * The address book of a deployment made on the current network, stamped with the network's name and identity
 * (chain id, genesis hash: {@link chainIdentityOf}); write it with writeAddressBook (src/node/addressBook.ts).
 */
export async function addressBookFor(hre: HardhatRuntimeEnvironment, parts: DeploymentBookParts): Promise<AddressBook> {
  const chain = await chainIdentityOf(hre);
  return {
    version: 1,
    network: hre.network.name,
    chainId: chain.chainId,
    ...(chain.genesisHash ? { genesisHash: chain.genesisHash } : {}),
    deployedAt: parts.deployedAt ?? new Date().toISOString(),
    deployer: parts.deployer,
    deployBlock: parts.deployBlock,
    ...(parts.ignition ? { ignition: parts.ignition } : {}),
    contracts: parts.contracts,
    stablecoins: parts.stablecoins,
    pools: parts.pools,
    entities: parts.entities,
  };
}
