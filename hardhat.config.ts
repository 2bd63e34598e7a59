import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_COMPILE_SOLIDITY_READ_FILE,
  TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS,
} from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, NetworksUserConfig } from "hardhat/types";
import "@nomicfoundation/hardhat-toolbox";
import "hardhat-contract-sizer";
import path from "node:path";
import { EnvError, loadRemoteNetwork } from "./src/hardhat/env";

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

// Compile profiles for chains that lag the hardforks (docs/NETWORKS.md). TRADEFIN_EVM=prague (default) |
// shanghai (no transient storage: ReentrancyGuardTransient is swapped for ReentrancyGuard) | london (also no
// PUSH0: solc's evmVersion london never emits it). Each profile builds into its own artifacts-<profile> and
// cache-<profile> folders, so that switching never mixes bytecode for two EVMs.
const EVM_PROFILES = ["prague", "shanghai", "london"] as const;
type EvmProfile = (typeof EVM_PROFILES)[number];
const evmProfile = (process.env.TRADEFIN_EVM ?? "prague") as EvmProfile;
if (!EVM_PROFILES.includes(evmProfile)) {
  console.error(`Error: TRADEFIN_EVM must be one of ${EVM_PROFILES.join(", ")} (got "${process.env.TRADEFIN_EVM}")`);
  process.exit(1);
}
/** Transient storage (EIP-1153) arrived with Cancun: older targets use the storage-based guard. */
const withoutTransientStorage = evmProfile === "shanghai" || evmProfile === "london";
const TRANSIENT_GUARD_IMPORT =
  'import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";';
const STORAGE_GUARD_IMPORT =
  'import {ReentrancyGuard as ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";';

/**
 * MCOPY (EIP-5656, Cancun) for older EVMs, in pure Yul: whole words forward (safe for the overlaps Bytes has,
 * destination below source), then the last partial word merged under a mask so no byte past `l` changes.
 */
const MCOPY_SHIM = [
  "function tf_mcopy(tf_d, tf_s, tf_l) {",
  "let tf_i := 0",
  "for {} iszero(gt(add(tf_i, 32), tf_l)) { tf_i := add(tf_i, 32) } { mstore(add(tf_d, tf_i), mload(add(tf_s, tf_i))) }",
  "let tf_r := sub(tf_l, tf_i)",
  "if tf_r {",
  "let tf_k := shr(mul(tf_r, 8), not(0))",
  "let tf_p := add(tf_d, tf_i)",
  "mstore(tf_p, or(and(mload(add(tf_s, tf_i)), not(tf_k)), and(mload(tf_p), tf_k)))",
  "}",
  "}",
].join(" ");

// The source rewrites behind the shanghai and london profiles; the rewritten text is what Hardhat hashes for
// its cache, so a profile switch recompiles.
// - Our contracts import ReentrancyGuardTransient: the import is aliased to OpenZeppelin's ReentrancyGuard (same
//   modifier, same behaviour, a storage slot instead of a transient one).
// - OpenZeppelin's Bytes library (imported through Strings) uses the Cancun MCOPY opcode in inline assembly:
//   each assembly block gets a Yul function with the same effect (MCOPY_SHIM).
subtask(TASK_COMPILE_SOLIDITY_READ_FILE, async (args: { absolutePath: string }, _hre, runSuper) => {
  const content: string = await runSuper(args);
  if (!withoutTransientStorage) return content;
  if (args.absolutePath.startsWith(path.join(__dirname, "contracts") + path.sep)) {
    return content.split(TRANSIENT_GUARD_IMPORT).join(STORAGE_GUARD_IMPORT);
  }
  if (args.absolutePath.includes("@openzeppelin") && /\bmcopy\(/.test(content)) {
    return content
      .replace(/\bmcopy\(/g, "tf_mcopy(")
      .split('assembly ("memory-safe") {')
      .join(`assembly ("memory-safe") { ${MCOPY_SHIM}`);
  }
  return content;
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
  // gas "auto": estimate every transaction. A node that answers hardhat_metadata (anvil does) otherwise gets a
  // fixed gas limit from hardhat-ethers, and a reverting transaction is mined instead of returning its revert
  // data, so the tasks could not name the custom error (issue 17).
  localhost: { url: process.env.LOCALHOST_URL ?? "http://127.0.0.1:8545", gas: "auto" },
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
  // storageLayout: test/ReceivableLens.test.ts checks the lens's slot constants against the compiler's layout.
  return {
    optimizer: { enabled: true, runs },
    evmVersion: evmProfile,
    outputSelection: { "*": { "*": ["storageLayout"] } },
  };
}

const config: HardhatUserConfig = {
  solidity: {
    // Every contract at 10,000 runs (gas on the hot paths); `npm run size` checks each stays ≥ 1.5 KiB under EIP-170.
    compilers: [{ version: SOLC_VERSION, settings: solcSettings(10_000) }],
  },
  paths: evmProfile === "prague" ? {} : { artifacts: `./artifacts-${evmProfile}`, cache: `./cache-${evmProfile}` },
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
