/**
 * 密钥管理, ops only (authoriseKeyManagement, the rule `dangjian keys` follows too). Keys are made
 * by newApiKey and stored as hashes; the new key is shown once in the response, never again.
 */
import type { ApiResponse } from "../../api/http.ts";
import { authoriseKeyManagement, newApiKey } from "../../domain/auth.ts";
import { type PageContext, PageError } from "../context.ts";
import { redirect } from "../http.ts";
import { type KeysView, keysView } from "../views/keys.ts";
import { W } from "../wording.ts";
import { unitNames } from "./common.ts";
import { renderPage } from "./shell.ts";
import { formOf, type PageRoute } from "./types.ts";

function requireOps(ctx: PageContext): void {
  const decision = authoriseKeyManagement(ctx.viewer.principal);
  if (!decision.allowed) throw new PageError(403, decision.reason);
}

async function keysPage(ctx: PageContext, extra: Partial<KeysView> = {}, status = 200): Promise<ApiResponse> {
  const [records, names] = await Promise.all([ctx.deps.keys.listKeys(), unitNames(ctx)]);
  const keys = [...records]
    .reverse()
    .map((k) => ({ ...k, unitName: k.unit ? names.get(k.unit) : undefined }));
  return renderPage(ctx, { title: W.keys.title, status, body: keysView({ keys, ...extra }) });
}

export const keysListPage: PageRoute = {
  method: "GET",
  path: "/web/keys",
  async handle(ctx) {
    requireOps(ctx);
    return keysPage(ctx, { revoked: ctx.query.revoked });
  },
};

export const keysCreate: PageRoute = {
  method: "POST",
  path: "/web/keys",
  async handle(ctx) {
    requireOps(ctx);
    const form = formOf(ctx.request);
    const role = form.get("role") === "ops" ? "ops" : "unit";
    const unit = (form.get("unit") ?? "").trim();
    const label = (form.get("label") ?? "").trim().slice(0, 100);
    const entered = { role, unit, label };
    if (role === "unit") {
      if (!unit)
        return keysPage(ctx, { error: { field: "unit", message: W.keys.unitRequired }, form: entered }, 400);
      if (!(await unitNames(ctx)).has(unit)) {
        return keysPage(
          ctx,
          { error: { field: "unit", message: W.keys.unitUnknown(unit) }, form: entered },
          400,
        );
      }
    }
    const made = newApiKey({ role, unit: role === "unit" ? unit : null, label: label || undefined }, ctx.now);
    await ctx.deps.keys.putKey(made.record);
    return keysPage(ctx, { created: made.key }, 201);
  },
};

export const keysRevoke: PageRoute = {
  method: "POST",
  path: "/web/keys/{id}/revoke",
  async handle(ctx, params) {
    requireOps(ctx);
    const id = params.id as string;
    if (!(await ctx.deps.keys.revokeKey(id, ctx.now.toISOString())))
      throw new PageError(404, W.errors.notFound);
    return redirect(`/web/keys?revoked=${encodeURIComponent(id)}`);
  },
};
