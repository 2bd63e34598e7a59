/**
 * Attacks from docs/THREAT_MODEL.md that no unit test shows end to end: double financing across two banks,
 * front-running a financing with a policy change, and a freeze that does not reach children split before it.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { standardPolicy } from "../../src/pure/policy";
import { invoiceInput } from "../shared/receivables";
import { worldFixture, DAY, UNIT, WORLD_ENTITIES } from "./world";
import { Status, FStatus } from "./model";

async function threatFixture() {
  const w = await worldFixture();
  const { supplier, buyer, ratingAgent } = w.signers;
  const lens = w.lens;
  const now = await time.latest();
  await w.riskEngine.connect(ratingAgent).setRating(WORLD_ENTITIES.B1, 150, now + 365 * DAY);
  const mint = async (units: bigint, number: string) => {
    const id = (await lens.totalMinted()) + 1n;
    const input = await invoiceInput(await w.usd.getAddress(), {
      number,
      buyerEntityId: WORLD_ENTITIES.B1,
      amount: units * UNIT,
      dueDate: (await time.latest()) + 90 * DAY,
      docHash: ethers.ZeroHash,
    });
    await w.receivables.connect(supplier).submit(input);
    await w.receivables.connect(buyer).acknowledge(id);
    return id;
  };
  return { ...w, small: await mint(50_000n, "T-1"), large: await mint(200_000n, "T-2") };
}

describe("Threats", () => {
  it("does not let one receivable be financed by two banks: a pending request in one pool dies when another pool takes it", async () => {
    const { poolA, poolB, receivables, signers, large } = await loadFixture(threatFixture);
    const deadline = (await time.latest()) + DAY;
    // Pool A: above its auto-approval limit, so a request waits for the manager.
    await poolA.connect(signers.supplier).finance(large, 0, ethers.MaxUint256, deadline);
    expect((await poolA.financing(large)).status).to.equal(FStatus.Requested);
    // Pool B raises its auto-approval limit and finances at once: the receivable moves to pool B.
    await poolB.connect(signers.bankB).setPolicy(standardPolicy(6, { recourse: true, autoApprovalLimit: 10n ** 12n }));
    await poolB.connect(signers.supplier).finance(large, 0, ethers.MaxUint256, deadline);
    expect(await receivables.ownerOf(large)).to.equal(await poolB.getAddress());
    // Bank A's manager can no longer execute: the supplier does not hold it.
    await expect(poolA.connect(signers.bank).approveRequest(large))
      .to.be.revertedWithCustomError(poolA, "PoolNotHolder")
      .withArgs(large, signers.supplier.address);
    // And nobody can finance it again anywhere while pool B holds it.
    await expect(
      poolA.connect(signers.supplier).finance(large, 0, ethers.MaxUint256, deadline),
    ).to.be.revertedWithCustomError(poolA, "PoolAlreadyFinanced");
    await expect(
      poolB.connect(signers.supplier).finance(large, 0, ethers.MaxUint256, deadline),
    ).to.be.revertedWithCustomError(poolB, "PoolAlreadyFinanced");
  });

  it("protects a supplier against a policy change slipped in before its financing: the quoted minimum net advance holds", async () => {
    const { poolA, signers, small } = await loadFixture(threatFixture);
    const quoted = (await poolA.quote(small)).netAdvance;
    // The manager halves the advance rates just before the supplier's transaction.
    await poolA
      .connect(signers.bank)
      .setPolicy(standardPolicy(6, { advanceRateBps: [4500n, 4250n, 3750n, 3000n, 0n] }));
    const deadline = (await time.latest()) + DAY;
    await expect(
      poolA.connect(signers.supplier).finance(small, quoted, ethers.MaxUint256, deadline),
    ).to.be.revertedWithCustomError(poolA, "PoolSlippage");
    // A stale transaction held back past its deadline is refused too.
    await time.increase(2 * DAY);
    await expect(
      poolA.connect(signers.supplier).finance(small, 0, ethers.MaxUint256, deadline),
    ).to.be.revertedWithCustomError(poolA, "PoolDeadlinePassed");
  });

  it("does not carry a freeze of a split parent to its children: the regulator freezes each child, which stops transfer and financing but never payment", async () => {
    const { receivables, lens, poolA, signers, small } = await loadFixture(threatFixture);
    const first = (await lens.totalMinted()) + 1n;
    await receivables.connect(signers.supplier).split(small, [20_000n * UNIT, 30_000n * UNIT]);
    const children = [first, first + 1n];
    const reason = ethers.encodeBytes32String("AML");
    await receivables.connect(signers.regulator).freeze(small, reason);
    // The parent is closed; its children are not frozen by that.
    for (const child of children) expect((await lens.receivable(child)).frozen).to.equal(false);
    await receivables
      .connect(signers.supplier)
      .transferFrom(signers.supplier.address, signers.tier2.address, children[1]);
    // The regulator freezes each child it finds through parentOf / ReceivableSplit.
    for (const child of children) {
      expect(await lens.parentOf(child)).to.equal(small);
      await receivables.connect(signers.regulator).freeze(child, reason);
    }
    await expect(
      receivables.connect(signers.supplier).transferFrom(signers.supplier.address, signers.bank.address, children[0]),
    ).to.be.revertedWithCustomError(receivables, "ReceivableIsFrozen");
    await expect(
      poolA.connect(signers.supplier).finance(children[0], 0, ethers.MaxUint256, (await time.latest()) + DAY),
    ).to.be.revertedWithCustomError(poolA, "PoolNotEligible");
    await receivables.connect(signers.buyer).pay(children[0], 20_000n * UNIT);
    expect((await lens.receivable(children[0])).status).to.equal(Status.Paid);
    expect(
      await receivables.claimable(signers.supplier.address, await lens.receivable(children[0]).then((r) => r.currency)),
    ).to.equal(20_000n * UNIT);
  });
});
