/**
 * 审签 on the real emulators (DynamoDB Local + s3rver): the schedule drafts a 送审稿 and tells the
 * editors; edits are stored with the bulletin and survive re-renders; 签发 takes the next 期号 and
 * the 签发 date, the issued PDF is stored before leadership is told; a signed bulletin is immutable;
 * replayed and concurrent 签发 change nothing; an abandoned draft takes no number; a 更正 is a new
 * issue that says what it corrects. The CLI runs the same flow.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import {
  type BulletinDeps,
  correctBulletin,
  editBulletin,
  issueBulletin,
  publishBulletin,
  renderDraft,
  signBulletin,
} from "../../lib/bulletin/service.ts";
import type { Registry } from "../../lib/domain/registry.ts";
import { BulletinStateError } from "../../lib/errors.ts";
import { renderBulletinPdf } from "../../lib/files/render.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import type { BulletinRecord, Notifier } from "../../lib/ports.ts";
import { registerBulletin } from "../../scripts/commands/bulletin.ts";
import { runCommand } from "../api/fixture.ts";
import { figures, returnCsv, type TestRow } from "../support/returns.ts";
import { loadRegistry, registryCsv, unitCodes, useLocalStack } from "../support/stack.ts";
import { pdfPages, pdfStructure } from "./pdf-tools.ts";

const stackOf = useLocalStack({ LOG_LEVEL: "silent" });
const UNITS = unitCodes(2, 3);
const MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"] as const;
const ROOT = "001";
/** 签发 on 6 November, 09:30 Beijing time. */
const SIGNED_AT = new Date("2026-11-06T01:30:00.000Z");

const STORIES = [
  "组织党员干部深入社区开展志愿服务,帮助群众解决停车难、飞线充电等实际问题12个,群众满意度明显提升。",
  "开展“党员先锋岗”评比活动,评选出业务标兵和服务明星8名,以典型示范带动全体党员比学赶超、争创一流。",
  "联合结对社区开展政策宣讲进万家活动,党员宣讲员走进楼栋院落,本月宣讲12场、覆盖居民860人次。",
];

interface Sent {
  readonly subject: string;
  readonly message: string;
  /** The bulletin's record when the message went out. */
  readonly record: BulletinRecord | undefined;
}

let deps: BulletinDeps;
let registry: Registry;
const editors: Sent[] = [];
const leadership: Sent[] = [];

function recorder(into: Sent[], month: () => string): Notifier {
  return {
    async notify(subject, message) {
      into.push({ subject, message, record: await deps.stores.bulletins.getBulletin(ROOT, month()) });
    },
  };
}

let current = "2026-10";

beforeAll(async () => {
  const stack = stackOf();
  await loadRegistry(stack, registryCsv(2, 3));
  const rows: TestRow[] = MONTHS.flatMap((period, m) =>
    UNITS.map((unit, u) => ({
      unit,
      period,
      values: figures(m * 5 + u, u),
      ...(u < STORIES.length ? { highlight: STORIES[u] } : {}),
    })),
  );
  await stack.put("incoming/001/import/allmonths.csv", returnCsv(rows), {
    submittedAt: "2026-12-02T02:00:00.000Z",
  });
  await stack.drain();
  if (stack.deadLetters.length) throw new Error(JSON.stringify(stack.deadLetters));
  registry = await stack.services.registry();
  deps = {
    stores: stack.services.stores,
    objects: stack.services.objects,
    registry,
    deadlineDay: 5,
    wording: await loadWording(),
    compose: composeBulletin,
    render: renderBulletinPdf,
    notifier: recorder(leadership, () => current),
    editors: recorder(editors, () => current),
  };
}, 120_000);

const bulletins = () => deps.stores.bulletins;
const get = (month: string, edition = 0) =>
  bulletins().getBulletin(ROOT, month, edition) as Promise<BulletinRecord>;
const pdfOf = async (record: BulletinRecord) => Buffer.from(await deps.objects.getBytes(record.key));
const text = async (record: BulletinRecord) => (await pdfPages(await pdfOf(record))).join("");
const sign = (month: string, revision: number, signer = "李明", edition = 0) =>
  signBulletin(
    bulletins(),
    registry,
    ROOT,
    month,
    { revision, signer, signedBy: "test", edition },
    SIGNED_AT,
  );

async function refusal(action: Promise<unknown>): Promise<BulletinStateError> {
  const outcome = await action.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(BulletinStateError);
  return outcome as BulletinStateError;
}

describe("审签 of the October bulletin", () => {
  it("drafts a 送审稿 on the schedule, tells the editors (not leadership), and takes no 期号", async () => {
    const out = await publishBulletin(deps, ROOT, "2026-10", new Date(), { schedule: true });
    expect(out.action).toBe("drafted");
    const draft = await get("2026-10");
    expect(draft).toMatchObject({ status: "draft", revision: 1, issueNumber: 0, edition: 0 });
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(0);
    expect(editors).toHaveLength(1);
    expect(editors[0]?.subject).toContain("送审稿待审");
    expect(editors[0]?.message).toContain("--revision 1");
    expect(leadership).toHaveLength(0);
    const first = (await pdfPages(await pdfOf(draft)))[0];
    expect(first).toContain("送审稿");
    expect(first).not.toMatch(/第\d+期/);

    // The schedule fires again (EventBridge delivers at least once): nothing changes.
    const replay = await publishBulletin(deps, ROOT, "2026-10", new Date(), { schedule: true });
    expect(replay.action).toBe("unchanged");
    expect(await get("2026-10")).toEqual(draft);
    expect(editors).toHaveLength(1);
  }, 120_000);

  it("stores an edit with the bulletin, and every re-render keeps it", async () => {
    const [a, , c] = UNITS;
    const draft = await get("2026-10");
    // The automatic choice: the three units that sent a story long enough.
    expect([...(draft.printedCases ?? [])].sort()).toEqual(UNITS.slice(0, 3));
    const edited = await editBulletin(
      bulletins(),
      registry,
      ROOT,
      "2026-10",
      0,
      {
        editorNote: "十月,各级机关党组织扎实开展主题活动,成效明显。",
        cases: [c as string, a as string],
        comment: "以上经验值得学习借鉴。",
        editedBy: "编辑张华",
      },
      new Date(),
    );
    expect(edited).toMatchObject({ editVersion: 1, renderedEditVersion: 0, revision: 1 });
    // Until rendered, the edit cannot be signed: the 签发人 would sign what they have not seen.
    expect((await refusal(sign("2026-10", 1))).code).toBe("E_BULLETIN_PENDING_EDITS");

    const second = (await renderDraft(deps, ROOT, "2026-10", new Date())).record;
    expect(second).toMatchObject({ revision: 2, renderedEditVersion: 1, printedCases: [c, a] });
    const third = (await renderDraft(deps, ROOT, "2026-10", new Date())).record;
    expect(third.revision).toBe(3);
    expect(third.edits).toEqual(edited.edits);
    const printed = await text(third);
    expect(printed).toContain("编者按：十月，各级机关党组织扎实开展主题活动，成效明显。");
    expect(printed).toContain("按语：以上经验值得学习借鉴。");
    const cases = printed.slice(printed.indexOf("按语："));
    expect(cases.indexOf(`如${registry.get(c as string)?.name}`)).toBeGreaterThan(0);
    expect(cases.indexOf(`又如${registry.get(a as string)?.name}`)).toBeGreaterThan(
      cases.indexOf(`如${registry.get(c as string)?.name}`),
    );
    // The wording template is not where edits live.
    expect(await readFile(join(import.meta.dirname, "../../templates/bulletin.json"), "utf8")).not.toContain(
      "以上经验值得学习借鉴",
    );
    // An editor working from an old edit version is refused instead of overwriting.
    const stale = await refusal(
      editBulletin(
        bulletins(),
        registry,
        ROOT,
        "2026-10",
        0,
        { comment: "旧稿上的修改", editedBy: "编辑乙", expectedEditVersion: 0 },
        new Date(),
      ),
    );
    expect(stale.code).toBe("E_BULLETIN_REVISION");
  }, 180_000);

  it("signs only the latest revision, then takes 期号 1 and the 签发 date, stores the PDF, and only then tells leadership", async () => {
    expect((await refusal(sign("2026-10", 2))).code).toBe("E_BULLETIN_REVISION");
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(0);
    const signed = await sign("2026-10", 3);
    expect(signed).toMatchObject({
      status: "signed",
      issueNumber: 1,
      signature: { signer: "李明", issueDate: "2026-11-06", revision: 3 },
    });
    expect(leadership).toHaveLength(0);
    const out = await issueBulletin(deps, ROOT, "2026-10", new Date());
    expect(out.action).toBe("issued");
    const issued = await get("2026-10");
    expect(issued).toMatchObject({ status: "issued", issueNumber: 1 });
    expect(issued.key).toBe("bulletins/001/2026-10/jianbao-001-2026-no1.pdf");
    expect(issued.notifiedAt).toBeDefined();
    // Leadership heard once, when the record already said issued and named the stored PDF.
    expect(leadership).toHaveLength(1);
    expect(leadership[0]?.record).toMatchObject({ status: "issued", key: issued.key });
    expect(leadership[0]?.subject).toContain("2026年第1期");
    expect(await deps.objects.exists(issued.key)).toBe(true);

    const pdf = await pdfOf(issued);
    const pages = await pdfPages(pdf);
    expect(pages[0]).toContain("2026年第1期");
    expect(pages[0]).toContain("2026年11月6日");
    expect(pages[0]).not.toContain("送审稿");
    expect(pages.join("")).toContain("按语：以上经验值得学习借鉴。");
    const s = await pdfStructure(pdf);
    expect(s.xmp.get("pdfaid:part")).toBe("2");
    expect(s.xmp.get("dj:signer")).toBe("李明");
    expect(s.xmp.get("dj:issue")).toBe("2026年第1期");
  }, 180_000);

  it("refuses, with a clear 409, to re-render, edit or sign the signed bulletin — and the store refuses it too", async () => {
    const issued = await get("2026-10");
    const render = await refusal(renderDraft(deps, ROOT, "2026-10", new Date()));
    expect(render.code).toBe("E_BULLETIN_SIGNED");
    expect(render.message).toContain("已于2026年11月6日由李明签发为2026年第1期");
    expect(render.message).toContain("不能再重新生成");
    expect(render.message).toContain("更正");
    const edit = await refusal(
      editBulletin(bulletins(), registry, ROOT, "2026-10", 0, { comment: "改", editedBy: "x" }, new Date()),
    );
    expect(edit.message).toContain("不能再修改");
    // Underneath the checks, the conditional writes themselves refuse a signed bulletin.
    const direct = await bulletins().saveDraftRender(issued, {
      key: "bulletins/x.pdf",
      inputKey: "bulletins/x.json",
      pages: 1,
      bytes: 1,
      renderMs: 1,
      editVersion: issued.editVersion ?? 0,
      printedCases: [],
      at: new Date().toISOString(),
    });
    expect(direct.conflict).toBe(true);
    expect((await bulletins().saveEdits(ROOT, "2026-10", 0, { comment: "改" })).conflict).toBe(true);
    expect(await get("2026-10")).toEqual(issued);
  });

  it("changes nothing when 签发 or the issue run is replayed", async () => {
    const before = await get("2026-10");
    const bytes = await pdfOf(before);
    expect((await refusal(sign("2026-10", 3))).code).toBe("E_BULLETIN_SIGNED");
    const again = await publishBulletin(deps, ROOT, "2026-10", new Date());
    expect(again.action).toBe("unchanged");
    expect(await issueBulletin(deps, ROOT, "2026-10", new Date())).toMatchObject({ action: "unchanged" });
    expect(await get("2026-10")).toEqual(before);
    expect(Buffer.compare(await pdfOf(before), bytes)).toBe(0);
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(1);
    expect(leadership).toHaveLength(1);
  });
});

describe("期号: continuous per scope and year, used only at 签发", () => {
  it("lets one of two concurrent 签发 of a draft win; the other gets 409 and no number is used twice", async () => {
    current = "2026-11";
    const draft = (await renderDraft(deps, ROOT, "2026-11", new Date())).record;
    const results = await Promise.allSettled([
      sign("2026-11", draft.revision, "甲"),
      sign("2026-11", draft.revision, "乙"),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(BulletinStateError);
    const signed = await get("2026-11");
    expect(signed.issueNumber).toBe(2);
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(2);
  }, 120_000);

  it("gives two bulletins signed at once consecutive numbers (the counter retries, never skips or repeats)", async () => {
    const [july, august] = await Promise.all([
      renderDraft(deps, ROOT, "2026-07", new Date()),
      renderDraft(deps, ROOT, "2026-08", new Date()),
    ]);
    const [a, b] = await Promise.all([
      sign("2026-07", july.record.revision),
      sign("2026-08", august.record.revision),
    ]);
    expect([a.issueNumber, b.issueNumber].sort()).toEqual([3, 4]);
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(4);
  }, 180_000);

  it("takes no number for a draft that is abandoned: the next 签发 gets the next number", async () => {
    current = "2026-09";
    const abandoned = (await renderDraft(deps, ROOT, "2026-09", new Date())).record;
    expect(abandoned).toMatchObject({ status: "draft", issueNumber: 0 });
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(4);
    // Another scope counts on its own.
    const area = (await renderDraft(deps, "001001", "2026-10", new Date())).record;
    const areaSigned = await signBulletin(
      bulletins(),
      registry,
      "001001",
      "2026-10",
      { revision: area.revision, signer: "片区书记", signedBy: "test" },
      SIGNED_AT,
    );
    expect(areaSigned.issueNumber).toBe(1);
    const numbers = (await bulletins().listBulletins(ROOT))
      .filter((r) => r.issueNumber > 0)
      .map((r) => r.issueNumber)
      .sort((x, y) => x - y);
    expect(numbers).toEqual([1, 2, 3, 4]);
    expect((await get("2026-09")).issueNumber).toBe(0);
  }, 120_000);
});

describe("更正", () => {
  it("is a new issue of the month that says what it corrects; the corrected issue stays as it was", async () => {
    current = "2026-10";
    const original = await get("2026-10");
    // A draft is edited, not corrected.
    expect(
      (
        await refusal(
          correctBulletin(bulletins(), registry, ROOT, "2026-09", { reason: "x", by: "x" }, new Date()),
        )
      ).code,
    ).toBe("E_BULLETIN_NOT_ISSUED");
    const created = await correctBulletin(
      bulletins(),
      registry,
      ROOT,
      "2026-10",
      { reason: "第二部分“三会一课”次数统计有误", by: "编辑张华" },
      new Date(),
    );
    expect(created).toMatchObject({
      status: "draft",
      edition: 1,
      revision: 0,
      correction: { edition: 0, issueNumber: 1, issueDate: "2026-11-06" },
    });
    // The editors' edits come along to the correction.
    expect(created.edits?.comment).toBe("以上经验值得学习借鉴。");
    expect(
      (
        await refusal(
          correctBulletin(bulletins(), registry, ROOT, "2026-10", { reason: "再改", by: "x" }, new Date()),
        )
      ).code,
    ).toBe("E_BULLETIN_NOT_ISSUED");

    const drafted = await publishBulletin(deps, ROOT, "2026-10", new Date(), { edition: 1 });
    expect(drafted.record).toMatchObject({ revision: 1, status: "draft" });
    expect(editors.at(-1)?.subject).toContain("第1次更正");
    const signed = await sign("2026-10", 1, "李明", 1);
    expect(signed.issueNumber).toBe(5);
    await issueBulletin(deps, ROOT, "2026-10", new Date(), 1);
    const issued = await get("2026-10", 1);
    expect(issued).toMatchObject({ status: "issued", issueNumber: 5, edition: 1 });
    const printed = await text(issued);
    expect(printed).toContain(
      "更正说明：本期更正2026年第1期（2026年11月6日印发）的内容：第二部分“三会一课”次数统计有误。",
    );
    expect(printed).toContain("2026年第5期");
    expect((await pdfStructure(await pdfOf(issued))).xmp.get("dj:corrects")).toBe("2026年第1期");
    expect(leadership.at(-1)?.message).toContain("本期为2026年第1期的更正");

    expect(await get("2026-10")).toEqual(original);
    expect((await bulletins().listEditions(ROOT, "2026-10")).map((r) => [r.edition, r.issueNumber])).toEqual([
      [0, 1],
      [1, 5],
    ]);
  }, 180_000);
});

describe("Command: dangjian bulletin", () => {
  it("renders, shows, edits and signs a bulletin, and refuses to re-render the issued one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dangjian-bulletin-"));
    const draftFile = join(dir, "draft.pdf");
    // Without a subcommand it is `render`, as the command was before 审签.
    const rendered = await runCommand(registerBulletin, [
      "bulletin",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
      "--out",
      draftFile,
    ]);
    expect(rendered.exit, rendered.err).toBe(0);
    expect(rendered.out).toContain("送审稿第1版");
    expect((await pdfPages(await readFile(draftFile)))[0]).toContain("送审稿");

    const cases = await runCommand(registerBulletin, [
      "bulletin",
      "cases",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
    ]);
    expect(cases.out).toContain("★1");
    const edited = await runCommand(registerBulletin, [
      "bulletin",
      "edit",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
      "--comment",
      "请各单位对照学习。",
      "--cases",
      `${UNITS[1]},${UNITS[0]}`,
      "--by",
      "编辑王芳",
    ]);
    expect(edited.exit, edited.err).toBe(0);
    expect(edited.out).toContain("第2版");
    const bad = await runCommand(registerBulletin, [
      "bulletin",
      "edit",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
      "--cases",
      "001009009",
    ]);
    expect(bad.exit).toBe(1);
    expect(bad.err).toContain("001009009");

    const issuedFile = join(dir, "issued.pdf");
    const signed = await runCommand(registerBulletin, [
      "bulletin",
      "sign",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
      "--signer",
      "赵强",
      "--out",
      issuedFile,
    ]);
    expect(signed.exit, signed.err).toBe(0);
    expect(signed.out).toContain("2026年第6期");
    const pages = await pdfPages(await readFile(issuedFile));
    expect(pages[0]).toContain("2026年第6期");
    expect(pages.join("")).toContain("按语：请各单位对照学习。");

    const shown = await runCommand(registerBulletin, [
      "bulletin",
      "show",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
    ]);
    expect(shown.out).toContain("已印发");
    expect(shown.out).toContain("赵强");
    const again = await runCommand(registerBulletin, [
      "bulletin",
      "render",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
    ]);
    expect(again.exit).toBe(1);
    expect(again.err).toContain("签发后不能再重新生成");
    const resign = await runCommand(registerBulletin, [
      "bulletin",
      "sign",
      "--scope",
      ROOT,
      "--period",
      "2026-06",
      "--signer",
      "赵强",
    ]);
    expect(resign.exit).toBe(1);
    expect(await bulletins().lastIssueNumber(ROOT, 2026)).toBe(6);
  }, 240_000);
});
