/**
 * Financing-pool tasks: deploy a bank's pool, show or set its policy, set the per-supplier auto-approval cap,
 * deposit, quote, finance, approve or reject a request, expire a request, collect, write off, recourse.
 */
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import { ZeroHash } from "ethers";
import type { FinancingPool } from "../typechain-types";
import { financingPoolModule } from "../ignition/modules/FinancingPool";
import { IN_PROCESS_NETWORK, updateAddressBook } from "../src/node/addressBook";
import { chainNow, ensureAllowance, resolveAddress, type Currency, type TradeFin } from "../src/hardhat/context";
import { DAY, FINANCING_STATUS_NAMES } from "../src/pure/constants";
import { entityId } from "../src/pure/ids";
import { formatAmount, parseAmount } from "../src/pure/money";
import { recoursePrice, termsFromAssessment } from "../src/pure/pool";
import { policyTuple, standardPolicy } from "../src/pure/policy";
import { assessmentFromChain, type RiskPolicy } from "../src/pure/risk";
import { useIgnitionDir } from "./deploy";
import { TaskInputError, parseId, parsePositiveInt, required, tradefinTask } from "./lib/cli";
import { checkPoolOwner } from "./lib/governance";
import { policyToJson, readPolicyFile } from "./lib/policy";
import { reasonBytes } from "./participant";
import { assessmentReport, printReport, quoteReport } from "./risk";

/** The entity ref or id of the bank behind a manager wallet, if the manager is registered. */
async function bankEntityOf(tf: TradeFin, wallet: string): Promise<string | undefined> {
  const id = await tf.participants.entityOf(wallet);
  return id === ZeroHash ? undefined : id;
}

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
    const poolParams = { asset: asset.address, manager, policy: policyTuple(policy) };

    s.note(`Deploying pool ${bank} (${asset.symbol}) on ${tf.network}…`);
    let deployed: { pool: { getAddress(): Promise<string> } };
    const blockBefore = await s.hre.ethers.provider.getBlockNumber();
    if (tf.network === IN_PROCESS_NETWORK) {
      // Ignition keeps no journal on the in-process network, so the pool is wired to the deployed core.
      const core = { receivables: tf.book.contracts.receivables, riskEngine: tf.book.contracts.riskEngine };
      deployed = await s.hre.ignition.deploy(financingPoolModule(bank, { core }), {
        parameters: { [`Pool_${bank}`]: poolParams },
        defaultSender: tf.signer.address,
      });
    } else {
      useIgnitionDir(s.hre);
      const signers = await s.hre.ethers.getSigners();
      const deployer = signers.find((x) => x.address === tf.book.deployer)?.address ?? tf.signer.address;
      deployed = await s.hre.ignition.deploy(financingPoolModule(bank), {
        parameters: {
          ...(tf.book.ignition?.parameters ?? {}),
          [`Pool_${bank}`]: poolParams,
        } as unknown as DeploymentParameters,
        deploymentId: tf.book.ignition?.deploymentId,
        defaultSender: deployer,
      });
    }
    const address = await deployed.pool.getAddress();
    const deployedNow = (await s.hre.ethers.provider.getBlockNumber()) > blockBefore;
    const pool = (await s.hre.ethers.getContractAt("FinancingPool", address, tf.signer)) as unknown as FinancingPool;
    if ((await pool.registry()) !== tf.book.contracts.receivables) {
      throw new TaskInputError(
        `the pool at ${address} is bound to another ReceivableRegistry than the address book's; check the Ignition journal`,
      );
    }

    // Bind the pool to the bank's entity so that it can hold receivables.
    const refEntity = args.bankRef ? entityId(args.bankRef) : await bankEntityOf(tf, manager);
    const label = refEntity ? tf.book.entities[refEntity.toLowerCase()] : undefined;
    const bankRef = args.bankRef ?? label?.ref;
    let bound = (await tf.participants.entityOf(address)) !== ZeroHash;
    let command: string | undefined;
    if (!bound && refEntity) {
      const onboarder = await tf.participants.hasRole(await tf.participants.ONBOARDER_ROLE(), tf.signer.address);
      if (onboarder) {
        // Pull-only in the same transaction: a pool takes receivables only through finance, and a plain
        // transfer to it would strand them.
        await (await tf.participants.addWallet(refEntity, address, true)).wait();
        bound = true;
      }
    }
    if (!bound) {
      command =
        `npx hardhat participant:add-wallet --network ${tf.network} --ref ${bankRef ?? "<bank SCHEME:IDENTIFIER>"} ` +
        `--wallet ${address} --pull-only --from <onboarder>`;
    }
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

/**
 * Refuses, before any approval or transaction, a `--from` wallet that does not hold the receivable, saying
 * also when the wallet is not registered to any participant at all.
 */
async function checkHolder(tf: TradeFin, id: bigint): Promise<void> {
  const me = tf.signer.address;
  const holder = await tf.receivables.ownerOf(id).catch(() => undefined);
  if (holder && holder.toLowerCase() === me.toLowerCase()) return;
  const entity = await tf.participants.entityOf(me);
  const who =
    entity === ZeroHash
      ? `wallet ${me} is not registered to any participant and does not hold receivable #${id}`
      : `wallet ${me} does not hold receivable #${id}`;
  const held = holder ? `; it is held by ${(await tf.decodeContext().describeWallet?.(holder)) ?? holder}` : "";
  throw new TaskInputError(`${who}${held}: only the holder can finance it (pick its wallet with --from)`);
}

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
    await ensureAllowance(tf, asset, await pool.getAddress(), amount);
    const receipt = await (await pool.deposit(amount)).wait();
    const liquidity = await pool.liquidity();
    const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
    s.say(`Deposited ${fmt(amount)} into pool ${bank}; liquidity ${fmt(liquidity)}`);
    return { ok: true, bank, amountUnits: amount, liquidityUnits: liquidity, tx: receipt?.hash };
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
    const poolAddress = await pool.getAddress();
    await checkHolder(tf, id);
    const q = await pool.quote(id);
    const minNet = args.minNet ? parseAmount(args.minNet, asset.decimals) : q.netAdvance;
    // The default bound is the fee of the pool's policy now, priced off-chain (src/pure/pool.ts) from the assessment:
    // a policy change before the transaction lands, or before a request is approved, cannot raise it.
    const r = await tf.lens.receivable(id);
    const quoted = termsFromAssessment(q.assessment, r.faceAmount - r.paidAmount);
    const maxFee = args.maxFee ? parseAmount(args.maxFee, asset.decimals) : quoted.fee;
    const deadline = (await chainNow(s.hre)) + parsePositiveInt(args.deadlineMinutes, "deadline-minutes", 60) * 60;
    let approveTx: string | undefined;
    const approved =
      (await tf.receivables.getApproved(id).catch(() => ZeroHash)) === poolAddress ||
      (await tf.receivables.isApprovedForAll(tf.signer.address, poolAddress));
    if (!approved) approveTx = (await (await tf.receivables.approve(poolAddress, id)).wait())?.hash;
    const receipt = await (await pool.finance(id, minNet, maxFee, deadline)).wait();
    const f = await pool.financing(id);
    const status = FINANCING_STATUS_NAMES[Number(f.status)];
    const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
    const executed = status === "Active";
    // A request records the quoted terms: approval pays that advance for at most that fee.
    const terms = executed ? { advance: f.advance, fee: f.fee } : await pool.request(id);
    s.say(
      executed
        ? `Financed receivable #${id} in pool ${bank}: gross advance ${fmt(f.advance)}, fee ${fmt(f.fee)}, ` +
            `net paid out ${fmt(f.advance - f.fee)}; reserve ${fmt(q.reserve)} follows once the pool has recovered the gross advance`
        : `Requested financing of receivable #${id} in pool ${bank}: it is beyond the auto-approval rules and waits ` +
            `for the manager (pool:approve); recorded gross advance ${fmt(terms.advance)}, fee at most ${fmt(terms.fee)}`,
    );
    return {
      ok: true,
      bank,
      id,
      executed,
      status,
      advanceUnits: terms.advance,
      feeUnits: terms.fee,
      netAdvanceUnits: terms.advance - terms.fee,
      minNetAdvanceUnits: minNet,
      maxFeeUnits: maxFee,
      deadline,
      ...(approveTx ? { approveTx } : {}),
      tx: receipt?.hash,
    };
  },
);

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
    const tx = args.reject ? await pool.rejectRequest(id, reasonBytes(args.reason)) : await pool.approveRequest(id);
    const receipt = await tx.wait();
    const status = FINANCING_STATUS_NAMES[Number((await pool.financing(id)).status)];
    s.say(`${args.reject ? "Rejected" : "Approved"} the request for receivable #${id} in pool ${bank}: now ${status}`);
    return { ok: true, bank, id, status, tx: receipt?.hash };
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
    const receipt = await (await pool.expireRequest(id)).wait();
    const status = FINANCING_STATUS_NAMES[Number((await pool.financing(id)).status)];
    s.say(`Released the request for receivable #${id} in pool ${bank}: now ${status}`);
    return { ok: true, bank, id, status, tx: receipt?.hash };
  },
);

/** A pool call on one receivable that prints the resulting financing status. */
function simplePoolTask(
  name: string,
  description: string,
  verb: string,
  call: (pool: FinancingPool, id: bigint) => Promise<{ wait(): Promise<{ hash: string } | null> }>,
  before?: (tf: TradeFin, pool: FinancingPool, asset: Currency, id: bigint) => Promise<void>,
) {
  tradefinTask<{ bank?: string; id?: string }>(
    name,
    description,
    (t) => t.addOptionalParam("bank", "Bank name").addOptionalParam("id", "Receivable id"),
    async (args, s) => {
      const id = parseId(args.id);
      const tf = await s.tradefin();
      const { bank, pool, asset } = await poolAndAsset(tf, args.bank);
      await before?.(tf, pool, asset, id);
      const receipt = await (await call(pool, id)).wait();
      const f = await pool.financing(id);
      const status = FINANCING_STATUS_NAMES[Number(f.status)];
      const fmt = (v: bigint) => formatAmount(v, asset.decimals, { symbol: asset.symbol });
      s.say(`${verb} receivable #${id} in pool ${bank}: financing ${status}, collected ${fmt(f.collected)}`);
      return { ok: true, bank, id, status, collectedUnits: f.collected, tx: receipt?.hash };
    },
  );
}

simplePoolTask("pool:collect", "Apply the buyer's payments to a financed receivable (anyone)", "Collected", (p, id) =>
  p.collect(id),
);
simplePoolTask("pool:writeoff", "Write off a defaulted financed receivable (manager)", "Wrote off", (p, id) =>
  p.writeOff(id),
);
simplePoolTask(
  "pool:recourse",
  "The financed supplier buys back a defaulted receivable; approves the pool for the price",
  "Bought back",
  (p, id) => p.exerciseRecourse(id),
  async (tf, pool, asset, id) => {
    // The pool charges recoursePrice on what it has collected; buyer payments it applies first only lower it.
    const owed = recoursePrice(await pool.financing(id));
    if (owed <= 0n) return;
    await ensureAllowance(tf, asset, await pool.getAddress(), owed);
  },
);
