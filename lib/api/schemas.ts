/**
 * Response shapes, for GET /v1/openapi.json (and for the tests, which parse real responses with
 * them so the documentation cannot drift from what the API sends).
 */
import { z } from "zod";
import { DERIVED, INDICATOR_KEYS, type IndicatorKey } from "../domain/catalogue.ts";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "稳定的错误代码,如 E_BAD_REQUEST、E_AUTH_MISSING、E_FORBIDDEN" }),
      message: z.string().meta({ description: "中文说明" }),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional().meta({ description: "5xx 时的请求编号" }),
    }),
  })
  .meta({ id: "Error" });

const month = z.string().regex(/^\d{4}-\d{2}$/);
const indicatorKeys = INDICATOR_KEYS as unknown as [IndicatorKey, ...IndicatorKey[]];
const derivedKeys = DERIVED.map((d) => d.key) as unknown as [string, ...string[]];

export const valuesSchema = z
  .partialRecord(z.enum(indicatorKeys), z.number())
  .meta({ id: "Values", description: "指标键 → 数值(按指标目录)" });
export const derivedSchema = z
  .partialRecord(z.enum(derivedKeys), z.number().nullable())
  .meta({ id: "Derived", description: "派生指标(百分比为 0–100),分母为 0 时为 null" });

export const periodSchema = z
  .object({
    spec: z.string(),
    kind: z.enum(["month", "quarter", "year", "rolling"]),
    label: z.string().meta({ description: "中文期间名,如 2026年第三季度" }),
    from: month,
    to: month,
  })
  .meta({ id: "Period" });

const compareSchema = z.object({
  period: z.object({ label: z.string(), from: month, to: month }),
  values: valuesSchema,
  derived: derivedSchema,
  reported_units: z.number().int(),
});

const confirmationSchema = z
  .object({
    status: z.literal("confirmed"),
    confirmed: z.array(z.string()).meta({ description: "期间内各月均已市级确认的片区(计入数据)" }),
    unconfirmed: z
      .array(z.object({ scope: z.string(), months: z.array(z.string()) }))
      .meta({ description: "尚有月份未市级确认的片区(不计入)及其月份" }),
  })
  .meta({ id: "Confirmation" });

const scopeViewBase = z.object({
  scope: z.object({ code: z.string(), name: z.string(), parent: z.string().nullable() }),
  confirmation: confirmationSchema.optional().meta({ description: "status=confirmed 时:计入与未计入的片区" }),
  period: periodSchema,
  values: valuesSchema,
  derived: derivedSchema,
  reporting: z.object({
    expected: z.number().int().meta({ description: "应报单位数" }),
    reported: z.number().int().meta({ description: "已报单位数" }),
    on_time: z.number().int().meta({ description: "每个月都按时报送的单位数" }),
    missing: z
      .array(z.string())
      .optional()
      .meta({ description: "include=missing 时:未报单位代码(按代码排列,最多 100 个)" }),
    late: z
      .array(z.string())
      .optional()
      .meta({ description: "include=missing 时:有逾期或缺报月份的单位代码(按代码排列,最多 100 个)" }),
    truncated: z
      .literal(true)
      .optional()
      .meta({ description: "include=missing 且名单超过 100 个而截断时为 true(完整名单见 /v1/completeness)" }),
  }),
  months_with_data: z.array(month),
  compare: z
    .object({ previous_period: compareSchema, same_period_last_year: compareSchema })
    .optional()
    .meta({ description: "环比(上一期)与同比(去年同期)" }),
});

export const scopeViewSchema = scopeViewBase
  .extend({
    children: z.array(scopeViewBase).optional().meta({ description: "breakdown=children 时各直属下级" }),
  })
  .meta({ id: "Aggregates" });

const unitRef = z.object({ code: z.string(), name: z.string() });

const unitStatus = unitRef.extend({
  parent: unitRef.nullable(),
  months_reported: z.array(month),
  months_late: z.array(month),
  months_missing: z.array(month),
  last_reporter: z
    .string()
    .optional()
    .meta({ description: "期间开始前该单位最近一次报表的填报人(从未报送过时不给出)" }),
  last_phone: z.string().optional().meta({ description: "同一份报表的联系电话" }),
  days_late: z.number().int().positive().optional().meta({
    description:
      "逾期天数(北京时间整日):逾期月份从截止日到首次报送,未报月份从截止日到请求当日,取最大者;截止日未过时不给出",
  }),
  reminders: z.number().int().meta({ description: "催报次数(期间各月合计)" }),
  last_reminded_at: z.string().optional().meta({ description: "最后催报时间" }),
});

export const completenessSchema = z
  .object({
    scope: unitRef,
    period: periodSchema,
    deadline_day: z.number().int(),
    deadlines: z.array(z.object({ month, deadline: z.string().meta({ description: "截止日期(北京时间)" }) })),
    expected: z.number().int(),
    reported: z.number().int(),
    on_time: z.number().int(),
    report_rate: z.number().nullable().meta({ description: "报送率 %:已报单位数 ÷ 应报单位数" }),
    on_time_rate: z.number().nullable().meta({ description: "及时率 %:按时报送单位数 ÷ 应报单位数" }),
    returns: z.object({
      expected: z.number().int(),
      received: z.number().int(),
      on_time: z.number().int(),
    }),
    missing: z.array(unitStatus).meta({ description: "未报单位(本页,按单位代码排列)" }),
    late: z.array(unitStatus).meta({ description: "逾期或缺报部分月份的单位(本页,按单位代码排列)" }),
    limit: z.number().int().meta({ description: "本页最多列出的单位数(未报与逾期合计)" }),
    next_cursor: z.string().nullable().meta({ description: "下一页的 cursor;为 null 时名单已列完" }),
  })
  .meta({ id: "Completeness" });

const issueSchema = z.object({
  row: z.number().int(),
  unit: z.string().nullable(),
  column: z.string().nullable(),
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
});

export const storedReturnSchema = z
  .object({
    unit: z.string(),
    unit_name: z.string(),
    period: month,
    values: valuesSchema,
    blanks: z.array(z.string()).meta({ description: "原表中留空的指标" }),
    explanation: z.string().meta({ description: "说明" }),
    highlight: z.string().meta({ description: "亮点工作" }),
    reporter: z.string(),
    phone: z.string(),
    warnings: z.array(issueSchema),
    upload_id: z.string(),
    submitted_at: z.string(),
    first_submitted_at: z.string(),
    on_time: z.boolean(),
  })
  .meta({ id: "StoredReturn" });

const reportBase = z.object({
  status: z.enum(["accepted", "partial", "rejected"]),
  encoding: z.string().nullable(),
  summary: z.object({
    rows: z.number().int(),
    accepted: z.number().int(),
    needs_explanation: z.number().int(),
    rejected: z.number().int(),
  }),
  issues_total: z.number().int().meta({ description: "发现的问题总数" }),
  truncated: z.boolean().meta({ description: "问题过多时只保留前1000条全文,其余只计数" }),
  issue_counts: z
    .array(
      z.object({
        code: z.string(),
        severity: z.enum(["error", "warning"]),
        column: z.string().nullable(),
        count: z.number().int(),
      }),
    )
    .meta({ description: "按问题代码和列统计的问题数(全部问题)" }),
  rows: z
    .array(
      z.object({
        row: z.number().int(),
        unit: z.string(),
        period: month.nullable(),
        outcome: z.enum(["accepted", "needs_explanation", "rejected"]),
      }),
    )
    .meta({ description: "每个数据行的审核结果(最多前5000行)" }),
});

/** The whole stored report (reports/{uploadId}.json): at most 1,000 issues with their text. */
export const reportSchema = reportBase
  .extend({ issues: z.array(issueSchema) })
  .meta({ id: "ValidationReport" });

export const issuePageSchema = z
  .object({
    offset: z.number().int(),
    limit: z.number().int(),
    total: z.number().int().meta({ description: "报告中保留全文的问题数(最多1000条)" }),
    items: z.array(issueSchema),
  })
  .meta({ id: "IssuePage" });

/** A report as the API answers: the summary and one page of its issues. */
export const reportPageSchema = reportBase.extend({ issues: issuePageSchema }).meta({ id: "ReportPage" });

export const uploadSchema = z
  .object({
    uploadId: z.string(),
    scope: z.string(),
    key: z.string(),
    status: z
      .enum(["awaiting_file", "received", "validated", "aggregated", "rejected", "failed"])
      .meta({ description: "awaiting_file:已发放上传地址,尚未收到文件;failed:多次处理出错" }),
    error: z.string().optional().meta({ description: "未能审核或处理失败的原因(中文)" }),
    receivedAt: z.string(),
    updatedAt: z.string(),
    uploadedBy: z.string().optional(),
    fileName: z.string().optional(),
    bytes: z.number().optional(),
    reportStatus: z.enum(["accepted", "partial", "rejected"]).optional(),
    summary: reportSchema.shape.summary.optional(),
    applied: z.record(z.string(), z.number()).optional(),
  })
  .meta({ id: "Upload" });

export const uploadCreatedSchema = z
  .object({
    uploadId: z.string(),
    key: z.string().meta({ description: "文件在存储中的位置" }),
    url: z.string().meta({ description: "以 POST(multipart/form-data)上传到此地址" }),
    method: z.literal("POST"),
    fields: z
      .record(z.string(), z.string())
      .meta({ description: "须原样放在文件字段 file 之前的表单字段(key、Content-Type、策略与签名)" }),
    expiresAt: z.string(),
    maxBytes: z.number().int().meta({ description: "文件大小上限(字节),由上传策略强制执行" }),
  })
  .meta({ id: "UploadCreated" });

export const uploadStatusSchema = z
  .object({
    upload: uploadSchema,
    report: reportBase.nullable().meta({ description: "审核报告摘要(审核完成前为 null)" }),
    issues: issuePageSchema.nullable().meta({ description: "一页问题(offset、limit 翻页)" }),
    reportCsvUrl: z.string().nullable().meta({ description: "审核报告 CSV 的下载链接" }),
    reportXlsxUrl: z.string().nullable().meta({
      description: "审核意见表(Excel:原样的各行加“审核意见”“状态”列、单元格批注和“问题清单”)的下载链接",
    }),
  })
  .meta({ id: "UploadStatus" });

export const unitSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    leaf: z.boolean().meta({ description: "是否为报送单位(无下级)" }),
    depth: z.number().int().meta({ description: "层级,根单位为 0" }),
    children: z.array(z.string()),
  })
  .meta({ id: "Unit" });

export const bulletinSchema = z
  .object({
    scope: z.string(),
    period: month,
    edition: z.number().int().meta({ description: "0 为本月简报,1、2……为其后的第几次更正" }),
    status: z.enum(["draft", "signed", "issued"]).meta({
      description:
        "draft 送审稿(可修改、重新生成,尚无期号);signed 已签发、正式稿生成中;issued 已印发(不可再改)",
    }),
    status_label: z.string().meta({ description: "状态的中文名:送审稿、已签发、已印发" }),
    issue_number: z.number().int().nullable().meta({ description: "期号(当年第几期);送审稿为 null" }),
    issue: z.string().nullable().meta({ description: "期号全称,如 2026年第3期;送审稿为 null" }),
    revision: z.number().int().meta({ description: "送审稿第几版(每次生成加一;签发的是哪一版见 signature)" }),
    pages: z.number().int(),
    bytes: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    edits: z
      .object({
        editor_note: z.string().nullable().meta({ description: "编辑改写的编者按;null 为自动生成" }),
        cases: z
          .array(z.string())
          .nullable()
          .meta({ description: "编辑选定的典型案例(单位代码,按刊登顺序);null 为自动选取" }),
        comment: z.string().nullable().meta({ description: "编辑加的按语(印在典型案例之前)" }),
        edited_by: z.string().nullable(),
        edited_at: z.string().nullable(),
        version: z
          .number()
          .int()
          .meta({ description: "修改次数;改动时可带 expected_version 防止覆盖他人的修改" }),
        pending: z.boolean().meta({ description: "有尚未生成到送审稿中的修改(生成完成前不能签发)" }),
      })
      .meta({ id: "BulletinEdits" }),
    signature: z
      .object({
        signer: z.string().meta({ description: "签发人" }),
        signed_at: z.string(),
        issue_date: z.string().meta({ description: "签发日期(北京时间,YYYY-MM-DD),即报头日期" }),
        revision: z.number().int().meta({ description: "签发的送审稿版次" }),
      })
      .nullable(),
    correction: z
      .object({
        edition: z.number().int(),
        issue_number: z.number().int(),
        issue: z.string(),
        issue_date: z.string(),
        reason: z.string(),
      })
      .nullable()
      .meta({ description: "更正:本期更正的是哪一期、为什么" }),
    printed_cases: z
      .array(z.string())
      .meta({ description: "当前送审稿(或正式稿)刊登的典型案例(单位代码,按刊登顺序)" }),
    notified_at: z.string().nullable().meta({ description: "已通知领导的时间(印发后)" }),
  })
  .meta({ id: "Bulletin" });

/** 逐级审核 (GET /v1/reviews and /v1/reviews/{unit}/{period}); the portal's review pages read these shapes. */
export const reviewStateSchema = z.enum(["missing", "received", "approved", "returned", "confirmed"]);

export const lockSchema = z
  .object({
    scope: z.string(),
    month: z.string(),
    state: z.enum(["locking", "locked", "open"]),
    by: z.string(),
    at: z.string(),
    reason: z.string().optional(),
    unreported: z.array(z.string()).meta({ description: "确认时未报送的单位(记为未报)" }),
  })
  .meta({ id: "Lock" });

export const reviewEventSchema = z.object({
  action: z.enum(["approve", "return", "confirm", "unlock"]),
  version: z.string().nullable(),
  by: z.string(),
  at: z.string(),
  reason: z.string().optional(),
});

export const reviewsSchema = z.object({
  scope: z.object({ code: z.string(), name: z.string() }),
  period: z.string(),
  total: z.number().int(),
  counts: z.record(reviewStateSchema, z.number().int()),
  locks: z.array(lockSchema),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      parent: z.string().nullable(),
      state: reviewStateSchema,
      state_name: z.string(),
      version: z.string().nullable().meta({ description: "当前报送版本(审核时须给出)" }),
      submitted_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      decided_at: z.string().nullable(),
      reason: z.string().nullable().meta({ description: "退回修改的理由" }),
    }),
  ),
});

export const reviewHistorySchema = z.object({
  unit: z.string(),
  period: z.string(),
  state: reviewStateSchema,
  history: z.array(reviewEventSchema),
});
