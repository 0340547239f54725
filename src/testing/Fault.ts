/**
 * Faults the embedded `MockServer` can inject into its answers: error statuses with or without
 * `Retry-After`, delays, dropped connections and malformed bodies. Script them per request with
 * `MockServer.injectFault` or at a rate with `MockServer.setFaultRate`.
 *
 * @since 0.1.0
 */
import { Data, Duration } from "effect"

/** What the body of an injected error status holds. */
export type StatusBody = "errorResponse" | "none" | "text"

/** A fault kind without parameters. */
type NoFields = Record<never, never>

/**
 * One fault. Status faults answer without applying the operation; delays apply it after the wait;
 * `DropAfterProcessing`, `TruncatedBody`, `NotJson`, `WrongShape` and `EmptyBody` apply the operation to
 * the store and then spoil the answer, so a `startConversation` did create its conversation.
 */
export type Fault = Data.TaggedEnum<{
  /** Answer with `status`, an optional `Retry-After` and an `ErrorResponse`, plain text or no body. */
  Status: { readonly status: number; readonly body: StatusBody; readonly retryAfter: string | undefined }
  /** Wait before processing the request and sending the headers. */
  DelayHeaders: { readonly delay: Duration.Duration }
  /** Send the headers and half the body, wait, then send the rest. */
  DelayBody: { readonly delay: Duration.Duration }
  /** Destroy the connection as soon as the request arrives, without reading or processing it. */
  DropBeforeProcessing: NoFields
  /** Read the request, apply the operation to the store, then destroy the connection without answering. */
  DropAfterProcessing: NoFields
  /** Declare the full `Content-Length`, send half the body, then close the connection. */
  TruncatedBody: NoFields
  /** Answer 200 with a body that is not JSON. */
  NotJson: NoFields
  /** Answer 200 with JSON of the wrong shape, e.g. `{"conversation":"nope"}` or `{"conversations":5}`. */
  WrongShape: NoFields
  /** Answer 200 with an empty body. */
  EmptyBody: NoFields
}>

const Fault = Data.taggedEnum<Fault>()

/** Whether a value is a fault of the given kind. */
export const $is = Fault.$is

/** Matches a fault by kind. */
export const $match = Fault.$match

/**
 * Answer with an HTTP status. `body` defaults to `"errorResponse"` (UltraCart's `ErrorResponse` JSON and
 * `UC-REST-ERROR` header); `retryAfter` is sent as `Retry-After`: seconds (a number) or an HTTP date.
 *
 * @example
 * Fault.status(503, { retryAfter: 1 })
 */
export const status = (
  code: number,
  options?: { readonly body?: StatusBody | undefined; readonly retryAfter?: string | number | undefined }
): Fault =>
  Fault.Status({
    status: code,
    body: options?.body ?? "errorResponse",
    retryAfter: options?.retryAfter === undefined ? undefined : String(options.retryAfter)
  })

/** A 429 rate limit answer, with `Retry-After` when given (seconds or an HTTP date). */
export const rateLimited = (retryAfter?: string | number): Fault => status(429, { retryAfter })

/** Wait `delay` before processing the request and sending the headers. */
export const delay = (duration: Duration.DurationInput): Fault => Fault.DelayHeaders({ delay: Duration.decode(duration) })

/** Send the headers and half the body, wait `delay`, then send the rest. */
export const delayBody = (duration: Duration.DurationInput): Fault =>
  Fault.DelayBody({ delay: Duration.decode(duration) })

/** Destroy the connection as soon as the request arrives; the operation is not applied. */
export const dropBeforeProcessing: Fault = Fault.DropBeforeProcessing()

/** Apply the operation, then destroy the connection without answering. */
export const dropAfterProcessing: Fault = Fault.DropAfterProcessing()

/** Apply the operation, declare the full `Content-Length`, send half the body and close the connection. */
export const truncatedBody: Fault = Fault.TruncatedBody()

/** Apply the operation and answer 200 with a body that is not JSON. */
export const notJson: Fault = Fault.NotJson()

/** Apply the operation and answer 200 with JSON of the wrong shape. */
export const wrongShape: Fault = Fault.WrongShape()

/** Apply the operation and answer 200 with an empty body. */
export const emptyBody: Fault = Fault.EmptyBody()

/** A short human-readable name of a fault, e.g. `status 503` or `delay 2s`. */
export const describe = (fault: Fault): string => {
  switch (fault._tag) {
    case "Status":
      return `status ${fault.status}${fault.retryAfter === undefined ? "" : ` (Retry-After: ${fault.retryAfter})`}`
    case "DelayHeaders":
      return `delay ${Duration.format(fault.delay)}`
    case "DelayBody":
      return `delay mid-body ${Duration.format(fault.delay)}`
    case "DropBeforeProcessing":
      return "drop before processing"
    case "DropAfterProcessing":
      return "drop after processing"
    case "TruncatedBody":
      return "truncated body"
    case "NotJson":
      return "non-JSON body"
    case "WrongShape":
      return "JSON of the wrong shape"
    case "EmptyBody":
      return "empty body"
  }
}
