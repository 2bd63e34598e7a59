/**
 * FinancingPool: the reference model (src/pure/pool.ts) on its own: the waterfall and the fee floor.
 */
import { expect } from "chai";
import { termsFromAssessment, waterfall } from "../../src/pure/pool";

describe("FinancingPool.model", () => {
  it("splits any payment into principal, fee and reserve that add up to it, in waterfall order", () => {
    const f = { advance: 85_000n, fee: 1_234n, collected: 0n };
    let collected = 0n;
    let principal = 0n;
    let fee = 0n;
    let reserve = 0n;
    for (const amount of [1n, 40_000n, 43_765n, 1n, 1_233n, 7n, 14_993n]) {
      const c = waterfall({ ...f, collected }, amount);
      expect(c.principal + c.fee + c.reserve).to.equal(amount);
      if (c.fee > 0n) expect(principal + c.principal).to.equal(f.advance - f.fee);
      if (c.reserve > 0n) expect(fee + c.fee).to.equal(f.fee);
      principal += c.principal;
      fee += c.fee;
      reserve += c.reserve;
      collected += amount;
    }
    expect([principal, fee, reserve]).to.deep.equal([83_766n, 1_234n, 15_000n]);
  });

  it("prices terms with the contract's floor on the fee", () => {
    const t = termsFromAssessment({ grade: 1, maxAdvance: 85_001n, discountBps: 133n }, 100_001n);
    expect(t).to.deep.equal({ grade: 1, advance: 85_001n, fee: 1_130n, net: 83_871n, reserve: 15_000n });
  });
});
