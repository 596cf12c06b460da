/**
 * What the bulletin says of the office's workflow (issue 14): whether the month is 市级确认 or its
 * figures are 初步统计, and which 迟报 units reported only after a 催报. Pure: the composed model.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin } from "../../lib/bulletin/compose.ts";
import type { BulletinInput, ReviewState } from "../../lib/bulletin/input.ts";
import { type BulletinWording, parseWording } from "../../lib/bulletin/wording.ts";
import { loadWording } from "../../lib/files/wording-file.ts";
import { buildFixture } from "./fixture.ts";
import { sectionText } from "./helpers.ts";

let wording: BulletinWording;
let input: BulletinInput;

beforeAll(async () => {
  wording = await loadWording();
  input = buildFixture();
});

const withReview = (review: ReviewState): BulletinInput => ({ ...input, review });
const areas = () => input.children.map((c) => ({ code: c.code, name: c.name }));

describe("the bulletin and 逐级审核", () => {
  it("says nothing of confirmation where there is no 逐级审核 (APPROVAL_LEVELS=0)", () => {
    const model = composeBulletin(input, wording);
    const text = sectionText(model, "completeness");
    expect(text).not.toContain("初步统计");
    expect(text).not.toContain("市级确认");
    expect(model.editorNote.text).toContain("据统计，");
  });

  it("says 数据为初步统计 and names the 片区 still in review while some are not confirmed", () => {
    const all = areas();
    expect(all.length).toBeGreaterThan(2);
    const pending = all.slice(1);
    const model = composeBulletin(withReview({ areas: all.length, confirmed: 1, pending }), wording);
    const text = sectionText(model, "completeness");
    expect(text).toContain(`截至发稿，${all.length}个片区中已有1个完成市级确认，`);
    expect(text).toContain(`${pending.map((p) => p.name).join("、")}尚在审核中`);
    expect(text).toContain("本期数据为初步统计");
    expect(text).not.toContain(`${(all[0] as { name: string }).name}尚在`);
    expect(model.editorNote.text).toContain("据初步统计，");
    expect(model.editorNote.text).not.toContain("据统计，");
  });

  it("says 初步统计 without a list when no 片区 is confirmed yet", () => {
    const all = areas();
    const model = composeBulletin(withReview({ areas: all.length, confirmed: 0, pending: all }), wording);
    const text = sectionText(model, "completeness");
    expect(text).toContain("截至发稿，本月数据尚在逐级审核中，本期数据为初步统计");
    expect(text).not.toContain("尚在审核中，本期");
  });

  it("says the figures are confirmed once every 片区 is, and drops 初步", () => {
    const all = areas();
    const model = composeBulletin(
      withReview({ areas: all.length, confirmed: all.length, pending: [] }),
      wording,
    );
    const text = sectionText(model, "completeness");
    expect(text).toContain(`本月数据已经${all.length}个片区审核、市级确认。`);
    expect(text).not.toContain("初步统计");
    expect(model.editorNote.text).toContain("据统计，");
  });

  it("keeps the editors' own 编者按 as written", () => {
    const all = areas();
    const model = composeBulletin(withReview({ areas: all.length, confirmed: 0, pending: all }), wording, {
      kind: "draft",
      edits: { editorNote: "编辑改写的编者按。" },
    });
    expect(model.editorNote.text).toBe("编辑改写的编者按。");
  });
});

describe("the bulletin and 催报", () => {
  it("names the 迟报 units that reported after a 催报, with how many, in code order", () => {
    const late = [...input.completeness.late];
    expect(late.length).toBeGreaterThan(1);
    const [a, b] = [late[1], late[0]] as [(typeof late)[number], (typeof late)[number]];
    const model = composeBulletin(
      {
        ...input,
        completeness: {
          ...input.completeness,
          remindedLate: [
            { ...a, reminders: 1 },
            { ...b, reminders: 3 },
          ],
        },
      },
      wording,
    );
    const text = sectionText(model, "completeness");
    expect(text).toContain(`其中，${b.name}（催报3次）、${a.name}（催报1次）经催报后报送。`);
    expect(text.indexOf("迟报单位")).toBeLessThan(text.indexOf("经催报后报送"));
  });

  it("says nothing of 催报 when no late unit was reminded", () => {
    const model = composeBulletin(
      { ...input, completeness: { ...input.completeness, remindedLate: [] } },
      wording,
    );
    expect(sectionText(model, "completeness")).not.toContain("催报");
  });
});

describe("the workflow wording", () => {
  it("is optional in an older bulletin.json and checked like the rest when given", async () => {
    const { workflow: _omitted, ...older } = (await loadWording()) as BulletinWording;
    expect(parseWording(older).workflow.figuresProvisional).toContain("据初步统计");
    expect(() =>
      parseWording({ ...older, workflow: { ...wording.workflow, remindedName: "{unit}（{count}次）" } }),
    ).toThrow(/workflow\.remindedName: 未知的占位符 \{unit\}/);
  });
});
