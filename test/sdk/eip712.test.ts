import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "hardhat";
import {
  AbiCoder,
  Signature,
  TypedDataEncoder,
  Wallet,
  ZeroHash,
  concat,
  keccak256,
  toUtf8Bytes,
  verifyTypedData,
} from "ethers";
import {
  ACKNOWLEDGEMENT_TYPE,
  ACKNOWLEDGEMENT_TYPES,
  acknowledgementDigest,
  receivablesDomain,
  recoverAcknowledgementSigner,
  signAcknowledgement,
  submissionAcknowledgement,
  submissionCommitment,
  type AcknowledgementMessage,
} from "../../src/pure/eip712";
import { invoiceKey, invoiceNumberHash } from "../../src/pure/invoice";
import { entityId } from "../../src/pure/ids";

const REGISTRY = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const KEY = invoiceKey(entityId("LEI:S1"), entityId("LEI:B1"), invoiceNumberHash("INV-7"));
const message: AcknowledgementMessage = {
  id: 12n,
  invoiceKey: KEY,
  amount: 100_000_000_000n,
  dueDate: 1_782_777_600,
  nonce: 3n,
  deadline: 1_900_000_000n,
};

/** The interface NatSpec with the `///` prefixes and line breaks removed. */
function natSpecOfRegistry(): string {
  const source = readFileSync(
    join(__dirname, "..", "..", "contracts", "interfaces", "IReceivableRegistry.sol"),
    "utf8",
  );
  return source.replace(/\n\s*\/\/\/\s*/g, "");
}

describe("eip712", () => {
  it("uses the type string of the interface NatSpec, in the order ethers encodes it", () => {
    expect(natSpecOfRegistry()).to.include(ACKNOWLEDGEMENT_TYPE);
    expect(TypedDataEncoder.from(ACKNOWLEDGEMENT_TYPES).encodeType("Acknowledgement")).to.equal(ACKNOWLEDGEMENT_TYPE);
  });

  it("builds the domain named in the interface NatSpec", () => {
    const domain = receivablesDomain(31337n, REGISTRY);
    expect(domain).to.deep.equal({
      name: "TradeFin Receivables",
      version: "1",
      chainId: 31337n,
      verifyingContract: REGISTRY,
    });
    expect(natSpecOfRegistry()).to.include(`name "${domain.name}", version "${domain.version}"`);
  });

  it("computes the digest exactly as a Solidity EIP-712 implementation would", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const domainTypeHash = keccak256(
      toUtf8Bytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
    );
    const separator = keccak256(
      coder.encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [domainTypeHash, keccak256(toUtf8Bytes("TradeFin Receivables")), keccak256(toUtf8Bytes("1")), 31337n, REGISTRY],
      ),
    );
    const structHash = keccak256(
      coder.encode(
        ["bytes32", "uint256", "bytes32", "uint256", "uint32", "uint256", "uint256"],
        [keccak256(toUtf8Bytes(ACKNOWLEDGEMENT_TYPE)), 12n, KEY, message.amount, message.dueDate, 3n, message.deadline],
      ),
    );
    const expected = keccak256(concat(["0x1901", separator, structHash]));
    expect(acknowledgementDigest(receivablesDomain(31337, REGISTRY), message)).to.equal(expected);
  });

  it("returns a 65-byte low-s signature that recovers to the Hardhat signer", async () => {
    const [buyer] = await ethers.getSigners();
    const { chainId } = await ethers.provider.getNetwork();
    const domain = receivablesDomain(chainId, REGISTRY);
    const signature = await signAcknowledgement(buyer, domain, message);
    expect(ethers.getBytes(signature)).to.have.length(65);
    const halfN = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
    expect(BigInt(Signature.from(signature).s) <= halfN).to.equal(true);
    expect(
      verifyTypedData(domain, ACKNOWLEDGEMENT_TYPES, message as unknown as Record<string, unknown>, signature),
    ).to.equal(buyer.address);
    expect(recoverAcknowledgementSigner(domain, message, signature)).to.equal(buyer.address);
  });

  it("binds the signature to the chain, the contract and every field of the message", async () => {
    const wallet = Wallet.createRandom();
    const domain = receivablesDomain(1, REGISTRY);
    const signature = await signAcknowledgement(wallet, domain, message);
    expect(recoverAcknowledgementSigner(domain, message, signature)).to.equal(wallet.address);
    expect(recoverAcknowledgementSigner(receivablesDomain(5, REGISTRY), message, signature)).to.not.equal(
      wallet.address,
    );
    expect(recoverAcknowledgementSigner(receivablesDomain(1, wallet.address), message, signature)).to.not.equal(
      wallet.address,
    );
    const changes: Partial<AcknowledgementMessage>[] = [
      { id: 13n },
      { invoiceKey: invoiceKey(entityId("LEI:S1"), entityId("LEI:B1"), invoiceNumberHash("INV-8")) },
      { amount: message.amount + 1n },
      { dueDate: 1_782_777_601 },
      { nonce: 4n },
      { deadline: 1_900_000_001n },
    ];
    for (const change of changes) {
      const tampered = { ...message, ...change };
      expect(
        recoverAcknowledgementSigner(domain, tampered, signature),
        JSON.stringify(Object.keys(change)),
      ).to.not.equal(wallet.address);
    }
  });

  it("builds the submitAcknowledged message with id 0 and the submission commitment", () => {
    const terms = {
      currency: "0x00000000000000000000000000000000000000aa",
      amount: 5n,
      issueDate: 1_780_000_000,
      dueDate: 1_782_777_600,
      docHash: ZeroHash,
    };
    const m = submissionAcknowledgement(KEY, terms, 0n, 1_900_000_000n);
    const commitment = keccak256(
      AbiCoder.defaultAbiCoder().encode(
        ["bytes32", "address", "uint32", "bytes32"],
        [KEY, terms.currency, terms.issueDate, terms.docHash],
      ),
    );
    expect(m).to.deep.equal({
      id: 0n,
      invoiceKey: commitment,
      amount: 5n,
      dueDate: 1_782_777_600,
      nonce: 0n,
      deadline: 1_900_000_000n,
    });
    expect(submissionCommitment(KEY, terms)).to.equal(commitment);
    // Another token, issue date or document gives another commitment, so the signature cannot be reused.
    for (const change of [
      { currency: "0x00000000000000000000000000000000000000bb" },
      { issueDate: 1_780_000_001 },
      { docHash: keccak256("0x01") },
    ]) {
      expect(submissionCommitment(KEY, { ...terms, ...change })).to.not.equal(commitment);
    }
  });
});
