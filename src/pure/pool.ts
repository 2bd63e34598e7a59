/**
 * Reference model of a FinancingPool's money (contracts/FinancingPool.sol, spec in
 * contracts/interfaces/IFinancingPool.sol), in bigint base units with the contract's rounding:
 *
 * - terms from an assessment: advance A = maxAdvance (outstanding × advance rate, floored by the risk engine),
 *   fee F = floor(A × discountBps / 10 000), net N = A − F paid to the supplier, reserve R = outstanding − A;
 * - the supplier's bounds: `finance` reverts when N < minNetAdvance or F > maxFee; a request records A and F,
 *   and approval pays that A for min(F, floor(A × discountBps at approval / 10 000)) (approvalTerms);
 * - approval rules: financing waits for the manager when the advance plus what the pool already advanced on
 *   the same original invoice exceeds the auto-approval limit, or when a supplier cap is set and the
 *   supplier entity's auto-approved advances in the current window would exceed it (needsApproval);
 * - collection waterfall: each new payment goes to the pool until it has received A (principal N first, then
 *   the fee F), the rest to the supplier's reserve;
 * - write-off: the principal not yet repaid becomes a loss; later recoveries of principal reduce the loss;
 * - recourse: the supplier buys a defaulted receivable back for A − min(collected, A);
 * - accounting identity: liquidity + outstandingAdvances = deposits − withdrawals + feesEarned − losses.
 */
import { BPS, FinancingStatus, type FinancingStatusValue } from "./constants";
import { TradeFinError } from "./tradeFinError";

// Defined in ./constants; re-exported for the pool model's callers.
export { FinancingStatus };
export type { FinancingStatusValue };

/** The parts of an assessment the pool turns into money. */
export interface PricedAssessment {
  grade: number | bigint;
  maxAdvance: bigint;
  discountBps: bigint;
}

/** Money terms of one financing (or of a quote). */
export interface Terms {
  grade: number;
  advance: bigint;
  fee: bigint;
  net: bigint;
  reserve: bigint;
}

/** How one payment was applied: to principal, to the fee, and to the supplier's reserve. */
export interface Collection {
  amount: bigint;
  principal: bigint;
  fee: bigint;
  reserve: bigint;
  repaid: boolean;
}

/** The model's record of one financing, as IFinancingPool.Financing. */
export interface ModelFinancing {
  supplier: string;
  buyer: string;
  status: FinancingStatusValue;
  grade: number;
  recourse: boolean;
  advance: bigint;
  fee: bigint;
  faceAmount: bigint;
  collected: bigint;
}

/** The pool's accounting views, as the contract reports them. */
export interface PoolViews {
  liquidity: bigint;
  committed: bigint;
  outstandingAdvances: bigint;
  feesEarned: bigint;
  losses: bigint;
  totalDeposits: bigint;
  totalWithdrawals: bigint;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Thrown when an operation is applied to the model in a state where the contract would revert. */
export class PoolModelError extends TradeFinError {
  override name = "PoolModelError";
}

/** Terms of financing a receivable with `outstanding` unpaid, from the risk engine's assessment. */
export function termsFromAssessment(a: PricedAssessment, outstanding: bigint): Terms {
  const advance = a.maxAdvance;
  const fee = (advance * a.discountBps) / BPS;
  return {
    grade: Number(a.grade),
    advance,
    fee,
    net: advance - fee,
    reserve: advance === 0n ? 0n : outstanding - advance,
  };
}

/** The terms a pending request recorded (IFinancingPool.Request). */
export interface RecordedTerms {
  advance: bigint;
  fee: bigint;
}

/**
 * What approveRequest pays on a request that recorded `recorded`, when the discount at approval is
 * `discountBps` and the receivable's outstanding amount is `outstanding`: the recorded advance, and the lower of
 * the recorded fee and the fee at approval on that advance. Net and reserve are never below the recorded ones.
 */
export function approvalTerms(
  recorded: RecordedTerms,
  a: Pick<PricedAssessment, "grade" | "discountBps">,
  outstanding: bigint,
): Terms {
  const advance = recorded.advance;
  const now = (advance * a.discountBps) / BPS;
  const fee = now < recorded.fee ? now : recorded.fee;
  return { grade: Number(a.grade), advance, fee, net: advance - fee, reserve: outstanding - advance };
}

/** The start of the window `nowSeconds` falls in, for a supplier cap with windows of `period` seconds. */
export function capWindowStart(nowSeconds: bigint, period: bigint): bigint {
  return nowSeconds - (nowSeconds % period);
}

/** The approval rules' state for one financing (zero / undefined where a rule does not apply). */
export interface ApprovalContext {
  /** The policy's auto-approval limit. */
  autoApprovalLimit: bigint;
  /** What the pool already advanced on the same original invoice (0 for an unsplit invoice). */
  advancedOnRoot?: bigint;
  /** The per-supplier cap (0: off). */
  supplierCap?: bigint;
  /** What the supplier entity was auto-approved in the current window. */
  supplierUsed?: bigint;
}

/**
 * True when a financing of `advance` waits for the manager: the advance plus what was advanced on the same root
 * is above the auto-approval limit, or a supplier cap is set and the window's auto-approved advances would
 * exceed it. A bare bigint is the auto-approval limit (no root, no cap).
 */
export function needsApproval(advance: bigint, ctx: ApprovalContext | bigint): boolean {
  const c = typeof ctx === "bigint" ? { autoApprovalLimit: ctx } : ctx;
  if ((c.advancedOnRoot ?? 0n) + advance > c.autoApprovalLimit) return true;
  const cap = c.supplierCap ?? 0n;
  return cap !== 0n && (c.supplierUsed ?? 0n) + advance > cap;
}

/** Principal (net advance) not yet repaid, given what was collected so far. */
export function principalLeft(f: Pick<ModelFinancing, "advance" | "fee" | "collected">): bigint {
  const net = f.advance - f.fee;
  const received = min(f.collected, f.advance);
  return received >= net ? 0n : net - received;
}

/** Splits `amount` newly paid on a financing into principal, fee and reserve (the waterfall). */
export function waterfall(f: Pick<ModelFinancing, "advance" | "fee" | "collected">, amount: bigint): Collection {
  const owed = f.advance - min(f.collected, f.advance);
  const toPool = min(amount, owed);
  const principal = min(toPool, principalLeft(f));
  return { amount, principal, fee: toPool - principal, reserve: amount - toPool, repaid: false };
}

/** What the supplier pays to buy a defaulted receivable back: advance − what the pool already received. */
export function recoursePrice(f: Pick<ModelFinancing, "advance" | "collected">): bigint {
  return f.advance - min(f.collected, f.advance);
}

/** Left and right side of the accounting identity. */
export function identitySides(v: PoolViews): { lhs: bigint; rhs: bigint } {
  return {
    lhs: v.liquidity + v.outstandingAdvances,
    rhs: v.totalDeposits - v.totalWithdrawals + v.feesEarned - v.losses,
  };
}

/**
 * One pool's money, step by step. Every method mirrors a contract call that succeeded; `paidTotal` arguments
 * are the receivable's `paidAmount` in the registry at the time of the call.
 */
export class PoolModel {
  liquidity = 0n;
  committed = 0n;
  outstandingAdvances = 0n;
  feesEarned = 0n;
  losses = 0n;
  totalDeposits = 0n;
  totalWithdrawals = 0n;
  /** Tokens the pool should hold, when every buyer payment was collected. */
  balance = 0n;
  readonly financings = new Map<bigint, ModelFinancing>();
  /** Net advance reserved per pending request. */
  readonly requests = new Map<bigint, bigint>();
  /** Outstanding principal per buyer entity id. */
  readonly buyerExposure = new Map<string, bigint>();
  /** Released reserves per supplier address. */
  readonly reserves = new Map<string, bigint>();

  constructor(private recoursePolicy = false) {}

  /** The accounting views, as the contract names them. */
  views(): PoolViews {
    return {
      liquidity: this.liquidity,
      committed: this.committed,
      outstandingAdvances: this.outstandingAdvances,
      feesEarned: this.feesEarned,
      losses: this.losses,
      totalDeposits: this.totalDeposits,
      totalWithdrawals: this.totalWithdrawals,
    };
  }

  /** Sum of the reserves released to suppliers and not yet withdrawn. */
  reservesOwed(): bigint {
    let sum = 0n;
    for (const r of this.reserves.values()) sum += r;
    return sum;
  }

  exposureOf(buyer: string): bigint {
    return this.buyerExposure.get(buyer) ?? 0n;
  }

  reserveOf(supplier: string): bigint {
    return this.reserves.get(supplier) ?? 0n;
  }

  /** The policy's recourse flag, copied into each new financing. */
  setRecourse(recourse: boolean): void {
    this.recoursePolicy = recourse;
  }

  deposit(amount: bigint): void {
    this.liquidity += amount;
    this.totalDeposits += amount;
    this.balance += amount;
  }

  withdrawLiquidity(amount: bigint): void {
    const free = this.liquidity - this.committed;
    if (amount > free) throw new PoolModelError(`withdrawal ${amount} above free liquidity ${free}`);
    this.liquidity -= amount;
    this.totalWithdrawals += amount;
    this.balance -= amount;
  }

  /** A request beyond the auto-approval rules: reserves the net advance of the recorded terms. */
  request(id: bigint, terms: Terms): void {
    this.requests.set(id, terms.net);
    this.committed += terms.net;
  }

  /** The manager rejected (or approval released) a request. */
  releaseRequest(id: bigint): void {
    this.committed -= this.requests.get(id) ?? 0n;
    this.requests.delete(id);
  }

  /** A financing executed (at once or on approval) with `terms` on a receivable of `faceAmount`. */
  finance(id: bigint, supplier: string, buyer: string, faceAmount: bigint, terms: Terms): void {
    this.releaseRequest(id);
    const free = this.liquidity - this.committed;
    if (terms.net > free) throw new PoolModelError(`net advance ${terms.net} above free liquidity ${free}`);
    this.financings.set(id, {
      supplier,
      buyer,
      status: FinancingStatus.Active,
      grade: terms.grade,
      recourse: this.recoursePolicy,
      advance: terms.advance,
      fee: terms.fee,
      faceAmount,
      collected: 0n,
    });
    this.liquidity -= terms.net;
    this.outstandingAdvances += terms.net;
    this.buyerExposure.set(buyer, this.exposureOf(buyer) + terms.net);
    this.balance -= terms.net;
  }

  private get(id: bigint): ModelFinancing {
    const f = this.financings.get(id);
    if (f === undefined) throw new PoolModelError(`receivable ${id} was not financed`);
    return f;
  }

  private reduceAtRisk(f: ModelFinancing, principal: bigint): void {
    if (f.status === FinancingStatus.WrittenOff) {
      this.losses -= principal;
    } else {
      this.outstandingAdvances -= principal;
      this.buyerExposure.set(f.buyer, this.exposureOf(f.buyer) - principal);
    }
  }

  /** Applies a new payment of `amount` (waterfall), as FinancingPool._apply. */
  private apply(f: ModelFinancing, amount: bigint): Collection {
    const c = waterfall(f, amount);
    f.collected += amount;
    this.reduceAtRisk(f, c.principal);
    this.feesEarned += c.fee;
    this.liquidity += c.principal + c.fee;
    if (c.reserve !== 0n) this.reserves.set(f.supplier, this.reserveOf(f.supplier) + c.reserve);
    this.balance += amount;
    if (f.collected === f.faceAmount) {
      f.status = FinancingStatus.Repaid;
      c.repaid = true;
    }
    return c;
  }

  /** Collects what the buyer paid since the last collection. */
  collect(id: bigint, paidTotal: bigint): Collection {
    const f = this.get(id);
    if (f.status !== FinancingStatus.Active && f.status !== FinancingStatus.WrittenOff)
      throw new PoolModelError(`receivable ${id} is not collectable (status ${f.status})`);
    if (paidTotal <= f.collected) throw new PoolModelError(`nothing to collect on ${id}`);
    return this.apply(f, paidTotal - f.collected);
  }

  /** Writes off the principal left after applying what was paid; returns the collection (if any) and the loss. */
  writeOff(id: bigint, paidTotal: bigint): { collection?: Collection; loss: bigint } {
    const f = this.get(id);
    if (f.status !== FinancingStatus.Active) throw new PoolModelError(`receivable ${id} is not active`);
    const collection = paidTotal > f.collected ? this.apply(f, paidTotal - f.collected) : undefined;
    const loss = principalLeft(f);
    this.outstandingAdvances -= loss;
    this.buyerExposure.set(f.buyer, this.exposureOf(f.buyer) - loss);
    this.losses += loss;
    f.status = FinancingStatus.WrittenOff;
    return { collection, loss };
  }

  /** The supplier buys the receivable back; returns the collection (if any) and the price it paid. */
  exerciseRecourse(id: bigint, paidTotal: bigint): { collection?: Collection; price: bigint } {
    const f = this.get(id);
    if (!f.recourse) throw new PoolModelError(`receivable ${id} was financed without recourse`);
    const collection = paidTotal > f.collected ? this.apply(f, paidTotal - f.collected) : undefined;
    const price = recoursePrice(f);
    const principal = min(price, principalLeft(f));
    this.reduceAtRisk(f, principal);
    this.feesEarned += price - principal;
    this.liquidity += price;
    this.balance += price;
    f.status = FinancingStatus.BoughtBack;
    return { collection, price };
  }

  /** The supplier withdraws its released reserve; returns the amount. */
  withdrawReserve(supplier: string): bigint {
    const amount = this.reserveOf(supplier);
    if (amount === 0n) throw new PoolModelError(`nothing to withdraw for ${supplier}`);
    this.reserves.delete(supplier);
    this.balance -= amount;
    return amount;
  }
}
