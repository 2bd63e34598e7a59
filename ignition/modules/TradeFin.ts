import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The core of a TradeFin deployment. Parameters (ignition/parameters/*.json or
 * `--parameters`): `admin` (defaults to the deployer, account 0) and
 * `adminTransferDelay` in seconds (default 2 days).
 */
const TradeFinModule = buildModule("TradeFin", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2 * 24 * 3600);
  const participants = m.contract("ParticipantRegistry", [admin, adminTransferDelay]);
  return { participants };
});

export default TradeFinModule;
