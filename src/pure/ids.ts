/**
 * Entity identifiers: `entityId = keccak256(utf8("<SCHEME>:<IDENTIFIER>"))` with the
 * scheme upper-case and the identifier trimmed and upper-cased.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import { Role, type RoleName } from "./constants";
import { TradeFinError } from "./tradeFinError";

/** Identifier schemes TradeFin knows by name; any other upper-case scheme is accepted too. */
export const KNOWN_SCHEMES = ["LEI", "USCC", "VAT", "DUNS"] as const;

const SCHEME_RE = /^[A-Z][A-Z0-9_]{1,15}$/;

export class EntityIdError extends TradeFinError {
  override name = "EntityIdError";
}

/** Canonical "SCHEME:IDENTIFIER" form, e.g. " lei : 5493001kjtiigc8y1r12 " → "LEI:5493001KJTIIGC8Y1R12". */
export function canonicalEntityRef(ref: string): string {
  const colon = ref.indexOf(":");
  if (colon < 0) throw new EntityIdError(`"${ref}" is not of the form SCHEME:IDENTIFIER`);
  const scheme = ref.slice(0, colon).trim().toUpperCase();
  const identifier = ref
    .slice(colon + 1)
    .trim()
    .toUpperCase();
  if (!SCHEME_RE.test(scheme)) throw new EntityIdError(`"${scheme}" is not a valid identifier scheme`);
  if (identifier.length === 0) throw new EntityIdError(`"${ref}" has an empty identifier`);
  if (/\s/.test(identifier)) throw new EntityIdError(`identifier "${identifier}" contains white space`);
  return `${scheme}:${identifier}`;
}

/** The on-chain entity id of a "SCHEME:IDENTIFIER" reference. */
export function entityId(ref: string): string {
  return keccak256(toUtf8Bytes(canonicalEntityRef(ref)));
}

// Business-role bits are defined in ./constants; re-exported with the helpers that read them.
export { Role };
export type { RoleName };

/** Parses "SUPPLIER,BUYER" (case-insensitive) into role bits. */
export function parseRoles(list: string): number {
  let bits = 0;
  for (const raw of list.split(/[,|+\s]+/).filter(Boolean)) {
    const name = raw.toUpperCase() as RoleName;
    if (!(name in Role)) throw new EntityIdError(`unknown role "${raw}" (expected ${Object.keys(Role).join(", ")})`);
    bits |= Role[name];
  }
  if (bits === 0) throw new EntityIdError("no role given");
  return bits;
}

/** Names of the role bits set in `bits`. */
export function roleNames(bits: number): RoleName[] {
  return (Object.keys(Role) as RoleName[]).filter((n) => (bits & Role[n]) !== 0);
}
