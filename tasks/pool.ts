/**
 * Financing-pool tasks: deploy a bank's pool, show or set its policy, set the per-supplier auto-approval cap,
 * deposit, quote, finance, approve or reject a request, expire a request, collect, write off, recourse.
 */
import type { FinancingPool } from "../typechain-types";
import { updateAddressBook } from "../src/node/addressBook";
import { chainNow, resolveAddress, type Currency, type TradeFin } from "../src/hardhat/context";
import { deployBankPool } from "../src/hardhat/deploy";
import {
  bindPoolToBank,
  depositLiquidity,
  entityOfWallet,
  exerciseRecourse,
  financeReceivable,
} from "../src/chain/pools";
import { DAY, FINANCING_STATUS_NAMES } from "../src/pure/constants";
import { entityId } from "../src/pure/ids";
import { formatAmount, parseAmount } from "../src/pure/money";
import { policyTuple, standardPolicy } from "../src/pure/policy";
import { assessmentFromChain, type RiskPolicy } from "../src/pure/risk";
import { useIgnitionDir } from "./deploy";
import {
  TaskInputError,
  parseId,
  parsePositiveInt,
  mined,
  reportTransaction,
  required,
  tradefinTask,
  type Session,
  type TaskTransaction,
} from "./lib/cli";
import { checkPoolOwner } from "./lib/governance";
import { policyToJson, readPolicyFile } from "./lib/policy";
import { reasonBytes } from "./participant";
import { assessmentReport, printReport, quoteReport } from "./risk";

interface PoolDeployArgs {
  bank?: string;
  asset?: string;
  manager?: string;
  policy?: string;
  bankRef?: string;
  iAcceptASingleKeyAdmin?: boolean;
}

tradefinTask<PoolDeployArgs>(
  "pool:deploy",
  "Deploy a bank's FinancingPool (Ignition) and bind it as a wallet of the bank's FINANCIER entity",
  (t) =>
    t
      .addOptionalParam("bank", "Bank name for the address book (letters, digits, _)")
      .addOptionalParam("asset", "Stablecoin symbol or address (default: the deployment's stablecoin)")
      .addOptionalParam("manager", "Pool manager (address or account index; default: the signer)")
      .addOptionalParam("policy", "Risk policy JSON file (default: the standard policy)")
      .addOptionalParam("bankRef", "The bank's FINANCIER entity \"SCHEME:IDENTIFIER\" (default: the manager's entity)")
      .addFlag("iAcceptASingleKeyAdmin", "Outside chain 31337, accept an externally owned account as pool owner"),
  async (args, s) => {
    const bank = required(args.bank, "bank");
    if (!/^[A-Za-z0-9_]+$/.test(bank)) throw new TaskInputError(`--bank "${bank}" must be letters, digits or _`);
    const tf = await s.tradefin();
    if (tf.book.pools[bank])
      throw new TaskInputError(`network ${tf.network} already has a pool "${bank}" at ${tf.book.pools[bank].address}`);
    const manager = args.manager ? await resolveAddress(s.hre, args.manager, "--manager") : tf.signer.address;
    await checkPoolOwner(s.hre, manager, args.iAcceptASingleKeyAdmin); // a timelock or a Safe, off chain 31337
    const asset = args.asset ? await tf.currency(args.asset) : await tf.defaultCurrency();
    const policy: RiskPolicy = args.policy
      ? readPolicyFile(args.policy, asset.decimals)
      : standardPolicy(asset.decimals);

    s.note(`Deploying pool ${bank} (${asset.symbol}) on ${tf.network}…`);
    useIgnitionDir(s.hre);
    const { address, deployed: deployedNow } = await deployBankPool(s.hre, tf.book, bank, {
      asset: asset.address,
      manager,
      policy,
      sender: tf.signer.address,
    });

    // Bind the pool to the bank's entity so that it can hold receivables.
    const refEntity = args.bankRef ? entityId(args.bankRef) : await entityOfWallet(tf.participants, manager);
    const label = refEntity ? tf.book.entities[refEntity.toLowerCase()] : undefined;
    const bankRef = args.bankRef ?? label?.ref;
    const bound = await bindPoolToBank(tf.participants, address, refEntity, tf.signer.address);
    const command = bound
      ? undefined
      : `npx hardhat participant:add-wallet --network ${tf.network} --ref ${bankRef ?? "<bank SCHEME:IDENTIFIER>"} ` +
        `--wallet ${address} --pull-only --from <onboarder>`;
    const entry = { address, asset: asset.address, manager, ...(bankRef ? { bankRef } : {}) };
    updateAddressBook(tf.network, tf.chain, (b) => {
      b.pools[bank] = entry;
    });
    tf.book.pools[bank] = entry;

    s.say(
      deployedNow
        ? `Pool ${bank} deployed at ${address}`
        : `Found the existing pool ${bank} at ${address} (Ignition journal); nothing was deployed`,
    );
    s.say(`  asset    ${asset.symbol} (${asset.address})`);
    s.say(`  manager  ${manager}`);
    s.say(
      bound
        ? `  bound to ${bankRef ?? refEntity} as a FINANCIER wallet`
        : `  NOT yet bound to the bank's entity; an onboarder must run:\n    ${command}`,
    );
    return {
      ok: true,
      bank,
      address,
      deployed: deployedNow,
      asset: asset.symbol,
      manager,
      bankRef: bankRef ?? null,
      bound,
      ...(command ? { command } : {}),
      policy: policyToJson(policy, asset.decimals),
    };
  },
);

/** The pool, its asset, and the common arguments. */
async function poolAndAsset(
  tf: TradeFin,
  bank: string | undefined,
): Promise<{ bank: string; pool: FinancingPool; asset: Currency }> {
  const p = await tf.pool(required(bank, "bank"));
  return { bank: p.bank, pool: p.contract, asset: await tf.currency(p.entry.asset) };
}

tradefinTask<{ bank?: string; set?: string }>(
  "pool:policy",
  "Show a pool's risk policy, or set it from a JSON file (manager)",
  (t) => t.addOptionalParam("bank", "Bank name").addOptionalParam("set", "Policy JSON file to apply"),
  async (args, s) => {
    const tf = await s.tradefin();
    const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
    let tx: string | undefined;
    if (args.set) {
      const policy = readPolicyFile(args.set, asset.decimals);
      tx = (await (await pool.setPolicy(policy)).wait())?.hash;
      s.say(`Set the policy of pool ${bank} from ${args.set}`);
    }
    const policy = policyToJson(policyTuple(await pool.policy()), asset.decimals);
    s.say(`Policy of pool ${bank} (amounts in ${asset.symbol}):`);
    for (const [k, v] of Object.entries(policy))
      s.say(`  ${k.padEnd(20)} ${Array.isArray(v) ? v.join(", ") : String(v)}`);
    return { ok: true, bank, policy, ...(tx ? { tx } : {}) };
  },
);

tradefinTask<{ bank?: string; amount?: string; mint: boolean }>(
  "pool:deposit",
  "Deposit liquidity into a pool (manager); approves the pool for the amount",
  (t) =>
    t
      .addOptionalParam("bank", "Bank name")
      .addOptionalParam("amount", "Amount in token units")
      .addFlag("mint", "First mint the amount of the local test stablecoin to the manager (local chains only)"),
  async (args, s) => {
    const tf = await s.tradefin();
    const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
    const amount = parseAmount(required(args.amount, "amount"), asset.decimals);
    if (args.mint) {
      if (!asset.mock)
        throw new TaskInputError(`--mint works only with the local test stablecoin, not ${asset.symbol}`);
      const mock = await s.hre.ethers.getContractAt("MockStablecoin", asset.address, tf.signer);
      await (await mock.getFunction("mint")(tf.signer.address, amount)).wait();
    }
    const { liquidity, receipt } = await depositLiquidity(pool, asset.token, tf.signer.address, amount);
    const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
    return reportTransaction(s, receipt, `Deposited ${fmt(amount)} into pool ${bank}; liquidity ${fmt(liquidity)}`, {
      bank,
      amountUnits: amount,
      liquidityUnits: liquidity,
    });
  },
);

tradefinTask<{ bank?: string; id?: string }>(
  "pool:quote",
  "What financing a receivable in a pool would give now, with the risk report",
  (t) => t.addOptionalParam("bank", "Bank name").addOptionalParam("id", "Receivable id"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
    const q = await pool.quote(id);
    const quote = quoteReport(q, asset);
    const report = assessmentReport(assessmentFromChain(q.assessment), asset, q.fee);
    printReport(s, `Quote of pool ${bank} for receivable #${id}`, report, [
      ["Gross advance", quote.advance],
      ["Fee", quote.fee],
      ["Net paid out", quote.netAdvance],
      ["Reserve", `${quote.reserve} (paid to the supplier once the pool has recovered the gross advance)`],
      ["Needs approval", quote.needsApproval ? "yes (beyond the auto-approval limit or supplier cap)" : "no"],
      ["Valid until", quote.validUntil],
    ]);
    return { ok: true, bank, id, ...quote, assessment: report };
  },
);

interface FinanceArgs {
  bank?: string;
  id?: string;
  minNet?: string;
  maxFee?: string;
  deadlineMinutes?: string;
}

tradefinTask<FinanceArgs>(
  "pool:finance",
  "Finance a receivable you hold in a pool; approves the pool for the receivable if needed",
  (t) =>
    t
      .addOptionalParam("bank", "Bank name")
      .addOptionalParam("id", "Receivable id")
      .addOptionalParam("minNet", "Least net paid out accepted, in token units (default: the current quote)")
      .addOptionalParam(
        "maxFee",
        "Largest fee accepted, in token units (default: the fee quoted now); net + reserve ≥ outstanding − max fee",
      )
      .addOptionalParam("deadlineMinutes", "Minutes the acceptance holds (also for a request)", "60"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
    const deadline = (await chainNow(s.hre)) + parsePositiveInt(args.deadlineMinutes, "deadline-minutes", 60) * 60;
    const f = await financeReceivable(tf, pool, tf.signer.address, id, {
      minNet: args.minNet ? parseAmount(args.minNet, asset.decimals) : undefined,
      maxFee: args.maxFee ? parseAmount(args.maxFee, asset.decimals) : undefined,
      deadline,
      describeWallet: (holder) => tf.decodeContext().describeWallet?.(holder),
    });
    const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
    return reportTransaction(
      s,
      f.receipt,
      f.executed
        ? `Financed receivable #${id} in pool ${bank}: gross advance ${fmt(f.advance)}, fee ${fmt(f.fee)}, ` +
            `net paid out ${fmt(f.advance - f.fee)}; reserve ${fmt(f.reserve)} follows once the pool has recovered the gross advance`
        : `Requested financing of receivable #${id} in pool ${bank}: it is beyond the auto-approval rules and waits ` +
            `for the manager (pool:approve); recorded gross advance ${fmt(f.advance)}, fee at most ${fmt(f.fee)}`,
      {
        bank,
        id,
        executed: f.executed,
        status: f.status,
        advanceUnits: f.advance,
        feeUnits: f.fee,
        netAdvanceUnits: f.advance - f.fee,
        minNetAdvanceUnits: f.minNet,
        maxFeeUnits: f.maxFee,
        deadline,
        ...(f.approveTx ? { approveTx: f.approveTx } : {}),
      },
    );
  },
);

/**
 * Sends a pool transaction on receivable `id`, then prints and returns the financing's status:
 * `{ ok, bank, id, status, …extra, tx }`.
 */
async function reportFinancing(
  s: Session,
  pool: FinancingPool,
  bank: string,
  id: bigint,
  sent: Promise<TaskTransaction>,
  say: (status: string, f: Awaited<ReturnType<FinancingPool["financing"]>>) => string,
  extra: (f: Awaited<ReturnType<FinancingPool["financing"]>>) => object = () => ({}),
) {
  const receipt = await mined(sent);
  const f = await pool.financing(id);
  const status = FINANCING_STATUS_NAMES[Number(f.status)];
  return reportTransaction(s, receipt, say(status, f), { bank, id, status, ...extra(f) });
}

tradefinTask<{ bank?: string; id?: string; reject: boolean; reason?: string }>(
  "pool:approve",
  "Approve (or --reject) a pending financing request (manager)",
  (t) =>
    t
      .addOptionalParam("bank", "Bank name")
      .addOptionalParam("id", "Receivable id")
      .addFlag("reject", "Reject the request instead")
      .addOptionalParam("reason", "Reason of a rejection (at most 31 bytes)", ""),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const { bank, pool } = await poolAndAsset(tf, args.bank);
    const sent = args.reject ? pool.rejectRequest(id, reasonBytes(args.reason)) : pool.approveRequest(id);
    const verb = args.reject ? "Rejected" : "Approved";
    return reportFinancing(
      s,
      pool,
      bank,
      id,
      sent,
      (status) => `${verb} the request for receivable #${id} in pool ${bank}: now ${status}`,
    );
  },
);

tradefinTask<{ bank?: string; cap?: string; periodDays?: string; off: boolean }>(
  "pool:supplier-cap",
  "Show, set or switch off the per-supplier cap on auto-approved advances per period (manager)",
  (t) =>
    t
      .addOptionalParam("bank", "Bank name")
      .addOptionalParam("cap", "Most auto-approved advance per supplier entity and period, in token units")
      .addOptionalParam("periodDays", "Period length in days (windows start at multiples of it)")
      .addFlag("off", "Switch the cap off"),
  async (args, s) => {
    const tf = await s.tradefin();
    const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
    const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
    let tx: string | undefined;
    if (args.off && (args.cap !== undefined || args.periodDays !== undefined))
      throw new TaskInputError("--off takes no --cap or --period-days");
    if (args.off) {
      tx = (await (await pool.setSupplierAutoCap(0n, 0)).wait())?.hash;
    } else if (args.cap !== undefined || args.periodDays !== undefined) {
      const cap = parseAmount(required(args.cap, "cap"), asset.decimals);
      if (cap === 0n) throw new TaskInputError("--cap must be above zero (use --off to switch the cap off)");
      const days = parsePositiveInt(required(args.periodDays, "period-days"), "period-days", 1);
      tx = (await (await pool.setSupplierAutoCap(cap, days * DAY)).wait())?.hash;
    }
    const [cap, period] = await pool.supplierAutoCap();
    s.say(
      period === 0n
        ? `Pool ${bank}: no per-supplier cap on auto-approved advances`
        : `Pool ${bank}: at most ${fmt(cap)} auto-approved per supplier entity every ${Number(period) / DAY} day(s)`,
    );
    return { ok: true, bank, capUnits: cap, periodSeconds: period, ...(tx ? { tx } : {}) };
  },
);

tradefinTask<{ bank?: string; id?: string }>(
  "pool:expire",
  "Release a pending request that can no longer be approved (anyone): deadline passed, receivable moved, split, paid, defaulted, frozen or overdue",
  (t) => t.addOptionalParam("bank", "Bank name").addOptionalParam("id", "Receivable id"),
  async (args, s) => {
    const id = parseId(args.id);
    const tf = await s.tradefin();
    const { bank, pool } = await poolAndAsset(tf, args.bank);
    return reportFinancing(
      s,
      pool,
      bank,
      id,
      pool.expireRequest(id),
      (status) => `Released the request for receivable #${id} in pool ${bank}: now ${status}`,
    );
  },
);

/** A pool call on one receivable that prints the resulting financing status and what the pool has collected. */
function simplePoolTask(
  name: string,
  description: string,
  verb: string,
  call: (tf: TradeFin, pool: FinancingPool, asset: Currency, id: bigint) => Promise<TaskTransaction>,
) {
  tradefinTask<{ bank?: string; id?: string }>(
    name,
    description,
    (t) => t.addOptionalParam("bank", "Bank name").addOptionalParam("id", "Receivable id"),
    async (args, s) => {
      const id = parseId(args.id);
      const tf = await s.tradefin();
      const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
      const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
      return reportFinancing(
        s,
        pool,
        bank,
        id,
        call(tf, pool, asset, id),
        (status, f) => `${verb} receivable #${id} in pool ${bank}: financing ${status}, collected ${fmt(f.collected)}`,
        (f) => ({ collectedUnits: f.collected }),
      );
    },
  );
}

simplePoolTask(
  "pool:collect",
  "Apply the buyer's payments to a financed receivable (anyone)",
  "Collected",
  (_tf, pool, _asset, id) => pool.collect(id),
);
simplePoolTask(
  "pool:writeoff",
  "Write off a defaulted financed receivable (manager)",
  "Wrote off",
  (_tf, pool, _asset, id) => pool.writeOff(id),
);
simplePoolTask(
  "pool:recourse",
  "The financed supplier buys back a defaulted receivable; approves the pool for the price",
  "Bought back",
  (tf, pool, asset, id) => exerciseRecourse(pool, asset.token, tf.signer.address, id),
);
