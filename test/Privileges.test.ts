/**
 * The privilege table (issue 14) keeps itself complete: it is parsed out of docs/GOVERNANCE.md, compared with
 * every TradeFin contract's ABI (a state-changing function missing from the table, or a row naming a function
 * that does not exist, fails), and each row's guard is checked on a governed deployment (timelock proposed by
 * a Safe): a `delayed` function answers only the timelock (or, for the timelock's own scheduling, the Safe),
 * and no `open` function is refused for want of a role.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { artifacts, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ErrorFragment, Interface, ParamType, ZeroAddress, ZeroHash } from "ethers";
import { governedFixture, type Governed } from "./shared/governance";

/** A compiled contract's interface, read from its artifact (a factory would need the registry's library linked). */
async function abiOf(name: string): Promise<Interface> {
  return new Interface((await artifacts.readArtifact(name)).abi);
}

const CONTRACTS = ["ParticipantRegistry", "ReceivableRegistry", "RiskEngine", "FinancingPool", "Timelock"] as const;
type ContractName = (typeof CONTRACTS)[number];
/** Contracts that must have no state-changing function at all. */
const VIEW_ONLY = ["ReceivableLens"];

const CLASSES = ["open", "operator", "delayed", "emergency"] as const;
type PrivilegeClass = (typeof CLASSES)[number];

/** Guards allowed for each class: a delayed function must be held by the timelock (or be its own proposer path). */
const GUARDS: Record<PrivilegeClass, string[]> = {
  open: ["anyone", "participant"],
  operator: ["onboarder", "rating agent", "regulator", "onboarder or regulator"],
  delayed: ["admin", "pool owner", "timelock", "proposer", "pending admin", "pending owner"],
  emergency: ["pauser", "regulator", "onboarder or regulator", "proposer"],
};

/** Errors that mean "you lack the role", for any of the contracts. */
const AUTHORIZATION_ERRORS = new Set([
  "AccessControlUnauthorizedAccount",
  "AccessControlInvalidDefaultAdmin",
  "OwnableUnauthorizedAccount",
  "ReceivableUnauthorized",
  "ReceivableNotRegulator",
  "RiskNotPoolOwner",
  "RiskNotRatingAgent",
  "ParticipantNotOnboarderOrRegulator",
  "TimelockUnauthorizedCaller",
]);

interface Row {
  contract: string;
  signature: string;
  cls: PrivilegeClass;
  guard: string;
  line: number;
}

/** The rows of the "Privilege table" section of docs/GOVERNANCE.md. */
function privilegeTable(): Row[] {
  const doc = readFileSync(path.join(__dirname, "..", "docs", "GOVERNANCE.md"), "utf8").split("\n");
  const start = doc.findIndex((l) => l.trim() === "## Privilege table");
  expect(start, "docs/GOVERNANCE.md has a '## Privilege table' section").to.be.greaterThan(-1);
  const rows: Row[] = [];
  for (let i = start + 1; i < doc.length && !doc[i].startsWith("## "); i++) {
    const m = /^\|\s*(\w+)\s*\|\s*`([^`]+)`\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|\s*$/.exec(doc[i]);
    if (!m) continue;
    rows.push({ contract: m[1], signature: m[2], cls: m[3] as PrivilegeClass, guard: m[4], line: i + 1 });
  }
  return rows;
}

function stateChanging(iface: Interface): string[] {
  const out: string[] = [];
  iface.forEachFunction((fn) => {
    if (fn.stateMutability !== "view" && fn.stateMutability !== "pure") out.push(fn.format("sighash"));
  });
  return out.sort();
}

/** A harmless value of a parameter type (bytes32 is a real role id, so no function refuses it as DEFAULT_ADMIN_ROLE). */
function dummy(p: ParamType): unknown {
  if (p.baseType === "array") {
    return p.arrayLength !== null && p.arrayLength >= 0
      ? Array.from({ length: p.arrayLength }, () => dummy(p.arrayChildren!))
      : [];
  }
  if (p.baseType === "tuple") return p.components!.map(dummy);
  if (p.type === "address") return ZeroAddress;
  if (p.type === "bool") return false;
  if (p.type === "bytes32") return ethers.id("ONBOARDER_ROLE");
  if (p.type.startsWith("bytes")) return p.type === "bytes" ? "0x" : ZeroHash.slice(0, 2 + 2 * Number(p.type.slice(5)));
  return 0n;
}

/** Every custom error of the five contracts, to name a revert. */
async function allErrors(): Promise<Interface> {
  const seen = new Map<string, ErrorFragment>();
  for (const name of CONTRACTS) {
    (await abiOf(name)).forEachError((e) => seen.set(e.selector, e));
  }
  return new Interface([...seen.values()]);
}

/** The custom error an eth_call from `from` reverts with, "success", or "revert" when it carries no known error. */
async function outcome(errors: Interface, from: string, to: string, data: string): Promise<string> {
  try {
    await ethers.provider.call({ from, to, data });
    return "success";
  } catch (e) {
    const revert = (e as { data?: string }).data;
    if (revert && revert.length >= 10) {
      const parsed = errors.parseError(revert);
      if (parsed) return parsed.name;
    }
    return "revert";
  }
}

/** The call used for a row: dummy arguments, with the pool address where the function needs a real pool. */
function callData(f: Governed, iface: Interface, signature: string, pool: string): string {
  const fn = iface.getFunction(signature)!;
  const args = fn.inputs.map(dummy);
  if (signature === "setPoolRatingAgent(address,address)") args[0] = pool;
  return iface.encodeFunctionData(fn, args);
}

describe("Privilege table (docs/GOVERNANCE.md)", () => {
  it("lists every state-changing function of every TradeFin contract, once, and nothing else", async () => {
    const rows = privilegeTable();
    const problems: string[] = [];
    for (const r of rows) {
      if (!(CONTRACTS as readonly string[]).includes(r.contract))
        problems.push(`line ${r.line}: unknown contract ${r.contract}`);
      if (!CLASSES.includes(r.cls)) problems.push(`line ${r.line}: unknown class "${r.cls}"`);
      else if (!GUARDS[r.cls].includes(r.guard))
        problems.push(`line ${r.line}: guard "${r.guard}" does not fit class ${r.cls} (${GUARDS[r.cls].join(", ")})`);
    }
    for (const name of CONTRACTS) {
      const abi = stateChanging(await abiOf(name));
      const listed = rows.filter((r) => r.contract === name).map((r) => r.signature);
      for (const fn of abi.filter((s) => !listed.includes(s))) problems.push(`${name}.${fn} is not in the table`);
      for (const fn of listed.filter((s) => !abi.includes(s)))
        problems.push(`${name}.${fn} is in the table but not in the ABI`);
      for (const fn of listed.filter((s, i) => listed.indexOf(s) !== i)) problems.push(`${name}.${fn} is listed twice`);
    }
    for (const name of VIEW_ONLY) {
      const abi = stateChanging(await abiOf(name));
      if (abi.length) problems.push(`${name} has state-changing functions: ${abi.join(", ")}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it("holds on a governed deployment: delayed functions answer only the timelock, open ones refuse nobody for a role", async () => {
    const f = await loadFixture(governedFixture);
    const errors = await allErrors();
    const pool = await f.pool.getAddress();
    const addresses: Record<ContractName, string> = {
      ParticipantRegistry: await f.participants.getAddress(),
      ReceivableRegistry: await f.receivables.getAddress(),
      RiskEngine: await f.riskEngine.getAddress(),
      FinancingPool: pool,
      Timelock: f.timelockAddress,
    };
    const interfaces = Object.fromEntries(
      await Promise.all(CONTRACTS.map(async (n) => [n, await abiOf(n)] as const)),
    ) as Record<ContractName, Interface>;
    const others = [f.deployer.address, f.owners[0].address, f.outsider.address, f.bankKey.address];
    const problems: string[] = [];
    let checked = 0;
    for (const r of privilegeTable()) {
      const name = r.contract as ContractName;
      const to = addresses[name];
      const data = callData(f, interfaces[name], r.signature, pool);
      const holder =
        r.guard === "proposer"
          ? f.safe
          : r.cls === "delayed"
            ? f.timelockAddress
            : r.guard === "pauser"
              ? f.guardian.address
              : undefined;
      if (r.cls === "open") {
        const got = await outcome(errors, f.outsider.address, to, data);
        if (AUTHORIZATION_ERRORS.has(got))
          problems.push(`${name}.${r.signature} is listed open but refuses an outsider: ${got}`);
        checked++;
        continue;
      }
      // Not open: every other account is refused for want of the role.
      const refusedCallers = r.guard === "proposer" ? [...others, f.timelockAddress] : [...others, f.safe];
      for (const from of refusedCallers) {
        const got = await outcome(errors, from, to, data);
        if (!AUTHORIZATION_ERRORS.has(got))
          problems.push(`${name}.${r.signature} from ${from}: expected a role refusal, got ${got}`);
      }
      // The holder passes the role check ("pending" guards accept only a nominee, which there is none of here).
      if (holder && !r.guard.startsWith("pending")) {
        const got = await outcome(errors, holder, to, data);
        if (AUTHORIZATION_ERRORS.has(got))
          problems.push(`${name}.${r.signature} from its holder (${r.guard}): refused with ${got}`);
      }
      checked++;
    }
    expect(problems).to.deep.equal([]);
    expect(checked).to.be.greaterThan(60);
  });
});
