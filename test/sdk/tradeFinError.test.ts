import { expect } from "chai";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { TradeFinError, isTradeFinError } from "../../src/pure/tradeFinError";
import { MoneyError, parseAmount } from "../../src/pure/money";
import { RiskPolicyError } from "../../src/pure/risk";
import { TaskInputError, explainFailure, parseId } from "../../tasks/lib/cli";

const ROOT = join(__dirname, "..", "..");

/** Every .ts module under `dir` (recursively), as absolute paths. */
function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every exported class of the SDK and the task library whose name ends in "Error", by "file:name". */
function exportedErrorClasses(): Map<string, new (...args: never[]) => unknown> {
  const found = new Map<string, new (...args: never[]) => unknown>();
  for (const file of [...modules(join(ROOT, "src")), ...modules(join(ROOT, "tasks", "lib"))]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === "function" && /Error$/.test(name) && value.prototype instanceof Error) {
        found.set(`${relative(ROOT, file)}:${name}`, value as new (...args: never[]) => unknown);
      }
    }
  }
  return found;
}

describe("TradeFinError", () => {
  it("keeps the short message as the message and carries details and cause beside it", () => {
    const cause = new RangeError("low-level");
    const err = new TradeFinError("the amount is not a number", { details: { line: 7 }, cause });
    expect(err.message).to.equal("the amount is not a number");
    expect(err.shortMessage).to.equal(err.message);
    expect(err.details).to.deep.equal({ line: 7 });
    expect(err.cause).to.equal(cause);
    expect(err.name).to.equal("TradeFinError");
    expect(err).to.be.instanceOf(Error);
  });

  it("leaves details and cause undefined when not given", () => {
    const err = new TradeFinError("plain");
    expect(err.details).to.equal(undefined);
    expect(err.cause).to.equal(undefined);
    expect("cause" in err).to.equal(false);
  });

  it("gives each subclass a fixed name that survives its use", () => {
    expect(new TaskInputError("x").name).to.equal("TaskInputError");
    expect(new RiskPolicyError("baseRateBps").name).to.equal("RiskPolicyError");
    expect(() => parseAmount("1.2.3", 6))
      .to.throw(MoneyError)
      .with.property("name", "MoneyError");
  });

  it("walks the cause chain to the first match or to the root", () => {
    const root = new Error("socket hang up");
    const middle = new TradeFinError("the node did not answer", { cause: root });
    const outer = new TradeFinError("deploy failed", { cause: middle });
    expect(outer.walk()).to.equal(root);
    expect(outer.walk((e) => e instanceof TradeFinError && e !== outer)).to.equal(middle);
    expect(outer.walk((e) => e === "nothing")).to.equal(undefined);
  });

  it("is recognised by isTradeFinError but not plain errors or look-alikes", () => {
    expect(isTradeFinError(new MoneyError("bad"))).to.equal(true);
    expect(isTradeFinError(new Error("bad"))).to.equal(false);
    expect(isTradeFinError({ name: "MoneyError", message: "bad" })).to.equal(false);
    expect(isTradeFinError(undefined)).to.equal(false);
  });

  it("is the base of every error class exported from src/ and tasks/lib/", () => {
    const classes = exportedErrorClasses();
    expect(classes.size, "error classes found").to.be.greaterThan(9);
    const strays = [...classes]
      .filter(([, cls]) => cls !== TradeFinError && !(cls.prototype instanceof TradeFinError))
      .map(([n]) => n);
    expect(strays, "error classes that do not extend TradeFinError").to.deep.equal([]);
  });

  it("gives every SDK error class its own name rather than the base's", () => {
    const named = [...exportedErrorClasses()]
      .filter(([, cls]) => cls !== TradeFinError)
      .map(([key, cls]) => [key, (Object.create(cls.prototype) as Error).constructor.name] as const);
    for (const [key, className] of named) {
      const cls = exportedErrorClasses().get(key)!;
      // Construct with a sentence; RiskPolicyError takes a field name, which reads as one as well.
      const instance = new (cls as unknown as new (m: string) => Error)("a sentence");
      expect(instance.name, key).to.equal(className);
    }
  });

  it("lets a task print any SDK error's sentence as it is, with its details", async () => {
    const explained = await explainFailure(new RiskPolicyError("maxTenorDays"), undefined);
    expect(explained).to.deep.equal({ name: "RiskPolicyError", message: "invalid risk policy: maxTenorDays" });
    let thrown: unknown;
    try {
      parseId("12a");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(TaskInputError);
    expect((await explainFailure(thrown, undefined)).message).to.equal('--id must be a whole number, got "12a"');
  });
});
