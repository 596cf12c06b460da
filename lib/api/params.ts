/**
 * Building blocks of the request schemas, shared by the routes, and the translation of zod's
 * findings into Chinese 400 answers. The same schemas feed GET /v1/openapi.json.
 */
import { z } from "zod";
import { DERIVED, INDICATOR_KEYS } from "../domain/catalogue.ts";
import { resolvePeriod } from "../domain/periods.ts";
import { UNIT_CODE } from "../domain/registry.ts";
import { BadRequest } from "./errors.ts";

/** Any fixed instant: only the spelling of a period is checked here, not what it resolves to. */
const SPELLING_CHECK_CLOCK = new Date("2026-01-15T00:00:00Z");
const PERIOD_FORMS = "2026-10、2026-Q3、2026、THIS_MONTH、LAST_MONTH、THIS_YEAR、LAST_12_MONTHS";

export const unitCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(UNIT_CODE, { error: "单位代码只能由数字、英文字母和“-”“_”组成,最多32位" })
  .meta({ description: "单位代码(单位名册中的代码,保留前导零,如 001001)", example: "001001" });

export const periodSpec = z
  .string()
  .trim()
  .refine((s) => resolvePeriod(s, SPELLING_CHECK_CLOCK).ok, {
    error: `无法识别的期间,可用:${PERIOD_FORMS}`,
  })
  .meta({
    description: `统计期间:${PERIOD_FORMS}。2026 与 THIS_YEAR 为年初至有数据的最近月份;相对期间按北京时间计算。`,
    example: "2026-10",
  });

/** A single month (bulletins, upload prefixes): 2026-10, THIS_MONTH or LAST_MONTH. */
export const monthSpec = z
  .string()
  .trim()
  .refine(
    (s) => {
      const r = resolvePeriod(s, SPELLING_CHECK_CLOCK);
      return r.ok && r.range.kind === "month";
    },
    { error: "应为一个月份,如 2026-10(或 THIS_MONTH、LAST_MONTH)" },
  )
  .meta({ description: "月份:2026-10,或 THIS_MONTH、LAST_MONTH", example: "2026-10" });

const SELECTABLE = new Set<string>([...INDICATOR_KEYS, ...DERIVED.map((d) => d.key)]);

export const indicatorList = z
  .string()
  .transform((s, ctx) => {
    const keys = [
      ...new Set(
        s
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = keys.filter((k) => !SELECTABLE.has(k));
    if (!keys.length || unknown.length) {
      ctx.issues.push({
        code: "custom",
        input: s,
        message: unknown.length
          ? `指标目录中没有:${unknown.join("、")}(可用的指标见 GET /v1/openapi.json 或 dangjian template)`
          : "至少列出一个指标",
      });
      return z.NEVER;
    }
    return keys;
  })
  .meta({
    description: `逗号分隔的指标键(指标目录中的 key,也可用派生指标 ${DERIVED.map((d) => d.key).join("、")});不填为全部`,
    example: "members_total,volunteer_hours,solve_rate",
  });

export const format = z
  .enum(["json", "csv"])
  .default("json")
  .meta({ description: "json(默认)或 csv(UTF-8 带 BOM,Excel 可直接打开)" });

export const flag = (description: string, fallback: boolean) =>
  z
    .enum(["true", "false"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true")
    .meta({ description });

export const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .meta({ description: "最多返回条数(1–200,默认 50)" });

const WHERE = { query: "查询参数", body: "请求体", path: "路径参数" } as const;

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "缺少此项" : `类型不正确(应为 ${issue.expected})`;
    case "invalid_value":
      return `取值应为 ${issue.values.map(String).join("、")} 之一`;
    case "too_small":
      return issue.origin === "string" ? `长度不能少于 ${issue.minimum}` : `不能小于 ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string" ? `长度不能超过 ${issue.maximum}` : `不能大于 ${issue.maximum}`;
    case "unrecognized_keys":
      return `不认识的参数:${issue.keys.join("、")}`;
    default:
      return issue.message;
  }
}

/** Parses with a schema or throws a BadRequest listing every problem in Chinese. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: keyof typeof WHERE,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || where;
    return { field, message: describe(issue) };
  });
  const summary = details.map((d) => (d.field === where ? d.message : `${d.field}:${d.message}`)).join(";");
  throw new BadRequest(`${WHERE[where]}有误:${summary}`, details);
}

/** Paging through a report's issues (the report keeps at most 1,000). */
export const issuePaging = {
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .meta({ description: "从第几条问题开始(默认 0)" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(100)
    .meta({ description: "每页问题条数(1–200,默认 100)" }),
};
