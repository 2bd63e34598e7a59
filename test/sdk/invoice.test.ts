import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ZeroHash, concat, keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";
import {
  InvoiceError,
  canonicalInvoiceNumber,
  docHash,
  invoiceDocHash,
  invoiceKey,
  invoiceNumberHash,
  invoiceRecordSchema,
  parseIsoDate,
  randomSalt,
  toInvoiceInput,
  type NormalisedInvoice,
} from "../../src/pure/invoice";
import { entityId } from "../../src/pure/ids";

const TUSD = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ctx = { currencies: { tUSD: { address: TUSD, decimals: 6 } } };
const DOC = join(__dirname, "..", "fixtures", "invoices", "docs", "INV-2026-001.xml");

const record = (over: Record<string, unknown> = {}) => ({
  invoice_number: "INV-1",
  buyer_id: "LEI:BUYER000000000000000001",
  currency: "tUSD",
  amount: "100.50",
  issue_date: "2026-03-02",
  due_date: "2026-06-30",
  ...over,
});

describe("invoice", () => {
  describe("canonicalInvoiceNumber", () => {
    it("treats 'inv-001 ' and 'INV-001' as the same invoice", () => {
      expect(canonicalInvoiceNumber("inv-001 ")).to.equal("INV-001");
      expect(canonicalInvoiceNumber("INV-001")).to.equal("INV-001");
      expect(invoiceNumberHash("inv-001 ")).to.equal(invoiceNumberHash("INV-001"));
    });

    it("collapses every kind of Unicode white space run into one space", () => {
      expect(canonicalInvoiceNumber("\t inv \n\r 001  a ")).to.equal("INV 001 A");
      expect(canonicalInvoiceNumber("inv\u00a0001")).to.equal("INV 001"); // no-break space
      expect(canonicalInvoiceNumber("inv\u3000\u2003001")).to.equal("INV 001"); // ideographic + em space
      expect(canonicalInvoiceNumber("inv\u0085001")).to.equal("INV 001"); // NEL, not in JavaScript's \s
      expect(canonicalInvoiceNumber("\ufeffinv-1")).to.equal("INV-1"); // a stray BOM
    });

    it("keeps inner punctuation and distinguishes different numbers", () => {
      expect(canonicalInvoiceNumber("inv/2026-03/001")).to.equal("INV/2026-03/001");
      expect(invoiceNumberHash("INV-001")).to.not.equal(invoiceNumberHash("INV-0001"));
      expect(invoiceNumberHash("INV 001")).to.not.equal(invoiceNumberHash("INV001"));
    });

    it("treats composed and decomposed accents as the same number", () => {
      expect(invoiceNumberHash("fact\u00e9-1")).to.equal(invoiceNumberHash("facte\u0301-1"));
    });

    it("rejects an empty or blank invoice number", () => {
      for (const s of ["", "   ", "\t\n", "\u3000"]) {
        expect(() => canonicalInvoiceNumber(s), JSON.stringify(s)).to.throw(InvoiceError, "empty");
      }
    });

    it("hashes the UTF-8 bytes of the canonical form", () => {
      expect(invoiceNumberHash(" inv-001")).to.equal(keccak256(toUtf8Bytes("INV-001")));
    });
  });

  describe("invoiceKey", () => {
    it("equals keccak256 of the three 32-byte words, as abi.encode lays them out", () => {
      const seller = entityId("LEI:SUPPLIER0000000000001");
      const buyer = entityId("LEI:BUYER000000000000000001");
      const number = invoiceNumberHash("INV-001");
      // abi.encode(bytes32, bytes32, bytes32) is the plain concatenation of the three words.
      const expected = keccak256(concat([seller, buyer, number]));
      expect(invoiceKey(seller, buyer, number)).to.equal(expected);
    });

    it("changes with the seller, the buyer and the invoice number", () => {
      const [a, b, c] = ["LEI:A0000000000000000001", "LEI:B0000000000000000001", "LEI:C0000000000000000001"].map(
        entityId,
      );
      const n = invoiceNumberHash("INV-1");
      const key = invoiceKey(a, b, n);
      expect(invoiceKey(c, b, n)).to.not.equal(key);
      expect(invoiceKey(a, c, n)).to.not.equal(key);
      expect(invoiceKey(b, a, n)).to.not.equal(key);
      expect(invoiceKey(a, b, invoiceNumberHash("INV-2"))).to.not.equal(key);
    });
  });

  describe("docHash", () => {
    it("is keccak256(abi.encodePacked(salt, keccak256(document)))", () => {
      const doc = readFileSync(DOC);
      const salt = randomSalt();
      const expected = solidityPackedKeccak256(["bytes32", "bytes32"], [salt, keccak256(doc)]);
      expect(docHash(doc, salt)).to.equal(expected);
    });

    it("hides the document behind the salt: another salt gives another hash", () => {
      const doc = toUtf8Bytes("invoice");
      expect(docHash(doc, randomSalt())).to.not.equal(docHash(doc, randomSalt()));
      expect(docHash(doc, randomSalt())).to.not.equal(keccak256(doc));
    });

    it("draws fresh 32-byte salts", () => {
      const a = randomSalt();
      expect(a).to.match(/^0x[0-9a-f]{64}$/);
      expect(randomSalt()).to.not.equal(a);
    });

    it("refuses a zero or malformed salt", () => {
      expect(() => docHash(toUtf8Bytes("x"), ZeroHash)).to.throw(InvoiceError, "zero");
      expect(() => docHash(toUtf8Bytes("x"), "0x1234")).to.throw(InvoiceError, "32 bytes");
    });

    it("is ZeroHash for an invoice without a document and the file's hash otherwise", () => {
      const salt = randomSalt();
      expect(invoiceDocHash({}, salt)).to.equal(ZeroHash);
      expect(invoiceDocHash({ documentPath: DOC }, salt)).to.equal(docHash(readFileSync(DOC), salt));
    });
  });

  describe("parseIsoDate", () => {
    it("gives Unix seconds at 00:00 UTC", () => {
      expect(parseIsoDate("1970-01-01")).to.equal(0);
      expect(parseIsoDate("2026-03-02")).to.equal(Date.UTC(2026, 2, 2) / 1000);
      expect(parseIsoDate("2024-02-29")).to.equal(Date.UTC(2024, 1, 29) / 1000);
    });

    it("rejects non-dates, other formats and dates beyond uint32", () => {
      for (const s of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-3-2", "02/03/2026", "2026-03-02T00:00:00Z"]) {
        expect(() => parseIsoDate(s), s).to.throw(InvoiceError);
      }
      expect(() => parseIsoDate("2107-01-01")).to.throw(InvoiceError, "outside");
      expect(() => parseIsoDate("1969-12-31")).to.throw(InvoiceError, "outside");
    });
  });

  describe("invoiceRecordSchema", () => {
    it("normalises a good record into on-chain units", () => {
      const inv = invoiceRecordSchema(ctx).parse(
        record({ invoice_number: " inv  1 ", buyer_id: "lei:buyer000000000000000001" }),
      );
      expect(inv).to.deep.equal({
        invoiceNumber: "INV 1",
        invoiceNumberHash: keccak256(toUtf8Bytes("INV 1")),
        buyerRef: "LEI:BUYER000000000000000001",
        buyerEntityId: entityId("LEI:BUYER000000000000000001"),
        currency: TUSD,
        decimals: 6,
        amount: 100_500_000n,
        issueDate: Date.UTC(2026, 2, 2) / 1000,
        dueDate: Date.UTC(2026, 5, 30) / 1000,
      });
    });

    it("accepts the currency by address in any case and by symbol in any case", () => {
      const schema = invoiceRecordSchema(ctx);
      expect(schema.parse(record({ currency: TUSD.toLowerCase() })).currency).to.equal(TUSD);
      expect(schema.parse(record({ currency: "TUSD" })).currency).to.equal(TUSD);
    });

    it("reports every bad field of one record at once", () => {
      const r = invoiceRecordSchema(ctx).safeParse(
        record({ invoice_number: " ", buyer_id: "nocolon", currency: "EUR", amount: "1,0", due_date: "soon" }),
      );
      expect(r.success).to.equal(false);
      const fields = r.error!.issues.map((i) => i.path[0]);
      expect(fields).to.deep.equal(["invoice_number", "buyer_id", "currency", "amount", "due_date"]);
    });

    it("rejects an amount of zero, above uint96 or with too many decimals for the currency", () => {
      const schema = invoiceRecordSchema(ctx);
      const message = (amount: string) => schema.safeParse(record({ amount })).error?.issues[0].message;
      expect(message("0.00")).to.match(/greater than zero/);
      expect(message("79228162514264337593543.950336")).to.match(/uint96/);
      expect(schema.safeParse(record({ amount: "79228162514264337593543.950335" })).success).to.equal(true);
      expect(message("1.1234567")).to.match(/at most 6/);
    });

    it("rejects unknown fields and non-string values", () => {
      const r = invoiceRecordSchema(ctx).safeParse(record({ amount: 100.5, colour: "red" }));
      const issues = r.error!.issues.map((i) => [i.code, i.path[0] ?? (i as { keys?: string[] }).keys?.[0]]);
      expect(issues).to.deep.include(["invalid_type", "amount"]);
      expect(issues).to.deep.include(["unrecognized_keys", "colour"]);
    });

    it("checks the submission dates against the chain's time when given", () => {
      const now = Date.UTC(2026, 3, 1) / 1000;
      const schema = invoiceRecordSchema({ ...ctx, now });
      expect(schema.safeParse(record()).success).to.equal(true);
      const future = schema.safeParse(record({ issue_date: "2026-04-02", due_date: "2026-05-01" }));
      expect(future.error!.issues.map((i) => i.path[0])).to.deep.equal(["issue_date"]);
      const past = schema.safeParse(record({ due_date: "2026-03-31" }));
      expect(past.error!.issues.map((i) => [i.path[0], i.message])).to.deep.equal([
        ["due_date", "due date has already passed"],
      ]);
    });
  });

  describe("toInvoiceInput", () => {
    it("builds the contract's InvoiceInput tuple, with ZeroHash when there is no document", () => {
      const inv: NormalisedInvoice = { line: 2, ...invoiceRecordSchema(ctx).parse(record()) };
      const salt = randomSalt();
      const doc = docHash(toUtf8Bytes("pdf"), salt);
      expect(toInvoiceInput(inv, doc)).to.deep.equal({
        buyerEntityId: inv.buyerEntityId,
        currency: TUSD,
        amount: 100_500_000n,
        issueDate: inv.issueDate,
        dueDate: inv.dueDate,
        invoiceNumberHash: inv.invoiceNumberHash,
        docHash: doc,
      });
      expect(toInvoiceInput(inv).docHash).to.equal(ZeroHash);
    });
  });
});
