/**
 * Model-based fuzzing of TradeFin (issue #8): random sequences of operations by random actors, outsiders
 * included, run against the model in ./model.ts and against the chain; the outcome of every step must match
 * the model's prediction (success, or the same custom error), and the invariants of docs/INVARIANTS.md are
 * checked after every step (./invariants.ts).
 *
 * Environment: FUZZ_RUNS (sequences, default 200), FUZZ_STEPS (steps per sequence, default 30), FUZZ_SEED
 * (default fixed, so the suite is reproducible; "random" draws a new one),
 * FUZZ_PATH (replay one failing case: both are printed on failure), FUZZ_SHRINK=0 to skip shrinking.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { errorInterface } from "./errors";
import { worldFixture, WORLD_ENTITIES, type World } from "./world";
import { commandArb, fmt, prologue, runCommand, PROFILE, type Actor, type Cmd, type Ctx } from "./commands";
import { checkAll, type ChainView } from "./invariants";
import { runs } from "../shared/runs";
import type { PoolState, State } from "./model";

// Under `hardhat coverage` a tenth of the sequences (coverage wants branches, not a second search).
const RUNS = Number(process.env.FUZZ_RUNS ?? runs(200));
const STEPS = Number(process.env.FUZZ_STEPS ?? 30);
// A fixed seed by default, so that `npm test` (and CI) is reproducible; FUZZ_SEED=random searches afresh
// (`npm run fuzz`), and the seed it drew is printed with the result.
const DEFAULT_SEED = 20261127;
const SEED =
  process.env.FUZZ_SEED === "random"
    ? (Date.now() ^ 0x5eed) | 0
    : process.env.FUZZ_SEED !== undefined
      ? Number(process.env.FUZZ_SEED)
      : DEFAULT_SEED;
const PATH = process.env.FUZZ_PATH;
const SHRINK = process.env.FUZZ_SHRINK !== "0";

/** The model's starting state, read from the freshly deployed world. */
async function initialState(w: World): Promise<{ state: State; actors: Actor[]; byAddress: Map<string, Actor> }> {
  const lc = (a: string) => a.toLowerCase();
  const state: State = {
    now: await time.latest(),
    entities: new Map(),
    wallets: new Map(),
    entityCount: Number(await w.participants.entityCount()),
    admins: new Set([lc(w.signers.admin.address)]),
    onboarders: new Set([lc(w.signers.onboarder.address)]),
    pausers: new Set([lc(w.signers.pauser.address)]),
    ratingAgents: new Set([lc(w.signers.ratingAgent.address)]),
    eoas: new Set(w.eoas.map((e) => lc(e.address))),
    receivables: new Map(),
    lastId: 0,
    keys: new Map(),
    buyers: new Map(),
    sellers: new Map(),
    claimable: new Map(),
    paused: false,
    revoked: new Map(),
    defaultedRoots: new Set(),
    ratings: new Map(),
    pools: [],
    grace: Number(await w.lens.defaultGracePeriod()),
    paidIn: 0n,
    withdrawn: 0n,
    receiver: lc(await w.receiver.getAddress()),
    quotes: new Map(),
    lastSig: null,
  };
  for (const id of Object.values(WORLD_ENTITIES)) {
    const e = await w.participants.entity(id);
    state.entities.set(id, {
      id,
      index: Number(e.index),
      roles: Number(e.roles),
      suspension: Number(e.suspension),
      kycExpiry: Number(e.kycExpiry),
    });
  }
  const candidates = [
    ...w.eoas.map((e) => e.address),
    await w.receiver.getAddress(),
    await w.poolA.getAddress(),
    await w.poolB.getAddress(),
  ];
  for (const a of candidates) {
    const id = await w.participants.entityOf(a);
    if (id !== ethers.ZeroHash) state.wallets.set(lc(a), id);
  }
  const pools: [string, typeof w.poolA, string][] = [
    ["A", w.poolA, w.signers.bank.address],
    ["B", w.poolB, w.signers.bankB.address],
  ];
  for (const [i, [name, pool, manager]] of pools.entries()) {
    const p: PoolState = {
      name,
      address: lc(await pool.getAddress()),
      manager: lc(manager),
      policy: w.policies[i],
      liquidity: await pool.liquidity(),
      outstanding: 0n,
      fees: 0n,
      losses: 0n,
      deposits: await pool.totalDeposits(),
      withdrawals: 0n,
      committed: 0n,
      exposure: new Map(),
      reserves: new Map(),
      financings: new Map(),
      requests: new Map(),
      advancedOnRoot: new Map(),
      supplierCap: 0n,
      capPeriod: 0n,
      autoWindows: new Map(),
      balance: await w.usd.balanceOf(await pool.getAddress()),
    };
    state.pools.push(p);
  }
  const s = w.signers;
  const named: [string, typeof s.admin][] = [
    ["admin", s.admin],
    ["onboarder", s.onboarder],
    ["pauser", s.pauser],
    ["ratingAgent", s.ratingAgent],
    ["supplier", s.supplier],
    ["supplier2", s.supplier2],
    ["tier2", s.tier2],
    ["buyer", s.buyer],
    ["buyer2", s.buyer2],
    ["buyerB", s.buyerB],
    ["bank", s.bank],
    ["bankB", s.bankB],
    ["regulator", s.regulator],
    ["outsider", s.outsider],
    ...w.prospects.map((p, i) => [`prospect${i}`, p] as [string, typeof s.admin]),
  ];
  const actors: Actor[] = named.map(([name, signer]) => ({
    name,
    address: lc(signer.address),
    signer,
    isReceiver: false,
  }));
  actors.push({ name: "receiver", address: state.receiver, signer: s.receiverOwner, isReceiver: true });
  const byAddress = new Map(actors.map((a) => [a.address, a]));
  byAddress.set(lc(s.receiverOwner.address), {
    name: "receiverOwner",
    address: lc(s.receiverOwner.address),
    signer: s.receiverOwner,
    isReceiver: false,
  });
  for (const p of state.pools)
    byAddress.set(p.address, { name: `pool${p.name}`, address: p.address, signer: s.outsider, isReceiver: false });
  return { state, actors, byAddress };
}

describe("Invariants under random operation sequences", function () {
  it(`keeps every invariant and matches the model over ${RUNS} random sequences of ${STEPS} operations`, async function () {
    this.timeout(0);
    const world = await loadFixture(worldFixture);
    const iface = await errorInterface();
    const { state: initial, actors, byAddress } = await initialState(world);
    const view: ChainView = {
      world,
      registryAddress: await world.receivables.getAddress(),
      usdAddress: await world.usd.getAddress(),
      pools: [world.poolA, world.poolB],
      poolAddresses: [(await world.poolA.getAddress()).toLowerCase(), (await world.poolB.getAddress()).toLowerCase()],
      holders: [...byAddress.keys()],
    };
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const stats = {
      ok: new Map<string, number>(),
      failed: new Map<string, number>(),
      reasons: new Map<string, number>(),
      scenarios: new Map<string, number>(),
    };
    const opening: Ctx = {
      view,
      world,
      state: initial,
      actors,
      byAddress,
      iface,
      chainId,
      basePolicies: world.policies,
      log: [],
      stats,
    };
    await prologue(opening);
    const start = opening.state;
    const openingLog = opening.log;
    stats.ok.clear();
    const base = await takeSnapshot();
    const started = Date.now();

    const property = fc.asyncProperty(
      fc.array(fc.option(commandArb, { freq: 10_000, nil: null }), { minLength: STEPS, maxLength: STEPS }),
      async (cmds: (Cmd | null)[]) => {
        const t = Date.now();
        await base.restore();
        PROFILE.restore += Date.now() - t;
        const ctx: Ctx = {
          view,
          world,
          state: structuredClone(start),
          actors,
          byAddress,
          iface,
          chainId,
          basePolicies: world.policies,
          log: [...openingLog],
          stats,
        };
        let i = 0;
        try {
          for (const cmd of cmds) {
            i += 1;
            if (cmd) await runCommand(ctx, cmd);
          }
          const t = Date.now();
          await checkAll(view, ctx.state);
          PROFILE.all += Date.now() - t;
        } catch (e) {
          const steps = ctx.log.map((l, k) => `  ${String(k + 1).padStart(2)}. ${l}`).join("\n");
          const msg = e instanceof Error ? (process.env.FUZZ_STACK ? String(e.stack) : e.message) : String(e);
          throw new Error(`${msg}\n  at command ${i}: ${fmt(cmds[i - 1])}\n  steps run:\n${steps}`);
        }
      },
    );

    const details = await fc.check(property, {
      numRuns: RUNS,
      seed: SEED,
      path: PATH,
      endOnFailure: !SHRINK,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (details.failed) {
      const reproduce = `FUZZ_SEED=${details.seed} FUZZ_PATH="${details.counterexamplePath}" npx hardhat test test/invariants/Invariants.test.ts`;
      console.log(
        `\n  Fuzzing failed after ${details.numRuns} runs (${seconds} s). Reproduce with:\n    ${reproduce}\n`,
      );
      throw new Error(
        `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n  Reproduce with: ${reproduce}`,
      );
    }

    const kinds = [...new Set([...stats.ok.keys(), ...stats.failed.keys()])].sort();
    console.log(`\n  ${details.numRuns} sequences × ${STEPS} steps in ${seconds} s (seed ${SEED})`);
    for (const k of kinds)
      console.log(
        `    ${k.padEnd(20)} ok ${String(stats.ok.get(k) ?? 0).padStart(5)}   reverted ${String(stats.failed.get(k) ?? 0).padStart(5)}`,
      );
    if (process.env.FUZZ_VERBOSE) {
      console.log(`    profile (ms): ${fmt(PROFILE)}`);
      for (const [k, n] of [...stats.reasons].sort()) console.log(`    revert: ${k.padEnd(50)} ${n}`);
    }
    for (const [k, n] of stats.scenarios) console.log(`    scenario: ${k.padEnd(28)} ${n}`);

    if (PATH === undefined && RUNS >= 100) {
      // The run only proves something if it reached the deep states: each operation succeeded somewhere.
      const mustSucceed = [
        "submit",
        "submitAcknowledged",
        "acknowledge",
        "acknowledgeWithSig",
        "reject",
        "cancel",
        "transfer",
        "split",
        "pay",
        "withdraw",
        "markDefaulted",
        "freeze",
        "unfreeze",
        "pause",
        "unpause",
        "finance",
        "approveRequest",
        "expireRequest",
        "collect",
        "writeOff",
        "exerciseRecourse",
        "register",
        "setRating",
        "revokeAcknowledgementNonces",
      ];
      for (const k of mustSucceed) expect(stats.ok.get(k) ?? 0, `successful ${k} steps`).to.be.greaterThan(0);
      for (const k of [
        "pay while paused",
        "pay while frozen",
        "pay to reverting holder",
        "pay after default",
        "pay by non-buyer refused",
      ]) {
        expect(stats.scenarios.get(k) ?? 0, `scenario "${k}"`).to.be.greaterThan(0);
      }
    }
  });
});
