/**
 * Converts the HTTP library's errors into `TransportError`, keeping a short description and never the
 * request (whose headers hold the credential).
 */
import type { HttpClientError } from "@effect/platform"
import { Predicate } from "effect"
import { TransportError, type TransportFailure } from "../Errors.js"

/** Error codes of a failed host name lookup: no address, so nothing was sent. */
const dnsCodes: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA", "EAI_FAIL"])

/** Error codes of a refused connection: nothing was sent. */
const refusedCodes: ReadonlySet<string> = new Set(["ECONNREFUSED"])

/** The chain of causes below an error (`cause`, and the members of an `AggregateError`). */
const causes = (error: unknown, depth = 0): ReadonlyArray<unknown> => {
  if (depth > 5 || !Predicate.isObject(error)) return []
  const nested = error instanceof AggregateError ? error.errors : []
  const cause = "cause" in error ? [error.cause] : []
  return [error, ...[...cause, ...nested].flatMap((inner) => causes(inner, depth + 1))]
}

const codeOf = (error: unknown): string | undefined =>
  Predicate.hasProperty(error, "code") && typeof error.code === "string" ? error.code : undefined

const messageOf = (error: unknown): string | undefined =>
  Predicate.hasProperty(error, "message") && typeof error.message === "string" && error.message.length > 0
    ? error.message
    : undefined

const hasCode = (cause: unknown, codes: ReadonlySet<string>): boolean =>
  causes(cause).some((error) => {
    const code = codeOf(error)
    return code !== undefined && codes.has(code)
  })

/**
 * Why no connection was made, when none was (so the server cannot have seen the request): the host
 * name did not resolve, or the connection was refused.
 */
export const notConnectedReason = (cause: unknown): "DnsLookupFailed" | "ConnectionRefused" | undefined =>
  hasCode(cause, dnsCodes) ? "DnsLookupFailed" : hasCode(cause, refusedCodes) ? "ConnectionRefused" : undefined

/** Whether a failure happened before any connection was made. */
export const isNotConnected = (cause: unknown): boolean => notConnectedReason(cause) !== undefined

/** A one-line description of a cause: its deepest code and message. */
export const describeCause = (cause: unknown): string => {
  const chain = causes(cause)
  const code = chain.map(codeOf).findLast((c) => c !== undefined)
  const message = chain.map(messageOf).findLast((m) => m !== undefined)
  const text = [code, message].filter((part) => part !== undefined).join(": ")
  return text.length === 0 ? "unknown cause" : text.slice(0, 300)
}

/** Where a failure happened. */
export interface Origin {
  readonly operation: string
  readonly method: string
  readonly path: string
}

/** The `TransportError` for an HTTP library error. */
export const fromHttpClientError = (origin: Origin, error: HttpClientError.HttpClientError): TransportError => {
  const reason: TransportFailure =
    error._tag === "ResponseError"
      ? "ResponseFailed"
      : error.reason === "InvalidUrl"
      ? "InvalidUrl"
      : (error.reason === "Transport" ? notConnectedReason(error.cause) : undefined) ?? "RequestFailed"
  return new TransportError({ ...origin, reason, description: describeCause(error.cause ?? error.description) })
}
