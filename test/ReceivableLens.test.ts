import { expect } from "chai";
import { artifacts, ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ReceivableLens, ReceivableRegistry } from "../typechain-types";
import { DAY, ENTITIES, GRACE_PERIOD, onboardedFixture } from "./shared/fixtures";
import { invoiceInput, invoiceKey, numberHash, submit } from "./shared/receivables";

/**
 * ReceivableLens reads the registry's raw storage. Two kinds of test hold it honest: its slot constants are
 * compared with the storage layout solc reports for ReceivableRegistry (so a storage change that is not mirrored
 * in ReceivableSlots fails here), and its values are compared with what the registry's own views and events say.
 */

interface SlotEntry {
  label: string;
  slot: string;
  offset: number;
  type: string;
}
interface LayoutType {
  members?: SlotEntry[];
}

async function registryLayout() {
  const info = await artifacts.getBuildInfo("contracts/ReceivableRegistry.sol:ReceivableRegistry");
  const out = info!.output.contracts["contracts/ReceivableRegistry.sol"].ReceivableRegistry as unknown as {
    storageLayout: { storage: SlotEntry[]; types: Record<string, LayoutType> };
  };
  return out.storageLayout;
}

/** The constants of ReceivableSlots.sol, read from its source so the test cannot drift from it. */
async function slotConstants(): Promise<Record<string, number>> {
  const fs = await import("node:fs");
  const source = fs.readFileSync("contracts/libraries/ReceivableSlots.sol", "utf8");
  const found: Record<string, number> = {};
  for (const m of source.matchAll(/uint256 internal constant (\w+)_SLOT = (\d+);/g)) found[m[1]] = Number(m[2]);
  return found;
}

async function submitAcknowledged(f: Awaited<ReturnType<typeof onboardedFixture>>, number: string, amount?: bigint) {
  const input = await invoiceInput(await f.usd.getAddress(), { number, ...(amount ? { amount } : {}) });
  const id = await submit(f.receivables, f.supplier, input);
  await (await f.receivables.connect(f.buyer).acknowledge(id)).wait();
  return { id, input };
}

async function lensFixture() {
  const f = await onboardedFixture();
  return { ...f, lens: f.lens as ReceivableLens, receivables: f.receivables as ReceivableRegistry };
}

describe("ReceivableLens", function () {
  describe("slot constants match the compiler's storage layout of ReceivableRegistry", function () {
    it("every mapping and packed word the lens reads", async function () {
      const layout = await registryLayout();
      const slotOf = (label: string) => {
        const e = layout.storage.find((s) => s.label === label);
        expect(e, `no ${label} in the layout`).to.not.equal(undefined);
        return { slot: Number(e!.slot), offset: e!.offset, type: e!.type };
      };
      const c = await slotConstants();
      // Solady's ERC721 keeps owners and approvals at hashed slots of its own, outside this layout.
      expect(layout.storage.map((s) => s.label)).to.have.members([
        "_receivables",
        "_lineage",
        "_keyToId",
        "_buyers",
        "_sellers",
        "_claimable",
        "_config",
        "_revokedNonces",
        "_defaultedRoots",
        "_gracePeriods",
      ]);
      expect(c.RECEIVABLES).to.equal(slotOf("_receivables").slot);
      expect(c.LINEAGE).to.equal(slotOf("_lineage").slot);
      expect(c.KEY_TO_ID).to.equal(slotOf("_keyToId").slot);
      expect(c.BUYERS).to.equal(slotOf("_buyers").slot);
      expect(c.SELLERS).to.equal(slotOf("_sellers").slot);
      expect(c.CLAIMABLE).to.equal(slotOf("_claimable").slot);
      expect(c.LAST_ID).to.equal(slotOf("_config").slot);
      // ReceivableLogic.Config: the last id, the pause flag and (read by markDefaulted with them, one cold read
      // instead of two) the latest grace period and the first id it applies to, as slot.byteOffset.
      const config = layout.types[slotOf("_config").type].members!.map((m) => [m.label, `${m.slot}.${m.offset}`]);
      expect(Object.fromEntries(config)).to.deep.equal({
        lastId: "0.0",
        paused: "0.8",
        latestGracePeriod: "0.9",
        latestGraceFrom: "0.13",
      });
      expect(c.REVOKED_NONCES).to.equal(slotOf("_revokedNonces").slot);
      expect(c.DEFAULTED_ROOTS).to.equal(slotOf("_defaultedRoots").slot);
      expect(c.GRACE_PERIODS).to.equal(slotOf("_gracePeriods").slot);
    });

    it("the packing of Receivable, Lineage, BuyerRecord and SellerRecord that the decoders assume", async function () {
      const layout = await registryLayout();
      const members = (prefix: string) => {
        const key = Object.keys(layout.types).find((k) => k.startsWith(`t_struct(${prefix})`));
        return Object.fromEntries(layout.types[key!].members!.map((m) => [m.label, `${m.slot}.${m.offset}`])) as Record<
          string,
          string
        >;
      };
      // slot.byteOffset, as ReceivableSlots.decode* shifts them (bits = 8 × byte offset); ReceivableLogic's
      // _writeChild writes a split child's slots 0 and 1 as whole words on the same Receivable packing.
      expect(members("Receivable")).to.deep.equal({
        currency: "0.0",
        sellerIndex: "0.20",
        issueDate: "0.24",
        dueDate: "0.28",
        faceAmount: "1.0",
        paidAmount: "1.12",
        status: "1.24",
        frozen: "1.25",
        depth: "1.26",
        decimals: "1.27",
        buyerIndex: "1.28",
        docHash: "2.0",
      });
      expect(members("Lineage")).to.deep.equal({ parentId: "0.0", rootId: "0.8" });
      expect(members("BuyerRecord")).to.deep.equal({
        acknowledgedCount: "0.0",
        acknowledgedAmount: "0.4",
        paidLateCount: "0.18",
        totalDaysLate: "0.22",
        defaultCount: "0.26",
        paidOnTimeAmount: "1.0",
        paidLateAmount: "1.14",
        paidOnTimeCount: "1.28",
        lateAmountDays: "2.0",
        defaultedAmount: "2.18",
        recoveredAmount: "3.0",
      });
      expect(members("SellerRecord")).to.deep.equal({
        submittedCount: "0.0",
        rejectedCount: "0.4",
        cancelledCount: "0.8",
        rejectedAmount: "0.12",
        acknowledgedAmount: "1.0",
        cancelledAmount: "1.14",
      });
      expect(members("Checkpoint208")).to.deep.equal({ _key: "0.0", _value: "0.6" });
    });
  });

  describe("values agree with the registry", function () {
    it("receivable, parentOf, rootOf, docHash of a child, totalMinted and the key index", async function () {
      const f = await loadFixture(lensFixture);
      const { id, input } = await submitAcknowledged(f, "LENS-1");
      const [core, holder] = await f.receivables.coreOf(id);
      const viaLens = await f.lens.receivable(id);
      // coreOf leaves the document hash out (the hot paths never read it); everything else is the same.
      const plain = (r: typeof core) => (r as unknown as { toObject(): Record<string, unknown> }).toObject();
      expect({ ...plain(viaLens), docHash: ethers.ZeroHash }).to.deep.equal(plain(core));
      expect(viaLens.docHash).to.equal(input.docHash);
      expect(holder).to.equal(f.supplier.address);

      const first = await f.receivables.connect(f.supplier).split.staticCall(id, [60_000_000_000n, 40_000_000_000n]);
      await (await f.receivables.connect(f.supplier).split(id, [60_000_000_000n, 40_000_000_000n])).wait();
      const child = await f.lens.receivable(first + 1n);
      expect(child.faceAmount).to.equal(40_000_000_000n);
      expect(child.depth).to.equal(1n);
      expect(child.docHash).to.equal(input.docHash); // the original invoice's document
      expect(await f.lens.parentOf(first + 1n)).to.equal(id);
      expect(await f.lens.parentOf(id)).to.equal(0n);
      expect(await f.receivables.rootOf(first + 1n)).to.equal(id);
      expect(await f.lens.totalMinted()).to.equal(first + 1n);

      const key = invoiceKey(ENTITIES.supplier, ENTITIES.buyer, numberHash("LENS-1"));
      expect(await f.lens.receivableOfKey(key)).to.equal(id);
      expect(await f.receivables.invoiceKeyUsed(key)).to.equal(true);
      expect(await f.receivables.invoiceKeyUsed(ethers.ZeroHash)).to.equal(false);
      await expect(f.lens.receivable(999n)).to.be.revertedWithCustomError(f.receivables, "ReceivableNotFound");
    });

    it("isOverdue follows time and status", async function () {
      const f = await loadFixture(lensFixture);
      const { id } = await submitAcknowledged(f, "LENS-2");
      expect(await f.lens.isOverdue(id)).to.equal(false);
      const core = await f.lens.receivable(id);
      await time.increaseTo(core.dueDate + 1n);
      expect(await f.lens.isOverdue(id)).to.equal(true);
    });

    it("buyer and seller records match the riskDataOf the engine reads", async function () {
      const f = await loadFixture(lensFixture);
      const { id } = await submitAcknowledged(f, "LENS-3");
      await f.usd.mint(f.buyer.address, 100_000_000_000n);
      await f.usd.connect(f.buyer).approve(await f.receivables.getAddress(), ethers.MaxUint256);
      await (await f.receivables.connect(f.buyer).pay(id, 30_000_000_000n)).wait();
      const d = await f.receivables.riskDataOf(id);
      const b = await f.lens.buyerRecord(ENTITIES.buyer);
      expect(b.acknowledgedAmount).to.equal(d.acknowledgedAmount);
      expect(b.paidOnTimeAmount)
        .to.equal(d.paidOnTimeAmount)
        .and.to.equal(30_000n * 10n ** 18n);
      expect(b.acknowledgedCount).to.equal(1n);
      const s = await f.lens.sellerRecord(ENTITIES.supplier);
      expect(s.acknowledgedAmount)
        .to.equal(d.sellerAcknowledgedAmount)
        .and.to.equal(100_000n * 10n ** 18n);
      expect(s.submittedCount).to.equal(1n);
      const unknown = await f.lens.buyerRecord(ethers.ZeroHash);
      expect(unknown.acknowledgedAmount).to.equal(0n);
    });

    it("grace periods by original invoice, revoked nonces and family defaults", async function () {
      const f = await loadFixture(lensFixture);
      const { id } = await submitAcknowledged(f, "LENS-4");
      expect(await f.lens.defaultGracePeriod()).to.equal(BigInt(GRACE_PERIOD));
      await (await f.receivables.connect(f.admin).setDefaultGracePeriod(90 * DAY)).wait();
      expect(await f.lens.defaultGracePeriod()).to.equal(BigInt(90 * DAY));
      expect(await f.lens.gracePeriodOf(id)).to.equal(BigInt(GRACE_PERIOD));
      const { id: later } = await submitAcknowledged(f, "LENS-5");
      expect(await f.lens.gracePeriodOf(later)).to.equal(BigInt(90 * DAY));

      expect(await f.lens.nonceRevoked(f.buyer.address, 300n)).to.equal(false);
      await (await f.receivables.connect(f.buyer).revokeAcknowledgementNonces(1n, 1n << 44n)).wait();
      expect(await f.lens.nonceRevoked(f.buyer.address, 300n)).to.equal(true);
      expect(await f.lens.nonceRevoked(f.buyer2.address, 300n)).to.equal(false);

      expect(await f.lens.rootDefaulted(id)).to.equal(false);
      const core = await f.lens.receivable(id);
      await time.increaseTo(core.dueDate + BigInt(GRACE_PERIOD) + 1n);
      await (await f.receivables.connect(f.supplier).markDefaulted(id)).wait();
      expect(await f.lens.rootDefaulted(id)).to.equal(true);
      expect(await f.lens.rootDefaulted(later)).to.equal(false);
      expect(await f.lens.participants()).to.equal(await f.participants.getAddress());
      expect(await f.lens.receivables()).to.equal(await f.receivables.getAddress());
    });
  });
});
