import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";

// Every external function of the four interfaces documents each parameter (`@param name`) and each returned
// value (`@return`, `@return name` when the value is named), as morpho-blue's IMorpho does. solc only checks
// that a `@param` names a real parameter, never that one is missing: this test does.

const INTERFACES = ["IFinancingPool", "IParticipantRegistry", "IReceivableRegistry", "IRiskEngine"];

interface FunctionDoc {
  file: string;
  name: string;
  params: string[];
  returns: (string | undefined)[];
  doc: string;
}

/** Splits a parameter list at its top-level commas (no nested parentheses in these interfaces). */
function splitList(list: string): string[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The name of `type [location] name`, or undefined when the entry is a bare type. */
function entryName(entry: string): string | undefined {
  const words = entry.split(/\s+/);
  if (words.length < 2) return undefined;
  const last = words[words.length - 1];
  return ["memory", "calldata", "storage"].includes(last) ? undefined : last;
}

function functionsOf(file: string): FunctionDoc[] {
  const source = readFileSync(path.join(__dirname, "..", "contracts", "interfaces", `${file}.sol`), "utf8");
  const found: FunctionDoc[] = [];
  const re = /function\s+(\w+)\s*\(([^)]*)\)([^;{]*)[;{]/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    // The NatSpec is the run of `///` lines right above the line the declaration starts on.
    const before = source.slice(0, m.index).split("\n");
    before.pop(); // indentation of the declaration line
    const docLines: string[] = [];
    while (before.length > 0 && before[before.length - 1].trim().startsWith("///")) {
      docLines.unshift(before.pop()!.trim());
    }
    const returnsMatch = /returns\s*\(([^)]*)\)/.exec(m[3]);
    found.push({
      file,
      name: m[1],
      params: splitList(m[2]).map((p) => entryName(p) ?? "<unnamed>"),
      returns: returnsMatch ? splitList(returnsMatch[1]).map(entryName) : [],
      doc: docLines.join("\n"),
    });
  }
  return found;
}

/** What is missing from one function's NatSpec (empty when complete). */
function missing(f: FunctionDoc): string[] {
  const gaps: string[] = [];
  if (!/@notice\s/.test(f.doc)) gaps.push("@notice");
  for (const p of f.params) {
    if (!new RegExp(`@param\\s+${p}\\s`).test(f.doc)) gaps.push(`@param ${p}`);
  }
  const returnTags = [...f.doc.matchAll(/@return\s+(\w+)/g)].map((r) => r[1]);
  if (f.returns.includes(undefined) && returnTags.length < f.returns.length) {
    gaps.push(`@return (${returnTags.length} of ${f.returns.length})`);
  }
  for (const r of f.returns) {
    if (r !== undefined && !returnTags.includes(r)) gaps.push(`@return ${r}`);
  }
  return gaps;
}

describe("NatSpec of the interfaces", function () {
  const all = INTERFACES.flatMap(functionsOf);

  it("finds the external functions of the four interfaces", function () {
    for (const file of INTERFACES) {
      expect(all.filter((f) => f.file === file).length, file).to.be.greaterThan(5);
    }
  });

  it("documents every parameter with @param and every returned value with @return", function () {
    const gaps = all
      .map((f) => ({ f, gaps: missing(f) }))
      .filter((x) => x.gaps.length > 0)
      .map((x) => `${x.f.file}.${x.f.name}: missing ${x.gaps.join(", ")}`);
    expect(gaps, `functions with incomplete NatSpec:\n  ${gaps.join("\n  ")}\n`).to.deep.equal([]);
  });
});
