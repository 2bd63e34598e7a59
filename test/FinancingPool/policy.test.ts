/**
 * FinancingPool: deployment and the manager's settings: the risk policy, the supplier auto-approval cap, who may call what.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, ENTITIES } from "../shared/fixtures";
import {
  acknowledgedReceivable,
  capFixture,
  expectUnchanged,
  plain,
  poolFixture,
  REASON_TEXT,
  POLICY_1,
  POLICY_2,
} from "../shared/pool";
import { policyTuple, standardPolicy } from "../../src/pure/policy";
import type { RiskPolicy } from "../../src/pure/risk";

describe("FinancingPool.policy", () => {
  it("is deployed by Ignition with its manager, asset, registries and policy", async () => {
    const { pool1, pool2, bank, bank2, usdAddress, receivables, riskEngine } = await loadFixture(poolFixture);
    expect(await pool1.owner()).to.equal(bank.address);
    expect(await pool2.owner()).to.equal(bank2.address);
    expect(await pool1.asset()).to.equal(usdAddress);
    expect(await pool1.receivables()).to.equal(await receivables.getAddress());
    expect(await pool1.riskEngine()).to.equal(await riskEngine.getAddress());
    expect(plain(await pool1.policy())).to.deep.equal(policyTuple(POLICY_1));
    expect(plain(await pool2.policy())).to.deep.equal(policyTuple(POLICY_2));
  });

  it("lets the manager set a valid policy and emits PolicySet with it", async () => {
    const { pool1, bank } = await loadFixture(poolFixture);
    const p = standardPolicy(6, { baseRateBps: 1_200n, recourse: true, maxTenorDays: 90n });
    const receipt = await (await pool1.connect(bank).setPolicy(p)).wait();
    const events = receipt!.logs.map((l) => pool1.interface.parseLog(l)).filter((e) => e?.name === "PolicySet");
    expect(events).to.have.length(1);
    expect(plain(events[0]!.args.policy)).to.deep.equal(policyTuple(p));
    expect(plain(await pool1.policy())).to.deep.equal(policyTuple(p));
  });

  for (const [field, bad] of [
    ["advanceRateBps", { advanceRateBps: [9000n, 9100n, 7500n, 6000n, 0n] }],
    ["gradeMaxPdBps", { gradeMaxPdBps: [100n, 100n, 800n, 2000n] }],
    ["lgdBps", { lgdBps: 10_001n }],
    ["minGrade", { minGrade: 5n }],
    ["maxTenorDays", { maxTenorDays: 0n }],
  ] as const) {
    it(`refuses a policy with an invalid ${field} with RiskInvalidPolicy and keeps the old policy`, async () => {
      const f = await loadFixture(poolFixture);
      await expectUnchanged(f, f.pool1, [], [], async () => {
        const p = standardPolicy(6, bad as Partial<RiskPolicy>);
        await expect(f.pool1.connect(f.bank).setPolicy(p))
          .to.be.revertedWithCustomError(f.riskEngine, "RiskInvalidPolicy")
          .withArgs(field);
      });
    });
  }

  it("refuses every manager function to anyone but its manager, including another bank's manager", async () => {
    const f = await loadFixture(poolFixture);
    const { pool1, bank, bank2, outsider, supplier } = f;
    const { id } = await acknowledgedReceivable(f, supplier, { number: "INV-AUTH" });
    for (const caller of [outsider, bank2, supplier]) {
      const p = pool1.connect(caller);
      const calls = [
        () => p.setPolicy(POLICY_1),
        () => p.deposit(1n),
        () => p.withdrawLiquidity(1n, caller.address),
        () => p.approveRequest(id),
        () => p.rejectRequest(id, REASON_TEXT),
        () => p.writeOff(id),
      ];
      for (const call of calls) {
        await expect(call())
          .to.be.revertedWithCustomError(pool1, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
    }
    expect(await pool1.owner()).to.equal(bank.address);
  });

  it("refuses a cap without a period or a period without a cap, and switches off with both zero", async () => {
    const f = await loadFixture(capFixture);
    const { pool1, bank, supplier } = f;
    await expect(pool1.connect(bank).setSupplierAutoCap(1n, 0))
      .to.be.revertedWithCustomError(pool1, "PoolInvalidAutoCap")
      .withArgs(1n, 0n);
    await expect(pool1.connect(bank).setSupplierAutoCap(0n, DAY))
      .to.be.revertedWithCustomError(pool1, "PoolInvalidAutoCap")
      .withArgs(0n, DAY);
    await expect(pool1.connect(supplier).setSupplierAutoCap(0n, 0))
      .to.be.revertedWithCustomError(pool1, "OwnableUnauthorizedAccount")
      .withArgs(supplier.address);
    await expect(pool1.connect(bank).setSupplierAutoCap(0n, 0)).to.emit(pool1, "SupplierAutoCapSet").withArgs(0n, 0n);
    expect(await pool1.supplierAutoCap()).to.deep.equal([0n, 0n]);
    expect(await pool1.autoApprovedOf(ENTITIES.supplier)).to.equal(0n);
  });
});
