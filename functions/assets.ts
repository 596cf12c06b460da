/**
 * GET /assets/{file}: the portal's client script and styles, content-hashed and served with a
 * year's cache (lib/web/assets.ts). A function of its own, so ECharts stays out of the API
 * function's package and cold start; it needs no AWS access at all.
 */
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ApiRequest, ApiResponse } from "../lib/api/http.ts";
import { loadAssets } from "../lib/files/web-assets.ts";

const catalog = loadAssets(fileURLToPath(new URL("./files/", import.meta.url)));

export async function handler(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
  const file = event.rawPath.startsWith("/assets/") ? event.rawPath.slice("/assets/".length) : "";
  return (
    catalog.serve(file, event as unknown as ApiRequest) ?? {
      statusCode: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
      body: "Not Found",
    }
  );
}
