/**
 * The units and enums TradeFin shares with its contracts, defined once. Everything else in the SDK, the
 * tasks, the scripts and the tests takes them from here (or from a module that re-exports them).
 *
 * The enums mirror the Solidity ones value for value; test/sdk/constants.test.ts compares them with the
 * compiled ABIs and contract constants, so a change on either side fails the suite.
 */
import { ZeroHash, id } from "ethers";

// ------------------------------------------------------------------- units

/** Seconds in a day (the registry's day count: block time / 86,400). */
export const DAY = 86_400;
/** Seconds in an hour. */
export const HOUR = 3_600;
/** Seconds in a 365-day year (test horizons, KYC terms). */
export const YEAR = 365 * DAY;
/** {@link DAY} as a bigint, for arithmetic on chain values. */
export const DAY_SECONDS = BigInt(DAY);
/** Days in the scorecard's year (RiskMath: fees accrue over 365 days). */
export const DAYS_PER_YEAR = 365n;
/** Basis points in one whole (100 %). */
export const BPS = 10_000n;

// ------------------------------------------------------------------- enums

/** Receivable status, as IReceivableRegistry.Status. */
export const Status = {
  None: 0,
  Submitted: 1,
  Acknowledged: 2,
  Rejected: 3,
  Cancelled: 4,
  PartiallyPaid: 5,
  Paid: 6,
  Defaulted: 7,
  Split: 8,
} as const;
export type StatusValue = (typeof Status)[keyof typeof Status];

/** Lifecycle of one receivable in a pool, as IFinancingPool.FinancingStatus. */
export const FinancingStatus = {
  None: 0,
  Requested: 1,
  Active: 2,
  Repaid: 3,
  WrittenOff: 4,
  BoughtBack: 5,
  Rejected: 6,
} as const;
export type FinancingStatusValue = (typeof FinancingStatus)[keyof typeof FinancingStatus];

/** Credit grades, best first, as IRiskEngine.Grade. */
export const GRADES = ["A", "B", "C", "D", "E"] as const;
export type GradeName = (typeof GRADES)[number];

/** Business-role bits of a participant, as contracts/libraries/Roles.sol. */
export const Role = {
  SUPPLIER: 1,
  BUYER: 2,
  FINANCIER: 4,
  REGULATOR: 8,
} as const;
export type RoleName = keyof typeof Role;

/** AccessControl role ids of ParticipantRegistry (the contract's `ONBOARDER_ROLE()` etc.). */
export const AccessRole = {
  DEFAULT_ADMIN_ROLE: ZeroHash,
  ONBOARDER_ROLE: id("ONBOARDER_ROLE"),
  PAUSER_ROLE: id("PAUSER_ROLE"),
  RATING_AGENT_ROLE: id("RATING_AGENT_ROLE"),
} as const;
export type AccessRoleName = keyof typeof AccessRole;

/** The names of an enum-like object (name → 0, 1, 2 …), indexed by value. */
function namesByValue<T extends Record<string, number>>(values: T): readonly (keyof T & string)[] {
  const names: (keyof T & string)[] = [];
  for (const [name, value] of Object.entries(values)) names[value] = name;
  return names;
}

/** Names of IReceivableRegistry.Status, by value. */
export const STATUS_NAMES = namesByValue(Status);

/** Names of IFinancingPool.FinancingStatus, by value. */
export const FINANCING_STATUS_NAMES = namesByValue(FinancingStatus);
