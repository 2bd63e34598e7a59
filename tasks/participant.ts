/**
 * Onboarding tasks (ONBOARDER_ROLE): register an entity, bind another wallet, suspend, reinstate. A regulator
 * entity is registered and given wallets by DEFAULT_ADMIN_ROLE instead (`--from <admin>`), and suspended or
 * reinstated only by a regulator.
 */
import { encodeBytes32String } from "ethers";
import { updateAddressBook } from "../src/node/addressBook";
import { chainNow, resolveAddress, type TradeFin } from "../src/hardhat/context";
import { DAY } from "../src/pure/constants";
import { readEntity } from "../src/chain/participants";
import { canonicalEntityRef, entityId, parseRoles } from "../src/pure/ids";
import { TaskInputError, parsePositiveInt, mined, reportTransaction, required, tradefinTask } from "./lib/cli";

/** A short reason as bytes32 (at most 31 bytes of UTF-8). */
export function reasonBytes(reason: string | undefined): string {
  const text = (reason ?? "").trim();
  try {
    return encodeBytes32String(text);
  } catch {
    throw new TaskInputError(`--reason "${text}" is too long: at most 31 bytes`);
  }
}

/** Records a name for an entity in the address book (for messages and reports). */
function label(tf: TradeFin, ref: string, name?: string): void {
  const id = entityId(ref).toLowerCase();
  const book = updateAddressBook(tf.network, tf.chain, (b) => {
    b.entities[id] = { ref, ...(name ? { name } : b.entities[id]?.name ? { name: b.entities[id].name } : {}) };
  });
  // The same entry in memory as on disk (a relabel without --name keeps the earlier name in both).
  tf.book.entities[id] = book.entities[id];
}

/** Entity fields as plain values for output. */
async function entitySummary(tf: TradeFin, ref: string) {
  return { ref, ...(await readEntity(tf.participants, entityId(ref))) };
}

interface RegisterArgs {
  ref?: string;
  roles?: string;
  wallet?: string;
  kycDays?: string;
  name?: string;
}

tradefinTask<RegisterArgs>(
  "participant:register",
  "Register a legal entity with its roles and first wallet (ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE for a REGULATOR)",
  (t) =>
    t
      .addOptionalParam("ref", 'Entity identifier "SCHEME:IDENTIFIER", e.g. "LEI:5493001KJTIIGC8Y1R12"')
      .addOptionalParam("roles", "Roles, comma-separated: SUPPLIER, BUYER, FINANCIER, REGULATOR")
      .addOptionalParam("wallet", "First wallet (address or account index)")
      .addOptionalParam("kycDays", "Days until the KYC expires", "365")
      .addOptionalParam("name", "Display name kept in the address book (never on chain)"),
  async (args, s) => {
    const ref = canonicalEntityRef(required(args.ref, "ref"));
    const roles = parseRoles(required(args.roles, "roles"));
    const wallet = await resolveAddress(s.hre, required(args.wallet, "wallet"), "--wallet");
    const kycDays = parsePositiveInt(args.kycDays, "kyc-days", 365);
    const tf = await s.tradefin();
    const expiry = (await chainNow(s.hre)) + kycDays * DAY;
    const receipt = await mined(tf.participants.registerEntity(entityId(ref), roles, expiry, wallet));
    label(tf, ref, args.name);
    const summary = await entitySummary(tf, ref);
    return reportTransaction(
      s,
      receipt,
      [
        `Registered ${args.name ? `${args.name} ` : ""}${ref} as #${summary.index} (${summary.roles.join(", ")})`,
        `  entity id ${summary.entityId}`,
        `  wallet    ${wallet}`,
        `  KYC until ${summary.kycExpiry}`,
      ],
      { ...summary, wallet },
    );
  },
);

interface WalletArgs {
  ref?: string;
  wallet?: string;
  pullOnly?: boolean;
}

tradefinTask<WalletArgs>(
  "participant:add-wallet",
  "Bind another wallet (or a financing pool, --pull-only) to an entity (ONBOARDER_ROLE; admin for a REGULATOR)",
  (t) =>
    t
      .addOptionalParam("ref", 'Entity identifier "SCHEME:IDENTIFIER"')
      .addOptionalParam("wallet", "Wallet or contract address (or account index)")
      .addFlag("pullOnly", "The wallet is a financing pool: it takes receivables only through finance (permanent)"),
  async (args, s) => {
    const ref = canonicalEntityRef(required(args.ref, "ref"));
    const wallet = await resolveAddress(s.hre, required(args.wallet, "wallet"), "--wallet");
    const tf = await s.tradefin();
    const pullOnly = Boolean(args.pullOnly);
    // Bound and marked in one transaction; a wallet once bound pull-only can be bound again only pull-only.
    return reportTransaction(
      s,
      tf.participants.addWallet(entityId(ref), wallet, pullOnly),
      `Bound ${wallet} to ${ref}${pullOnly ? " (pull-only: receivables reach it only through finance)" : ""}`,
      { ref, entityId: entityId(ref), wallet, pullOnly },
    );
  },
);

interface SuspendArgs {
  ref?: string;
  reason?: string;
}

tradefinTask<SuspendArgs>(
  "participant:suspend",
  "Suspend an entity for every role (ONBOARDER_ROLE or an active regulator; only a regulator for a REGULATOR)",
  (t) =>
    t
      .addOptionalParam("ref", 'Entity identifier "SCHEME:IDENTIFIER"')
      .addOptionalParam("reason", "Short reason (at most 31 bytes)", ""),
  async (args, s) => {
    const ref = canonicalEntityRef(required(args.ref, "ref"));
    const reason = reasonBytes(args.reason);
    const tf = await s.tradefin();
    return reportTransaction(
      s,
      tf.participants.suspend(entityId(ref), reason),
      `Suspended ${ref}${args.reason ? ` (${args.reason})` : ""}`,
      { ref, entityId: entityId(ref), reason: args.reason ?? "" },
    );
  },
);

tradefinTask<{ ref?: string }>(
  "participant:reinstate",
  "Lift an entity's suspension (ONBOARDER_ROLE for its own kind, or an active regulator; a REGULATOR: a regulator)",
  (t) => t.addOptionalParam("ref", 'Entity identifier "SCHEME:IDENTIFIER"'),
  async (args, s) => {
    const ref = canonicalEntityRef(required(args.ref, "ref"));
    const tf = await s.tradefin();
    return reportTransaction(s, tf.participants.reinstate(entityId(ref)), `Reinstated ${ref}`, {
      ref,
      entityId: entityId(ref),
    });
  },
);

tradefinTask<{ ref?: string; wallet?: string }>(
  "participant:show",
  "Show an entity (by --ref) or the entity of a wallet (by --wallet)",
  (t) =>
    t
      .addOptionalParam("ref", 'Entity identifier "SCHEME:IDENTIFIER"')
      .addOptionalParam("wallet", "Wallet address or account index"),
  async (args, s) => {
    const tf = await s.tradefin();
    let ref = args.ref ? canonicalEntityRef(args.ref) : undefined;
    if (!ref) {
      const wallet = await resolveAddress(s.hre, required(args.wallet, "ref or --wallet"), "--wallet");
      const id = (await tf.participants.entityOf(wallet)).toLowerCase();
      const known = tf.book.entities[id];
      if (!known)
        throw new TaskInputError(`wallet ${wallet} is bound to entity ${id}, which the address book has no name for`);
      ref = known.ref;
    }
    const summary = await entitySummary(tf, ref);
    if (summary.index === 0) throw new TaskInputError(`${ref} is not registered`);
    const name = tf.book.entities[summary.entityId.toLowerCase()]?.name;
    s.say(`${name ? `${name} ` : ""}${ref} #${summary.index}`);
    s.say(`  roles      ${summary.roles.join(", ")}`);
    s.say(`  suspended  ${summary.suspension}`);
    s.say(`  KYC until  ${summary.kycExpiry}`);
    s.say(`  wallets    ${summary.walletCount}${summary.wallets.length ? `: ${summary.wallets.join(", ")}` : ""}`);
    return { ok: true, ...(name ? { name } : {}), ...summary };
  },
);
