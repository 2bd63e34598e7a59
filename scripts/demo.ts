/**
 * `npm run demo` (`hardhat run scripts/demo.ts`): the whole TradeFin story on the in-process Hardhat network.
 *
 * The story is {@link STEPS}, a list of named steps run in order; each is a small function over the shared
 * {@link Story} (the printer, the actors, the contracts once deployed, the ids and facts collected so far) and
 * does its chain work through the SDK (src/chain/invoices.ts, pools.ts, tx.ts, batch.ts, report/, src/pure/*), the
 * same calls the tasks make:
 *
 *  1. `deploy`: deploy through Ignition with `deployTradeFin()` (src/hardhat/deploy.ts): core, test stablecoin
 *     (allowlisted), one financing pool per bank, the access roles, the actors under real-looking LEI / USCC /
 *     VAT identifiers, and each pool bound to its bank;
 *  2. `onboarded`: what the onboarding left on chain: roles, participants, pools;
 *  3. `fund`: fund the banks' pools and the buyers;
 *  4. `submit-csv`: an SME submits its ERP's CSV export (parsed with src/pure/invoice.ts) in one batch
 *     (src/chain/batch.ts);
 *  5. `submit-signed`: another invoice arrives already acknowledged: the buyer signed off-chain (EIP-712), the SME
 *     sent it;
 *  6. `acknowledge`: the buyer acknowledges by signature (relayed by the SME, the buyer pays no gas), by
 *     transaction, and rejects a disputed invoice; a re-submission of the same invoice is refused (the
 *     double-financing guard);
 *  7. `split`: the SME splits a confirmed invoice and pays its own tier-2 supplier with a part;
 *  8. `rating`: a rating agent posts the buyer's probability of default;
 *  9. `assess`: the banks' risk assessments, explained in words;
 * 10. `finance`: financing by two banks (one above the auto-approval limit, approved by the bank's manager);
 * 11. `pay-on-time`: payment on time (collection, reserve released, withdrawals);
 * 12. `pay-late`: payment a few days late;
 * 13. `default`: a default after the due date plus the grace period, written off by the bank;
 * 14. `new-business`: the buyer's payment record moves the next assessment;
 * 15. `freeze`: a regulator freeze: what it blocks (financing, transfer, split) and what it never blocks (payment);
 * 16. `report`: the portfolio and supervision report.
 *
 * `main()` runs the steps, printing each one's title as a numbered heading, and is exported so
 * test/demo.test.ts can run it in process and check its outcome.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import Table from "cli-table3";
import type { FinancingPool, MockStablecoin } from "../typechain-types";
import { entityId, Role, roleNames } from "../src/pure/ids";
import { invoiceNumberHash, parseInvoiceFile, toInvoiceInput, type InvoiceInput } from "../src/pure/invoice";
import {
  decodeError,
  formatTimestamp,
  FINANCING_STATUS_NAMES,
  STATUS_NAMES,
  type DecodeContext,
} from "../src/pure/errors";
import { formatAmount, formatBps, parseAmount } from "../src/pure/money";
import { assessmentFromChain, explain, GRADES, type Assessment } from "../src/pure/risk";
import { standardPolicy } from "../src/pure/policy";
import { deployTradeFin, type TradeFinDeployment } from "../src/hardhat/deploy";
import { submitInvoices } from "../src/chain/batch";
import { confirm } from "../src/chain/tx";
import {
  acknowledgeReceivable,
  payReceivable,
  relayAcknowledgement,
  signReceivableAcknowledgement,
  splitReceivable,
  submitAcknowledgedInvoice,
  submitInvoice,
  type Payment,
} from "../src/chain/invoices";
import {
  collectPayments,
  depositLiquidity,
  financeReceivable,
  writeOffFinancing,
  type Collected,
  type FinancingResult,
} from "../src/chain/pools";
import {
  buildReport,
  renderReport,
  reportContracts,
  type PortfolioReport,
  type ReportContracts,
} from "../src/chain/report";

const DAY = 24 * 3600;
const DECIMALS = 6;
const SYMBOL = "tUSD";

/** Options of {@link main}. */
export interface DemoOptions {
  /** Where each line of output goes (default console.log). */
  log?: (line: string) => void;
}

/** Receivable ids by their role in the story. */
export interface DemoIds {
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
}

/** What the demo leaves behind, for tests. */
export interface DemoResult {
  contracts: ReportContracts & { usd: MockStablecoin };
  report: PortfolioReport;
  /** Receivable ids by role in the story. */
  ids: DemoIds;
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

/** The participants of the story. */
type Actors = Record<"sme" | "tier2" | "gm" | "nw" | "bank1" | "bank2" | "regulator", Actor>;

/** Holders of the access roles (wallets of no participant). */
interface Operators {
  admin: HardhatEthersSigner;
  onboarder: HardhatEthersSigner;
  ratingAgent: HardhatEthersSigner;
}

/** The participants under their real-looking identifiers, with the wallets of the Hardhat accounts. */
function castOf(signers: HardhatEthersSigner[]): { operators: Operators; actors: Actors } {
  const [admin, onboarder, ratingAgent, regulatorWallet, smeWallet, tier2Wallet, gmWallet, nwWallet, bank1, bank2] =
    signers;
  const actors: Actors = {
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
  };
  return { operators: { admin, onboarder, ratingAgent }, actors };
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

// --------------------------------------------------------------------- story

/** The deployment the story runs on (set by the `deploy` step); `pools` holds Harbor and Pearl. */
interface StoryContracts extends Pick<
  TradeFinDeployment,
  "participants" | "receivables" | "riskEngine" | "lens" | "pools"
> {
  harbor: FinancingPool;
  pearl: FinancingPool;
  usd: MockStablecoin;
  usdAddress: string;
  harborAddress: string;
  pearlAddress: string;
}

/** What a step leaves for later steps: the ids of {@link DemoIds} and these. */
interface StoryFacts extends DemoIds {
  contracts: StoryContracts;
  /** Chain time when the invoices were written (`submit-csv`). */
  t0: number;
  /** Deadline of the buyer's acknowledgement signatures. */
  ackDeadline: bigint;
  /** Global Motors' ETH before its first signature. */
  gmEthBefore: bigint;
  /** The CSV's first invoice as submitted (sent again to show the double-financing guard). */
  firstInput: InvoiceInput;
  /** Global Motors' PD in the first assessment, before it paid late. */
  firstPdBps: bigint;
  daysLate: bigint;
  writtenOff: bigint;
  report: PortfolioReport;
}

/** What the steps share: the printer, the actors, and what the story has built and learned so far. */
export class Story {
  /** Receivables of the SME's invoices by invoice number, in submission order, with their invoice keys. */
  readonly invoices = new Map<string, { id: bigint; key: string }>();
  /** Invoice key → how a refusal names the invoice. */
  readonly keyLabels = new Map<string, string>();
  private readonly facts: Partial<StoryFacts> = {};
  private readonly entityNames: Map<string, string>;
  private readonly walletNames: Map<string, string>;

  constructor(
    readonly out: Printer,
    readonly operators: Operators,
    readonly actors: Actors,
    /** KYC expiry of every participant. */
    readonly kycExpiry: number,
  ) {
    const all = Object.values(actors);
    this.entityNames = new Map(all.map((a) => [entityId(a.ref), a.name]));
    this.walletNames = new Map(all.map((a) => [a.wallet.address.toLowerCase(), a.name]));
  }

  /** Records what a step leaves for later ones. */
  set<K extends keyof StoryFacts>(key: K, value: StoryFacts[K]): void {
    this.facts[key] = value;
  }

  /** What an earlier step left; throws when that step has not run. */
  get<K extends keyof StoryFacts>(key: K): StoryFacts[K] {
    const value = this.facts[key];
    if (value === undefined) throw new Error(`the demo has no ${key} yet: an earlier step sets it`);
    return value as StoryFacts[K];
  }

  /** The deployment. */
  get c(): StoryContracts {
    return this.get("contracts");
  }

  /** The receivable of one of the SME's invoices. */
  invoiceId(invoiceNumber: string): bigint {
    const found = this.invoices.get(invoiceNumber);
    if (!found) throw new Error(`the demo has not submitted ${invoiceNumber} yet`);
    return found.id;
  }

  /** The company name of an entity id. */
  entityName(id: string): string | undefined {
    return this.entityNames.get(id);
  }

  /** Who a wallet is: a pool, or a participant. */
  walletName(wallet: string): string | undefined {
    const w = wallet.toLowerCase();
    const { harborAddress, pearlAddress } = this.c;
    if (w === harborAddress.toLowerCase()) return "Harbor pool";
    if (w === pearlAddress.toLowerCase()) return "Pearl pool";
    return this.walletNames.get(w);
  }

  /** Lookups that put the story's names on the ids of a decoded revert. */
  decodeContext(): DecodeContext {
    const { usdAddress } = this.c;
    return {
      describeEntity: (id) => this.entityName(id),
      describeWallet: (w) => this.walletName(w),
      describeToken: (t) => (t.toLowerCase() === usdAddress.toLowerCase() ? SYMBOL : undefined),
      describeKey: (k) => this.keyLabels.get(k),
      formatAmount: (units) => fmt(units),
    };
  }
}

/** One named part of the story: `main()` prints its title as a numbered heading, then runs it. */
export interface DemoStep {
  /** A short name, e.g. "deploy". */
  name: string;
  /** The heading. */
  title: string;
  run: (story: Story) => Promise<void>;
}

// ------------------------------------------------------------------ printing

/** Prints a pool's assessment of a receivable and every reason code in words. */
async function printAssessment(s: Story, bank: string, rid: bigint, pool: FinancingPool): Promise<Assessment> {
  const { riskEngine, participants, lens } = s.c;
  const a = assessmentFromChain(await riskEngine.assessForPool(rid, await pool.getAddress()));
  const buyer = s.entityName(await participants.entityIdAt((await lens.receivable(rid)).buyerIndex));
  s.out.table(
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
  for (const sentence of explain(a)) s.out.say(`  - ${sentence}`);
  return a;
}

/** Runs `action`, which must revert, and prints the revert in words. */
async function refused(s: Story, what: string, action: () => Promise<unknown>) {
  try {
    await action();
  } catch (err) {
    const decoded = await decodeError(err, s.decodeContext());
    if (!decoded) throw err;
    s.out.say(`${what}: refused, ${decoded.sentence} [${decoded.name}]`);
    return decoded;
  }
  throw new Error(`${what} should have been refused`);
}

const QUOTE_HEAD = [
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

/** A pool's quote for a receivable, and its row under {@link QUOTE_HEAD}. */
async function quoteRow(bank: string, pool: FinancingPool, rid: bigint) {
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
}

/** A row of the payments table: what the buyer paid, the receivable's status, the pool's collection. */
async function paymentRow(
  s: Story,
  rid: bigint,
  paid: bigint,
  pool: Collected | undefined,
  reserve: string,
  by: string,
) {
  return [
    `#${rid}`,
    fmt(paid),
    STATUS_NAMES[Number((await s.c.lens.receivable(rid)).status)],
    pool ? fmt(pool.principal) : "not financed",
    pool ? fmt(pool.fee) : "–",
    reserve,
    by,
  ];
}

// ------------------------------------------------------------ chain calls

/** `payer` pays `amount` towards receivable `id` (src/chain/invoices.ts, approving the registry when needed). */
async function pay(s: Story, payer: Actor, id: bigint, amount: bigint): Promise<Payment> {
  const { receivables, lens, usd: token } = s.c;
  const c = { receivables: receivables.connect(payer.wallet), lens };
  return payReceivable(c, token.connect(payer.wallet), payer.wallet.address, id, { amount, format: fmt });
}

/**
 * `holder` finances receivable `id` in `pool` on the terms of a quote: at least its net paid out, at most its fee,
 * for an hour (src/chain/pools.ts: refused before anything is sent when `holder` does not hold it).
 */
async function financeOn(
  s: Story,
  holder: Actor,
  pool: FinancingPool,
  id: bigint,
  quote: { netAdvance: bigint; fee: bigint },
): Promise<FinancingResult> {
  const { receivables, participants, lens } = s.c;
  return financeReceivable(
    { receivables: receivables.connect(holder.wallet), participants, lens },
    pool.connect(holder.wallet),
    holder.wallet.address,
    id,
    {
      minNet: quote.netAdvance,
      maxFee: quote.fee,
      deadline: (await time.latest()) + 3600,
      describeWallet: (w) => s.walletName(w),
    },
  );
}

// --------------------------------------------------------------------- steps

/** A step of the story: its name, its heading and what it does. */
function step(name: string, title: string, run: (story: Story) => Promise<void>): DemoStep {
  return { name, title, run };
}

const deploy = step(
  "deploy",
  "Deploy through Ignition: core, tUSD, two pools, roles, participants, pools bound",
  async (s) => {
    const { actors, operators, kycExpiry } = s;
    const pearlPolicy = standardPolicy(DECIMALS, {
      baseRateBps: 650n,
      maxTenorDays: 120n,
      autoApprovalLimit: usd("250000"),
      recourse: true,
    });
    // One deployment (src/hardhat/deploy.ts): the admin grants the roles and allowlists tUSD; the onboarder registers
    // every participant but the regulator (only the admin gives an entity REGULATOR) and binds each pool to its
    // bank, pull-only in one transaction, so it takes receivables only through finance.
    const deployed = await deployTradeFin(hre, {
      core: { defaultGracePeriod: 30 * DAY },
      localStablecoin: true,
      roles: {
        ONBOARDER_ROLE: [operators.onboarder.address],
        RATING_AGENT_ROLE: [operators.ratingAgent.address],
        PAUSER_ROLE: [operators.admin.address],
      },
      entities: Object.values(actors).map((a) => ({
        id: entityId(a.ref),
        roles: a.roles,
        kycExpiry,
        wallets: [a.wallet.address],
      })),
      pools: {
        Harbor: {
          manager: actors.bank1.wallet.address,
          policy: standardPolicy(DECIMALS),
          bankEntity: entityId(actors.bank1.ref),
        },
        Pearl: { manager: actors.bank2.wallet.address, policy: pearlPolicy, bankEntity: entityId(actors.bank2.ref) },
      },
    });
    const { participants, receivables, riskEngine, lens, pools } = deployed;
    const c: StoryContracts = {
      participants,
      receivables,
      riskEngine,
      lens,
      pools,
      harbor: pools.Harbor,
      pearl: pools.Pearl,
      usd: deployed.stablecoin as MockStablecoin,
      usdAddress: await deployed.stablecoin!.getAddress(),
      harborAddress: await pools.Harbor.getAddress(),
      pearlAddress: await pools.Pearl.getAddress(),
    };
    s.set("contracts", c);
    s.out.table(
      ["Contract", "Address"],
      [
        ["ParticipantRegistry", await participants.getAddress()],
        ["ReceivableRegistry (ERC-721)", await receivables.getAddress()],
        ["RiskEngine", await riskEngine.getAddress()],
        ["ReceivableLens (read-only views)", await lens.getAddress()],
        ["FinancingPool of Harbor Commercial Bank", c.harborAddress],
        ["FinancingPool of Pearl River Trade Bank", c.pearlAddress],
        [`MockStablecoin (${SYMBOL}, ${DECIMALS} decimals, local only)`, c.usdAddress],
      ],
    );
  },
);

const onboarded = step("onboarded", "Onboarded: roles, participants, pools bound to their banks", async (s) => {
  const { participants } = s.c;
  const { admin, onboarder, ratingAgent } = s.operators;
  const { actors } = s;
  const holds = async (role: Promise<string>, who: string) => participants.hasRole(await role, who);
  s.out.table(
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
  s.out.table(["Participant", "Identifier", "Index", "Roles", "Wallets", "Active"], rows);
  s.out.say('Only keccak256("SCHEME:IDENTIFIER") goes on chain; nothing else about the companies.');
});

const fund = step("fund", `Fund the pools and the buyers in ${SYMBOL}`, async (s) => {
  const { participants, receivables, usd: token, usdAddress, harbor, pearl } = s.c;
  const { bank1, bank2, gm, nw } = s.actors;
  s.out.say(`${SYMBOL} is on the currency allowlist: ${await participants.isCurrencyAllowed(usdAddress)}.`);
  const funding: [HardhatEthersSigner, FinancingPool | null, bigint][] = [
    [bank1.wallet, harbor, usd("1000000")],
    [bank2.wallet, pearl, usd("500000")],
    [gm.wallet, null, usd("1000000")],
    [nw.wallet, null, usd("10000")],
  ];
  for (const [wallet, pool, amount] of funding) {
    await confirm(token.mint(wallet.address, amount));
    if (pool) {
      await depositLiquidity(pool.connect(wallet), token.connect(wallet), wallet.address, amount);
    } else {
      // A standing allowance: the buyers' payments below never need another approval.
      await confirm(token.connect(wallet).approve(await receivables.getAddress(), hre.ethers.MaxUint256));
    }
  }
  s.out.table(
    ["Who", "Funds"],
    [
      ["Harbor pool liquidity", fmt(await harbor.liquidity())],
      ["Pearl pool liquidity", fmt(await pearl.liquidity())],
      [gm.name, fmt(await token.balanceOf(gm.wallet.address))],
      [nw.name, fmt(await token.balanceOf(nw.wallet.address))],
    ],
  );
});

const submitCsv = step(
  "submit-csv",
  "Submit invoices: the SME's ERP export, parsed and sent in one batch",
  async (s) => {
    const { receivables, lens, usdAddress } = s.c;
    const { sme, gm, nw } = s.actors;
    const t0 = await time.latest();
    s.set("t0", t0);
    const dir = mkdtempSync(join(tmpdir(), "tradefin-demo-"));
    mkdirSync(join(dir, "docs"));
    const issue = isoDate(t0 - 5 * DAY);
    const due = (days: number) => isoDate(t0 + days * DAY);
    const csv = [
      "invoice_number,buyer_id,currency,amount,issue_date,due_date,document",
      `SPP-2026-0141,${gm.ref},${SYMBOL},250000.00,${issue},${due(60)},docs/SPP-2026-0141.xml`,
      `spp-2026-0142 ,${gm.ref.toLowerCase()},${SYMBOL},120000,${issue},${due(45)},`,
      `SPP-2026-0143,${nw.ref},${SYMBOL},60000.00,${issue},${due(30)},`,
      `SPP-2026-0144,${gm.ref},${SYMBOL},15000.00,${issue},${due(30)},`,
      `SPP-2026-0145,${gm.ref},${SYMBOL},40000.00,${issue},${due(120)},`,
    ].join("\n");
    const csvPath = join(dir, "invoices.csv");
    writeFileSync(csvPath, `${csv}\n`);
    writeFileSync(
      join(dir, "docs", "SPP-2026-0141.xml"),
      `<Invoice><ID>SPP-2026-0141</ID><Amount currency="USD">250000.00</Amount></Invoice>\n`,
    );
    s.out.say(`ERP export ${csvPath}:\n${csv}`);
    const parsed = parseInvoiceFile(csvPath, {
      currencies: { [SYMBOL]: { address: usdAddress, decimals: DECIMALS } },
      now: t0,
    });
    if (!parsed.ok) {
      throw new Error(
        `the demo CSV does not validate: ${parsed.errors.map((e) => `${e.line}:${e.message}`).join("; ")}`,
      );
    }
    const batch = await submitInvoices({
      receivables: receivables.connect(sme.wallet),
      sellerEntityId: entityId(sme.ref),
      invoices: parsed.invoices,
    });
    if (batch.submitted.length !== parsed.invoices.length) {
      throw new Error(`the demo's invoices were already on chain: ${batch.skipped.length} skipped`);
    }
    const rows = batch.submitted.map(({ invoice: inv, key, id }) => {
      s.invoices.set(inv.invoiceNumber, { id, key });
      s.keyLabels.set(key, `${inv.invoiceNumber} from ${sme.name} to ${s.entityName(inv.buyerEntityId)}`);
      return [
        `#${id}`,
        `line ${inv.line}`,
        inv.invoiceNumber,
        s.entityName(inv.buyerEntityId) ?? inv.buyerRef,
        fmt(inv.amount),
        isoDate(inv.dueDate),
        inv.documentPath ? "salted hash of the XML" : "none",
        `${key.slice(0, 12)}…`,
      ];
    });
    s.out.table(["Receivable", "CSV", "Invoice (canonical)", "Buyer", "Face", "Due", "Document", "Invoice key"], rows);
    s.out.say('The invoice number is canonicalised before hashing: "spp-2026-0142 " became SPP-2026-0142.');
    const [first] = batch.submitted;
    s.set("firstInput", toInvoiceInput(first.invoice, (await lens.receivable(first.id)).docHash));
  },
);

const submitSigned = step(
  "submit-signed",
  "An invoice submitted already acknowledged: the buyer signed off-chain (EIP-712)",
  async (s) => {
    const { receivables, lens, usdAddress } = s.c;
    const { sme, gm } = s.actors;
    const t0 = s.get("t0");
    const invoice: InvoiceInput = {
      buyerEntityId: entityId(gm.ref),
      currency: usdAddress,
      amount: usd("90000"),
      issueDate: t0 - 2 * DAY,
      dueDate: t0 + 90 * DAY,
      invoiceNumberHash: invoiceNumberHash("SPP-2026-0150"),
      docHash: hre.ethers.ZeroHash,
    };
    s.set("gmEthBefore", await hre.ethers.provider.getBalance(gm.wallet.address));
    const deadline = BigInt(t0 + DAY);
    s.set("ackDeadline", deadline);
    const { chainId } = await hre.ethers.provider.getNetwork();
    const { id, invoiceKey: key } = await submitAcknowledgedInvoice(
      receivables.connect(sme.wallet),
      gm.wallet,
      chainId,
      entityId(sme.ref),
      invoice,
      deadline,
    );
    s.keyLabels.set(key, `SPP-2026-0150 from ${sme.name} to ${gm.name}`);
    s.invoices.set("SPP-2026-0150", { id, key });
    s.set("late", id);
    s.out.table(
      ["Receivable", "Invoice", "Face", "Due", "Status", "Signed by", "Gas paid by"],
      [
        [
          `#${id}`,
          "SPP-2026-0150",
          fmt(invoice.amount),
          isoDate(invoice.dueDate),
          STATUS_NAMES[Number((await lens.receivable(id)).status)],
          `${gm.name} (EIP-712, nonce, deadline, chain id, registry address)`,
          sme.name,
        ],
      ],
    );
  },
);

const acknowledge = step(
  "acknowledge",
  "Acknowledgement by the buyer: by signature (relayed), by transaction, and a rejection",
  async (s) => {
    const { receivables, lens } = s.c;
    const { sme, gm, nw } = s.actors;
    const { ethers } = hre;
    const { chainId } = await ethers.provider.getNetwork();
    for (const n of ["SPP-2026-0141", "SPP-2026-0142", "SPP-2026-0145"]) {
      // Global Motors signs off-chain; the SME relays the signature and pays the gas.
      const id = s.invoiceId(n);
      const signed = await signReceivableAcknowledgement(
        { receivables, lens },
        gm.wallet,
        chainId,
        id,
        s.get("ackDeadline"),
      );
      await relayAcknowledgement({ receivables: receivables.connect(sme.wallet), lens }, id, {
        ...signed.message,
        signature: signed.signature,
      });
    }
    const gmEthBefore = s.get("gmEthBefore");
    const gmEthAfter = await ethers.provider.getBalance(gm.wallet.address);
    await acknowledgeReceivable({ receivables: receivables.connect(nw.wallet), lens }, s.invoiceId("SPP-2026-0143"));
    const rejected = s.invoiceId("SPP-2026-0144");
    await confirm(receivables.connect(gm.wallet).reject(rejected, ethers.encodeBytes32String("QUANTITY DISPUTE")));
    s.set("rejected", rejected);
    const how: Record<string, string> = {
      "SPP-2026-0141": "EIP-712 signature, relayed by the SME",
      "SPP-2026-0142": "EIP-712 signature, relayed by the SME",
      "SPP-2026-0143": "transaction by Northwind Retail",
      "SPP-2026-0144": "rejected by Global Motors: QUANTITY DISPUTE",
      "SPP-2026-0145": "EIP-712 signature, relayed by the SME",
      "SPP-2026-0150": "EIP-712 signature at submission",
    };
    const ackRows: string[][] = [];
    for (const [n, { id }] of s.invoices) {
      const r = await lens.receivable(id);
      ackRows.push([`#${id}`, n, STATUS_NAMES[Number(r.status)], how[n]]);
    }
    s.out.table(["Receivable", "Invoice", "Status", "How"], ackRows);
    s.out.say(
      `Global Motors' ETH balance across four acknowledgements by signature: ` +
        `${ethers.formatEther(gmEthBefore)} → ${ethers.formatEther(gmEthAfter)} ETH ` +
        `(${gmEthBefore === gmEthAfter ? "unchanged: the buyer paid no gas" : "changed"}).`,
    );
    s.out.say("Double-financing guard: the SME tries to tokenize SPP-2026-0141 again, written differently.");
    await refused(s, 'Submitting "spp-2026-0141"', () =>
      submitInvoice(receivables.connect(sme.wallet), {
        ...s.get("firstInput"),
        invoiceNumberHash: invoiceNumberHash("spp-2026-0141"),
      }),
    );
  },
);

const split = step(
  "split",
  "Split: the SME pays its tier-2 supplier with part of Global Motors' confirmed debt",
  async (s) => {
    const { receivables, lens } = s.c;
    const { sme, tier2, gm } = s.actors;
    const parentId = s.invoiceId("SPP-2026-0142");
    const {
      children: [keptChild, tier2Child],
    } = await splitReceivable(receivables.connect(sme.wallet), parentId, [usd("80000"), usd("40000")]);
    await confirm(receivables.connect(sme.wallet).transferFrom(sme.wallet.address, tier2.wallet.address, tier2Child));
    s.set("splitParent", parentId);
    s.set("keptChild", keptChild);
    s.set("tier2Child", tier2Child);
    const lineage: string[][] = [];
    for (const rid of [parentId, keptChild, tier2Child]) {
      const r = await lens.receivable(rid);
      lineage.push([
        `#${rid}`,
        rid === parentId ? "invoice" : `child of #${await lens.parentOf(rid)}`,
        `#${await receivables.rootOf(rid)}`,
        fmt(r.faceAmount),
        STATUS_NAMES[Number(r.status)],
        s.walletName(await receivables.ownerOf(rid)) ?? "?",
      ]);
    }
    s.out.table(["Receivable", "Lineage", "Root", "Face", "Status", "Holder"], lineage);
    s.out.say(
      `${tier2.name} now holds a receivable on ${gm.name} itself: it can be financed at the buyer's ` +
        `credit quality, not its own.`,
    );
  },
);

const rating = step("rating", "Rating agent posts the buyer's probability of default", async (s) => {
  const { gm, nw } = s.actors;
  const ratingExpiry = (await time.latest()) + 365 * DAY;
  await confirm(s.c.riskEngine.connect(s.operators.ratingAgent).setRating(entityId(gm.ref), 60, ratingExpiry));
  s.out.table(
    ["Buyer", "Annual PD", "Valid until"],
    [
      [gm.name, formatBps(60), isoDate(ratingExpiry)],
      [nw.name, "not rated (policy's unrated PD applies)", "–"],
    ],
  );
});

const assess = step("assess", "Assess: explainable risk grades under each bank's policy", async (s) => {
  const { harbor, pearl } = s.c;
  const assessments: [string, bigint, FinancingPool][] = [
    ["Harbor", s.invoiceId("SPP-2026-0141"), harbor],
    ["Harbor", s.invoiceId("SPP-2026-0143"), harbor],
    ["Pearl", s.get("tier2Child"), pearl],
  ];
  const first: Assessment[] = [];
  for (const [bank, rid, pool] of assessments) first.push(await printAssessment(s, bank, rid, pool));
  s.set("firstPdBps", first[0].pdBps);
});

const finance = step("finance", "Financing by two banks", async (s) => {
  const { receivables, usd: token, harbor, pearl, harborAddress, pearlAddress } = s.c;
  const { sme, tier2, bank1 } = s.actors;
  const tier2Child = s.get("tier2Child");
  await confirm(receivables.connect(sme.wallet).setApprovalForAll(harborAddress, true));
  await confirm(receivables.connect(sme.wallet).setApprovalForAll(pearlAddress, true));
  await confirm(receivables.connect(tier2.wallet).setApprovalForAll(pearlAddress, true));
  const onTimeId = s.invoiceId("SPP-2026-0141");
  const defaultId = s.invoiceId("SPP-2026-0143");
  const pearlSmeId = s.invoiceId("SPP-2026-0145");
  s.set("onTime", onTimeId);
  s.set("defaulted", defaultId);
  s.set("pearlSme", pearlSmeId);
  const quotes = [
    await quoteRow("Harbor", harbor, onTimeId),
    await quoteRow("Harbor", harbor, defaultId),
    await quoteRow("Pearl", pearl, tier2Child),
    await quoteRow("Pearl", pearl, pearlSmeId),
  ];
  s.out.say("Quotes:");
  s.out.table(
    QUOTE_HEAD,
    quotes.map((x) => x.row),
  );
  const smeBefore = await token.balanceOf(sme.wallet.address);
  const tier2Before = await token.balanceOf(tier2.wallet.address);
  const request = await financeOn(s, sme, harbor, onTimeId, quotes[0].q);
  s.out.say(
    `#${onTimeId}: the gross advance is above Harbor's auto-approval limit, so a request was recorded ` +
      `(status ${request.status}); Harbor's manager approves it.`,
  );
  await confirm(harbor.connect(bank1.wallet).approveRequest(onTimeId));
  await financeOn(s, sme, harbor, defaultId, quotes[1].q);
  await financeOn(s, tier2, pearl, tier2Child, quotes[2].q);
  await financeOn(s, sme, pearl, pearlSmeId, quotes[3].q);
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
      s.walletName(f.supplier) ?? f.supplier,
      FINANCING_STATUS_NAMES[Number(f.status)],
      fmt(f.advance),
      fmt(f.fee),
      fmt(f.advance - f.fee),
      s.walletName(await receivables.ownerOf(rid)) ?? "?",
    ]);
  }
  s.out.table(
    ["Receivable", "Bank", "Supplier", "Financing", "Gross advance", "Fee", "Net paid out", "Holder now"],
    financedRows,
  );
  s.out.say(
    `${sme.name} received ${fmt((await token.balanceOf(sme.wallet.address)) - smeBefore)}; ` +
      `${tier2.name} received ${fmt((await token.balanceOf(tier2.wallet.address)) - tier2Before)}.`,
  );
});

const payOnTime = step("pay-on-time", "Payment on time: collection, reserve released, withdrawals", async (s) => {
  const { receivables, lens, usdAddress, harbor, pearl } = s.c;
  const { sme, tier2, gm } = s.actors;
  const tier2Child = s.get("tier2Child");
  const keptChild = s.get("keptChild");
  const onTimeId = s.get("onTime");
  await time.increaseTo(Number((await lens.receivable(tier2Child)).dueDate) - DAY);
  await pay(s, gm, tier2Child, usd("40000"));
  await pay(s, gm, keptChild, usd("30000"));
  const pearlCollected = await collectPayments(pearl, tier2Child);
  const tier2Reserve = await pearl.reserveOf(tier2.wallet.address);
  await confirm(pearl.connect(tier2.wallet).withdrawReserve(tier2.wallet.address));
  await confirm(receivables.connect(sme.wallet).withdraw(usdAddress, sme.wallet.address));
  await time.increaseTo(Number((await lens.receivable(onTimeId)).dueDate) - DAY);
  await pay(s, gm, onTimeId, usd("250000"));
  const harborCollected = await collectPayments(harbor, onTimeId);
  const smeReserve = await harbor.reserveOf(sme.wallet.address);
  await confirm(harbor.connect(sme.wallet).withdrawReserve(sme.wallet.address));
  s.out.table(
    ["Receivable", "Paid by buyer", "Status", "Pool: principal", "Pool: fee", "Reserve to supplier", "Withdrawn by"],
    [
      await paymentRow(s, tier2Child, usd("40000"), pearlCollected, fmt(tier2Reserve), tier2.name),
      await paymentRow(s, onTimeId, usd("250000"), harborCollected, fmt(smeReserve), sme.name),
      await paymentRow(s, keptChild, usd("30000"), undefined, "–", `${sme.name} (from the registry)`),
    ],
  );
  s.out.say(
    `Harbor's financing of #${onTimeId}: ${FINANCING_STATUS_NAMES[Number((await harbor.financing(onTimeId)).status)]}; ` +
      `Pearl's of #${tier2Child}: ${FINANCING_STATUS_NAMES[Number((await pearl.financing(tier2Child)).status)]}.`,
  );
});

const payLate = step("pay-late", "Payment a few days late", async (s) => {
  const { receivables, lens, usdAddress } = s.c;
  const { sme, gm } = s.actors;
  const lateId = s.get("late");
  const lateDue = Number((await lens.receivable(lateId)).dueDate);
  await time.increaseTo(lateDue + 5 * DAY - 3600);
  const { daysLate } = await pay(s, gm, lateId, usd("90000"));
  if (daysLate === undefined) throw new Error(`the payment of #${lateId} did not settle it`);
  s.set("daysLate", daysLate);
  await confirm(receivables.connect(sme.wallet).withdraw(usdAddress, sme.wallet.address));
  const gmRecord = await lens.buyerRecord(entityId(gm.ref));
  s.out.table(
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
});

const defaulted = step(
  "default",
  "Default after the due date and the grace period, written off by the bank",
  async (s) => {
    const { lens, harbor } = s.c;
    const { nw, bank1 } = s.actors;
    const defaultId = s.get("defaulted");
    const nwDue = Number((await lens.receivable(defaultId)).dueDate);
    const grace = Number(await lens.defaultGracePeriod());
    s.out.say(
      `#${defaultId} (${nw.name}) was due ${isoDate(nwDue)}; a default may be declared after ` +
        `${isoDate(nwDue + grace)} (grace ${grace / DAY} days). Today is ${isoDate(await time.latest())}; nothing was paid.`,
    );
    const { loss } = await writeOffFinancing(harbor.connect(bank1.wallet), defaultId);
    s.set("writtenOff", loss);
    const nwRecord = await lens.buyerRecord(entityId(nw.ref));
    s.out.table(
      ["Receivable", "Status", "Harbor financing", "Loss booked", "Harbor losses", "Northwind defaults"],
      [
        [
          `#${defaultId}`,
          STATUS_NAMES[Number((await lens.receivable(defaultId)).status)],
          FINANCING_STATUS_NAMES[Number((await harbor.financing(defaultId)).status)],
          fmt(loss),
          fmt(await harbor.losses()),
          `${nwRecord.defaultCount}`,
        ],
      ],
    );
    s.out.say("The default is now on Northwind's on-chain record; every bank's risk engine sees it.");
  },
);

const newBusiness = step("new-business", "New business: the payment record feeds the next assessment", async (s) => {
  const { receivables, lens, usdAddress, harbor } = s.c;
  const { sme, gm } = s.actors;
  const t1 = await time.latest();
  const fresh = [
    { number: "SPP-2026-0160", amount: usd("100000"), days: 60 },
    { number: "SPP-2026-0161", amount: usd("25000"), days: 45 },
  ];
  const freshIds: bigint[] = [];
  for (const f of fresh) {
    const { id } = await submitInvoice(receivables.connect(sme.wallet), {
      buyerEntityId: entityId(gm.ref),
      currency: usdAddress,
      amount: f.amount,
      issueDate: t1 - DAY,
      dueDate: t1 + f.days * DAY,
      invoiceNumberHash: invoiceNumberHash(f.number),
      docHash: hre.ethers.ZeroHash,
    });
    await acknowledgeReceivable({ receivables: receivables.connect(gm.wallet), lens }, id);
    freshIds.push(id);
  }
  const [newId, freezeId] = freshIds;
  s.set("newlyFinanced", newId);
  s.set("frozen", freezeId);
  s.out.say(`${sme.name} submitted SPP-2026-0160 (#${newId}) and SPP-2026-0161 (#${freezeId}); both acknowledged.`);
  const newAssessment = await printAssessment(s, "Harbor", newId, harbor);
  const newQuote = await quoteRow("Harbor", harbor, newId);
  await financeOn(s, sme, harbor, newId, newQuote.q);
  s.out.table(QUOTE_HEAD, [newQuote.row]);
  s.out.say(
    `Harbor financed #${newId}: grade ${GRADES[newAssessment.grade]} at a PD of ${formatBps(newAssessment.pdBps)}, ` +
      `against ${formatBps(s.get("firstPdBps"))} before Global Motors paid late.`,
  );
});

const freeze = step("freeze", "Regulator freeze", async (s) => {
  const { receivables, lens, pearl } = s.c;
  const { sme, tier2, gm, regulator } = s.actors;
  const frozenId = s.get("frozen");
  await confirm(receivables.connect(regulator.wallet).freeze(frozenId, hre.ethers.encodeBytes32String("AML REVIEW")));
  s.out.say(`${regulator.name} froze #${frozenId} (reason AML REVIEW).`);
  const pearlRefusal = await refused(s, `${sme.name} asks Pearl to finance #${frozenId}`, () =>
    financeOn(s, sme, pearl, frozenId, { netAdvance: 0n, fee: 0n }),
  );
  if (pearlRefusal.name === "PoolNotEligible") {
    for (const line of explain({ reasonCodes: pearlRefusal.args.reasonCodes as bigint })) s.out.say(`  - ${line}`);
  }
  await refused(s, `${sme.name} transfers #${frozenId} to ${tier2.name}`, () =>
    confirm(receivables.connect(sme.wallet).transferFrom(sme.wallet.address, tier2.wallet.address, frozenId)),
  );
  await refused(s, `${sme.name} splits #${frozenId}`, () =>
    splitReceivable(receivables.connect(sme.wallet), frozenId, [usd("20000"), usd("5000")]),
  );
  await pay(s, gm, frozenId, usd("10000"));
  const frozenNow = await lens.receivable(frozenId);
  s.out.say(
    `Payment is never blocked: Global Motors paid ${fmt(usd("10000"))} on the frozen #${frozenId} ` +
      `(now ${STATUS_NAMES[Number(frozenNow.status)]}, ${fmt(frozenNow.faceAmount - frozenNow.paidAmount)} outstanding).`,
  );
});

const report = step("report", "Portfolio and supervision report", async (s) => {
  const built = await buildReport(reportContracts(s.c), {
    names: { entity: (id) => s.entityName(id), wallet: (w) => s.walletName(w) },
  });
  s.set("report", built);
  s.out.say(renderReport(built, { receivables: true }));
  s.out.say(
    "\n(The same report for machines: `npx hardhat report --json --network localhost` against a running node.)",
  );
});

/** The story, in order. */
export const STEPS: readonly DemoStep[] = [
  deploy,
  onboarded,
  fund,
  submitCsv,
  submitSigned,
  acknowledge,
  split,
  rating,
  assess,
  finance,
  payOnTime,
  payLate,
  defaulted,
  newBusiness,
  freeze,
  report,
];

// ---------------------------------------------------------------------- main

/** Runs the whole story, step by step, and returns what it built. */
export async function main(options: DemoOptions = {}): Promise<DemoResult> {
  const out = new Printer(options.log ?? ((line) => console.log(line)));
  const { chainId } = await hre.ethers.provider.getNetwork();
  out.say(
    `TradeFin demo on network "${hre.network.name}" (chain id ${chainId}), ${formatTimestamp(await time.latest())}`,
  );
  const { operators, actors } = castOf(await hre.ethers.getSigners());
  const story = new Story(out, operators, actors, (await time.latest()) + 2 * 365 * DAY);
  for (const step of STEPS) {
    out.heading(step.title);
    await step.run(story);
  }
  const contracts = reportContracts(story.c);
  return {
    contracts: { ...contracts, usd: story.c.usd },
    report: story.get("report"),
    ids: {
      onTime: story.get("onTime"),
      splitParent: story.get("splitParent"),
      keptChild: story.get("keptChild"),
      tier2Child: story.get("tier2Child"),
      defaulted: story.get("defaulted"),
      rejected: story.get("rejected"),
      frozen: story.get("frozen"),
      late: story.get("late"),
      pearlSme: story.get("pearlSme"),
      newlyFinanced: story.get("newlyFinanced"),
    },
    daysLate: story.get("daysLate"),
    writtenOff: story.get("writtenOff"),
  };
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
