/**
 * A large batch return file for benchmarks, written as a stream (never held in memory): a registry
 * of ~rows/120 units in 100 片区, and one row per unit per month over 120 months, UTF-8 with BOM
 * and CRLF as Excel saves it; one row in five carries a quoted 亮点工作 with commas and quotes.
 */
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { INDICATORS } from "../../lib/domain/catalogue.ts";
import { addMonths, type Month } from "../../lib/domain/periods.ts";
import { csvCell, formatCsv } from "../../lib/ingest/csv.ts";
import { templateHeader } from "../../lib/ingest/header.ts";

export const BENCH_MONTHS = 120;
export const BENCH_END: Month = "2026-10";
const AREAS = 100;

export interface BatchFile {
  readonly rows: number;
  readonly units: number;
  readonly path: string;
  readonly registryPath: string;
}

function unitCode(i: number): string {
  return `001${String((i % AREAS) + 1).padStart(3, "0")}${String(Math.floor(i / AREAS) + 1).padStart(4, "0")}`;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

export async function ensureBatchFile(rows: number, dir = "bench-data"): Promise<BatchFile> {
  await mkdir(dir, { recursive: true });
  const units = Math.ceil(rows / BENCH_MONTHS);
  const path = join(dir, `batch-${rows}.csv`);
  const registryPath = join(dir, `units-${units}.csv`);
  if (!existsSync(registryPath)) {
    const reg: string[][] = [
      ["单位代码", "单位名称", "上级单位代码"],
      ["001", "基准测试市直机关工委", ""],
    ];
    for (let a = 1; a <= AREAS; a++) reg.push([`001${String(a).padStart(3, "0")}`, `第${a}片区`, "001"]);
    for (let i = 0; i < units; i++) {
      const code = unitCode(i);
      reg.push([code, `基准单位${i + 1}机关党支部`, code.slice(0, 6)]);
    }
    const out = createWriteStream(registryPath);
    await write(out, formatCsv(reg));
    out.end();
    await once(out, "finish");
  }
  if (existsSync(path)) return { rows, units, path, registryPath };
  const out = createWriteStream(`${path}.tmp`);
  await write(out, formatCsv([templateHeader()]));
  let buffer = "";
  for (let r = 0; r < rows; r++) {
    const unit = Math.floor(r / BENCH_MONTHS);
    const month = addMonths(BENCH_END, -(r % BENCH_MONTHS));
    const members = 20 + (unit % 200);
    const cells: (string | number)[] = [unitCode(unit), month];
    for (const ind of INDICATORS) {
      let v: number;
      if (ind.key === "branches_total") v = 1 + (members >> 4);
      else if (ind.key === "members_total") v = members;
      else if (ind.key === "members_reported") v = members - (unit % 3);
      else if (ind.key === "problems_solved") v = (r + unit) % 7;
      else if (ind.key === "problems_collected") v = 7;
      else if (ind.key === "volunteer_person_times") v = 10 + (r % 40);
      else if (ind.key === "volunteer_hours") v = 20 + ((r * 7) % 90) / 10;
      else if (ind.key === "donations_yuan") v = r % 50 === 0 ? 1000 + (r % 997) / 100 : 0;
      else v = (r * 31 + ind.key.length) % 9;
      cells.push(v);
    }
    const story =
      r % 5 === 0
        ? `组织党员开展“民情夜访”,走访群众${r % 40}户,收集问题7个,解决${(r + unit) % 7}个,"群众满意"。`
        : "";
    cells.push("", story, "张三", "0123-4567890");
    buffer += `${cells.map((c) => csvCell(c)).join(",")}\r\n`;
    if (buffer.length > 1 << 16) {
      await write(out, buffer);
      buffer = "";
    }
  }
  await write(out, buffer);
  out.end();
  await once(out, "finish");
  const { rename } = await import("node:fs/promises");
  await rename(`${path}.tmp`, path);
  return { rows, units, path, registryPath };
}
