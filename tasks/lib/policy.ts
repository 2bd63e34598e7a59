/**
 * Risk policies as JSON files a credit officer can read and edit: rates in basis points, grades by
 * letter, money limits as decimal strings in the pool's token units. Missing fields take the values of
 * the standard policy (src/pure/policy.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { standardPolicy } from "../../src/pure/policy";
import { GRADES, type RiskPolicy } from "../../src/pure/risk";
import { formatAmount, parseAmount } from "../../src/pure/money";
import { TaskInputError } from "./cli";

/** The JSON form of a policy. */
export interface PolicyJson {
  advanceRateBps: number[];
  gradeMaxPdBps: number[];
  baseRateBps: number;
  lgdBps: number;
  unratedPdBps: number;
  minGrade: string;
  maxBuyerDefaults: number;
  maxTenorDays: number;
  buyerExposureLimit: string;
  totalExposureLimit: string;
  autoApprovalLimit: string;
  recourse: boolean;
}

/** A policy as JSON in token units. */
export function policyToJson(p: RiskPolicy, decimals: number): PolicyJson {
  const money = (v: bigint) => formatAmount(v, decimals, { grouping: false });
  return {
    advanceRateBps: p.advanceRateBps.map(Number),
    gradeMaxPdBps: p.gradeMaxPdBps.map(Number),
    baseRateBps: Number(p.baseRateBps),
    lgdBps: Number(p.lgdBps),
    unratedPdBps: Number(p.unratedPdBps),
    minGrade: GRADES[Number(p.minGrade)] ?? String(p.minGrade),
    maxBuyerDefaults: Number(p.maxBuyerDefaults),
    maxTenorDays: Number(p.maxTenorDays),
    buyerExposureLimit: money(p.buyerExposureLimit),
    totalExposureLimit: money(p.totalExposureLimit),
    autoApprovalLimit: money(p.autoApprovalLimit),
    recourse: p.recourse,
  };
}

/** Parses a policy JSON document (see {@link PolicyJson}); unknown fields are refused. */
export function policyFromJson(data: unknown, decimals: number, where = "policy"): RiskPolicy {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TaskInputError(`${where} must be a JSON object`);
  }
  const d = data as Record<string, unknown>;
  const base = standardPolicy(decimals);
  const known = new Set(Object.keys(base));
  for (const k of Object.keys(d)) if (!known.has(k)) throw new TaskInputError(`${where}: unknown field "${k}"`);
  const int = (k: string, v: unknown): bigint => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
      throw new TaskInputError(`${where}: ${k} must be a whole number`);
    return BigInt(v);
  };
  const list = (k: string, v: unknown, n: number): bigint[] => {
    if (!Array.isArray(v) || v.length !== n) throw new TaskInputError(`${where}: ${k} must be a list of ${n} numbers`);
    return v.map((x, i) => int(`${k}[${i}]`, x));
  };
  const money = (k: string, v: unknown): bigint => {
    try {
      return parseAmount(String(v), decimals);
    } catch (err) {
      throw new TaskInputError(`${where}: ${k}: ${(err as Error).message}`);
    }
  };
  const grade = (v: unknown): bigint => {
    const i = typeof v === "number" ? v : GRADES.indexOf(String(v).toUpperCase() as (typeof GRADES)[number]);
    if (!Number.isInteger(i) || i < 0 || i > 4) throw new TaskInputError(`${where}: minGrade must be A, B, C, D or E`);
    return BigInt(i);
  };
  const has = (k: string) => d[k] !== undefined;
  if (has("recourse") && typeof d.recourse !== "boolean")
    throw new TaskInputError(`${where}: recourse must be true or false`);
  return {
    advanceRateBps: has("advanceRateBps")
      ? (list("advanceRateBps", d.advanceRateBps, 5) as RiskPolicy["advanceRateBps"])
      : base.advanceRateBps,
    gradeMaxPdBps: has("gradeMaxPdBps")
      ? (list("gradeMaxPdBps", d.gradeMaxPdBps, 4) as RiskPolicy["gradeMaxPdBps"])
      : base.gradeMaxPdBps,
    baseRateBps: has("baseRateBps") ? int("baseRateBps", d.baseRateBps) : base.baseRateBps,
    lgdBps: has("lgdBps") ? int("lgdBps", d.lgdBps) : base.lgdBps,
    unratedPdBps: has("unratedPdBps") ? int("unratedPdBps", d.unratedPdBps) : base.unratedPdBps,
    minGrade: has("minGrade") ? grade(d.minGrade) : base.minGrade,
    maxBuyerDefaults: has("maxBuyerDefaults") ? int("maxBuyerDefaults", d.maxBuyerDefaults) : base.maxBuyerDefaults,
    maxTenorDays: has("maxTenorDays") ? int("maxTenorDays", d.maxTenorDays) : base.maxTenorDays,
    buyerExposureLimit: has("buyerExposureLimit")
      ? money("buyerExposureLimit", d.buyerExposureLimit)
      : base.buyerExposureLimit,
    totalExposureLimit: has("totalExposureLimit")
      ? money("totalExposureLimit", d.totalExposureLimit)
      : base.totalExposureLimit,
    autoApprovalLimit: has("autoApprovalLimit")
      ? money("autoApprovalLimit", d.autoApprovalLimit)
      : base.autoApprovalLimit,
    recourse: has("recourse") ? (d.recourse as boolean) : base.recourse,
  };
}

/** Reads a policy JSON file. */
export function readPolicyFile(path: string, decimals: number): RiskPolicy {
  let data: unknown;
  if (!existsSync(path)) throw new TaskInputError(`the policy file ${resolve(path)} does not exist`);
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new TaskInputError(`cannot read the policy ${path}: ${(err as Error).message}`);
  }
  return policyFromJson(data, decimals, path);
}
