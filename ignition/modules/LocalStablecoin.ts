import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** A 6-decimal test stablecoin with permit. Local networks only: never on a real chain. */
const LocalStablecoinModule = buildModule("LocalStablecoin", (m) => {
  const name = m.getParameter("name", "Test USD");
  const symbol = m.getParameter("symbol", "tUSD");
  const decimals = m.getParameter("decimals", 6);
  const stablecoin = m.contract("MockStablecoin", [name, symbol, decimals]);
  return { stablecoin };
});

export default LocalStablecoinModule;
