import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import TradeFinModule from "./TradeFin";

/**
 * A 6-decimal test stablecoin with permit. Local networks only: never on a real chain.
 *
 * It is deployed after the core (`after`), so the core's addresses (the deployer's first four nonces) are the
 * same with or without it: the EIP-712 domain, and with it every signature the gas benchmark measures, stays put.
 *
 * Parameters (key "LocalStablecoin"): `name` (default "Test USD"), `symbol` ("tUSD"), `decimals` (6).
 */
const LocalStablecoinModule = buildModule("LocalStablecoin", (m) => {
  const { riskEngine, lens } = m.useModule(TradeFinModule);
  const name = m.getParameter("name", "Test USD");
  const symbol = m.getParameter("symbol", "tUSD");
  const decimals = m.getParameter("decimals", 6);
  const stablecoin = m.contract("MockStablecoin", [name, symbol, decimals], { after: [riskEngine, lens] });
  return { stablecoin };
});

export default LocalStablecoinModule;
