/**
 * Issue 14: privileged powers behind a timelock proposed by a real 2-of-3 Safe (the Safe v1.5.0 contracts from
 * npm, driven by @safe-global/protocol-kit), on the in-process network. Emergency powers stay instant.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { governedFixture, GOVERNANCE_DELAY } from "./shared/governance";
import type { Interface } from "ethers";
import { execThroughSafe, signSafeCalls, SafeCallError, SAFE_ABI } from "../src/chain/safe";
import { encodeSchedule, listOperations, operationId, timelockCall, type KnownContract } from "../src/chain/governance";
import { standardPolicy } from "../src/pure/policy";
import type { Governed } from "./shared/governance";

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  expect.fail("expected a refusal, but the call went through");
}

/** The custom error a Safe call was refused with, decoded with the target's ABI. */
function revertName(e: Error, iface: Interface): string | undefined {
  expect(e).to.be.instanceOf(SafeCallError);
  const data = (e as SafeCallError).data;
  return data ? iface.parseError(data)?.name : undefined;
}

/** The timelock call that grants ONBOARDER_ROLE to `account` in the participant registry. */
async function grantOnboarder(f: Governed, account: string) {
  const data = f.participants.interface.encodeFunctionData("grantRole", [
    await f.participants.ONBOARDER_ROLE(),
    account,
  ]);
  return timelockCall(await f.participants.getAddress(), data);
}

async function known(f: Governed): Promise<KnownContract[]> {
  return [
    { name: "ParticipantRegistry", address: await f.participants.getAddress(), iface: f.participants.interface },
    { name: "FinancingPool", address: await f.pool.getAddress(), iface: f.pool.interface },
  ];
}

describe("Governance: timelock proposed by a 2-of-3 Safe", () => {
  it("makes the timelock the registry's admin and the pool's owner, with the Safe as its only proposer", async () => {
    const f = await loadFixture(governedFixture);
    expect(await f.participants.defaultAdmin()).to.equal(f.timelockAddress);
    expect(await f.pool.owner()).to.equal(f.timelockAddress);
    expect(await f.timelock.getMinDelay()).to.equal(BigInt(GOVERNANCE_DELAY));
    expect(await f.timelock.hasRole(await f.timelock.PROPOSER_ROLE(), f.safe)).to.equal(true);
    for (const o of f.owners) {
      expect(await f.timelock.hasRole(await f.timelock.PROPOSER_ROLE(), o.address)).to.equal(false);
    }
    // The deployer keeps nothing.
    expect(await f.participants.hasRole(await f.participants.DEFAULT_ADMIN_ROLE(), f.deployer.address)).to.equal(false);
    expect(await f.timelock.hasRole(await f.timelock.DEFAULT_ADMIN_ROLE(), f.deployer.address)).to.equal(false);
  });

  it("grants ONBOARDER_ROLE scheduled by the Safe only after the delay: refused before, applied after", async () => {
    const f = await loadFixture(governedFixture);
    const role = await f.participants.ONBOARDER_ROLE();
    const x = f.outsider.address;
    const call = timelockCall(
      await f.participants.getAddress(),
      f.participants.interface.encodeFunctionData("grantRole", [role, x]),
    );
    const [id] = await f.schedule([call]);
    expect(id).to.equal(
      await f.timelock.hashOperation(call.target, call.value, call.data, call.predecessor, call.salt),
    );

    // Listed as waiting, decoded with the registry's ABI.
    let ops = await listOperations(ethers.provider, f.timelockAddress, await known(f));
    let op = ops.find((o) => o.id === id)!;
    expect(op.state).to.equal("waiting");
    expect(op.calls[0].contract).to.equal("ParticipantRegistry");
    expect(op.calls[0].call).to.equal(`grantRole(role=${role}, account=${x})`);
    expect(op.readyAt).to.equal(BigInt(await time.latest()) + BigInt(GOVERNANCE_DELAY));

    await expect(f.execute([call])).to.be.revertedWithCustomError(f.timelock, "TimelockUnexpectedOperationState");
    expect(await f.participants.hasRole(role, x)).to.equal(false);

    await time.increase(GOVERNANCE_DELAY);
    ops = await listOperations(ethers.provider, f.timelockAddress, await known(f));
    expect(ops.find((o) => o.id === id)!.state).to.equal("ready");
    await f.execute([call]);
    expect(await f.participants.hasRole(role, x)).to.equal(true);
    ops = await listOperations(ethers.provider, f.timelockAddress, await known(f));
    op = ops.find((o) => o.id === id)!;
    expect(op.state).to.equal("done");
  });

  it("does not let one owner's signature alone schedule anything", async () => {
    const f = await loadFixture(governedFixture);
    const call = await grantOnboarder(f, f.outsider.address);
    const safeCall = { to: f.timelockAddress, data: encodeSchedule(call, GOVERNANCE_DELAY) };
    // protocol-kit refuses before sending (the executing owner's own approval counts once).
    const alone = await failure(execThroughSafe(f.ctx, f.safe, [f.owners[0].address], [safeCall]));
    expect(alone.message).to.match(/1 signature missing/);
    // The Safe itself refuses a transaction with one signature, whoever submits it (GS020: not enough signatures).
    const tx = await signSafeCalls(f.ctx, f.safe, [f.owners[0].address], [safeCall]);
    const safe = new ethers.Contract(f.safe, SAFE_ABI, f.outsider);
    const d = tx.data;
    await expect(
      safe.execTransaction(
        d.to,
        d.value,
        d.data,
        d.operation,
        d.safeTxGas,
        d.baseGas,
        d.gasPrice,
        d.gasToken,
        d.refundReceiver,
        tx.encodedSignatures(),
      ),
    ).to.be.revertedWith("GS020");
    expect(await f.timelock.getOperationState(operationId(call))).to.equal(0n); // Unset
  });

  it("refuses a Safe owner (or anyone but the Safe) scheduling directly on the timelock", async () => {
    const f = await loadFixture(governedFixture);
    const call = await grantOnboarder(f, f.owners[0].address);
    for (const who of [f.owners[0], f.deployer]) {
      await expect(
        f.timelock
          .connect(who)
          .schedule(call.target, call.value, call.data, call.predecessor, call.salt, GOVERNANCE_DELAY),
      ).to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount");
    }
  });

  it("refuses a delay shorter than the minimum, even from the Safe", async () => {
    const f = await loadFixture(governedFixture);
    const call = await grantOnboarder(f, f.outsider.address);
    const short = await failure(
      execThroughSafe(
        f.ctx,
        f.safe,
        [f.owners[1].address, f.owners[2].address],
        [{ to: f.timelockAddress, data: encodeSchedule(call, GOVERNANCE_DELAY - 1) }],
      ),
    );
    expect(revertName(short, f.timelock.interface)).to.equal("TimelockInsufficientDelay");
    expect(await f.timelock.getOperationState(operationId(call))).to.equal(0n);
  });

  it("does not let a pool owned by the timelock loosen its policy at once", async () => {
    const f = await loadFixture(governedFixture);
    const loose = standardPolicy(6, { minGrade: 4n, maxBuyerDefaults: 10n });
    const before = await f.pool.policy();
    // No key can call it directly: not the bank's former manager key, not a Safe owner, not the Safe.
    for (const who of [f.bankKey, f.owners[0]]) {
      await expect(f.pool.connect(who).setPolicy(loose)).to.be.revertedWithCustomError(
        f.pool,
        "OwnableUnauthorizedAccount",
      );
    }
    const direct = { to: await f.pool.getAddress(), data: f.pool.interface.encodeFunctionData("setPolicy", [loose]) };
    const viaSafe = await failure(execThroughSafe(f.ctx, f.safe, [f.owners[0].address, f.owners[1].address], [direct]));
    expect(revertName(viaSafe, f.pool.interface)).to.equal("OwnableUnauthorizedAccount");

    // Through the timelock: unchanged until the delay has run.
    const call = timelockCall(direct.to, direct.data);
    await f.schedule([call]);
    await time.increase(GOVERNANCE_DELAY - 60);
    await expect(f.execute([call])).to.be.revertedWithCustomError(f.timelock, "TimelockUnexpectedOperationState");
    expect((await f.pool.policy()).minGrade).to.equal(before.minGrade);
    await time.increase(60);
    await f.execute([call]);
    expect((await f.pool.policy()).minGrade).to.equal(4n);
    expect((await f.pool.policy()).maxBuyerDefaults).to.equal(10n);
  });

  it("lets the Safe cancel a scheduled operation before it runs", async () => {
    const f = await loadFixture(governedFixture);
    const call = await grantOnboarder(f, f.outsider.address);
    const [id] = await f.schedule([call]);
    await execThroughSafe(
      f.ctx,
      f.safe,
      [f.owners[1].address, f.owners[2].address],
      [{ to: f.timelockAddress, data: f.timelock.interface.encodeFunctionData("cancel", [id]) }],
    );
    await time.increase(GOVERNANCE_DELAY);
    await expect(f.execute([call])).to.be.revertedWithCustomError(f.timelock, "TimelockUnexpectedOperationState");
    const ops = await listOperations(ethers.provider, f.timelockAddress, await known(f));
    expect(ops.find((o) => o.id === id)!.state).to.equal("cancelled");
  });

  it("lets the guardian pause at once, with no delay and no Safe", async () => {
    const f = await loadFixture(governedFixture);
    // Nobody else pauses: not a Safe owner, not the deployer.
    for (const who of [f.owners[0], f.deployer]) {
      await expect(f.receivables.connect(who).pause()).to.be.revertedWithCustomError(
        f.receivables,
        "ReceivableUnauthorized",
      );
    }
    expect(await f.receivables.paused()).to.equal(false);
    await f.receivables.connect(f.guardian).pause();
    expect(await f.receivables.paused()).to.equal(true);
  });

  // The guardian pauses at once but cannot unpause; only the timelock (the admin) unpauses, after the delay.
  it("lets only the delayed admin path unpause", async () => {
    const f = await loadFixture(governedFixture);
    await f.receivables.connect(f.guardian).pause();
    await expect(f.receivables.connect(f.guardian).unpause()).to.be.revertedWithCustomError(
      f.receivables,
      "ReceivableUnauthorized",
    );
    const call = timelockCall(await f.receivables.getAddress(), f.receivables.interface.encodeFunctionData("unpause"));
    await f.schedule([call]);
    await expect(f.execute([call])).to.be.revertedWithCustomError(f.timelock, "TimelockUnexpectedOperationState");
    expect(await f.receivables.paused()).to.equal(true);
    await time.increase(GOVERNANCE_DELAY);
    await f.execute([call]);
    expect(await f.receivables.paused()).to.equal(false);
  });
});
