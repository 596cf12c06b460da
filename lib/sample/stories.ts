/**
 * 亮点工作 stories in the manner of the seed articles: a concrete action, the unit's own figures,
 * now and then a quoted remark ("……"某某说). Templates are chosen by month (七一, 学雷锋月, 春节,
 * 主汛期, 99公益日, 重阳) and by 片区, and only when the figures they quote are not zero.
 */
import type { IndicatorKey, Values } from "../domain/catalogue.ts";
import { type Month, monthNumber } from "../domain/periods.ts";
import { type Rng, rngFor } from "./random.ts";
import { type AreaIndex, personName, type SampleUnit } from "./units.ts";

export interface StoryContext {
  readonly short: string;
  readonly v: Values;
  /** A fresh name for a quoted remark. */
  person(): string;
  community(): string;
  village(): string;
}

export interface StoryTemplate {
  readonly id: string;
  /** Figures the story quotes: it is only told when they are above zero. */
  readonly needs: readonly IndicatorKey[];
  readonly months?: readonly number[];
  readonly areas?: readonly AreaIndex[];
  readonly text: (s: StoryContext) => string;
}

const COMMUNITIES = [
  "清河社区",
  "桂花社区",
  "南门社区",
  "文昌社区",
  "滨江社区",
  "东湖社区",
  "柳岸社区",
  "新华社区",
  "锦绣花园小区",
  "水岸名城小区",
  "翠湖苑小区",
  "老粮站宿舍小区",
] as const;

const VILLAGES = ["石桥村", "柏林村", "黄泥坝村", "青杠村", "龙泉村", "白鹤村", "桃源村"] as const;

const yuan = (v: number): string => v.toFixed(2);

/**
 * Written with ASCII quotes and a line break inside the cell, as people type in WPS: the one story
 * that makes sure CSV quoting is exercised.
 */
export const QUOTED_STORY: StoryTemplate = {
  id: "quoted",
  needs: ["members_reported", "volunteer_person_times"],
  text: (s) =>
    `${s.short}推行在职党员"双报到双服务"工作,${s.v.members_reported}名在职党员到${s.community()}报到,本月认领"微心愿"、参与志愿服务${s.v.volunteer_person_times}人次。\n"以前觉得社区的事离机关很远,现在每周都来,居民都认得我们了。"党员${s.person()}说,下一步将把报到服务与业务工作结合起来,让群众办事更省心。`,
};

export const STORIES: readonly StoryTemplate[] = [
  {
    id: "study",
    needs: ["study_sessions", "sanhui_yike"],
    text: (s) =>
      `${s.short}坚持把理论学习作为首要任务,本月组织集中学习研讨${s.v.study_sessions}次,落实“三会一课”${s.v.sanhui_yike}次,推行“支部书记领学、党员轮流讲学”,各支部党员轮流上台讲业务、谈心得,把“小讲堂”变成“大课堂”。`,
  },
  {
    id: "report",
    needs: ["members_reported", "volunteer_person_times", "volunteer_hours"],
    text: (s) =>
      `${s.short}深化在职党员到社区报到工作,${s.v.members_reported}名在职党员到居住地社区报到,本月在${s.community()}开展政策宣传、环境整治、文明劝导等志愿服务${s.v.volunteer_person_times}人次、${s.v.volunteer_hours}小时。“以前是居民来找我们办事,现在是我们主动上门服务。”社区党委书记${s.person()}说。`,
  },
  {
    id: "night_visits",
    needs: ["households_visited", "problems_collected", "problems_solved"],
    text: (s) =>
      `${s.short}持续开展“民情夜访”活动,党员干部每周到挂点社区与群众面对面交流,本月走访群众${s.v.households_visited}户,收集问题${s.v.problems_collected}个,解决${s.v.problems_solved}个,对一时解决不了的问题建立台账、明确时限,做到件件有回音。`,
  },
  {
    id: "practical",
    needs: ["practical_matters"],
    text: (s) =>
      `${s.short}深入开展“我为群众办实事”实践活动,梳理形成民生实事清单,本月为群众办实事${s.v.practical_matters}件,推动解决了${s.community()}路灯损坏、楼道杂物堆放等一批急难愁盼问题。“家门口的事有人管了,心里踏实。”居民${s.person()}说。`,
  },
  {
    id: "warning",
    needs: ["warning_edu"],
    text: (s) =>
      `${s.short}组织党员干部到市廉政教育基地接受警示教育,观看警示教育片,围绕身边案例开展讨论,本月开展警示教育${s.v.warning_edu}次,引导党员干部知敬畏、存戒惧、守底线,营造风清气正的机关政治生态。`,
  },
  {
    id: "pairing",
    needs: ["pairing_activities"],
    text: (s) =>
      `${s.short}与${s.village()}党支部开展结对共建,本月开展结对共建活动${s.v.pairing_activities}次,围绕人居环境整治、产业发展等问题共同研究对策,帮助协调解决实际困难,推动城乡基层党组织优势互补、资源共享、共同进步。`,
  },
  {
    id: "lectures",
    needs: ["lectures", "lecture_attendance"],
    text: (s) =>
      `${s.short}组建青年理论宣讲小分队,深入机关、社区、企业开展专题宣讲${s.v.lectures}场,覆盖${s.v.lecture_attendance}人次。宣讲员结合本职工作讲政策、讲变化,用身边事讲身边理,让党的创新理论“飞入寻常百姓家”,受到干部群众普遍欢迎。`,
  },
  {
    id: "standard",
    needs: ["sanhui_yike"],
    text: (s) =>
      `${s.short}推进党支部标准化规范化建设,对照“五个基本”逐项查漏补缺,规范“三会一课”记录,本月落实“三会一课”${s.v.sanhui_yike}次。“标准立起来了,支部工作有了抓手,党员也更有归属感。”支部书记${s.person()}说。`,
  },
  {
    id: "rectification",
    needs: ["rectification_measures"],
    text: (s) =>
      `${s.short}坚持问题导向,对照组织生活会检视出的问题逐条制定整改措施${s.v.rectification_measures}条,明确责任人和完成时限,实行清单化管理、销号式推进,整改完成情况及时向党员群众公开、接受监督,以整改实效取信于民。`,
  },
  {
    id: "supervision",
    needs: ["supervision_visits"],
    text: (s) =>
      `${s.short}推行“月调度、季督导”机制,本月开展督导检查${s.v.supervision_visits}次,对照《机关党建任务清单》逐项查看资料、听取汇报,对发现的问题当场反馈、限期整改,推动党建与业务“双融双促”,防止“两张皮”。`,
  },
  {
    id: "elections",
    needs: ["branch_elections"],
    text: (s) =>
      `${s.short}严格按照党内选举有关规定,本月指导${s.v.branch_elections}个党支部按期完成换届选举,规范选举程序,选优配强支部班子,把政治素质好、业务能力强、群众威信高的党员选进支委会,进一步增强了支部的凝聚力和战斗力。`,
  },
  {
    id: "qiyi",
    needs: ["tradition_edu"],
    months: [6, 7],
    text: (s) =>
      `庆祝“七一”期间,${s.short}组织党员到革命烈士纪念馆开展革命传统教育${s.v.tradition_edu}次,重温入党誓词,为老党员颁发“光荣在党50年”纪念章,走访慰问困难党员和老党员。“红色基因要一代一代传下去。”老党员${s.person()}说。`,
  },
  {
    id: "qingming",
    needs: ["tradition_edu"],
    months: [4],
    text: (s) =>
      `清明节前后,${s.short}开展“缅怀革命先烈·传承红色基因”主题党日活动,组织党员到烈士陵园祭扫,开展革命传统教育${s.v.tradition_edu}次,引导党员干部从革命先烈身上汲取奋进力量。“站在烈士墓前,更懂得今天的幸福来之不易。”青年党员${s.person()}说。`,
  },
  {
    id: "martyrs_day",
    needs: ["tradition_edu"],
    months: [9],
    text: (s) =>
      `9月30日烈士纪念日,${s.short}组织党员干部到烈士陵园敬献花篮、瞻仰烈士纪念碑,本月开展革命传统教育${s.v.tradition_edu}次,缅怀革命先烈,赓续红色血脉,激励党员干部立足岗位建新功、争当先锋作表率。`,
  },
  {
    id: "lei_feng",
    needs: ["volunteer_person_times"],
    months: [3],
    text: (s) =>
      `三月学雷锋月,${s.short}组建党员志愿服务队走进${s.community()},开展义诊、义剪、家电维修、政策咨询等志愿服务${s.v.volunteer_person_times}人次,把雷锋精神落到为民服务的具体行动中。“学雷锋不只在三月,我们要把志愿服务坚持下去。”志愿者${s.person()}说。`,
  },
  {
    id: "spring_festival",
    needs: ["households_visited"],
    months: [1, 2],
    text: (s) =>
      `春节前夕,${s.short}领导班子带队走访慰问困难群众、老党员和挂钩帮扶户${s.v.households_visited}户,送去慰问金和慰问品,面对面了解群众生产生活情况,同时为老党员送去春联和学习资料,把党组织的温暖送到群众心坎上。`,
  },
  {
    id: "flood",
    needs: ["volunteer_person_times"],
    months: [6, 7, 8],
    text: (s) =>
      `进入主汛期,${s.short}组建防汛党员突击队,在${s.village()}等地开展隐患排查、巡堤值守,本月参与防汛志愿服务${s.v.volunteer_person_times}人次,协助转移疏散群众,筑牢安全度汛防线。“哪里有险情,哪里就有党员的身影。”突击队队长${s.person()}说。`,
  },
  {
    id: "charity_day",
    needs: ["donations_yuan"],
    months: [9],
    text: (s) =>
      `中华慈善日和“99公益日”期间,${s.short}机关党组织发出倡议,党员干部职工踊跃参与爱心捐款,共捐款${yuan(s.v.donations_yuan)}元,全部用于资助困难学生和帮扶困难群众,让点滴爱心汇聚成温暖一座城的力量。`,
  },
  {
    id: "donation",
    needs: ["donations_yuan"],
    months: [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12],
    text: (s) =>
      `${s.short}开展“献爱心、送温暖”捐款活动,党员干部职工踊跃参与,共募集善款${yuan(s.v.donations_yuan)}元,用于帮扶困难职工和结对帮扶村困难群众,以实际行动践行全心全意为人民服务的根本宗旨,传递了机关党员的温暖与担当。`,
  },
  {
    id: "double_ninth",
    needs: ["households_visited"],
    months: [10],
    text: (s) =>
      `重阳节期间,${s.short}组织党员志愿者走进${s.community()},为老年人测血压、讲防诈骗知识,走访慰问高龄和独居老人${s.v.households_visited}户,敬老、爱老、助老蔚然成风。“党员志愿者隔三岔五来看我,比亲人还亲。”独居老人${s.person()}说。`,
  },
  {
    id: "model_organ",
    needs: ["study_sessions"],
    areas: [0],
    text: (s) =>
      `${s.short}在“模范机关”创建中走在前、作表率,认真落实“第一议题”制度,本月开展集中学习研讨${s.v.study_sessions}次,推动学习成果转化为推动工作的实际成效,努力建设让党委放心、让群众满意的模范机关。`,
  },
  {
    id: "law",
    needs: ["volunteer_person_times"],
    areas: [1],
    text: (s) =>
      `${s.short}组织党员干警走进${s.community()}开展“法律进社区”活动,现场解答群众法律咨询,宣传防范电信网络诈骗知识,本月参与志愿服务${s.v.volunteer_person_times}人次。“身边就有法律顾问,遇事心里有底了。”居民${s.person()}说。`,
  },
  {
    id: "enterprises",
    needs: ["problems_collected", "problems_solved"],
    areas: [2],
    text: (s) =>
      `${s.short}开展“走访暖企”活动,党员领导干部挂点联系重点企业,本月收集企业用地、融资、用工等问题${s.v.problems_collected}个,协调解决${s.v.problems_solved}个,落实“一企一策”,以优质服务助力企业稳产增效,营商环境持续优化。`,
  },
  {
    id: "micro_governance",
    needs: ["practical_matters"],
    areas: [3],
    text: (s) =>
      `${s.short}党员干部下沉${s.community()},围绕停车难、楼道照明、雨污分流等问题开展“微治理”,本月为群众办实事${s.v.practical_matters}件。“小区的路平了、灯亮了,大家的笑容也多了。”小区党支部书记${s.person()}说。`,
  },
  {
    id: "health",
    needs: ["volunteer_person_times"],
    areas: [4],
    text: (s) =>
      `${s.short}组织党员志愿者走进${s.community()}开展“健康进社区”“文化进社区”服务,为群众测血压、讲健康知识、送书送戏,本月开展志愿服务${s.v.volunteer_person_times}人次。“在家门口就能享受服务,真是方便。”居民${s.person()}说。`,
  },
  {
    id: "village",
    needs: ["pairing_activities"],
    areas: [5],
    text: (s) =>
      `${s.short}选派驻村工作队员扎根${s.village()},围绕产业发展、集体经济壮大开展结对帮扶,本月开展结对共建活动${s.v.pairing_activities}次,帮助村里发展茶叶、脆红李等特色产业。“任务不完成,绝不撤出。”驻村工作队员${s.person()}说。`,
  },
  QUOTED_STORY,
];

function contextFor(unit: SampleUnit, values: Values, rng: Rng): StoryContext {
  return {
    short: unit.short,
    v: values,
    person: () => personName(rng),
    community: () => rng.pick(COMMUNITIES),
    village: () => rng.pick(VILLAGES),
  };
}

/** Templates that fit the month, the 片区 and the figures; seasonal and 片区 ones are preferred. */
export function fittingStories(unit: SampleUnit, period: Month, values: Values): StoryTemplate[] {
  const month = monthNumber(period);
  return STORIES.filter(
    (t) =>
      (!t.months || t.months.includes(month)) &&
      (!t.areas || t.areas.includes(unit.area)) &&
      t.needs.every((k) => values[k] > 0),
  );
}

/** A 亮点工作 story for this unit-month, or "" when the unit writes none this month. */
export function writeStory(
  seed: number,
  unit: SampleUnit,
  period: Month,
  values: Values,
  forced?: StoryTemplate,
): string {
  const rng = rngFor(seed, "story", unit.code, period);
  const force = forced?.needs.every((k) => values[k] > 0) ? forced : undefined;
  if (!force && !rng.chance(unit.storyRate)) return "";
  const fitting = fittingStories(unit, period, values);
  const template =
    force ??
    (fitting.length
      ? rng.weighted(fitting.map((t) => [t, t.months ? 3 : t.areas ? 2 : 1] as const))
      : undefined);
  return template ? template.text(contextFor(unit, values, rng)) : "";
}
