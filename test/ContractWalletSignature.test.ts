import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ENTITIES, DAY } from "./shared/fixtures";
import { Status, invoiceInput, registryFixture, signSubmission } from "./shared/receivables";
import {
  acknowledgementDigest,
  contractWalletSignature,
  receivablesDomain,
  type AcknowledgementMessage,
} from "../src/pure/eip712";
import { invoiceKey, invoiceNumberHash } from "../src/pure/invoice";
import type { ContractWallet } from "../typechain-types";

// Issue 14 item 2: a corporate treasury signs with a smart-contract wallet (a Safe). The registry checks a
// contract buyer wallet's acknowledgement with ERC-1271, an externally owned wallet's with ECDSA, and holds
// both to the same rules: an active BUYER wallet of the buyer entity, before the deadline, nonce not revoked.

async function walletFixture() {
  const f = await registryFixture();
  // The treasurer's key only signs digests for the wallet; it sends no transaction.
  const treasurer = ethers.Wallet.createRandom();
  const wallet = (await ethers.deployContract("ContractWallet", [treasurer.address])) as unknown as ContractWallet;
  const walletAddress = await wallet.getAddress();
  await f.participants.connect(f.onboarder).addWallet(ENTITIES.buyer, walletAddress, false);
  const r = await f.lens.receivable(f.submittedId);
  const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, invoiceNumberHash("INV-001"));
  const deadline = BigInt((await time.latest()) + DAY);
  const message: AcknowledgementMessage = {
    id: f.submittedId,
    invoiceKey: key,
    amount: r.faceAmount,
    dueDate: r.dueDate,
    nonce: 7n,
    deadline,
  };
  const domain = receivablesDomain((await ethers.provider.getNetwork()).chainId, await f.receivables.getAddress());
  // The treasurer signs the digest for the wallet; the wallet's ERC-1271 check accepts the treasurer's key.
  const inner = treasurer.signingKey.sign(acknowledgementDigest(domain, message)).serialized;
  return { ...f, treasurer, wallet, walletAddress, key, deadline, message, inner };
}

describe("Acknowledgement by a contract wallet (ERC-1271)", () => {
  it("records a contract buyer wallet's acknowledgement, relayed by anyone, with the wallet as signer", async () => {
    const f = await loadFixture(walletFixture);
    const signature = contractWalletSignature(f.walletAddress, f.inner);
    await expect(f.receivables.connect(f.outsider).acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, signature))
      .to.emit(f.receivables, "ReceivableAcknowledged")
      .withArgs(f.submittedId, f.walletAddress, true);
    expect((await f.lens.receivable(f.submittedId)).status).to.equal(Status.Acknowledged);
  });

  it("refuses when the wallet's ERC-1271 check says no, naming the wallet", async () => {
    const f = await loadFixture(walletFixture);
    await f.wallet.setRefuseAll(true);
    const signature = contractWalletSignature(f.walletAddress, f.inner);
    await expect(f.receivables.connect(f.outsider).acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, signature))
      .to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidSigner")
      .withArgs(f.walletAddress);
    expect((await f.lens.receivable(f.submittedId)).status).to.equal(Status.Submitted);
  });

  it("refuses a contract wallet's signature for other terms (the digest binds amount and nonce)", async () => {
    const f = await loadFixture(walletFixture);
    const signature = contractWalletSignature(f.walletAddress, f.inner);
    await expect(
      f.receivables.connect(f.outsider).acknowledgeWithSig(f.submittedId, f.key, 8n, f.deadline, signature),
    ).to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidSigner");
  });

  it("refuses a contract wallet that is not bound to the buyer entity, and an outsider naming the buyer's wallet", async () => {
    const f = await loadFixture(walletFixture);
    // Same owner key, another wallet contract nobody onboarded.
    const stray = await ethers.deployContract("ContractWallet", [f.treasurer.address]);
    const strayAddress = await stray.getAddress();
    await expect(
      f.receivables
        .connect(f.outsider)
        .acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, contractWalletSignature(strayAddress, f.inner)),
    )
      .to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidSigner")
      .withArgs(strayAddress);
    // An outsider's own ECDSA signature wrapped as if it were the buyer wallet's: the wallet refuses it.
    const forged = ethers.Wallet.createRandom().signingKey.sign(
      acknowledgementDigest(
        receivablesDomain((await ethers.provider.getNetwork()).chainId, await f.receivables.getAddress()),
        f.message,
      ),
    ).serialized;
    await expect(
      f.receivables
        .connect(f.outsider)
        .acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, contractWalletSignature(f.walletAddress, forged)),
    )
      .to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidSigner")
      .withArgs(f.walletAddress);
    // An EOA named as a "contract wallet" has no ERC-1271 code to answer.
    await expect(
      f.receivables
        .connect(f.outsider)
        .acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, contractWalletSignature(f.buyer.address, f.inner)),
    )
      .to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidSigner")
      .withArgs(f.buyer.address);
  });

  it("lets the contract wallet revoke the nonce of a signature it gave (it calls as itself)", async () => {
    const f = await loadFixture(walletFixture);
    // A contract wallet revokes by calling revokeAcknowledgementNonces from itself; here its owner's key
    // stands in through an impersonated call.
    await ethers.provider.send("hardhat_impersonateAccount", [f.walletAddress]);
    await ethers.provider.send("hardhat_setBalance", [f.walletAddress, "0xde0b6b3a7640000"]);
    const asWallet = await ethers.getSigner(f.walletAddress);
    await f.receivables.connect(asWallet).revokeAcknowledgementNonces(0, 1n << 7n);
    await expect(
      f.receivables
        .connect(f.outsider)
        .acknowledgeWithSig(f.submittedId, f.key, 7n, f.deadline, contractWalletSignature(f.walletAddress, f.inner)),
    )
      .to.be.revertedWithCustomError(f.receivables, "ReceivableNonceRevoked")
      .withArgs(f.walletAddress, 7n);
  });

  it("accepts a contract wallet's signature for submitAcknowledged", async () => {
    const f = await loadFixture(walletFixture);
    const input = await invoiceInput(f.usdAddress, { number: "SAFE-1" });
    const deadline = BigInt((await time.latest()) + DAY);
    // Build the digest the registry checks for a submission (id 0, the submission commitment).
    const { commitment } = await signSubmission(f.receivables, f.buyer, input, deadline);
    const domain = receivablesDomain((await ethers.provider.getNetwork()).chainId, await f.receivables.getAddress());
    const digest = acknowledgementDigest(domain, {
      id: 0n,
      invoiceKey: commitment,
      amount: BigInt(input.amount),
      dueDate: BigInt(input.dueDate),
      nonce: 0n,
      deadline,
    });
    const signature = contractWalletSignature(f.walletAddress, f.treasurer.signingKey.sign(digest).serialized);
    const nextId = (await f.lens.totalMinted()) + 1n;
    await expect(f.receivables.connect(f.supplier).submitAcknowledged(input, 0, deadline, signature))
      .to.emit(f.receivables, "ReceivableAcknowledged")
      .withArgs(nextId, f.walletAddress, true);
  });
});
