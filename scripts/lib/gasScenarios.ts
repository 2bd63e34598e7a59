/**
 * The gas scenarios behind `npm run bench` and test/GasSnapshot.test.ts: every user-facing
 * operation, measured from receipts, beside its floor (src/pure/gas.ts, docs/GAS.md).
 *
 * Scenarios are steady-state: the accounts involved have done the same thing before (balances
 * and records exist), as for an SME's hundredth invoice rather than its first. Gas is
 * deterministic, so the numbers are exact. BENCH_TRACE="<operation>[,…]" prints a storage trace;
 * BENCH_AUDIT=1 compares what each transaction touched with what its floor counts.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { IReceivableRegistry, MockStablecoin } from "../../typechain-types";
import { DAY } from "../../src/pure/constants";
import { entityId, Role } from "../../src/pure/ids";
import { invoiceKey, invoiceNumberHash } from "../../src/pure/invoice";
import {
  acknowledgementNonce,
  receivablesDomain,
  signAcknowledgement,
  submissionCommitment,
} from "../../src/pure/eip712";
import { policyTuple, standardPolicy } from "../../src/pure/policy";
import { floorGas, type FloorSpec, type GasEntry } from "../../src/pure/gas";
import { deployTradeFin } from "../../src/hardhat/deploy";

const UNIT = 1_000_000n; // tUSD has 6 decimals
const FACE = 100_000n * UNIT;

export type Entries = Record<string, GasEntry & { note?: string }>;

/**
 * Runs every scenario on `hre`'s network (normally the in-process one) and returns gas and floor per
 * operation. Shared by `npm run bench` and test/GasSnapshot.test.ts.
 */
export async function measureAll(hre: HardhatRuntimeEnvironment): Promise<Entries> {
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const [admin, supplier, supplier2, tier2, buyer, buyer2, bankManager, regulator, ratingAgent, relayer] = signers;
  const E = {
    supplier: entityId("LEI:BENCHSUPPLIER000000001"),
    tier2: entityId("LEI:BENCHTIER2000000000002"),
    buyer: entityId("LEI:BENCHBUYER0000000000003"),
    buyer2: entityId("LEI:BENCHBUYER0000000000004"),
    bank: entityId("LEI:BENCHBANK00000000000005"),
    regulator: entityId("LEI:BENCHREGULATOR000000006"),
  };
  const kyc = (await time.latest()) + 10 * 365 * DAY;
  const entity = (id: string, roles: number, ...wallets: { address: string }[]) => ({
    id,
    roles,
    kycExpiry: kyc,
    wallets: wallets.map((w) => w.address),
  });

  // ---------------------------------------------------------------- set-up
  // The core first (the deployer's nonces 0..3, so the EIP-712 domain and with it every signature is the same
  // from run to run), then tUSD, the roles (the admin onboards), the entities and the bank's pool, bound.
  const deployed = await deployTradeFin(hre, {
    localStablecoin: true,
    roles: { ONBOARDER_ROLE: [admin.address], RATING_AGENT_ROLE: [ratingAgent.address] },
    entities: [
      entity(E.supplier, Role.SUPPLIER, supplier, supplier2),
      entity(E.tier2, Role.SUPPLIER, tier2),
      entity(E.buyer, Role.BUYER, buyer),
      entity(E.buyer2, Role.BUYER, buyer2),
      entity(E.bank, Role.FINANCIER, bankManager),
      entity(E.regulator, Role.REGULATOR, regulator),
    ],
    pools: {
      Bench: {
        manager: bankManager.address,
        policy: standardPolicy(6, { autoApprovalLimit: 10n ** 12n * UNIT, maxBuyerDefaults: 100n }),
        bankEntity: E.bank,
      },
    },
  });
  const { receivables: rr, lens, riskEngine: engine } = deployed;
  const usd = deployed.stablecoin as MockStablecoin;
  const pool = deployed.pools.Bench;
  const usdAddress = await usd.getAddress();
  const rrAddress = await rr.getAddress();
  const poolAddress = await pool.getAddress();
  const { chainId } = await ethers.provider.getNetwork();
  const domain = receivablesDomain(chainId, rrAddress);

  // A rating is valid for at most 366 days (RiskEngine.MAX_RATING_VALIDITY): a year covers every scenario.
  await engine.connect(ratingAgent).setRating(E.buyer, 150, (await time.latest()) + 365 * DAY);
  for (const payer of [buyer, buyer2]) {
    await usd.mint(payer.address, 10n ** 15n);
    await usd.connect(payer).approve(rrAddress, ethers.MaxUint256);
  }
  // Every account that receives tokens in a measured step already holds some (steady state).
  for (const a of [supplier, tier2, bankManager]) await usd.mint(a.address, 1n);
  await usd.mint(bankManager.address, 10n ** 14n);
  await usd.connect(bankManager).approve(poolAddress, ethers.MaxUint256);
  await pool.connect(bankManager).deposit(10n ** 13n);
  await rr.connect(supplier).setApprovalForAll(poolAddress, true);
  await rr.connect(tier2).setApprovalForAll(poolAddress, true);

  let serial = 0;
  const input = async (buyerId = E.buyer, amount = FACE): Promise<IReceivableRegistry.InvoiceInputStruct> => {
    const now = await time.latest();
    serial += 1;
    return {
      buyerEntityId: buyerId,
      currency: usdAddress,
      amount,
      issueDate: now - DAY,
      dueDate: now + 60 * DAY,
      invoiceNumberHash: invoiceNumberHash(`BENCH-${serial}`),
      docHash: ethers.keccak256(ethers.toUtf8Bytes(`document ${serial}`)),
    };
  };
  const submitted = async (buyerId = E.buyer): Promise<bigint> => {
    await (await rr.connect(supplier).submit(await input(buyerId))).wait();
    return lens.totalMinted();
  };
  const acknowledged = async (): Promise<bigint> => {
    const id = await submitted();
    await (await rr.connect(buyer).acknowledge(id)).wait();
    return id;
  };
  const keyOf = (inv: IReceivableRegistry.InvoiceInputStruct) =>
    invoiceKey(E.supplier, String(inv.buyerEntityId), String(inv.invoiceNumberHash));

  const entries: Entries = {};
  const measure = async (
    name: string,
    spec: FloorSpec,
    send: () => Promise<ContractTransactionResponse>,
    perItem = 1,
    note?: string,
  ) => {
    const tx = await send();
    const receipt = await tx.wait();
    if (process.env.BENCH_TRACE?.split(",").includes(name)) await traceSummary(hre, tx.hash);
    if (process.env.BENCH_AUDIT) await auditFloor(hre, name, spec, tx.hash);
    const gas = Number(receipt!.gasUsed) / perItem;
    const floor = floorGas(spec, tx.data) / perItem;
    entries[name] = { gas: Math.round(gas), floor: Math.round(floor), ...(note ? { note } : {}) };
  };

  // Logs, as [topics, data bytes].
  const LOG = {
    transfer721: [4, 0] as [number, number],
    transfer20: [3, 32] as [number, number],
    submitted: [4, 192] as [number, number],
    acknowledged: [3, 32] as [number, number],
    paid: [4, 96] as [number, number],
    settled: [2, 32] as [number, number],
    // parentId, rootId indexed; firstChildId, the amounts array (offset, length) + 32 bytes per child
    split: (n: number): [number, number] => [3, 96 + 32 * n],
  };

  // Warm-up: one whole cycle, so that every record, balance and counter the measured operations
  // touch already exists (an SME's hundredth invoice, not its first).
  {
    const id = await acknowledged();
    await (await rr.connect(buyer).pay(id, FACE / 2n)).wait();
    await (await rr.connect(buyer).pay(id, FACE)).wait();
    await (await rr.connect(supplier).withdraw(usdAddress, supplier.address)).wait();
    // Someone else's proceeds wait in the registry, so its token balance is never zero.
    const other = await acknowledged();
    await (await rr.connect(supplier).transferFrom(supplier.address, tier2.address, other)).wait();
    await (await rr.connect(buyer).pay(other, 1n)).wait();
  }

  // ------------------------------------------------------------ submission
  const submitSpec: FloorSpec = {
    // owner, receivable ×3 slots, invoice key
    newSlots: 5,
    // seller's ERC-721 balance, seller record, id counter
    coldUpdates: 3,
    // wallet → entity, seller entity, buyer entity, currency allowlist
    coldReads: 4,
    coldAccounts: 1,
    logs: [LOG.submitted, LOG.transfer721],
  };
  const inv = await input();
  await measure("submit", submitSpec, () => rr.connect(supplier).submit(inv));

  for (const n of [1, 10, 50]) {
    const batch: IReceivableRegistry.InvoiceInputStruct[] = [];
    for (let i = 0; i < n; i++) batch.push(await input());
    await measure(
      `submitBatch per invoice (${n})`,
      {
        newSlots: 5 * n,
        coldUpdates: 3,
        coldReads: 4,
        coldAccounts: 1,
        warmCalls: n - 1,
        logs: Array.from({ length: n }, () => [LOG.submitted, LOG.transfer721]).flat(),
      },
      () => rr.connect(supplier).submitBatch(batch),
      n,
    );
  }

  // ------------------------------------------------------- acknowledgement
  const ackSpec: FloorSpec = {
    // receivable status, in the slot that also holds its amount, decimals and buyer; buyer record
    // (count, amount: one slot); seller record (acknowledged amount: its dilution is over what buyers decided)
    coldUpdates: 3,
    // pause flag; the buyer wallet's access record (entity index, roles, status) in the participant registry
    coldReads: 2,
    coldAccounts: 1,
    logs: [LOG.acknowledged],
  };
  const toAck = await submitted();
  await measure("acknowledge", ackSpec, () => rr.connect(buyer).acknowledge(toAck));

  // The nonce is a revocation handle (never written): the SDK's, from the invoice key.
  const sign = async (id: bigint, key: string, amount: bigint, dueDate: bigint | number) => {
    const nonce = acknowledgementNonce(key);
    const deadline = (await time.latest()) + DAY;
    const signature = await signAcknowledgement(buyer, domain, {
      id,
      invoiceKey: key,
      amount,
      dueDate,
      nonce,
      deadline,
    });
    return { nonce, deadline, signature };
  };
  {
    const w = await input();
    await (await rr.connect(supplier).submit(w)).wait();
    const wid = await lens.totalMinted();
    const s = await sign(wid, keyOf(w), FACE, w.dueDate as number);
    await (await rr.connect(relayer).acknowledgeWithSig(wid, keyOf(w), s.nonce, s.deadline, s.signature)).wait();
  }
  {
    const w = await input();
    await (await rr.connect(supplier).submit(w)).wait();
    const id = await lens.totalMinted();
    const s = await sign(id, keyOf(w), FACE, w.dueDate as number);
    await measure(
      "acknowledgeWithSig",
      {
        // receivable status; buyer record; seller record (acknowledged amount)
        coldUpdates: 3,
        // pause flag; receivable due date (signed); invoice key → id; the signer's access record; the signer's
        // revoked-nonce word
        coldReads: 5,
        coldAccounts: 1,
        ecrecovers: 1,
        logs: [LOG.acknowledged],
      },
      () => rr.connect(relayer).acknowledgeWithSig(id, keyOf(w), s.nonce, s.deadline, s.signature),
    );
  }
  {
    const w = await input();
    const commitment = submissionCommitment(keyOf(w), {
      currency: String(w.currency),
      issueDate: Number(w.issueDate),
      docHash: String(w.docHash),
    });
    const s = await sign(0n, commitment, FACE, w.dueDate as number);
    await measure(
      "submitAcknowledged",
      {
        newSlots: 5,
        // balance, seller record (submitted count; acknowledged amount), id counter, buyer record
        coldUpdates: 5,
        // wallet → entity, seller, buyer, currency; the signer's access record; its revoked-nonce word
        coldReads: 6,
        coldAccounts: 1,
        warmCalls: 1,
        ecrecovers: 1,
        logs: [LOG.submitted, LOG.transfer721, LOG.acknowledged],
      },
      () => rr.connect(supplier).submitAcknowledged(w, s.nonce, s.deadline, s.signature),
    );
  }

  // ------------------------------------------------------ assignment, split
  {
    const warm = await acknowledged();
    await (await rr.connect(supplier).transferFrom(supplier.address, tier2.address, warm)).wait();
    const id = await acknowledged();
    await measure(
      "transfer",
      {
        // owner; sender's and recipient's balances
        coldUpdates: 3,
        // pause flag; receivable (status, frozen, buyer); sender's and recipient's access records
        coldReads: 4,
        coldAccounts: 1,
        warmCalls: 1,
        logs: [LOG.transfer721],
      },
      () => rr.connect(supplier).transferFrom(supplier.address, tier2.address, id),
    );
  }
  for (const n of [2, 8]) {
    const id = await acknowledged();
    const part = FACE / BigInt(n);
    const amounts = Array.from({ length: n }, (_, i) => (i === n - 1 ? FACE - part * BigInt(n - 1) : part));
    await measure(
      `split (${n} children)`,
      {
        // per child: owner, 2 receivable slots, lineage
        newSlots: 4 * n,
        // parent status; holder's balance; id counter
        coldUpdates: 3,
        // parent currency and dates (the slot the children copy); owner; the holder's access record
        coldReads: 3,
        coldAccounts: 1,
        logs: [LOG.split(n), ...Array.from({ length: n }, () => LOG.transfer721)],
      },
      () => rr.connect(supplier).split(id, amounts),
    );
  }

  // ------------------------------------------------------------- settlement
  {
    // The holder's claimable slot is empty (it withdrew before): a payment makes it non-zero.
    const paySpec = (full: boolean): FloorSpec => ({
      // holder's claimable
      newSlots: 1,
      // receivable amounts + status (one slot); buyer record (paid-on-time amount and count: one slot); buyer
      // and registry token balances (the registry's balance is read before the transfer: same slot)
      coldUpdates: 4,
      // receivable currency + due date; owner; the payer's allowance in the token; the payer's access record
      // (only the buyer entity's wallets may pay)
      coldReads: 4,
      // token, participant registry
      coldAccounts: 2,
      logs: full ? [LOG.paid, LOG.settled, LOG.transfer20] : [LOG.paid, LOG.transfer20],
    });
    const id = await acknowledged();
    await measure("pay (partial)", paySpec(false), () => rr.connect(buyer).pay(id, FACE / 4n));
    await (await rr.connect(supplier).withdraw(usdAddress, supplier.address)).wait();
    await measure("pay", paySpec(true), () => rr.connect(buyer).pay(id, FACE));
    await measure(
      "withdraw",
      {
        // claimable cleared (refund); registry and holder token balances
        clearedSlots: 1,
        coldUpdates: 2,
        coldAccounts: 1,
        logs: [[4, 32], LOG.transfer20],
      },
      () => rr.connect(supplier).withdraw(usdAddress, supplier.address),
    );
  }
  {
    // Warm-up default first so the buyer's default slots exist.
    const warm = await acknowledged();
    const id = await acknowledged();
    const r = await lens.receivable(id);
    await time.increaseTo(Number(r.dueDate) + 31 * DAY);
    await (await rr.connect(supplier).markDefaulted(warm)).wait();
    await measure(
      "markDefaulted",
      {
        // status; buyer record defaults + defaulted amount (2 slots). An unsplit invoice is a family of one: no
        // defaulted-roots word (only a split family's first default, or a full recovery, writes one)
        coldUpdates: 3,
        // amounts/due date; owner; the word with the last id, which holds a copy of the latest grace period
        // (the checkpoint history is read only for invoices older than the latest change)
        coldReads: 3,
        logs: [[3, 32]],
      },
      () => rr.connect(supplier).markDefaulted(id),
    );
  }

  // -------------------------------------------------------------- financing
  {
    // Warm-up: a financing collected in full, so the pool's fee, exposure and reserve records exist.
    // A second one stays open, so the buyer's exposure is not zero either.
    const warm = await acknowledged();
    const open = await acknowledged();
    await (await pool.connect(supplier).finance(warm, 0, ethers.MaxUint256, (await time.latest()) + DAY)).wait();
    await (await pool.connect(supplier).finance(open, 0, ethers.MaxUint256, (await time.latest()) + DAY)).wait();
    await (await rr.connect(buyer).pay(warm, FACE)).wait();
    await (await pool.connect(bankManager).collect(warm)).wait();
    const id = await acknowledged();
    await measure(
      "finance",
      {
        // financing record (3 slots)
        newSlots: 3,
        // NFT owner, holder's and pool's ERC-721 balances; pool liquidity+outstanding; buyer exposure;
        // pool's and supplier's token balances
        coldUpdates: 7,
        // registry: pause flag, receivable (2), buyer record (3), seller record (2), operator approval;
        // engine: the pool's rating agent, rating; pool: policy (5), committed; participants: holder's and
        // pool's access records
        coldReads: 1 + 2 + 3 + 2 + 1 + 2 + 5 + 1 + 2,
        // registry, engine, participants, token
        coldAccounts: 4,
        logs: [[4, 160], LOG.transfer721, LOG.transfer20],
      },
      () => pool.connect(supplier).finance(id, 0, ethers.MaxUint256, ethers.MaxUint256),
    );
    await (await rr.connect(buyer).pay(id, FACE)).wait();
    await measure(
      "collect",
      {
        // financing (status, collected); liquidity; exposure; fees; supplier reserve; registry and pool
        // token balances
        coldUpdates: 8,
        // the registry's claimable for the pool, withdrawn to zero
        clearedSlots: 1,
        // financing amounts; receivable paid amount
        coldReads: 2,
        coldAccounts: 2,
        logs: [[2, 128], [2, 0], [4, 32], LOG.transfer20],
      },
      () => pool.connect(bankManager).collect(id),
    );
  }
  {
    const id = await acknowledged();
    await (await pool.connect(supplier).finance(id, 0, ethers.MaxUint256, ethers.MaxUint256)).wait();
    const r = await lens.receivable(id);
    await time.increaseTo(Number(r.dueDate) + 31 * DAY);
    await measure(
      "writeOff",
      {
        // financing status; outstanding; exposure; losses; receivable status; buyer record (2 slots) (an
        // unsplit invoice: no defaulted-roots word)
        coldUpdates: 7,
        // manager (owner); financing amounts (2); receivable due date (its status slot is updated); NFT owner;
        // claimable (the latest grace period shares the word of the pause flag, which coreOf read warm)
        coldReads: 6,
        coldAccounts: 1,
        logs: [
          [2, 32],
          [3, 32],
        ],
      },
      () => pool.connect(bankManager).writeOff(id),
    );
  }

  // ------------------------------------------------------------------ assess
  const policy = policyTuple(standardPolicy(6));
  const assessSpec: FloorSpec = {
    view: true,
    // receivable (2), buyer record (3), seller record (2), the caller's (pool's) rating agent, rating
    coldReads: 9,
    coldAccounts: 1,
  };
  // assess is a view: measured as eth_estimateGas of the call, so its floor includes the 21,000 and
  // the calldata (the policy travels in it).
  const assessGas = async (id: bigint) => {
    if (process.env.BENCH_TRACE === "assess") {
      const data = engine.interface.encodeFunctionData("assess", [id, policy, 0]);
      const trace = (await hre.network.provider.send("debug_traceCall", [
        { to: await engine.getAddress(), data },
        "latest",
        {},
      ])) as { gas: number; structLogs: { op: string; gasCost: number; depth: number }[] };
      const byOp: Record<string, number> = {};
      const byDepth: Record<number, number> = {};
      for (const l of trace.structLogs) {
        byOp[l.op] = (byOp[l.op] ?? 0) + l.gasCost;
        byDepth[l.depth] = (byDepth[l.depth] ?? 0) + l.gasCost;
      }
      console.error("total", trace.gas, "byDepth", byDepth, "calldata", data.length / 2 - 1);
      console.error(
        Object.entries(byOp)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 30)
          .map(([o, g]) => `${o}:${g}`)
          .join(" "),
      );
    }
    return Number(await engine.assess.estimateGas(id, policy, 0));
  };
  // Buyer 2 with one past invoice, then with 1,000.
  const historyOf = async (count: number) => {
    let done = 0;
    while (done < count) {
      const n = Math.min(50, count - done);
      const batch: IReceivableRegistry.InvoiceInputStruct[] = [];
      for (let i = 0; i < n; i++) batch.push(await input(E.buyer2, 1_000n * UNIT));
      await (await rr.connect(supplier).submitBatch(batch)).wait();
      const last = await lens.totalMinted();
      for (let id = last - BigInt(n) + 1n; id <= last; id++) {
        await (await rr.connect(buyer2).acknowledge(id)).wait();
        await (await rr.connect(buyer2).pay(id, 1_000n * UNIT)).wait();
      }
      done += n;
    }
  };
  await historyOf(1);
  const probe1 = await submitted(E.buyer2);
  await (await rr.connect(buyer2).acknowledge(probe1)).wait();
  const callData1 = engine.interface.encodeFunctionData("assess", [probe1, policy, 0]);
  entries["assess (1 past invoice)"] = {
    gas: await assessGas(probe1),
    floor: floorGas({ ...assessSpec, view: false }, callData1),
  };
  process.stderr.write("building a buyer with 1,000 past invoices…\n");
  await historyOf(999);
  entries["assess (1,000 past invoices)"] = {
    gas: await assessGas(probe1),
    floor: floorGas({ ...assessSpec, view: false }, callData1),
  };
  return entries;
}

/**
 * Debug aid (BENCH_AUDIT=1): what the transaction really touched, from its trace, beside what the floor counts.
 * The trace may touch more than the floor (avoidable reads); it must never touch less, or the floor is wrong.
 */
async function auditFloor(hre: HardhatRuntimeEnvironment, name: string, spec: FloorSpec, hash: string): Promise<void> {
  const trace = (await hre.network.provider.send("debug_traceTransaction", [
    hash,
    { disableMemory: true, disableStorage: true },
  ])) as {
    structLogs: { op: string; gasCost: number; stack?: string[] }[];
  };
  let coldSlots = 0;
  let newSlots = 0;
  const accounts = new Set<string>();
  for (const l of trace.structLogs) {
    if (l.op === "SLOAD" && l.gasCost === 2_100) coldSlots += 1;
    if (l.op === "SSTORE" && [22_100, 5_000, 2_200].includes(l.gasCost)) coldSlots += 1;
    if (l.op === "SSTORE" && [22_100, 20_000].includes(l.gasCost)) newSlots += 1;
    // Precompiles (ecrecover at 0x01) are priced apart: the floor counts them as ecrecovers.
    const target = l.stack ? l.stack[l.stack.length - 2] : undefined;
    if (["CALL", "STATICCALL"].includes(l.op) && target && BigInt(`0x${target.replace(/^0x/, "")}`) > 0xffn)
      accounts.add(target.slice(-40));
  }
  const specSlots = (spec.newSlots ?? 0) + (spec.coldUpdates ?? 0) + (spec.clearedSlots ?? 0) + (spec.coldReads ?? 0);
  const flag = coldSlots < specSlots || newSlots < (spec.newSlots ?? 0) ? "  <-- floor counts more than touched" : "";
  console.error(
    `${name.padEnd(30)} cold slots ${coldSlots} (floor ${specSlots}), new ${newSlots} (floor ${spec.newSlots ?? 0}), ` +
      `called accounts ${accounts.size} (floor ${spec.coldAccounts ?? 0})${flag}`,
  );
}

/** Debug aid (BENCH_TRACE="<operation>"): gas by opcode kind, and every SSTORE/SLOAD with its cost. */
async function traceSummary(hre: HardhatRuntimeEnvironment, hash: string): Promise<void> {
  const trace = (await hre.network.provider.send("debug_traceTransaction", [hash, { disableStack: false }])) as {
    structLogs: { op: string; gasCost: number; depth: number; stack?: string[] }[];
  };
  const byOp: Record<string, number> = {};
  for (const l of trace.structLogs) {
    byOp[l.op] = (byOp[l.op] ?? 0) + l.gasCost;
    if (["SSTORE", "SLOAD", "CALL", "STATICCALL", "LOG1", "LOG2", "LOG3", "LOG4"].includes(l.op)) {
      const top = l.stack ? l.stack[l.stack.length - 1] : "";
      console.error(`${"  ".repeat(l.depth)}${l.op} ${l.gasCost} ${top.slice(-8)}`);
    }
  }
  const sorted = Object.entries(byOp).sort((a, b) => b[1] - a[1]);
  console.error(
    sorted
      .slice(0, 25)
      .map(([op, g]) => `${op}:${g}`)
      .join(" "),
  );
}
