/**
 * A TypeScript model of a whole TradeFin deployment (participants, receivables, ratings, two financing pools),
 * written from the interfaces' specs: every operation checks its preconditions in the order the contract does
 * and throws `Revert(errorName)` before the first failing check, otherwise it applies its effects. The fuzzer
 * runs each operation on a clone of the state and on the chain and demands the same outcome; then it compares
 * every piece of state the operation touched.
 *
 * Amounts are bigint base units of the 6-decimal stablecoin; times are Unix seconds (number); ids are numbers.
 * Addresses are lower-case.
 */
import { ZeroHash } from "ethers";
import {
  assess,
  validatePolicy,
  RiskPolicyError,
  type Assessment,
  type RiskInputs,
  type RiskPolicy,
  Status,
} from "../../src/pure/risk";
import { FINANCING_STATUS_NAMES as FSTATUS_NAMES, STATUS_NAMES } from "../../src/pure/errors";
import { Role } from "../../src/pure/ids";
import { FinancingStatus as FStatus } from "../../src/pure/pool";

/** Status numbers, role bits and their names: the SDK's, as the contracts' enums and Roles library. */
export { Status, FStatus, STATUS_NAMES, FSTATUS_NAMES, Role };
const ALL_ROLES = 15;
const HOLDER_ROLES = Role.SUPPLIER | Role.FINANCIER;
export const DAY = 86_400;
const BPS = 10_000n;
/** RiskMath.MIN_PD_BPS and RiskEngine.MAX_RATING_VALIDITY. */
const MIN_PD_BPS = 3n;
const MAX_RATING_VALIDITY = 366 * 86_400;
/** Scale from 6-decimal base units to the 18-decimal buyer record. */
export const TO_18 = 10n ** 12n;
export const MAX_SPLIT_CHILDREN = 8;
export const MAX_SPLIT_DEPTH = 4;

/** Status transitions the spec allows (IReceivableRegistry.Status); None → x is a mint. */
export const ALLOWED_TRANSITIONS: Record<number, number[]> = {
  [Status.None]: [Status.Submitted, Status.Acknowledged],
  [Status.Submitted]: [Status.Acknowledged, Status.Rejected, Status.Cancelled],
  [Status.Acknowledged]: [Status.PartiallyPaid, Status.Paid, Status.Defaulted, Status.Split],
  [Status.PartiallyPaid]: [Status.Paid, Status.Defaulted],
  [Status.Defaulted]: [Status.Paid],
  [Status.Rejected]: [],
  [Status.Cancelled]: [],
  [Status.Paid]: [],
  [Status.Split]: [],
};

/** A predicted revert: the custom error's name. */
export class Revert extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

function req(cond: unknown, error: string): asserts cond {
  if (!cond) throw new Revert(error);
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export interface EntityState {
  id: string;
  index: number;
  roles: number;
  suspension: number;
  kycExpiry: number;
}

export interface Rec {
  id: number;
  sellerIndex: number;
  buyerIndex: number;
  status: number;
  frozen: boolean;
  depth: number;
  face: bigint;
  paid: bigint;
  issue: number;
  due: number;
  holder: string;
  /** The invoice key (invoices only). */
  key: string | null;
  parent: number;
  root: number;
}

/**
 * IReceivableRegistry.BuyerRecord: counts per original invoice (split children roll up to their root: a family
 * counts once, when it is fully paid, and one default per family); amounts (18 decimals) weigh every payment.
 */
export interface BuyerRec {
  acknowledgedCount: bigint;
  acknowledgedAmount: bigint;
  paidLateCount: bigint;
  totalDaysLate: bigint;
  defaultCount: bigint;
  paidOnTimeAmount: bigint;
  paidLateAmount: bigint;
  paidOnTimeCount: bigint;
  lateAmountDays: bigint;
  defaultedAmount: bigint;
  recoveredAmount: bigint;
}

/** IReceivableRegistry.SellerRecord: counts, and amounts (18 decimals) of what buyers decided or it withdrew. */
export interface SellerRec {
  submittedCount: bigint;
  rejectedCount: bigint;
  cancelledCount: bigint;
  rejectedAmount: bigint;
  acknowledgedAmount: bigint;
  cancelledAmount: bigint;
}

export interface Financing {
  supplier: string;
  buyerIndex: number;
  status: number;
  grade: number;
  recourse: boolean;
  advance: bigint;
  fee: bigint;
  face: bigint;
  collected: bigint;
}

/** A pending request: the terms quoted when the supplier asked (IFinancingPool.Request). */
export interface PoolRequest {
  advance: bigint;
  fee: bigint;
  deadline: bigint;
}

export interface PoolState {
  name: string;
  address: string;
  manager: string;
  policy: RiskPolicy;
  liquidity: bigint;
  outstanding: bigint;
  fees: bigint;
  losses: bigint;
  deposits: bigint;
  withdrawals: bigint;
  committed: bigint;
  exposure: Map<number, bigint>;
  reserves: Map<string, bigint>;
  financings: Map<number, Financing>;
  requests: Map<number, PoolRequest>;
  /** Gross advance paid on each original invoice through its split children (IFinancingPool.advancedOnRoot). */
  advancedOnRoot: Map<number, bigint>;
  /** Per-supplier cap on auto-approved advances per window, and the window length (0, 0: off). */
  supplierCap: bigint;
  capPeriod: bigint;
  /** Auto-approved advances per supplier entity in its last window. */
  autoWindows: Map<string, { start: bigint; used: bigint }>;
  /** The pool's stablecoin balance. */
  balance: bigint;
}

/** What an acknowledgement signature commits to, and whether it is well formed for this chain and contract. */
export interface SigDescriptor {
  signer: string;
  id: number;
  key: string;
  amount: bigint;
  due: number;
  nonce: number;
  deadline: number;
  /** Signed for this chain id and this verifying contract. */
  domainOk: boolean;
  /** The malleable (high-s) twin of a valid signature. */
  highS: boolean;
  /** The 65-byte signature itself. */
  raw: string;
}

export interface State {
  /** block.timestamp of the operation being applied (latest block between operations). */
  now: number;
  entities: Map<string, EntityState>;
  wallets: Map<string, string>;
  entityCount: number;
  /** Holders of DEFAULT_ADMIN_ROLE: the only accounts that register or edit a REGULATOR entity. */
  admins: Set<string>;
  onboarders: Set<string>;
  pausers: Set<string>;
  ratingAgents: Set<string>;
  /** EOAs: funded, approved, operators set; the only addresses that can sign or be approved. */
  eoas: Set<string>;
  receivables: Map<number, Rec>;
  lastId: number;
  keys: Map<string, number>;
  buyers: Map<number, BuyerRec>;
  sellers: Map<number, SellerRec>;
  claimable: Map<string, bigint>;
  paused: boolean;
  /** Acknowledgement nonces each signer revoked (revokeAcknowledgementNonces); nonces are never consumed. */
  revoked: Map<string, Set<number>>;
  /** Original invoices with a default in their family (one default per family in the buyer's record). */
  defaultedRoots: Set<number>;
  ratings: Map<number, { pd: bigint; validUntil: bigint }>;
  pools: PoolState[];
  grace: number;
  /** Sum of all payments taken by the registry. */
  paidIn: bigint;
  /** Sum of all proceeds withdrawn from the registry. */
  withdrawn: bigint;
  /** The receiver contract (a SUPPLIER wallet that refuses pushes). */
  receiver: string;
  /** Net advance the supplier last saw in a quote, by `${pool}:${id}`. */
  quotes: Map<string, bigint>;
  /** The last acknowledgement signature that went through, for replays. */
  lastSig: SigDescriptor | null;
}

// ------------------------------------------------------------------ helpers

export function emptyBuyer(): BuyerRec {
  return {
    acknowledgedCount: 0n,
    acknowledgedAmount: 0n,
    paidLateCount: 0n,
    totalDaysLate: 0n,
    defaultCount: 0n,
    paidOnTimeAmount: 0n,
    paidLateAmount: 0n,
    paidOnTimeCount: 0n,
    lateAmountDays: 0n,
    defaultedAmount: 0n,
    recoveredAmount: 0n,
  };
}

export function emptySeller(): SellerRec {
  return {
    submittedCount: 0n,
    rejectedCount: 0n,
    cancelledCount: 0n,
    rejectedAmount: 0n,
    acknowledgedAmount: 0n,
    cancelledAmount: 0n,
  };
}

export function buyerOf(s: State, index: number): BuyerRec {
  let b = s.buyers.get(index);
  if (!b) s.buyers.set(index, (b = emptyBuyer()));
  return b;
}

export function sellerOf(s: State, index: number): SellerRec {
  let r = s.sellers.get(index);
  if (!r) s.sellers.set(index, (r = emptySeller()));
  return r;
}

export function walletStatus(s: State, wallet: string): { index: number; roles: number; active: boolean } {
  const id = s.wallets.get(wallet);
  if (!id) return { index: 0, roles: 0, active: false };
  const e = s.entities.get(id)!;
  return { index: e.index, roles: e.roles, active: e.suspension === 0 && e.kycExpiry > s.now };
}

function isEntityActive(s: State, e: EntityState | undefined, role: number): boolean {
  return !!e && e.index !== 0 && e.suspension === 0 && e.kycExpiry > s.now && (e.roles & role) === role;
}

export function entityAt(s: State, index: number): EntityState | undefined {
  for (const e of s.entities.values()) if (e.index === index) return e;
  return undefined;
}

/** Wallets bound to the entity with compact index `index`. */
export function walletsOf(s: State, index: number): string[] {
  const e = entityAt(s, index);
  if (!e) return [];
  return [...s.wallets.entries()].filter(([, id]) => id === e.id).map(([w]) => w);
}

function existing(s: State, id: number): Rec {
  const r = s.receivables.get(id);
  req(r, "ReceivableNotFound");
  return r;
}

function submitted(s: State, id: number): Rec {
  const r = existing(s, id);
  req(r.status === Status.Submitted, "ReceivableInvalidStatus");
  return r;
}

function isBuyerWallet(s: State, wallet: string, buyerIndex: number): boolean {
  const w = walletStatus(s, wallet);
  return w.active && w.index === buyerIndex && (w.roles & Role.BUYER) !== 0;
}

function recordAcknowledgement(s: State, buyerIndex: number, sellerIndex: number, amount: bigint) {
  const b = buyerOf(s, buyerIndex);
  b.acknowledgedCount += 1n;
  b.acknowledgedAmount += amount * TO_18;
  sellerOf(s, sellerIndex).acknowledgedAmount += amount * TO_18;
}

/** The signer an EIP-712 signature recovers to for the fields the contract hashes (null: some other address). */
function recover(
  sig: SigDescriptor,
  id: number,
  key: string,
  amount: bigint,
  due: number,
  nonce: number,
  deadline: number,
) {
  if (sig.highS) throw new Revert("ECDSAInvalidSignatureS");
  const same =
    sig.domainOk &&
    sig.id === id &&
    sig.key === key &&
    sig.amount === amount &&
    sig.due === due &&
    sig.nonce === nonce &&
    sig.deadline === deadline;
  return same ? sig.signer : null;
}

function checkBuyerSignature(s: State, signer: string | null, nonce: number, buyerIndex: number) {
  req(signer !== null && isBuyerWallet(s, signer, buyerIndex), "ReceivableInvalidSigner");
  // Nothing is consumed: a receivable is acknowledged once and a key used once; only revocation refuses a nonce.
  req(!s.revoked.get(signer)?.has(nonce), "ReceivableNonceRevoked");
}

/** revokeAcknowledgementNonces(wordPos, mask): open to anyone, for its own nonces. */
export function revokeNonces(s: State, caller: string, wordPos: number, mask: bigint) {
  let set = s.revoked.get(caller);
  if (!set) s.revoked.set(caller, (set = new Set()));
  for (let bit = 0; bit < 256; bit++) if ((mask >> BigInt(bit)) & 1n) set.add(wordPos * 256 + bit);
}

export type KeyFn = (sellerEntity: string, buyerEntity: string, numberHash: string) => string;

// --------------------------------------------------------- participant registry

export function registerEntity(s: State, caller: string, id: string, roles: number, expiry: number, wallet: string) {
  if (roles & Role.REGULATOR) req(s.admins.has(caller), "ParticipantRegulatorRequiresAdmin");
  else req(s.onboarders.has(caller), "AccessControlUnauthorizedAccount");
  req(!s.entities.has(id), "ParticipantAlreadyRegistered");
  req(roles !== 0 && (roles & ~ALL_ROLES) === 0, "ParticipantInvalidRoles");
  req(expiry > s.now, "ParticipantKycExpiryInPast");
  req(!s.wallets.has(wallet), "ParticipantWalletAlreadyBound");
  const index = ++s.entityCount;
  s.entities.set(id, { id, index, roles, suspension: 0, kycExpiry: expiry });
  s.wallets.set(wallet, id);
  return index;
}

function onboarderOrRegulator(s: State, caller: string): boolean {
  const id = s.wallets.get(caller);
  if (id && isEntityActive(s, s.entities.get(id), Role.REGULATOR)) return true;
  req(s.onboarders.has(caller), "ParticipantNotOnboarderOrRegulator");
  return false;
}

export function suspend(s: State, caller: string, id: string) {
  const byRegulator = onboarderOrRegulator(s, caller);
  const e = s.entities.get(id);
  req(e, "ParticipantUnknownEntity");
  req(byRegulator || (e.roles & Role.REGULATOR) === 0, "ParticipantRegulatorRequiresRegulator");
  const upgradable = byRegulator && e.suspension === 1;
  req(e.suspension === 0 || upgradable, "ParticipantAlreadySuspended");
  e.suspension = byRegulator ? 2 : 1;
}

export function reinstate(s: State, caller: string, id: string) {
  const byRegulator = onboarderOrRegulator(s, caller);
  const e = s.entities.get(id);
  req(e, "ParticipantUnknownEntity");
  req(byRegulator || (e.roles & Role.REGULATOR) === 0, "ParticipantRegulatorRequiresRegulator");
  req(e.suspension !== 0, "ParticipantNotSuspended");
  req(byRegulator || e.suspension === 1, "ParticipantSuspendedByRegulator");
  e.suspension = 0;
}

// ------------------------------------------------------------ receivable registry

export interface InvoiceModel {
  buyerEntity: string;
  amount: bigint;
  issue: number;
  due: number;
  numberHash: string;
}

/** submit, or submitAcknowledged when `ack` is given. Returns the new id. */
export function submit(
  s: State,
  caller: string,
  inv: InvoiceModel,
  keyFn: KeyFn,
  ack?: { sig: SigDescriptor; nonce: number; deadline: number },
): number {
  req(!s.paused, "ReceivablePaused");
  const sellerId = s.wallets.get(caller);
  const seller = sellerId ? s.entities.get(sellerId) : undefined;
  req(sellerId && isEntityActive(s, seller, Role.SUPPLIER), "ParticipantNotActive");
  const buyer = s.entities.get(inv.buyerEntity);
  req(isEntityActive(s, buyer, Role.BUYER), "ParticipantEntityNotActive");
  const key = keyFn(sellerId, inv.buyerEntity, inv.numberHash);
  if (ack) {
    // The signature check (ReceivableRegistry._checkAcknowledgement) starts with the deadline.
    req(s.now <= ack.deadline, "ReceivableSignatureExpired");
    const signer = recover(ack.sig, 0, key, inv.amount, inv.due, ack.nonce, ack.deadline);
    checkBuyerSignature(s, signer, ack.nonce, buyer!.index);
  }
  req(inv.amount !== 0n, "ReceivableZeroAmount");
  req(inv.issue <= s.now && inv.due > s.now, "ReceivableInvalidDates");
  req(seller!.index !== buyer!.index, "ReceivableSellerIsBuyer");
  req(!s.keys.has(key), "ReceivableInvoiceKeyUsed");

  const id = ++s.lastId;
  s.keys.set(key, id);
  s.receivables.set(id, {
    id,
    sellerIndex: seller!.index,
    buyerIndex: buyer!.index,
    status: ack ? Status.Acknowledged : Status.Submitted,
    frozen: false,
    depth: 0,
    face: inv.amount,
    paid: 0n,
    issue: inv.issue,
    due: inv.due,
    holder: caller,
    key,
    parent: 0,
    root: id,
  });
  sellerOf(s, seller!.index).submittedCount += 1n;
  if (ack) {
    recordAcknowledgement(s, buyer!.index, seller!.index, inv.amount);
    s.lastSig = ack.sig;
  }
  return id;
}

export function acknowledge(s: State, caller: string, id: number) {
  req(!s.paused, "ReceivablePaused");
  const r = submitted(s, id);
  req(isBuyerWallet(s, caller, r.buyerIndex), "ReceivableNotBuyer");
  r.status = Status.Acknowledged;
  recordAcknowledgement(s, r.buyerIndex, r.sellerIndex, r.face);
}

export function acknowledgeWithSig(
  s: State,
  id: number,
  key: string,
  nonce: number,
  deadline: number,
  sig: SigDescriptor,
): string {
  req(!s.paused, "ReceivablePaused");
  const r = submitted(s, id);
  req(s.keys.get(key) === id, "ReceivableKeyMismatch");
  req(s.now <= deadline, "ReceivableSignatureExpired");
  const signer = recover(sig, id, key, r.face, r.due, nonce, deadline);
  checkBuyerSignature(s, signer, nonce, r.buyerIndex);
  r.status = Status.Acknowledged;
  recordAcknowledgement(s, r.buyerIndex, r.sellerIndex, r.face);
  s.lastSig = sig;
  return signer!;
}

export function reject(s: State, caller: string, id: number) {
  const r = submitted(s, id);
  req(isBuyerWallet(s, caller, r.buyerIndex), "ReceivableNotBuyer");
  r.status = Status.Rejected;
  const sl = sellerOf(s, r.sellerIndex);
  sl.rejectedCount += 1n;
  sl.rejectedAmount += r.face * TO_18;
}

export function cancel(s: State, caller: string, id: number) {
  const r = submitted(s, id);
  req(walletStatus(s, caller).index === r.sellerIndex, "ReceivableNotSeller");
  r.status = Status.Cancelled;
  const sl = sellerOf(s, r.sellerIndex);
  sl.cancelledCount += 1n;
  sl.cancelledAmount += r.face * TO_18;
}

export function split(s: State, caller: string, id: number, amounts: bigint[]): number {
  req(!s.paused, "ReceivablePaused");
  const r = existing(s, id);
  // The registry checks the holder; the library (ReceivableLogic.split) the frozen flag, then the rest.
  req(r.holder === caller, "ReceivableNotHolder");
  const w = walletStatus(s, r.holder);
  req(w.active && (w.roles & HOLDER_ROLES) !== 0, "ReceivableHolderNotActive");
  req(!r.frozen, "ReceivableIsFrozen");
  req(r.status === Status.Acknowledged, "ReceivableInvalidStatus");
  const n = amounts.length;
  req(n >= 2 && n <= MAX_SPLIT_CHILDREN, "ReceivableSplitCount");
  req(r.depth + 1 <= MAX_SPLIT_DEPTH, "ReceivableSplitDepth");
  const outstanding = r.face - r.paid;
  let sum = 0n;
  for (const a of amounts) {
    req(a !== 0n, "ReceivableSplitZeroAmount");
    sum += a;
  }
  req(sum === outstanding, "ReceivableSplitSumMismatch");
  r.status = Status.Split;
  const first = s.lastId + 1;
  amounts.forEach((a, i) => {
    const childId = first + i;
    s.receivables.set(childId, {
      ...r,
      id: childId,
      status: Status.Acknowledged,
      depth: r.depth + 1,
      face: a,
      paid: 0n,
      holder: caller,
      key: null,
      parent: id,
      root: r.root,
    });
  });
  s.lastId = first + n - 1;
  return first;
}

/** A confirmed debt that is not closed: it may be paid and assigned (ReceivableRegistry._isOpen). */
export function isOpen(status: number): boolean {
  return status === Status.Acknowledged || status === Status.PartiallyPaid || status === Status.Defaulted;
}

/** Returns the amount taken. `payer` is an EOA (funded and approved); only the buyer entity's wallets may pay. */
export function pay(s: State, payer: string, id: number, amount: bigint): bigint {
  const r = existing(s, id);
  // Any wallet bound to the buyer entity, active or not.
  req(walletStatus(s, payer).index === r.buyerIndex, "ReceivableNotBuyerPayer");
  const before = r.status;
  req(isOpen(before), "ReceivableInvalidStatus");
  const outstanding = r.face - r.paid;
  const taken = min(amount, outstanding);
  req(taken !== 0n, "ReceivableZeroAmount");
  r.paid += taken;
  const next = r.paid === r.face ? Status.Paid : before === Status.Acknowledged ? Status.PartiallyPaid : before;
  r.status = next;
  s.claimable.set(r.holder, (s.claimable.get(r.holder) ?? 0n) + taken);
  s.paidIn += taken;
  const b = buyerOf(s, r.buyerIndex);
  const n = taken * TO_18;
  const daysLate = s.now > r.due ? BigInt(Math.ceil((s.now - r.due) / DAY)) : 0n;
  if (before === Status.Defaulted) b.recoveredAmount += n;
  else if (daysLate === 0n) b.paidOnTimeAmount += n;
  else {
    b.paidLateAmount += n;
    b.lateAmountDays += n * daysLate;
  }
  // Counts: one per original invoice, when its family is fully paid (the root's paid accumulates the family's
  // payments), and none for a family with a default.
  let familyPaidOff = next === Status.Paid;
  if (r.depth !== 0) {
    const root = s.receivables.get(r.root)!;
    root.paid += taken;
    familyPaidOff = root.paid === root.face;
  }
  if (familyPaidOff && !s.defaultedRoots.has(r.root)) {
    if (daysLate === 0n) b.paidOnTimeCount += 1n;
    else {
      b.paidLateCount += 1n;
      b.totalDaysLate += daysLate;
    }
  }
  return taken;
}

export function withdraw(s: State, caller: string): bigint {
  const amount = s.claimable.get(caller) ?? 0n;
  req(amount !== 0n, "ReceivableNothingToWithdraw");
  s.claimable.delete(caller);
  s.withdrawn += amount;
  return amount;
}

export function markDefaulted(s: State, caller: string, id: number) {
  const r = existing(s, id);
  req(r.holder === caller, "ReceivableNotHolder");
  req(r.status === Status.Acknowledged || r.status === Status.PartiallyPaid, "ReceivableInvalidStatus");
  req(s.now > r.due + s.grace, "ReceivableNotYetDefaultable");
  r.status = Status.Defaulted;
  const b = buyerOf(s, r.buyerIndex);
  // One original invoice counts as one default however many of its children default.
  if (!s.defaultedRoots.has(r.root)) {
    s.defaultedRoots.add(r.root);
    b.defaultCount += 1n;
  }
  b.defaultedAmount += (r.face - r.paid) * TO_18;
}

function checkRegulator(s: State, caller: string) {
  const w = walletStatus(s, caller);
  req(w.active && (w.roles & Role.REGULATOR) !== 0, "ReceivableNotRegulator");
}

export function freeze(s: State, caller: string, id: number) {
  checkRegulator(s, caller);
  const r = existing(s, id);
  req(!r.frozen, "ReceivableIsFrozen");
  r.frozen = true;
}

export function unfreeze(s: State, caller: string, id: number) {
  checkRegulator(s, caller);
  const r = existing(s, id);
  req(r.frozen, "ReceivableNotFrozen");
  r.frozen = false;
}

export function pause(s: State, caller: string) {
  req(s.pausers.has(caller), "ReceivableUnauthorized");
  req(!s.paused, "ReceivablePaused");
  s.paused = true;
}

export function unpause(s: State, caller: string) {
  // The guardian pauses at once; only the admin (the delayed path) resumes new business.
  req(s.admins.has(caller), "ReceivableUnauthorized");
  req(s.paused, "ReceivableNotPaused");
  s.paused = false;
}

function isPool(s: State, a: string) {
  return s.pools.some((p) => p.address === a);
}

/**
 * ERC721 transferFrom(from, to, id) called by `caller`, with the registry's assignment rules. Solady's ERC721
 * calls the registry's hook first, with the `from` the caller named, and then checks ownership and approval.
 */
export function transferFrom(s: State, caller: string, from: string, to: string, id: number, safe = false) {
  const r = s.receivables.get(id);
  req(!s.paused, "ReceivablePaused");
  req(r && isOpen(r.status), "ReceivableInvalidStatus");
  req(!r.frozen, "ReceivableIsFrozen");
  const f = walletStatus(s, from);
  req(f.active && (f.roles & HOLDER_ROLES) !== 0, "ReceivableHolderNotActive");
  const t = walletStatus(s, to);
  req(t.active && (t.roles & HOLDER_ROLES) !== 0 && t.index !== r.buyerIndex, "ReceivableInvalidRecipient");
  // Pools are bound pull-only: they take receivables only when they are the caller (finance, approveRequest).
  req(!isPool(s, to) || caller === to, "ReceivableRecipientPullsOnly");
  const owner = r.holder;
  req(owner === from, "TransferFromIncorrectOwner");
  const approved = caller === owner || (isPool(s, caller) && s.eoas.has(owner));
  req(approved, "NotOwnerNorApproved");
  r.holder = to;
  if (safe && to === s.receiver) throw new Revert("RevertingReceiverRejected");
  if (safe && isPool(s, to)) throw new Revert("TransferToNonERC721ReceiverImplementer");
}

// ------------------------------------------------------------------- risk engine

export function setRating(s: State, caller: string, buyerEntity: string, pd: bigint, validUntil: number) {
  req(s.ratingAgents.has(caller), "RiskNotRatingAgent");
  req(pd >= MIN_PD_BPS && pd <= BPS, "RiskPdOutOfRange");
  req(validUntil > s.now, "RiskRatingExpiryInPast");
  req(validUntil <= s.now + MAX_RATING_VALIDITY, "RiskRatingValidityTooLong");
  const e = s.entities.get(buyerEntity);
  req(e && e.index !== 0, "RiskUnknownEntity");
  s.ratings.set(e.index, { pd, validUntil: BigInt(validUntil) });
}

/** The scorecard inputs the engine gathers for receivable `r`, with `exposure` from the pool. */
export function riskInputs(s: State, r: Rec, exposure: bigint): RiskInputs {
  const rating = s.ratings.get(r.buyerIndex) ?? { pd: 0n, validUntil: 0n };
  const b = s.buyers.get(r.buyerIndex) ?? emptyBuyer();
  const sl = s.sellers.get(r.sellerIndex) ?? emptySeller();
  return {
    status: r.status,
    frozen: r.frozen,
    nowTimestamp: BigInt(s.now),
    dueDate: BigInt(r.due),
    outstanding: r.face - r.paid,
    ratingPdBps: rating.pd,
    ratingValidUntil: rating.validUntil,
    paidOnTimeCount: b.paidOnTimeCount,
    paidLateCount: b.paidLateCount,
    defaultCount: b.defaultCount,
    paidOnTimeAmount: b.paidOnTimeAmount,
    paidLateAmount: b.paidLateAmount,
    lateAmountDays: b.lateAmountDays,
    acknowledgedAmount: b.acknowledgedAmount,
    defaultedAmount: b.defaultedAmount,
    sellerAcknowledgedAmount: sl.acknowledgedAmount,
    sellerRejectedAmount: sl.rejectedAmount,
    sellerCancelledAmount: sl.cancelledAmount,
    buyerExposure: exposure,
  };
}

export function poolAssess(s: State, p: PoolState, r: Rec): Assessment {
  return assess(riskInputs(s, r, p.exposure.get(r.buyerIndex) ?? 0n), p.policy);
}

// ---------------------------------------------------------------- financing pool

interface Terms {
  grade: number;
  advance: bigint;
  fee: bigint;
  net: bigint;
}

function onlyOwner(p: PoolState, caller: string) {
  req(caller === p.manager, "OwnableUnauthorizedAccount");
}

function checkAndPrice(s: State, p: PoolState, id: number, holder: string): { r: Rec; t: Terms; discountBps: bigint } {
  // One registry call (coreOf) reads the record, holder and pause flag: an unknown id fails first.
  const r = s.receivables.get(id);
  req(r, "ReceivableNotFound");
  req(!s.paused, "PoolRegistryPaused");
  req(r.holder === holder, "PoolNotHolder");
  req(r.status === Status.Acknowledged && r.paid === 0n, "PoolNotFinanceable");
  const a = poolAssess(s, p, r);
  req(a.eligible && a.maxAdvance !== 0n, "PoolNotEligible");
  const advance = a.maxAdvance;
  const fee = (advance * a.discountBps) / BPS;
  return { r, t: { grade: a.grade, advance, fee, net: advance - fee }, discountBps: a.discountBps };
}

function requireCapacity(p: PoolState, net: bigint) {
  req(p.outstanding + net <= p.policy.totalExposureLimit, "PoolTotalExposureLimit");
  req(net <= p.liquidity - p.committed, "PoolInsufficientLiquidity");
}

/** The original invoice a split child is tracked under, 0 for an unsplit invoice (FinancingPool._rootOf). */
function trackedRoot(r: Rec): number {
  return r.depth === 0 ? 0 : r.root;
}

/**
 * The auto-approval limit applies to everything the pool advanced on the same original invoice; with a supplier
 * cap, the supplier entity's auto-approved advances in the current window must stay within it. Returns the
 * window to record.
 */
function autoApproved(
  s: State,
  p: PoolState,
  supplier: string,
  r: Rec,
  advance: bigint,
): { ok: boolean; entity?: string; start?: bigint; used?: bigint } {
  const root = trackedRoot(r);
  if ((root === 0 ? 0n : (p.advancedOnRoot.get(root) ?? 0n)) + advance > p.policy.autoApprovalLimit)
    return { ok: false };
  if (p.capPeriod === 0n) return { ok: true };
  const entity = s.wallets.get(supplier) ?? ZeroHash;
  const start = BigInt(s.now) - (BigInt(s.now) % p.capPeriod);
  const w = p.autoWindows.get(entity);
  const used = (w && w.start === start ? w.used : 0n) + advance;
  return { ok: used <= p.supplierCap, entity, start, used };
}

/** What `entity` was auto-approved in the current window (IFinancingPool.autoApprovedOf). */
export function autoApprovedOf(s: State, p: PoolState, entity: string): bigint {
  if (p.capPeriod === 0n) return 0n;
  const w = p.autoWindows.get(entity);
  return w && w.start === BigInt(s.now) - (BigInt(s.now) % p.capPeriod) ? w.used : 0n;
}

export function setSupplierAutoCap(p: PoolState, caller: string, cap: bigint, period: bigint) {
  onlyOwner(p, caller);
  req((cap === 0n) === (period === 0n), "PoolInvalidAutoCap");
  p.supplierCap = cap;
  p.capPeriod = period;
}

/** The net advance `finance` would pay `holder` now (reverts like finance's checks). */
export function previewNet(s: State, p: PoolState, id: number, holder: string): bigint {
  const { t } = checkAndPrice(s, p, id, holder);
  requireCapacity(p, t.net);
  return t.net;
}

/** The fee `finance` would charge `holder` now (reverts like finance's checks). */
export function previewFee(s: State, p: PoolState, id: number, holder: string): bigint {
  const { t } = checkAndPrice(s, p, id, holder);
  requireCapacity(p, t.net);
  return t.fee;
}

function execute(s: State, p: PoolState, id: number, supplier: string, r: Rec, t: Terms) {
  const root = trackedRoot(r);
  if (root !== 0) p.advancedOnRoot.set(root, (p.advancedOnRoot.get(root) ?? 0n) + t.advance);
  p.financings.set(id, {
    supplier,
    buyerIndex: r.buyerIndex,
    status: FStatus.Active,
    grade: t.grade,
    recourse: p.policy.recourse,
    advance: t.advance,
    fee: t.fee,
    face: r.face,
    collected: 0n,
  });
  p.liquidity -= t.net;
  p.outstanding += t.net;
  p.exposure.set(r.buyerIndex, (p.exposure.get(r.buyerIndex) ?? 0n) + t.net);
  transferFrom(s, p.address, supplier, p.address, id);
  p.balance -= t.net;
}

/** Returns true when executed at once, false when a request was recorded. */
export function finance(
  s: State,
  p: PoolState,
  caller: string,
  id: number,
  minNet: bigint,
  maxFee: bigint,
  deadline: bigint,
): boolean {
  req(BigInt(s.now) <= deadline, "PoolDeadlinePassed");
  const f = p.financings.get(id);
  const status = f?.status ?? FStatus.None;
  req(status === FStatus.None || status === FStatus.Rejected, "PoolAlreadyFinanced");
  const { r, t } = checkAndPrice(s, p, id, caller);
  requireCapacity(p, t.net);
  req(t.net >= minNet, "PoolSlippage");
  req(t.fee <= maxFee, "PoolFeeTooHigh");
  const auto = autoApproved(s, p, caller, r, t.advance);
  if (auto.ok) {
    if (p.capPeriod !== 0n) p.autoWindows.set(auto.entity!, { start: auto.start!, used: auto.used! });
    execute(s, p, id, caller, r, t);
    return true;
  }
  p.financings.set(id, {
    supplier: caller,
    buyerIndex: r.buyerIndex,
    status: FStatus.Requested,
    grade: f?.grade ?? 0,
    recourse: f?.recourse ?? false,
    advance: f?.advance ?? 0n,
    fee: f?.fee ?? 0n,
    face: f?.face ?? 0n,
    collected: f?.collected ?? 0n,
  });
  const maxU64 = 2n ** 64n - 1n;
  p.requests.set(id, { advance: t.advance, fee: t.fee, deadline: deadline > maxU64 ? maxU64 : deadline });
  p.committed += t.net;
  return false;
}

export function approveRequest(s: State, p: PoolState, caller: string, id: number) {
  onlyOwner(p, caller);
  const f = p.financings.get(id);
  req(f && f.status === FStatus.Requested, "PoolInvalidStatus");
  const q = p.requests.get(id)!;
  req(BigInt(s.now) <= q.deadline, "PoolDeadlinePassed");
  p.committed -= q.advance - q.fee;
  p.requests.delete(id);
  const { r, t: now, discountBps } = checkAndPrice(s, p, id, f.supplier);
  // The recorded advance, at most the recorded fee (a policy change can only lower it).
  const feeNow = (q.advance * discountBps) / BPS;
  const fee = feeNow < q.fee ? feeNow : q.fee;
  const t = { grade: now.grade, advance: q.advance, fee, net: q.advance - fee };
  requireCapacity(p, t.net);
  execute(s, p, id, f.supplier, r, t);
}

/** Anyone releases a request that can no longer be approved. */
export function expireRequest(s: State, p: PoolState, id: number) {
  const f = p.financings.get(id);
  req(f && f.status === FStatus.Requested, "PoolInvalidStatus");
  const q = p.requests.get(id)!;
  const r = s.receivables.get(id)!;
  const approvable =
    BigInt(s.now) <= q.deadline &&
    r.holder === f.supplier &&
    r.status === Status.Acknowledged &&
    r.paid === 0n &&
    !r.frozen &&
    s.now <= r.due;
  req(!approvable, "PoolRequestStillValid");
  p.committed -= q.advance - q.fee;
  p.requests.delete(id);
  f.status = FStatus.Rejected;
}

export function rejectRequest(s: State, p: PoolState, caller: string, id: number) {
  onlyOwner(p, caller);
  const f = p.financings.get(id);
  req(f && f.status === FStatus.Requested, "PoolInvalidStatus");
  const q = p.requests.get(id)!;
  p.committed -= q.advance - q.fee;
  p.requests.delete(id);
  f.status = FStatus.Rejected;
}

function principalLeft(f: Financing): bigint {
  const net = f.advance - f.fee;
  const received = min(f.collected, f.advance);
  return received >= net ? 0n : net - received;
}

function splitOwed(f: Financing, toPool: bigint): [bigint, bigint] {
  const principal = min(toPool, principalLeft(f));
  return [principal, toPool - principal];
}

function reduceAtRisk(p: PoolState, f: Financing, principal: bigint) {
  if (principal === 0n) return;
  if (f.status === FStatus.WrittenOff) p.losses -= principal;
  else {
    p.outstanding -= principal;
    p.exposure.set(f.buyerIndex, (p.exposure.get(f.buyerIndex) ?? 0n) - principal);
  }
}

function apply(p: PoolState, f: Financing, amount: bigint) {
  const owed = f.advance - min(f.collected, f.advance);
  const toPool = min(amount, owed);
  const toReserve = amount - toPool;
  const [principal, fee] = splitOwed(f, toPool);
  f.collected += amount;
  reduceAtRisk(p, f, principal);
  p.fees += fee;
  p.liquidity += toPool;
  if (toReserve !== 0n) p.reserves.set(f.supplier, (p.reserves.get(f.supplier) ?? 0n) + toReserve);
  if (f.collected === f.face) f.status = FStatus.Repaid;
}

function pullProceeds(s: State, p: PoolState) {
  const c = s.claimable.get(p.address) ?? 0n;
  if (c !== 0n) {
    withdraw(s, p.address);
    p.balance += c;
  }
}

export function collect(s: State, p: PoolState, id: number) {
  const f = p.financings.get(id);
  req(f && (f.status === FStatus.Active || f.status === FStatus.WrittenOff), "PoolInvalidStatus");
  const paid = s.receivables.get(id)!.paid;
  req(paid > f.collected, "PoolNothingToCollect");
  apply(p, f, paid - f.collected);
  pullProceeds(s, p);
}

export function writeOff(s: State, p: PoolState, caller: string, id: number) {
  onlyOwner(p, caller);
  const f = p.financings.get(id);
  req(f && f.status === FStatus.Active, "PoolInvalidStatus");
  const r = s.receivables.get(id)!;
  const paid = r.paid;
  if (r.status !== Status.Defaulted) markDefaulted(s, p.address, id);
  if (paid > f.collected) apply(p, f, paid - f.collected);
  const loss = principalLeft(f);
  p.outstanding -= loss;
  p.exposure.set(f.buyerIndex, (p.exposure.get(f.buyerIndex) ?? 0n) - loss);
  p.losses += loss;
  f.status = FStatus.WrittenOff;
  pullProceeds(s, p);
}

export function exerciseRecourse(s: State, p: PoolState, caller: string, id: number) {
  const f = p.financings.get(id);
  req(f && (f.status === FStatus.Active || f.status === FStatus.WrittenOff), "PoolInvalidStatus");
  req(caller === f.supplier, "PoolNotSupplier");
  req(f.recourse, "PoolRecourseNotAvailable");
  const r = s.receivables.get(id)!;
  const paid = r.paid;
  // The pool (the holder) declares the default itself once due + grace has passed.
  if (r.status !== Status.Defaulted) markDefaulted(s, p.address, id);
  if (paid > f.collected) apply(p, f, paid - f.collected);
  const price = f.advance - min(f.collected, f.advance);
  const [principal, fee] = splitOwed(f, price);
  reduceAtRisk(p, f, principal);
  p.fees += fee;
  p.liquidity += price;
  f.status = FStatus.BoughtBack;
  pullProceeds(s, p);
  p.balance += price; // the supplier is an EOA: funded and approved
  transferFrom(s, p.address, p.address, caller, id);
}

export function withdrawReserve(s: State, p: PoolState, caller: string): bigint {
  void s;
  const amount = p.reserves.get(caller) ?? 0n;
  req(amount !== 0n, "PoolNothingToWithdraw");
  p.reserves.delete(caller);
  p.balance -= amount;
  return amount;
}

export function deposit(p: PoolState, caller: string, amount: bigint) {
  onlyOwner(p, caller);
  req(amount !== 0n, "PoolZeroAmount");
  p.liquidity += amount;
  p.deposits += amount;
  p.balance += amount;
}

export function withdrawLiquidity(p: PoolState, caller: string, amount: bigint) {
  onlyOwner(p, caller);
  req(amount !== 0n, "PoolZeroAmount");
  req(amount <= p.liquidity - p.committed, "PoolInsufficientLiquidity");
  p.liquidity -= amount;
  p.withdrawals += amount;
  p.balance -= amount;
}

export function setPolicy(p: PoolState, caller: string, policy: RiskPolicy) {
  onlyOwner(p, caller);
  try {
    validatePolicy(policy);
  } catch (e) {
    if (e instanceof RiskPolicyError) throw new Revert("RiskInvalidPolicy");
    throw e;
  }
  p.policy = policy;
}

/** FinancingPool.quote at `s.now` (a view: the latest block's timestamp). */
export function quote(s: State, p: PoolState, id: number) {
  const r = existing(s, id);
  const a = poolAssess(s, p, r);
  const advance = a.maxAdvance;
  const fee = (advance * a.discountBps) / BPS;
  let validUntil: bigint;
  if (a.tenorDays === 0n) validUntil = BigInt(s.now);
  else {
    validUntil = BigInt(r.due) - (a.tenorDays - 1n) * BigInt(DAY) - 1n;
    const rating = s.ratings.get(r.buyerIndex);
    if (rating && rating.validUntil > BigInt(s.now) && rating.validUntil < validUntil) validUntil = rating.validUntil;
  }
  return {
    assessment: a,
    advance,
    fee,
    netAdvance: advance - fee,
    reserve: advance === 0n ? 0n : r.face - r.paid - advance,
    needsApproval: !autoApproved(s, p, r.holder, r, advance).ok,
    validUntil,
  };
}

// ------------------------------------------------------------------- derived views

/** Outstanding amount (18 decimals) the buyer record should show: open receivables' face − paid. */
export function expectedBuyerOutstanding(s: State, buyerIndex: number): bigint {
  let sum = 0n;
  for (const r of s.receivables.values()) {
    if (isOpen(r.status) && r.buyerIndex === buyerIndex) sum += (r.face - r.paid) * TO_18;
  }
  return sum;
}

export function totalClaimable(s: State): bigint {
  let sum = 0n;
  for (const v of s.claimable.values()) sum += v;
  return sum;
}

export function totalReserves(p: PoolState): bigint {
  let sum = 0n;
  for (const v of p.reserves.values()) sum += v;
  return sum;
}

/** Runs `op` on a deep copy of `s`: the new state and the result, or the predicted revert. */
export function attempt<T>(
  s: State,
  op: (draft: State) => T,
): { ok: true; state: State; result: T } | { ok: false; error: string } {
  const draft = structuredClone(s);
  try {
    const result = op(draft);
    return { ok: true, state: draft, result };
  } catch (e) {
    if (e instanceof Revert) return { ok: false, error: e.error };
    throw e;
  }
}
