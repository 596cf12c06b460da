/**
 * The sample 市: 清源市市直机关工委, six 片区 in the "6+3" 片区联系制度 of seed 000, and the 市直单位
 * that report, each with a size that drives its figures (a 公安局 has hundreds of members, a 编办 fifteen).
 */
import { shortNameOf } from "../domain/registry.ts";
import { formatCsv } from "../ingest/csv.ts";
import { type Rng, rngFor } from "./random.ts";

export const CITY = "清源市";
export const ROOT = { code: "001", name: "清源市市直机关工委" } as const;

export const AREAS = [
  { code: "001001", name: "党群工作片区" },
  { code: "001002", name: "政法工作片区" },
  { code: "001003", name: "经济工作片区" },
  { code: "001004", name: "城乡建设片区" },
  { code: "001005", name: "社会事业片区" },
  { code: "001006", name: "农业农村片区" },
] as const;

export type AreaIndex = 0 | 1 | 2 | 3 | 4 | 5;

/** 片区 whose 联络员 gathers the units' figures and uploads one file a month for all of them. */
export const BATCH_AREAS: readonly AreaIndex[] = [1, 5];

/** xl: 300+ members and a 机关党委 with many branches … xs: a one-branch office of a dozen or two. */
export type Tier = "xl" | "l" | "m" | "s" | "xs";

const TIERS: Record<Tier, { members: [number, number]; branches: [number, number] }> = {
  xl: { members: [320, 620], branches: [14, 30] },
  l: { members: [110, 260], branches: [5, 12] },
  m: { members: [50, 100], branches: [2, 4] },
  s: { members: [26, 50], branches: [1, 2] },
  xs: { members: [12, 25], branches: [1, 1] },
};

/** [name, tier] per 片区, in registry order. 63 in all. */
const BASE_UNITS: readonly (readonly (readonly [string, Tier])[])[] = [
  [
    ["市委办公室机关党总支", "m"],
    ["市人大常委会机关党支部", "s"],
    ["市政府办公室机关党委", "l"],
    ["市政协机关党支部", "s"],
    ["市纪委市监委机关党委", "l"],
    ["市委组织部机关党支部", "s"],
    ["市委宣传部机关党支部", "s"],
    ["市委统战部机关党支部", "xs"],
    ["市委党校机关党委", "m"],
    ["市直机关工委机关党支部", "xs"],
    ["团市委机关党支部", "xs"],
    ["市总工会机关党支部", "xs"],
    ["市妇联机关党支部", "xs"],
  ],
  [
    ["市委政法委机关党支部", "s"],
    ["市公安局机关党委", "xl"],
    ["市中级人民法院机关党委", "l"],
    ["市人民检察院机关党委", "l"],
    ["市司法局机关党委", "m"],
    ["市信访局机关党支部", "xs"],
    ["市退役军人事务局机关党支部", "s"],
    ["市应急管理局机关党支部", "s"],
    ["市消防救援支队党委", "l"],
  ],
  [
    ["市发展和改革委员会机关党委", "m"],
    ["市财政局机关党委", "m"],
    ["市商务局机关党支部", "s"],
    ["市统计局机关党支部", "s"],
    ["市审计局机关党支部", "s"],
    ["市税务局机关党委", "xl"],
    ["市市场监督管理局机关党委", "l"],
    ["市经济和信息化局机关党支部", "s"],
    ["市国资委机关党支部", "s"],
    ["市政务服务管理局机关党支部", "s"],
    ["市医疗保障局机关党支部", "xs"],
  ],
  [
    ["市住房和城乡建设局机关党委", "m"],
    ["市自然资源和规划局机关党委", "l"],
    ["市交通运输局机关党委", "l"],
    ["市生态环境局机关党委", "m"],
    ["市城市管理综合执法局机关党委", "l"],
    ["市水务局机关党委", "m"],
    ["市公共资源交易中心党支部", "xs"],
    ["市住房公积金管理中心党支部", "s"],
    ["市人防办机关党支部", "xs"],
    ["市机关事务管理局机关党支部", "s"],
  ],
  [
    ["市教育体育局机关党委", "m"],
    ["市卫生健康委员会机关党委", "m"],
    ["市人民医院党委", "xl"],
    ["市民政局机关党委", "m"],
    ["市人力资源和社会保障局机关党委", "l"],
    ["市文化广电旅游局机关党委", "m"],
    ["市科学技术局机关党支部", "s"],
    ["市残联机关党支部", "xs"],
    ["市红十字会机关党支部", "xs"],
    ["市融媒体中心党总支", "m"],
    ["市档案馆党支部", "xs"],
    ["市图书馆党支部", "xs"],
  ],
  [
    ["市农业农村局机关党委", "l"],
    ["市林业局机关党委", "m"],
    ["市供销合作社联合社机关党支部", "xs"],
    ["市农业科学研究院党总支", "m"],
    ["市气象局党支部", "xs"],
    ["市粮食和物资储备局机关党支部", "s"],
    ["市乡村振兴服务中心党支部", "xs"],
    ["市动物疫病预防控制中心党支部", "s"],
  ],
];

/** Sub-organisations for registries larger than the 63 named units. */
const EXTRA_BRANCHES = [
  "综合科",
  "政策法规科",
  "财务审计科",
  "信息中心",
  "服务中心",
  "执法大队",
  "培训中心",
  "档案室",
  "直属事业单位",
  "离退休干部",
] as const;

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭廖范汪陆金石戴贾韦夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱严莫孔向汤";
const GIVEN = [
  "建国",
  "晓燕",
  "志强",
  "丽华",
  "海涛",
  "红梅",
  "德明",
  "静",
  "伟",
  "敏",
  "军",
  "芳",
  "斌",
  "婷",
  "平",
  "莉",
  "宏伟",
  "文杰",
  "春梅",
  "国庆",
  "玉兰",
  "永刚",
  "雪梅",
  "立新",
  "小兵",
  "晓东",
  "佳",
  "琳",
  "鹏",
  "倩",
] as const;

export interface SampleUnit {
  readonly code: string;
  readonly name: string;
  /** The name without its organisation suffix, for stories: "市财政局", "团市委". */
  readonly short: string;
  readonly area: AreaIndex;
  readonly tier: Tier;
  /** Members and branches in the first month; they drift slowly afterwards. */
  readonly members: number;
  readonly branches: number;
  /** Share of members registered with their residential community (在职党员到社区报到). */
  readonly reportRatio: number;
  /** How busy the unit is compared with others of its size (0.75–1.3). */
  readonly activity: number;
  /** Leaves zero flows blank instead of typing 0. */
  readonly blankZeros: boolean;
  /** Chance that a month's return carries a 亮点工作 story. */
  readonly storyRate: number;
  readonly reporter: string;
  readonly phone: string;
}

export const shortName = shortNameOf;

export function personName(rng: Rng): string {
  return `${rng.pick([...SURNAMES])}${rng.pick(GIVEN)}`;
}

function profile(seed: number, code: string, name: string, area: AreaIndex, tier: Tier): SampleUnit {
  const rng = rngFor(seed, "unit", code);
  const size = TIERS[tier];
  return {
    code,
    name,
    short: shortName(name),
    area,
    tier,
    members: rng.int(size.members[0], size.members[1]),
    branches: rng.int(size.branches[0], size.branches[1]),
    reportRatio: rng.range(0.86, 0.97),
    activity: rng.range(0.75, 1.3),
    blankZeros: rng.chance(0.4),
    storyRate: rng.weighted([
      [0.08, 2],
      [0.22, 3],
      [0.38, 3],
      [0.55, 1],
    ]),
    reporter: personName(rng),
    phone: `${rng.int(2, 8)}${String(rng.int(0, 999_999)).padStart(6, "0")}`,
  };
}

function chineseOrdinal(n: number): string {
  const digits = "零一二三四五六七八九";
  if (n < 10) return digits[n] as string;
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ""}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ""}`;
  return String(n);
}

/**
 * The named units in an order that keeps the 片区 balanced when fewer than 63 are asked for:
 * round-robin over the 片区, each in its listed order.
 */
function interleavedBase(): { name: string; tier: Tier; area: AreaIndex }[] {
  const out: { name: string; tier: Tier; area: AreaIndex }[] = [];
  const longest = Math.max(...BASE_UNITS.map((a) => a.length));
  for (let i = 0; i < longest; i++) {
    BASE_UNITS.forEach((list, area) => {
      const entry = list[i];
      if (entry) out.push({ name: entry[0], tier: entry[1], area: area as AreaIndex });
    });
  }
  return out;
}

/**
 * `count` reporting units spread over the six 片区. Beyond the 63 named units, extra leaves are the
 * named units' sub-branches ("市财政局信息中心党支部", then "…第二党支部"), in the same 片区 as their parent.
 */
export function buildUnits(count: number, seed: number): SampleUnit[] {
  if (!Number.isInteger(count) || count < AREAS.length) {
    throw new RangeError(`units must be an integer ≥ ${AREAS.length} (one per 片区), got ${count}`);
  }
  const base = interleavedBase();
  const chosen: { name: string; tier: Tier; area: AreaIndex }[] = base.slice(0, count);
  for (let i = base.length; i < count; i++) {
    const k = i - base.length;
    const parent = base[k % base.length] as (typeof base)[number];
    const round = Math.floor(k / base.length);
    const branch = EXTRA_BRANCHES[round % EXTRA_BRANCHES.length] as string;
    const lap = Math.floor(round / EXTRA_BRANCHES.length);
    const name = `${shortName(parent.name)}${branch}${lap ? `第${chineseOrdinal(lap + 1)}` : ""}党支部`;
    chosen.push({ name, tier: round % 3 === 0 ? "s" : "xs", area: parent.area });
  }
  const byArea = AREAS.map(() => [] as { name: string; tier: Tier; area: AreaIndex }[]);
  for (const u of chosen) byArea[u.area]?.push(u);
  const width = Math.max(3, String(Math.max(...byArea.map((a) => a.length))).length);
  const units: SampleUnit[] = [];
  byArea.forEach((list, area) => {
    const areaCode = AREAS[area]?.code as string;
    list.forEach((u, i) => {
      const code = `${areaCode}${String(i + 1).padStart(width, "0")}`;
      units.push(profile(seed, code, u.name, u.area, u.tier));
    });
  });
  return units;
}

/** units.csv: UTF-8 with BOM, root first, each 片区 followed by its units. */
export function formatUnits(units: readonly SampleUnit[]): string {
  const rows: string[][] = [["单位代码", "单位名称", "上级单位代码"]];
  rows.push([ROOT.code, ROOT.name, ""]);
  AREAS.forEach((area, index) => {
    rows.push([area.code, area.name, ROOT.code]);
    for (const u of units) if (u.area === index) rows.push([u.code, u.name, area.code]);
  });
  return formatCsv(rows);
}
