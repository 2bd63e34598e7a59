/**
 * src/chain/safe.ts against the real Safe v1.5.0 contracts: a 2-of-3 Safe signs EIP-712 typed data under ERC-1271, as a
 * corporate treasury's Safe buyer wallet would sign an acknowledgement (issue 14).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { TypedDataEncoder } from "ethers";
import {
  createSafe,
  deploySafeContracts,
  isSafe,
  isValidSafeSignature,
  safeInfo,
  signDigestAsSafe,
  signTypedDataAsSafe,
  type SafeContext,
} from "../src/chain/safe";
import { ACKNOWLEDGEMENT_TYPES, contractWalletSignature, receivablesDomain } from "../src/pure/eip712";
import { receivablesFixture, invoiceKey, numberHash, invoiceInput, submit } from "./shared/receivables";
import { ENTITIES } from "./shared/fixtures";

async function safeFixture() {
  const f = await receivablesFixture();
  const s = await ethers.getSigners();
  const owners = [s[15], s[16], s[17]];
  const { chainId } = await ethers.provider.getNetwork();
  const ctx: SafeContext = { provider: network.provider, chainId, contracts: await deploySafeContracts(s[0]) };
  const safe = await createSafe(
    ctx,
    s[0].address,
    owners.map((o) => o.address),
    2,
  );
  // The buyer's treasury Safe becomes one of the buyer entity's wallets.
  await f.participants.connect(f.onboarder).addWallet(ENTITIES.buyer, safe, false);
  const input = await invoiceInput(f.usdAddress, { number: "INV-SAFE" });
  const id = await submit(f.receivables, f.supplier, input);
  const message = {
    id,
    invoiceKey: invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-SAFE")),
    amount: BigInt(input.amount),
    dueDate: BigInt(input.dueDate),
    nonce: 0n,
    deadline: BigInt((await time.latest()) + 3600),
  };
  const typedData = {
    domain: receivablesDomain(chainId, await f.receivables.getAddress()),
    types: ACKNOWLEDGEMENT_TYPES,
    primaryType: "Acknowledgement",
    message,
  };
  return { ...f, owners, ctx, safe, id, message, typedData };
}

describe("Safe helpers (src/chain/safe.ts) on the real Safe contracts", () => {
  it("creates a 2-of-3 Safe with the given owners", async () => {
    const f = await loadFixture(safeFixture);
    const info = await safeInfo(ethers.provider, f.safe);
    expect(info.threshold).to.equal(2);
    expect(info.owners.map((o) => o.toLowerCase()).sort()).to.deep.equal(
      f.owners.map((o) => o.address.toLowerCase()).sort(),
    );
    expect(await isSafe(ethers.provider, f.safe)).to.equal(true);
    expect(await isSafe(ethers.provider, f.owners[0].address)).to.equal(false);
  });

  it("produces an ERC-1271 signature of EIP-712 typed data from two of the three owners", async () => {
    const f = await loadFixture(safeFixture);
    const digest = TypedDataEncoder.hash(f.typedData.domain, f.typedData.types, f.typedData.message);
    const signature = await signTypedDataAsSafe(f.ctx, f.safe, [f.owners[0].address, f.owners[2].address], f.typedData);
    expect(await isValidSafeSignature(ethers.provider, f.safe, digest, signature)).to.equal(true);
    // The same signature does not validate another digest.
    expect(await isValidSafeSignature(ethers.provider, f.safe, ethers.keccak256("0x01"), signature)).to.equal(false);
  });

  it("signs a bare digest as the Safe, the same way", async () => {
    const f = await loadFixture(safeFixture);
    const digest = TypedDataEncoder.hash(f.typedData.domain, f.typedData.types, f.typedData.message);
    const owners = [f.owners[2].address, f.owners[1].address];
    const signature = await signDigestAsSafe(f.ctx, f.safe, owners, digest);
    expect(await isValidSafeSignature(ethers.provider, f.safe, digest, signature)).to.equal(true);
    // Owner signatures are ordered by address inside the Safe signature, whatever order they were asked in.
    expect(signature).to.equal(await signTypedDataAsSafe(f.ctx, f.safe, owners, f.typedData));
    const outsider = await signDigestAsSafe(f.ctx, f.safe, [f.owners[0].address, f.outsider.address], digest);
    expect(await isValidSafeSignature(ethers.provider, f.safe, digest, outsider)).to.equal(false);
  });

  it("refuses a Safe signature from one owner alone", async () => {
    const f = await loadFixture(safeFixture);
    const digest = TypedDataEncoder.hash(f.typedData.domain, f.typedData.types, f.typedData.message);
    const signature = await signTypedDataAsSafe(f.ctx, f.safe, [f.owners[1].address], f.typedData);
    expect(await isValidSafeSignature(ethers.provider, f.safe, digest, signature)).to.equal(false);
  });

  it("lets a buyer whose wallet is a Safe acknowledge by signature (2 of 3 owners, checked with ERC-1271)", async () => {
    const f = await loadFixture(safeFixture);
    const m = f.message;
    // One owner is not enough for a 2-of-3 Safe: the registry asks the Safe, which says no.
    const one = await signTypedDataAsSafe(f.ctx, f.safe, [f.owners[0].address], f.typedData);
    await expect(
      f.receivables
        .connect(f.supplier)
        .acknowledgeWithSig(m.id, m.invoiceKey, m.nonce, m.deadline, contractWalletSignature(f.safe, one)),
    ).to.be.reverted;
    const signature = await signTypedDataAsSafe(f.ctx, f.safe, [f.owners[0].address, f.owners[1].address], f.typedData);
    await expect(
      f.receivables
        .connect(f.supplier)
        .acknowledgeWithSig(m.id, m.invoiceKey, m.nonce, m.deadline, contractWalletSignature(f.safe, signature)),
    )
      .to.emit(f.receivables, "ReceivableAcknowledged")
      .withArgs(m.id, f.safe, true);
    expect((await f.lens.receivable(m.id)).status).to.equal(2n); // Acknowledged
  });
});
