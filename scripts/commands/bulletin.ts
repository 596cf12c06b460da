/**
 * `dangjian bulletin …`: the month's 简报 from draft to issue, against DynamoDB/S3 directly (AWS
 * credentials, or a running `npm start`): render a 送审稿, look at it and its candidate 典型案例,
 * edit it, 签发 it (期号 and date; the issued PDF is made here and then), and 更正 an issued one.
 * `dangjian bulletin --scope … --period … --out …` (no subcommand) is `render`, as before 审签.
 */
import { writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { SNSClient } from "@aws-sdk/client-sns";
import type { Command } from "commander";
import type { Services } from "../../lib/aws/services.ts";
import { SnsNotifier } from "../../lib/aws/sns-notifier.ts";
import { cleanStory, substantiveLength } from "../../lib/bulletin/cases.ts";
import { composeBulletin, loadWording, renderBulletinPdf } from "../../lib/bulletin/index.ts";
import {
  type BulletinDeps,
  bulletinFileName,
  correctBulletin,
  draftInput,
  editBulletin,
  issueBulletin,
  publishBulletin,
  signBulletin,
} from "../../lib/bulletin/service.ts";
import {
  assertDraft,
  bulletinName,
  editionOf,
  hasPendingEdits,
  issueLabel,
  statusOf,
} from "../../lib/bulletin/signoff.ts";
import { type Month, monthLabel, parseMonth } from "../../lib/domain/periods.ts";
import { BulletinMissing, BulletinRequestError, BulletinStateError } from "../../lib/errors.ts";
import type { BulletinRecord } from "../../lib/ports.ts";
import type { CommandContext } from "../support/command.ts";
import { UsageError } from "../support/usage-error.ts";
import { servicesFromEnvironment } from "./services.ts";

interface Target {
  scope: string;
  period: string;
  edition?: string;
}

const STATUS = { draft: "送审稿", signed: "已签发(正式稿生成中)", issued: "已印发" } as const;

function withTarget(cmd: Command): Command {
  return cmd
    .requiredOption("-s, --scope <代码>", "范围:市(根单位)或片区的单位代码")
    .requiredOption("-p, --period <YYYY-MM>", "月份")
    .option("-e, --edition <n>", "第几次更正(不填为本月简报)");
}

function editionArg(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 99)
    throw new UsageError(`--edition 应为0至99的整数,收到“${text}”。`);
  return n;
}

function notifierFor(services: Services, arn: string | undefined): SnsNotifier | undefined {
  return arn ? new SnsNotifier(new SNSClient({ region: services.config.AWS_REGION }), arn) : undefined;
}

async function context(opts: Target, wordingPath?: string) {
  const month = parseMonth(opts.period);
  if (!month) throw new UsageError(`--period 应为 YYYY-MM,收到“${opts.period}”。`);
  const edition = editionArg(opts.edition);
  const services = servicesFromEnvironment();
  const registry = await services.registry();
  if (!registry.has(opts.scope)) throw new UsageError(`单位名册中没有代码为“${opts.scope}”的单位。`);
  const deps: BulletinDeps = {
    stores: services.stores,
    objects: services.objects,
    registry,
    deadlineDay: services.config.DEADLINE_DAY,
    approvalLevels: services.config.APPROVAL_LEVELS,
    wording: await loadWording(wordingPath),
    compose: composeBulletin,
    render: renderBulletinPdf,
    notifier: notifierFor(services, services.config.BULLETIN_TOPIC_ARN),
    editors: notifierFor(services, services.config.BULLETIN_EDITORS_TOPIC_ARN),
  };
  const scopeName = registry.get(opts.scope)?.name ?? opts.scope;
  return { services, registry, deps, scope: opts.scope, month, edition, scopeName };
}

async function required(services: Services, scope: string, month: Month, edition: number, scopeName: string) {
  const record = await services.stores.bulletins.getBulletin(scope, month, edition);
  if (!record) {
    throw new BulletinMissing(
      `${scopeName}${monthLabel(month)}简报${edition ? `没有第${edition}次更正` : "尚未生成(先运行 dangjian bulletin render)"}。`,
    );
  }
  return record;
}

function describe(record: BulletinRecord, scopeName: string): string {
  const lines = [`${bulletinName(record, scopeName)}:${STATUS[statusOf(record)]}`];
  if (record.issueNumber > 0) lines.push(`  期号     ${issueLabel(record.period, record.issueNumber)}`);
  if (record.signature) {
    lines.push(
      `  签发     ${record.signature.signer},${record.signature.issueDate}(签发第${record.signature.revision}版)`,
    );
  }
  lines.push(
    `  版次     第${record.revision}版${hasPendingEdits(record) ? "(有尚未生成的修改)" : ""},${record.pages}页,${(record.bytes / 1024).toFixed(0)} KB`,
  );
  if (record.correction) {
    lines.push(
      `  更正     ${issueLabel(record.period, record.correction.issueNumber)}:${record.correction.reason}`,
    );
  }
  const e = record.edits;
  if (e?.editorNote)
    lines.push(`  编者按   (已改写)${e.editorNote.slice(0, 40)}${e.editorNote.length > 40 ? "……" : ""}`);
  if (e?.cases) lines.push(`  典型案例 (编辑选定)${e.cases.join("、")}`);
  else if (record.printedCases?.length) lines.push(`  典型案例 (自动选取)${record.printedCases.join("、")}`);
  if (e?.comment) lines.push(`  按语     ${e.comment.slice(0, 40)}${e.comment.length > 40 ? "……" : ""}`);
  if (e?.editedBy) lines.push(`  修改人   ${e.editedBy},${e.editedAt ?? ""}`);
  return `${lines.join("\n")}\n`;
}

async function writePdf(
  services: Services,
  record: BulletinRecord,
  out: string | undefined,
): Promise<string> {
  if (!out || !record.key) return "";
  await writeFile(out, await services.objects.getBytes(record.key));
  return ` → ${out}`;
}

/** Refusals of a bulletin's state are the user's answer (exit 1); bad arguments are usage (exit 2). */
function guarded<A extends unknown[]>(ctx: CommandContext, action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof BulletinRequestError) throw new UsageError(err.message);
      if (err instanceof BulletinStateError || err instanceof BulletinMissing) {
        ctx.io.err(`错误:${err.message}\n`);
        ctx.setExit(1);
        return;
      }
      throw err;
    }
  };
}

function commaList(text: string): string[] {
  return text
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function registerBulletin(program: Command, ctx: CommandContext): void {
  const bulletin = program
    .command("bulletin")
    .description("机关党建工作简报:生成送审稿、查看、修改、签发、更正(不带子命令即 render)");

  withTarget(bulletin.command("render", { isDefault: true }))
    .description("生成或重新生成送审稿(保留编辑的修改;已签发的补生成正式稿;已印发的不能重新生成)")
    .option("-o, --out <文件.pdf>", "把生成的PDF写到这里")
    .option("--wording <templates/bulletin.json>", "简报措辞模板(默认 templates/bulletin.json)")
    .action(
      guarded(ctx, async (opts: Target & { out?: string; wording?: string }) => {
        const c = await context(opts, opts.wording);
        const existing = await c.services.stores.bulletins.getBulletin(c.scope, c.month, c.edition);
        if (existing && statusOf(existing) === "issued") assertDraft(existing, c.scopeName, "重新生成");
        const started = Date.now();
        const out = await publishBulletin(c.deps, c.scope, c.month, new Date(), { edition: c.edition });
        const r = out.record;
        const what =
          statusOf(r) === "issued"
            ? `正式稿${issueLabel(r.period, r.issueNumber)}`
            : `送审稿第${r.revision}版(签发时编定期号)`;
        ctx.io.out(
          `已生成${bulletinName(r, c.scopeName)}${what},${r.pages}页,${(r.bytes / 1024).toFixed(0)} KB,` +
            `用时${Date.now() - started}毫秒${await writePdf(c.services, r, opts.out)}\n`,
        );
      }),
    );

  withTarget(bulletin.command("show"))
    .description("显示简报的状态、期号、版次和编辑的修改(--out 下载当前PDF)")
    .option("-o, --out <文件.pdf>", "把当前PDF(送审稿或正式稿)写到这里")
    .option("--json", "输出 JSON")
    .action(
      guarded(ctx, async (opts: Target & { out?: string; json?: boolean }) => {
        const c = await context(opts);
        const record = await required(c.services, c.scope, c.month, c.edition, c.scopeName);
        const wrote = await writePdf(c.services, record, opts.out);
        if (opts.json) ctx.io.out(`${JSON.stringify(record, null, 2)}\n`);
        else
          ctx.io.out(
            `${describe(record, c.scopeName)}${wrote ? `  文件    ${bulletinFileName(record, c.scopeName)}${wrote}\n` : ""}`,
          );
      }),
    );

  withTarget(bulletin.command("cases"))
    .description("列出本月可选作典型案例的亮点工作(单位代码供 edit --cases 使用)")
    .action(
      guarded(ctx, async (opts: Target) => {
        const c = await context(opts);
        const record = await required(c.services, c.scope, c.month, c.edition, c.scopeName);
        const input = await draftInput(c.services.objects, record);
        if (!input) throw new BulletinMissing(`${bulletinName(record, c.scopeName)}的送审稿尚未生成。`);
        const printed = record.printedCases ?? [];
        const rows = input.highlights
          .map((h) => ({ h, text: cleanStory(h.text) }))
          .filter((x) => substantiveLength(x.text) > 0)
          .sort((a, b) => {
            const pa = printed.indexOf(a.h.code);
            const pb = printed.indexOf(b.h.code);
            return (
              (pa < 0 ? 99 : pa) - (pb < 0 ? 99 : pb) || substantiveLength(b.text) - substantiveLength(a.text)
            );
          });
        ctx.io.out(
          `${bulletinName(record, c.scopeName)}可选的典型案例(${rows.length}条;★为当前刊登,${record.edits?.cases ? "编辑选定" : "自动选取"}):\n`,
        );
        for (const { h, text } of rows) {
          const at = printed.indexOf(h.code);
          ctx.io.out(
            `${at >= 0 ? `★${at + 1}` : "  "} ${h.code} ${h.name}(${h.parentName},${substantiveLength(text)}字)${text.slice(0, 50)}${text.length > 50 ? "……" : ""}\n`,
          );
        }
      }),
    );

  withTarget(bulletin.command("edit"))
    .description("修改送审稿的编者按、典型案例(选取和顺序)、按语,并重新生成送审稿")
    .option("--editor-note <文字>", "改写后的编者按")
    .option("--reset-editor-note", "恢复自动生成的编者按")
    .option("--cases <代码,代码>", "选作典型案例的单位代码,按刊登顺序")
    .option("--reset-cases", "恢复自动选取典型案例")
    .option("--comment <文字>", "按语(印在典型案例之前)")
    .option("--reset-comment", "去掉按语")
    .option("--by <姓名>", "修改人", userInfo().username)
    .option("-o, --out <文件.pdf>", "把新的送审稿写到这里")
    .action(
      guarded(
        ctx,
        async (
          opts: Target & {
            editorNote?: string;
            resetEditorNote?: boolean;
            cases?: string;
            resetCases?: boolean;
            comment?: string;
            resetComment?: boolean;
            by: string;
            out?: string;
          },
        ) => {
          const either = <T>(
            value: T | undefined,
            reset: boolean | undefined,
            name: string,
          ): T | null | undefined => {
            if (value !== undefined && reset)
              throw new UsageError(`--${name} 和 --reset-${name} 不能同时使用。`);
            return reset ? null : value;
          };
          const editorNote = either(opts.editorNote, opts.resetEditorNote, "editor-note");
          const cases = either(
            opts.cases === undefined ? undefined : commaList(opts.cases),
            opts.resetCases,
            "cases",
          );
          const comment = either(opts.comment, opts.resetComment, "comment");
          if (editorNote === undefined && cases === undefined && comment === undefined) {
            throw new UsageError(
              "请至少给出 --editor-note、--cases、--comment(或对应的 --reset-…)中的一项。",
            );
          }
          if (cases && cases.length === 0) throw new UsageError("--cases 至少要有一个单位代码。");
          const c = await context(opts);
          const record = await required(c.services, c.scope, c.month, c.edition, c.scopeName);
          assertDraft(record, c.scopeName, "修改");
          const input = cases ? await draftInput(c.services.objects, record) : undefined;
          const allowed = input
            ? new Set(
                input.highlights.filter((h) => substantiveLength(cleanStory(h.text)) > 0).map((h) => h.code),
              )
            : undefined;
          const now = new Date();
          await editBulletin(
            c.services.stores.bulletins,
            c.registry,
            c.scope,
            c.month,
            c.edition,
            { editorNote, cases, comment, editedBy: opts.by },
            now,
            allowed,
          );
          const out = await publishBulletin(c.deps, c.scope, c.month, now, { edition: c.edition });
          ctx.io.out(
            `已保存修改并重新生成${bulletinName(out.record, c.scopeName)}送审稿第${out.record.revision}版` +
              `${await writePdf(c.services, out.record, opts.out)}\n`,
          );
        },
      ),
    );

  withTarget(bulletin.command("sign"))
    .description("签发:编定下一个期号,报头日期为今天,生成并保存正式稿(PDF/A),然后通知领导")
    .requiredOption("--signer <姓名>", "签发人")
    .option("--revision <n>", "签发的送审稿版次(默认最新一版;与最新版不符时拒绝)")
    .option("-o, --out <文件.pdf>", "把正式稿写到这里")
    .action(
      guarded(ctx, async (opts: Target & { signer: string; revision?: string; out?: string }) => {
        const c = await context(opts);
        const record = await required(c.services, c.scope, c.month, c.edition, c.scopeName);
        const revision = opts.revision === undefined ? record.revision : Number(opts.revision);
        if (!Number.isInteger(revision) || revision < 1)
          throw new UsageError(`--revision 应为正整数,收到“${opts.revision}”。`);
        const now = new Date();
        const signed = await signBulletin(
          c.services.stores.bulletins,
          c.registry,
          c.scope,
          c.month,
          { edition: c.edition, revision, signer: opts.signer, signedBy: `cli:${userInfo().username}` },
          now,
        );
        const issued = await issueBulletin(c.deps, c.scope, c.month, now, c.edition);
        const r = issued.record;
        ctx.io.out(
          `已签发${bulletinName(signed, c.scopeName)}:${issueLabel(r.period, r.issueNumber)},签发人${opts.signer},` +
            `报头日期${r.signature?.issueDate ?? ""},${r.pages}页${await writePdf(c.services, r, opts.out)}\n`,
        );
        if (!c.deps.notifier) ctx.io.err("(未设置 BULLETIN_TOPIC_ARN:没有发送印发通知)\n");
      }),
    );

  withTarget(bulletin.command("correct"))
    .description("发更正:为已印发的简报另起一期更正的送审稿(写明更正什么),之后照常修改、签发")
    .requiredOption("--reason <文字>", "更正说明:更正了什么")
    .option("--by <姓名>", "经办人", userInfo().username)
    .option("-o, --out <文件.pdf>", "把更正的送审稿写到这里")
    .action(
      guarded(ctx, async (opts: Target & { reason: string; by: string; out?: string }) => {
        const c = await context(opts);
        const now = new Date();
        const created = await correctBulletin(
          c.services.stores.bulletins,
          c.registry,
          c.scope,
          c.month,
          { reason: opts.reason, by: opts.by },
          now,
        );
        const out = await publishBulletin(c.deps, c.scope, c.month, now, { edition: editionOf(created) });
        ctx.io.out(
          `已建立${bulletinName(out.record, c.scopeName)}的送审稿第${out.record.revision}版` +
            `(签发:dangjian bulletin sign --scope ${c.scope} --period ${c.month} --edition ${editionOf(created)} --signer 姓名)` +
            `${await writePdf(c.services, out.record, opts.out)}\n`,
        );
      }),
    );
}
