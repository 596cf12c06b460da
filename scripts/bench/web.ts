/**
 * The portal on the local stack with the built-in sample: server time per page (p50/p95 of
 * sequential requests over loopback, so the figure is the server's work plus a local round trip),
 * page weight (gzip bytes of the HTML and what it loads, first visit and with the hashed assets
 * cached), and the packages: the API function with the portal, and the assets function.
 */

import { readdir, readFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { addMonths, monthOf } from "../../lib/domain/periods.ts";
import { buildFunctions } from "../build.ts";
import { startSamplePortal } from "../web/sample-portal.ts";

type Log = (line: string) => void;

export interface PageFigures {
  readonly page: string;
  readonly path: string;
  readonly status: number;
  readonly p50: number;
  readonly p95: number;
  readonly firstKb: number;
  readonly cachedKb: number;
  readonly target: number;
  /** p95 of the API request(s) the page makes, made directly with the ops key (where given). */
  readonly apiP95?: number | undefined;
}

interface Raw {
  readonly status: number;
  readonly bytes: number;
  readonly body: string;
  readonly location?: string | undefined;
  readonly setCookie?: string[] | undefined;
}

/** One request, reading the body as sent (gzip bytes when the server compressed it). */
function get(url: string, headers: Record<string, string>, method = "GET", body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "accept-encoding": "gzip", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const text = res.headers["content-encoding"] === "gzip" ? "" : raw.toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          bytes: raw.length,
          body: text,
          location: res.headers.location,
          setCookie: res.headers["set-cookie"],
        });
      });
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

async function zippedKb(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else total += deflateRawSync(await readFile(p), { level: 9 }).byteLength;
    }
  };
  await walk(dir);
  return Math.round(total / 1024);
}

export async function webBench(
  log: Log,
  runs = 60,
): Promise<{ pages: PageFigures[]; apiKb: number; assetsKb: number; units: number }> {
  log("== 门户:启动本地环境并导入示例数据");
  const units = 63;
  const portal = await startSamplePortal({ units, months: 13 });
  const base = portal.server.url;
  try {
    const loginAs = async (code: string, key: string): Promise<string> => {
      const r = await get(
        `${base}/web/login`,
        { origin: base, "content-type": "application/x-www-form-urlencoded" },
        "POST",
        new URLSearchParams({ code, key }).toString(),
      );
      const cookie = r.setCookie?.[0]?.split(";")[0];
      if (r.status !== 303 || !cookie) throw new Error(`login failed: ${r.status}`);
      return cookie;
    };
    const unit = await loginAs(portal.unit.code, portal.keys.unit);
    const area = await loginAs(portal.area.code, portal.keys.area);
    const ops = await loginAs(portal.root.code, portal.keys.ops);
    // One upload to show a 审核结果 page for.
    let reportId = "none";
    for (const scope of [portal.unit.code, portal.area.code, portal.root.code]) {
      const [found] = await portal.stack.services.stores.uploads.listUploads(scope, 1);
      if (found && reportId === "none") reportId = found.uploadId;
    }
    const month = addMonths(monthOf(new Date()), -2);
    const pages: [string, string, string | undefined, number][] = [
      ["登录", "/web/login", undefined, 100],
      ["本月填报(单位)", "/web/home", unit, 100],
      ["上传", "/web/upload", unit, 100],
      ["历史", "/web/history", unit, 100],
      ["本月填报(片区)", "/web/home", area, 100],
      ["审核结果(批量文件)", `/web/uploads/${reportId}`, ops, 100],
      ["报送情况", `/web/completeness?period=${month}`, ops, 100],
      ["汇总", `/web/aggregates?period=${month}`, ops, 200],
      ["汇总(今年以来)", "/web/aggregates?period=THIS_YEAR", ops, 200],
      [
        "汇总·近12个月走势(图表数据页)",
        `/web/aggregates/trend?to=${month}&indicator=volunteer_hours`,
        ops,
        200,
      ],
      ["报表", `/web/returns?unit=${portal.unit.code}`, ops, 100],
      ["简报", "/web/bulletins", ops, 100],
      ["密钥管理", "/web/keys", ops, 100],
    ];
    // The heaviest pages: the API request behind them alone, to tell the portal's share from the read side's.
    const apiPaths = new Map([
      ["汇总", `/v1/aggregates?scope=${portal.root.code}&period=${month}&breakdown=children&compare=false`],
      [
        "汇总(今年以来)",
        `/v1/aggregates?scope=${portal.root.code}&period=THIS_YEAR&breakdown=children&compare=false`,
      ],
      [
        "汇总·近12个月走势(图表数据页)",
        `/v1/aggregates?scope=${portal.root.code}&period=${month}&indicators=volunteer_hours&compare=false`,
      ],
    ]);
    const out: PageFigures[] = [];
    for (const [page, path, cookie, target] of pages) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      const first = await get(`${base}${path}`, headers);
      // The assets the page links to, as a first visit fetches them (gzip).
      const plain = await get(`${base}${path}`, { ...headers, "accept-encoding": "identity" });
      const assets = [...plain.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
      let assetBytes = 0;
      for (const a of assets) assetBytes += (await get(`${base}${a}`, {})).bytes;
      const timed = async (url: string, h: Record<string, string>): Promise<number[]> => {
        for (let i = 0; i < 3; i++) await get(url, h);
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          await get(url, h);
          times.push(performance.now() - t);
        }
        return times.sort((a, b) => a - b);
      };
      const times = await timed(`${base}${path}`, headers);
      const api = apiPaths.get(page);
      const apiTimes = api
        ? await timed(`${base}${api}`, { authorization: `Bearer ${portal.keys.ops}` })
        : undefined;
      const figures: PageFigures = {
        page,
        path: path.replace(/\?.*$/, ""),
        status: first.status,
        p50: Math.round(percentile(times, 50) * 10) / 10,
        p95: Math.round(percentile(times, 95) * 10) / 10,
        firstKb: Math.round(((first.bytes + assetBytes) / 1024) * 10) / 10,
        cachedKb: Math.round((first.bytes / 1024) * 10) / 10,
        target,
        apiP95: apiTimes ? Math.round(percentile(apiTimes, 95) * 10) / 10 : undefined,
      };
      log(`  ${page}:p95 ${figures.p95} ms,首次 ${figures.firstKb} KB,缓存后 ${figures.cachedKb} KB`);
      out.push(figures);
    }
    log("== 门户:函数包大小");
    await buildFunctions();
    const apiKb = await zippedKb(join(process.cwd(), ".build", "api"));
    const assetsKb = await zippedKb(join(process.cwd(), ".build", "assets"));
    return { pages: out, apiKb, assetsKb, units };
  } finally {
    await portal.stop();
  }
}
