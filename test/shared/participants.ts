/**
 * Fixtures and helpers for the ParticipantRegistry unit tests. Builds on the shared
 * `onboardedFixture` (supplier #1, buyer #2, bank #3, regulator #4) and adds a multi-role
 * trader (#5), a second regulator (#6) and a few wallets bound to nobody.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BadDecimalsToken, MockStablecoin, ParticipantRegistry, SilentFallback } from "../../typechain-types";
import { entityId, Role } from "../../src/pure/ids";
import { onboardedFixture, YEAR } from "./fixtures";

/** Every known role bit (Roles.ALL on chain). */
export const ALL_ROLES = Role.SUPPLIER | Role.BUYER | Role.FINANCIER | Role.REGULATOR;
/** The first bit above the four known roles. */
export const UNKNOWN_ROLE_BIT = 16;

/** The zero entity id (no entity). */
export const ZERO_ID = ethers.ZeroHash;
/** AccessControl's DEFAULT_ADMIN_ROLE. */
export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

/** The `suspension` field of an entity record. */
export const Suspension = { NONE: 0, BY_ONBOARDER: 1, BY_REGULATOR: 2 } as const;

/** Entities that the shared fixtures do not register. */
export const MORE_ENTITIES = {
  trader: entityId("LEI:TRADER000000000000001"),
  regulator2: entityId("LEI:REGULATOR00000000000002"),
  newcomer: entityId("VAT:DE123456789"),
  stranger: entityId("DUNS:150483782"),
} as const;

/** A suspension reason as stored in the event. */
export const REASON = ethers.encodeBytes32String("AML review");

/** Index each entity receives in `participantsFixture` (registration order). */
export const INDEX = { supplier: 1, buyer: 2, bank: 3, regulator: 4, trader: 5, regulator2: 6 } as const;

/** Onboarded deployment plus a SUPPLIER|BUYER trader, a second regulator and two unbound wallets. */
export async function participantsFixture() {
  const f = await onboardedFixture();
  const signers = await ethers.getSigners();
  const [trader, regulator2, spare, spare2] = signers.slice(11);
  const byOnboarder = f.participants.connect(f.onboarder);
  await byOnboarder.registerEntity(MORE_ENTITIES.trader, Role.SUPPLIER | Role.BUYER, f.expiry, trader.address);
  await f.participants
    .connect(f.admin)
    .registerEntity(MORE_ENTITIES.regulator2, Role.REGULATOR, f.expiry, regulator2.address);
  return { ...f, trader, regulator2, spare, spare2, byOnboarder };
}

/** A fresh ERC-20 test token reporting `decimals`. */
export async function deployToken(decimals: number): Promise<MockStablecoin> {
  return ethers.deployContract("MockStablecoin", [`Token ${decimals}`, `T${decimals}`, decimals]);
}

/** A contract whose decimals() answers a uint256 (e.g. 300, which does not fit a uint8). */
export async function deployBadDecimalsToken(decimals: bigint): Promise<BadDecimalsToken> {
  return ethers.deployContract("BadDecimalsToken", [decimals]);
}

/** A contract that accepts any call and returns no data. */
export async function deploySilentFallback(): Promise<SilentFallback> {
  return ethers.deployContract("SilentFallback");
}

/**
 * Pins the timestamp of the next mined block and returns it, so a test can predict
 * `block.timestamp` inside the next transaction exactly.
 */
export async function pinNextTimestamp(offset = 100): Promise<number> {
  const next = (await time.latest()) + offset;
  await time.setNextBlockTimestamp(next);
  return next;
}

/** A KYC expiry one year after the latest block. */
export async function nextYear(): Promise<number> {
  return (await time.latest()) + YEAR;
}

/** The record of `id` as plain numbers, for deep-equal comparisons. */
export async function entityRecord(participants: ParticipantRegistry, id: string) {
  const e = await participants.entity(id);
  return {
    index: Number(e.index),
    roles: Number(e.roles),
    suspension: Number(e.suspension),
    kycExpiry: Number(e.kycExpiry),
    walletCount: Number(e.walletCount),
  };
}

/**
 * Expects `call`, sent by `caller`, to be refused because `caller` does not hold ONBOARDER_ROLE. The call is a
 * function, so that the role id is read before the transaction is sent (no await inside the matcher chain).
 */
export async function expectNotOnboarder(
  participants: ParticipantRegistry,
  caller: { address: string },
  call: () => Promise<unknown>,
): Promise<void> {
  const role = await participants.ONBOARDER_ROLE();
  await expect(call())
    .to.be.revertedWithCustomError(participants, "AccessControlUnauthorizedAccount")
    .withArgs(caller.address, role);
}
