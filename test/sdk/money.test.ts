import { expect } from "chai";
import fc from "fast-check";
import { MoneyError, formatAmount, formatBps, parseAmount } from "../../src/pure/money";

describe("money", () => {
  describe("parseAmount", () => {
    it("converts decimal strings to base units exactly", () => {
      expect(parseAmount("100000.00", 6)).to.equal(100_000_000_000n);
      expect(parseAmount("2500.5", 6)).to.equal(2_500_500_000n);
      expect(parseAmount("0.000001", 6)).to.equal(1n);
      expect(parseAmount("42", 0)).to.equal(42n);
      expect(parseAmount("0.1", 18)).to.equal(100_000_000_000_000_000n);
      expect(parseAmount("79228162514264337593543.950335", 6)).to.equal(79228162514264337593543950335n);
    });

    it("rejects more decimal places than the token has", () => {
      expect(() => parseAmount("1.0000001", 6)).to.throw(MoneyError, "7 decimal places");
      expect(() => parseAmount("1.5", 0)).to.throw(MoneyError, "at most 0");
    });

    it("rejects thousands separators of every common kind", () => {
      for (const s of ["1,000", "1,000.50", "1,234,567.89", "1 000.00", "1'000", "1_000"]) {
        expect(() => parseAmount(s, 6), s).to.throw(MoneyError, "thousands separators");
      }
    });

    it("rejects a comma used as the decimal point", () => {
      expect(() => parseAmount("12,5", 6)).to.throw(MoneyError, 'use "." instead');
    });

    it("rejects signs, exponents, blanks and half-written numbers", () => {
      for (const s of ["-1", "+1", "1e6", "", " 1", "1 ", ".5", "5.", "1.2.3", "abc", "0x10"]) {
        expect(() => parseAmount(s, 6), JSON.stringify(s)).to.throw(MoneyError);
      }
    });

    it("rejects impossible decimals", () => {
      expect(() => parseAmount("1", -1)).to.throw(MoneyError, "decimals");
      expect(() => parseAmount("1", 1.5)).to.throw(MoneyError, "decimals");
    });
  });

  describe("formatAmount", () => {
    it("groups thousands and shows at least two decimals with the symbol", () => {
      expect(formatAmount(100_000_000_000n, 6, { symbol: "tUSD" })).to.equal("100,000.00 tUSD");
      expect(formatAmount(1_234_567_891_234n, 6)).to.equal("1,234,567.891234");
      expect(formatAmount(2_500_500_000n, 6)).to.equal("2,500.50");
      expect(formatAmount(1n, 6)).to.equal("0.000001");
      expect(formatAmount(0n, 6)).to.equal("0.00");
    });

    it("can leave out grouping and trailing zeros", () => {
      expect(formatAmount(100_000_000_000n, 6, { grouping: false, minFractionDigits: 0 })).to.equal("100000");
      expect(formatAmount(123_456n, 0)).to.equal("123,456");
    });

    it("formats negative amounts with a leading minus", () => {
      expect(formatAmount(-1_500_000n, 6, { symbol: "tUSD" })).to.equal("-1.50 tUSD");
    });

    it("round-trips through parseAmount for any amount and decimals", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 24 }), (v, d) => {
          expect(parseAmount(formatAmount(v, d, { grouping: false }), d)).to.equal(v);
          const grouped = formatAmount(v, d);
          expect(parseAmount(grouped.replace(/,/g, ""), d)).to.equal(v);
        }),
      );
    });
  });

  describe("formatBps", () => {
    it("prints basis points as a percentage with two decimals", () => {
      expect(formatBps(1234)).to.equal("12.34 %");
      expect(formatBps(5)).to.equal("0.05 %");
      expect(formatBps(10_000n)).to.equal("100.00 %");
      expect(formatBps(0)).to.equal("0.00 %");
    });

    it("refuses fractional basis points", () => {
      expect(() => formatBps(1.5)).to.throw(MoneyError);
    });
  });
});
