/**
 * Turns a non-2xx response into its tagged error, with UltraCart's `ErrorResponse.error` fields, the
 * `UC-REST-ERROR` header and, for 429, the `Retry-After` wait.
 */
import { type Duration, Option, Schema } from "effect"
import {
  ApplicationDisabledError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  type ResponseError,
  ServerError,
  UnauthorizedError,
  UnexpectedStatusError
} from "../Errors.js"
import { ErrorResponse, type ErrorDetail } from "../Models.js"
import { parseRetryAfter } from "./retryAfter.js"

/** What is known of a failed response, independent of the HTTP library that read it. */
export interface FailedResponse {
  readonly operation: string
  readonly method: string
  readonly path: string
  readonly status: number
  /** The body text, or `undefined` when it could not be read. */
  readonly body: string | undefined
  readonly ucRestError: string | undefined
  readonly retryAfter: string | undefined
  readonly nowMillis: number
}

const decodeErrorResponse = Schema.decodeUnknownOption(Schema.parseJson(ErrorResponse))

const errorDetail = (body: string | undefined): ErrorDetail | undefined => {
  if (body === undefined || body.length === 0) return undefined
  return Option.getOrUndefined(Option.flatMapNullable(decodeErrorResponse(body), (response) => response.error))
}

/** The tagged error for a non-2xx response. */
export const responseError = (failed: FailedResponse): ResponseError => {
  const error = errorDetail(failed.body)
  const common = {
    operation: failed.operation,
    method: failed.method,
    path: failed.path,
    ...(error === undefined ? {} : { error }),
    ...(failed.ucRestError === undefined ? {} : { ucRestError: failed.ucRestError })
  }
  const status = failed.status
  switch (status) {
    case 400:
      return new BadRequestError({ ...common, status })
    case 401:
      return new UnauthorizedError({ ...common, status })
    case 403:
      return new ForbiddenError({ ...common, status })
    case 404:
      return new NotFoundError({ ...common, status })
    case 410:
      return new ApplicationDisabledError({ ...common, status })
    case 429: {
      const retryAfter: Option.Option<Duration.Duration> = parseRetryAfter(failed.retryAfter, failed.nowMillis)
      return new RateLimitError({
        ...common,
        status,
        ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
      })
    }
  }
  return status >= 500 && status <= 599
    ? new ServerError({ ...common, status })
    : new UnexpectedStatusError({ ...common, status })
}
