/**
 * The one base class of every error the TradeFin SDK throws.
 *
 * A TradeFin error's `message` is its short message: one plain sentence a task can print as it is
 * ("--id must be a whole number, got "x""). What a program may want besides it travels beside the
 * sentence, never inside it: `details` (structured data: the offending row, field or value) and `cause`
 * (the lower-level error it wraps). `name` is a fixed string per class, so that callers and JSON output
 * can rely on it even when the code is bundled or minified (a class's own name may not survive that).
 *
 * `isTradeFinError` recognises an instance also when two copies of the SDK are loaded (a bank's service
 * and a plug-in each with their own), where `instanceof` would fail.
 */

/** Marks TradeFin errors across copies of this module (Symbol.for is shared by the whole process). */
const BRAND = Symbol.for("tradefin.error");

/** What a TradeFin error carries besides its short message. */
export interface TradeFinErrorOptions {
  /** Structured facts behind the sentence, e.g. `{ line: 7, field: "amount" }`. */
  details?: unknown;
  /** The error this one explains or wraps. */
  cause?: unknown;
}

/** The base of every SDK error: a short sentence, optional details, optional cause and a stable name. */
export class TradeFinError extends Error {
  override name = "TradeFinError";
  /** The sentence alone (the same as `message`), under the name other libraries (ethers, viem) use. */
  readonly shortMessage: string;
  /** Structured facts behind the sentence; undefined when the sentence says it all. */
  readonly details?: unknown;

  constructor(shortMessage: string, options: TradeFinErrorOptions = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    if (options.details !== undefined) this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Follows the `cause` chain from this error and returns the first error `match` accepts (the deepest
   * one without `match`).
   */
  walk(match?: (err: unknown) => boolean): unknown {
    let current: unknown = this;
    const seen = new Set<unknown>();
    for (;;) {
      if (match?.(current)) return current;
      const next = (current as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null || seen.has(next)) return match ? undefined : current;
      seen.add(current);
      current = next;
    }
  }
}

/** True for an error of the TradeFin SDK (an instance of TradeFinError, from any copy of the SDK). */
export function isTradeFinError(err: unknown): err is TradeFinError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}
