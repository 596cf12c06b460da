/** 报表 for a 片区 or ops: any 报送单位 under the viewer. */
import type { StoredReturnView } from "../model.ts";
import { returnsView } from "../views/returns.ts";
import { W } from "../wording.ts";
import { subtreeUnits } from "./common.ts";
import { renderPage } from "./shell.ts";
import type { PageRoute } from "./types.ts";

export const returnsPage: PageRoute = {
  method: "GET",
  path: "/web/returns",
  async handle(ctx) {
    const leaves = (await subtreeUnits(ctx)).filter((u) => u.leaf);
    const code = ctx.query.unit || leaves[0]?.code;
    const answer = code
      ? await ctx.api<{ unit: { code: string; name: string }; returns: StoredReturnView[] }>(
          "GET",
          "/v1/returns",
          {
            query: { unit: code },
          },
        )
      : undefined;
    return renderPage(ctx, {
      title: W.returns.title,
      body: returnsView({ units: leaves, unit: answer?.unit, returns: answer?.returns ?? [] }),
    });
  },
};
