import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TradeFinModule from "./TradeFin";
import LocalStablecoinModule from "./LocalStablecoin";
import { policyTuple, standardPolicy } from "../../src/pure/policy";

/** Addresses of an already deployed TradeFin core. */
export interface CoreAddresses {
  receivables: string;
  riskEngine: string;
}

/** The `Pool_<bank>` parameters of {@link financingPoolModule}. */
export interface PoolParameters {
  /** The pool's stablecoin (required unless the module takes the local test stablecoin). */
  asset?: string;
  /** The bank's manager (default: account 0). */
  manager?: string;
  /** The IRiskEngine.RiskPolicy, as `policyTuple` builds it (default: `standardPolicy(6)`). */
  policy?: ReturnType<typeof policyTuple>;
}

/** How a pool module finds its core and its asset. */
export interface PoolModuleOptions {
  /** An already deployed core; without it, the module deploys the core too, through TradeFinModule. */
  core?: CoreAddresses;
  /** Take the LocalStablecoin module's token as the asset instead of the `asset` parameter (local chains). */
  localAsset?: boolean;
}

/**
 * One bank's financing pool. Each bank gets its own module id (`Pool_<bank>`), so several pools
 * live in one deployment.
 *
 * With `core` given, the pool is wired to that already deployed core (what `pool:deploy` does on the
 * in-process network, since each `ignition.deploy` there is its own deployment); without it, the module
 * deploys the core too, through TradeFinModule, in the same deployment.
 *
 * Parameters (key `Pool_<bank>`): {@link PoolParameters}.
 *
 * The pool must then be bound as a pull-only wallet of the bank's FINANCIER entity, in one transaction
 * (`ParticipantRegistry.addWallet(bankEntity, pool, true)`), so that it can hold receivables and takes them
 * only through finance: the TradeFinSetup module (ignition/modules/Setup.ts) does it.
 */
export function financingPoolModule(bank: string, options: PoolModuleOptions = {}) {
  if (!/^[A-Za-z0-9_]+$/.test(bank)) throw new Error(`bank name "${bank}" must be letters, digits or _`);
  const { core, localAsset = false } = options;
  return buildModule(`Pool_${bank}`, (m) => {
    const { receivables, riskEngine } = core
      ? {
          receivables: m.contractAt("ReceivableRegistry", core.receivables, { id: "CoreReceivables" }),
          riskEngine: m.contractAt("RiskEngine", core.riskEngine, { id: "CoreRiskEngine" }),
        }
      : m.useModule(TradeFinModule);
    const asset = localAsset ? m.useModule(LocalStablecoinModule).stablecoin : m.getParameter<string>("asset");
    const manager = m.getParameter("manager", m.getAccount(0));
    const policy = m.getParameter("policy", policyTuple(standardPolicy(6)));
    const pool = m.contract("FinancingPool", [receivables, riskEngine, asset, manager, policy]);
    return { pool };
  });
}
