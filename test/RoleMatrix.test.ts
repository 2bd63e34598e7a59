/**
 * Role matrix (issue #8): every state-changing function of ParticipantRegistry, ReceivableRegistry, RiskEngine
 * and FinancingPool, called by every role. The state is arranged so that the intended callers succeed; every
 * other role must be refused with the function's authorization error (not some business-rule revert that would
 * hide whether the authorization check exists). The list of functions is read from the ABIs: a function the
 * matrix does not cover fails the first test.
 */
import { expect } from "chai";
import { artifacts, ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Interface as EthersInterface, type ContractTransactionResponse, type Interface } from "ethers";
import { standardPolicy } from "../src/pure/policy";
import { submissionCommitment } from "../src/pure/eip712";
import { Role } from "../src/pure/ids";
import type { InvoiceInput } from "../src/pure/invoice";
import { invoiceInput, numberHash, invoiceKey, signAck } from "./shared/receivables";
import { worldFixture, DAY, UNIT, WORLD_ENTITIES, PROSPECT_ENTITIES } from "./invariants/world";
import { errorInterface, errorName } from "./invariants/errors";
import type { MockStablecoin } from "../typechain-types";

const ROLES = [
  "admin",
  "onboarder",
  "pauser",
  "ratingAgent",
  "supplier",
  "buyer",
  "bank",
  "regulator",
  "outsider",
] as const;
type RoleName = (typeof ROLES)[number];
const ALL: RoleName[] = [...ROLES];

/** The deployment with one prepared receivable or record for every function the matrix calls. */
/** An invoice to buyer B1 (unless named) built by the shared invoiceInput: 1,000.00, due in 60 days, no document. */
async function matrixInput(
  usd: string,
  number: string,
  { buyerEntityId = WORLD_ENTITIES.B1 as string, amount = 1_000n * UNIT, dueDays = 60 } = {},
): Promise<InvoiceInput> {
  const dueDate = (await time.latest()) + dueDays * DAY;
  // Every field is a string, bigint or number here (the SDK's InvoiceInput), as the signing code below needs.
  return (await invoiceInput(usd, {
    number,
    buyerEntityId,
    amount,
    dueDate,
    docHash: ethers.ZeroHash,
  })) as InvoiceInput;
}

async function matrixFixture() {
  const w = await worldFixture();
  const { ratingAgent, supplier, buyer, bank, regulator, outsider } = w.signers;
  const usd = await w.usd.getAddress();
  const R = w.receivables;
  const poolA = w.poolA;
  // Pool A with recourse and some tolerance for the buyer defaults the fixture itself creates.
  await poolA.connect(bank).setPolicy(standardPolicy(6, { recourse: true, maxBuyerDefaults: 5n }));
  const now = await time.latest();
  await w.riskEngine.connect(ratingAgent).setRating(WORLD_ENTITIES.B1, 150, now + 365 * DAY);

  let n = 0;
  const input = async (units: bigint, dueDays: number, buyerEntity: string = WORLD_ENTITIES.B1) => {
    n += 1;
    return matrixInput(usd, `MATRIX-${n}`, { buyerEntityId: buyerEntity, amount: units * UNIT, dueDays });
  };
  const mint = async (units: bigint, dueDays: number, ack = true, buyerEntity: string = WORLD_ENTITIES.B1) => {
    const id = (await w.lens.totalMinted()) + 1n;
    await R.connect(supplier).submit(await input(units, dueDays, buyerEntity));
    if (ack) await R.connect(buyerEntity === WORLD_ENTITIES.B1 ? buyer : w.signers.buyerB).acknowledge(id);
    return id;
  };
  const far = (await time.latest()) + 365 * DAY;
  const ids = {
    submitted: await mint(10_000n, 90, false),
    held: await mint(50_000n, 150),
    defaultable: await mint(10_000n, 10),
    credited: await mint(10_000n, 90),
    requested: await mint(200_000n, 150),
    writeOff: await mint(10_000n, 10),
    recourse: await mint(5_000n, 10),
    collectable: await mint(10_000n, 90),
    reserved: await mint(10_000n, 90),
    frozen: await mint(10_000n, 90),
  };
  for (const id of [ids.writeOff, ids.recourse, ids.collectable, ids.reserved]) {
    await poolA.connect(supplier).finance(id, 0, ethers.MaxUint256, far);
  }
  await poolA.connect(supplier).finance(ids.requested, 0, ethers.MaxUint256, far); // above auto-approval: a request
  await R.connect(buyer).pay(ids.credited, 1_000n * UNIT);
  await R.connect(buyer).pay(ids.collectable, 1_000n * UNIT);
  await R.connect(buyer).pay(ids.reserved, 10_000n * UNIT);
  await poolA.connect(outsider).collect(ids.reserved); // releases the reserve to the supplier
  await R.connect(regulator).freeze(ids.frozen, ethers.encodeBytes32String("AML"));
  await time.increase(41 * DAY); // past due + grace of the 10-day receivables
  await poolA.connect(bank).writeOff(ids.recourse);
  const newToken = (await ethers.deployContract("MockStablecoin", ["New", "NEW", 6])) as unknown as MockStablecoin;
  return { ...w, ids, usd, newToken, iface: await errorInterface() };
}

type F = Awaited<ReturnType<typeof matrixFixture>>;

interface Entry {
  /** Roles that must pass the authorization check (and, with the state arranged, succeed). */
  allowed: RoleName[];
  /** Errors that mean "this caller is not authorized" for this function. */
  denied: string[];
  /** Extra arrangement made by fixed actors before the call (on the fresh fixture state). */
  setup?: (f: F) => Promise<unknown>;
  call: (f: F, caller: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
}

const reason = ethers.encodeBytes32String("matrix");

async function ackSignature(f: F, id: bigint) {
  const r = await f.lens.receivable(id);
  const key = invoiceKey(WORLD_ENTITIES.S1, WORLD_ENTITIES.B1, numberHash(`MATRIX-${id}`));
  const deadline = (await time.latest()) + 3600;
  const signature = await signAck(f.receivables, f.signers.buyer, {
    id,
    invoiceKey: key,
    amount: r.faceAmount,
    dueDate: r.dueDate,
    deadline,
  });
  // signAck signs nonce 0: a revocation handle, never consumed.
  return { key, deadline, signature, nonce: 0n };
}

const P = (f: F) => f.participants;
const RR = (f: F) => f.receivables;

const MATRIX: Record<string, Record<string, Entry>> = {
  ParticipantRegistry: {
    "acceptDefaultAdminTransfer()": {
      // The pending admin; here the admin rotates to itself, so the admin is the one expected to accept.
      allowed: ["admin"],
      denied: ["AccessControlInvalidDefaultAdmin"],
      setup: async (f) => {
        await P(f).connect(f.signers.admin).beginDefaultAdminTransfer(f.signers.admin.address);
        await time.increase(4 * DAY);
      },
      call: (f, c) => P(f).connect(c).acceptDefaultAdminTransfer(),
    },
    "beginDefaultAdminTransfer(address)": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) => P(f).connect(c).beginDefaultAdminTransfer(f.signers.outsider.address),
    },
    "cancelDefaultAdminTransfer()": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) => P(f).connect(c).cancelDefaultAdminTransfer(),
    },
    "changeDefaultAdminDelay(uint48)": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) =>
        P(f)
          .connect(c)
          .changeDefaultAdminDelay(5 * DAY),
    },
    "rollbackDefaultAdminDelay()": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) => P(f).connect(c).rollbackDefaultAdminDelay(),
    },
    "grantRole(bytes32,address)": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .grantRole(await P(f).ONBOARDER_ROLE(), f.signers.outsider.address),
    },
    "revokeRole(bytes32,address)": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .revokeRole(await P(f).PAUSER_ROLE(), f.signers.pauser.address),
    },
    "renounceRole(bytes32,address)": {
      // Anyone may renounce a role for itself (a no-op when it does not hold it); never for someone else.
      allowed: ALL,
      denied: ["AccessControlBadConfirmation"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .renounceRole(await P(f).PAUSER_ROLE(), c.address),
    },
    "registerEntity(bytes32,uint8,uint40,address)": {
      allowed: ["onboarder"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .registerEntity(
            PROSPECT_ENTITIES[0],
            Role.SUPPLIER,
            (await time.latest()) + 365 * DAY,
            f.prospects[0].address,
          ),
    },
    "setRoles(bytes32,uint8)": {
      allowed: ["onboarder"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) =>
        P(f)
          .connect(c)
          .setRoles(WORLD_ENTITIES.B2, Role.BUYER | Role.SUPPLIER),
    },
    "setKycExpiry(bytes32,uint40)": {
      allowed: ["onboarder"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .setKycExpiry(WORLD_ENTITIES.B2, (await time.latest()) + 900 * DAY),
    },
    "addWallet(bytes32,address,bool)": {
      allowed: ["onboarder"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) => P(f).connect(c).addWallet(WORLD_ENTITIES.B2, f.prospects[1].address, true),
    },
    "removeWallet(address)": {
      allowed: ["onboarder"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: (f, c) => P(f).connect(c).removeWallet(f.signers.buyer2.address),
    },
    "suspend(bytes32,bytes32)": {
      allowed: ["onboarder", "regulator"],
      denied: ["ParticipantNotOnboarderOrRegulator"],
      call: (f, c) => P(f).connect(c).suspend(WORLD_ENTITIES.B2, reason),
    },
    "reinstate(bytes32)": {
      allowed: ["onboarder", "regulator"],
      denied: ["ParticipantNotOnboarderOrRegulator"],
      setup: (f) => P(f).connect(f.signers.onboarder).suspend(WORLD_ENTITIES.B2, reason),
      call: (f, c) => P(f).connect(c).reinstate(WORLD_ENTITIES.B2),
    },
    "setCurrencyAllowed(address,bool)": {
      allowed: ["admin"],
      denied: ["AccessControlUnauthorizedAccount"],
      call: async (f, c) =>
        P(f)
          .connect(c)
          .setCurrencyAllowed(await f.newToken.getAddress(), true),
    },
  },
  ReceivableRegistry: {
    "submit((bytes32,address,uint256,uint32,uint32,bytes32,bytes32))": {
      allowed: ["supplier"],
      denied: ["ParticipantNotActive"],
      call: async (f, c) =>
        RR(f)
          .connect(c)
          .submit(await matrixInput(f.usd, "MATRIX-NEW")),
    },
    "submitBatch((bytes32,address,uint256,uint32,uint32,bytes32,bytes32)[])": {
      allowed: ["supplier"],
      denied: ["ParticipantNotActive"],
      call: async (f, c) => {
        const batch = [await matrixInput(f.usd, "MATRIX-BATCH-1"), await matrixInput(f.usd, "MATRIX-BATCH-2")];
        return RR(f).connect(c).submitBatch(batch);
      },
    },
    "submitAcknowledged((bytes32,address,uint256,uint32,uint32,bytes32,bytes32),uint256,uint256,bytes)": {
      allowed: ["supplier"],
      denied: ["ParticipantNotActive"],
      call: async (f, c) => {
        const t = await time.latest();
        const inv = await matrixInput(f.usd, "MATRIX-SIGNED");
        const deadline = t + 3600;
        const seller =
          (await P(f).entityOf(c.address)) === ethers.ZeroHash ? WORLD_ENTITIES.S1 : await P(f).entityOf(c.address);
        const sig = await signAck(f.receivables, f.signers.buyer, {
          id: 0n,
          invoiceKey: submissionCommitment(invoiceKey(seller, WORLD_ENTITIES.B1, inv.invoiceNumberHash), {
            currency: f.usd,
            issueDate: inv.issueDate,
            docHash: inv.docHash,
          }),
          amount: inv.amount,
          dueDate: inv.dueDate,
          deadline,
        });
        return RR(f).connect(c).submitAcknowledged(inv, 0, deadline, sig);
      },
    },
    "acknowledge(uint256)": {
      allowed: ["buyer"],
      denied: ["ReceivableNotBuyer"],
      call: (f, c) => RR(f).connect(c).acknowledge(f.ids.submitted),
    },
    "acknowledgeWithSig(uint256,bytes32,uint256,uint256,bytes)": {
      // Authorised by the buyer's signature; anyone may relay it.
      allowed: ALL,
      denied: [],
      call: async (f, c) => {
        const s = await ackSignature(f, f.ids.submitted);
        return RR(f).connect(c).acknowledgeWithSig(f.ids.submitted, s.key, s.nonce, s.deadline, s.signature);
      },
    },
    "revokeAcknowledgementNonces(uint256,uint256)": {
      // Open to anyone: it revokes only the caller's own nonces.
      allowed: ALL,
      denied: [],
      call: (f, c) => RR(f).connect(c).revokeAcknowledgementNonces(0, 0b101n),
    },
    "reject(uint256,bytes32)": {
      allowed: ["buyer"],
      denied: ["ReceivableNotBuyer"],
      call: (f, c) => RR(f).connect(c).reject(f.ids.submitted, reason),
    },
    "cancel(uint256)": {
      allowed: ["supplier"],
      denied: ["ReceivableNotSeller"],
      call: (f, c) => RR(f).connect(c).cancel(f.ids.submitted),
    },
    "split(uint256,uint256[])": {
      allowed: ["supplier"],
      denied: ["ReceivableNotHolder"],
      call: (f, c) =>
        RR(f)
          .connect(c)
          .split(f.ids.held, [20_000n * UNIT, 30_000n * UNIT]),
    },
    "pay(uint256,uint256)": {
      // Only wallets bound to the buyer entity (a payment by anyone else could block or wash the receivable).
      allowed: ["buyer"],
      denied: ["ReceivableNotBuyerPayer"],
      call: (f, c) =>
        RR(f)
          .connect(c)
          .pay(f.ids.held, 1_000n * UNIT),
    },
    "withdraw(address,address)": {
      // Only what is credited to the caller: the supplier was paid on `credited`, nobody else has anything.
      allowed: ["supplier"],
      denied: ["ReceivableNothingToWithdraw"],
      call: (f, c) => RR(f).connect(c).withdraw(f.usd, c.address),
    },
    "markDefaulted(uint256)": {
      allowed: ["supplier"],
      denied: ["ReceivableNotHolder"],
      call: (f, c) => RR(f).connect(c).markDefaulted(f.ids.defaultable),
    },
    "freeze(uint256,bytes32)": {
      allowed: ["regulator"],
      denied: ["ReceivableNotRegulator"],
      call: (f, c) => RR(f).connect(c).freeze(f.ids.held, reason),
    },
    "unfreeze(uint256)": {
      allowed: ["regulator"],
      denied: ["ReceivableNotRegulator"],
      call: (f, c) => RR(f).connect(c).unfreeze(f.ids.frozen),
    },
    "pause()": {
      allowed: ["pauser"],
      denied: ["ReceivableUnauthorized"],
      call: (f, c) => RR(f).connect(c).pause(),
    },
    "unpause()": {
      // The guardian pauses at once; only the admin (behind the governance delay) unpauses.
      allowed: ["admin"],
      denied: ["ReceivableUnauthorized"],
      setup: (f) => RR(f).connect(f.signers.pauser).pause(),
      call: (f, c) => RR(f).connect(c).unpause(),
    },
    "setDefaultGracePeriod(uint32)": {
      allowed: ["admin"],
      denied: ["ReceivableUnauthorized"],
      call: (f, c) =>
        RR(f)
          .connect(c)
          .setDefaultGracePeriod(10 * DAY),
    },
    "approve(address,uint256)": {
      allowed: ["supplier"],
      denied: ["NotOwnerNorApproved"],
      call: (f, c) => RR(f).connect(c).approve(f.signers.bank.address, f.ids.held),
    },
    "setApprovalForAll(address,bool)": {
      // Every wallet manages its own operators.
      allowed: ALL,
      denied: [],
      call: (f, c) => RR(f).connect(c).setApprovalForAll(f.signers.outsider.address, true),
    },
    "transferFrom(address,address,uint256)": {
      allowed: ["supplier"],
      denied: ["NotOwnerNorApproved"],
      call: (f, c) => RR(f).connect(c).transferFrom(f.signers.supplier.address, f.signers.bank.address, f.ids.held),
    },
    "safeTransferFrom(address,address,uint256)": {
      allowed: ["supplier"],
      denied: ["NotOwnerNorApproved"],
      call: (f, c) =>
        RR(f)
          .connect(c)
          ["safeTransferFrom(address,address,uint256)"](f.signers.supplier.address, f.signers.bank.address, f.ids.held),
    },
    "safeTransferFrom(address,address,uint256,bytes)": {
      allowed: ["supplier"],
      denied: ["NotOwnerNorApproved"],
      call: (f, c) =>
        RR(f)
          .connect(c)
          ["safeTransferFrom(address,address,uint256,bytes)"](
            f.signers.supplier.address,
            f.signers.bank.address,
            f.ids.held,
            "0x",
          ),
    },
  },
  RiskEngine: {
    "setRating(bytes32,uint16,uint40)": {
      allowed: ["ratingAgent"],
      denied: ["RiskNotRatingAgent"],
      call: async (f, c) => f.riskEngine.connect(c).setRating(WORLD_ENTITIES.B2, 200, (await time.latest()) + 30 * DAY),
    },
    "setPoolRatingAgent(address,address)": {
      // Each pool chooses the agent it accepts: only the pool's owner (its bank's manager).
      allowed: ["bank"],
      denied: ["RiskNotPoolOwner"],
      call: async (f, c) =>
        f.riskEngine.connect(c).setPoolRatingAgent(await f.poolA.getAddress(), f.signers.ratingAgent.address),
    },
  },
  FinancingPool: {
    "setPolicy((uint16[5],uint16[4],uint16,uint16,uint16,uint8,uint8,uint32,uint128,uint128,uint128,bool))": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).setPolicy(standardPolicy(6)),
    },
    "setSupplierAutoCap(uint96,uint32)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).setSupplierAutoCap(100_000n * UNIT, 30 * DAY),
    },
    "deposit(uint256)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).deposit(1_000n * UNIT),
    },
    "withdrawLiquidity(uint256,address)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).withdrawLiquidity(1_000n * UNIT, c.address),
    },
    "approveRequest(uint256)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).approveRequest(f.ids.requested),
    },
    "rejectRequest(uint256,bytes32)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).rejectRequest(f.ids.requested, reason),
    },
    "expireRequest(uint256)": {
      // Anyone may release a request that can no longer be approved (here: its deadline has passed).
      allowed: ALL,
      denied: [],
      setup: async () => {
        await time.increase(400 * 86_400);
      },
      call: (f, c) => f.poolA.connect(c).expireRequest(f.ids.requested),
    },
    "writeOff(uint256)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).writeOff(f.ids.writeOff),
    },
    "transferOwnership(address)": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).transferOwnership(f.signers.outsider.address),
    },
    "acceptOwnership()": {
      // The pending owner; here the manager hands the pool to itself, so the manager is expected to accept.
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      setup: (f) => f.poolA.connect(f.signers.bank).transferOwnership(f.signers.bank.address),
      call: (f, c) => f.poolA.connect(c).acceptOwnership(),
    },
    "renounceOwnership()": {
      allowed: ["bank"],
      denied: ["OwnableUnauthorizedAccount"],
      call: (f, c) => f.poolA.connect(c).renounceOwnership(),
    },
    "finance(uint256,uint256,uint256,uint256)": {
      allowed: ["supplier"],
      denied: ["PoolNotHolder"],
      call: async (f, c) => f.poolA.connect(c).finance(f.ids.held, 0, ethers.MaxUint256, (await time.latest()) + DAY),
    },
    "collect(uint256)": {
      allowed: ALL,
      denied: [],
      call: (f, c) => f.poolA.connect(c).collect(f.ids.collectable),
    },
    "exerciseRecourse(uint256)": {
      allowed: ["supplier"],
      denied: ["PoolNotSupplier"],
      call: (f, c) => f.poolA.connect(c).exerciseRecourse(f.ids.recourse),
    },
    "withdrawReserve(address)": {
      allowed: ["supplier"],
      denied: ["PoolNothingToWithdraw"],
      call: (f, c) => f.poolA.connect(c).withdrawReserve(c.address),
    },
  },
};

/**
 * Issue 12, item 5: the same functions aimed at a regulator entity. Only the admin onboards or edits a regulator
 * (the onboarder included is refused), and only a regulator suspends or reinstates one.
 */
const REGULATOR_RULES: Record<string, Entry> = {
  "registerEntity with the REGULATOR role": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: async (f, c) =>
      P(f)
        .connect(c)
        .registerEntity(
          PROSPECT_ENTITIES[0],
          Role.REGULATOR,
          (await time.latest()) + 365 * DAY,
          f.prospects[0].address,
        ),
  },
  "setRoles granting REGULATOR": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: (f, c) =>
      P(f)
        .connect(c)
        .setRoles(WORLD_ENTITIES.B2, Role.BUYER | Role.REGULATOR),
  },
  "setRoles revoking REGULATOR": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: (f, c) => P(f).connect(c).setRoles(WORLD_ENTITIES.R, Role.FINANCIER),
  },
  "setKycExpiry of a regulator": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: async (f, c) =>
      P(f)
        .connect(c)
        .setKycExpiry(WORLD_ENTITIES.R, (await time.latest()) + DAY),
  },
  "addWallet to a regulator": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: (f, c) => P(f).connect(c).addWallet(WORLD_ENTITIES.R, f.prospects[1].address, false),
  },
  "removeWallet of a regulator": {
    allowed: ["admin"],
    denied: ["ParticipantRegulatorRequiresAdmin"],
    call: (f, c) => P(f).connect(c).removeWallet(f.signers.regulator.address),
  },
  "suspend a regulator": {
    allowed: ["regulator"],
    denied: ["ParticipantRegulatorRequiresRegulator", "ParticipantNotOnboarderOrRegulator"],
    setup: (f) =>
      P(f)
        .connect(f.signers.admin)
        .registerEntity(PROSPECT_ENTITIES[2], Role.REGULATOR, f.expiry, f.prospects[2].address),
    call: (f, c) => P(f).connect(c).suspend(PROSPECT_ENTITIES[2], reason),
  },
  "reinstate a regulator": {
    allowed: ["regulator"],
    denied: ["ParticipantRegulatorRequiresRegulator", "ParticipantNotOnboarderOrRegulator"],
    setup: async (f) => {
      await P(f)
        .connect(f.signers.admin)
        .registerEntity(PROSPECT_ENTITIES[2], Role.REGULATOR, f.expiry, f.prospects[2].address);
      await P(f).connect(f.signers.regulator).suspend(PROSPECT_ENTITIES[2], reason);
    },
    call: (f, c) => P(f).connect(c).reinstate(PROSPECT_ENTITIES[2]),
  },
};

function stateChanging(iface: Interface): string[] {
  const out: string[] = [];
  iface.forEachFunction((fn) => {
    if (fn.stateMutability !== "view" && fn.stateMutability !== "pure") out.push(fn.format("sighash"));
  });
  return out.sort();
}

function signerOf(f: F, role: RoleName): HardhatEthersSigner {
  return f.signers[role];
}

describe("Role matrix", () => {
  it("covers every state-changing function of the four contracts, and nothing else", async () => {
    for (const name of Object.keys(MATRIX)) {
      const abi = stateChanging(new EthersInterface((await artifacts.readArtifact(name)).abi));
      expect(Object.keys(MATRIX[name]).sort(), `${name} functions in the matrix`).to.deep.equal(abi);
    }
  });

  for (const [contract, entries] of Object.entries({
    ...MATRIX,
    "ParticipantRegistry, on a regulator": REGULATOR_RULES,
  })) {
    describe(contract, () => {
      for (const [signature, entry] of Object.entries(entries)) {
        const name = signature.split("(")[0];
        const refused = ROLES.filter((r) => !entry.allowed.includes(r));
        const who = entry.allowed.length === ROLES.length ? "every role" : entry.allowed.join(" and ");
        it(`${name}: ${who} may call it${refused.length ? `; ${refused.join(", ")} are refused with ${entry.denied.join(" or ")}` : ""}`, async () => {
          const results: string[] = [];
          for (const role of ROLES) {
            const f = await loadFixture(matrixFixture);
            if (entry.setup) await entry.setup(f);
            let outcome: string;
            try {
              await (await entry.call(f, signerOf(f, role))).wait();
              outcome = "success";
            } catch (e) {
              outcome = errorName(f.iface, e);
            }
            const expected = entry.allowed.includes(role) ? "success" : entry.denied;
            const ok = expected === "success" ? outcome === "success" : entry.denied.includes(outcome);
            if (!ok)
              results.push(
                `${role}: expected ${expected === "success" ? "success" : entry.denied.join("|")}, got ${outcome}`,
              );
          }
          expect(results, `${signature}`).to.deep.equal([]);
        });
      }
    });
  }

  it("refuses a renounceRole made on behalf of another account", async () => {
    const f = await loadFixture(matrixFixture);
    const role = await f.participants.PAUSER_ROLE();
    let outcome = "success";
    try {
      await f.participants.connect(f.signers.outsider).renounceRole(role, f.signers.pauser.address);
    } catch (e) {
      outcome = errorName(f.iface, e);
    }
    expect(outcome).to.equal("AccessControlBadConfirmation");
    expect(await f.participants.hasRole(role, f.signers.pauser.address)).to.equal(true);
  });

  it("refuses an acknowledgement signed by a wallet that is not the buyer's, whoever relays it", async () => {
    const f = await loadFixture(matrixFixture);
    const r = await f.lens.receivable(f.ids.submitted);
    const key = invoiceKey(WORLD_ENTITIES.S1, WORLD_ENTITIES.B1, numberHash(`MATRIX-${f.ids.submitted}`));
    const deadline = (await time.latest()) + 3600;
    for (const role of ROLES.filter((x) => x !== "buyer")) {
      const signer = signerOf(f, role);
      const sig = await signAck(f.receivables, signer, {
        id: f.ids.submitted,
        invoiceKey: key,
        amount: r.faceAmount,
        dueDate: r.dueDate,
        deadline,
      });
      let outcome = "success";
      try {
        await f.receivables.connect(f.signers.outsider).acknowledgeWithSig(f.ids.submitted, key, 0, deadline, sig);
      } catch (e) {
        outcome = errorName(f.iface, e);
      }
      expect(outcome, `signed by ${role}`).to.equal("ReceivableInvalidSigner");
    }
  });
});
