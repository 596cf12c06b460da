/** Puts a page's body into the layout with the viewer's menu; the error pages. */
import type { ApiRequest, ApiResponse } from "../../api/http.ts";
import type { AssetName } from "../assets.ts";
import type { PageContext, Viewer, WebDeps } from "../context.ts";
import { type HtmlValue, html } from "../html.ts";
import { htmlResponse } from "../http.ts";
import { layout, type NavItem } from "../views/layout.ts";
import { W } from "../wording.ts";

function navItems(viewer: Viewer, path: string): NavItem[] {
  const items: [string, string][] = [];
  if (!viewer.isOps) items.push(["/web/home", W.nav.month]);
  items.push(["/web/upload", W.nav.upload]);
  if (viewer.leaf) items.push(["/web/history", W.nav.history]);
  else {
    items.push(
      ["/web/completeness", W.nav.completeness],
      ["/web/reviews", W.nav.reviews],
      ["/web/aggregates", W.nav.aggregates],
      ["/web/returns", W.nav.returns],
      ["/web/bulletins", W.nav.bulletins],
    );
  }
  if (viewer.isOps) items.push(["/web/keys", W.nav.keys]);
  return items.map(([href, label]) => ({
    href,
    label,
    current: path === href || path.startsWith(`${href}/`),
  }));
}

function who(viewer: Viewer): string {
  return viewer.isOps ? `${W.opsName} · ${viewer.name}` : W.signedInAs(viewer.name, viewer.code);
}

export interface PageInput {
  readonly title: string;
  readonly body: HtmlValue;
  readonly status?: number;
  readonly scripts?: readonly AssetName[];
  readonly refreshSeconds?: number | undefined;
  readonly cookies?: readonly string[];
}

export async function renderPage(ctx: PageContext, input: PageInput): Promise<ApiResponse> {
  const { assets } = ctx.deps;
  const scripts = ["portal.js" as const, ...(input.scripts ?? [])].map((s) => assets.url(s));
  const page = layout({
    title: input.title,
    css: assets.url("portal.css"),
    scripts,
    nav: { items: navItems(ctx.viewer, ctx.path), who: who(ctx.viewer) },
    body: input.body,
    refreshSeconds: input.refreshSeconds,
  });
  return htmlResponse(ctx.request, input.status ?? 200, page, {
    uploadOrigin: await ctx.deps.uploadOrigin(),
    cookies: input.cookies ?? [],
  });
}

/** A page for someone not (yet) logged in: no menu. */
export function renderOpenPage(deps: WebDeps, request: ApiRequest, input: PageInput): ApiResponse {
  const page = layout({
    title: input.title,
    css: deps.assets.url("portal.css"),
    scripts: [deps.assets.url("portal.js")],
    body: input.body,
  });
  return htmlResponse(request, input.status ?? 200, page, { cookies: input.cookies ?? [] });
}

export function errorPage(
  deps: WebDeps,
  request: ApiRequest,
  status: number,
  message: string,
  viewer: Viewer | undefined,
  path = request.rawPath,
  requestId?: string,
): ApiResponse {
  const title = W.errors.title(status);
  const body = html`<h1 class="title">${title}</h1>
<p class="lead">${message || (status === 403 ? W.errors.forbidden : W.errors.notFound)}</p>
${requestId ? html`<p>${W.errors.requestId}:<code>${requestId}</code></p>` : ""}
<p><a href="/web/home">${W.errors.home}</a></p>`;
  const page = layout({
    title,
    css: deps.assets.url("portal.css"),
    scripts: [deps.assets.url("portal.js")],
    nav: viewer ? { items: navItems(viewer, path), who: who(viewer) } : undefined,
    body,
  });
  return htmlResponse(request, status, page);
}
