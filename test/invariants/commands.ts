/**
 * The fuzzer's commands: fast-check arbitraries for random operations by random actors, and a runner that
 * applies each one to the model and to the chain, demands the same outcome (success, or the same custom
 * error), and checks the invariants after every step.
 *
 * A command names its target loosely (`pick`, `who`): the runner resolves it against the model at run time,
 * preferring a "natural" target (the holder, the buyer's wallet, a Submitted receivable…) most of the time and
 * anything else (outsiders, wrong statuses, unknown ids) the rest, so that both paths are exercised.
 */
import fc from "fast-check";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse, Interface } from "ethers";
import type { FinancingPool } from "../../typechain-types";
import type { RiskPolicy } from "../../src/pure/risk";
import { numberHash, invoiceKey, invoiceInput, toHighS } from "../shared/receivables";
import * as M from "./model";
import { DAY, FStatus, Status, type PoolState, type SigDescriptor, type State } from "./model";
import { errorName } from "./errors";
import { checkStep, violated, type ChainView, type StepInfo } from "./invariants";
import { PROSPECT_ENTITIES, UNIT, WORLD_ENTITIES, type World } from "./world";
import { receivablesDomain, signAcknowledgement, submissionCommitment } from "../../src/pure/eip712";

const GAS = 8_000_000;

/** The InvoiceInput of a model invoice, built by the shared invoiceInput() (the SDK's toInvoiceInput). */
function chainInput(ctx: { view: { usdAddress: string } }, inv: M.InvoiceModel) {
  return invoiceInput(ctx.view.usdAddress, {
    buyerEntityId: inv.buyerEntity,
    amount: inv.amount,
    issueDate: inv.issue,
    dueDate: inv.due,
    invoiceNumberHash: inv.numberHash,
    docHash: ethers.ZeroHash,
  });
}

export const PROFILE = { send: 0, check: 0, model: 0, all: 0, restore: 0 };

// ------------------------------------------------------------------ commands

type Who = number;
type Pick = number;
export type SigVariant = "good" | "expired" | "revokedNonce" | "wrongChain" | "wrongContract" | "highS" | "otherSigner";

export type Cmd =
  | { kind: "register"; who: Who; prospect: number; roles: number; expired: boolean }
  | { kind: "suspend" | "reinstate"; who: Who; entity: number }
  | {
      kind: "submit";
      who: Who;
      buyer: number;
      num: number;
      amount: bigint;
      dueDays: number;
      futureIssue: boolean;
      ack: { signer: Who; variant: SigVariant } | null;
    }
  | { kind: "acknowledge" | "reject" | "cancel"; who: Who; pick: Pick }
  | { kind: "ackWithSig"; who: Who; signer: Who; pick: Pick; variant: SigVariant | "keyMismatch" | "replay" }
  | { kind: "transfer"; who: Who; pick: Pick; to: Who; safe: boolean }
  | { kind: "split"; who: Who; pick: Pick; weights: number[]; delta: number }
  | { kind: "pay"; who: Who; pick: Pick; mode: "partial" | "full" | "over" | "zero"; frac: number }
  | { kind: "withdraw"; who: Who }
  | { kind: "revokeNonces"; who: Who; wordPos: number; mask: bigint }
  | { kind: "markDefaulted"; who: Who; pick: Pick; timing: Timing }
  | { kind: "warp"; seconds: number }
  | { kind: "freeze" | "unfreeze"; who: Who; pick: Pick }
  | { kind: "pause" | "unpause"; who: Who }
  | { kind: "setRating"; who: Who; buyer: number; pd: bigint; validDays: number }
  | { kind: "finance"; who: Who; pool: number; pick: Pick; min: MinMode; fee: FeeMode; deadline: DeadlineMode }
  | {
      kind: "approveRequest" | "rejectRequest" | "expireRequest" | "collect" | "exerciseRecourse";
      who: Who;
      pool: number;
      pick: Pick;
    }
  | { kind: "writeOff"; who: Who; pool: number; pick: Pick; timing: Timing }
  | { kind: "withdrawReserve"; who: Who; pool: number }
  | { kind: "deposit" | "withdrawLiquidity"; who: Who; pool: number; amount: bigint; frac: number }
  | { kind: "setPolicy"; who: Who; pool: number; variant: number }
  | { kind: "setSupplierAutoCap"; who: Who; pool: number; cap: bigint; periodDays: number }
  | { kind: "quote"; pool: number; pick: Pick };

type Timing = "none" | "boundary" | "after";
type MinMode = "zero" | "exact" | "plus1" | "quoted";
/** The supplier's largest fee: no bound, the fee now, or one unit below it (PoolFeeTooHigh). */
type FeeMode = "any" | "exact" | "minus1";
type DeadlineMode = "future" | "now" | "past" | "huge";

const who = fc.nat(99);
/** True about one time in sixteen. */
const rarely = fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const pick = fc.nat(9_999);
const poolIx = fc.nat(1);
const timing = fc.constantFrom<Timing>("none", "after", "after", "boundary");
const sigVariant = fc.oneof(
  { weight: 6, arbitrary: fc.constant<SigVariant>("good") },
  // A nonce the signer revoked (when it has one): the only way a well-formed signature of a buyer wallet fails.
  { weight: 1, arbitrary: fc.constant<SigVariant>("revokedNonce") },
  {
    weight: 1,
    arbitrary: fc.constantFrom<SigVariant>(
      "expired",
      "revokedNonce",
      "wrongChain",
      "wrongContract",
      "highS",
      "otherSigner",
    ),
  },
);
const amount = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0n) },
  { weight: 3, arbitrary: fc.bigInt(1n, 1_000n * UNIT) },
  { weight: 5, arbitrary: fc.bigInt(1_000n * UNIT, 130_000n * UNIT) },
  { weight: 3, arbitrary: fc.bigInt(130_000n * UNIT, 450_000n * UNIT) },
);

/** One random command. */
export const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("register" as const),
      who,
      prospect: fc.nat(3),
      roles: fc.constantFrom(1, 2, 3, 4, 5, 8),
      expired: rarely,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("suspend" as const, "reinstate" as const), who, entity: fc.nat(11) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("submit" as const),
      who,
      buyer: fc.nat(13),
      num: fc.nat(11),
      amount,
      dueDays: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 12, arbitrary: fc.integer({ min: 1, max: 240 }) },
      ),
      futureIssue: rarely,
      ack: fc.option(fc.record({ signer: who, variant: sigVariant }), { freq: 3, nil: null }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("acknowledge" as const), who, pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("ackWithSig" as const),
      who,
      signer: who,
      pick,
      variant: fc.oneof(
        { weight: 4, arbitrary: sigVariant },
        { weight: 1, arbitrary: fc.constantFrom("keyMismatch" as const, "replay" as const) },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("reject" as const, "cancel" as const), who, pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("transfer" as const), who, pick, to: who, safe: rarely }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("split" as const),
      who,
      pick,
      weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 9 }),
      delta: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("pay" as const),
      who,
      pick,
      mode: fc.constantFrom(
        "partial" as const,
        "partial" as const,
        "full" as const,
        "full" as const,
        "over" as const,
        "zero" as const,
      ),
      frac: fc.integer({ min: 1, max: 99 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), who }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("revokeNonces" as const),
      who,
      // Word 0 mostly: bits 0..15 are the nonces the "revokedNonce" variant signs with.
      wordPos: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) }),
      mask: fc.bigInt(0n, 0xffffn),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("markDefaulted" as const), who, pick, timing }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("warp" as const),
      seconds: fc.oneof(fc.integer({ min: 1, max: 3 * DAY }), fc.integer({ min: DAY, max: 120 * DAY })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("freeze" as const, "unfreeze" as const), who, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("pause" as const, "unpause" as const), who }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("setRating" as const),
      who,
      buyer: fc.nat(13),
      pd: fc.oneof(
        { weight: 4, arbitrary: fc.bigInt(0n, 300n) },
        { weight: 2, arbitrary: fc.bigInt(0n, 3_000n) },
        { weight: 1, arbitrary: fc.constant(10_001n) },
      ),
      validDays: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 200 }) },
        // Around the longest validity a rating may have (366 days).
        { weight: 1, arbitrary: fc.integer({ min: 365, max: 368 }) },
      ),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("finance" as const),
      who,
      pool: poolIx,
      pick,
      min: fc.constantFrom<MinMode>("zero", "exact", "exact", "plus1", "quoted"),
      fee: fc.constantFrom<FeeMode>("any", "any", "exact", "exact", "minus1"),
      deadline: fc.constantFrom<DeadlineMode>("future", "future", "future", "now", "past", "huge"),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("approveRequest" as const), who, pool: poolIx, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rejectRequest" as const), who, pool: poolIx, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expireRequest" as const), who, pool: poolIx, pick }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("collect" as const), who, pool: poolIx, pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("writeOff" as const), who, pool: poolIx, pick, timing }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("exerciseRecourse" as const), who, pool: poolIx, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdrawReserve" as const), who, pool: poolIx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("deposit" as const, "withdrawLiquidity" as const),
      who,
      pool: poolIx,
      amount: fc.oneof(fc.constant(0n), fc.bigInt(1n, 500_000n * UNIT)),
      frac: fc.integer({ min: 0, max: 110 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("setPolicy" as const), who, pool: poolIx, variant: fc.nat(7) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("setSupplierAutoCap" as const),
      who,
      pool: poolIx,
      cap: fc.constantFrom(0n, 50_000n * UNIT, 150_000n * UNIT, 400_000n * UNIT),
      periodDays: fc.constantFrom(0, 1, 30, 30),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("quote" as const), pool: poolIx, pick }) },
);

// ------------------------------------------------------------------- context

export interface Actor {
  name: string;
  address: string;
  /** The EOA that sends transactions for this actor (the owner, for the receiver contract). */
  signer: HardhatEthersSigner;
  /** True for the RevertingReceiver contract wallet. */
  isReceiver: boolean;
}

export interface Stats {
  ok: Map<string, number>;
  failed: Map<string, number>;
  /** Reverts by command and error. */
  reasons: Map<string, number>;
  /** Scenario counters: payments while paused, frozen, to the reverting receiver, etc. */
  scenarios: Map<string, number>;
}

export interface Ctx {
  view: ChainView;
  world: World;
  state: State;
  actors: Actor[];
  byAddress: Map<string, Actor>;
  iface: Interface;
  chainId: bigint;
  basePolicies: RiskPolicy[];
  log: string[];
  stats: Stats;
}

function bump(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}

const keyFn: M.KeyFn = (seller, buyer, nh) => invoiceKey(seller, buyer, nh);

/** Entities a command may name by number: the fixture's eight, then the four prospects. */
const ENTITY_LIST = [...Object.values(WORLD_ENTITIES), ...PROSPECT_ENTITIES];
/** Buyers a submit or rating may name: mostly B1 and B2, sometimes anyone. */
const BUYER_LIST = [
  WORLD_ENTITIES.B1,
  WORLD_ENTITIES.B2,
  WORLD_ENTITIES.B1,
  WORLD_ENTITIES.B2,
  WORLD_ENTITIES.B1,
  WORLD_ENTITIES.B2,
  WORLD_ENTITIES.B1,
  WORLD_ENTITIES.B2,
  ...PROSPECT_ENTITIES,
  WORLD_ENTITIES.S1,
  WORLD_ENTITIES.A,
];

function actorOf(ctx: Ctx, address: string): Actor {
  const a = ctx.byAddress.get(address);
  if (!a) throw new Error(`no actor for ${address}`);
  return a;
}

/** `natural` most of the time (if any), otherwise any actor. */
function choose(ctx: Ctx, w: Who, natural: string[]): Actor {
  const usable = natural.filter((a) => ctx.byAddress.has(a));
  if (w < 75 && usable.length > 0) return actorOf(ctx, usable[w % usable.length]);
  return ctx.actors[w % ctx.actors.length];
}

/**
 * The actor that really sends: an EOA stands for itself; the receiver's owner stands in for the receiver where
 * a contract cannot act, and the outsider for a pool (a pool never acts on its own).
 */
function eoa(ctx: Ctx, a: Actor): Actor {
  const address = a.signer.address.toLowerCase();
  return address === a.address ? a : { ...actorOf(ctx, address), isReceiver: false };
}

/** Like `eoa`, but keeps the receiver contract (for the calls its owner can route through it). */
function sender(ctx: Ctx, a: Actor): Actor {
  return a.isReceiver ? a : eoa(ctx, a);
}

function pickId(s: State, p: Pick, prefer: (r: M.Rec) => boolean): number {
  const ids = [...s.receivables.keys()];
  if (ids.length === 0 || p % 31 === 30) return s.lastId + 1 + (p % 3);
  const good = ids.filter((id) => prefer(s.receivables.get(id)!));
  const from = good.length > 0 && p % 10 < 8 ? good : ids;
  return from[Math.floor(p / 10) % from.length];
}

function holdersWith(s: State, roles: number): string[] {
  return [...s.wallets.entries()]
    .filter(([, id]) => {
      const e = s.entities.get(id)!;
      return (e.roles & roles) !== 0;
    })
    .map(([w]) => w);
}

function buyerWallets(s: State, r: M.Rec | undefined): string[] {
  return r ? M.walletsOf(s, r.buyerIndex) : [];
}

/**
 * The nonce a signature carries (a revocation handle, never consumed): a fresh one in 16..255 of word 0, or for
 * "revokedNonce" one the signer revoked (else one of 0..15, which revokeNonces commands revoke at random).
 */
function sigNonce(s: State, signer: string, seed: number, variant: SigVariant): number {
  if (variant !== "revokedNonce") return 16 + (seed % 240);
  const revoked = [...(s.revoked.get(signer) ?? [])];
  return revoked.length > 0 ? revoked[seed % revoked.length] : seed % 16;
}

// -------------------------------------------------------------------- running

type Outcome =
  { ok: true; receipt: Awaited<ReturnType<ContractTransactionResponse["wait"]>> } | { ok: false; error: string };

async function send(
  ctx: Ctx,
  ts: number,
  fn: (o: { gasLimit: number }) => Promise<ContractTransactionResponse>,
): Promise<Outcome> {
  await ethers.provider.send("evm_setNextBlockTimestamp", [ts]);
  try {
    const tx = await fn({ gasLimit: GAS });
    return { ok: true, receipt: await tx.wait() };
  } catch (e) {
    return { ok: false, error: errorName(ctx.iface, e) };
  }
}

function fmt(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}` : v));
}

/**
 * Applies `op` to the model at time `ts` and `tx` to the chain, and demands the same outcome. On agreement the
 * model moves on; then the invariants are checked.
 */
async function step<T>(
  ctx: Ctx,
  label: string,
  ts: number,
  op: (s: State) => T,
  tx: (o: { gasLimit: number }) => Promise<ContractTransactionResponse>,
  info: StepInfo = {},
  after?: (predicted: T | undefined, outcome: Outcome, prev: State) => Promise<void> | void,
): Promise<void> {
  const prev = ctx.state;
  const t2 = Date.now();
  const predicted = M.attempt(prev, (d) => {
    d.now = ts;
    return op(d);
  });
  PROFILE.model += Date.now() - t2;
  const t1 = Date.now();
  const outcome = await send(ctx, ts, tx);
  PROFILE.send += Date.now() - t1;
  const predictedText = predicted.ok ? "success" : `revert ${predicted.error}`;
  const chainText = outcome.ok ? "success" : `revert ${outcome.error}`;
  ctx.log.push(`${label} → ${chainText}`);
  const kind = label.split("(")[0];
  bump(outcome.ok ? ctx.stats.ok : ctx.stats.failed, kind);
  if (!outcome.ok) bump(ctx.stats.reasons, `${kind}: ${outcome.error}`);
  if (after) await after(predicted.ok ? predicted.result : undefined, outcome, prev);
  if (predictedText !== chainText) {
    violated("I11", `${label}: the model predicted ${predictedText}, the chain gave ${chainText}`);
  }
  if (predicted.ok) ctx.state = predicted.state;
  else ctx.state = { ...prev, now: ts };
  const t0 = Date.now();
  await checkStep(ctx.view, prev, ctx.state, info);
  PROFILE.check += Date.now() - t0;
}

function poolOf(ctx: Ctx, i: number): { p: PoolState; c: FinancingPool } {
  return { p: ctx.state.pools[i], c: ctx.view.pools[i] };
}

async function signAck(
  ctx: Ctx,
  signer: HardhatEthersSigner,
  d: Omit<SigDescriptor, "signer" | "domainOk" | "highS" | "raw">,
  variant: SigVariant,
  signedKey: string = d.key,
) {
  const domain = receivablesDomain(
    variant === "wrongChain" ? ctx.chainId + 1n : ctx.chainId,
    variant === "wrongContract" ? ctx.state.pools[0].address : ctx.view.registryAddress,
  );
  let raw = await signAcknowledgement(signer, domain, {
    id: d.id,
    invoiceKey: signedKey,
    amount: d.amount,
    dueDate: d.due,
    nonce: d.nonce,
    deadline: d.deadline,
  });
  if (variant === "highS") raw = toHighS(raw).signature;
  const sig: SigDescriptor = {
    ...d,
    signer: signer.address.toLowerCase(),
    domainOk: variant !== "wrongChain" && variant !== "wrongContract",
    highS: variant === "highS",
    raw,
  };
  return sig;
}

function policyVariant(base: RiskPolicy, current: RiskPolicy, v: number): RiskPolicy {
  const p: RiskPolicy = { ...base, advanceRateBps: [...base.advanceRateBps], gradeMaxPdBps: [...base.gradeMaxPdBps] };
  switch (v) {
    case 1:
      p.advanceRateBps = p.advanceRateBps.map((r) => r / 2n) as RiskPolicy["advanceRateBps"];
      break;
    case 2:
      p.minGrade = 1n;
      break;
    case 3:
      p.autoApprovalLimit = 20_000n * UNIT;
      break;
    case 4:
      p.totalExposureLimit = 50_000n * UNIT;
      break;
    case 5:
      p.recourse = !current.recourse;
      break;
    case 6:
      p.advanceRateBps = [1000n, 2000n, 3000n, 4000n, 5000n]; // increasing: invalid
      break;
    case 7:
      p.maxBuyerDefaults = 3n;
      p.buyerExposureLimit = 200_000n * UNIT;
      break;
  }
  return p;
}

const OPEN = (r: M.Rec) => M.isOpen(r.status);

/** Runs one command. */
export async function runCommand(ctx: Ctx, cmd: Cmd): Promise<void> {
  const s = ctx.state;
  const ts = s.now + 1;
  const R = ctx.world.receivables;
  const reg = ctx.world.participants;
  switch (cmd.kind) {
    case "register": {
      // The admin too: only it may register a REGULATOR, and it is refused the other registrations.
      const a = eoa(ctx, choose(ctx, cmd.who, [...s.onboarders, ...s.admins]));
      const prospect = ctx.world.prospects[cmd.prospect];
      const id = PROSPECT_ENTITIES[cmd.prospect];
      const expiry = cmd.expired ? ts : ts + 40 * 365 * DAY;
      const wallet = prospect.address.toLowerCase();
      return step(
        ctx,
        `register(${a.name}, prospect${cmd.prospect}, roles ${cmd.roles})`,
        ts,
        (d) => M.registerEntity(d, a.address, id, cmd.roles, expiry, wallet),
        (o) => reg.connect(a.signer).registerEntity(id, cmd.roles, expiry, wallet, o),
      );
    }
    case "suspend":
    case "reinstate": {
      const regulators = holdersWith(s, M.Role.REGULATOR);
      const a = eoa(ctx, choose(ctx, cmd.who, cmd.who % 2 === 0 ? [...s.onboarders] : regulators));
      const suspended = [...s.entities.values()].filter((e) => e.suspension !== 0).map((e) => e.id);
      const id =
        cmd.kind === "reinstate" && suspended.length > 0 && cmd.entity % 4 !== 0
          ? suspended[cmd.entity % suspended.length]
          : ENTITY_LIST[cmd.entity % ENTITY_LIST.length];
      const reason = ethers.encodeBytes32String("fuzz");
      return step(
        ctx,
        `${cmd.kind}(${a.name}, entity ${cmd.entity})`,
        ts,
        (d) => (cmd.kind === "suspend" ? M.suspend(d, a.address, id) : M.reinstate(d, a.address, id)),
        (o) =>
          cmd.kind === "suspend"
            ? reg.connect(a.signer).suspend(id, reason, o)
            : reg.connect(a.signer).reinstate(id, o),
      );
    }
    case "submit": {
      const suppliers = holdersWith(s, M.Role.SUPPLIER).filter((w) => w !== s.receiver);
      const a = eoa(ctx, choose(ctx, cmd.who, suppliers));
      const buyerEntity = BUYER_LIST[cmd.buyer % BUYER_LIST.length];
      const nh = numberHash(`INV-${cmd.num}`);
      const inv: M.InvoiceModel = {
        buyerEntity,
        amount: cmd.amount,
        issue: cmd.futureIssue ? ts + 10 : ts - DAY,
        due: ts + cmd.dueDays * DAY,
        numberHash: nh,
      };
      const input = await chainInput(ctx, inv);
      const sellerEntity = s.wallets.get(a.address) ?? ethers.ZeroHash;
      const key = keyFn(sellerEntity, buyerEntity, nh);
      if (!cmd.ack) {
        return step(
          ctx,
          `submit(${a.name}, buyer ${cmd.buyer}, INV-${cmd.num}, ${inv.amount}, due +${cmd.dueDays}d)`,
          ts,
          (d) => M.submit(d, a.address, inv, keyFn),
          (o) => R.connect(a.signer).submit(input, o),
          { key },
        );
      }
      const buyerIndex = s.entities.get(buyerEntity)?.index ?? -1;
      const signerNatural = M.walletsOf(s, buyerIndex).filter((w) => s.eoas.has(w));
      let signerActor = eoa(ctx, choose(ctx, cmd.ack.signer, signerNatural));
      if (cmd.ack.variant === "otherSigner") signerActor = eoa(ctx, ctx.actors[cmd.ack.signer % ctx.actors.length]);
      const nonce = sigNonce(s, signerActor.address, cmd.num, cmd.ack.variant);
      const deadline = cmd.ack.variant === "expired" ? ts - 1 : ts + 3600;
      // id 0 signs the submission commitment (key + currency + issue date + document), as the contract checks.
      const commitment = submissionCommitment(key, {
        currency: ctx.view.usdAddress,
        issueDate: inv.issue,
        docHash: ethers.ZeroHash,
      });
      const sig = await signAck(
        ctx,
        signerActor.signer,
        { id: 0, key, amount: inv.amount, due: inv.due, nonce, deadline },
        cmd.ack.variant,
        commitment,
      );
      return step(
        ctx,
        `submitAcknowledged(${a.name}, buyer ${cmd.buyer}, INV-${cmd.num}, ${inv.amount}, due +${cmd.dueDays}d, signer ${signerActor.name}, ${cmd.ack.variant})`,
        ts,
        (d) => M.submit(d, a.address, inv, keyFn, { sig, nonce, deadline }),
        (o) => R.connect(a.signer).submitAcknowledged(input, nonce, deadline, sig.raw, o),
        { key },
        (_p, outcome) => {
          if (outcome.ok) checkAckEvent(ctx, outcome, buyerIndex);
          else if (outcome.error === "ReceivableNonceRevoked") bump(ctx.stats.scenarios, "revoked signature refused");
        },
      );
    }
    case "acknowledge":
    case "reject":
    case "cancel": {
      const id = pickId(s, cmd.pick, (r) => r.status === Status.Submitted);
      const r = s.receivables.get(id);
      const natural = cmd.kind === "cancel" ? (r ? M.walletsOf(s, r.sellerIndex) : []) : buyerWallets(s, r);
      const a = eoa(ctx, choose(ctx, cmd.who, natural));
      const reason = ethers.encodeBytes32String("disputed");
      return step(
        ctx,
        `${cmd.kind}(${a.name}, #${id})`,
        ts,
        (d) =>
          cmd.kind === "acknowledge"
            ? M.acknowledge(d, a.address, id)
            : cmd.kind === "reject"
              ? M.reject(d, a.address, id)
              : M.cancel(d, a.address, id),
        (o) =>
          cmd.kind === "acknowledge"
            ? R.connect(a.signer).acknowledge(id, o)
            : cmd.kind === "reject"
              ? R.connect(a.signer).reject(id, reason, o)
              : R.connect(a.signer).cancel(id, o),
        {},
        (_p, outcome, prev) => {
          if (cmd.kind !== "acknowledge" || !outcome.ok) return;
          // I8: only a wallet of the named buyer acknowledges, and only a Submitted receivable.
          const before = prev.receivables.get(id);
          if (!before || before.status !== Status.Submitted)
            violated("I8", `#${id} acknowledged from ${before?.status}`);
          if (!M.walletsOf(prev, before.buyerIndex).includes(a.address)) {
            violated("I8", `#${id} acknowledged by ${a.name}, not a wallet of buyer ${before.buyerIndex}`);
          }
        },
      );
    }
    case "ackWithSig": {
      const relayer = eoa(ctx, ctx.actors[cmd.who % ctx.actors.length]);
      const id = pickId(s, cmd.pick, (r) => r.status === Status.Submitted);
      const r = s.receivables.get(id);
      let sig: SigDescriptor;
      let key = r?.key ?? ethers.ZeroHash;
      let nonce: number;
      let deadline: number;
      if (cmd.variant === "replay" && s.lastSig) {
        sig = s.lastSig;
        key = sig.key;
        nonce = sig.nonce;
        deadline = sig.deadline;
      } else {
        const variant: SigVariant = cmd.variant === "replay" || cmd.variant === "keyMismatch" ? "good" : cmd.variant;
        const natural = buyerWallets(s, r).filter((w) => s.eoas.has(w));
        let signer = eoa(ctx, choose(ctx, cmd.signer, natural));
        if (variant === "otherSigner") signer = eoa(ctx, ctx.actors[cmd.signer % ctx.actors.length]);
        if (cmd.variant === "keyMismatch") key = ethers.keccak256(ethers.toUtf8Bytes(`other key ${cmd.pick}`));
        nonce = sigNonce(s, signer.address, cmd.pick, variant);
        deadline = variant === "expired" ? ts - 1 : ts + 3600;
        sig = await signAck(
          ctx,
          signer.signer,
          { id, key, amount: r?.face ?? 1n, due: r?.due ?? 0, nonce, deadline },
          variant,
        );
      }
      const buyerIndex = r?.buyerIndex ?? -1;
      return step(
        ctx,
        `acknowledgeWithSig(relayer ${relayer.name}, #${id}, signer ${ctx.byAddress.get(sig.signer)?.name}, ${cmd.variant})`,
        ts,
        (d) => M.acknowledgeWithSig(d, id, key, nonce, deadline, sig),
        (o) => R.connect(relayer.signer).acknowledgeWithSig(id, key, nonce, deadline, sig.raw, o),
        {},
        (_p, outcome) => {
          if (outcome.ok) checkAckEvent(ctx, outcome, buyerIndex);
          else if (outcome.error === "ReceivableNonceRevoked") bump(ctx.stats.scenarios, "revoked signature refused");
        },
      );
    }
    case "transfer": {
      const id = pickId(s, cmd.pick, (r) => OPEN(r) && !ctx.state.pools.some((p) => p.address === r.holder));
      const r = s.receivables.get(id);
      const a = sender(ctx, choose(ctx, cmd.who, r ? [r.holder] : []));
      const recipients = [...holdersWith(s, M.Role.SUPPLIER | M.Role.FINANCIER), ...s.pools.map((p) => p.address)];
      const to = choose(
        ctx,
        cmd.to,
        recipients.filter((w) => w !== r?.holder),
      ).address;
      const toAddress = ctx.byAddress.get(to)?.address ?? to;
      if (a.isReceiver) {
        return step(
          ctx,
          `transfer(receiver, #${id} → ${actorOf(ctx, toAddress).name})`,
          ts,
          (d) => M.transferFrom(d, a.address, a.address, toAddress, id),
          (o) => ctx.world.receiver.connect(a.signer).transferReceivable(ctx.view.registryAddress, toAddress, id, o),
        );
      }
      const safe = cmd.safe;
      return step(
        ctx,
        `transfer(${a.name}, #${id} → ${actorOf(ctx, toAddress).name}${safe ? ", safe" : ""})`,
        ts,
        (d) => M.transferFrom(d, a.address, a.address, toAddress, id, safe),
        (o) =>
          safe
            ? R.connect(a.signer)["safeTransferFrom(address,address,uint256)"](a.address, toAddress, id, o)
            : R.connect(a.signer).transferFrom(a.address, toAddress, id, o),
      );
    }
    case "split": {
      const id = pickId(
        s,
        cmd.pick,
        (r) => r.status === Status.Acknowledged && !ctx.state.pools.some((p) => p.address === r.holder),
      );
      const r = s.receivables.get(id);
      const a = eoa(ctx, choose(ctx, cmd.who, r ? [r.holder] : []));
      const outstanding = r ? r.face - r.paid : 1000n;
      const total = BigInt(cmd.weights.reduce((x, y) => x + y, 0));
      const amounts = cmd.weights.map((w) => (outstanding * BigInt(w)) / total);
      amounts[amounts.length - 1] += outstanding - amounts.reduce((x, y) => x + y, 0n) + BigInt(cmd.delta);
      if (amounts[amounts.length - 1] < 0n) amounts[amounts.length - 1] = 0n;
      return step(
        ctx,
        `split(${a.name}, #${id}, [${amounts.join(", ")}])`,
        ts,
        (d) => M.split(d, a.address, id, amounts),
        (o) => R.connect(a.signer).split(id, amounts, o),
        { splitParent: id },
      );
    }
    case "pay": {
      const poolHeld = (r: M.Rec) => OPEN(r) && s.pools.some((q) => q.address === r.holder);
      const id = pickId(
        s,
        cmd.pick,
        cmd.frac % 3 === 0 && [...s.receivables.values()].some(poolHeld) ? poolHeld : OPEN,
      );
      const r = s.receivables.get(id);
      const payer = eoa(ctx, choose(ctx, cmd.who, buyerWallets(s, r)));
      const outstanding = r ? r.face - r.paid : 0n;
      const amount =
        cmd.mode === "zero"
          ? 0n
          : cmd.mode === "full"
            ? outstanding
            : cmd.mode === "over"
              ? outstanding + 1n + BigInt(cmd.frac) * UNIT
              : (outstanding * BigInt(cmd.frac)) / 100n;
      if (r && OPEN(r)) {
        if (s.paused) bump(ctx.stats.scenarios, "pay while paused");
        if (r.frozen) bump(ctx.stats.scenarios, "pay while frozen");
        if (r.holder === s.receiver) bump(ctx.stats.scenarios, "pay to reverting holder");
        if (s.pools.some((p) => p.address === r.holder)) bump(ctx.stats.scenarios, "pay to pool");
        if (r.status === Status.Defaulted) bump(ctx.stats.scenarios, "pay after default");
        const w = M.walletStatus(s, r.holder);
        if (!w.active) bump(ctx.stats.scenarios, "pay to suspended holder");
      }
      return step(
        ctx,
        `pay(${payer.name}, #${id}, ${amount}, ${cmd.mode})`,
        ts,
        (d) => M.pay(d, payer.address, id, amount),
        (o) => R.connect(payer.signer).pay(id, amount, o),
        {},
        (_p, outcome) => {
          // I9: nothing but the receivable's own state (unknown, closed, nothing to take) may block a payment by
          // a wallet of its buyer entity (suspended or not); anyone else is refused (ReceivableNotBuyerPayer).
          const byBuyer = !!r && M.walletStatus(s, payer.address).index === r.buyerIndex;
          if (r && !byBuyer && !outcome.ok) bump(ctx.stats.scenarios, "pay by non-buyer refused");
          if (!outcome.ok && r && OPEN(r) && amount > 0n && byBuyer) {
            violated(
              "I9",
              `payment of ${amount} on open #${id} refused with ${outcome.error} (paused ${s.paused}, frozen ${r.frozen})`,
            );
          }
        },
      );
    }
    case "revokeNonces": {
      const buyers = [...s.entities.values()]
        .filter((e) => (e.roles & M.Role.BUYER) !== 0)
        .flatMap((e) => M.walletsOf(s, e.index));
      const a = eoa(ctx, choose(ctx, cmd.who, buyers));
      return step(
        ctx,
        `revokeAcknowledgementNonces(${a.name}, word ${cmd.wordPos}, mask 0x${cmd.mask.toString(16)})`,
        ts,
        (d) => M.revokeNonces(d, a.address, cmd.wordPos, cmd.mask),
        (o) => R.connect(a.signer).revokeAcknowledgementNonces(cmd.wordPos, cmd.mask, o),
        {},
      );
    }
    case "withdraw": {
      const credited = [...s.claimable.entries()].filter(([h, v]) => v > 0n && ctx.byAddress.has(h)).map(([h]) => h);
      const a = sender(ctx, choose(ctx, cmd.who, credited));
      const to = a.signer.address;
      const before = await ctx.world.usd.balanceOf(to);
      const tx = (o: { gasLimit: number }) =>
        a.isReceiver
          ? ctx.world.receiver.connect(a.signer).withdraw(ctx.view.registryAddress, ctx.view.usdAddress, to, o)
          : R.connect(a.signer).withdraw(ctx.view.usdAddress, to, o);
      return step(
        ctx,
        `withdraw(${a.name})`,
        ts,
        (d) => M.withdraw(d, a.address),
        tx,
        {},
        async (predicted, outcome) => {
          if (!outcome.ok || predicted === undefined) return;
          const got = (await ctx.world.usd.balanceOf(to)) - before;
          if (got !== predicted) violated("I1", `withdraw by ${a.name} delivered ${got}, credited ${predicted}`);
        },
      );
    }
    case "markDefaulted": {
      const id = pickId(s, cmd.pick, (r) => r.status === Status.Acknowledged || r.status === Status.PartiallyPaid);
      const r = s.receivables.get(id);
      const a = eoa(ctx, choose(ctx, cmd.who, r ? [r.holder] : []));
      const at = jump(s, r, cmd.timing);
      return step(
        ctx,
        `markDefaulted(${a.name}, #${id}, ${cmd.timing}, t+${at - s.now}s)`,
        at,
        (d) => M.markDefaulted(d, a.address, id),
        (o) => R.connect(a.signer).markDefaulted(id, o),
      );
    }
    case "warp": {
      const target = s.now + cmd.seconds;
      await time.increaseTo(target);
      ctx.state = { ...s, now: target };
      ctx.log.push(`warp(+${cmd.seconds}s)`);
      return;
    }
    case "freeze":
    case "unfreeze": {
      // Mostly the move that makes sense (unfreeze when something is frozen), sometimes the one drawn.
      const anyFrozen = [...s.receivables.values()].some((r) => r.frozen);
      const kind = cmd.pick % 5 === 0 ? cmd.kind : anyFrozen && cmd.pick % 2 === 0 ? "unfreeze" : "freeze";
      const id = pickId(s, cmd.pick, (r) => (kind === "freeze" ? !r.frozen && OPEN(r) : r.frozen));
      const a = eoa(ctx, choose(ctx, cmd.who, holdersWith(s, M.Role.REGULATOR)));
      const reason = ethers.encodeBytes32String("AML");
      return step(
        ctx,
        `${kind}(${a.name}, #${id})`,
        ts,
        (d) => (kind === "freeze" ? M.freeze(d, a.address, id) : M.unfreeze(d, a.address, id)),
        (o) => (kind === "freeze" ? R.connect(a.signer).freeze(id, reason, o) : R.connect(a.signer).unfreeze(id, o)),
      );
    }
    case "pause":
    case "unpause": {
      const kind = cmd.who % 5 === 0 ? cmd.kind : s.paused ? "unpause" : "pause";
      const a = eoa(ctx, choose(ctx, cmd.who, kind === "pause" ? [...s.pausers] : [...s.admins]));
      return step(
        ctx,
        `${kind}(${a.name})`,
        ts,
        (d) => (kind === "pause" ? M.pause(d, a.address) : M.unpause(d, a.address)),
        (o) => (kind === "pause" ? R.connect(a.signer).pause(o) : R.connect(a.signer).unpause(o)),
      );
    }
    case "setRating": {
      const a = eoa(ctx, choose(ctx, cmd.who, [...s.ratingAgents]));
      const buyer = BUYER_LIST[cmd.buyer % BUYER_LIST.length];
      const validUntil = ts + cmd.validDays * DAY;
      return step(
        ctx,
        `setRating(${a.name}, buyer ${cmd.buyer}, ${cmd.pd} bps, +${cmd.validDays}d)`,
        ts,
        (d) => M.setRating(d, a.address, buyer, cmd.pd, validUntil),
        (o) => ctx.world.riskEngine.connect(a.signer).setRating(buyer, cmd.pd, validUntil, o),
      );
    }
    case "finance": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const id = pickId(
        s,
        cmd.pick,
        (r) => r.status === Status.Acknowledged && r.paid === 0n && !s.pools.some((q) => q.address === r.holder),
      );
      const r = s.receivables.get(id);
      const a = eoa(ctx, choose(ctx, cmd.who, r ? [r.holder] : []));
      const preview = M.attempt(s, (d) => {
        d.now = ts;
        return M.previewNet(d, d.pools[cmd.pool], id, a.address);
      });
      const net = preview.ok ? preview.result : 0n;
      const feePreview = M.attempt(s, (d) => {
        d.now = ts;
        return M.previewFee(d, d.pools[cmd.pool], id, a.address);
      });
      const feeNow = feePreview.ok ? feePreview.result : 0n;
      const maxFee =
        cmd.fee === "any" ? ethers.MaxUint256 : cmd.fee === "exact" ? feeNow : feeNow === 0n ? 0n : feeNow - 1n;
      const minNet =
        cmd.min === "zero"
          ? 0n
          : cmd.min === "exact"
            ? net
            : cmd.min === "plus1"
              ? net + 1n
              : (s.quotes.get(`${cmd.pool}:${id}`) ?? 0n);
      const deadline =
        cmd.deadline === "future"
          ? BigInt(ts + 7 * DAY)
          : cmd.deadline === "now"
            ? BigInt(ts)
            : cmd.deadline === "past"
              ? BigInt(ts - 1)
              : 2n ** 64n + 5n;
      return step(
        ctx,
        `finance(${a.name}, pool ${p.name}, #${id}, min ${minNet} (${cmd.min}), max fee ${cmd.fee}, deadline ${cmd.deadline})`,
        ts,
        (d) => M.finance(d, d.pools[cmd.pool], a.address, id, minNet, maxFee, deadline),
        (o) => c.connect(a.signer).finance(id, minNet, maxFee, deadline, o),
        { poolId: id },
        (executed, outcome) => {
          if (outcome.ok) bump(ctx.stats.scenarios, executed ? "financed at once" : "financing requested");
        },
      );
    }
    case "approveRequest":
    case "rejectRequest":
    case "expireRequest":
    case "collect":
    case "exerciseRecourse":
    case "writeOff": {
      const wanted: Record<string, (p: PoolState, r: M.Rec) => boolean> = {
        approveRequest: (p, r) => p.financings.get(r.id)?.status === FStatus.Requested,
        rejectRequest: (p, r) => p.financings.get(r.id)?.status === FStatus.Requested,
        expireRequest: (p, r) => p.financings.get(r.id)?.status === FStatus.Requested,
        collect: (p, r) => {
          const f = p.financings.get(r.id);
          return !!f && (f.status === FStatus.Active || f.status === FStatus.WrittenOff) && r.paid > f.collected;
        },
        exerciseRecourse: (p, r) => p.financings.get(r.id)?.status === FStatus.WrittenOff,
        writeOff: (p, r) => p.financings.get(r.id)?.status === FStatus.Active,
      };
      // Mostly the pool that has a candidate, so that deep states are reached; sometimes the one named.
      const other = 1 - cmd.pool;
      const hasCandidate = (i: number) => [...s.receivables.values()].some((r) => wanted[cmd.kind](s.pools[i], r));
      let poolIndex = cmd.pick % 4 !== 0 && !hasCandidate(cmd.pool) && hasCandidate(other) ? other : cmd.pool;
      // Write-offs lean to pool B, whose recourse policy lets the supplier buy back afterwards.
      if (cmd.kind === "writeOff" && cmd.pick % 3 !== 0 && hasCandidate(1)) poolIndex = 1;
      const { p, c } = poolOf(ctx, poolIndex);
      const id = pickId(s, cmd.pick, (r) => wanted[cmd.kind](p, r));
      const f = p.financings.get(id);
      const natural =
        cmd.kind === "exerciseRecourse"
          ? f
            ? [f.supplier]
            : []
          : cmd.kind === "collect" || cmd.kind === "expireRequest"
            ? []
            : [p.manager];
      const a = eoa(ctx, choose(ctx, cmd.who, natural));
      const at = cmd.kind === "writeOff" ? jump(s, s.receivables.get(id), cmd.timing) : ts;
      const reason = ethers.encodeBytes32String("no");
      const ops: Record<
        string,
        [(d: State) => unknown, (o: { gasLimit: number }) => Promise<ContractTransactionResponse>]
      > = {
        approveRequest: [
          (d) => M.approveRequest(d, d.pools[poolIndex], a.address, id),
          (o) => c.connect(a.signer).approveRequest(id, o),
        ],
        rejectRequest: [
          (d) => M.rejectRequest(d, d.pools[poolIndex], a.address, id),
          (o) => c.connect(a.signer).rejectRequest(id, reason, o),
        ],
        expireRequest: [
          (d) => M.expireRequest(d, d.pools[poolIndex], id),
          (o) => c.connect(a.signer).expireRequest(id, o),
        ],
        collect: [(d) => M.collect(d, d.pools[poolIndex], id), (o) => c.connect(a.signer).collect(id, o)],
        exerciseRecourse: [
          (d) => M.exerciseRecourse(d, d.pools[poolIndex], a.address, id),
          (o) => c.connect(a.signer).exerciseRecourse(id, o),
        ],
        writeOff: [(d) => M.writeOff(d, d.pools[poolIndex], a.address, id), (o) => c.connect(a.signer).writeOff(id, o)],
      };
      const [op, tx] = ops[cmd.kind];
      return step(
        ctx,
        `${cmd.kind}(${a.name}, pool ${p.name}, #${id}${at !== ts ? `, t+${at - s.now}s` : ""})`,
        at,
        op,
        tx,
        { poolId: id },
      );
    }
    case "withdrawReserve": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const a = eoa(ctx, choose(ctx, cmd.who, [...p.reserves.keys()]));
      return step(
        ctx,
        `withdrawReserve(${a.name}, pool ${p.name})`,
        ts,
        (d) => M.withdrawReserve(d, d.pools[cmd.pool], a.address),
        (o) => c.connect(a.signer).withdrawReserve(a.signer.address, o),
      );
    }
    case "deposit":
    case "withdrawLiquidity": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const a = eoa(ctx, choose(ctx, cmd.who, [p.manager]));
      const free = p.liquidity - p.committed;
      const amt = cmd.kind === "deposit" ? cmd.amount : (free * BigInt(cmd.frac)) / 100n;
      return step(
        ctx,
        `${cmd.kind}(${a.name}, pool ${p.name}, ${amt})`,
        ts,
        (d) =>
          cmd.kind === "deposit"
            ? M.deposit(d.pools[cmd.pool], a.address, amt)
            : M.withdrawLiquidity(d.pools[cmd.pool], a.address, amt),
        (o) =>
          cmd.kind === "deposit"
            ? c.connect(a.signer).deposit(amt, o)
            : c.connect(a.signer).withdrawLiquidity(amt, a.signer.address, o),
      );
    }
    case "setPolicy": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const a = eoa(ctx, choose(ctx, cmd.who, [p.manager]));
      const policy = policyVariant(ctx.basePolicies[cmd.pool], p.policy, cmd.variant);
      return step(
        ctx,
        `setPolicy(${a.name}, pool ${p.name}, variant ${cmd.variant})`,
        ts,
        (d) => M.setPolicy(d.pools[cmd.pool], a.address, policy),
        (o) => c.connect(a.signer).setPolicy(policy, o),
      );
    }
    case "setSupplierAutoCap": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const a = eoa(ctx, choose(ctx, cmd.who, [p.manager]));
      const period = cmd.periodDays * DAY;
      return step(
        ctx,
        `setSupplierAutoCap(${a.name}, pool ${p.name}, cap ${cmd.cap}, ${cmd.periodDays} days)`,
        ts,
        (d) => M.setSupplierAutoCap(d.pools[cmd.pool], a.address, cmd.cap, BigInt(period)),
        (o) => c.connect(a.signer).setSupplierAutoCap(cmd.cap, period, o),
      );
    }
    case "quote": {
      const { p, c } = poolOf(ctx, cmd.pool);
      const id = pickId(s, cmd.pick, (r) => r.status === Status.Acknowledged);
      const predicted = M.attempt(s, (d) => M.quote(d, d.pools[cmd.pool], id));
      let chain: Awaited<ReturnType<FinancingPool["quote"]>> | null = null;
      let chainError = "";
      try {
        chain = await c.quote(id);
      } catch (e) {
        chainError = errorName(ctx.iface, e);
      }
      ctx.log.push(`quote(pool ${p.name}, #${id}) → ${chain ? `net ${chain.netAdvance}` : `revert ${chainError}`}`);
      if (!predicted.ok || !chain) {
        const m = predicted.ok ? "success" : predicted.error;
        const k = chain ? "success" : chainError;
        if (m !== k) violated("I11", `quote(#${id}) model ${m}, chain ${k}`);
        return;
      }
      const q = predicted.result;
      const pairs: [string, unknown, unknown][] = [
        ["advance", chain.advance, q.advance],
        ["fee", chain.fee, q.fee],
        ["netAdvance", chain.netAdvance, q.netAdvance],
        ["reserve", chain.reserve, q.reserve],
        ["needsApproval", chain.needsApproval, q.needsApproval],
        ["validUntil", chain.validUntil, q.validUntil],
        ["grade", chain.assessment.grade, q.assessment.grade],
        ["reasonCodes", chain.assessment.reasonCodes, q.assessment.reasonCodes],
        ["eligible", chain.assessment.eligible, q.assessment.eligible],
      ];
      for (const [name, x, y] of pairs)
        if (String(x) !== String(y)) violated("I11", `quote(#${id}).${name}: chain ${x}, model ${y}`);
      ctx.state = { ...s, quotes: new Map(s.quotes).set(`${cmd.pool}:${id}`, q.netAdvance) };
      return;
    }
  }
}

/** The timestamp for a default-sensitive command: just at, or just after, dueDate + grace when asked. */
function jump(s: State, r: M.Rec | undefined, t: Timing): number {
  const next = s.now + 1;
  if (!r || t === "none") return next;
  const target = r.due + s.grace + (t === "after" ? 1 : 0);
  return target > next && target - s.now <= 420 * DAY ? target : next;
}

/** I8 on a successful acknowledgement: the event names a wallet of the receivable's buyer entity. */
function checkAckEvent(ctx: Ctx, outcome: Outcome, buyerIndex: number) {
  if (!outcome.ok || !outcome.receipt) return;
  for (const log of outcome.receipt.logs) {
    const parsed = ctx.world.receivables.interface.parseLog(log);
    if (parsed?.name !== "ReceivableAcknowledged") continue;
    const wallet = String(parsed.args.buyerWallet).toLowerCase();
    if (!M.walletsOf(ctx.state, buyerIndex).includes(wallet)) {
      violated("I8", `receivable ${parsed.args.id} acknowledged by ${wallet}, not a wallet of buyer ${buyerIndex}`);
    }
  }
}

export { fmt };

/**
 * A fixed opening every sequence starts from, so that random commands meet receivables at once: B1 rated,
 * three acknowledged invoices (S1 → B1, S1 → B2, S2 → B1) and one left Submitted (S1 → B2); #1 financed by
 * pool B (recourse), #3 by pool A, and #2 waiting for pool A's manager (above its auto-approval limit).
 */
export async function prologue(ctx: Ctx): Promise<void> {
  const named = (n: string) => ctx.actors.find((a) => a.name === n)!;
  const R = ctx.world.receivables;
  const rate = async (buyer: string, pd: bigint) => {
    const a = named("ratingAgent");
    const ts = ctx.state.now + 1;
    const until = ts + 365 * DAY;
    await step(
      ctx,
      `setRating(ratingAgent, ${pd})`,
      ts,
      (d) => M.setRating(d, a.address, buyer, pd, until),
      (o) => ctx.world.riskEngine.connect(a.signer).setRating(buyer, pd, until, o),
    );
  };
  const invoice = async (seller: string, buyer: string, num: number, units: bigint, days: number, ackBy?: string) => {
    const a = named(seller);
    const ts = ctx.state.now + 1;
    const nh = numberHash(`INV-${num}`);
    const inv: M.InvoiceModel = {
      buyerEntity: buyer,
      amount: units * UNIT,
      issue: ts - DAY,
      due: ts + days * DAY,
      numberHash: nh,
    };
    const input = await chainInput(ctx, inv);
    await step(
      ctx,
      `submit(${seller}, INV-${num})`,
      ts,
      (d) => M.submit(d, a.address, inv, keyFn),
      (o) => R.connect(a.signer).submit(input, o),
    );
    if (!ackBy) return;
    const b = named(ackBy);
    const id = ctx.state.lastId;
    await step(
      ctx,
      `acknowledge(${ackBy}, #${id})`,
      ctx.state.now + 1,
      (d) => M.acknowledge(d, b.address, id),
      (o) => R.connect(b.signer).acknowledge(id, o),
    );
  };
  await rate(WORLD_ENTITIES.B1, 150n);
  await invoice("supplier", WORLD_ENTITIES.B1, 100, 50_000n, 90, "buyer");
  await invoice("supplier2", WORLD_ENTITIES.B2, 101, 160_000n, 120, "buyerB");
  await invoice("tier2", WORLD_ENTITIES.B1, 102, 8_000n, 45, "buyer2");
  await invoice("supplier", WORLD_ENTITIES.B2, 103, 30_000n, 60);
  const finance = async (holder: string, poolIndex: number, id: number) => {
    const a = named(holder);
    const ts = ctx.state.now + 1;
    const deadline = BigInt(ts + 30 * DAY);
    await step(
      ctx,
      `finance(${holder}, pool ${ctx.state.pools[poolIndex].name}, #${id})`,
      ts,
      (d) => M.finance(d, d.pools[poolIndex], a.address, id, 0n, ethers.MaxUint256, deadline),
      (o) => ctx.view.pools[poolIndex].connect(a.signer).finance(id, 0n, ethers.MaxUint256, deadline, o),
      { poolId: id },
    );
  };
  await finance("supplier", 1, 1);
  await finance("tier2", 0, 3);
  await finance("supplier2", 0, 2); // above pool A's auto-approval limit: a pending request
  // An acknowledged receivable held by the contract wallet whose payouts revert, so that every sequence can
  // reach "pay to reverting holder" (I9 says nothing may block that payment) instead of leaving it to luck.
  await invoice("supplier", WORLD_ENTITIES.B1, 104, 12_000n, 75, "buyer");
  const id = ctx.state.lastId;
  const from = named("supplier");
  const receiver = ctx.byAddress.get(ctx.state.receiver)?.address ?? ctx.state.receiver;
  await step(
    ctx,
    `transfer(supplier, #${id} → receiver)`,
    ctx.state.now + 1,
    (d) => M.transferFrom(d, from.address, from.address, receiver, id),
    (o) => R.connect(from.signer).transferFrom(from.address, receiver, id, o),
  );
  ctx.log.push("— end of prologue —");
}
