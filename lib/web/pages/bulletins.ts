/** 简报: GET /v1/bulletins, the PDF through its presigned link, 重新生成 through the API (ops only). */
import { monthSpec } from "../../api/params.ts";
import { PageError } from "../context.ts";
import { redirect } from "../http.ts";
import { type BulletinEntry, bulletinsView } from "../views/bulletins.ts";
import { W } from "../wording.ts";
import { renderPage } from "./shell.ts";
import { formOf, type PageRoute } from "./types.ts";

function period(value: string | undefined): string {
  if (!value || !monthSpec.safeParse(value).success) throw new PageError(404, W.errors.notFound);
  return value;
}

export const bulletinsPage: PageRoute = {
  method: "GET",
  path: "/web/bulletins",
  async handle(ctx) {
    const answer = await ctx.api<{ scope: { code: string; name: string }; bulletins: BulletinEntry[] }>(
      "GET",
      "/v1/bulletins",
      { query: { scope: ctx.query.scope } },
    );
    return renderPage(ctx, {
      title: W.bulletins.title,
      body: bulletinsView({
        ...answer,
        // The API decides (403 for a unit key); this only hides a button it would refuse.
        mayRender: ctx.viewer.isOps,
        rendered: ctx.query.rendered === "1",
      }),
    });
  },
};

export const bulletinPdf: PageRoute = {
  method: "GET",
  path: "/web/bulletins/{period}/pdf",
  async handle(ctx, params) {
    const answer = await ctx.api<{ url: string }>("GET", `/v1/bulletins/${period(params.period)}`, {
      query: { scope: ctx.query.scope },
    });
    return redirect(answer.url);
  },
};

export const bulletinRender: PageRoute = {
  method: "POST",
  path: "/web/bulletins/{period}/render",
  async handle(ctx, params) {
    const scope = formOf(ctx.request).get("scope") ?? undefined;
    await ctx.api("POST", `/v1/bulletins/${period(params.period)}/render`, { body: scope ? { scope } : {} });
    return redirect(`/web/bulletins?rendered=1${scope ? `&scope=${encodeURIComponent(scope)}` : ""}`);
  },
};
