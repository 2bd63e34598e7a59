/** Decoding reverts into custom-error names, for the fuzzer and the role matrix. */
import { artifacts } from "hardhat";
import { Interface, type ErrorFragment } from "ethers";

/** Every custom error a TradeFin contract, a test wallet or an OpenZeppelin base can raise. */
export async function errorInterface(): Promise<Interface> {
  const names = [
    "ParticipantRegistry",
    "ReceivableRegistry",
    "ReceivableLogic",
    "RiskEngine",
    "FinancingPool",
    "RevertingReceiver",
    "MockStablecoin",
  ];
  const seen = new Map<string, ErrorFragment>();
  for (const n of names) {
    new Interface((await artifacts.readArtifact(n)).abi).forEachError((e) => seen.set(e.selector, e));
  }
  const extra = new Interface([
    "error ECDSAInvalidSignature()",
    "error ECDSAInvalidSignatureLength(uint256)",
    "error ECDSAInvalidSignatureS(bytes32)",
    "error InvalidAccountNonce(address,uint256)",
    "error ReentrancyGuardReentrantCall()",
    "error SafeCastOverflowedUintDowncast(uint8,uint256)",
  ]);
  extra.forEachError((e) => seen.set(e.selector, e));
  return new Interface([...seen.values()]);
}

/** Revert data out of whatever Hardhat and ethers threw; null when it is not a revert. */
function revertData(e: unknown): string | null {
  let x: unknown = e;
  for (let depth = 0; depth < 6 && x && typeof x === "object"; depth++) {
    const o = x as { data?: unknown; error?: unknown; info?: { error?: unknown } };
    if (typeof o.data === "string" && o.data.startsWith("0x")) return o.data;
    x = o.error ?? o.info?.error;
  }
  return null;
}

/** The custom error's name ("EmptyRevert" for a bare revert); rethrows what is not a revert. */
export function errorName(iface: Interface, e: unknown): string {
  const data = revertData(e);
  if (data === null) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/reverted|revert/i.test(msg)) return "UnknownRevert";
    throw e;
  }
  if (data === "0x") return "EmptyRevert";
  const parsed = iface.parseError(data);
  return parsed ? parsed.name : `Unknown(${data.slice(0, 10)})`;
}
