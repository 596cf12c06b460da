/**
 * The CLI's side of the HTTP API: endpoint and key from options or the environment
 * (DANGJIAN_ENDPOINT, DANGJIAN_KEY), JSON in and out, the API's Chinese error messages passed on.
 */
import type { z } from "zod";
import { UsageError } from "./usage-error.ts";

export const DEFAULT_ENDPOINT = "http://localhost:3000";

/** The API answered with an error (its Chinese message), or could not be reached. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

export interface ApiTarget {
  readonly endpoint: string;
  readonly key: string;
}

/** Options win over the environment; a missing key is a usage error, not a 401 round trip. */
export function apiTarget(
  opts: { endpoint?: string | undefined; key?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiTarget {
  const endpoint = (opts.endpoint ?? env.DANGJIAN_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const key = opts.key ?? env.DANGJIAN_KEY;
  if (!key) throw new UsageError("缺少接口密钥:请用 --key 指定,或设置环境变量 DANGJIAN_KEY。");
  if (!/^https?:\/\//.test(endpoint))
    throw new UsageError(`接口地址应以 http:// 或 https:// 开头,收到“${endpoint}”。`);
  return { endpoint, key };
}

export interface ApiReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export async function apiRequest(
  target: ApiTarget,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<ApiReply> {
  let res: Response;
  try {
    res = await fetch(`${target.endpoint}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.key}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new ApiCallError(
      `无法连接到接口 ${target.endpoint}(${reason})。请检查 --endpoint 或 DANGJIAN_ENDPOINT。`,
      0,
      "E_NETWORK",
    );
  }
  // Keep a CSV's BOM (Response.text() drops it): Excel needs it to read the file as UTF-8.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
  const reply = { status: res.status, contentType: res.headers.get("content-type") ?? "", text };
  if (res.status >= 400) throw errorOf(reply);
  return reply;
}

function errorOf(reply: ApiReply): ApiCallError {
  try {
    const parsed = JSON.parse(reply.text) as {
      error?: { code?: unknown; message?: unknown };
      message?: unknown;
    };
    if (parsed.error && typeof parsed.error.message === "string") {
      return new ApiCallError(parsed.error.message, reply.status, String(parsed.error.code ?? ""));
    }
    if (typeof parsed.message === "string") {
      return new ApiCallError(
        `接口网关拒绝了请求(${reply.status} ${parsed.message})。`,
        reply.status,
        "E_GATEWAY",
      );
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  return new ApiCallError(`接口返回错误(HTTP ${reply.status})。`, reply.status, "E_HTTP");
}

/** GET/POST expecting JSON, read through the API's own response schema. */
export async function apiJson<S extends z.ZodType>(
  target: ApiTarget,
  schema: S,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<z.output<S>> {
  const reply = await apiRequest(target, method, path, body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.text);
  } catch {
    throw new ApiCallError("接口返回的不是 JSON,请检查接口地址是否正确。", reply.status, "E_NOT_JSON");
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    throw new ApiCallError("接口返回的数据与本命令的版本不符,请更新 dangjian。", reply.status, "E_SHAPE");
  }
  return checked.data;
}
