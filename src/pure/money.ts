/**
 * Exact conversion between decimal strings and token base units, and display formatting.
 *
 * Amounts are `bigint` base units everywhere in TradeFin; no value ever passes through a
 * JavaScript `number` (a double cannot hold 0.1 or amounts above 2^53 exactly).
 */

import { BPS } from "./constants";
import { TradeFinError } from "./tradeFinError";

/** Raised for a malformed amount; the message says what is wrong in plain words. */
export class MoneyError extends TradeFinError {
  override name = "MoneyError";
}

// Defined in ./constants; re-exported because amounts and basis points are read from here too.
export { BPS };

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/** Throws unless `decimals` is an integer between 0 and 77 (10^77 still fits a uint256). */
function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77) {
    throw new MoneyError(`decimals must be an integer from 0 to 77, got ${decimals}`);
  }
}

/** Explains why `s` is not a plain decimal number ("1234.56"). */
function explainBadDecimal(s: string): string {
  if (s.length === 0) return "amount is empty";
  if (/^[+-]/.test(s)) return `"${s}" must be written without a sign`;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) || /\d[ '’_]\d{3}/.test(s)) {
    return `"${s}" has thousands separators; write the amount without them, e.g. "1234567.89"`;
  }
  if (/^\d+,\d+$/.test(s)) return `"${s}" uses "," as the decimal point; use "." instead`;
  if (/[eE]/.test(s)) return `"${s}" is in exponent notation; write the digits out`;
  return `"${s}" is not a decimal number (digits with an optional "." and decimal places)`;
}

/**
 * Parses a decimal string into base units, exactly.
 *
 * @param value Digits with an optional `.` and fraction: "100", "100.5", "0.000001". No sign, no
 *        thousands separators, no exponent, no surrounding white space.
 * @param decimals The token's decimals (6 for the test stablecoin).
 * @returns `value × 10^decimals` as a bigint.
 * @throws MoneyError when the format is wrong or there are more decimal places than `decimals`.
 */
export function parseAmount(value: string, decimals: number): bigint {
  checkDecimals(decimals);
  const m = DECIMAL_RE.exec(value);
  if (!m) throw new MoneyError(explainBadDecimal(value));
  const whole = m[1];
  const fraction = m[2] ?? "";
  if (fraction.length > decimals) {
    throw new MoneyError(`"${value}" has ${fraction.length} decimal places; this currency allows at most ${decimals}`);
  }
  return BigInt(whole + fraction.padEnd(decimals, "0"));
}

/** Options of {@link formatAmount}. */
export interface FormatAmountOptions {
  /** Appended after a space, e.g. "tUSD". */
  symbol?: string;
  /** Group the whole part by thousands with "," (default true). */
  grouping?: boolean;
  /** Fewest decimal places shown (default min(2, decimals)); trailing zeros beyond it are dropped. */
  minFractionDigits?: number;
}

/** Inserts "," every three digits from the right of a digit string. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Formats base units as a decimal string, exactly (never rounds).
 *
 * @example formatAmount(100_000_000_000n, 6, { symbol: "tUSD" }) === "100,000.00 tUSD"
 * @example formatAmount(1_234_567n, 6, { grouping: false }) === "1.234567"
 */
export function formatAmount(value: bigint, decimals: number, options: FormatAmountOptions = {}): string {
  checkDecimals(decimals);
  const grouping = options.grouping ?? true;
  const minFraction = Math.min(options.minFractionDigits ?? 2, decimals);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  fraction = fraction.padEnd(minFraction, "0");
  const number = (grouping ? groupThousands(whole) : whole) + (fraction ? `.${fraction}` : "");
  const signed = negative ? `-${number}` : number;
  return options.symbol ? `${signed} ${options.symbol}` : signed;
}

/**
 * Formats basis points as a percentage with two decimals: 1234 → "12.34 %", 5 → "0.05 %".
 *
 * @param bps An integer number of basis points (number or bigint).
 */
export function formatBps(bps: number | bigint): string {
  if (typeof bps === "number" && !Number.isInteger(bps)) throw new MoneyError(`${bps} is not a whole number of bps`);
  return `${formatAmount(BigInt(bps), 2, { grouping: false, minFractionDigits: 2 })} %`;
}
