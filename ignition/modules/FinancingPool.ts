import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TradeFinModule from "./TradeFin";
import { policyTuple, standardPolicy } from "../../src/pure/policy";

/** Addresses of an already deployed TradeFin core. */
export interface CoreAddresses {
  receivables: string;
  riskEngine: string;
}

/**
 * One bank's financing pool. Each bank gets its own module id (`Pool_<bank>`), so several pools
 * live in one deployment.
 *
 * With `core` given, the pool is wired to that already deployed core (what tests, the demo and
 * `pool:deploy` do, since each `ignition.deploy` on the in-process network is its own deployment);
 * without it, the module deploys the core too, through TradeFinModule, in the same deployment.
 *
 * Parameters (key `Pool_<bank>`):
 * - `asset`: the pool's stablecoin (required);
 * - `manager`: the bank's manager (default: account 0);
 * - `policy`: the IRiskEngine.RiskPolicy (default: `standardPolicy(6)` from src/pure/policy.ts).
 *
 * After deployment the onboarder must bind the pool as a pull-only wallet of the bank's FINANCIER entity, in one
 * transaction (`ParticipantRegistry.addWallet(bankEntity, pool, true)`), so that it can hold receivables and
 * takes them only through finance.
 */
export function financingPoolModule(bank: string, core?: CoreAddresses) {
  if (!/^[A-Za-z0-9_]+$/.test(bank)) throw new Error(`bank name "${bank}" must be letters, digits or _`);
  return buildModule(`Pool_${bank}`, (m) => {
    const { receivables, riskEngine } = core
      ? {
          receivables: m.contractAt("ReceivableRegistry", core.receivables, { id: "CoreReceivables" }),
          riskEngine: m.contractAt("RiskEngine", core.riskEngine, { id: "CoreRiskEngine" }),
        }
      : m.useModule(TradeFinModule);
    const asset = m.getParameter<string>("asset");
    const manager = m.getParameter("manager", m.getAccount(0));
    const policy = m.getParameter("policy", policyTuple(standardPolicy(6)));
    const pool = m.contract("FinancingPool", [receivables, riskEngine, asset, manager, policy]);
    return { pool };
  });
}
