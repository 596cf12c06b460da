/**
 * The API's errors: one base class carrying the HTTP status, a stable code and a Chinese message.
 * Route code throws these; only the handler's edge turns them into responses (see respondError).
 */
import { DangjianError } from "../errors.ts";

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** Field-level problems of a 400 (parameter → message). */
    readonly details?: readonly { readonly field: string; readonly message: string }[];
    /** Echoed on 5xx so a user can quote it to ops; never the cause itself. */
    readonly requestId?: string;
  };
}

/** Base of every error the API answers with on purpose: lib's error family, with an HTTP status. */
export class ApiError extends DangjianError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly details?: readonly { readonly field: string; readonly message: string }[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** 400: a parameter or body that does not validate. */
export class BadRequest extends ApiError {
  constructor(message: string, details?: readonly { field: string; message: string }[]) {
    super(400, "E_BAD_REQUEST", message, details);
  }
}

/** 401: no key, an unknown key, or a revoked key. */
export class Unauthenticated extends ApiError {
  constructor(code: "E_AUTH_MISSING" | "E_AUTH_INVALID" | "E_AUTH_REVOKED", message: string) {
    super(401, code, message);
  }
}

/** 403: a valid key asking for something outside its role or subtree. */
export class Forbidden extends ApiError {
  constructor(message: string) {
    super(403, "E_FORBIDDEN", message);
  }
}

/** 404: no such route, unit, upload or bulletin. */
export class NotFound extends ApiError {
  constructor(message: string) {
    super(404, "E_NOT_FOUND", message);
  }
}

/** 405: the path exists with other methods. */
export class MethodNotAllowed extends ApiError {
  constructor(
    method: string,
    readonly allowed: readonly string[],
  ) {
    super(405, "E_METHOD_NOT_ALLOWED", `该地址不支持 ${method} 请求,可用:${allowed.join("、")}。`);
  }
}

/** 409: the request is fine, the state of the data is not (a newer version, a locked month …). */
export class Conflict extends ApiError {
  constructor(code: string, message: string, details?: readonly { field: string; message: string }[]) {
    super(409, code, message, details);
  }
}

/** 413: a request body over the limit. */
export class PayloadTooLarge extends ApiError {
  constructor(message: string) {
    super(413, "E_TOO_LARGE", message);
  }
}

/** 415: a body of a type the route does not read. */
export class UnsupportedMediaType extends ApiError {
  constructor(message: string) {
    super(415, "E_MEDIA_TYPE", message);
  }
}

/** 503: the service cannot answer yet (no registry loaded, local stack starting, renderer missing). */
export class Unavailable extends ApiError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

export const INTERNAL_MESSAGE = "服务器内部错误,请稍后重试;如持续出现,请把请求编号告知运维人员。";
