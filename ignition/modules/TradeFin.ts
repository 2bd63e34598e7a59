import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

/**
 * The core of a TradeFin deployment: the participant registry (also the
 * access-control hub), the receivable registry, the risk engine and the
 * read-only lens over the receivable registry.
 *
 * Parameters (`--parameters file.json`, key "TradeFin"):
 * - `admin`: holder of DEFAULT_ADMIN_ROLE (default: the deployer, account 0);
 * - `adminTransferDelay`: seconds a new admin waits before accepting (default 2 days);
 * - `defaultGracePeriod`: seconds after the due date before a default may be declared (default 30 days);
 * - `predecessor`: the ReceivableRegistry this deployment replaces, whose invoice keys stay used (default none).
 *
 * ReceivableRegistry links the ReceivableLogic library (its less frequent state changes).
 */
const TradeFinModule = buildModule("TradeFin", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminTransferDelay = m.getParameter("adminTransferDelay", 2 * 24 * 3600);
  const defaultGracePeriod = m.getParameter("defaultGracePeriod", 30 * 24 * 3600);
  const predecessor = m.getParameter("predecessor", ZeroAddress);
  const participants = m.contract("ParticipantRegistry", [admin, adminTransferDelay]);
  const logic = m.library("ReceivableLogic");
  const receivables = m.contract("ReceivableRegistry", [participants, defaultGracePeriod, predecessor], {
    libraries: { ReceivableLogic: logic },
  });
  const riskEngine = m.contract("RiskEngine", [receivables]);
  const lens = m.contract("ReceivableLens", [receivables]);
  return { participants, receivables, riskEngine, lens };
});

export default TradeFinModule;
