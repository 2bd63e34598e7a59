import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS,
} from "hardhat/builtin-tasks/task-names";
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

/**
 * Compiler warnings from dependencies that the project has reviewed and accepts; they are not shown.
 * Why each is harmless is written in README.md ("Compiler warnings"). Warnings from contracts/ are
 * never filtered, and any other dependency warning is still printed.
 */
export const REVIEWED_WARNINGS: readonly { file: RegExp; message: RegExp; why: string }[] = [
  {
    // solc warns on every tstore; OpenZeppelin's ReentrancyGuardTransient (through TransientSlot) sets
    // and clears its lock within the same call, the use solc itself calls safe.
    file: /^@openzeppelin\/contracts\/utils\/TransientSlot\.sol$/,
    message: /^Transient storage as defined by EIP-1153/,
    why: "OpenZeppelin's transient reentrancy lock is cleared at the end of each call",
  },
];

interface SolcMessage {
  severity: string;
  message: string;
  sourceLocation?: { file: string };
}

/** True for a warning listed in REVIEWED_WARNINGS. */
export function isReviewedWarning(e: SolcMessage): boolean {
  return (
    e.severity === "warning" &&
    REVIEWED_WARNINGS.some((w) => w.file.test(e.sourceLocation?.file ?? "") && w.message.test(e.message))
  );
}

subtask(
  TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS,
  async (args: { output?: { errors?: SolcMessage[] }; quiet: boolean }, _hre, runSuper) => {
    const errors = args.output?.errors?.filter((e) => !isReviewedWarning(e));
    return runSuper({ ...args, output: args.output && { ...args.output, errors } });
  },
);

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
