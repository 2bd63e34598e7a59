/**
 * src/chain/governance.ts, pure decisions (issue 14): the delay rule and the refusal of a single-key admin or pool
 * owner outside chain 31337, with the chain id and the code lookup injected.
 */
import { expect } from "chai";
import { ZeroHash } from "ethers";
import {
  DEFAULT_DELAY_SECONDS,
  GovernanceError,
  SINGLE_KEY_FLAG,
  assertNoSingleKey,
  checkDelay,
  describeCall,
  encodeSchedule,
  operationId,
  singleKeyRefusal,
  timelockCall,
  TIMELOCK_ABI,
} from "../../src/chain/governance";

const EOA = "0x1111111111111111111111111111111111111111";
const CONTRACT = "0x2222222222222222222222222222222222222222";
const codeOf = (address: string) => Promise.resolve(address === CONTRACT ? "0x6080" : "0x");

describe("Governance decisions (src/chain/governance.ts)", () => {
  describe("checkDelay", () => {
    it("defaults to 48 hours", () => {
      expect(checkDelay(undefined, 1)).to.equal(DEFAULT_DELAY_SECONDS);
      expect(DEFAULT_DELAY_SECONDS).to.equal(172_800);
    });
    it("accepts any whole number of seconds, and 0 only on chain 31337", () => {
      expect(checkDelay("3600", 11155111)).to.equal(3600);
      expect(checkDelay("0", 31337)).to.equal(0);
      expect(() => checkDelay("0", 1)).to.throw(
        GovernanceError,
        /0 is allowed only on the local chain 31337, not on chain 1/,
      );
      expect(() => checkDelay("0", 1337)).to.throw(GovernanceError);
    });
    it("refuses what is not a whole number of seconds", () => {
      for (const bad of ["-1", "1.5", "two days", "1e400"])
        expect(() => checkDelay(bad, 31337), bad).to.throw(GovernanceError);
    });
  });

  describe("singleKeyRefusal / assertNoSingleKey", () => {
    it("refuses an externally owned admin on any chain but 31337, in one sentence naming it and the flag", async () => {
      for (const chainId of [1, 1337, 8453, 11155111]) {
        const refusal = singleKeyRefusal(chainId, [{ role: "admin", address: EOA, code: "0x" }], false);
        expect(refusal, `chain ${chainId}`).to.equal(
          `refusing to deploy on chain ${chainId}: the admin ${EOA} is a single key (an externally owned account); ` +
            `pass --safe <Safe address> to put a timelock proposed by the Safe in charge, or ${SINGLE_KEY_FLAG} to accept the risk`,
        );
        const refused = await assertNoSingleKey(
          { getCode: codeOf },
          chainId,
          [{ role: "admin", address: EOA }],
          false,
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(refused).to.be.instanceOf(GovernanceError);
        expect((refused as Error).message).to.equal(refusal);
      }
    });
    it("names every single-key holder at once", () => {
      const refusal = singleKeyRefusal(
        10,
        [
          { role: "admin", address: EOA, code: "0x" },
          { role: "pool owner", address: CONTRACT, code: "0x60" },
          { role: "pool owner", address: "0x3333333333333333333333333333333333333333", code: "0x" },
        ],
        false,
      );
      expect(refusal).to.match(/the admin 0x1111.* and the pool owner 0x3333.* are single keys/);
    });
    it("accepts a contract (a timelock, a Safe), the local chain 31337, or the loud flag", async () => {
      expect(singleKeyRefusal(1, [{ role: "admin", address: CONTRACT, code: "0x6080" }], false)).to.equal(undefined);
      expect(singleKeyRefusal(31337, [{ role: "admin", address: EOA, code: "0x" }], false)).to.equal(undefined);
      expect(singleKeyRefusal(1, [{ role: "admin", address: EOA, code: "0x" }], true)).to.equal(undefined);
      await assertNoSingleKey({ getCode: codeOf }, 1, [{ role: "admin", address: CONTRACT }], false);
    });
  });

  describe("timelock calls", () => {
    it("encodes schedule with the call's fields and the delay", () => {
      const call = timelockCall(CONTRACT, "0xabcdef01", ZeroHash);
      const decoded = TIMELOCK_ABI.decodeFunctionData("schedule", encodeSchedule(call, 7200));
      expect(decoded.map(String)).to.deep.equal([CONTRACT, "0", "0xabcdef01", ZeroHash, ZeroHash, "7200"]);
      expect(operationId(call)).to.not.equal(operationId(timelockCall(CONTRACT, "0xabcdef02")));
    });
    it("names the function of a call from the target's ABI, and says when it cannot", () => {
      const known = [{ name: "timelock", address: CONTRACT, iface: TIMELOCK_ABI }];
      const data = TIMELOCK_ABI.encodeFunctionData("cancel", [ZeroHash]);
      expect(describeCall(CONTRACT, data, known)).to.deep.equal({
        contract: "timelock",
        call: `cancel(id=${ZeroHash})`,
      });
      expect(describeCall(EOA, "0xdeadbeef00", known).call).to.equal("0xdeadbeef… (unknown function)");
    });
  });
});
