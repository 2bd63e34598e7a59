import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractCallFuture, ContractFuture } from "@nomicfoundation/ignition-core";
import TradeFinModule from "./TradeFin";
import LocalStablecoinModule from "./LocalStablecoin";
import { financingPoolModule } from "./FinancingPool";
import { Role } from "../../src/pure/ids";
import { TradeFinError } from "../../src/pure/tradeFinError";

/** The access-control roles an admin grants on a fresh deployment (ParticipantRegistry's constants). */
export const ACCESS_ROLES = ["ONBOARDER_ROLE", "PAUSER_ROLE", "RATING_AGENT_ROLE"] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

/** A participant to register: a legal entity and its wallets. */
export interface EntitySetup {
  /** `entityId("SCHEME:IDENTIFIER")` (src/pure/ids.ts). */
  id: string;
  /** Role bits (src/pure/ids.ts `Role`). An entity with REGULATOR is registered by the admin, the others by the onboarder. */
  roles: number;
  /** KYC expiry, in seconds since the epoch. */
  kycExpiry: number | bigint;
  /** Its wallets: the first is bound at registration, the others right after it. */
  wallets: readonly string[];
}

/** A bank's financing pool (its parameters are the `Pool_<bank>` ones of financingPoolModule). */
export interface PoolSetup {
  /** Letters, digits or _: the module id is `Pool_<bank>`. */
  bank: string;
  /** The bank's FINANCIER entity: the pool is bound to it as a pull-only wallet (needs `onboarder`). */
  bankEntity?: string;
  /** The pool's asset is the local test stablecoin (requires `localStablecoin`), not the `asset` parameter. */
  localAsset?: boolean;
}

/**
 * What the TradeFinSetup module does after the core is deployed. The plan is code, not parameters: how many
 * calls a module makes is fixed when it is built, so each shape of setup is its own module value.
 */
export interface SetupPlan {
  /**
   * The account that sends the admin's calls (role grants, currency allowlist, regulator entities). Undefined
   * when the admin is not an account of this deployer (a timelock, a Safe, another key): then the module makes
   * none of them, and the admin must (see `pendingAdminCalls` of deployTradeFin).
   */
  admin?: string;
  /** The ONBOARDER_ROLE account that registers entities and binds pools (needed for either). */
  onboarder?: string;
  /** Holders of each access role. */
  roles?: Partial<Record<AccessRole, readonly string[]>>;
  /** Settlement currencies to allowlist (plain ERC-20s). */
  currencies?: readonly string[];
  /** Deploy the local test stablecoin (LocalStablecoin module) and allowlist it. */
  localStablecoin?: boolean;
  /** Entities to register, in this order (their compact indexes follow it). */
  entities?: readonly EntitySetup[];
  /** Financing pools to deploy, each bound to its bank's entity when `bankEntity` is given. */
  pools?: readonly PoolSetup[];
}

/** A future id from a label and an address or id: letters, digits and _. */
const idOf = (...parts: (string | number)[]) => parts.map((p) => String(p).replace(/^0x/, "")).join("_");

/**
 * The setup of a deployment, as an Ignition module over TradeFinModule: role grants, the currency allowlist,
 * entities, pools and pool bindings. Every call runs after the whole core is deployed, so the core's addresses do
 * not depend on the setup. Entities are registered in the order given (each sender's run of them after the
 * previous run), since an entity's compact index is its registration order.
 *
 * Returns the core, the pools by bank (`pool_<bank>`) and, with `localStablecoin`, `stablecoin`.
 */
export function tradeFinSetupModule(plan: SetupPlan, id = "TradeFinSetup") {
  const { admin, onboarder, roles = {}, currencies = [], localStablecoin = false, entities = [], pools = [] } = plan;
  return buildModule(id, (m) => {
    const core = m.useModule(TradeFinModule);
    const { participants, riskEngine, lens } = core;
    const coreDone = [riskEngine, lens];
    const stablecoin = localStablecoin ? m.useModule(LocalStablecoinModule).stablecoin : undefined;

    // The admin's calls: access roles, then the currency allowlist.
    const grants: ContractCallFuture<string, string>[] = [];
    if (admin) {
      for (const role of ACCESS_ROLES) {
        const holders = roles[role] ?? [];
        if (holders.length === 0) continue;
        const roleId = m.staticCall(participants, role, [], 0, { id: role });
        for (const holder of holders) {
          const grant = m.call(participants, "grantRole", [roleId, holder], {
            id: idOf("grant", role, holder),
            from: admin,
            after: coreDone,
          });
          grants.push(grant);
        }
      }
      const tokens: (string | NonNullable<typeof stablecoin>)[] = [...(stablecoin ? [stablecoin] : []), ...currencies];
      tokens.forEach((token, i) => {
        const label = typeof token === "string" ? token : `local_${i}`;
        m.call(participants, "setCurrencyAllowed", [token, true], {
          id: idOf("allow", label),
          from: admin,
          after: coreDone,
        });
      });
    }

    // Entities, in order: a run of entities with the same sender goes in one batch (Ignition sends a batch sorted
    // by sender, then by future id, hence the zero-padded position in the id), each run after the previous one.
    let previous: ContractCallFuture<string, string>[] = grants;
    let run: ContractCallFuture<string, string>[] = [];
    let runSender: string | undefined;
    const registered = new Map<string, ContractCallFuture<string, string>>();
    entities.forEach((e, i) => {
      const sender = e.roles & Role.REGULATOR ? admin : onboarder;
      if (!sender) {
        throw new TradeFinError(
          `entity ${e.id} needs ${e.roles & Role.REGULATOR ? "the admin" : "an onboarder"} account to register it`,
        );
      }
      if (e.wallets.length === 0) throw new TradeFinError(`entity ${e.id} has no wallet`);
      if (sender !== runSender && run.length > 0) {
        previous = run;
        run = [];
      }
      runSender = sender;
      const register = m.call(participants, "registerEntity", [e.id, e.roles, e.kycExpiry, e.wallets[0]], {
        id: idOf("register", String(i).padStart(3, "0"), e.id.slice(2, 18)),
        from: sender,
        after: [...coreDone, ...previous],
      });
      run.push(register);
      registered.set(e.id.toLowerCase(), register);
    });
    const wallets = entities.flatMap((e) =>
      e.wallets.slice(1).map((wallet) =>
        m.call(participants, "addWallet", [e.id, wallet, false], {
          id: idOf("wallet", e.id.slice(2, 18), wallet),
          from: e.roles & Role.REGULATOR ? admin : onboarder,
          after: [registered.get(e.id.toLowerCase())!],
        }),
      ),
    );

    // Pools, each bound pull-only to its bank in one transaction: it takes receivables only through finance.
    const poolResults: Record<string, ContractFuture<string>> = {};
    for (const p of pools) {
      if (p.localAsset && !stablecoin) throw new TradeFinError(`pool ${p.bank}: localAsset needs localStablecoin`);
      const { pool } = m.useModule(financingPoolModule(p.bank, { localAsset: p.localAsset }));
      poolResults[`pool_${p.bank}`] = pool;
      if (!p.bankEntity) continue;
      if (!onboarder) throw new TradeFinError(`pool ${p.bank}: binding it to its bank needs an onboarder account`);
      const bankRegistration = registered.get(p.bankEntity.toLowerCase());
      m.call(participants, "addWallet", [p.bankEntity, pool, true], {
        id: idOf("bind", p.bank),
        from: onboarder,
        after: [...grants, ...run, ...previous, ...wallets, ...(bankRegistration ? [bankRegistration] : [])],
      });
    }
    return { ...core, ...(stablecoin ? { stablecoin } : {}), ...poolResults };
  });
}
