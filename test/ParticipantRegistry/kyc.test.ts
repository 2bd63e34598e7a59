/**
 * ParticipantRegistry: `setKycExpiry`: renewing and shortening an entity's KYC.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, DAY, YEAR } from "../shared/fixtures";
import { MORE_ENTITIES, expectNotOnboarder, participantsFixture, pinNextTimestamp } from "../shared/participants";
import { Role } from "../../src/pure/ids";

describe("ParticipantRegistry.kyc", () => {
  it("sets a new expiry and emits KycExpiryChanged with the previous and new expiry", async () => {
    const { participants, byOnboarder, expiry } = await loadFixture(participantsFixture);
    const renewed = expiry + YEAR;
    await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, renewed))
      .to.emit(participants, "KycExpiryChanged")
      .withArgs(ENTITIES.buyer, expiry, renewed);
    expect((await participants.entity(ENTITIES.buyer)).kycExpiry).to.equal(BigInt(renewed));
  });

  it("may shorten the expiry as long as it stays in the future", async () => {
    const { participants, byOnboarder, buyer } = await loadFixture(participantsFixture);
    const soon = (await time.latest()) + DAY;
    await byOnboarder.setKycExpiry(ENTITIES.buyer, soon);
    expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(true);
    await time.increaseTo(soon);
    expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
  });

  it("reactivates an entity whose KYC had expired", async () => {
    const { participants, byOnboarder, buyer, expiry } = await loadFixture(participantsFixture);
    await time.increaseTo(expiry + DAY);
    expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(false);
    await byOnboarder.setKycExpiry(ENTITIES.buyer, expiry + YEAR);
    expect(await participants.isActive(buyer.address, Role.BUYER)).to.equal(true);
  });

  it("rejects a caller without ONBOARDER_ROLE", async () => {
    const { participants, outsider, expiry } = await loadFixture(participantsFixture);
    await expectNotOnboarder(participants, outsider, () =>
      participants.connect(outsider).setKycExpiry(ENTITIES.buyer, expiry + YEAR),
    );
  });

  it("rejects an unknown entity", async () => {
    const { participants, byOnboarder, expiry } = await loadFixture(participantsFixture);
    await expect(byOnboarder.setKycExpiry(MORE_ENTITIES.stranger, expiry))
      .to.be.revertedWithCustomError(participants, "ParticipantUnknownEntity")
      .withArgs(MORE_ENTITIES.stranger);
  });

  it("rejects an expiry in the past", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    const now = await pinNextTimestamp();
    await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, now - 1))
      .to.be.revertedWithCustomError(participants, "ParticipantKycExpiryInPast")
      .withArgs(now - 1, now);
  });

  it("rejects an expiry equal to the block time", async () => {
    const { participants, byOnboarder } = await loadFixture(participantsFixture);
    const now = await pinNextTimestamp();
    await expect(byOnboarder.setKycExpiry(ENTITIES.buyer, now))
      .to.be.revertedWithCustomError(participants, "ParticipantKycExpiryInPast")
      .withArgs(now, now);
  });
});
