import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { GRACE_PERIOD } from "./shared/fixtures";
import { invoiceInput, keyOf, registryFixture, submit } from "./shared/receivables";
import type { ReceivableRegistry } from "../typechain-types";

// Issue 14 item 5: the contracts stay immutable; an upgrade is a migration to a new ReceivableRegistry that
// names its predecessor and refuses every invoice key the predecessor (or any registry before it) used, so a
// migration never reopens an invoice to a second financing.

async function successor(participants: string, predecessor: string): Promise<ReceivableRegistry> {
  const logic = await ethers.deployContract("ReceivableLogic");
  const factory = await ethers.getContractFactory("ReceivableRegistry", {
    libraries: { ReceivableLogic: await logic.getAddress() },
  });
  return (await factory.deploy(participants, GRACE_PERIOD, predecessor)) as unknown as ReceivableRegistry;
}

async function migrationFixture() {
  const f = await registryFixture();
  const participants = await f.participants.getAddress();
  const next = await successor(participants, await f.receivables.getAddress());
  await f.usd.connect(f.buyer).approve(await next.getAddress(), ethers.MaxUint256);
  return { ...f, next, participants };
}

describe("Migration to a successor registry (issue 14 item 5)", () => {
  it("names its predecessor, and a first deployment names none", async () => {
    const f = await loadFixture(migrationFixture);
    expect(await f.next.predecessor()).to.equal(await f.receivables.getAddress());
    expect(await f.receivables.predecessor()).to.equal(ethers.ZeroAddress);
  });

  it("refuses an invoice the predecessor registered, whatever its status there, and names the predecessor", async () => {
    const f = await loadFixture(migrationFixture);
    const old = await invoiceInput(f.usdAddress, { number: "INV-001" }); // submitted (not acknowledged) before
    const key = keyOf(old);
    expect(await f.next.invoiceKeyUsed(key)).to.equal(true);
    await expect(f.next.connect(f.supplier).submit(old))
      .to.be.revertedWithCustomError(f.next, "ReceivableInvoiceKeyUsedByPredecessor")
      .withArgs(key, await f.receivables.getAddress());
    await expect(f.next.connect(f.supplier).submitBatch([old])).to.be.revertedWithCustomError(
      f.next,
      "ReceivableInvoiceKeyUsedByPredecessor",
    );
    // The same invoice number to another buyer is another invoice.
    const fresh = await invoiceInput(f.usdAddress, { number: "INV-NEW" });
    expect(await f.next.invoiceKeyUsed(keyOf(fresh))).to.equal(false);
    const id = await submit(f.next, f.supplier, fresh);
    expect(id).to.equal(1n);
    expect(await f.next.invoiceKeyUsed(keyOf(fresh))).to.equal(true);
    // …and the old registry does not learn the new one's keys (it never looks forward).
    expect(await f.receivables.invoiceKeyUsed(keyOf(fresh))).to.equal(false);
  });

  it("carries the guard through a chain of migrations", async () => {
    const f = await loadFixture(migrationFixture);
    const third = await successor(f.participants, await f.next.getAddress());
    const first = await invoiceInput(f.usdAddress, { number: "INV-002" }); // acknowledged in the first registry
    const second = await invoiceInput(f.usdAddress, { number: "MID-1" });
    await submit(f.next, f.supplier, second);
    await expect(third.connect(f.supplier).submit(first))
      .to.be.revertedWithCustomError(third, "ReceivableInvoiceKeyUsedByPredecessor")
      .withArgs(keyOf(first), await f.next.getAddress());
    await expect(third.connect(f.supplier).submit(second))
      .to.be.revertedWithCustomError(third, "ReceivableInvoiceKeyUsedByPredecessor")
      .withArgs(keyOf(second), await f.next.getAddress());
    expect(await third.invoiceKeyUsed(keyOf(first))).to.equal(true);
  });
});
