/**
 * A bank's financing pool on chain: binding a new pool to its bank's entity, liquidity, financing a receivable (with
 * the holder check, the fee bound priced off-chain and the approval it needs), collection of the buyer's payments,
 * write-off and recourse.
 *
 * Hardhat-free: typed contracts bound to the acting signer. Refusals before anything is sent are
 * PreconditionErrors whose message is the whole sentence.
 */
import { ZeroHash, type ContractTransactionReceipt } from "ethers";
import type { FinancingPool, ParticipantRegistry, ReceivableLens, ReceivableRegistry } from "../../typechain-types";
import { FINANCING_STATUS_NAMES } from "../pure/constants";
import { recoursePrice, termsFromAssessment } from "../pure/pool";
import { PreconditionError, confirm, ensureTokenAllowance, requiredEvent, type AllowanceToken } from "./tx";

/** The entity of `wallet`, or undefined when the wallet is bound to none. */
export async function entityOfWallet(participants: ParticipantRegistry, wallet: string): Promise<string | undefined> {
  const id = await participants.entityOf(wallet);
  return id === ZeroHash ? undefined : id;
}

/**
 * Binds a new pool as a pull-only wallet of its bank's FINANCIER entity when it is not bound yet and the registry's
 * signer holds ONBOARDER_ROLE (pull-only in the same transaction: a pool takes receivables only through finance,
 * and a plain transfer to it would strand them).
 *
 * @returns whether the pool is bound now (false: an onboarder must bind it).
 * @throws PreconditionError when the pool is bound to another entity than `bankEntity`.
 */
export async function bindPoolToBank(
  participants: ParticipantRegistry,
  pool: string,
  bankEntity: string | undefined,
  signer: string,
): Promise<boolean> {
  const boundTo = await participants.entityOf(pool);
  if (boundTo !== ZeroHash) {
    if (bankEntity && boundTo.toLowerCase() !== bankEntity.toLowerCase()) {
      throw new PreconditionError(`pool ${pool} is already bound to entity ${boundTo}, not to the bank ${bankEntity}`);
    }
    return true;
  }
  if (!bankEntity) return false;
  if (!(await participants.hasRole(await participants.ONBOARDER_ROLE(), signer))) return false;
  await confirm(participants.addWallet(bankEntity, pool, true));
  return true;
}

/**
 * Refuses, before any approval or transaction, a `wallet` that does not hold receivable `id`, saying also when the
 * wallet is not registered to any participant at all. `describeWallet` names the holder in the sentence.
 */
export async function assertHolder(
  c: { receivables: ReceivableRegistry; participants: ParticipantRegistry },
  wallet: string,
  id: bigint,
  describeWallet?: (address: string) => string | undefined | Promise<string | undefined>,
): Promise<void> {
  const holder = await c.receivables.ownerOf(id).catch(() => undefined);
  if (holder && holder.toLowerCase() === wallet.toLowerCase()) return;
  const entity = await c.participants.entityOf(wallet);
  const who =
    entity === ZeroHash
      ? `wallet ${wallet} is not registered to any participant and does not hold receivable #${id}`
      : `wallet ${wallet} does not hold receivable #${id}`;
  const held = holder ? `; it is held by ${(await describeWallet?.(holder)) ?? holder}` : "";
  throw new PreconditionError(`${who}${held}: only the holder can finance it (pick its wallet with --from)`);
}

/** Deposits `amount` of the pool's asset from its manager `owner`, approving the pool first when needed. */
export async function depositLiquidity(
  pool: FinancingPool,
  token: AllowanceToken,
  owner: string,
  amount: bigint,
): Promise<{ liquidity: bigint; receipt: ContractTransactionReceipt }> {
  await ensureTokenAllowance(token, owner, await pool.getAddress(), amount);
  const receipt = await confirm(pool.deposit(amount));
  return { liquidity: await pool.liquidity(), receipt };
}

/** What {@link financeReceivable} did: financed at once, or a request waiting for the manager. */
export interface FinancingResult {
  /** True when financed at once; false for a request beyond the auto-approval rules. */
  executed: boolean;
  /** The financing's status name ("Active", "Requested"). */
  status: string;
  /** Gross advance and fee: charged, or (for a request) recorded with it, the fee being the most approval takes. */
  advance: bigint;
  fee: bigint;
  /** The reserve of the quote, paid to the supplier once the pool has recovered the gross advance. */
  reserve: bigint;
  minNet: bigint;
  maxFee: bigint;
  deadline: number;
  /** The approval of the pool for the receivable, when one was needed. */
  approveTx?: string;
  receipt: ContractTransactionReceipt;
}

/**
 * Finances receivable `id`, held by `holder` (the registry's signer), in `pool`: refused before anything is sent
 * when `holder` does not hold it. `minNet` defaults to the current quote's net advance; `maxFee` to the fee of the
 * pool's policy now, priced off-chain (src/pure/pool.ts) from the assessment, so that a policy change before the
 * transaction lands, or before a request is approved, cannot raise it. Approves the pool for the receivable if
 * needed.
 */
export async function financeReceivable(
  c: { receivables: ReceivableRegistry; participants: ParticipantRegistry; lens: ReceivableLens },
  pool: FinancingPool,
  holder: string,
  id: bigint,
  options: {
    minNet?: bigint;
    maxFee?: bigint;
    deadline: number;
    describeWallet?: (address: string) => string | undefined | Promise<string | undefined>;
  },
): Promise<FinancingResult> {
  const poolAddress = await pool.getAddress();
  await assertHolder(c, holder, id, options.describeWallet);
  const q = await pool.quote(id);
  const minNet = options.minNet ?? q.netAdvance;
  const r = await c.lens.receivable(id);
  const maxFee = options.maxFee ?? termsFromAssessment(q.assessment, r.faceAmount - r.paidAmount).fee;
  const approved =
    (await c.receivables.getApproved(id).catch(() => ZeroHash)) === poolAddress ||
    (await c.receivables.isApprovedForAll(holder, poolAddress));
  const approveTx = approved ? undefined : (await confirm(c.receivables.approve(poolAddress, id))).hash;
  const receipt = await confirm(pool.finance(id, minNet, maxFee, options.deadline));
  const f = await pool.financing(id);
  const status = FINANCING_STATUS_NAMES[Number(f.status)];
  const executed = status === "Active";
  // A request records the quoted terms: approval pays that advance for at most that fee.
  const terms = executed ? { advance: f.advance, fee: f.fee } : await pool.request(id);
  return {
    executed,
    status,
    advance: terms.advance,
    fee: terms.fee,
    reserve: q.reserve,
    minNet,
    maxFee,
    deadline: options.deadline,
    ...(approveTx ? { approveTx } : {}),
    receipt,
  };
}

/** How a collection split the buyer's payments (the pool's `Collected` event), in base units. */
export interface Collected {
  amount: bigint;
  principal: bigint;
  fee: bigint;
  reserve: bigint;
  receipt: ContractTransactionReceipt;
}

/** Applies the buyer's payments on receivable `id` to its financing in `pool` (anyone may, as the pool's signer). */
export async function collectPayments(pool: FinancingPool, id: bigint): Promise<Collected> {
  const receipt = await confirm(pool.collect(id));
  const e = requiredEvent(receipt, pool, "Collected");
  return {
    amount: BigInt(e.args.amount),
    principal: BigInt(e.args.principal),
    fee: BigInt(e.args.fee),
    reserve: BigInt(e.args.reserve),
    receipt,
  };
}

/** The pool's manager (its signer) writes off the financing of defaulted receivable `id`; returns the loss booked. */
export async function writeOffFinancing(
  pool: FinancingPool,
  id: bigint,
): Promise<{ loss: bigint; receipt: ContractTransactionReceipt }> {
  const receipt = await confirm(pool.writeOff(id));
  return { loss: BigInt(requiredEvent(receipt, pool, "WrittenOff").args.loss), receipt };
}

/**
 * The financed supplier (`owner`, the pool's signer) buys back defaulted receivable `id` under recourse, approving
 * the pool first for the price: recoursePrice on what the pool has collected (buyer payments it applies first only
 * lower it).
 */
export async function exerciseRecourse(
  pool: FinancingPool,
  token: AllowanceToken,
  owner: string,
  id: bigint,
): Promise<ContractTransactionReceipt> {
  const owed = recoursePrice(await pool.financing(id));
  if (owed > 0n) await ensureTokenAllowance(token, owner, await pool.getAddress(), owed);
  return confirm(pool.exerciseRecourse(id));
}
