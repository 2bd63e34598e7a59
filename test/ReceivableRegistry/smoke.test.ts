import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  receivablesFixture,
  Status,
  invoiceInput,
  submit,
  signAck,
  invoiceKey,
  numberHash,
} from "../shared/receivables";
import { ENTITIES, DAY } from "../shared/fixtures";

describe("ReceivableRegistry.smoke", () => {
  it("runs submit, acknowledge by signature, split, transfer, pay and withdraw end to end", async () => {
    const f = await loadFixture(receivablesFixture);
    const { receivables, lens, supplier, buyer, bank, usd, usdAddress } = f;
    const input = await invoiceInput(usdAddress, { number: "INV-100" });
    const id = await submit(receivables, supplier, input);
    const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-100"));
    expect(await lens.receivableOfKey(key)).to.equal(id);
    const deadline = (await time.latest()) + DAY;
    const sig = await signAck(receivables, buyer, {
      id,
      invoiceKey: key,
      amount: BigInt(input.amount),
      dueDate: BigInt(input.dueDate),
      deadline,
    });
    await receivables.connect(bank).acknowledgeWithSig(id, key, 0, deadline, sig);
    expect((await lens.receivable(id)).status).to.equal(Status.Acknowledged);
    await receivables.connect(supplier).split(id, [60_000_000_000n, 40_000_000_000n]);
    const child = id + 2n;
    await receivables.connect(supplier).transferFrom(supplier.address, bank.address, child);
    await receivables.connect(buyer).pay(child, 50_000_000_000n);
    expect(await receivables.claimable(bank.address, usdAddress)).to.equal(40_000_000_000n);
    await receivables.connect(bank).withdraw(usdAddress, bank.address);
    expect(await usd.balanceOf(bank.address)).to.equal(40_000_000_000n);
    expect((await lens.receivable(child)).status).to.equal(Status.Paid);
    expect(await receivables.rootOf(child)).to.equal(id);
  });
});
