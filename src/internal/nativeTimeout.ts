/**
 * A side door between the client core and the transports of this package: a transport that can bound a
 * whole attempt (request, headers and body) with its own timer registers a sender here, and the core
 * then uses it instead of running each attempt in a child fiber (`./timeout.ts`). Any other
 * `HttpClient`, including one of ours wrapped by `HttpClient.mapRequest` and friends (a new object), is
 * not registered and gets the generic timeout.
 */
import type { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import type { Effect, Tracer } from "effect"

/**
 * Sends `request` (its `http.client` span a child of `parent`), failing with an `AttemptTimedOut` cause
 * when headers and body took more than `millis` (no limit when `undefined`).
 */
export type TimedSender = (
  request: HttpClientRequest.HttpClientRequest,
  millis: number | undefined,
  parent: Tracer.AnySpan | undefined
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

const senders = new WeakMap<HttpClient.HttpClient, TimedSender>()

/** Registers the timed sender of a client. */
export const registerTimedSender = (client: HttpClient.HttpClient, sender: TimedSender): void => {
  senders.set(client, sender)
}

/** The timed sender of a client, when it has one. */
export const timedSenderOf = (client: HttpClient.HttpClient): TimedSender | undefined => senders.get(client)

/** The cause a timed sender fails with when its timer fired. */
export class AttemptTimedOut extends Error {
  constructor(readonly millis: number) {
    super(`no complete response within ${millis} ms`)
    this.name = "AttemptTimedOut"
  }
}

/** Whether an HTTP client error is a timed sender's timeout. */
export const isAttemptTimedOut = (error: HttpClientError.HttpClientError): boolean =>
  error.cause instanceof AttemptTimedOut
