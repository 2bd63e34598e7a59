import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { acknowledgementNonce, nonceBitmapPosition } from "../../src/pure/eip712";
import { DAY, ENTITIES } from "../shared/fixtures";
import {
  ACK_TYPES,
  EXTRA_ENTITIES,
  FACE,
  FACE_18,
  REASON,
  Status,
  ackDigest,
  ackDomain,
  invoiceInput,
  invoiceKey,
  keyOf,
  numberHash,
  poolWorldFixture,
  registryFixture,
  signAck,
  signSubmission,
  submit,
  toHighS,
  worldInvoice,
  type PoolWorld,
  SUBMITTED_KEY,
} from "../shared/receivables";

type RegistryFixture = Awaited<ReturnType<typeof registryFixture>>;

describe("ReceivableRegistry.acknowledge", () => {
  describe("acknowledge", () => {
    it("moves a submitted receivable to Acknowledged and emits ReceivableAcknowledged by transaction", async () => {
      const { receivables, lens, buyer, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, false);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Acknowledged);
    });

    it("accepts any active BUYER wallet of the buyer entity", async () => {
      const { receivables, buyer2, submittedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer2).acknowledge(submittedId))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer2.address, false);
    });

    it("records the acknowledgement in the buyer's record normalised to 18 decimals", async () => {
      const { receivables, lens, supplier, otherBuyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "ACK-1", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      const id = await submit(receivables, supplier, input);
      const empty = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(empty.acknowledgedCount).to.equal(0n);
      await receivables.connect(otherBuyer).acknowledge(id);
      const record = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(record.acknowledgedCount).to.equal(1n);
      expect(record.acknowledgedAmount).to.equal(FACE_18);
      // Outstanding is derived: acknowledged − paid on time − paid late − recovered; nothing paid yet.
      expect([record.paidOnTimeAmount, record.paidLateAmount, record.recoveredAmount]).to.deep.equal([0n, 0n, 0n]);
      const riskData = await receivables.riskDataOf(id);
      expect(riskData.status).to.equal(Status.Acknowledged);
      expect(riskData.frozen).to.equal(false);
      expect(riskData.dueDate).to.equal(input.dueDate);
      expect(riskData.outstanding).to.equal(FACE);
      expect(riskData.acknowledgedAmount).to.equal(FACE_18);
      expect(riskData.defaultedAmount).to.equal(0n);
    });

    it("rejects a wallet that is not a buyer of this receivable", async () => {
      const { receivables, supplier, outsider, bank, otherBuyer, submittedId } = await loadFixture(registryFixture);
      for (const caller of [supplier, outsider, bank, otherBuyer]) {
        await expect(receivables.connect(caller).acknowledge(submittedId))
          .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyer")
          .withArgs(submittedId, caller.address);
      }
    });

    it("rejects a buyer wallet whose entity is suspended", async () => {
      const { participants, receivables, regulator, buyer, submittedId } = await loadFixture(registryFixture);
      await participants.connect(regulator).suspend(ENTITIES.buyer, REASON);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotBuyer")
        .withArgs(submittedId, buyer.address);
    });

    it("rejects a receivable that is no longer Submitted", async () => {
      const { receivables, supplier, buyer, submittedId, acknowledgedId } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(acknowledgedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
      await receivables.connect(supplier).cancel(submittedId);
      await expect(receivables.connect(buyer).acknowledge(submittedId))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Cancelled);
    });

    it("rejects an unknown id", async () => {
      const { receivables, buyer } = await loadFixture(registryFixture);
      await expect(receivables.connect(buyer).acknowledge(999))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
    });
  });

  describe("acknowledgeWithSig", () => {
    type SignedFixture = Awaited<ReturnType<typeof signedFixture>>;

    async function signedFixture() {
      const f = await registryFixture();
      const r = await f.lens.receivable(f.submittedId);
      const key = SUBMITTED_KEY;
      const deadline = BigInt((await time.latest()) + DAY);
      const msg = { id: f.submittedId, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, deadline };
      return { ...f, key, deadline, msg };
    }

    it("records a buyer's signature relayed by any account and consumes no nonce", async () => {
      const { receivables, lens, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, true);
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Acknowledged);
      // The nonce is a revocation handle: nothing is written for it.
      expect(await lens.nonceRevoked(buyer.address, 0)).to.equal(false);
      const record = await lens.buyerRecord(ENTITIES.buyer);
      expect(record.acknowledgedCount).to.equal(2n);
      expect(record.acknowledgedAmount).to.equal(2n * FACE_18);
    });

    it("accepts a signature from the buyer entity's second wallet", async () => {
      const { receivables, buyer2, supplier, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer2, msg);
      await expect(receivables.connect(supplier).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer2.address, true);
    });

    it("verifies the digest that ethers' TypedDataEncoder computes, with any nonce the signer chose", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const value = { ...msg, nonce: 3n };
      const expected = ethers.TypedDataEncoder.hash(await ackDomain(receivables), ACK_TYPES, value);
      const digest = await ackDigest(receivables, value.id, key, value.amount, value.dueDate, 3n, deadline);
      expect(digest).to.equal(expected);
      const signature = await signAck(receivables, buyer, value);
      expect(ethers.recoverAddress(digest, signature)).to.equal(buyer.address);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 3n, deadline, signature))
        .to.emit(receivables, "ReceivableAcknowledged")
        .withArgs(submittedId, buyer.address, true);
    });

    it("accepts a deadline equal to the block time", async () => {
      const { receivables, buyer, outsider, submittedId, key, msg } = await loadFixture(signedFixture);
      const deadline = (await time.latest()) + 5;
      const signature = await signAck(receivables, buyer, { ...msg, deadline });
      await time.setNextBlockTimestamp(deadline);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects an expired deadline", async () => {
      const { receivables, buyer, outsider, submittedId, key, msg } = await loadFixture(signedFixture);
      const deadline = (await time.latest()) + 5;
      const signature = await signAck(receivables, buyer, { ...msg, deadline });
      await time.setNextBlockTimestamp(deadline + 1);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableSignatureExpired")
        .withArgs(deadline, deadline + 1);
    });

    it("accepts the same nonce on a second receivable: signatures do not depend on each other", async () => {
      const { receivables, supplier, buyer, outsider, usdAddress, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const input = await invoiceInput(usdAddress, { number: "SIG-2" });
      const second = await submit(receivables, supplier, input);
      const secondMsg = { ...msg, id: second, invoiceKey: keyOf(input), dueDate: BigInt(input.dueDate), nonce: 0n };
      // Signed first, relayed second: an unrelayed signature blocks no later one.
      const first = await signAck(receivables, buyer, msg);
      const later = await signAck(receivables, buyer, secondMsg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(second, keyOf(input), 0, deadline, later)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, first)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects a signature whose nonce the signer revoked, and only that signer's", async () => {
      const { receivables, lens, buyer, buyer2, outsider, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, { ...msg, nonce: 261n });
      // Nonce 261 = word 1, bit 5. Another wallet revoking it changes nothing for this signer.
      await receivables.connect(buyer2).revokeAcknowledgementNonces(1, 1n << 5n);
      expect(await lens.nonceRevoked(buyer.address, 261)).to.equal(false);
      await expect(receivables.connect(buyer).revokeAcknowledgementNonces(1, 1n << 5n))
        .to.emit(receivables, "AcknowledgementNoncesRevoked")
        .withArgs(buyer.address, 1, 1n << 5n);
      expect(await lens.nonceRevoked(buyer.address, 261)).to.equal(true);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 261, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableNonceRevoked")
        .withArgs(buyer.address, 261);
    });

    it("rejects the same signature sent twice because the receivable is already acknowledged", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(submittedId, Status.Acknowledged);
    });

    // A signature in the wrong domain or over the wrong amount recovers to some other address, which is refused.
    const wrongSignatures = [
      { title: "rejects a signature made for another chain id", sign: async () => ({ domain: { chainId: 1n } }) },
      {
        title: "rejects a signature made for another verifying contract",
        sign: async (f: SignedFixture) => ({ domain: { verifyingContract: await f.participants.getAddress() } }),
      },
      {
        title: "rejects a signature over a different amount than the stored face amount",
        sign: async (f: SignedFixture) => ({ amount: f.msg.amount - 1n }),
      },
    ];
    for (const { title, sign } of wrongSignatures) {
      it(title, async () => {
        const f = await loadFixture(signedFixture);
        const { receivables, buyer, outsider, submittedId, key, deadline, msg } = f;
        const { domain, amount } = { domain: {}, amount: msg.amount, ...(await sign(f)) };
        const signature = await signAck(receivables, buyer, { ...msg, amount }, domain);
        const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
        const recovered = ethers.recoverAddress(digest, signature);
        expect(recovered).to.not.equal(buyer.address);
        await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
          .withArgs(recovered);
      });
    }

    // Signatures by a wallet that is not the receivable's buyer's recover to that wallet, which is named.
    for (const [title, who] of [
      ["rejects a signer that is not a buyer wallet", "bank"],
      ["rejects a buyer wallet of another buyer entity", "otherBuyer"],
    ] as const) {
      it(title, async () => {
        const f = await loadFixture(signedFixture);
        const { receivables, outsider, submittedId, key, deadline, msg } = f;
        const signature = await signAck(receivables, f[who], msg);
        await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
          .withArgs(f[who].address);
      });
    }

    it("rejects a buyer wallet whose entity is suspended", async () => {
      const { participants, receivables, onboarder, buyer, outsider, submittedId, key, deadline, msg } =
        await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await participants.connect(onboarder).suspend(ENTITIES.buyer, REASON);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
        .withArgs(buyer.address);
    });

    it("rejects the malleable high-s twin of a valid signature", async () => {
      const { receivables, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const valid = await signAck(receivables, buyer, msg);
      const twin = toHighS(valid);
      const digest = await ackDigest(receivables, submittedId, key, msg.amount, msg.dueDate, 0, deadline);
      // The twin is a mathematically valid signature by the same key: only the low-s rule refuses it.
      expect(ethers.recoverAddress(digest, valid)).to.equal(buyer.address);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, twin.signature))
        .to.be.revertedWithCustomError(receivables, "ECDSAInvalidSignatureS")
        .withArgs(twin.s);
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, valid)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects a 65-byte signature from which no signer can be recovered", async () => {
      const { receivables, lens, buyer, outsider, submittedId, key, deadline, msg } = await loadFixture(signedFixture);
      const valid = ethers.getBytes(await signAck(receivables, buyer, msg));
      // v = 29 is neither 27 nor 28: the ecrecover precompile returns no address.
      const unrecoverable = ethers.concat([valid.slice(0, 64), "0x1d"]);
      await expect(
        receivables.connect(outsider).acknowledgeWithSig(submittedId, key, 0, deadline, unrecoverable),
      ).to.be.revertedWithCustomError(receivables, "ECDSAInvalidSignature");
      expect((await lens.receivable(submittedId)).status).to.equal(Status.Submitted);
    });

    it("rejects a key that does not belong to the receivable", async () => {
      const { receivables, buyer, outsider, submittedId, deadline, msg } = await loadFixture(signedFixture);
      const otherKey = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("INV-002"));
      const signature = await signAck(receivables, buyer, { ...msg, invoiceKey: otherKey });
      await expect(receivables.connect(outsider).acknowledgeWithSig(submittedId, otherKey, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableKeyMismatch")
        .withArgs(submittedId, otherKey);
    });

    it("rejects an unknown id and a receivable that is not Submitted", async () => {
      const { receivables, buyer, outsider, acknowledgedId, deadline, msg } = await loadFixture(signedFixture);
      const signature = await signAck(receivables, buyer, msg);
      await expect(receivables.connect(outsider).acknowledgeWithSig(999, msg.invoiceKey, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableNotFound")
        .withArgs(999);
      await expect(
        receivables.connect(outsider).acknowledgeWithSig(acknowledgedId, msg.invoiceKey, 0, deadline, signature),
      )
        .to.be.revertedWithCustomError(receivables, "ReceivableInvalidStatus")
        .withArgs(acknowledgedId, Status.Acknowledged);
    });
  });

  describe("submitAcknowledged", () => {
    async function deadlineIn(seconds: number) {
      return BigInt((await time.latest()) + seconds);
    }

    it("submits and acknowledges in one transaction and updates both records", async () => {
      const { receivables, lens, supplier, otherBuyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-1", buyerEntityId: EXTRA_ENTITIES.otherBuyer });
      const deadline = await deadlineIn(DAY);
      const { signature, key } = await signSubmission(receivables, otherBuyer, input, deadline);
      const id = (await lens.totalMinted()) + 1n;
      const tx = receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature);
      await expect(tx)
        .to.emit(receivables, "ReceivableSubmitted")
        .withArgs(
          id,
          key,
          ENTITIES.supplier,
          EXTRA_ENTITIES.otherBuyer,
          usdAddress,
          FACE,
          input.issueDate,
          input.dueDate,
          input.docHash,
        );
      await expect(tx).to.emit(receivables, "ReceivableAcknowledged").withArgs(id, otherBuyer.address, true);
      await expect(tx).to.emit(receivables, "Transfer").withArgs(ethers.ZeroAddress, supplier.address, id);
      expect((await lens.receivable(id)).status).to.equal(Status.Acknowledged);
      expect(await receivables.ownerOf(id)).to.equal(supplier.address);
      const buyerRecord = await lens.buyerRecord(EXTRA_ENTITIES.otherBuyer);
      expect(buyerRecord.acknowledgedCount).to.equal(1n);
      expect(buyerRecord.acknowledgedAmount).to.equal(FACE_18);
      expect(buyerRecord.paidOnTimeAmount + buyerRecord.paidLateAmount).to.equal(0n);
      const sellerRecord = await lens.sellerRecord(ENTITIES.supplier);
      expect(sellerRecord.submittedCount).to.equal(3n);
      // The fixture's acknowledged invoice and this one.
      expect(sellerRecord.acknowledgedAmount).to.equal(2n * FACE_18);
    });

    it("accepts the same nonce on a second invoice and refuses a replay of the first by its used key", async () => {
      const { receivables, supplier, supplier2, buyer, usdAddress } = await loadFixture(registryFixture);
      const deadline = await deadlineIn(DAY);
      const first = await invoiceInput(usdAddress, { number: "SA-2" });
      const s1 = await signSubmission(receivables, buyer, first, deadline, { nonce: 0n });
      await receivables.connect(supplier).submitAcknowledged(first, 0, deadline, s1.signature);
      const second = await invoiceInput(usdAddress, { number: "SA-3" });
      const s2 = await signSubmission(receivables, buyer, second, deadline, { nonce: 0n });
      await expect(receivables.connect(supplier).submitAcknowledged(second, 0, deadline, s2.signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
      const replay = receivables.connect(supplier2).submitAcknowledged(first, 0, deadline, s1.signature);
      await expect(replay).to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed");
    });

    // A signature in the wrong domain, or one naming an id (a receivable's, not 0), is refused.
    const wrongSignatures = [
      {
        title: "rejects a signature made for another chain id",
        number: "SA-4",
        options: async () => ({ chainId: 1n }),
      },
      {
        title: "rejects a signature made for another verifying contract",
        number: "SA-5",
        options: async (f: RegistryFixture) => ({ verifyingContract: await f.participants.getAddress() }),
      },
      {
        title: "rejects a signature that names a receivable id instead of 0",
        number: "SA-6",
        options: async (f: RegistryFixture) => ({ id: (await f.lens.totalMinted()) + 1n }),
      },
    ];
    for (const { title, number, options } of wrongSignatures) {
      it(title, async () => {
        const f = await loadFixture(registryFixture);
        const { receivables, supplier, buyer, usdAddress } = f;
        const input = await invoiceInput(usdAddress, { number });
        const deadline = await deadlineIn(DAY);
        const signed = await signSubmission(receivables, buyer, input, deadline, await options(f));
        const { amount, dueDate } = input;
        const digest = await ackDigest(receivables, 0, signed.commitment, BigInt(amount), BigInt(dueDate), 0, deadline);
        const recovered = ethers.recoverAddress(digest, signed.signature);
        expect(recovered).to.not.equal(buyer.address);
        await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signed.signature))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
          .withArgs(recovered);
      });
    }

    it("rejects the buyer's signature on an invoice in another currency, with another issue date or document", async () => {
      const { receivables, lens, participants, admin, supplier, buyer, usdAddress } =
        await loadFixture(registryFixture);
      const other = await (await ethers.getContractFactory("MockStablecoin")).deploy("Other USD", "oUSD", 18);
      await participants.connect(admin).setCurrencyAllowed(await other.getAddress(), true);
      const input = await invoiceInput(usdAddress, { number: "SA-CUR" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      const before = await lens.totalMinted();
      for (const changed of [
        { ...input, currency: await other.getAddress() },
        { ...input, issueDate: BigInt(input.issueDate) - 1n },
        { ...input, docHash: ethers.keccak256(ethers.toUtf8Bytes("another document")) },
      ]) {
        await expect(
          receivables.connect(supplier).submitAcknowledged(changed, 0, deadline, signature),
        ).to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner");
      }
      expect(await lens.totalMinted()).to.equal(before);
      // The terms it signed still go through.
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature)).to.emit(
        receivables,
        "ReceivableAcknowledged",
      );
    });

    it("rejects an expired deadline", async () => {
      const { receivables, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-7" });
      const deadline = await deadlineIn(5);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableSignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    // Signatures by a wallet that is not the invoice's buyer's recover to that wallet, which is named.
    for (const [title, number, who] of [
      ["rejects a signer that is not a buyer wallet", "SA-8", "bank"],
      ["rejects a buyer wallet of another buyer entity", "SA-9", "otherBuyer"],
    ] as const) {
      it(title, async () => {
        const f = await loadFixture(registryFixture);
        const { receivables, supplier, usdAddress } = f;
        const input = await invoiceInput(usdAddress, { number });
        const deadline = await deadlineIn(DAY);
        const { signature } = await signSubmission(receivables, f[who], input, deadline);
        await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, signature))
          .to.be.revertedWithCustomError(receivables, "ReceivableInvalidSigner")
          .withArgs(f[who].address);
      });
    }

    it("rejects the malleable high-s twin of a valid signature", async () => {
      const { receivables, supplier, buyer, usdAddress } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "SA-10" });
      const deadline = await deadlineIn(DAY);
      const { signature } = await signSubmission(receivables, buyer, input, deadline);
      const twin = toHighS(signature);
      await expect(receivables.connect(supplier).submitAcknowledged(input, 0, deadline, twin.signature))
        .to.be.revertedWithCustomError(receivables, "ECDSAInvalidSignatureS")
        .withArgs(twin.s);
    });

    it("rejects an invoice whose key is already used even with a valid signature", async () => {
      const { receivables, supplier2, buyer, usdAddress, submittedId } = await loadFixture(registryFixture);
      const input = await invoiceInput(usdAddress, { number: "INV-001" });
      const deadline = await deadlineIn(DAY);
      const { signature, key } = await signSubmission(receivables, buyer, input, deadline);
      await expect(receivables.connect(supplier2).submitAcknowledged(input, 0, deadline, signature))
        .to.be.revertedWithCustomError(receivables, "ReceivableInvoiceKeyUsed")
        .withArgs(key, submittedId);
    });
  });

  describe("Issue 12 item 7: acknowledgement signatures are independent and revocable", function () {
    /** The buyer's signature for `id` as the SDK makes it: the nonce is the low 64 bits of the invoice key. */
    async function signFor(f: PoolWorld, signer: HardhatEthersSigner, id: bigint, number: string) {
      const r = await f.lens.receivable(id);
      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash(number));
      const deadline = BigInt(await time.latest()) + 3600n;
      const nonce = acknowledgementNonce(key);
      const message = { id, invoiceKey: key, amount: r.faceAmount, dueDate: r.dueDate, nonce, deadline };
      return { key, nonce, deadline, signature: await signAck(f.receivables, signer, message) };
    }

    it("a signature the supplier never relays blocks no later one", async function () {
      const f = await loadFixture(poolWorldFixture);
      const a = await worldInvoice(f, f.supplier, { submittedOnly: true, number: "SIG-A" });
      const b = await worldInvoice(f, f.supplier, { submittedOnly: true, number: "SIG-B" });
      const sa = await signFor(f, f.buyer, a, "SIG-A");
      const sb = await signFor(f, f.buyer, b, "SIG-B");
      await (
        await f.receivables.connect(f.supplier).acknowledgeWithSig(b, sb.key, sb.nonce, sb.deadline, sb.signature)
      ).wait();
      await (
        await f.receivables.connect(f.supplier).acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature)
      ).wait();
      expect((await f.lens.receivable(a)).status).to.equal(Status.Acknowledged);
      expect((await f.lens.receivable(b)).status).to.equal(Status.Acknowledged);
      // Replay is impossible without a consumed nonce: the receivable is no longer Submitted.
      await expect(
        f.receivables.acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature),
      ).to.be.revertedWithCustomError(f.receivables, "ReceivableInvalidStatus");
    });

    it("the buyer cancels a signature it gave; other wallets' and other nonces' signatures stay valid", async function () {
      const f = await loadFixture(poolWorldFixture);
      const a = await worldInvoice(f, f.supplier, { submittedOnly: true, number: "SIG-C" });
      const sa = await signFor(f, f.buyer, a, "SIG-C");
      const { wordPos, mask } = nonceBitmapPosition(sa.nonce);
      await expect(f.receivables.connect(f.buyer).revokeAcknowledgementNonces(wordPos, mask))
        .to.emit(f.receivables, "AcknowledgementNoncesRevoked")
        .withArgs(f.buyer.address, wordPos, mask);
      expect(await f.lens.nonceRevoked(f.buyer.address, sa.nonce)).to.equal(true);
      await expect(f.receivables.acknowledgeWithSig(a, sa.key, sa.nonce, sa.deadline, sa.signature))
        .to.be.revertedWithCustomError(f.receivables, "ReceivableNonceRevoked")
        .withArgs(f.buyer.address, sa.nonce);
      // The same invoice signed by the buyer's other wallet (whose nonces were not revoked) still works.
      const s2 = await signFor(f, f.buyer2, a, "SIG-C");
      await (await f.receivables.acknowledgeWithSig(a, s2.key, s2.nonce, s2.deadline, s2.signature)).wait();
      expect((await f.lens.receivable(a)).status).to.equal(Status.Acknowledged);
      // Revoking is the signer's own business: an outsider revoking touches only its own bitmap.
      await (await f.receivables.connect(f.outsider).revokeAcknowledgementNonces(wordPos, mask)).wait();
      expect(await f.lens.nonceRevoked(f.buyer2.address, sa.nonce)).to.equal(false);
    });
  });
});
