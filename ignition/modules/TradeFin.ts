import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

/** The "TradeFin" parameters of {@link TradeFinModule}. */
export interface TradeFinParameters {
  /** Holder of DEFAULT_ADMIN_ROLE: an account or a contract (a timelock, a Safe); default the deployer. */
  admin?: string;
  /** Seconds a new admin waits before accepting (default 2 days). */
  adminTransferDelay?: number;
  /** Seconds after the due date before a default may be declared (default 30 days). */
  defaultGracePeriod?: number;
  /** The ReceivableRegistry this deployment replaces, whose invoice keys stay used (default none). */
  predecessor?: string;
}

/**
 * The core of a TradeFin deployment: the participant registry (also the
 * access-control hub), the receivable registry, the risk engine and the
 * read-only lens over the receivable registry. The constructor arguments are
 * written here and nowhere else.
 *
 * Parameters (`--parameters file.json`, key "TradeFin"): {@link TradeFinParameters}.
 *
 * ReceivableRegistry links the ReceivableLogic library (its less frequent state changes).
 * Role grants, the currency allowlist, entities and pool bindings are the TradeFinSetup module's
 * (ignition/modules/Setup.ts); `deployTradeFin()` (src/hardhat/deploy.ts) deploys both.
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
