/**
 * Gas floors: the unavoidable cost of an operation, from what it must read and write.
 *
 * Prices (Cancun/Prague schedule, EIP-2929 access lists, EIP-2200/3529 storage):
 * - 21,000 per transaction, plus calldata at 16 gas per non-zero byte and 4 per zero byte (EIP-2028);
 * - a new storage slot (zero → non-zero, cold): 20,000 + 2,100 = 22,100;
 * - an update of a cold non-zero slot: 2,900 + 2,100 = 5,000; of a slot already touched: 100;
 * - a cold read: 2,100; a cold account (another contract, or a token): 2,600;
 * - a log: 375 + 375 per topic + 8 per data byte;
 * - clearing a slot: 5,000, with 4,800 refunded (EIP-3529; refunds are capped at a fifth of the gas used);
 * - ecrecover: 3,000 (precompile, warm).
 * The floor leaves out everything a contract could in principle avoid: opcodes, memory, ABI decoding,
 * hashing, warm accesses. docs/GAS.md lists, per operation, what it must touch and why.
 */

export const GAS = {
  TX: 21_000,
  CALLDATA_ZERO: 4,
  CALLDATA_NONZERO: 16,
  NEW_SLOT: 22_100,
  COLD_UPDATE: 5_000,
  COLD_READ: 2_100,
  COLD_ACCOUNT: 2_600,
  LOG: 375,
  LOG_TOPIC: 375,
  LOG_BYTE: 8,
  ECRECOVER: 3_000,
  /** Refund for clearing a slot (EIP-3529), capped at a fifth of the transaction's gas. */
  CLEAR_REFUND: 4_800,
  /** A value-less call to a warm account (what an external call costs at the least). */
  WARM_CALL: 100,
} as const;

/** What an operation must touch. Counts are per transaction. */
export interface FloorSpec {
  /** Storage slots that go from zero to non-zero. */
  newSlots?: number;
  /** Cold non-zero slots that are rewritten. */
  coldUpdates?: number;
  /** Cold non-zero slots set to zero: 5,000 each, of which 4,800 is refunded (capped at a fifth of the gas). */
  clearedSlots?: number;
  /** Cold slots that are only read. */
  coldReads?: number;
  /** Contracts other than the called one that must be called (each cold once). */
  coldAccounts?: number;
  /** Further calls to an account already warm. */
  warmCalls?: number;
  /** Logs as [topics (incl. the signature topic), data bytes]. */
  logs?: [number, number][];
  /** Signature recoveries. */
  ecrecovers?: number;
  /** Executed in a view call (no transaction base cost, no calldata). */
  view?: boolean;
}

/** Calldata cost of `data` (hex string) under EIP-2028. */
export function calldataGas(data: string): number {
  const hex = data.startsWith("0x") ? data.slice(2) : data;
  let gas = 0;
  for (let i = 0; i < hex.length; i += 2) {
    gas += hex.slice(i, i + 2) === "00" ? GAS.CALLDATA_ZERO : GAS.CALLDATA_NONZERO;
  }
  return gas;
}

/** The floor of an operation whose transaction carried `data`. */
export function floorGas(spec: FloorSpec, data = "0x"): number {
  const logs = (spec.logs ?? []).reduce(
    (sum, [topics, bytes]) => sum + GAS.LOG + topics * GAS.LOG_TOPIC + bytes * GAS.LOG_BYTE,
    0,
  );
  const base = spec.view ? 0 : GAS.TX + calldataGas(data);
  const gross =
    base +
    (spec.newSlots ?? 0) * GAS.NEW_SLOT +
    (spec.coldUpdates ?? 0) * GAS.COLD_UPDATE +
    (spec.clearedSlots ?? 0) * GAS.COLD_UPDATE +
    (spec.coldReads ?? 0) * GAS.COLD_READ +
    (spec.coldAccounts ?? 0) * GAS.COLD_ACCOUNT +
    (spec.warmCalls ?? 0) * GAS.WARM_CALL +
    (spec.ecrecovers ?? 0) * GAS.ECRECOVER +
    logs;
  const refund = Math.min((spec.clearedSlots ?? 0) * GAS.CLEAR_REFUND, Math.floor(gross / 5));
  return gross - refund;
}

/** One measured operation. */
export interface GasEntry {
  gas: number;
  floor: number;
}

/** Ratio of gas to floor, rounded to 3 decimals. */
export function ratio(e: GasEntry): number {
  return Math.round((e.gas / e.floor) * 1000) / 1000;
}
