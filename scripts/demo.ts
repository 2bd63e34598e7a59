/**
 * `npm run demo` (`hardhat run scripts/demo.ts`): the whole TradeFin story on the in-process Hardhat network.
 *
 *  1. deploy through Ignition with `deployTradeFin()` (src/deploy.ts): core, test stablecoin (allowlisted), one
 *     financing pool per bank, the access roles, the actors under real-looking LEI / USCC / VAT identifiers, and
 *     each pool bound to its bank;
 *  2. what the onboarding left on chain: roles, participants, pools;
 *  3. fund the banks' pools and the buyers;
 *  4. an SME submits its ERP's CSV export (parsed with src/invoice.ts) in one batch;
 *  5. another invoice arrives already acknowledged: the buyer signed off-chain (EIP-712), the SME sent it;
 *  6. the buyer acknowledges by signature (relayed by the SME, the buyer pays no gas), by transaction, and rejects
 *     a disputed invoice; a re-submission of the same invoice is refused (the double-financing guard);
 *  7. the SME splits a confirmed invoice and pays its own tier-2 supplier with a part;
 *  8. a rating agent posts the buyer's probability of default;
 *  9. the banks' risk assessments, explained in words;
 * 10. financing by two banks (one above the auto-approval limit, approved by the bank's manager);
 * 11. payment on time (collection, reserve released, withdrawals);
 * 12. payment a few days late;
 * 13. a default after the due date plus the grace period, written off by the bank;
 * 14. new business: the buyer's payment record moves the next assessment;
 * 15. a regulator freeze: what it blocks (financing, transfer, split) and what it never blocks (payment);
 * 16. the portfolio and supervision report.
 *
 * `main()` is exported so test/demo.test.ts can run it in process and check its outcome.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import Table from "cli-table3";
import type { ContractTransactionReceipt, ContractTransactionResponse, Interface } from "ethers";
import type { FinancingPool, MockStablecoin } from "../typechain-types";
import { entityId, Role, roleNames } from "../src/pure/ids";
import {
  invoiceDocHash,
  invoiceKey,
  invoiceNumberHash,
  parseInvoiceFile,
  randomSalt,
  toInvoiceInput,
  type NormalisedInvoice,
} from "../src/pure/invoice";
import {
  acknowledgementNonce,
  receivablesDomain,
  signAcknowledgement,
  submissionAcknowledgement,
} from "../src/pure/eip712";
import { decodeError, formatTimestamp, FINANCING_STATUS_NAMES, STATUS_NAMES } from "../src/pure/errors";
import { eventsIn } from "../src/pure/events";
import { formatAmount, formatBps, parseAmount } from "../src/pure/money";
import { assessmentFromChain, explain, GRADES } from "../src/pure/risk";
import { standardPolicy } from "../src/pure/policy";
import { deployTradeFin } from "../src/hardhat/deploy";
import { buildReport, renderReport, type PortfolioReport, type ReportContracts } from "../src/chain/report";

const DAY = 24 * 3600;
const DECIMALS = 6;
const SYMBOL = "tUSD";

/** Options of {@link main}. */
export interface DemoOptions {
  /** Where each line of output goes (default console.log). */
  log?: (line: string) => void;
}

/** What the demo leaves behind, for tests. */
export interface DemoResult {
  contracts: ReportContracts & { usd: MockStablecoin };
  report: PortfolioReport;
  /** Receivable ids by role in the story. */
  ids: {
    onTime: bigint;
    splitParent: bigint;
    keptChild: bigint;
    tier2Child: bigint;
    defaulted: bigint;
    rejected: bigint;
    frozen: bigint;
    late: bigint;
    /** The SME's own invoice financed by Pearl, still active at the end. */
    pearlSme: bigint;
    /** The invoice Harbor finances after the late payment, still active at the end. */
    newlyFinanced: bigint;
  };
  /** Days late recorded for the late payment. */
  daysLate: bigint;
  /** Loss the bank wrote off. */
  writtenOff: bigint;
}

// -------------------------------------------------------------------- actors

/** A participant of the story: a legal entity under its public identifier, with its wallet. */
interface Actor {
  name: string;
  ref: string;
  roles: number;
  wallet: HardhatEthersSigner;
}

const usd = (amount: string) => parseAmount(amount, DECIMALS);
const fmt = (amount: bigint) => formatAmount(amount, DECIMALS, { symbol: SYMBOL });
const isoDate = (seconds: number) => formatTimestamp(seconds, true);

/** Prints headings, tables and sentences. Tables have no colours so the output reads the same everywhere. */
class Printer {
  private step = 0;
  constructor(readonly log: (line: string) => void) {}

  heading(title: string): void {
    this.step += 1;
    this.log(`\n=== ${this.step}. ${title} ===`);
  }

  table(head: string[], rows: (string | number | bigint | boolean)[][]): void {
    const t = new Table({ head, style: { head: [], border: [] } });
    for (const r of rows) t.push(r.map((c) => String(c)));
    this.log(t.toString());
  }

  say(line: string): void {
    this.log(line);
  }
}

/** Waits for a transaction and returns its receipt (the demo is sequential). */
async function sent(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction dropped");
  return receipt;
}

/** The first event `name` of `contract` in a receipt. */
function eventIn(receipt: ContractTransactionReceipt, contract: { interface: Interface }, name: string) {
  const [event] = eventsIn(receipt, contract.interface, name);
  if (!event) throw new Error(`no ${name} event in transaction ${receipt.hash}`);
  return event;
}

// ---------------------------------------------------------------------- main

/** Runs the whole story and returns what it built. */
export async function main(options: DemoOptions = {}): Promise<DemoResult> {
  const out = new Printer(options.log ?? ((line) => console.log(line)));
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const [admin, onboarder, ratingAgent, regulatorWallet, smeWallet, tier2Wallet, gmWallet, nwWallet, bank1, bank2] =
    signers;
  const { chainId } = await ethers.provider.getNetwork();
  out.say(
    `TradeFin demo on network "${hre.network.name}" (chain id ${chainId}), ${formatTimestamp(await time.latest())}`,
  );

  // ------------------------------------------------------- the participants
  const actors = {
    sme: {
      name: "Shenzhen Precision Parts Co., Ltd.",
      ref: "USCC:91440300MA5G2P8K3R",
      roles: Role.SUPPLIER,
      wallet: smeWallet,
    },
    tier2: {
      name: "Dongguan Metal Stamping Co., Ltd.",
      ref: "USCC:91441900MA4WJ7QH2N",
      roles: Role.SUPPLIER,
      wallet: tier2Wallet,
    },
    gm: { name: "Global Motors AG", ref: "LEI:5299004VKP7C2HD8QF41", roles: Role.BUYER, wallet: gmWallet },
    nw: { name: "Northwind Retail Ltd", ref: "VAT:GB284613957", roles: Role.BUYER, wallet: nwWallet },
    bank1: {
      name: "Harbor Commercial Bank",
      ref: "LEI:549300HBRC0MMBNK7K21",
      roles: Role.FINANCIER,
      wallet: bank1,
    },
    bank2: {
      name: "Pearl River Trade Bank",
      ref: "LEI:3003009TPRTB8KQ2LL57",
      roles: Role.FINANCIER,
      wallet: bank2,
    },
    regulator: {
      name: "Financial Supervisory Authority",
      ref: "LEI:984500FSA0SUPRVS0R12",
      roles: Role.REGULATOR,
      wallet: regulatorWallet,
    },
  } satisfies Record<string, Actor>;
  const kycExpiry = (await time.latest()) + 2 * 365 * DAY;

  // ------------------------------------------------------------ 1. deploy
  out.heading("Deploy through Ignition: core, tUSD, two pools, roles, participants, pools bound");
  const pearlPolicy = standardPolicy(DECIMALS, {
    baseRateBps: 650n,
    maxTenorDays: 120n,
    autoApprovalLimit: usd("250000"),
    recourse: true,
  });
  // One deployment (src/deploy.ts): the admin grants the roles and allowlists tUSD; the onboarder registers every
  // participant but the regulator (only the admin gives an entity REGULATOR) and binds each pool to its bank,
  // pull-only in one transaction, so it takes receivables only through finance.
  const deployed = await deployTradeFin(hre, {
    core: { defaultGracePeriod: 30 * DAY },
    localStablecoin: true,
    roles: {
      ONBOARDER_ROLE: [onboarder.address],
      RATING_AGENT_ROLE: [ratingAgent.address],
      PAUSER_ROLE: [admin.address],
    },
    entities: Object.values(actors).map((a) => ({
      id: entityId(a.ref),
      roles: a.roles,
      kycExpiry,
      wallets: [a.wallet.address],
    })),
    pools: {
      Harbor: { manager: bank1.address, policy: standardPolicy(DECIMALS), bankEntity: entityId(actors.bank1.ref) },
      Pearl: { manager: bank2.address, policy: pearlPolicy, bankEntity: entityId(actors.bank2.ref) },
    },
  });
  const { participants, receivables, riskEngine, lens } = deployed;
  const usdToken = deployed.stablecoin as MockStablecoin;
  const usdAddress = await usdToken.getAddress();
  const harbor = deployed.pools.Harbor;
  const pearl = deployed.pools.Pearl;
  const harborAddress = await harbor.getAddress();
  const pearlAddress = await pearl.getAddress();
  out.table(
    ["Contract", "Address"],
    [
      ["ParticipantRegistry", await participants.getAddress()],
      ["ReceivableRegistry (ERC-721)", await receivables.getAddress()],
      ["RiskEngine", await riskEngine.getAddress()],
      ["ReceivableLens (read-only views)", await lens.getAddress()],
      ["FinancingPool of Harbor Commercial Bank", harborAddress],
      ["FinancingPool of Pearl River Trade Bank", pearlAddress],
      [`MockStablecoin (${SYMBOL}, ${DECIMALS} decimals, local only)`, usdAddress],
    ],
  );

  // ------------------------------------------------------------ 2. onboard
  out.heading("Onboarded: roles, participants, pools bound to their banks");
  const holds = async (role: Promise<string>, who: string) => participants.hasRole(await role, who);
  out.table(
    ["Access role", "Holder", "Does", "Granted"],
    [
      [
        "ONBOARDER_ROLE",
        `TradeFin KYC Services (${onboarder.address})`,
        "registers and suspends participants",
        await holds(participants.ONBOARDER_ROLE(), onboarder.address),
      ],
      [
        "RATING_AGENT_ROLE",
        `Meridian Credit Ratings (${ratingAgent.address})`,
        "posts buyers' PDs",
        await holds(participants.RATING_AGENT_ROLE(), ratingAgent.address),
      ],
      [
        "PAUSER_ROLE",
        `Network guardian (${admin.address})`,
        "pauses new business, never payments",
        await holds(participants.PAUSER_ROLE(), admin.address),
      ],
    ],
  );
  const rows: (string | number | boolean)[][] = [];
  for (const a of Object.values(actors)) {
    const e = await participants.entity(entityId(a.ref));
    const pool = a === actors.bank1 ? " + Harbor pool" : a === actors.bank2 ? " + Pearl pool" : "";
    rows.push([
      a.name,
      a.ref,
      Number(e.index),
      roleNames(Number(e.roles)).join(","),
      `${a.wallet.address.slice(0, 10)}…${pool}`,
      await participants.isEntityActive(entityId(a.ref), a.roles),
    ]);
  }
  out.table(["Participant", "Identifier", "Index", "Roles", "Wallets", "Active"], rows);
  out.say('Only keccak256("SCHEME:IDENTIFIER") goes on chain; nothing else about the companies.');

  const entityNames = new Map<string, string>(Object.values(actors).map((a) => [entityId(a.ref), a.name]));
  const walletNames = new Map<string, string>(
    Object.values(actors).map((a) => [a.wallet.address.toLowerCase(), a.name]),
  );
  const describeEntity = (id: string) => entityNames.get(id);
  const describeWallet = (w: string) =>
    w.toLowerCase() === harborAddress.toLowerCase()
      ? "Harbor pool"
      : w.toLowerCase() === pearlAddress.toLowerCase()
        ? "Pearl pool"
        : walletNames.get(w.toLowerCase());
  const keyLabels = new Map<string, string>();
  const decodeCtx = {
    describeEntity,
    describeWallet,
    describeToken: (t: string) => (t.toLowerCase() === usdAddress.toLowerCase() ? SYMBOL : undefined),
    describeKey: (k: string) => keyLabels.get(k),
    formatAmount: (units: bigint) => fmt(units),
  };
  /** Prints a pool's assessment of a receivable and every reason code in words. */
  const printAssessment = async (bank: string, rid: bigint, pool: FinancingPool) => {
    const a = assessmentFromChain(await riskEngine.assessForPool(rid, await pool.getAddress()));
    const buyer = describeEntity(await participants.entityIdAt((await lens.receivable(rid)).buyerIndex));
    out.table(
      [
        "Receivable",
        "Bank",
        "Grade",
        "Annual PD",
        "PD to maturity",
        "Tenor",
        "Advance rate",
        "Discount",
        "Gross advance (max)",
      ],
      [
        [
          `#${rid} on ${buyer}`,
          bank,
          GRADES[a.grade],
          formatBps(a.pdBps),
          formatBps(a.horizonPdBps),
          `${a.tenorDays} days`,
          formatBps(a.advanceRateBps),
          formatBps(a.discountBps),
          a.eligible ? fmt(a.maxAdvance) : "not eligible",
        ],
      ],
    );
    for (const sentence of explain(a)) out.say(`  - ${sentence}`);
    return a;
  };
  /** Runs `action`, which must revert, and prints the revert in words. */
  const refused = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (err) {
      const decoded = await decodeError(err, decodeCtx);
      if (!decoded) throw err;
      out.say(`${what}: refused, ${decoded.sentence} [${decoded.name}]`);
      return decoded;
    }
    throw new Error(`${what} should have been refused`);
  };

  // ---------------------------------------------------- 3. currency, money
  out.heading(`Fund the pools and the buyers in ${SYMBOL}`);
  out.say(`${SYMBOL} is on the currency allowlist: ${await participants.isCurrencyAllowed(usdAddress)}.`);
  const funding: [HardhatEthersSigner, FinancingPool | null, bigint][] = [
    [bank1, harbor, usd("1000000")],
    [bank2, pearl, usd("500000")],
    [gmWallet, null, usd("1000000")],
    [nwWallet, null, usd("10000")],
  ];
  for (const [wallet, pool, amount] of funding) {
    await sent(usdToken.mint(wallet.address, amount));
    if (pool) {
      await sent(usdToken.connect(wallet).approve(await pool.getAddress(), amount));
      await sent(pool.connect(wallet).deposit(amount));
    } else {
      await sent(usdToken.connect(wallet).approve(await receivables.getAddress(), ethers.MaxUint256));
    }
  }
  out.table(
    ["Who", "Funds"],
    [
      ["Harbor pool liquidity", fmt(await harbor.liquidity())],
      ["Pearl pool liquidity", fmt(await pearl.liquidity())],
      [actors.gm.name, fmt(await usdToken.balanceOf(gmWallet.address))],
      [actors.nw.name, fmt(await usdToken.balanceOf(nwWallet.address))],
    ],
  );

  // --------------------------------------------------- 4. CSV submission
  out.heading("Submit invoices: the SME's ERP export, parsed and sent in one batch");
  const t0 = await time.latest();
  const dir = mkdtempSync(join(tmpdir(), "tradefin-demo-"));
  mkdirSync(join(dir, "docs"));
  const issue = isoDate(t0 - 5 * DAY);
  const due = (days: number) => isoDate(t0 + days * DAY);
  const csv = [
    "invoice_number,buyer_id,currency,amount,issue_date,due_date,document",
    `SPP-2026-0141,${actors.gm.ref},${SYMBOL},250000.00,${issue},${due(60)},docs/SPP-2026-0141.xml`,
    `spp-2026-0142 ,${actors.gm.ref.toLowerCase()},${SYMBOL},120000,${issue},${due(45)},`,
    `SPP-2026-0143,${actors.nw.ref},${SYMBOL},60000.00,${issue},${due(30)},`,
    `SPP-2026-0144,${actors.gm.ref},${SYMBOL},15000.00,${issue},${due(30)},`,
    `SPP-2026-0145,${actors.gm.ref},${SYMBOL},40000.00,${issue},${due(120)},`,
  ].join("\n");
  const csvPath = join(dir, "invoices.csv");
  writeFileSync(csvPath, `${csv}\n`);
  writeFileSync(
    join(dir, "docs", "SPP-2026-0141.xml"),
    `<Invoice><ID>SPP-2026-0141</ID><Amount currency="USD">250000.00</Amount></Invoice>\n`,
  );
  out.say(`ERP export ${csvPath}:\n${csv}`);
  const parsed = parseInvoiceFile(csvPath, {
    currencies: { [SYMBOL]: { address: usdAddress, decimals: DECIMALS } },
    now: t0,
  });
  if (!parsed.ok) {
    throw new Error(`the demo CSV does not validate: ${parsed.errors.map((e) => `${e.line}:${e.message}`).join("; ")}`);
  }
  const invoices: NormalisedInvoice[] = parsed.invoices;
  const salts = invoices.map(() => randomSalt());
  const inputs = invoices.map((inv, i) => toInvoiceInput(inv, invoiceDocHash(inv, salts[i])));
  const firstId = (await lens.totalMinted()) + 1n;
  await sent(receivables.connect(smeWallet).submitBatch(inputs));
  const smeEntity = entityId(actors.sme.ref);
  const idOf = new Map<string, bigint>();
  const invoiceRows = invoices.map((inv, i) => {
    const id = firstId + BigInt(i);
    idOf.set(inv.invoiceNumber, id);
    const key = invoiceKey(smeEntity, inv.buyerEntityId, inv.invoiceNumberHash);
    keyLabels.set(key, `${inv.invoiceNumber} from ${actors.sme.name} to ${entityNames.get(inv.buyerEntityId)}`);
    return [
      `#${id}`,
      `line ${inv.line}`,
      inv.invoiceNumber,
      entityNames.get(inv.buyerEntityId) ?? inv.buyerRef,
      fmt(inv.amount),
      isoDate(inv.dueDate),
      inv.documentPath ? "salted hash of the XML" : "none",
      `${key.slice(0, 12)}…`,
    ];
  });
  out.table(
    ["Receivable", "CSV", "Invoice (canonical)", "Buyer", "Face", "Due", "Document", "Invoice key"],
    invoiceRows,
  );
  out.say('The invoice number is canonicalised before hashing: "spp-2026-0142 " became SPP-2026-0142.');
  const id = (n: string) => idOf.get(n)!;

  // ---------------------------------------------- 5. submitAcknowledged
  out.heading("An invoice submitted already acknowledged: the buyer signed off-chain (EIP-712)");
  const domain = receivablesDomain(chainId, await receivables.getAddress());
  const lateInvoice = {
    buyerEntityId: entityId(actors.gm.ref),
    currency: usdAddress,
    amount: usd("90000"),
    issueDate: t0 - 2 * DAY,
    dueDate: t0 + 90 * DAY,
    invoiceNumberHash: invoiceNumberHash("SPP-2026-0150"),
    docHash: ethers.ZeroHash,
  };
  const lateKey = invoiceKey(smeEntity, lateInvoice.buyerEntityId, lateInvoice.invoiceNumberHash);
  keyLabels.set(lateKey, `SPP-2026-0150 from ${actors.sme.name} to ${actors.gm.name}`);
  const gmEthBefore = await ethers.provider.getBalance(gmWallet.address);
  const deadline = BigInt(t0 + DAY);
  const signature = await signAcknowledgement(
    gmWallet,
    domain,
    submissionAcknowledgement(lateKey, lateInvoice, acknowledgementNonce(lateKey), deadline),
  );
  const lateId = (await lens.totalMinted()) + 1n;
  await sent(
    receivables.connect(smeWallet).submitAcknowledged(lateInvoice, acknowledgementNonce(lateKey), deadline, signature),
  );
  idOf.set("SPP-2026-0150", lateId);
  out.table(
    ["Receivable", "Invoice", "Face", "Due", "Status", "Signed by", "Gas paid by"],
    [
      [
        `#${lateId}`,
        "SPP-2026-0150",
        fmt(lateInvoice.amount),
        isoDate(lateInvoice.dueDate),
        STATUS_NAMES[Number((await lens.receivable(lateId)).status)],
        `${actors.gm.name} (EIP-712, nonce, deadline, chain id, registry address)`,
        actors.sme.name,
      ],
    ],
  );

  // ---------------------------------------------------- 6. acknowledgement
  out.heading("Acknowledgement by the buyer: by signature (relayed), by transaction, and a rejection");
  for (const n of ["SPP-2026-0141", "SPP-2026-0142", "SPP-2026-0145"]) {
    const rid = id(n);
    const r = await lens.receivable(rid);
    const key = invoiceKey(smeEntity, entityId(actors.gm.ref), invoiceNumberHash(n));
    const nonce = acknowledgementNonce(key);
    const sig = await signAcknowledgement(gmWallet, domain, {
      id: rid,
      invoiceKey: key,
      amount: r.faceAmount,
      dueDate: r.dueDate,
      nonce,
      deadline,
    });
    await sent(receivables.connect(smeWallet).acknowledgeWithSig(rid, key, nonce, deadline, sig));
  }
  const gmEthAfter = await ethers.provider.getBalance(gmWallet.address);
  await sent(receivables.connect(nwWallet).acknowledge(id("SPP-2026-0143")));
  await sent(receivables.connect(gmWallet).reject(id("SPP-2026-0144"), ethers.encodeBytes32String("QUANTITY DISPUTE")));
  const how: Record<string, string> = {
    "SPP-2026-0141": "EIP-712 signature, relayed by the SME",
    "SPP-2026-0142": "EIP-712 signature, relayed by the SME",
    "SPP-2026-0143": "transaction by Northwind Retail",
    "SPP-2026-0144": "rejected by Global Motors: QUANTITY DISPUTE",
    "SPP-2026-0145": "EIP-712 signature, relayed by the SME",
    "SPP-2026-0150": "EIP-712 signature at submission",
  };
  const ackRows: string[][] = [];
  for (const [n, rid] of idOf) {
    const r = await lens.receivable(rid);
    ackRows.push([`#${rid}`, n, STATUS_NAMES[Number(r.status)], how[n]]);
  }
  out.table(["Receivable", "Invoice", "Status", "How"], ackRows);
  out.say(
    `Global Motors' ETH balance across four acknowledgements by signature: ` +
      `${ethers.formatEther(gmEthBefore)} → ${ethers.formatEther(gmEthAfter)} ETH ` +
      `(${gmEthBefore === gmEthAfter ? "unchanged: the buyer paid no gas" : "changed"}).`,
  );
  out.say("Double-financing guard: the SME tries to tokenize SPP-2026-0141 again, written differently.");
  await refused('Submitting "spp-2026-0141"', () =>
    receivables.connect(smeWallet).submit({
      ...inputs[0],
      invoiceNumberHash: invoiceNumberHash("spp-2026-0141"),
    }),
  );

  // ------------------------------------------------------------- 7. split
  out.heading("Split: the SME pays its tier-2 supplier with part of Global Motors' confirmed debt");
  const parentId = id("SPP-2026-0142");
  const firstChild = (await lens.totalMinted()) + 1n;
  await sent(receivables.connect(smeWallet).split(parentId, [usd("80000"), usd("40000")]));
  const keptChild = firstChild;
  const tier2Child = firstChild + 1n;
  await sent(receivables.connect(smeWallet).transferFrom(smeWallet.address, tier2Wallet.address, tier2Child));
  const lineage: string[][] = [];
  for (const rid of [parentId, keptChild, tier2Child]) {
    const r = await lens.receivable(rid);
    lineage.push([
      `#${rid}`,
      rid === parentId ? "invoice" : `child of #${await lens.parentOf(rid)}`,
      `#${await receivables.rootOf(rid)}`,
      fmt(r.faceAmount),
      STATUS_NAMES[Number(r.status)],
      describeWallet(await receivables.ownerOf(rid)) ?? "?",
    ]);
  }
  out.table(["Receivable", "Lineage", "Root", "Face", "Status", "Holder"], lineage);
  out.say(
    `${actors.tier2.name} now holds a receivable on ${actors.gm.name} itself: it can be financed at the buyer's ` +
      `credit quality, not its own.`,
  );

  // ------------------------------------------------------------ 8. rating
  out.heading("Rating agent posts the buyer's probability of default");
  const ratingExpiry = (await time.latest()) + 365 * DAY;
  await sent(riskEngine.connect(ratingAgent).setRating(entityId(actors.gm.ref), 60, ratingExpiry));
  out.table(
    ["Buyer", "Annual PD", "Valid until"],
    [
      [actors.gm.name, formatBps(60), isoDate(ratingExpiry)],
      [actors.nw.name, "not rated (policy's unrated PD applies)", "–"],
    ],
  );

  // ------------------------------------------------------------ 9. assess
  out.heading("Assess: explainable risk grades under each bank's policy");
  const assessments: [string, bigint, FinancingPool][] = [
    ["Harbor", id("SPP-2026-0141"), harbor],
    ["Harbor", id("SPP-2026-0143"), harbor],
    ["Pearl", tier2Child, pearl],
  ];
  const firstAssessments = [];
  for (const [bank, rid, pool] of assessments) firstAssessments.push(await printAssessment(bank, rid, pool));

  // ----------------------------------------------------------- 10. finance
  out.heading("Financing by two banks");
  const quoteRow = async (bank: string, pool: FinancingPool, rid: bigint) => {
    const q = await pool.quote(rid);
    return {
      q,
      row: [
        `#${rid}`,
        bank,
        GRADES[Number(q.assessment.grade)],
        fmt(q.advance),
        fmt(q.fee),
        fmt(q.netAdvance),
        fmt(q.reserve),
        q.needsApproval ? "yes" : "no",
        formatTimestamp(q.validUntil),
      ],
    };
  };
  const quoteHead = [
    "Receivable",
    "Bank",
    "Grade",
    "Gross advance",
    "Fee",
    "Net paid out",
    "Reserve",
    "Approval",
    "Valid until",
  ];
  await sent(receivables.connect(smeWallet).setApprovalForAll(harborAddress, true));
  await sent(receivables.connect(smeWallet).setApprovalForAll(pearlAddress, true));
  await sent(receivables.connect(tier2Wallet).setApprovalForAll(pearlAddress, true));
  const onTimeId = id("SPP-2026-0141");
  const defaultId = id("SPP-2026-0143");
  const pearlSmeId = id("SPP-2026-0145");
  const quotes = [
    await quoteRow("Harbor", harbor, onTimeId),
    await quoteRow("Harbor", harbor, defaultId),
    await quoteRow("Pearl", pearl, tier2Child),
    await quoteRow("Pearl", pearl, pearlSmeId),
  ];
  out.say("Quotes:");
  out.table(
    quoteHead,
    quotes.map((x) => x.row),
  );
  const financeDeadline = (await time.latest()) + 3600;
  const smeBefore = await usdToken.balanceOf(smeWallet.address);
  const tier2Before = await usdToken.balanceOf(tier2Wallet.address);
  await sent(harbor.connect(smeWallet).finance(onTimeId, quotes[0].q.netAdvance, quotes[0].q.fee, financeDeadline));
  out.say(
    `#${onTimeId}: the gross advance is above Harbor's auto-approval limit, so a request was recorded ` +
      `(status ${FINANCING_STATUS_NAMES[Number((await harbor.financing(onTimeId)).status)]}); Harbor's manager approves it.`,
  );
  await sent(harbor.connect(bank1).approveRequest(onTimeId));
  await sent(harbor.connect(smeWallet).finance(defaultId, quotes[1].q.netAdvance, quotes[1].q.fee, financeDeadline));
  await sent(pearl.connect(tier2Wallet).finance(tier2Child, quotes[2].q.netAdvance, quotes[2].q.fee, financeDeadline));
  await sent(pearl.connect(smeWallet).finance(pearlSmeId, quotes[3].q.netAdvance, quotes[3].q.fee, financeDeadline));
  const financedRows: string[][] = [];
  for (const [bank, pool, rid] of [
    ["Harbor", harbor, onTimeId],
    ["Harbor", harbor, defaultId],
    ["Pearl", pearl, tier2Child],
    ["Pearl", pearl, pearlSmeId],
  ] as const) {
    const f = await pool.financing(rid);
    financedRows.push([
      `#${rid}`,
      bank,
      describeWallet(f.supplier) ?? f.supplier,
      FINANCING_STATUS_NAMES[Number(f.status)],
      fmt(f.advance),
      fmt(f.fee),
      fmt(f.advance - f.fee),
      describeWallet(await receivables.ownerOf(rid)) ?? "?",
    ]);
  }
  out.table(
    ["Receivable", "Bank", "Supplier", "Financing", "Gross advance", "Fee", "Net paid out", "Holder now"],
    financedRows,
  );
  out.say(
    `${actors.sme.name} received ${fmt((await usdToken.balanceOf(smeWallet.address)) - smeBefore)}; ` +
      `${actors.tier2.name} received ${fmt((await usdToken.balanceOf(tier2Wallet.address)) - tier2Before)}.`,
  );

  // ------------------------------------------------------ 11. pay on time
  out.heading("Payment on time: collection, reserve released, withdrawals");
  const tier2Due = Number((await lens.receivable(tier2Child)).dueDate);
  await time.increaseTo(tier2Due - DAY);
  await sent(receivables.connect(gmWallet).pay(tier2Child, usd("40000")));
  await sent(receivables.connect(gmWallet).pay(keptChild, usd("30000")));
  const pearlCollected = eventIn(await sent(pearl.collect(tier2Child)), pearl, "Collected");
  const tier2Reserve = await pearl.reserveOf(tier2Wallet.address);
  await sent(pearl.connect(tier2Wallet).withdrawReserve(tier2Wallet.address));
  await sent(receivables.connect(smeWallet).withdraw(usdAddress, smeWallet.address));
  const onTimeDue = Number((await lens.receivable(onTimeId)).dueDate);
  await time.increaseTo(onTimeDue - DAY);
  await sent(receivables.connect(gmWallet).pay(onTimeId, usd("250000")));
  const collected = eventIn(await sent(harbor.collect(onTimeId)), harbor, "Collected");
  const smeReserve = await harbor.reserveOf(smeWallet.address);
  await sent(harbor.connect(smeWallet).withdrawReserve(smeWallet.address));
  out.table(
    ["Receivable", "Paid by buyer", "Status", "Pool: principal", "Pool: fee", "Reserve to supplier", "Withdrawn by"],
    [
      [
        `#${tier2Child}`,
        fmt(usd("40000")),
        STATUS_NAMES[Number((await lens.receivable(tier2Child)).status)],
        fmt(pearlCollected.args.principal as bigint),
        fmt(pearlCollected.args.fee as bigint),
        fmt(tier2Reserve),
        actors.tier2.name,
      ],
      [
        `#${onTimeId}`,
        fmt(usd("250000")),
        STATUS_NAMES[Number((await lens.receivable(onTimeId)).status)],
        fmt(collected.args.principal as bigint),
        fmt(collected.args.fee as bigint),
        fmt(smeReserve),
        actors.sme.name,
      ],
      [
        `#${keptChild}`,
        fmt(usd("30000")),
        STATUS_NAMES[Number((await lens.receivable(keptChild)).status)],
        "not financed",
        "–",
        "–",
        `${actors.sme.name} (from the registry)`,
      ],
    ],
  );
  out.say(
    `Harbor's financing of #${onTimeId}: ${FINANCING_STATUS_NAMES[Number((await harbor.financing(onTimeId)).status)]}; ` +
      `Pearl's of #${tier2Child}: ${FINANCING_STATUS_NAMES[Number((await pearl.financing(tier2Child)).status)]}.`,
  );

  // --------------------------------------------------------- 12. pay late
  out.heading("Payment a few days late");
  const lateDue = Number((await lens.receivable(lateId)).dueDate);
  await time.increaseTo(lateDue + 5 * DAY - 3600);
  const payLate = await sent(receivables.connect(gmWallet).pay(lateId, usd("90000")));
  const daysLate = eventIn(payLate, receivables, "ReceivableSettled").args.daysLate as bigint;
  await sent(receivables.connect(smeWallet).withdraw(usdAddress, smeWallet.address));
  const gmRecord = await lens.buyerRecord(entityId(actors.gm.ref));
  out.table(
    ["Receivable", "Due", "Paid on", "Days late", "Global Motors' record"],
    [
      [
        `#${lateId}`,
        isoDate(lateDue),
        isoDate(await time.latest()),
        daysLate,
        `${gmRecord.paidOnTimeCount} on time, ${gmRecord.paidLateCount} late (${gmRecord.totalDaysLate} days)`,
      ],
    ],
  );

  // ---------------------------------------------------------- 13. default
  out.heading("Default after the due date and the grace period, written off by the bank");
  const nwDue = Number((await lens.receivable(defaultId)).dueDate);
  const grace = Number(await lens.defaultGracePeriod());
  out.say(
    `#${defaultId} (${actors.nw.name}) was due ${isoDate(nwDue)}; a default may be declared after ` +
      `${isoDate(nwDue + grace)} (grace ${grace / DAY} days). Today is ${isoDate(await time.latest())}; nothing was paid.`,
  );
  const writeOffReceipt = await sent(harbor.connect(bank1).writeOff(defaultId));
  const writtenOff = eventIn(writeOffReceipt, harbor, "WrittenOff").args.loss as bigint;
  const nwRecord = await lens.buyerRecord(entityId(actors.nw.ref));
  out.table(
    ["Receivable", "Status", "Harbor financing", "Loss booked", "Harbor losses", "Northwind defaults"],
    [
      [
        `#${defaultId}`,
        STATUS_NAMES[Number((await lens.receivable(defaultId)).status)],
        FINANCING_STATUS_NAMES[Number((await harbor.financing(defaultId)).status)],
        fmt(writtenOff),
        fmt(await harbor.losses()),
        `${nwRecord.defaultCount}`,
      ],
    ],
  );
  out.say("The default is now on Northwind's on-chain record; every bank's risk engine sees it.");

  // ---------------------------------------------------- 14. new business
  out.heading("New business: the payment record feeds the next assessment");
  const t1 = await time.latest();
  const fresh = [
    { number: "SPP-2026-0160", amount: usd("100000"), days: 60 },
    { number: "SPP-2026-0161", amount: usd("25000"), days: 45 },
  ];
  const freshIds: bigint[] = [];
  for (const f of fresh) {
    const rid = (await lens.totalMinted()) + 1n;
    await sent(
      receivables.connect(smeWallet).submit({
        buyerEntityId: entityId(actors.gm.ref),
        currency: usdAddress,
        amount: f.amount,
        issueDate: t1 - DAY,
        dueDate: t1 + f.days * DAY,
        invoiceNumberHash: invoiceNumberHash(f.number),
        docHash: ethers.ZeroHash,
      }),
    );
    await sent(receivables.connect(gmWallet).acknowledge(rid));
    freshIds.push(rid);
  }
  const [newId, freezeId] = freshIds;
  out.say(
    `${actors.sme.name} submitted SPP-2026-0160 (#${newId}) and SPP-2026-0161 (#${freezeId}); both acknowledged.`,
  );
  const newAssessment = await printAssessment("Harbor", newId, harbor);
  const newQuote = await quoteRow("Harbor", harbor, newId);
  await sent(
    harbor.connect(smeWallet).finance(newId, newQuote.q.netAdvance, newQuote.q.fee, (await time.latest()) + 3600),
  );
  out.table(quoteHead, [newQuote.row]);
  out.say(
    `Harbor financed #${newId}: grade ${GRADES[newAssessment.grade]} at a PD of ${formatBps(newAssessment.pdBps)}, ` +
      `against ${formatBps(firstAssessments[0].pdBps)} before Global Motors paid late.`,
  );

  // ----------------------------------------------------------- 15. freeze
  out.heading("Regulator freeze");
  const frozenId = freezeId;
  await sent(receivables.connect(regulatorWallet).freeze(frozenId, ethers.encodeBytes32String("AML REVIEW")));
  out.say(`${actors.regulator.name} froze #${frozenId} (reason AML REVIEW).`);
  const pearlRefusal = await refused(`${actors.sme.name} asks Pearl to finance #${frozenId}`, async () =>
    sent(pearl.connect(smeWallet).finance(frozenId, 0, 0, (await time.latest()) + 3600)),
  );
  if (pearlRefusal.name === "PoolNotEligible") {
    for (const line of explain({ reasonCodes: pearlRefusal.args.reasonCodes as bigint })) out.say(`  - ${line}`);
  }
  await refused(`${actors.sme.name} transfers #${frozenId} to ${actors.tier2.name}`, () =>
    sent(receivables.connect(smeWallet).transferFrom(smeWallet.address, tier2Wallet.address, frozenId)),
  );
  await refused(`${actors.sme.name} splits #${frozenId}`, () =>
    sent(receivables.connect(smeWallet).split(frozenId, [usd("20000"), usd("5000")])),
  );
  await sent(receivables.connect(gmWallet).pay(frozenId, usd("10000")));
  const frozenNow = await lens.receivable(frozenId);
  out.say(
    `Payment is never blocked: Global Motors paid ${fmt(usd("10000"))} on the frozen #${frozenId} ` +
      `(now ${STATUS_NAMES[Number(frozenNow.status)]}, ${fmt(frozenNow.faceAmount - frozenNow.paidAmount)} outstanding).`,
  );

  // ----------------------------------------------------------- 16. report
  out.heading("Portfolio and supervision report");
  const contracts: ReportContracts = {
    participants,
    receivables,
    lens,
    riskEngine,
    pools: [
      { name: "Harbor", pool: harbor },
      { name: "Pearl", pool: pearl },
    ],
  };
  const report = await buildReport(contracts, { names: { entity: describeEntity, wallet: describeWallet } });
  out.say(renderReport(report, { receivables: true }));
  out.say("\n(The same report for machines: `npx hardhat report --json --network localhost` against a running node.)");

  return {
    contracts: { ...contracts, usd: usdToken },
    report,
    ids: {
      onTime: onTimeId,
      splitParent: parentId,
      keptChild,
      tier2Child,
      defaulted: defaultId,
      rejected: id("SPP-2026-0144"),
      frozen: frozenId,
      late: lateId,
      pearlSme: pearlSmeId,
      newlyFinanced: newId,
    },
    daysLate,
    writtenOff,
  };
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
