/**
 * `hardhat run --network localhost scripts/bench-supervision-seed.ts`: the chain of the supervision benchmark
 * (`npm run bench:supervision`, issue #15). Deploys TradeFin with `deployTradeFin()` (src/hardhat/deploy.ts, the
 * Ignition modules): the core, tUSD, the onboarder's and rating agent's roles, suppliers, buyers, three banks (one
 * pool each, bound to its bank) and a regulator, in that registration order; then plays about 120 days of business on
 * `$SUPERVISION_RECEIVABLES` invoices (default 20,000) in a fixed, seeded mix:
 *
 * | share of invoices (at 20,000) | what happens |
 * |---|---|
 * | 3 % | stays submitted (the buyer never answers) |
 * | 3 % | rejected by the buyer; 1 % cancelled by the supplier |
 * | 93 % | acknowledged by the buyer; 6 % of those split in two (one child assigned to another supplier) |
 * | 30 % of acknowledged | financed by one of the banks (auto-approved) |
 * | 43 % | paid on time (financed ones collected by the pool); 5 % partly paid |
 * | 8 % | paid late |
 * | 3 % | defaulted after due date + grace (the bank writes off the financed ones) |
 * | 1 % | frozen by the regulator |
 * | the rest | outstanding, not yet due or overdue (1–30, 31–60, 61–90 days) |
 *
 * It goes as fast as the node allows: automine off, a high block gas limit, the transactions of a step sent
 * in JSON-RPC batches (`eth_sendTransaction` from impersonated wallets) and mined in blocks of up to
 * `BLOCK_TXS` transactions with `evm_mine`, time moved with `evm_increaseTime`. Every receipt is checked.
 * Invoices are submitted with `submitBatch` (50 per transaction), their numbers hashed with the SDK.
 *
 * Writes the address book to `$TRADEFIN_DEPLOYMENTS_DIR/localhost.json` and a summary (counts per action)
 * to `$SUPERVISION_SEED_OUT`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { Interface, keccak256, toUtf8Bytes, getAddress, type Log } from "ethers";
import { writeAddressBook, type AddressBook } from "../src/node/addressBook";
import { addressBookFor, deployTradeFin } from "../src/hardhat/deploy";
import { entityId, Role } from "../src/pure/ids";
import { invoiceNumberHash } from "../src/pure/invoice";
import { parseAmount } from "../src/pure/money";
import { standardPolicy } from "../src/pure/policy";

const DAY = 86_400;
const DECIMALS = 6;
const SYMBOL = "tUSD";
const N = Number(process.env.SUPERVISION_RECEIVABLES ?? 20_000);
const SUPPLIERS = Number(process.env.SUPERVISION_SUPPLIERS ?? 40);
const BUYERS = Number(process.env.SUPERVISION_BUYERS ?? 12);
const BANKS = ["Harbor", "Pearl", "Summit"];
const BLOCK_TXS = 400;
/** Days after the start when payments happen; the last one is "today" at the end of the story. */
const STEPS = [5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 120];
const END_DAY = STEPS[STEPS.length - 1];
const GRACE_DAYS = 30;
const usd = (n: number) => parseAmount(String(n), DECIMALS);

/** A small seeded PRNG (mulberry32): the same mix on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(Number(process.env.SUPERVISION_SEED ?? 15));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

// ------------------------------------------------------------------ raw JSON-RPC

const url = (hre.network.config as { url: string }).url;
let rpcId = 1;
interface RpcCall {
  method: string;
  params: unknown[];
}
/**
 * POSTs a JSON-RPC body on a connection of its own: a kept-alive connection that the node closes after a long
 * `evm_mine` would lose the next request ("other side closed"), and a lost `eth_sendTransaction` cannot be
 * retried blindly.
 */
function post(body: unknown): Promise<unknown> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((done, fail) => {
    const req = httpRequest(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": data.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          try {
            done(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch (err) {
            fail(new Error(`the node answered ${res.statusCode} with no JSON: ${(err as Error).message}`));
          }
        });
        res.on("error", fail);
      },
    );
    req.on("error", fail);
    req.end(data);
  });
}

/** Sends calls in one JSON-RPC batch; throws on the first error with the call that caused it. */
async function rpcBatch(calls: RpcCall[]): Promise<unknown[]> {
  if (calls.length === 0) return [];
  // The node closes the connection on a large body (EPIPE): at most ~512 KB per request.
  const sizes = calls.map((c) => JSON.stringify(c.params).length + 64);
  if (calls.length > 1 && sizes.reduce((a, b) => a + b, 0) > 512 * 1024) {
    const out: unknown[] = [];
    let start = 0;
    let size = 0;
    for (let i = 0; i <= calls.length; i++) {
      if (i === calls.length || (size + sizes[i] > 512 * 1024 && i > start)) {
        out.push(...(await rpcBatch(calls.slice(start, i))));
        start = i;
        size = 0;
      }
      if (i < calls.length) size += sizes[i];
    }
    return out;
  }
  const body = calls.map((c) => ({ jsonrpc: "2.0", id: rpcId++, method: c.method, params: c.params }));
  const out = (await post(body)) as { id: number; result?: unknown; error?: { message: string } }[];
  const byId = new Map(out.map((o) => [o.id, o]));
  return body.map((b, i) => {
    const o = byId.get(b.id);
    if (!o || o.error) throw new Error(`${calls[i].method} failed: ${o?.error?.message ?? "no answer"}`);
    return o.result;
  });
}
const rpc = async (method: string, ...params: unknown[]) => (await rpcBatch([{ method, params }]))[0];

/** A transaction to send in the current step. */
interface Tx {
  from: string;
  to: string;
  data: string;
  gas: number;
  what: string;
}
interface Receipt {
  status: string;
  logs: { address: string; topics: string[]; data: string }[];
}

/** The next nonce of each sender (lower-case address), once the bulk part starts. */
const nonces = new Map<string, number>();

/**
 * Sends the step's transactions and mines them: blocks of up to BLOCK_TXS, each receipt checked.
 * Returns the receipts in the order of `txs`.
 */
async function mine(txs: Tx[], label: string): Promise<Receipt[]> {
  const receipts: Receipt[] = [];
  const t0 = Date.now();
  for (let i = 0; i < txs.length; i += BLOCK_TXS) {
    const chunk = txs.slice(i, i + BLOCK_TXS);
    // Explicit nonces: the node serves a batch's requests concurrently, so it would not number them in order.
    const unknown = [...new Set(chunk.map((t) => t.from.toLowerCase()))].filter((a) => !nonces.has(a));
    const counts = (await rpcBatch(
      unknown.map((a) => ({ method: "eth_getTransactionCount", params: [a, "pending"] })),
    )) as string[];
    unknown.forEach((a, k) => nonces.set(a, Number(counts[k])));
    const hashes = (await rpcBatch(
      chunk.map((t) => {
        const nonce = nonces.get(t.from.toLowerCase())!;
        nonces.set(t.from.toLowerCase(), nonce + 1);
        return {
          method: "eth_sendTransaction",
          params: [
            { from: t.from, to: t.to, data: t.data, gas: `0x${t.gas.toString(16)}`, nonce: `0x${nonce.toString(16)}` },
          ],
        };
      }),
    )) as string[];
    // A block takes what fits its gas limit (by the gas each transaction declares): mine until all are in.
    let got: (Receipt | null)[] = [];
    for (let blocks = 0; blocks < 100; blocks++) {
      await rpc("evm_mine");
      got = (await rpcBatch(
        hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
      )) as (Receipt | null)[];
      if (got.every((r) => r !== null)) break;
    }
    for (const [j, r] of got.entries()) {
      if (!r) throw new Error(`${label}: ${chunk[j].what} was not mined (${hashes[j]})`);
      if (r.status !== "0x1") throw new Error(`${label}: ${chunk[j].what} reverted: ${await why(chunk[j])}`);
    }
    receipts.push(...(got as Receipt[]));
    if (txs.length > 10 * BLOCK_TXS && (i / BLOCK_TXS) % 10 === 9)
      log(`  ${label}: ${i + chunk.length} of ${txs.length}…`);
  }
  if (txs.length > 0) log(`  ${label}: ${txs.length} transactions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return receipts;
}
/** Why a transaction reverts now (replayed as a call on the latest block), decoded with the contracts' errors. */
async function why(t: Tx): Promise<string> {
  const json = (await post({
    jsonrpc: "2.0",
    id: 0,
    method: "eth_call",
    params: [{ from: t.from, to: t.to, data: t.data }, "latest"],
  })) as { error?: { message: string; data?: string | { data?: string } } };
  if (!json.error) return "it succeeds when replayed now";
  const data = typeof json.error.data === "string" ? json.error.data : json.error.data?.data;
  for (const iface of errorInterfaces) {
    try {
      const e = iface.parseError(data ?? "0x");
      if (e) return `${e.name}(${e.args.join(", ")})`;
    } catch {
      // not this contract's error
    }
  }
  return json.error.message;
}
const errorInterfaces: Interface[] = [];

async function travelTo(day: number, t0: number) {
  const now = Number(((await rpc("eth_getBlockByNumber", "latest", false)) as { timestamp: string }).timestamp);
  const target = t0 + day * DAY;
  if (target > now) await rpc("evm_increaseTime", `0x${(target - now).toString(16)}`);
  await rpc("evm_mine");
}
const log = (line: string) => console.log(line);

// ------------------------------------------------------------------------ plan

type Fate = "submitted" | "rejected" | "cancelled" | "open" | "paid" | "partial" | "late" | "defaulted";
interface Invoice {
  /** Index among the invoices (the invoice number is derived from it). */
  n: number;
  supplier: number;
  buyer: number;
  amount: bigint;
  dueDay: number;
  fate: Fate;
  /** Split into two children (acknowledged only). */
  split: boolean;
  /** Bank index that finances it (or its first child), if any. */
  bank?: number;
  frozen: boolean;
  id?: bigint;
  children?: bigint[];
}

function plan(): Invoice[] {
  const out: Invoice[] = [];
  for (let n = 0; n < N; n++) {
    const r = rand();
    const dueDay = 20 + Math.floor(rand() * 150); // due 20..169 days after the start
    const amount = usd(1_000 + Math.floor(rand() * 49) * 1_000); // 1,000 .. 49,000 tUSD
    let fate: Fate;
    if (r < 0.03) fate = "submitted";
    else if (r < 0.06) fate = "rejected";
    else if (r < 0.07) fate = "cancelled";
    else {
      const o = rand();
      if (o < 0.42) fate = "paid";
      else if (o < 0.47) fate = "partial";
      else if (o < 0.6) fate = dueDay < END_DAY - 1 ? "late" : "paid";
      else if (o < 0.67) fate = dueDay + GRACE_DAYS < END_DAY - 1 ? "defaulted" : "open";
      else fate = "open";
    }
    const acknowledged = !["submitted", "rejected", "cancelled"].includes(fate);
    const split = acknowledged && rand() < 0.06;
    const bank = acknowledged && rand() < 0.3 ? Math.floor(rand() * BANKS.length) : undefined;
    const frozen = fate === "open" && bank === undefined && !split && rand() < 0.06;
    out.push({
      n,
      supplier: Math.floor(rand() * SUPPLIERS),
      buyer: Math.floor(rand() * BUYERS),
      amount,
      dueDay,
      fate,
      split,
      bank,
      frozen,
    });
  }
  return out;
}

// ------------------------------------------------------------------------ main

async function main() {
  hre.config.paths.ignition = mkdtempSync(join(tmpdir(), "tradefin-ignition-"));
  const { ethers } = hre;
  const tStart = Date.now();
  const [admin, onboarder, ratingAgent, regulatorWallet, ...rest] = await ethers.getSigners();
  const bankWallets = rest.slice(0, BANKS.length);
  const deployBlock = (await ethers.provider.getBlockNumber()) + 1;

  // --------------------------------------------------------------- actors
  const wallet = (kind: string, i: number) => getAddress(`0x${keccak256(toUtf8Bytes(`bench:${kind}:${i}`)).slice(26)}`);
  const suppliers = Array.from({ length: SUPPLIERS }, (_, i) => ({
    ref: `LEI:BENCHSUP${String(i).padStart(11, "0")}`,
    name: `Supplier ${String(i + 1).padStart(3, "0")} Ltd`,
    wallet: wallet("supplier", i),
  }));
  const buyers = Array.from({ length: BUYERS }, (_, i) => ({
    ref: `LEI:BENCHBUY${String(i).padStart(11, "0")}`,
    name: `Buyer ${String(i + 1).padStart(2, "0")} Group`,
    wallet: wallet("buyer", i),
  }));
  const banks = BANKS.map((b, i) => ({
    ref: `LEI:BENCHBANK${String(i).padStart(10, "0")}`,
    name: `${b} Bank`,
    wallet: bankWallets[i].address,
  }));
  const regulator = { ref: "LEI:BENCHREGULATOR00001", name: "Supervisory Authority", wallet: regulatorWallet.address };

  // ---------------------------------------------------------------- deploy
  // Limits wide enough for a national programme's volume; everything within auto-approval.
  const policy = standardPolicy(DECIMALS, {
    buyerExposureLimit: usd(1_000_000_000),
    totalExposureLimit: usd(10_000_000_000),
    autoApprovalLimit: usd(1_000_000),
  });
  const kyc = (await ethers.provider.getBlock("latest"))!.timestamp + 3 * 365 * DAY;
  // Registration order fixes the entities' compact indexes: suppliers, buyers, banks (by the onboarder), then the
  // regulator (by the admin), as the supervision report has always numbered them.
  const registrations: [readonly { ref: string; wallet: string }[], number][] = [
    [suppliers, Role.SUPPLIER],
    [buyers, Role.BUYER],
    [banks, Role.FINANCIER],
    [[regulator], Role.REGULATOR],
  ];
  const entities = registrations.flatMap(([actors, roles]) =>
    actors.map((a) => ({ id: entityId(a.ref), roles, kycExpiry: kyc, wallets: [a.wallet] })),
  );
  const deployed = await deployTradeFin(hre, {
    deployer: admin.address,
    core: { defaultGracePeriod: GRACE_DAYS * DAY },
    roles: { ONBOARDER_ROLE: [onboarder.address], RATING_AGENT_ROLE: [ratingAgent.address] },
    localStablecoin: true,
    entities,
    pools: Object.fromEntries(
      BANKS.map((b, i) => [b, { manager: bankWallets[i].address, policy, bankEntity: entityId(banks[i].ref) }]),
    ),
  });
  const usdAddress = await deployed.stablecoin!.getAddress();
  const A = {
    participants: await deployed.participants.getAddress(),
    receivables: await deployed.receivables.getAddress(),
    riskEngine: await deployed.riskEngine.getAddress(),
    lens: await deployed.lens.getAddress(),
    pools: await Promise.all(BANKS.map((b) => deployed.pools[b].getAddress())),
  };
  const artifact = async (name: string) => new Interface((await hre.artifacts.readArtifact(name)).abi);
  const PR = await artifact("ParticipantRegistry");
  const RR = await artifact("ReceivableRegistry");
  const FP = await artifact("FinancingPool");
  const RE = await artifact("RiskEngine");
  const ERC20 = await artifact("MockStablecoin");
  errorInterfaces.push(PR, RR, FP, RE, ERC20);
  log(`Deployed in ${((Date.now() - tStart) / 1000).toFixed(1)} s; seeding ${N} invoices…`);

  // --------------------------------------------------------------- business
  await rpc("evm_setAutomine", false);
  await rpc("evm_setBlockGasLimit", "0x3b9aca00"); // 1e9: a block takes BLOCK_TXS transactions of any kind
  const t0 = Number(((await rpc("eth_getBlockByNumber", "latest", false)) as { timestamp: string }).timestamp);
  await rpcBatch(
    [...suppliers, ...buyers].flatMap((a) => [
      { method: "hardhat_impersonateAccount", params: [a.wallet] },
      { method: "hardhat_setBalance", params: [a.wallet, "0x56bc75e2d63100000"] }, // 100 ETH
    ]),
  );
  const call = (
    from: string,
    to: string,
    iface: Interface,
    fn: string,
    args: unknown[],
    gas: number,
    what = fn,
  ): Tx => ({
    from,
    to,
    data: iface.encodeFunctionData(fn, args),
    gas,
    what,
  });

  // Money: pools funded, buyers funded and approving the registry, suppliers approving the pools.
  const money: Tx[] = [];
  banks.forEach((b, i) => {
    const amount = usd(Math.max(1_000_000, N * 5_000));
    money.push(call(b.wallet, usdAddress, ERC20, "mint", [b.wallet, amount], 200_000));
    money.push(call(b.wallet, usdAddress, ERC20, "approve", [A.pools[i], amount], 200_000));
    money.push(call(b.wallet, A.pools[i], FP, "deposit", [amount], 400_000));
  });
  for (const b of buyers) {
    money.push(call(b.wallet, usdAddress, ERC20, "mint", [b.wallet, usd(N * 50_000)], 200_000));
    money.push(call(b.wallet, usdAddress, ERC20, "approve", [A.receivables, ethers.MaxUint256], 200_000));
  }
  for (const s of suppliers)
    for (const p of A.pools) money.push(call(s.wallet, A.receivables, RR, "setApprovalForAll", [p, true], 200_000));
  // Ratings for two thirds of the buyers; the others get the policy's unrated PD.
  buyers.forEach((b, i) => {
    if (i % 3 !== 2)
      money.push(
        call(
          ratingAgent.address,
          A.riskEngine,
          RE,
          "setRating",
          [entityId(b.ref), 40 + 25 * (i % 4), t0 + 365 * DAY],
          200_000,
        ),
      );
  });
  await mine(money, "liquidity, allowances, ratings");

  // ----------------------------------------------------------- invoices
  const invoices = plan();
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);
  const bySupplier = new Map<number, Invoice[]>();
  for (const inv of invoices) bySupplier.set(inv.supplier, [...(bySupplier.get(inv.supplier) ?? []), inv]);
  const submits: Tx[] = [];
  const submitted: Invoice[][] = [];
  for (const [s, list] of bySupplier) {
    for (let i = 0; i < list.length; i += 50) {
      const chunk = list.slice(i, i + 50);
      submitted.push(chunk);
      const inputs = chunk.map((inv) => ({
        buyerEntityId: entityId(buyers[inv.buyer].ref),
        currency: usdAddress,
        amount: inv.amount,
        issueDate: t0 - 5 * DAY,
        dueDate: t0 + inv.dueDay * DAY,
        invoiceNumberHash: invoiceNumberHash(`BENCH-${String(inv.n).padStart(7, "0")}`),
        docHash: ethers.ZeroHash,
      }));
      submits.push(
        call(
          suppliers[s].wallet,
          A.receivables,
          RR,
          "submitBatch",
          [inputs],
          15_000_000,
          `submitBatch of supplier ${s}`,
        ),
      );
    }
  }
  const submitTopic = RR.getEvent("ReceivableSubmitted")!.topicHash;
  const submitReceipts = await mine(submits, "submitBatch");
  submitReceipts.forEach((r, k) => {
    const ids = r.logs.filter((l) => l.topics[0] === submitTopic).map((l) => BigInt(l.topics[1]));
    if (ids.length !== submitted[k].length)
      throw new Error(`submitBatch ${k}: ${ids.length} ids for ${submitted[k].length} invoices`);
    submitted[k].forEach((inv, j) => (inv.id = ids[j]));
  });
  count("submitted", N);

  // Buyers answer.
  const answers: Tx[] = [];
  for (const inv of invoices) {
    const b = buyers[inv.buyer].wallet;
    const s = suppliers[inv.supplier].wallet;
    if (inv.fate === "submitted") continue;
    if (inv.fate === "rejected")
      answers.push(
        call(b, A.receivables, RR, "reject", [inv.id, ethers.encodeBytes32String("QUANTITY DISPUTE")], 300_000),
      );
    else if (inv.fate === "cancelled") answers.push(call(s, A.receivables, RR, "cancel", [inv.id], 300_000));
    else answers.push(call(b, A.receivables, RR, "acknowledge", [inv.id], 300_000));
    count(inv.fate === "rejected" ? "rejected" : inv.fate === "cancelled" ? "cancelled" : "acknowledged");
  }
  await mine(answers, "acknowledge / reject / cancel");

  // Splits: two children, the second assigned to another supplier (tier 2).
  const splitTopic = RR.getEvent("ReceivableSplit")!.topicHash;
  const splitting = invoices.filter((i) => i.split);
  const splitReceipts = await mine(
    splitting.map((inv) => {
      const first = (inv.amount * 6n) / 10n;
      return call(
        suppliers[inv.supplier].wallet,
        A.receivables,
        RR,
        "split",
        [inv.id, [first, inv.amount - first]],
        800_000,
      );
    }),
    "split",
  );
  splitReceipts.forEach((r, k) => {
    const l = r.logs.find((x) => x.topics[0] === splitTopic)!;
    const parsed = RR.parseLog(l as unknown as Log)!;
    const first = parsed.args.firstChildId as bigint;
    splitting[k].children = [first, first + 1n];
  });
  count("split", splitting.length);
  const tier2 = (inv: Invoice) => (inv.supplier + 1) % SUPPLIERS;
  await mine(
    splitting.map((inv) =>
      call(
        suppliers[inv.supplier].wallet,
        A.receivables,
        RR,
        "transferFrom",
        [suppliers[inv.supplier].wallet, suppliers[tier2(inv)].wallet, inv.children![1]],
        300_000,
      ),
    ),
    "assign split children to tier-2 suppliers",
  );

  /** The receivables an invoice's fate applies to, with their holder before financing. */
  const parts = (inv: Invoice): { id: bigint; amount: bigint; supplier: number }[] =>
    inv.children
      ? [
          { id: inv.children[0], amount: (inv.amount * 6n) / 10n, supplier: inv.supplier },
          { id: inv.children[1], amount: inv.amount - (inv.amount * 6n) / 10n, supplier: tier2(inv) },
        ]
      : [{ id: inv.id!, amount: inv.amount, supplier: inv.supplier }];

  // Financing: the invoice (or the split's first child) by the planned bank.
  const deadline = t0 + 30 * DAY;
  const financing: Tx[] = [];
  for (const inv of invoices) {
    if (inv.bank === undefined) continue;
    const p = parts(inv)[0];
    financing.push(
      call(
        suppliers[p.supplier].wallet,
        A.pools[inv.bank],
        FP,
        "finance",
        [p.id, 0, p.amount, deadline],
        1_500_000,
        `finance #${p.id}`,
      ),
    );
  }
  await mine(financing, "finance");
  count("financed", financing.length);

  // Freezes.
  const freezes = invoices.filter((i) => i.frozen);
  await mine(
    freezes.map((inv) =>
      call(regulator.wallet, A.receivables, RR, "freeze", [inv.id, ethers.encodeBytes32String("AML REVIEW")], 300_000),
    ),
    "freeze",
  );
  count("frozen", freezes.length);

  // ---------------------------------------------------- payments in time
  const isFinanced = (inv: Invoice, partIndex: number) => inv.bank !== undefined && partIndex === 0;
  for (const [k, day] of STEPS.entries()) {
    await travelTo(day, t0);
    const pays: Tx[] = [];
    const collects: Tx[] = [];
    const prevDay = k === 0 ? 0 : STEPS[k - 1];
    for (const inv of invoices) {
      const b = buyers[inv.buyer].wallet;
      // On time: in the last step before the due date; partial: half of it then. Late: at the end.
      const onTimeStep = STEPS.filter((d) => d < inv.dueDay).pop();
      const payNow =
        ((inv.fate === "paid" || inv.fate === "partial") && onTimeStep === day && onTimeStep > prevDay) ||
        (inv.fate === "late" && day === END_DAY);
      if (!payNow) continue;
      parts(inv).forEach((p, j) => {
        const amount = inv.fate === "partial" ? p.amount / 2n : p.amount;
        pays.push(call(b, A.receivables, RR, "pay", [p.id, amount], 600_000, `pay #${p.id}`));
        if (isFinanced(inv, j))
          collects.push(call(admin.address, A.pools[inv.bank!], FP, "collect", [p.id], 800_000, `collect #${p.id}`));
      });
      count(inv.fate === "late" ? "paidLate" : inv.fate === "partial" ? "partlyPaid" : "paidOnTime");
    }
    await mine(pays, `day ${day}: payments`);
    await mine(collects, `day ${day}: collections`);
  }
  // Paid on-time invoices whose due date is before the first step (none with dueDay ≥ 20), checked:
  const unpaid = invoices.filter(
    (i) => (i.fate === "paid" || i.fate === "partial") && !STEPS.some((d) => d < i.dueDay),
  );
  if (unpaid.length > 0) throw new Error(`${unpaid.length} invoices planned as paid have no payment day`);

  // Defaults at the end: the holder declares it; a bank writes off what it financed.
  const defaults: Tx[] = [];
  for (const inv of invoices) {
    if (inv.fate !== "defaulted") continue;
    parts(inv).forEach((p, j) => {
      defaults.push(
        isFinanced(inv, j)
          ? call(banks[inv.bank!].wallet, A.pools[inv.bank!], FP, "writeOff", [p.id], 1_000_000, `writeOff #${p.id}`)
          : call(
              suppliers[p.supplier].wallet,
              A.receivables,
              RR,
              "markDefaulted",
              [p.id],
              400_000,
              `markDefaulted #${p.id}`,
            ),
      );
    });
    count("defaulted");
  }
  await mine(defaults, "defaults and write-offs");
  await rpc("evm_setAutomine", true);

  const head = Number(await rpc("eth_blockNumber"));
  const receivables = N + 2 * splitting.length;
  const labels: AddressBook["entities"] = {};
  for (const a of [...suppliers, ...buyers, ...banks, regulator])
    labels[entityId(a.ref)] = { ref: a.ref, name: a.name };
  const book = await addressBookFor(hre, {
    deployer: admin.address,
    deployBlock,
    contracts: { participants: A.participants, receivables: A.receivables, riskEngine: A.riskEngine, lens: A.lens },
    stablecoins: { [SYMBOL]: { address: usdAddress, decimals: DECIMALS, mock: true } },
    pools: Object.fromEntries(
      BANKS.map((b, i) => [
        b,
        { address: A.pools[i], asset: usdAddress, bankRef: banks[i].ref, manager: banks[i].wallet },
      ]),
    ),
    entities: labels,
  });
  const path = writeAddressBook(book);
  const summary = {
    invoices: N,
    receivables,
    suppliers: SUPPLIERS,
    buyers: BUYERS,
    banks: BANKS.length,
    blocks: head - deployBlock + 1,
    head,
    days: END_DAY,
    actions: counts,
    seconds: Math.round((Date.now() - tStart) / 100) / 10,
  };
  if (process.env.SUPERVISION_SEED_OUT)
    writeFileSync(process.env.SUPERVISION_SEED_OUT, JSON.stringify(summary, null, 2));
  log(
    `Seeded ${receivables} receivables in ${summary.seconds} s (blocks ${deployBlock}..${head}); address book ${path}`,
  );
  log(JSON.stringify(counts));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
