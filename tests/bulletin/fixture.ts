/**
 * A realistic month for the bulletin: 江城市, 6 片区 of 10 市直 units each, 22 months of returns
 * (2025-01 … 2026-10) drawn from a seeded generator, then rolled up the way the pipeline does
 * (flows summed, stocks as each unit's latest value, rates from sums). Three units miss October,
 * four report late, and the 亮点工作 texts include the things units really paste: line breaks,
 * straight quotes, web addresses, HTML and an Excel =HYPERLINK formula.
 */

import type {
  BulletinInput,
  ChildFigures,
  Highlight,
  NamedUnit,
  UnitFigures,
} from "../../lib/bulletin/input.ts";
import { derive, INDICATOR_KEYS, roundTo, type Values, zeroValues } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month, monthNumber, monthsBetween, yearOf } from "../../lib/domain/periods.ts";
import { mulberry32 } from "../../lib/sample/random.ts";
import { type PeriodFigures, unitFigures } from "../../lib/write/aggregate.ts";

export const FIXTURE_MONTH: Month = "2026-10";
const FIRST_MONTH: Month = "2025-01";

const DISTRICTS: readonly { name: string; units: readonly string[] }[] = [
  {
    name: "党群片区",
    units: [
      "市委办公室机关党支部",
      "市人大常委会机关党支部",
      "市政协机关党支部",
      "市纪委监委机关党支部",
      "市委组织部机关党支部",
      "市委宣传部机关党支部",
      "市委统战部机关党支部",
      "市委政法委机关党支部",
      "市委政研室机关党支部",
      "市总工会机关党支部",
    ],
  },
  {
    name: "经济片区",
    units: [
      "市发展和改革委员会机关党委",
      "市财政局机关党委",
      "市商务局机关党支部",
      "市统计局机关党支部",
      "市审计局机关党支部",
      "市税务局机关党委",
      "市市场监管局机关党委",
      "市工业和信息化局机关党支部",
      "市国资委机关党支部",
      "市地方金融管理局机关党支部",
    ],
  },
  {
    name: "政法片区",
    units: [
      "市公安局机关党委",
      "市中级人民法院机关党委",
      "市人民检察院机关党委",
      "市司法局机关党支部",
      "市应急管理局机关党支部",
      "市信访局机关党支部",
      "市退役军人事务局机关党支部",
      "市消防救援支队党委",
      "市公安局交警支队党委",
      "市仲裁委机关党支部",
    ],
  },
  {
    name: "社会事业片区",
    units: [
      "市教育局机关党委",
      "市卫生健康委员会机关党委",
      "市民政局机关党支部",
      "市人力资源和社会保障局机关党委",
      "市文化广电旅游局机关党支部",
      "市体育局机关党支部",
      "市医疗保障局机关党支部",
      "市残联机关党支部",
      "市妇联机关党支部",
      "团市委机关党支部",
    ],
  },
  {
    name: "城建片区",
    units: [
      "市住房和城乡建设局机关党委",
      "市自然资源和规划局机关党委",
      "市生态环境局机关党支部",
      "市交通运输局机关党委",
      "市城市管理局机关党委",
      "市水务局机关党支部",
      "市机关事务管理局机关党支部",
      "市公共资源交易中心党支部",
      "市住房公积金管理中心党支部",
      "市园林绿化中心党支部",
    ],
  },
  {
    name: "农业农村片区",
    units: [
      "市农业农村局机关党委",
      "市乡村振兴局机关党支部",
      "市林业局机关党支部",
      "市供销社机关党支部",
      "市农业科学院党委",
      "市气象局党支部",
      "市粮食和物资储备局机关党支部",
      "市畜牧兽医中心党支部",
      "市农机服务中心党支部",
      "市水文局党支部",
    ],
  },
];

/** October 2026: these do not report at all, these report after the 5 November deadline. */
const MISSING = new Set(["市供销社机关党支部", "市水文局党支部", "市体育局机关党支部"]);
const LATE = new Set([
  "市信访局机关党支部",
  "市园林绿化中心党支部",
  "市政协机关党支部",
  "市农机服务中心党支部",
]);

/** 亮点工作 as units typed it (verbatim, including what must never become a link). */
const HIGHLIGHTS: Readonly<Record<string, string>> = {
  市委组织部机关党支部:
    "联合市直机关工委党支部、市委老干部局党支部共同开展“双周讲坛”活动，各支部党员轮流上台讲业务、谈心得，把“小讲坛”变成“大讲坛”，本月开展讲坛4期，参加党员186人次。",
  市财政局机关党委:
    "聚焦“过紧日子”要求，组织党员干部深入12个县区开展财政资金使用专项督导，推动整改问题37个，形成“党建+预算绩效”工作机制，做到党建与业务同谋划、同部署、同落实。",
  市住房和城乡建设局机关党委:
    "以“党建大联盟”为载体，组织党员到包保小区开展“小服务、大欢喜”主题活动，协调解决老旧小区停车难、飞线充电等问题23个，推动成立小区党支部2个，小区居民满意度明显提升。",
  市卫生健康委员会机关党委:
    "组建“健康进社区”党员先锋队8支，在城市社区设立“健康小屋”，本月无偿为群众测量血压、血糖1260人次，开展健康知识讲座15场，让群众在家门口享受便捷的健康服务。",
  市公安局机关党委:
    "深化“我为群众办实事”实践活动，推行户籍业务“跨省通办”“全城通办”，在12个派出所设立党员先锋岗，本月为群众办理各类证件3200余件。",
  市交通运输局机关党委:
    "围绕“建好、管好、护好、运营好”农村公路目标，组织党员突击队深入一线开展路域环境整治，修补坑槽1.2万平方米，打通群众出行“最后一公里”。",
  市农业农村局机关党委:
    "选派党员技术骨干组成“科技服务团”，深入田间地头开展秋收秋种技术指导，培训种植户420人次，帮助村集体对接农产品销售订单6个，助力乡村全面振兴。",
  市教育局机关党委:
    '开展"红色文化进校园"活动：\r\n组织党员教师宣讲团走进32所中小学\r\n讲述身边的榜样故事，覆盖师生1.6万人次。详见 https://edu.example.cn/news/1023',
  市民政局机关党支部:
    "<p>聚焦“一老一小”，党员志愿者每周走访独居老人，<b>本月上门服务老人310户</b>，为困难群众解决实际问题56个。</p>",
  市司法局机关党支部:
    "我支部组织党员律师开展“法律服务进万家”活动，深入社区、园区提供法律咨询，本月举办法治讲座9场，化解矛盾纠纷41件。",
  市统计局机关党支部: "无",
  市商务局机关党支部: '=HYPERLINK("http://example.com/report","点击查看亮点工作材料")',
  市市场监管局机关党委:
    '推进“小个专”党建，在商场设立“党员先锋岗”“党员服务岗”12个，开展“党旗领航+诚信经营”活动，受理消费投诉举报218件。=HYPERLINK("http://example.com/a","附件")',
  市文化广电旅游局机关党支部:
    "依托红色资源打造“行走的党课”精品线路3条，组织党员干部重走红军长征路，在革命旧址开展现场教学；联合景区开展“文明旅游我先行”志愿服务，党员志愿者在节假日期间坚守一线，提供咨询引导、秩序维护等服务；同时深入乡村开展“送戏下乡”文化惠民演出，把党的声音和先进文化送到群众身边，受到基层群众广泛好评，进一步擦亮了机关党建品牌，推动党建与文旅深度融合、相互促进。",
  市应急管理局机关党支部:
    "结合安全生产月活动，组织党员执法骨干深入危化、矿山企业开展隐患排查，督促整改隐患65处，开展应急演练4场。",
  团市委机关党支部: "开展“青年志愿者在行动”，组织青年党员、团员参与社区服务。",
};

/** The sample generator's mulberry32: the same sequence on every machine. */
const seeded = mulberry32;

interface UnitSeed extends NamedUnit {
  readonly parentCode: string;
  readonly parentName: string;
  readonly members: number;
  readonly vigour: number;
  readonly reportShare: number;
}

interface Return {
  readonly period: Month;
  readonly values: Values;
  readonly onTime: boolean;
}

/** Seasonal weight by calendar month: a July (七一) peak, a February (春节) trough. */
const SEASON = [0.85, 0.7, 1.0, 1.05, 1.0, 1.1, 1.3, 0.9, 1.0, 1.1, 1.05, 1.2] as const;

function generateReturn(u: UnitSeed, month: Month, rand: () => number): Values {
  const jitter = (mean: number) => Math.max(0, Math.round(mean * (0.75 + 0.5 * rand())));
  const chance = (p: number) => (rand() < p ? 1 : 0);
  const age = monthsBetween(FIRST_MONTH, month).length - 1;
  const growth = yearOf(month) === 2026 ? 1.12 : 1;
  const k = (SEASON[monthNumber(month) - 1] ?? 1) * growth * u.vigour;
  const members = u.members + Math.floor(age / 5);
  const branches = Math.max(1, Math.ceil(members / 35));
  const v = zeroValues();
  v.branches_total = branches;
  v.members_total = members;
  v.branches_new = chance(0.04);
  v.branch_elections = chance(0.05);
  v.temp_branches = month === FIXTURE_MONTH ? 0 : chance(0.03);
  v.pioneer_teams = chance(0.06);
  v.study_sessions = jitter(branches * 1.3 * k);
  v.sanhui_yike = jitter(branches * 3.2 * k);
  v.tradition_edu = jitter(0.9 * k);
  v.policy_edu = jitter(0.8 * k);
  v.model_edu = jitter(0.7 * k);
  // Fewer 警示教育 this year: gives the bulletin a real decline to word.
  v.warning_edu = jitter(0.8 * k * (yearOf(month) === 2026 ? 0.8 : 1));
  v.lectures = jitter(0.6 * k);
  v.lecture_attendance = v.lectures * jitter(members * 0.7);
  v.members_reported = Math.round(members * u.reportShare);
  v.volunteer_person_times = jitter(members * 0.55 * k);
  v.volunteer_hours = Math.round(v.volunteer_person_times * (2 + rand()) * 2) / 2;
  v.practical_matters = jitter(members * 0.04 * k);
  v.households_visited = jitter(members * 0.06 * k);
  v.problems_collected = jitter(members * 0.05 * k);
  v.problems_solved = Math.min(
    v.problems_collected,
    Math.round(v.problems_collected * (0.82 + 0.18 * rand())),
  );
  v.pairing_activities = jitter(0.7 * k);
  v.donations_yuan = rand() < 0.2 ? roundTo(members * (15 + rand() * 60) + rand(), 2) : 0;
  v.rectification_measures = jitter(1.1 * k);
  v.supervision_visits = jitter(0.6 * k);
  return v;
}

function buildUnits(rand: () => number): UnitSeed[] {
  const units: UnitSeed[] = [];
  DISTRICTS.forEach((district, d) => {
    const parentCode = `001${String(d + 1).padStart(3, "0")}`;
    district.units.forEach((name, i) => {
      units.push({
        code: `${parentCode}${String(i + 1).padStart(3, "0")}`,
        name,
        parentCode,
        parentName: district.name,
        members: 25 + Math.round(rand() * 260),
        vigour: 0.6 + rand(),
        reportShare: 0.78 + rand() * 0.2,
      });
    });
  });
  return units;
}

function generateReturns(units: readonly UnitSeed[], rand: () => number): Map<string, Return[]> {
  const returns = new Map<string, Return[]>();
  for (const month of monthsBetween(FIRST_MONTH, FIXTURE_MONTH)) {
    for (const u of units) {
      const values = generateReturn(u, month, rand);
      const roll = rand();
      const isFixtureMonth = month === FIXTURE_MONTH;
      if (isFixtureMonth ? MISSING.has(u.name) : roll < 0.02) continue;
      const onTime = isFixtureMonth ? !LATE.has(u.name) : roll > 0.08;
      const list = returns.get(u.code) ?? [];
      list.push({ period: month, values, onTime });
      returns.set(u.code, list);
    }
  }
  return returns;
}

/** A scope's figures: each unit's own figures for the span, summed (stocks are LAST per unit). */
function scopeFigures(
  codes: readonly string[],
  returns: Map<string, Return[]>,
  from: Month,
  to: Month,
): PeriodFigures {
  const values = zeroValues();
  let reportedUnits = 0;
  let count = 0;
  let onTime = 0;
  let onTimeUnits = 0;
  const months = new Set<Month>();
  for (const code of codes) {
    const f = unitFigures(returns.get(code) ?? [], from, to);
    onTimeUnits += f.onTimeUnits ?? 0;
    for (const key of INDICATOR_KEYS) values[key] = roundTo(values[key] + f.values[key], 2);
    reportedUnits += f.reportedUnits;
    count += f.returns;
    onTime += f.onTimeReturns;
    for (const m of f.monthsWithData) months.add(m);
  }
  return {
    from,
    to,
    values,
    derived: derive(values),
    reportedUnits,
    onTimeUnits,
    returns: count,
    onTimeReturns: onTime,
    monthsWithData: [...months].sort(),
  };
}

/** The fixture's bulletin input. `seed` only changes the figures, never the cast or the structure. */
export function buildFixture(seed = 20261106): BulletinInput {
  const rand = seeded(seed);
  const units = buildUnits(rand);
  const returns = generateReturns(units, rand);
  const all = units.map((u) => u.code);
  const month = FIXTURE_MONTH;
  const jan = `${yearOf(month)}-01`;
  const span = (from: Month, to: Month = from) => scopeFigures(all, returns, from, to);
  const monthReturn = (code: string) => returns.get(code)?.find((r) => r.period === month) ?? null;

  const children: ChildFigures[] = DISTRICTS.map((district, d) => {
    const code = `001${String(d + 1).padStart(3, "0")}`;
    const codes = units.filter((u) => u.parentCode === code).map((u) => u.code);
    return {
      code,
      name: district.name,
      expected: codes.length,
      month: scopeFigures(codes, returns, month, month),
      ytd: scopeFigures(codes, returns, jan, month),
    };
  });

  const unitFiguresList: UnitFigures[] = units.map((u) => ({
    code: u.code,
    name: u.name,
    parentName: u.parentName,
    month: monthReturn(u.code)?.values ?? null,
    ytd: unitFigures(returns.get(u.code) ?? [], jan, month),
  }));

  const highlights: Highlight[] = units.flatMap((u) => {
    const text = HIGHLIGHTS[u.name];
    const r = monthReturn(u.code);
    return text !== undefined && r
      ? [{ code: u.code, name: u.name, parentName: u.parentName, text, values: r.values }]
      : [];
  });

  const reported = units.filter((u) => monthReturn(u.code));
  const named = (u: UnitSeed): NamedUnit => ({ code: u.code, name: u.name });
  const lastYear = addMonths(month, -12);

  return {
    scope: { code: "001", name: "江城市" },
    month,
    issueNumber: monthNumber(month),
    issueDate: "2026-11-06",
    figures: {
      month: span(month),
      previousMonth: span(addMonths(month, -1)),
      sameMonthLastYear: span(lastYear),
      ytd: span(jan, month),
      ytdLastYear: span(`${yearOf(lastYear)}-01`, lastYear),
    },
    trend: monthsBetween(addMonths(month, -11), month).map((m) => {
      const f = span(m);
      return { month: m, values: f.values, reported: f.reportedUnits };
    }),
    children,
    units: unitFiguresList,
    completeness: {
      expected: units.length,
      reported: reported.length,
      onTime: reported.filter((u) => monthReturn(u.code)?.onTime).length,
      missing: units.filter((u) => !monthReturn(u.code)).map(named),
      late: reported.filter((u) => !monthReturn(u.code)?.onTime).map(named),
      deadline: "2026-11-05",
    },
    highlights,
  };
}
