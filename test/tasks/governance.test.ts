/**
 * The governance tasks on the in-process network (issue 14): a local 2-of-3 Safe, `deploy --safe` making a
 * timelock the admin, then `governance:schedule` through the Safe, `governance:pending` and `governance:execute`.
 */
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { clearInProcessAddressBook } from "../../src/node/addressBook";
import { runTask as run } from "./run";

/** The sentence a task fails with. */
async function refusal(task: string, args: Record<string, unknown>): Promise<string> {
  try {
    await run(task, args);
  } catch (e) {
    return (e as Error).message;
  }
  expect.fail(`${task} went through`);
}

type Op = { id: string; state: string; calls: { contract: string; call: string }[]; readyAt: number | null };

describe("Governance tasks on the in-process network", () => {
  after(clearInProcessAddressBook);

  it("create-safe, deploy --safe, then schedule through the Safe, list, and execute after the delay", async () => {
    const accounts = await hre.ethers.getSigners();
    const created = await run("governance:create-safe", { owners: "15,16,17", threshold: "2" });
    const safe = String(created.safe);
    const deployed = await run("deploy", { safe, delay: "3600" });
    const timelock = String(deployed.timelock);
    const participants = await hre.ethers.getContractAt(
      "ParticipantRegistry",
      (deployed.contracts as { participants: string }).participants,
    );
    expect(await participants.defaultAdmin()).to.equal(timelock);

    // Without --signers the task only prints the Safe transaction: nothing is scheduled.
    const printed = await run("governance:schedule", {
      contract: "participants",
      function: "grantRole",
      args: '["ONBOARDER_ROLE", "5"]',
      safe,
    });
    expect(printed.tx).to.equal(null);
    expect((printed.safeTransaction as { to: string }).to).to.equal(timelock);
    expect((await run("governance:pending")).operations).to.deep.equal([]);

    const scheduled = await run("governance:schedule", {
      contract: "participants",
      function: "grantRole",
      args: '["ONBOARDER_ROLE", "5"]',
      safe,
      signers: "15,16",
    });
    expect(scheduled.function).to.equal("grantRole(bytes32,address)");
    // Without --safe the signer would propose itself, and it is not a proposer.
    expect(
      await refusal("governance:schedule", {
        contract: "participants",
        function: "grantRole",
        args: '["PAUSER_ROLE", "5"]',
      }),
    ).to.match(/is not a proposer of the timelock .*: pass --safe/);
    const pending = (await run("governance:pending")).operations as Op[];
    expect(pending).to.have.length(1);
    expect(pending[0]).to.include({ id: scheduled.id, state: "waiting", readyAt: scheduled.readyAt });
    expect(pending[0].calls[0]).to.include({
      contract: "participants",
      call: `grantRole(role=${hre.ethers.id("ONBOARDER_ROLE")}, account=${accounts[5].address})`,
    });

    expect(await refusal("governance:execute", { id: scheduled.id })).to.match(/is waiting until/);
    await time.increase(3600);
    expect(((await run("governance:pending")).operations as Op[])[0].state).to.equal("ready");
    await run("governance:execute", { id: scheduled.id });
    expect(await participants.hasRole(await participants.ONBOARDER_ROLE(), accounts[5].address)).to.equal(true);
    expect((await run("governance:pending")).operations).to.deep.equal([]);
    expect(((await run("governance:pending", { all: true })).operations as Op[])[0].state).to.equal("done");
    expect(await refusal("governance:execute", { id: scheduled.id })).to.match(/has already run/);

    // The timelock's own settings go through itself: a longer delay, scheduled like any other change.
    const longer = await run("governance:schedule", {
      contract: "timelock",
      function: "updateDelay",
      args: "[7200]",
      safe,
      signers: "16,17",
    });
    expect(longer.target).to.equal(timelock);
    await time.increase(3600);
    await run("governance:execute", { id: longer.id });
    const tl = await hre.ethers.getContractAt("Timelock", timelock);
    expect(await tl.getMinDelay()).to.equal(7200n);
  });

  it("refuses a delay without a Safe, and --admin with --safe", async () => {
    expect(await refusal("deploy", { delay: "60" })).to.equal("--delay needs --safe: the delay is the timelock's");
    const safe = String(
      (await run("governance:create-safe", { owners: "15,16,17", threshold: "2", saltNonce: "7" })).safe,
    );
    expect(await refusal("deploy", { safe, admin: "0" })).to.match(/either --admin or --safe/);
  });

  it("says when the deployment is not governed", async () => {
    await run("deploy");
    expect(await refusal("governance:pending", {})).to.match(/is not a timelock: this deployment is not governed/);
  });
});
