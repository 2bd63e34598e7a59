import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  AccessRole,
  BPS,
  DAYS_PER_YEAR,
  FINANCING_STATUS_NAMES,
  FinancingStatus,
  GRADES,
  Role,
  STATUS_NAMES,
  Status,
} from "../../src/pure/constants";
import { deployCoreFixture } from "../shared/fixtures";

const ROOT = join(__dirname, "..", "..");
const source = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The members of `enum <name> { … }` in a Solidity file, in declaration order. */
function solidityEnum(path: string, name: string): string[] {
  const body = new RegExp(`enum ${name}\\s*\\{([^}]*)\\}`).exec(source(path));
  expect(body, `enum ${name} in ${path}`).to.not.equal(null);
  return body![1]
    .replace(/\/\/[^\n]*/g, "")
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
}

/** The value of `<type> internal constant <name> = <value>;` in a Solidity file. */
function solidityConstant(path: string, name: string): string {
  const m = new RegExp(`constant ${name}\\s*=\\s*([^;]+);`).exec(source(path));
  expect(m, `${name} in ${path}`).to.not.equal(null);
  return m![1].trim();
}

/** Every .ts file under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("constants", () => {
  it("numbers the statuses, financing statuses and grades as the Solidity enums do", () => {
    expect(STATUS_NAMES).to.deep.equal(solidityEnum("contracts/interfaces/IReceivableRegistry.sol", "Status"));
    expect(Object.keys(Status)).to.deep.equal([...STATUS_NAMES]);
    expect(FINANCING_STATUS_NAMES).to.deep.equal(
      solidityEnum("contracts/interfaces/IFinancingPool.sol", "FinancingStatus"),
    );
    expect(Object.keys(FinancingStatus)).to.deep.equal([...FINANCING_STATUS_NAMES]);
    expect([...GRADES]).to.deep.equal(solidityEnum("contracts/interfaces/IRiskEngine.sol", "Grade"));
  });

  it("has the role bits of contracts/libraries/Roles.sol and the scorecard's units of RiskMath", () => {
    for (const [name, bit] of Object.entries(Role)) {
      expect(Number(solidityConstant("contracts/libraries/Roles.sol", name)), name).to.equal(bit);
    }
    expect(BigInt(solidityConstant("contracts/libraries/RiskMath.sol", "BPS").replace(/_/g, ""))).to.equal(BPS);
    expect(BigInt(solidityConstant("contracts/libraries/RiskMath.sol", "DAYS_PER_YEAR"))).to.equal(DAYS_PER_YEAR);
  });

  it("has the access-control role ids the deployed participant registry uses", async () => {
    const { participants } = await loadFixture(deployCoreFixture);
    expect(AccessRole.DEFAULT_ADMIN_ROLE).to.equal(await participants.DEFAULT_ADMIN_ROLE());
    expect(AccessRole.ONBOARDER_ROLE).to.equal(await participants.ONBOARDER_ROLE());
    expect(AccessRole.PAUSER_ROLE).to.equal(await participants.PAUSER_ROLE());
    expect(AccessRole.RATING_AGENT_ROLE).to.equal(await participants.RATING_AGENT_ROLE());
  });

  it("is the only place src/, tasks/ and scripts/lib/ define a day, basis points or a status enum", () => {
    const definition = /\b(?:const|let|var)\s+(DAY|HOUR|YEAR|BPS|DAY_SECONDS|Status|FinancingStatus|Role|GRADES)\s*=/;
    const offenders: string[] = [];
    for (const file of [...tsFiles("src"), ...tsFiles("tasks"), ...tsFiles("scripts/lib")]) {
      if (relative("src", file) === join("pure", "constants.ts")) continue;
      source(file)
        .split("\n")
        .forEach((line, i) => {
          if (definition.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).to.deep.equal([]);
  });
});
