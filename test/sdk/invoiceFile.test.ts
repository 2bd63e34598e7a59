import { expect } from "chai";
import { join } from "node:path";
import { parseInvoiceFile, type InvoiceFileResult, type InvoiceRowError } from "../../src/pure/invoice";
import { entityId } from "../../src/pure/ids";

const FIXTURES = join(__dirname, "..", "fixtures", "invoices");
const TUSD = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const EURX = "0x0000000000000000000000000000000000000E0A";
const ctx = { currencies: { tUSD: { address: TUSD, decimals: 6 }, EURX: { address: EURX, decimals: 2 } } };
const HEADER = "invoice_number,buyer_id,currency,amount,issue_date,due_date,document";
const GOOD_ROW = "INV-1,LEI:BUYER1,tUSD,100.00,2026-03-02,2026-06-30,";

/** The invoices of a result that must be ok. */
function invoicesOf(r: InvoiceFileResult) {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.invoices;
}
/** The errors of a result that must fail, as [line, field] pairs. */
function errorsOf(r: InvoiceFileResult): InvoiceRowError[] {
  if (r.ok) throw new Error("expected errors, got ok");
  return r.errors;
}
const at = (r: InvoiceFileResult) => errorsOf(r).map((e) => [e.line, e.field]);
const csv = (content: string | Uint8Array) => parseInvoiceFile({ content, format: "csv", baseDir: FIXTURES }, ctx);
const json = (value: unknown) => parseInvoiceFile({ content: JSON.stringify(value), format: "json" }, ctx);

describe("parseInvoiceFile", () => {
  describe("CSV", () => {
    it("reads the good sample file with each invoice's line, canonical fields and resolved document", () => {
      const invoices = invoicesOf(parseInvoiceFile(join(FIXTURES, "good.csv"), ctx));
      expect(invoices.map((i) => i.line)).to.deep.equal([2, 3, 4, 5, 6]);
      expect(invoices.map((i) => i.invoiceNumber)).to.deep.equal([
        "INV-2026-001",
        "INV-2026-002",
        'INV 2026/003, "PART A"',
        "INV-2026-004",
        "INV-2026-005",
      ]);
      expect(invoices.map((i) => i.amount)).to.deep.equal([
        100_000_000_000n,
        2_500_500_000n,
        1n,
        1_234_567_891_234n,
        42_000_000n,
      ]);
      expect(invoices[1].buyerRef).to.equal("LEI:BUYER000000000000000001");
      expect(invoices[1].buyerEntityId).to.equal(entityId("LEI:BUYER000000000000000001"));
      expect(invoices[3].currency).to.equal(TUSD);
      expect(invoices[0].documentPath).to.equal(join(FIXTURES, "docs", "INV-2026-001.xml"));
      expect(invoices[1].documentPath).to.equal(undefined);
      expect(invoices[0].issueDate).to.equal(Date.UTC(2026, 2, 2) / 1000);
    });

    it("reports every bad row of the bad sample file with its line and field", () => {
      const errors = errorsOf(parseInvoiceFile(join(FIXTURES, "bad.csv"), ctx));
      expect(errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "amount"], // "1,000.00": thousands separator
        [3, "amount"], // 7 decimals for a 6-decimal token
        [4, "due_date"], // due before issue
        [5, "currency"], // unknown currency
        [6, "buyer_id"], // no scheme
        [8, "invoice_number"], // duplicate of line 7 after canonicalisation
        [9, "invoice_number"], // empty
        [9, "amount"], // negative
        [9, "issue_date"], // 30 February
        [10, "document"], // missing file
      ]);
      expect(errors[0].message).to.match(/thousands separators/);
      expect(errors[1].message).to.match(/7 decimal places/);
      expect(errors[3].message).to.match(/unknown currency "GBPX"/);
      expect(errors[5].message).to.match(/already appears on line 7/);
    });

    it("accepts a UTF-8 BOM and CRLF line ends", () => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\r\n${GOOD_ROW}\r\n`)]);
      const invoices = invoicesOf(csv(bytes));
      expect(invoices).to.have.length(1);
      expect(invoices[0].invoiceNumber).to.equal("INV-1");
      expect(invoices[0].line).to.equal(2);
    });

    it("reads RFC 4180 quoted fields with commas, doubled quotes and line breaks, keeping line numbers right", () => {
      const content = [
        HEADER,
        '"INV-1, part ""A""",LEI:BUYER1,tUSD,"100.00",2026-03-02,2026-06-30,',
        '"INV-2\r\nsecond line",LEI:BUYER1,tUSD,5,2026-03-02,2026-06-30,',
        "",
        "INV-3,LEI:BUYER1,tUSD,bad,2026-03-02,2026-06-30,",
      ].join("\r\n");
      expect(at(csv(content))).to.deep.equal([[6, "amount"]]);
      const fixed = invoicesOf(csv(content.replace(",bad,", ",7,")));
      expect(fixed.map((i) => [i.line, i.invoiceNumber])).to.deep.equal([
        [2, 'INV-1, PART "A"'],
        [3, "INV-2 SECOND LINE"],
        [6, "INV-3"],
      ]);
    });

    it("counts blank lines in the physical line numbers", () => {
      const content = `${HEADER}\n\n\n${GOOD_ROW}\n\nINV-2,LEI:BUYER1,tUSD,1.0000001,2026-03-02,2026-06-30,\n`;
      expect(at(csv(content))).to.deep.equal([[6, "amount"]]);
    });

    it("rejects thousands separators, too many decimals and a due date before the issue date", () => {
      const content = [
        HEADER,
        'A,LEI:B1,tUSD,"12,000",2026-03-02,2026-06-30,',
        "B,LEI:B1,EURX,10.005,2026-03-02,2026-06-30,",
        "C,LEI:B1,tUSD,10,2026-03-02,2026-03-02,",
      ].join("\n");
      const errors = errorsOf(csv(content));
      expect(errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "amount"],
        [3, "amount"],
        [4, "due_date"],
      ]);
      expect(errors[1].message).to.match(/at most 2/);
    });

    it("reports an unknown currency and a malformed buyer id", () => {
      const content = [
        HEADER,
        "A,LEI:B1,JPYX,10,2026-03-02,2026-06-30,",
        "B,LEI:B1,0x0000000000000000000000000000000000000001,10,2026-03-02,2026-06-30,",
        "C,LEI B1,tUSD,10,2026-03-02,2026-06-30,",
        "D,lei:,tUSD,10,2026-03-02,2026-06-30,",
        "E,LEI:B 1,tUSD,10,2026-03-02,2026-06-30,",
      ].join("\n");
      expect(at(csv(content))).to.deep.equal([
        [2, "currency"],
        [3, "currency"],
        [4, "buyer_id"],
        [5, "buyer_id"],
        [6, "buyer_id"],
      ]);
    });

    it("reports a repeated invoice for the same buyer on the later line only, but allows it for another buyer", () => {
      const content = [
        HEADER,
        GOOD_ROW,
        "INV-2,LEI:BUYER1,tUSD,1,2026-03-02,2026-06-30,",
        " inv-1 ,lei:buyer1,tUSD,3,2026-03-03,2026-06-30,",
        "INV-1,LEI:BUYER2,tUSD,1,2026-03-02,2026-06-30,",
      ].join("\n");
      const errors = errorsOf(csv(content));
      expect(errors).to.deep.equal([
        { line: 4, field: "invoice_number", message: "invoice INV-1 to LEI:BUYER1 already appears on line 2" },
      ]);
    });

    it("reports rows with too few or too many fields", () => {
      const content = [HEADER, "A,LEI:B1,tUSD,10,2026-03-02", `${GOOD_ROW},extra`].join("\n");
      expect(at(csv(content))).to.deep.equal([
        [2, "row"],
        [3, "row"],
      ]);
    });

    it("accepts a header without the optional document column, in another order and case", () => {
      const content =
        "Amount, CURRENCY,invoice_number,buyer_id,issue_date,due_date\n5.5,tUSD,X-1,LEI:B1,2026-03-02,2026-06-30\n";
      const [inv] = invoicesOf(csv(content));
      expect([inv.invoiceNumber, inv.amount]).to.deep.equal(["X-1", 5_500_000n]);
    });

    it("reports missing, unknown and repeated header columns on line 1 and validates no rows", () => {
      const content = "invoice_number,buyer_id,currency,amount,amount,due_date,colour\nbad row\n";
      expect(at(csv(content))).to.deep.equal([
        [1, "amount"],
        [1, "colour"],
        [1, "issue_date"],
      ]);
    });

    it("reports malformed quoting, non-UTF-8 bytes, CR-only line ends and an empty file as file errors", () => {
      const unclosed = errorsOf(csv(`${HEADER}\n"INV-1,LEI:B1,tUSD,1,2026-03-02,2026-06-30,\n`));
      expect(unclosed.map((e) => [e.line, e.field])).to.deep.equal([[2, "file"]]);
      expect(unclosed[0].message).to.match(/malformed CSV/);
      expect(at(csv(Buffer.from([0x61, 0xff, 0x0a])))).to.deep.equal([[0, "file"]]);
      expect(errorsOf(csv(`${HEADER}\r${GOOD_ROW}\r`))[0].message).to.match(/CR only/);
      expect(errorsOf(csv(""))[0].message).to.match(/no invoices/);
      expect(errorsOf(csv(`${HEADER}\n`))[0].message).to.match(/no invoices/);
    });

    it("can skip the document existence check", () => {
      const content = `${HEADER}\nINV-1,LEI:B1,tUSD,1,2026-03-02,2026-06-30,nowhere.pdf\n`;
      expect(at(csv(content))).to.deep.equal([[2, "document"]]);
      const r = parseInvoiceFile({ content, format: "csv", baseDir: FIXTURES }, { ...ctx, checkDocuments: false });
      expect(invoicesOf(r)[0].documentPath).to.equal(join(FIXTURES, "nowhere.pdf"));
    });
  });

  describe("JSON", () => {
    const rec = (over: Record<string, unknown> = {}) => ({
      invoice_number: "INV-1",
      buyer_id: "LEI:BUYER1",
      currency: "tUSD",
      amount: "100.00",
      issue_date: "2026-03-02",
      due_date: "2026-06-30",
      ...over,
    });

    it("reads an array of the same records, numbering them by index + 1", () => {
      const invoices = invoicesOf(json([rec(), rec({ invoice_number: "INV-2", currency: EURX, amount: "1.5" })]));
      expect(invoices.map((i) => [i.line, i.invoiceNumber, i.currency, i.amount])).to.deep.equal([
        [1, "INV-1", TUSD, 100_000_000n],
        [2, "INV-2", EURX, 150n],
      ]);
    });

    it("reports each bad record by index + 1 and field, including duplicates and non-objects", () => {
      const r = json([rec(), rec({ amount: 100 }), rec({ invoice_number: "inv-1 " }), rec({ document: 7 })]);
      expect(at(r)).to.deep.equal([
        [2, "amount"],
        [3, "invoice_number"],
        [4, "document"],
      ]);
      expect(at(json([rec(), "INV-2", null]))).to.deep.equal([
        [2, "row"],
        [3, "row"],
      ]);
    });

    it("reports JSON that is not an array, or not JSON", () => {
      expect(errorsOf(json(rec()))[0].message).to.match(/array/);
      expect(at(parseInvoiceFile({ content: "[{", format: "json" }, ctx))).to.deep.equal([[0, "file"]]);
      expect(errorsOf(json([]))[0].message).to.match(/no invoices/);
    });

    it("picks the format from the file name and refuses other extensions", () => {
      expect(errorsOf(parseInvoiceFile(join(FIXTURES, "good.txt"), ctx))[0].message).to.match(/\.csv or \.json/);
      expect(errorsOf(parseInvoiceFile(join(FIXTURES, "absent.csv"), ctx))[0].message).to.match(/cannot read/);
    });
  });
});
