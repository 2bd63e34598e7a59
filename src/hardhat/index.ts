/**
 * TradeFin SDK, Hardhat glue (`import { … } from "tradefin/hardhat"`): a connection to a deployment from
 * a Hardhat runtime (`connect(hre)`, signers, chain time) and the `.env` network loader of
 * hardhat.config.ts. The only SDK entry point that expects Hardhat.
 */
export * from "./context";
export * from "./env";
