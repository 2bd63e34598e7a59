/**
 * Participants on chain: an entity's record in plain values (roles by name, suspension in words, KYC expiry as an
 * ISO time, its wallets). Hardhat-free: a typed ParticipantRegistry.
 */
import type { ParticipantRegistry } from "../../typechain-types";
import { roleNames } from "../pure/ids";

/** How an entity is suspended, by the registry's `suspension` value. */
export const SUSPENSION_NAMES = ["none", "by an onboarder", "by a regulator"] as const;

/** An entity's record as plain values; `index` 0 means it is not registered. */
export async function readEntity(participants: ParticipantRegistry, entityId: string) {
  const [e, wallets] = await Promise.all([participants.entity(entityId), participants.walletsOf(entityId)]);
  return {
    entityId,
    index: Number(e.index),
    roles: roleNames(Number(e.roles)),
    suspension: SUSPENSION_NAMES[Number(e.suspension)] ?? String(e.suspension),
    kycExpiry: new Date(Number(e.kycExpiry) * 1000).toISOString(),
    walletCount: Number(e.walletCount),
    wallets: [...wallets],
  };
}
