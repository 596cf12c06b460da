/**
 * The unit registry (units.csv): one root (市), inner nodes (片区/系统) that are rollup scopes,
 * and leaves, the reporting 机关基层党组织. Codes are strings: "001001" keeps its zeros.
 */

/**
 * What a 单位代码 may contain: digits, Latin letters, "-" and "_", at most 32 characters. Codes
 * become parts of S3 keys, URLs and file names, so nothing there needs escaping or decoding.
 */
export const UNIT_CODE = /^[0-9A-Za-z_-]{1,32}$/;

/** Why a text cannot be a 单位代码, in Chinese, or undefined when it can. */
export function unitCodeProblem(code: string): string | undefined {
  if (UNIT_CODE.test(code)) return undefined;
  if (code.length > 32) return "单位代码最多32位";
  return "单位代码只能由数字、英文字母和“-”“_”组成(不能有汉字、空格或其他符号)";
}

/** How a 机关基层党组织's name ends: the part after its organ's own name. */
export const ORG_SUFFIX = /(?:机关党委|机关党总支|机关党支部|党委|党总支|党支部)$/;

/** The organ a unit belongs to, as people say it: "市妇联机关党支部" → "市妇联" (whole name if too short). */
export function shortNameOf(name: string): string {
  const short = name.replace(ORG_SUFFIX, "");
  return short.length >= 2 ? short : name;
}

/** Who to remind about a unit's return (optional columns of units.csv). */
export interface Contact {
  readonly name?: string | undefined;
  readonly mobile?: string | undefined;
  readonly email?: string | undefined;
}

export interface Unit {
  readonly code: string;
  readonly name: string;
  /** null for the root. */
  readonly parentCode: string | null;
  readonly contact?: Contact | undefined;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why a 手机 or 邮箱 in units.csv cannot be used, in Chinese, or undefined when it can. */
export function contactProblem(kind: "mobile" | "email", text: string): string | undefined {
  if (kind === "mobile") {
    const digits = text.replace(/[\s-]/g, "");
    return MOBILE.test(digits) || LANDLINE.test(text.replace(/\s/g, ""))
      ? undefined
      : "应为11位手机号码或带区号的固定电话(如 0551-62601234)";
  }
  return EMAIL.test(text) ? undefined : "不是有效的电子邮箱地址";
}

export class Registry {
  readonly root: Unit;
  readonly #units: ReadonlyMap<string, Unit>;
  readonly #children: ReadonlyMap<string, readonly Unit[]>;
  readonly #ancestors = new Map<string, readonly string[]>();
  readonly #leavesUnder = new Map<string, readonly Unit[]>();
  readonly #leafIndex = new Map<string, number>();

  /** Use buildRegistry(): it checks the invariants this class relies on. */
  constructor(units: readonly Unit[]) {
    const map = new Map<string, Unit>();
    const children = new Map<string, Unit[]>();
    let root: Unit | undefined;
    for (const u of units) {
      map.set(u.code, u);
      if (u.parentCode === null) root = u;
      else {
        const list = children.get(u.parentCode) ?? [];
        list.push(u);
        children.set(u.parentCode, list);
      }
    }
    if (!root) throw new Error("registry without root");
    this.root = root;
    this.#units = map;
    this.#children = children;
    let i = 0;
    for (const leaf of this.leavesUnder(root.code)) this.#leafIndex.set(leaf.code, i++);
  }

  get size(): number {
    return this.#units.size;
  }

  get units(): IterableIterator<Unit> {
    return this.#units.values();
  }

  get(code: string): Unit | undefined {
    return this.#units.get(code);
  }

  has(code: string): boolean {
    return this.#units.has(code);
  }

  children(code: string): readonly Unit[] {
    return this.#children.get(code) ?? [];
  }

  isLeaf(code: string): boolean {
    return this.#units.has(code) && !this.#children.has(code);
  }

  /** Position of a leaf among all leaves (dense, for bitmaps); -1 for inner nodes or unknown codes. */
  leafIndex(code: string): number {
    return this.#leafIndex.get(code) ?? -1;
  }

  get leafCount(): number {
    return this.#leafIndex.size;
  }

  /** The unit's ancestors from its parent up to the root: the scopes its figures roll up into. */
  ancestors(code: string): readonly string[] {
    let cached = this.#ancestors.get(code);
    if (!cached) {
      const out: string[] = [];
      let parent = this.#units.get(code)?.parentCode ?? null;
      while (parent !== null) {
        out.push(parent);
        parent = this.#units.get(parent)?.parentCode ?? null;
      }
      cached = out;
      this.#ancestors.set(code, cached);
    }
    return cached;
  }

  /** True when `code` is `scope` or lies below it. */
  contains(scope: string, code: string): boolean {
    return code === scope || this.ancestors(code).includes(scope);
  }

  /** The reporting units (leaves) in a scope's subtree, in registry order. */
  leavesUnder(scope: string): readonly Unit[] {
    let cached = this.#leavesUnder.get(scope);
    if (!cached) {
      const out: Unit[] = [];
      const walk = (code: string): void => {
        const kids = this.#children.get(code);
        if (!kids) {
          const unit = this.#units.get(code);
          if (unit) out.push(unit);
          return;
        }
        for (const kid of kids) walk(kid.code);
      };
      walk(scope);
      cached = out;
      this.#leavesUnder.set(scope, cached);
    }
    return cached;
  }

  /** Zero-padded match for a code Excel stripped of its leading zeros ("1001" for "001001"). */
  suggestCode(code: string): string | undefined {
    if (!/^\d+$/.test(code)) return undefined;
    for (const unit of this.#units.values()) {
      if (unit.code.length > code.length && unit.code.replace(/^0+/, "") === code.replace(/^0+/, "")) {
        return unit.code;
      }
    }
    return undefined;
  }
}
