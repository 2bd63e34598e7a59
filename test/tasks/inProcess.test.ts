import { expect } from "chai";
import hre from "hardhat";
import { clearInProcessAddressBook } from "../../src/node/addressBook";
import { runTask as run } from "./run";

/**
 * Through the tasks: `deploy`, a supplier (account 1, optionally named) and a buyer (account 2) registered, and
 * invoice `number` submitted by the supplier; returns its id.
 */
async function deployAndSubmit(number: string, amount: string, supplierName?: string): Promise<string> {
  await run("deploy");
  const name = supplierName ? { name: supplierName } : {};
  await run("participant:register", { ref: "LEI:INPROC-SUP", roles: "SUPPLIER", wallet: "1", ...name });
  await run("participant:register", { ref: "LEI:INPROC-BUY", roles: "BUYER", wallet: "2" });
  const submitted = await run("invoice:submit", { from: "1", number, buyer: "LEI:INPROC-BUY", amount });
  return String(submitted.id);
}

describe("Tasks on the in-process network", () => {
  after(clearInProcessAddressBook);

  it("deploy, onboard, submit, acknowledge by signature, assess, pool deploy and finance in one process", async () => {
    const id = await deployAndSubmit("IP-1", "5000", "Supplier");
    await run("participant:register", { ref: "LEI:INPROC-BANK", roles: "FINANCIER", wallet: "3" });
    const signed = await run("invoice:acknowledge", { from: "2", id, sign: true });
    expect(signed.signer).to.equal((await hre.ethers.getSigners())[2].address);
    await run("invoice:acknowledge", {
      from: "1",
      id,
      signature: signed.signature,
      nonce: String(signed.nonce),
      deadline: String(signed.deadline),
    });
    const report = await run("risk:assess", { id });
    expect(report.eligible).to.equal(true);
    expect(report.explanation).to.include("The buyer has no rating, so the policy's unrated PD is used.");
    const pool = await run("pool:deploy", { bank: "InProc", manager: "3" });
    expect(pool.bound).to.equal(true);
    // The pool is bound as a second wallet of the bank's entity, and either wallet finds the entity.
    const manager = (await hre.ethers.getSigners())[3].address;
    const bank = await run("participant:show", { wallet: String(pool.address) });
    expect(bank).to.include({ ref: "LEI:INPROC-BANK", walletCount: 2, suspension: "none" });
    expect(bank.wallets).to.deep.equal([manager, pool.address]);
    expect(bank.roles).to.deep.equal(["FINANCIER"]);
    await run("pool:deposit", { from: "3", bank: "InProc", amount: "100000", mint: true });
    const cap = await run("pool:supplier-cap", { from: "3", bank: "InProc", cap: "4000", periodDays: "30" });
    expect(String(cap.periodSeconds)).to.equal(String(30 * 86_400));
    const financed = await run("pool:finance", { from: "1", bank: "InProc", id });
    expect(financed.executed).to.equal(true);
    // The fee bound defaults to the fee quoted off-chain, which is what was charged.
    expect(String(financed.maxFeeUnits)).to.equal(String(financed.feeUnits));
    const shown = await run("invoice:show", { id });
    expect(shown.holder).to.equal(pool.address);

    // A second invoice of the same supplier goes over its cap of 4,000: a request, which cannot be expired yet.
    const second = await run("invoice:submit", { from: "1", number: "IP-2", buyer: "LEI:INPROC-BUY", amount: "5000" });
    await run("invoice:acknowledge", { from: "2", id: String(second.id) });
    const requested = await run("pool:finance", { from: "1", bank: "InProc", id: String(second.id) });
    expect(requested.executed).to.equal(false);
    const refused = await run("pool:expire", { bank: "InProc", id: String(second.id) }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused?.message).to.match(/^refused: the request for receivable #\d+ can still be approved/);
    const off = await run("pool:supplier-cap", { from: "3", bank: "InProc", off: true });
    expect(String(off.capUnits)).to.equal("0");
  });

  it("lets the buyer revoke a signature it gave (invoice:revoke-signature --id), after which relaying it fails", async () => {
    const id = await deployAndSubmit("IP-R", "700");
    const signed = await run("invoice:acknowledge", { from: "2", id, sign: true });
    const revoked = await run("invoice:revoke-signature", { from: "2", id });
    expect(revoked.nonce).to.equal(signed.nonce);
    const relay = {
      from: "1",
      id,
      signature: signed.signature,
      nonce: String(signed.nonce),
      deadline: String(signed.deadline),
    };
    const error = await run("invoice:acknowledge", relay).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.include(`revoked acknowledgement nonce ${String(signed.nonce)}`);
    // Exactly one of --id and --nonce.
    const neither = await run("invoice:revoke-signature", { from: "2" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(neither?.message).to.include("give exactly one of --id or --nonce");
  });

  it("fails with the decoded sentence when a task is refused on chain", async () => {
    await run("deploy");
    const error = await run("invoice:cancel", { id: "42" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal("refused: receivable #42 does not exist");
  });

  it("report: pages the event scan, and says what is wrong with --source and an unreachable indexer", async () => {
    await run("deploy");
    const paged = await run("report", { logPageBlocks: 1, source: "chain", indexerUrl: "http://127.0.0.1:9" });
    expect(paged.totals).to.deep.equal([]);
    const fail = (args: Record<string, unknown>) =>
      run("report", { source: "chain", indexerUrl: "http://127.0.0.1:9", ...args }).then(
        () => "",
        (e: Error) => e.message,
      );
    expect(await fail({ source: "subgraph" })).to.equal('--source must be "chain" or "indexer", got "subgraph"');
    expect(await fail({ source: "indexer" })).to.match(
      /^cannot reach the indexer at http:\/\/127\.0\.0\.1:9 \(.*\): is `npm run dashboard` running\?$/,
    );
  });
});
