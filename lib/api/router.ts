/**
 * Routes as data: method, path pattern, schemas and documentation, plus the function that answers.
 * The handler matches them; GET /v1/openapi.json describes them; the schemas validate each request.
 */
import type { z } from "zod";
import type { PublicContext, RequestContext } from "./context.ts";
import { BadRequest, MethodNotAllowed, NotFound, UnsupportedMediaType } from "./errors.ts";
import { type ApiRequest, type ApiResponse, bodyBytes, header } from "./http.ts";
import { parseOrThrow } from "./params.ts";
import { errorSchema } from "./schemas.ts";

export type Method = "GET" | "POST";

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Other media types the route can answer with (format=csv, a PDF link …). */
  readonly csv?: boolean;
  /** A file the route answers with, by its media type (the Excel template). */
  readonly file?: string;
}

export interface RouteDoc {
  readonly method: Method;
  /** OpenAPI-style pattern: /v1/units/{code}. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** False only for health: everything else needs a key. */
  readonly auth: boolean;
  readonly query?: z.ZodType | undefined;
  readonly params?: z.ZodType | undefined;
  readonly body?: z.ZodType | undefined;
  /** How the body is read: a JSON object checked by `body`, or raw CSV bytes. */
  readonly bodyMedia?: "json" | "csv";
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

export interface Route extends RouteDoc {
  run(
    request: ApiRequest,
    params: Record<string, string>,
    ctx: RequestContext | PublicContext,
  ): Promise<ApiResponse>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export interface RouteInput<Q, B, P> {
  readonly query: Out<Q>;
  readonly body: Out<B>;
  readonly params: Out<P>;
  readonly request: ApiRequest;
}

interface Spec<Q, B, P, C> extends Omit<RouteDoc, "query" | "body" | "params" | "auth"> {
  readonly query?: Q;
  readonly body?: B;
  readonly params?: P;
  handle(input: RouteInput<Q, B, P>, ctx: C): Promise<ApiResponse>;
}

/** What parseOrThrow raises for any route that reads parameters or a body: documented with the route. */
const BAD_REQUEST: ResponseDoc = {
  description: "参数有误(E_BAD_REQUEST,details 列出每一项)",
  schema: errorSchema,
};

function build<Q, B, P, C>(spec: Spec<Q, B, P, C>, auth: boolean): Route {
  const schema = (s: unknown): z.ZodType | undefined => s as z.ZodType | undefined;
  const reads =
    spec.query !== undefined || spec.params !== undefined || spec.body !== undefined || spec.bodyMedia;
  return {
    ...spec,
    responses: reads ? { 400: BAD_REQUEST, ...spec.responses } : spec.responses,
    query: schema(spec.query),
    body: schema(spec.body),
    params: schema(spec.params),
    auth,
    async run(request, rawParams, ctx) {
      const query = spec.query
        ? parseOrThrow(schema(spec.query) as z.ZodType, request.queryStringParameters ?? {}, "query")
        : {};
      const params = spec.params ? parseOrThrow(schema(spec.params) as z.ZodType, rawParams, "path") : {};
      const body = spec.body ? parseOrThrow(schema(spec.body) as z.ZodType, readJson(request), "body") : {};
      return spec.handle({ query, params, body, request } as RouteInput<Q, B, P>, ctx as C);
    },
  };
}

/** A route that needs a key (every route but health). */
export function defineRoute<
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: Spec<Q, B, P, RequestContext>): Route {
  return build(spec, true);
}

export function definePublicRoute<Q extends z.ZodType | undefined = undefined>(
  spec: Spec<Q, undefined, undefined, PublicContext>,
): Route {
  return build(spec, false);
}

function readJson(request: ApiRequest): unknown {
  const bytes = bodyBytes(request);
  if (bytes.length === 0) return {};
  const type = header(request, "content-type") ?? "application/json";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaType("请求体应为 JSON(Content-Type: application/json)。");
  }
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new BadRequest("请求体不是有效的 JSON。");
  }
}

function segmentsOf(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Route patterns split once, not on every request. */
const patterns = new WeakMap<Route, readonly string[]>();

function patternOf(route: Route): readonly string[] {
  let segments = patterns.get(route);
  if (!segments) {
    segments = segmentsOf(route.path);
    patterns.set(route, segments);
  }
  return segments;
}

function matchPath(want: readonly string[], got: readonly string[]): Record<string, string> | undefined {
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith("{") && w.endsWith("}")) {
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/** The route for a request, or NotFound / MethodNotAllowed. Literal segments win over parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  const got = segmentsOf(path);
  const candidates = routes
    .map((route) => ({ route, params: matchPath(patternOf(route), got) }))
    .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  if (!candidates.length) throw new NotFound(`没有这个接口:${path}(接口列表见 GET /v1/openapi.json)。`);
  const wanted = method.toUpperCase();
  const hit = candidates.find((c) => c.route.method === wanted);
  if (hit) return hit;
  throw new MethodNotAllowed(wanted, [...new Set(candidates.map((c) => c.route.method))]);
}
