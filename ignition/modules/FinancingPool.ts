import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TradeFinModule from "./TradeFin";
import { policyTuple, standardPolicy } from "../../src/policy";

/**
 * One bank's financing pool, on top of the TradeFin core of the same deployment.
 * Each bank gets its own module id (`Pool_<bank>`), so several pools live in one deployment.
 *
 * Parameters (key `Pool_<bank>`):
 * - `asset`: the pool's stablecoin (required);
 * - `manager`: the bank's manager (default: account 0);
 * - `policy`: the IRiskEngine.RiskPolicy (default: `standardPolicy(6)` from src/policy.ts).
 *
 * After deployment the onboarder must bind the pool as a wallet of the bank's FINANCIER entity
 * (`participant:add-wallet` / ParticipantRegistry.addWallet) so that it can hold receivables.
 */
export function financingPoolModule(bank: string) {
  if (!/^[A-Za-z0-9_]+$/.test(bank)) throw new Error(`bank name "${bank}" must be letters, digits or _`);
  return buildModule(`Pool_${bank}`, (m) => {
    const { receivables, riskEngine } = m.useModule(TradeFinModule);
    const asset = m.getParameter<string>("asset");
    const manager = m.getParameter("manager", m.getAccount(0));
    const policy = m.getParameter("policy", policyTuple(standardPolicy(6)));
    const pool = m.contract("FinancingPool", [receivables, riskEngine, asset, manager, policy]);
    return { pool };
  });
}
