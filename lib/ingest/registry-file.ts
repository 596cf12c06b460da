/**
 * Reading and writing units.csv: the registry file as units type it (any encoding the return files
 * may use, 中文 or English headers), with every invariant checked before a Registry is built.
 */

import { contactProblem, Registry, type Unit, unitCodeProblem } from "../domain/registry.ts";
import { cleanCell, normaliseHeader } from "../domain/text.ts";
import { EncodingProblem } from "../errors.ts";
import { formatCsv, parseCsvText } from "./csv.ts";
import { decodeBytes } from "./decode.ts";
import { excerpt } from "./issues.ts";

export interface RegistryProblem {
  /** Spreadsheet row (header = 1); 0 for problems of the whole registry. */
  readonly row: number;
  readonly code: string;
  readonly message: string;
}

const HEADER_ALIASES: Record<
  "code" | "name" | "parent_code" | "contact" | "mobile" | "email",
  readonly string[]
> = {
  code: ["单位代码", "code", "unit_code", "组织代码"],
  name: ["单位名称", "name", "unit_name", "组织名称"],
  parent_code: ["上级单位代码", "parent_code", "parent", "上级代码"],
  // Optional: who the 催报 reminders name.
  contact: ["联系人", "contact", "contact_name"],
  mobile: ["手机", "手机号码", "联系电话", "mobile", "phone"],
  email: ["邮箱", "电子邮箱", "email"],
};

export type RegistryResult =
  | { ok: true; registry: Registry }
  | { ok: false; problems: readonly RegistryProblem[] };

/** Builds a registry from parsed CSV records (first record = header) and checks every invariant. */
export function buildRegistry(records: readonly (readonly string[])[]): RegistryResult {
  const problems: RegistryProblem[] = [];
  const header = records[0];
  if (!header) return { ok: false, problems: [{ row: 0, code: "", message: "单位名册为空,缺少表头。" }] };
  const columns = resolveColumns(header);
  if (!columns.ok) return { ok: false, problems: [{ row: 1, code: "", message: columns.message }] };
  const units: Unit[] = [];
  const rowOf = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as readonly string[];
    if (record.every((c) => cleanCell(c) === "")) continue;
    const row = r + 1;
    const code = cleanCell(record[columns.code] ?? "");
    const name = cleanCell(record[columns.name] ?? "");
    const parent = cleanCell(record[columns.parent] ?? "");
    if (!code) {
      problems.push({ row, code, message: `第${row}行:单位代码为空。` });
      continue;
    }
    const codeProblem = unitCodeProblem(code);
    if (codeProblem) {
      problems.push({ row, code, message: `第${row}行:单位代码“${excerpt(code)}”不可用:${codeProblem}。` });
      continue;
    }
    const parentProblem = parent ? unitCodeProblem(parent) : undefined;
    if (parentProblem) {
      problems.push({
        row,
        code,
        message: `第${row}行:上级单位代码“${excerpt(parent)}”不可用:${parentProblem}。`,
      });
      continue;
    }
    if (!name) problems.push({ row, code, message: `第${row}行:单位“${code}”缺少单位名称。` });
    if (parent === code) {
      problems.push({ row, code, message: `第${row}行:单位“${code}”的上级单位代码不能是它自己。` });
      continue;
    }
    const seen = rowOf.get(code);
    if (seen !== undefined) {
      problems.push({ row, code, message: `第${row}行:单位代码“${code}”与第${seen}行重复。` });
      continue;
    }
    rowOf.set(code, row);
    const cell = (i: number) => (i < 0 ? "" : cleanCell(record[i] ?? ""));
    const contactName = cell(columns.contact);
    const mobile = cell(columns.mobile);
    const email = cell(columns.email);
    const mobileProblem = mobile ? contactProblem("mobile", mobile) : undefined;
    const emailProblem = email ? contactProblem("email", email) : undefined;
    if (mobileProblem)
      problems.push({ row, code, message: `第${row}行:手机“${excerpt(mobile)}”${mobileProblem}。` });
    if (emailProblem)
      problems.push({ row, code, message: `第${row}行:邮箱“${excerpt(email)}”${emailProblem}。` });
    const contact =
      contactName || mobile || email
        ? {
            ...(contactName ? { name: excerpt(contactName) } : {}),
            ...(mobile ? { mobile } : {}),
            ...(email ? { email } : {}),
          }
        : undefined;
    units.push({ code, name, parentCode: parent || null, ...(contact ? { contact } : {}) });
  }
  const roots = units.filter((u) => u.parentCode === null);
  if (roots.length === 0 && units.length > 0) {
    problems.push({
      row: 0,
      code: "",
      message: "单位名册没有根单位(上级单位代码为空的一行,如市直机关工委)。",
    });
  } else if (roots.length > 1) {
    const list = roots.map((u) => `${u.code}(第${rowOf.get(u.code)}行)`).join("、");
    problems.push({ row: 0, code: "", message: `单位名册只能有一个根单位,现有${roots.length}个:${list}。` });
  } else if (units.length === 0) {
    problems.push({ row: 0, code: "", message: "单位名册没有任何单位。" });
  }
  const known = new Set(units.map((u) => u.code));
  for (const u of units) {
    if (u.parentCode !== null && !known.has(u.parentCode)) {
      problems.push({
        row: rowOf.get(u.code) ?? 0,
        code: u.code,
        message: `第${rowOf.get(u.code)}行:单位“${u.code}”的上级单位代码“${u.parentCode}”不在名册中。`,
      });
    }
  }
  problems.push(...findCycles(units, rowOf));
  if (problems.length) return { ok: false, problems };
  return { ok: true, registry: new Registry(units) };
}

function findCycles(units: readonly Unit[], rowOf: ReadonlyMap<string, number>): RegistryProblem[] {
  const parentOf = new Map(units.map((u) => [u.code, u.parentCode]));
  const state = new Map<string, "visiting" | "done">();
  const problems: RegistryProblem[] = [];
  for (const start of units) {
    const path: string[] = [];
    let code: string | null = start.code;
    while (code !== null && state.get(code) !== "done") {
      if (state.get(code) === "visiting") {
        const cycle = path.slice(path.indexOf(code));
        problems.push({
          row: rowOf.get(code) ?? 0,
          code,
          message: `单位上下级关系出现循环:${[...cycle, code].join(" → ")}。`,
        });
        break;
      }
      state.set(code, "visiting");
      path.push(code);
      code = parentOf.get(code) ?? null;
    }
    for (const c of path) state.set(c, "done");
  }
  return problems;
}

function resolveColumns(
  header: readonly string[],
):
  | { ok: true; code: number; name: number; parent: number; contact: number; mobile: number; email: number }
  | { ok: false; message: string } {
  const normalised = header.map(normaliseHeader);
  const find = (key: keyof typeof HEADER_ALIASES): number => {
    const aliases = new Set(HEADER_ALIASES[key].map(normaliseHeader));
    return normalised.findIndex((h) => aliases.has(h));
  };
  const code = find("code");
  const name = find("name");
  const parent = find("parent_code");
  const missing = [
    code < 0 ? "单位代码" : "",
    name < 0 ? "单位名称" : "",
    parent < 0 ? "上级单位代码" : "",
  ].filter(Boolean);
  if (missing.length) {
    return {
      ok: false,
      message: `单位名册缺少列:${missing.join("、")}(表头应为 单位代码,单位名称,上级单位代码)。`,
    };
  }
  return {
    ok: true,
    code,
    name,
    parent,
    contact: find("contact"),
    mobile: find("mobile"),
    email: find("email"),
  };
}

/** Reads units.csv bytes (any encoding the return files may use). */
export function parseRegistryFile(bytes: Uint8Array): RegistryResult {
  let text: string;
  try {
    text = decodeBytes(bytes).text;
  } catch (err) {
    if (err instanceof EncodingProblem)
      return { ok: false, problems: [{ row: 0, code: "", message: err.message }] };
    throw err;
  }
  return buildRegistry(parseCsvText(text));
}

/** The registry as CSV text (header 单位代码,单位名称,上级单位代码), root first, parents before children. */
export function formatRegistry(registry: Registry): string {
  const rows: string[][] = [["单位代码", "单位名称", "上级单位代码"]];
  const walk = (unit: Unit): void => {
    rows.push([unit.code, unit.name, unit.parentCode ?? ""]);
    for (const kid of registry.children(unit.code)) walk(kid);
  };
  walk(registry.root);
  return formatCsv(rows);
}
