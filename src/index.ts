/**
 * TradeFin SDK: the one entry point of its pure and chain layers, `import { … } from "tradefin"`.
 *
 * Nothing reachable from here loads Hardhat (test/sdk/entry.test.ts requires this module in a plain Node
 * process and fails if any `hardhat` or `@nomicfoundation` module is loaded), so a bank's own service can
 * use it with ethers alone. The other layers have their own entry points:
 * - `tradefin/node` (src/node/index.ts): Node file I/O, the deployment address book (`deployments/<network>.json`);
 * - `tradefin/hardhat` (src/hardhat/index.ts): Hardhat glue, `connect(hre)` and the `.env` network loader.
 *
 * Layers, from the bottom: pure logic (constants, ids, invoice canonicalisation and hashing, money, the risk
 * and pool models, EIP-712, revert decoding into sentences, receipt events) → chain access (transactions and
 * their events, invoices one call per step, pools, participants, risk, batch submission, report reads) → Node
 * I/O → Hardhat glue. A module imports only from its own layer or below.
 */

// ------------------------------------------------------------------ pure
export * from "./pure/constants";
export * from "./pure/tradeFinError";
export * from "./pure/ids";
export * from "./pure/money";
export * from "./pure/invoice";
export * from "./pure/risk";
export * from "./pure/pool";
export * from "./pure/policy";
export * from "./pure/eip712";
export * from "./pure/gas";
export * from "./pure/concurrency";
export * from "./pure/errors";
export * from "./pure/events";

// ----------------------------------------------------------------- chain
export * from "./chain/tx";
export * from "./chain/batch";
export * from "./chain/invoices";
export * from "./chain/pools";
export * from "./chain/participants";
export * from "./chain/risk";
export * from "./chain/report";

// Two modules name a currency: the invoice's (address, decimals) and the report's (with its symbol).
export type { CurrencyInfo } from "./pure/invoice";
export type { CurrencyInfo as ReportCurrencyInfo } from "./chain/report";
