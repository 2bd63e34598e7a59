import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ErrorFragment, Interface, ZeroAddress, id as keccakText, type ParamType } from "ethers";
import {
  SENTENCES,
  allKnownErrors,
  decodeError,
  findRevertData,
  formatTimestamp,
  tradeFinInterfaces,
  type DecodeContext,
} from "../../src/pure/errors";
import { invoiceKey, invoiceNumberHash } from "../../src/pure/invoice";
import { entityId, Role } from "../../src/pure/ids";
import { deployCoreFixture, ENTITIES, YEAR } from "../shared/fixtures";

const [participants, receivables, risk] = tradeFinInterfaces().map((t) => t.iface);
/** Every error the SDK decodes, except Solidity's built-in Error and Panic (ethers adds those itself). */
const KNOWN = new Interface(allKnownErrors().filter((e) => e.name !== "Error" && e.name !== "Panic"));

/** `error Name(params);` declarations in the installed OpenZeppelin sources, by error name. */
function openZeppelinDeclarations(): Map<string, string[]> {
  const declared = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".sol")) {
        for (const m of readFileSync(path, "utf8").matchAll(/\berror (\w+)\(([^)]*)\);/g)) {
          let sighash: string;
          try {
            sighash = ErrorFragment.from(`error ${m[1]}(${m[2]})`).format("sighash");
          } catch {
            continue; // a parameter of a contract or struct type: none of those is decoded
          }
          declared.set(m[1], [...(declared.get(m[1]) ?? []), sighash]);
        }
      }
    }
  };
  walk(join(__dirname, "..", "..", "node_modules", "@openzeppelin", "contracts"));
  walk(join(__dirname, "..", "..", "node_modules", "solady", "src", "tokens")); // the registry's ERC-721
  return declared;
}
const KEY = invoiceKey(entityId("LEI:ACME"), entityId("LEI:BIGBUYER"), invoiceNumberHash("INV-7"));
const WALLET = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** A plausible value for an ABI parameter, to render every template. */
function sample(p: ParamType): unknown {
  if (p.type === "address") return WALLET;
  if (p.type === "bytes32") return KEY;
  if (p.type === "string") return "advanceRateBps";
  if (p.type === "bool") return true;
  if (p.type.startsWith("uint8")) return 2n;
  return 1_772_409_600n;
}

describe("errors", () => {
  describe("sentence templates", () => {
    it("has a sentence for every error of IParticipantRegistry, IReceivableRegistry and IRiskEngine", () => {
      const missing: string[] = [];
      let count = 0;
      for (const { name, iface } of tradeFinInterfaces()) {
        iface.forEachError((e) => {
          count++;
          if (!SENTENCES[e.name]) missing.push(`${name}.${e.name}`);
        });
      }
      expect(count).to.be.greaterThan(40);
      expect(missing, "errors without a sentence template").to.deep.equal([]);
    });

    it("has a sentence for every OpenZeppelin and built-in error it decodes", () => {
      const missing = allKnownErrors()
        .map((e) => e.name)
        .filter((n) => !SENTENCES[n]);
      expect(missing).to.deep.equal([]);
    });

    it("decodes against the compiled ABIs: every error not in a TradeFin interface is an OpenZeppelin one", async () => {
      const declared = openZeppelinDeclarations();
      const inherited: string[] = [];
      for (const fragment of allKnownErrors()) {
        const data = new Interface([fragment]).encodeErrorResult(fragment, fragment.inputs.map(sample));
        const { source } = (await decodeError(data))!;
        if (source !== "dependency") continue;
        inherited.push(fragment.name);
        expect(declared.get(fragment.name), `${fragment.name} in @openzeppelin/contracts or solady`).to.include(
          fragment.format("sighash"),
        );
      }
      // The ones each layer raises: access control, the NFT, SafeERC20, signatures, the pool's owner, the token.
      expect(inherited).to.include.members([
        "AccessControlUnauthorizedAccount",
        "NotOwnerNorApproved",
        "SafeERC20FailedOperation",
        "ECDSAInvalidSignatureS",
        "OwnableUnauthorizedAccount",
        "ERC20InsufficientBalance",
        "ERC2612ExpiredSignature",
      ]);
    });

    it("has no sentence template for an error that no TradeFin contract can raise", () => {
      const known = new Set(allKnownErrors().map((e) => e.name));
      expect(Object.keys(SENTENCES).filter((n) => !known.has(n))).to.deep.equal([]);
    });

    it("renders every known error into a sentence without placeholders", async () => {
      for (const fragment of allKnownErrors()) {
        const data = new Interface([fragment]).encodeErrorResult(fragment, fragment.inputs.map(sample));
        const decoded = await decodeError(data);
        expect(decoded!.name, fragment.name).to.equal(fragment.name);
        expect(decoded!.sentence, fragment.name)
          .to.be.a("string")
          .and.not.match(/undefined|\[object|NaN/);
        expect(decoded!.sentence.length, fragment.name).to.be.greaterThan(5);
      }
    });
  });

  describe("decodeError", () => {
    it("explains a used invoice key with the receivable that holds it", async () => {
      const data = receivables.encodeErrorResult("ReceivableInvoiceKeyUsed", [KEY, 12n]);
      const d = (await decodeError(data))!;
      expect(d.name).to.equal("ReceivableInvoiceKeyUsed");
      expect(d.source).to.equal("IReceivableRegistry");
      expect(d.signature).to.equal("ReceivableInvoiceKeyUsed(bytes32,uint256)");
      expect(d.args).to.deep.equal({ invoiceKey: KEY, existingId: 12n });
      expect(d.sentence).to.equal(`invoice with key ${KEY} was already registered as receivable #12`);
    });

    it("names the invoice and its registration date when the caller can look them up", async () => {
      const data = receivables.encodeErrorResult("ReceivableInvoiceKeyUsed", [KEY, 12n]);
      const ctx: DecodeContext = {
        describeKey: async (k) =>
          k === KEY ? { label: "INV-7 from Acme Ltd to Big Buyer", registeredOn: "2026-03-02" } : undefined,
      };
      expect((await decodeError(data, ctx))!.sentence).to.equal(
        "invoice INV-7 from Acme Ltd to Big Buyer was already registered on 2026-03-02 (receivable #12)",
      );
      const plain: DecodeContext = { describeKey: () => "INV-7 from Acme Ltd to Big Buyer" };
      expect((await decodeError(data, plain))!.sentence).to.equal(
        "invoice INV-7 from Acme Ltd to Big Buyer was already registered as receivable #12",
      );
    });

    it("puts company names, role names and dates on participant errors", async () => {
      const names: Record<string, string> = { [ENTITIES.buyer]: "Big Buyer plc" };
      const ctx: DecodeContext = { describeEntity: (e) => names[e] };
      const inactive = participants.encodeErrorResult("ParticipantEntityNotActive", [ENTITIES.buyer, Role.BUYER]);
      expect((await decodeError(inactive, ctx))!.sentence).to.match(
        /^Big Buyer plc is not an active BUYER participant/,
      );
      const unknown = participants.encodeErrorResult("ParticipantUnknownEntity", [ENTITIES.supplier]);
      expect((await decodeError(unknown, ctx))!.sentence).to.equal(`entity ${ENTITIES.supplier} is not registered`);
      const kyc = participants.encodeErrorResult("ParticipantKycExpiryInPast", [1_772_409_600n, 1_772_413_200n]);
      expect((await decodeError(kyc))!.sentence).to.equal(
        "the KYC expiry 2026-03-02 00:00:00 UTC is not in the future (now 2026-03-02 01:00:00 UTC)",
      );
    });

    it("names the status, the token and the split part in receivable errors", async () => {
      const status = receivables.encodeErrorResult("ReceivableInvalidStatus", [7n, 3]);
      expect((await decodeError(status))!.sentence).to.equal(
        "receivable #7 is Rejected, which does not allow this operation",
      );
      const nothing = receivables.encodeErrorResult("ReceivableNothingToWithdraw", [WALLET, TOKEN]);
      const ctx: DecodeContext = {
        describeToken: (t) => (t === TOKEN ? "tUSD" : undefined),
        describeWallet: () => "Acme Ltd",
      };
      expect((await decodeError(nothing, ctx))!.sentence).to.equal("nothing is credited to Acme Ltd in tUSD");
      const zero = receivables.encodeErrorResult("ReceivableSplitZeroAmount", [0n]);
      expect((await decodeError(zero))!.sentence).to.equal("part 1 of the split is zero");
      const grace = receivables.encodeErrorResult("ReceivableGracePeriodTooLong", [100n * 86_400n, 90n * 86_400n]);
      expect((await decodeError(grace))!.sentence).to.equal(
        "a grace period of 100 days is longer than the maximum of 90 days",
      );
    });

    it("explains risk engine errors in percent and by policy field", async () => {
      const pd = risk.encodeErrorResult("RiskPdOutOfRange", [12_345n, 3n, 10_000n]);
      expect((await decodeError(pd))!.sentence).to.equal("a probability of default of 123.45 % is above 100 %");
      const low = risk.encodeErrorResult("RiskPdOutOfRange", [0n, 3n, 10_000n]);
      expect((await decodeError(low))!.sentence).to.equal(
        "a probability of default of 0.00 % is below the floor of 0.03 % (a PD of 0 never means no risk)",
      );
      const policy = risk.encodeErrorResult("RiskInvalidPolicy", ["gradeMaxPdBps"]);
      expect((await decodeError(policy))!.sentence).to.equal("the risk policy is invalid: check gradeMaxPdBps");
    });

    it("decodes OpenZeppelin errors that surface through TradeFin contracts", async () => {
      const access = KNOWN.encodeErrorResult("AccessControlUnauthorizedAccount", [
        WALLET,
        keccakText("ONBOARDER_ROLE"),
      ]);
      expect((await decodeError(access))!.sentence).to.equal(`${WALLET} does not hold ONBOARDER_ROLE`);
      const owner = KNOWN.encodeErrorResult("OwnableUnauthorizedAccount", [WALLET]);
      expect((await decodeError(owner))!.sentence).to.equal(`${WALLET} is not the manager (owner) of this pool`);
      // Pausable is not a base of any TradeFin contract (the registry pauses with its own error).
      const pausable = new Interface(["error EnforcedPause()"]).encodeErrorResult("EnforcedPause", []);
      expect((await decodeError(pausable))!.name).to.equal("UnknownError");
      const highS = KNOWN.encodeErrorResult("ECDSAInvalidSignatureS", [KEY]);
      expect((await decodeError(highS))!.name).to.equal("ECDSAInvalidSignatureS");
      const nft = KNOWN.encodeErrorResult("TransferFromIncorrectOwner", []);
      expect((await decodeError(nft))!.sentence).to.equal("the sender named does not hold the receivable");
      const safe = KNOWN.encodeErrorResult("SafeERC20FailedOperation", [TOKEN]);
      expect((await decodeError(safe, { describeToken: () => "tUSD" }))!.sentence).to.equal(
        "a transfer of tUSD failed",
      );
      expect((await decodeError(KNOWN.encodeErrorResult("ReentrancyGuardReentrantCall", [])))!.source).to.equal(
        "dependency",
      );
    });

    it("decodes require messages, panics, empty reverts and unknown selectors", async () => {
      const builtin = new Interface(["error Error(string)", "error Panic(uint256)"]);
      expect((await decodeError(builtin.encodeErrorResult("Error", ["not enough"])))!.sentence).to.equal("not enough");
      expect((await decodeError(builtin.encodeErrorResult("Panic", [0x11])))!.sentence).to.match(/overflowed/);
      expect((await decodeError("0x"))!.name).to.equal("EmptyRevert");
      const unknown = (await decodeError("0xdeadbeef0000"))!;
      expect([unknown.name, unknown.sentence]).to.deep.equal([
        "UnknownError",
        "the transaction reverted with an unrecognised error 0xdeadbeef (data 0xdeadbeef0000)",
      ]);
    });

    it("finds revert data nested in ethers and provider errors", async () => {
      const data = receivables.encodeErrorResult("ReceivableIsFrozen", [4n]);
      const shapes = [
        { code: "CALL_EXCEPTION", data },
        { code: "UNKNOWN_ERROR", error: { code: 3, message: "execution reverted", data } },
        { info: { error: { data: { data } } } },
        { cause: { data } },
      ];
      for (const shape of shapes) expect(findRevertData(shape), JSON.stringify(shape)).to.equal(data);
      expect((await decodeError(shapes[2]))!.sentence).to.equal("receivable #4 is frozen by a regulator");
    });

    it("returns undefined for an error without revert data, and EmptyRevert for a call exception without data", async () => {
      expect(await decodeError(new Error("connection refused"))).to.equal(undefined);
      expect(await decodeError({ code: "NETWORK_ERROR", data: "not hex" })).to.equal(undefined);
      expect((await decodeError({ code: "CALL_EXCEPTION", data: null }))!.name).to.equal("EmptyRevert");
    });

    it("falls back to the id when a lookup throws", async () => {
      const data = participants.encodeErrorResult("ParticipantNotSuspended", [ENTITIES.bank]);
      const ctx: DecodeContext = {
        describeEntity: () => {
          throw new Error("database down");
        },
      };
      expect((await decodeError(data, ctx))!.sentence).to.equal(`entity ${ENTITIES.bank} is not suspended`);
    });

    it("decodes extra ABIs given by the caller", async () => {
      const pool = new Interface(["error PoolNotManager(address caller)"]);
      const data = pool.encodeErrorResult("PoolNotManager", [WALLET]);
      expect((await decodeError(data))!.name).to.equal("UnknownError");
      const d = (await decodeError(data, { extraInterfaces: [pool] }))!;
      expect([d.name, d.sentence]).to.deep.equal(["PoolNotManager", `PoolNotManager (caller ${WALLET})`]);
    });

    it("decodes a real revert raised by the deployed participant registry", async () => {
      const { participants, outsider } = await loadFixture(deployCoreFixture);
      const expiry = Math.floor(Date.now() / 1000) + YEAR;
      let caught: unknown;
      try {
        await participants.connect(outsider).registerEntity(ENTITIES.supplier, Role.SUPPLIER, expiry, outsider.address);
      } catch (err) {
        caught = err;
      }
      const d = (await decodeError(caught, {
        describeWallet: (w) => (w === outsider.address ? "an outsider" : undefined),
      }))!;
      expect(d.name).to.equal("AccessControlUnauthorizedAccount");
      expect(d.sentence).to.equal("an outsider does not hold ONBOARDER_ROLE");
    });

    it("says who imposed a suspension", async () => {
      const data = participants.encodeErrorResult("ParticipantAlreadySuspended", [ENTITIES.bank, 2]);
      expect((await decodeError(data))!.sentence).to.equal(
        `entity ${ENTITIES.bank} is already suspended (by a regulator)`,
      );
    });
  });

  describe("formatTimestamp", () => {
    it("prints Unix seconds as UTC date and time, or date only", () => {
      expect(formatTimestamp(1_772_413_200n)).to.equal("2026-03-02 01:00:00 UTC");
      expect(formatTimestamp(1_772_413_200, true)).to.equal("2026-03-02");
      expect(formatTimestamp(2n ** 255n)).to.equal((2n ** 255n).toString());
    });
  });
});
