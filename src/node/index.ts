/**
 * TradeFin SDK, Node I/O layer (`import { … } from "tradefin/node"`): the deployment address book kept
 * in `deployments/<network>.json`. Hardhat is not loaded from here either (test/sdk/entry.test.ts).
 */
export * from "./addressBook";
