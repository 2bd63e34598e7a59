import type { ContractTransactionReceipt, Interface, LogDescription } from "ethers";

/**
 * The events `name` of `iface` in a receipt, in log order. Logs of other contracts or events, and logs that do
 * not decode, are skipped.
 */
export function eventsIn(
  receipt: Pick<ContractTransactionReceipt, "logs"> | null | undefined,
  iface: Interface,
  name: string,
): LogDescription[] {
  const found: LogDescription[] = [];
  for (const log of receipt?.logs ?? []) {
    let parsed: LogDescription | null;
    try {
      parsed = iface.parseLog(log);
    } catch {
      continue;
    }
    if (parsed?.name === name) found.push(parsed);
  }
  return found;
}
