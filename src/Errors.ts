/**
 * The tagged errors every operation can fail with, one per failure kind, and their union
 * `ConversationError`. None of them carries a credential, a request object or a filled-in header.
 *
 * @since 0.1.0
 */
import { Duration, Schema } from "effect"
import { ErrorDetail } from "./Models.js"

/** Where a failure happened: the operation, its HTTP method and its path template. */
const origin = {
  operation: Schema.String,
  method: Schema.String,
  path: Schema.String
}

/** What every error built from an HTTP response carries. */
const responseFields = {
  ...origin,
  /** UltraCart's `ErrorResponse.error`, when the body had one. */
  error: Schema.optional(ErrorDetail),
  /** The `UC-REST-ERROR` header, UltraCart's human-readable error text, when present. */
  ucRestError: Schema.optional(Schema.String)
}

interface ResponseErrorLike {
  readonly operation: string
  readonly method: string
  readonly path: string
  readonly status: number
  readonly error?: ErrorDetail | undefined
  readonly ucRestError?: string | undefined
}

/** A text of UltraCart's on one line, or `undefined` when it says nothing. */
const oneLine = (text: string | undefined): string | undefined => {
  const line = text?.replace(/\s+/g, " ").trim()
  return line === undefined || line.length === 0 ? undefined : line
}

/**
 * What UltraCart said: its `user_message` (written for people) whenever the body had one, the
 * `developer_message` too when it says something else, and the `error_code`; without a body, the
 * `UC-REST-ERROR` header; without either, `fallback`.
 */
const describeResponse = (self: ResponseErrorLike, fallback: string): string => {
  const user = oneLine(self.error?.user_message)
  const developer = oneLine(self.error?.developer_message)
  const said = user !== undefined && developer !== undefined && developer !== user
    ? `${user} (developer message: ${developer})`
    : user ?? developer ?? oneLine(self.ucRestError) ?? fallback
  const code = oneLine(self.error?.error_code)
  return `${self.operation}: UltraCart answered ${self.status} to ${self.method} ${self.path}: ${said}${
    code === undefined ? "" : ` [error code ${code}]`
  }`
}

/** The call's arguments were refused before any request was sent. */
export class InvalidInputError extends Schema.TaggedError<InvalidInputError>()("InvalidInputError", {
  operation: Schema.String,
  argument: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: invalid ${this.argument}: ${this.reason}`
  }
}

/** UltraCart refused the request as malformed (HTTP 400). */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()("BadRequestError", {
  status: Schema.Literal(400),
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "bad request input")
  }
}

/** The credentials were missing, wrong or expired (HTTP 401). */
export class UnauthorizedError extends Schema.TaggedError<UnauthorizedError>()("UnauthorizedError", {
  status: Schema.Literal(401),
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "invalid credentials supplied")
  }
}

/** The credentials are valid but may not do this, e.g. a missing OAuth scope (HTTP 403). */
export class ForbiddenError extends Schema.TaggedError<ForbiddenError>()("ForbiddenError", {
  status: Schema.Literal(403),
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "forbidden")
  }
}

/** UltraCart has no such conversation, or these credentials cannot see it (HTTP 404). */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", {
  status: Schema.Literal(404),
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "not found")
  }
}

/** UltraCart disabled the authorized application (HTTP 410). */
export class ApplicationDisabledError extends Schema.TaggedError<ApplicationDisabledError>()(
  "ApplicationDisabledError",
  {
    status: Schema.Literal(410),
    ...responseFields
  }
) {
  override get message(): string {
    return describeResponse(this, "the authorized application has been disabled by UltraCart")
  }
}

/** The application exceeded its rate limit (HTTP 429); `retryAfter` is the wait the server asked for. */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()("RateLimitError", {
  status: Schema.Literal(429),
  ...responseFields,
  retryAfter: Schema.optional(Schema.Duration)
}) {
  override get message(): string {
    const wait = this.retryAfter === undefined ? "" : ` (retry after ${Duration.format(this.retryAfter)})`
    return describeResponse(this, "rate limit exceeded") + wait
  }
}

/** UltraCart failed on its side (HTTP 5xx). */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", {
  status: Schema.Number,
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "server error")
  }
}

/** A status that is neither 2xx nor one UltraCart documents (e.g. 302, 405, 418). */
export class UnexpectedStatusError extends Schema.TaggedError<UnexpectedStatusError>()("UnexpectedStatusError", {
  status: Schema.Number,
  ...responseFields
}) {
  override get message(): string {
    return describeResponse(this, "unexpected status")
  }
}

/**
 * Why a request could not be completed:
 * - `DnsLookupFailed`: the host name could not be resolved (`ENOTFOUND`, `EAI_AGAIN`); nothing was sent;
 * - `ConnectionRefused`: the host refused the connection (`ECONNREFUSED`); nothing was sent;
 * - `RequestFailed`: the connection failed while the request was sent or awaited its answer (reset,
 *   closed, TLS); the server may have processed it;
 * - `ResponseFailed`: the answer's status arrived but its body could not be read;
 * - `InvalidUrl`: the HTTP library refused the URL; nothing was sent.
 * `DnsLookupFailed` and `ConnectionRefused` are the cases where the server surely did not see the request.
 */
export const TransportFailure = Schema.Literal(
  "DnsLookupFailed",
  "ConnectionRefused",
  "RequestFailed",
  "ResponseFailed",
  "InvalidUrl"
)
/** Why a request could not be completed. */
export type TransportFailure = typeof TransportFailure.Type

/** The request could not be sent, or the response could not be read (network, DNS, reset, abort). */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  ...origin,
  reason: TransportFailure,
  description: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: ${this.method} ${this.path} failed (${this.reason}): ${this.description}`
  }
}

/** An attempt ran past the configured per-attempt timeout. */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  ...origin,
  timeout: Schema.Duration
}) {
  override get message(): string {
    return `${this.operation}: ${this.method} ${this.path} timed out after ${Duration.format(this.timeout)}`
  }
}

/** A successful response whose body is not JSON or does not match the operation's schema. */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...origin,
  status: Schema.Number,
  description: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: the ${this.status} response to ${this.method} ${this.path} could not be decoded: ${this.description}`
  }
}

/** Every failure an operation can return. */
export type ConversationError =
  | InvalidInputError
  | BadRequestError
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | ApplicationDisabledError
  | RateLimitError
  | ServerError
  | UnexpectedStatusError
  | TransportError
  | TimeoutError
  | DecodeError

/** Errors that come from an HTTP response status. */
export type ResponseError =
  | BadRequestError
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | ApplicationDisabledError
  | RateLimitError
  | ServerError
  | UnexpectedStatusError

/** Schema of the `ConversationError` union, for encoding errors across process boundaries. */
export const ConversationError = Schema.Union(
  InvalidInputError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ApplicationDisabledError,
  RateLimitError,
  ServerError,
  UnexpectedStatusError,
  TransportError,
  TimeoutError,
  DecodeError
)

/** Every `_tag` of `ConversationError`. */
export const conversationErrorTags = [
  "InvalidInputError",
  "BadRequestError",
  "UnauthorizedError",
  "ForbiddenError",
  "NotFoundError",
  "ApplicationDisabledError",
  "RateLimitError",
  "ServerError",
  "UnexpectedStatusError",
  "TransportError",
  "TimeoutError",
  "DecodeError"
] as const satisfies ReadonlyArray<ConversationError["_tag"]>

/** The guard of the union, built once (each `Schema.is` call builds a new one). */
const isConversationErrorValue = Schema.is(ConversationError)

/** Tells whether a value is one of this package's errors. */
export const isConversationError = (u: unknown): u is ConversationError => isConversationErrorValue(u)
