import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, NetworksUserConfig } from "hardhat/types";
import "@nomicfoundation/hardhat-toolbox";
import "hardhat-contract-sizer";
import { EnvError, loadRemoteNetwork } from "./src/env";

// The tasks (declared at once, their modules imported when one runs: tasks/lib/lazy.ts).
import "./tasks";

const SOLC_VERSION = "0.8.30";

// Hardhat 2 downloads compilers from binaries.soliditylang.org. These machines
// only reach the npm registry, so for 0.8.30 we hand Hardhat the solc-js
// (WebAssembly) build that ships inside the npm package `solc`. Any other
// version falls through to Hardhat's own resolution.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion === SOLC_VERSION) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const solc = require("solc");
    return {
      compilerPath: require.resolve("solc/soljson.js"),
      isSolcJs: true,
      version: args.solcVersion,
      longVersion: solc.version(),
    };
  }
  return runSuper();
});

const networks: NetworksUserConfig = {
  hardhat: {},
  localhost: { url: process.env.LOCALHOST_URL ?? "http://127.0.0.1:8545" },
};
try {
  const remote = loadRemoteNetwork(process.env);
  if (remote) networks.remote = remote;
} catch (err) {
  if (err instanceof EnvError) {
    // A configuration mistake, not a bug: one line, no stack trace.
    console.error(`Error in .env: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

function solcSettings(runs: number) {
  return { optimizer: { enabled: true, runs }, evmVersion: "prague" };
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: solcSettings(10_000) }],
    overrides: {
      // The largest contract: fewer optimizer runs keep it under the 24 KiB limit (EIP-170).
      "contracts/ReceivableRegistry.sol": { version: SOLC_VERSION, settings: solcSettings(200) },
    },
  },
  defaultNetwork: "hardhat",
  networks,
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", currency: "USD", offline: true },
  contractSizer: {
    runOnCompile: false,
    strict: true,
    except: ["mocks/"],
  },
  mocha: { timeout: 120_000 },
};

export default config;
