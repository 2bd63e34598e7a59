import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getCreateAddress } from "ethers";
import { addressBookFor, deployBankPool, deployTradeFin } from "../../src/hardhat/deploy";
import { entityId, Role } from "../../src/pure/ids";
import { standardPolicy } from "../../src/pure/policy";
import { TradeFinError } from "../../src/pure/tradeFinError";

const REF = {
  supplier: entityId("LEI:DEPLOYTESTSUPPLIER001"),
  regulator: entityId("LEI:DEPLOYTESTREGULATOR01"),
  bank: entityId("LEI:DEPLOYTESTBANK00000001"),
};

/** A whole world: roles, tUSD, three entities with the admin's regulator between two onboarder ones, a bound pool. */
async function worldFixture() {
  const [admin, onboarder, pauser, agent, supplier, supplier2, regulator, bank] = await ethers.getSigners();
  const nonce = await ethers.provider.getTransactionCount(admin.address);
  const expiry = (await time.latest()) + 365 * 86_400;
  const d = await deployTradeFin(hre, {
    localStablecoin: true,
    roles: { ONBOARDER_ROLE: [onboarder.address], PAUSER_ROLE: [pauser.address], RATING_AGENT_ROLE: [agent.address] },
    entities: [
      { id: REF.supplier, roles: Role.SUPPLIER, kycExpiry: expiry, wallets: [supplier.address, supplier2.address] },
      { id: REF.regulator, roles: Role.REGULATOR, kycExpiry: expiry, wallets: [regulator.address] },
      { id: REF.bank, roles: Role.FINANCIER, kycExpiry: expiry, wallets: [bank.address] },
    ],
    pools: { Alpha: { manager: bank.address, policy: standardPolicy(6, { recourse: true }), bankEntity: REF.bank } },
  });
  return { d, nonce, admin, onboarder, pauser, agent, supplier2, bank };
}

describe("deployTradeFin (src/hardhat/deploy.ts)", () => {
  it("deploys the core (four contracts and the registry's library) on the deployer's next five nonces, then the test stablecoin", async () => {
    const { d, nonce, admin } = await loadFixture(worldFixture);
    const at = (n: number) => getCreateAddress({ from: admin.address, nonce: nonce + n });
    const core = [at(0), at(1), at(2), at(3), at(4)];
    for (const c of [d.participants, d.receivables, d.lens, d.riskEngine]) {
      expect(core).to.include(await c.getAddress());
    }
    // Ignition orders the core by its dependencies: the registries before the contracts that take them.
    expect(core.indexOf(await d.participants.getAddress())).to.be.lessThan(
      core.indexOf(await d.receivables.getAddress()),
    );
    expect(core.indexOf(await d.receivables.getAddress())).to.be.lessThan(core.indexOf(await d.lens.getAddress()));
    expect(await d.stablecoin!.getAddress()).to.equal(at(5));
  });

  it("grants the access roles and allowlists the test stablecoin", async () => {
    const { d, onboarder, pauser, agent } = await loadFixture(worldFixture);
    const p = d.participants;
    expect(await p.hasRole(await p.ONBOARDER_ROLE(), onboarder.address)).to.equal(true);
    expect(await p.hasRole(await p.PAUSER_ROLE(), pauser.address)).to.equal(true);
    expect(await p.hasRole(await p.RATING_AGENT_ROLE(), agent.address)).to.equal(true);
    expect(await p.hasRole(await p.ONBOARDER_ROLE(), pauser.address)).to.equal(false);
    expect(await p.isCurrencyAllowed(await d.stablecoin!.getAddress())).to.equal(true);
    expect(d.pendingAdminCalls).to.deep.equal([]);
  });

  it("registers entities in the order given, whoever sends each, with their extra wallets", async () => {
    const { d, supplier2 } = await loadFixture(worldFixture);
    expect(await d.participants.entityIdAt(1)).to.equal(REF.supplier);
    expect(await d.participants.entityIdAt(2)).to.equal(REF.regulator);
    expect(await d.participants.entityIdAt(3)).to.equal(REF.bank);
    expect(await d.participants.entityOf(supplier2.address)).to.equal(REF.supplier);
  });

  it("deploys the pool with its manager and policy and binds it pull-only to its bank", async () => {
    const { d, bank } = await loadFixture(worldFixture);
    const pool = d.pools.Alpha;
    const poolAddress = await pool.getAddress();
    expect(await pool.owner()).to.equal(bank.address);
    expect((await pool.policy()).recourse).to.equal(true);
    expect(await pool.receivables()).to.equal(await d.receivables.getAddress());
    expect(await d.participants.entityOf(poolAddress)).to.equal(REF.bank);
    const [index, roles, active, pullOnly] = await d.participants.recipientStatus(poolAddress);
    expect([index, roles, active, pullOnly]).to.deep.equal([3n, BigInt(Role.FINANCIER), true, true]);
    expect(d.parameters.Pool_Alpha).to.not.have.property("asset");
  });

  it("leaves the admin's calls to an admin that is not the deployer, ready to send", async () => {
    const [deployer, , , , , , , , timelock, onboarder] = await ethers.getSigners();
    const d = await deployTradeFin(hre, {
      deployer: deployer.address,
      core: { admin: timelock.address },
      localStablecoin: true,
      roles: { ONBOARDER_ROLE: [onboarder.address] },
    });
    const p = d.participants;
    const role = await p.ONBOARDER_ROLE();
    const usd = await d.stablecoin!.getAddress();
    expect(await p.hasRole(role, onboarder.address)).to.equal(false);
    expect(await p.isCurrencyAllowed(usd)).to.equal(false);
    expect(d.pendingAdminCalls.map((c) => [c.method, c.args])).to.deep.equal([
      ["grantRole", [role, onboarder.address]],
      ["setCurrencyAllowed", [usd, true]],
    ]);
    for (const c of d.pendingAdminCalls) await (await timelock.sendTransaction({ to: c.to, data: c.data })).wait();
    expect(await p.hasRole(role, onboarder.address)).to.equal(true);
    expect(await p.isCurrencyAllowed(usd)).to.equal(true);
  });

  it("puts a timelock in charge with `governance`: the admin, the manager of a pool that names none, pending calls", async () => {
    const [deployer, proposer, bank, onboarder] = await ethers.getSigners();
    const d = await deployTradeFin(hre, {
      deployer: deployer.address,
      governance: { delay: 3_600, proposers: [proposer.address] },
      localStablecoin: true,
      roles: { ONBOARDER_ROLE: [onboarder.address] },
      pools: { Governed: {}, Own: { manager: bank.address } },
    });
    const timelock = d.timelock!;
    const address = await timelock.getAddress();
    expect(await d.participants.defaultAdmin()).to.equal(address);
    expect(await d.pools.Governed.owner()).to.equal(address);
    expect(await d.pools.Own.owner()).to.equal(bank.address);
    expect(await timelock.getMinDelay()).to.equal(3_600n);
    expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), proposer.address)).to.equal(true);
    expect(await timelock.hasRole(await timelock.EXECUTOR_ROLE(), ethers.ZeroAddress)).to.equal(true);
    expect(d.parameters.TradeFin.admin).to.equal(address);
    expect(d.parameters.Governance).to.deep.equal({
      delay: 3_600,
      proposers: [proposer.address],
      executors: [ethers.ZeroAddress],
    });
    // The deployer is not the admin: the grants and the allowlist wait for the timelock.
    expect(d.pendingAdminCalls.map((c) => c.method)).to.deep.equal(["grantRole", "setCurrencyAllowed"]);
    expect(await d.participants.hasRole(await d.participants.ONBOARDER_ROLE(), onboarder.address)).to.equal(false);
  });

  it("refuses `governance` together with an admin, or without a proposer", async () => {
    const [, proposer, other] = await ethers.getSigners();
    const message = (p: Promise<unknown>) =>
      p.then(
        () => "",
        (e: Error) => (e instanceof TradeFinError ? e.message : `not a TradeFinError: ${String(e)}`),
      );
    expect(
      await message(
        deployTradeFin(hre, { core: { admin: other.address }, governance: { proposers: [proposer.address] } }),
      ),
    ).to.equal("give either core.admin or governance, not both: with governance the timelock is the admin");
    expect(await message(deployTradeFin(hre, { governance: { proposers: [] } }))).to.equal(
      "governance needs at least one proposer (the Safe)",
    );
  });

  it("refuses a pool without an asset when no test stablecoin is deployed, and entities without an onboarder", async () => {
    const message = (p: Promise<unknown>) =>
      p.then(
        () => "",
        (e: Error) => e.message,
      );
    const noAsset = await deployTradeFin(hre, { pools: { Beta: {} } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(noAsset).to.be.instanceOf(TradeFinError);
    expect((noAsset as TradeFinError).message).to.equal("pool Beta: give its asset, or localStablecoin");
    // The Ignition module (ignition/modules/Setup.ts) refuses this one while it is built.
    const [, , , , wallet] = await ethers.getSigners();
    const entity = { id: REF.supplier, roles: Role.SUPPLIER, kycExpiry: 1n, wallets: [wallet.address] };
    expect(await message(deployTradeFin(hre, { entities: [entity] }))).to.equal(
      `entity ${REF.supplier} needs an onboarder account to register it`,
    );
  });

  it("adds a bank's pool to a deployment (deployBankPool) and stamps an address book with the chain (addressBookFor)", async () => {
    const { d, admin, bank } = await loadFixture(worldFixture);
    const contracts = {
      participants: await d.participants.getAddress(),
      receivables: await d.receivables.getAddress(),
      riskEngine: await d.riskEngine.getAddress(),
      lens: await d.lens.getAddress(),
    };
    const usd = await d.stablecoin!.getAddress();
    const book = await addressBookFor(hre, {
      deployer: admin.address,
      deployBlock: 1,
      contracts,
      stablecoins: { tUSD: { address: usd, decimals: 6, mock: true } },
      pools: {},
      entities: { [REF.bank]: { ref: "LEI:DEPLOYTESTBANK00000001" } },
    });
    expect(book).to.deep.include({
      version: 1,
      network: "hardhat",
      chainId: 31337,
      deployer: admin.address,
      contracts,
    });
    expect(book.genesisHash).to.equal((await ethers.provider.getBlock(0))!.hash);
    expect(Date.parse(book.deployedAt)).to.be.closeTo(Date.now(), 60_000);

    const policy = standardPolicy(6);
    const pool = await deployBankPool(hre, book, "Gamma", {
      asset: usd,
      manager: bank.address,
      policy,
      sender: admin.address,
    });
    expect(pool.deployed).to.equal(true);
    const contract = await ethers.getContractAt("FinancingPool", pool.address);
    expect(await contract.receivables()).to.equal(contracts.receivables);
    expect(await contract.owner()).to.equal(bank.address);
  });
});
