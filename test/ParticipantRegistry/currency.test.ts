/**
 * ParticipantRegistry: `setCurrencyAllowed`: the settlement-currency allowlist and the decimals it reads.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  DEFAULT_ADMIN_ROLE,
  deployBadDecimalsToken,
  deploySilentFallback,
  deployToken,
  participantsFixture,
} from "../shared/participants";

describe("ParticipantRegistry.currency", () => {
  it("stores the decimals it reads from the token and emits CurrencyAllowedSet", async () => {
    const { participants, admin } = await loadFixture(participantsFixture);
    for (const decimals of [0, 2, 18]) {
      const token = await deployToken(decimals);
      const address = await token.getAddress();
      await expect(participants.connect(admin).setCurrencyAllowed(address, true))
        .to.emit(participants, "CurrencyAllowedSet")
        .withArgs(address, true, decimals);
      expect(await participants.isCurrencyAllowed(address)).to.equal(true);
      const c = await participants.currency(address);
      expect(c.allowed).to.equal(true);
      expect(c.decimals).to.equal(BigInt(decimals));
    }
  });

  it("holds the shared fixture's 6-decimal stablecoin", async () => {
    const { participants, usd } = await loadFixture(participantsFixture);
    const c = await participants.currency(await usd.getAddress());
    expect([c.allowed, c.decimals]).to.deep.equal([true, 6n]);
  });

  it("removes a token from the allowlist, clearing its decimals", async () => {
    const { participants, admin, usd } = await loadFixture(participantsFixture);
    const address = await usd.getAddress();
    await expect(participants.connect(admin).setCurrencyAllowed(address, false))
      .to.emit(participants, "CurrencyAllowedSet")
      .withArgs(address, false, 0);
    expect(await participants.isCurrencyAllowed(address)).to.equal(false);
    const c = await participants.currency(address);
    expect([c.allowed, c.decimals]).to.deep.equal([false, 0n]);
  });

  it("can allow a token again after removing it", async () => {
    const { participants, admin, usd } = await loadFixture(participantsFixture);
    const address = await usd.getAddress();
    await participants.connect(admin).setCurrencyAllowed(address, false);
    await participants.connect(admin).setCurrencyAllowed(address, true);
    expect((await participants.currency(address)).decimals).to.equal(6n);
  });

  it("does not read decimals when removing a token", async () => {
    const { participants, admin } = await loadFixture(participantsFixture);
    const notAToken = await participants.getAddress();
    await expect(participants.connect(admin).setCurrencyAllowed(notAToken, false))
      .to.emit(participants, "CurrencyAllowedSet")
      .withArgs(notAToken, false, 0);
  });

  it("rejects the zero address", async () => {
    const { participants, admin } = await loadFixture(participantsFixture);
    for (const allowed of [true, false]) {
      await expect(
        participants.connect(admin).setCurrencyAllowed(ethers.ZeroAddress, allowed),
      ).to.be.revertedWithCustomError(participants, "ParticipantZeroAddress");
    }
  });

  // Addresses whose decimals() cannot be read or is above 18, each refused with ParticipantUnsupportedCurrency.
  type Fixture = Awaited<ReturnType<typeof participantsFixture>>;
  const unsupported: [string, (f: Fixture) => Promise<string>][] = [
    ["rejects a token with more than 18 decimals", async () => (await deployToken(19)).getAddress()],
    ["rejects a contract without decimals()", async (f) => f.participants.getAddress()],
    // BUG: try/catch does not catch a failure to ABI-decode the returned data, and an address without
    // code returns empty data. setCurrencyAllowed(eoa, true) therefore reverts with empty revert data
    // instead of ParticipantUnsupportedCurrency(token) as IParticipantRegistry documents ("its decimals()
    // cannot be read"). Fix idea: require(token.code.length > 0, ParticipantUnsupportedCurrency(token))
    // before the call, or a low-level staticcall that checks returndata length and range.
    ["rejects an address without code with ParticipantUnsupportedCurrency", async (f) => f.outsider.address],
    // BUG: same cause as above: a contract whose fallback accepts decimals() and returns nothing makes
    // the uint8 decoding revert outside the catch, with empty revert data.
    [
      "rejects a contract whose decimals() returns no data with ParticipantUnsupportedCurrency",
      async () => (await deploySilentFallback()).getAddress(),
    ],
    // BUG: same cause as above: decimals() answering 300 (a uint256 that does not fit in uint8) fails
    // ABI validation in the caller, outside the catch, with empty revert data.
    [
      "rejects a token whose decimals() does not fit in a uint8 with ParticipantUnsupportedCurrency",
      async () => (await deployBadDecimalsToken(300n)).getAddress(),
    ],
  ];
  for (const [title, tokenOf] of unsupported) {
    it(title, async () => {
      const f = await loadFixture(participantsFixture);
      const address = await tokenOf(f);
      await expect(f.participants.connect(f.admin).setCurrencyAllowed(address, true))
        .to.be.revertedWithCustomError(f.participants, "ParticipantUnsupportedCurrency")
        .withArgs(address);
    });
  }

  it("accepts a wide decimals() answer that still fits in 18", async () => {
    const { participants, admin } = await loadFixture(participantsFixture);
    const wide = await deployBadDecimalsToken(8n);
    const address = await wide.getAddress();
    await participants.connect(admin).setCurrencyAllowed(address, true);
    expect((await participants.currency(address)).decimals).to.equal(8n);
  });

  it("rejects every caller but the default admin", async () => {
    const { participants, onboarder, regulator, outsider, usd } = await loadFixture(participantsFixture);
    const address = await usd.getAddress();
    for (const caller of [onboarder, regulator, outsider]) {
      await expect(participants.connect(caller).setCurrencyAllowed(address, false))
        .to.be.revertedWithCustomError(participants, "AccessControlUnauthorizedAccount")
        .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
    }
  });
});
