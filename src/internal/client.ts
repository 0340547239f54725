/**
 * The UltraCart HTTP core: builds each operation's request from the table, sends it through the
 * application's `HttpClient` with auth and version headers, bounds each attempt by the timeout, maps the
 * status to a tagged error, decodes the body, and retries by the policy.
 */
import { type HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Either, ParseResult, Redacted, type Schedule, type Schema, type Tracer } from "effect"
import type * as Credentials from "../Credentials.js"
import { type ConversationError, DecodeError, TimeoutError } from "../Errors.js"
import type { RetryPolicy } from "../RetryPolicy.js"
import type { OperationShape } from "./operations.js"
import { decoderFor } from "./fastCheck.js"
import { isAttemptTimedOut, timedSenderOf } from "./nativeTimeout.js"
import { redactingCredentials } from "./redaction.js"
import { responseError } from "./responseError.js"
import { retrySchedule } from "./retry.js"
import { isLiveClock, maxTimerMillis, timeoutFail } from "./timeout.js"
import { fromHttpClientError, type Origin } from "./transportError.js"

/** The settled configuration of a client. */
export interface ClientConfig {
  readonly baseUrl: string
  readonly credentials: Credentials.Credentials
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy
}

/** What one call sends: the encoded path segment, the query and the JSON body text. */
export interface CallInput {
  readonly segment?: string | undefined
  readonly query?: Readonly<Record<string, string | number | undefined>> | undefined
  readonly body?: string | undefined
}

/** The API version every official SDK sends. */
export const apiVersion = "2017-03-01"

const setCredentials = (credentials: Credentials.Credentials) =>
  credentials._tag === "SimpleKey"
    ? (request: HttpClientRequest.HttpClientRequest) =>
        HttpClientRequest.setHeader(request, "x-ultracart-simple-key", Redacted.value(credentials.key))
    : (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.bearerToken(request, credentials.token)

const maxDescription = 500

/** Whether a query has a value to send (a call without options sends no query string at all). */
const hasValue = (query: Readonly<Record<string, string | number | undefined>>): boolean => {
  for (const key in query) if (query[key] !== undefined) return true
  return false
}

/** Calls of one operation, bound to a client and its configuration. */
export interface Core {
  /** An operation that answers with a JSON body of `schema`. */
  readonly json: <A, I>(
    operation: OperationShape,
    schema: Schema.Schema<A, I>
  ) => (input: CallInput, span: Tracer.AnySpan) => Effect.Effect<A, ConversationError>
  /** An operation that answers with any 2xx and no body of interest. */
  readonly empty: (
    operation: OperationShape
  ) => (input: CallInput, span: Tracer.AnySpan) => Effect.Effect<void, ConversationError>
}

/** Binds the core to an `HttpClient` and a configuration. */
export const makeCore = (client: HttpClient.HttpClient, config: ClientConfig): Core => {
  const authenticate = setCredentials(config.credentials)
  const timedSender = timedSenderOf(client)

  const call = <A>(
    operation: OperationShape,
    onSuccess: (origin: Origin, status: number, body: string) => Either.Either<A, DecodeError>
  ) => {
    const origin: Origin = { operation: operation.id, method: operation.method, path: operation.path }
    const [before, after] = operation.pathParam === undefined
      ? [operation.path, ""]
      : operation.path.split(`{${operation.pathParam}}`)
    const urlPrefix = config.baseUrl + before
    const schedule: Schedule.Schedule<unknown, ConversationError> = retrySchedule(config.retry, operation.idempotent)

    const onTimeout = () => new TimeoutError({ ...origin, timeout: config.timeout })
    const transportError = (error: HttpClientError.HttpClientError): ConversationError =>
      isAttemptTimedOut(error) ? onTimeout() : fromHttpClientError(origin, error)

    const handle = (response: HttpClientResponse.HttpClientResponse) =>
      Effect.flatMap(
        Effect.mapError(response.text, transportError),
        (body): Effect.Effect<A, ConversationError> => {
          const status = response.status
          if (status >= 200 && status < 300) return onSuccess(origin, status, body)
          return Effect.map(Clock.currentTimeMillis, (nowMillis) =>
            responseError({
              ...origin,
              status,
              body,
              ucRestError: response.headers["uc-rest-error"],
              retryAfter: response.headers["retry-after"],
              nowMillis
            })
          ).pipe(Effect.flip)
        }
      )

    // What every request of this operation shares, built once: method, Accept, version and credential.
    const template = authenticate(
      HttpClientRequest.setHeaders(HttpClientRequest.make(operation.method)(urlPrefix), {
        accept: "application/json",
        "x-ultracart-api-version": apiVersion
      })
    )
    // One attempt: sent, and its body read, within the timeout. A transport of this package bounds it
    // with its own timer; any other runs it in a child fiber. An infinite timeout costs nothing.
    const timeoutMillis = Duration.toMillis(config.timeout)
    const sendAndRead = (send: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) =>
      Effect.flatMap(Effect.mapError(send, transportError), handle)
    // The HTTP spans are children of the operation's span: given to a transport of this package, put in
    // the context for any other.
    const generic = (request: HttpClientRequest.HttpClientRequest, span: Tracer.AnySpan) =>
      Effect.withParentSpan(sendAndRead(client.execute(request)), span)
    const bounded = (request: HttpClientRequest.HttpClientRequest, span: Tracer.AnySpan) =>
      timeoutFail(generic(request, span), config.timeout, timeoutMillis, onTimeout)
    const attemptOf = (
      request: HttpClientRequest.HttpClientRequest,
      span: Tracer.AnySpan
    ): Effect.Effect<A, ConversationError> => {
      if (!Duration.isFinite(config.timeout)) {
        return timedSender === undefined ? generic(request, span) : sendAndRead(timedSender(request, undefined, span))
      }
      if (timedSender === undefined || timeoutMillis > maxTimerMillis) return bounded(request, span)
      // The transport's timer runs on real time: under a TestClock the attempt is bounded by virtual time.
      return Effect.clockWith((clock) =>
        isLiveClock(clock) ? sendAndRead(timedSender(request, timeoutMillis, span)) : bounded(request, span)
      )
    }

    return (input: CallInput, span: Tracer.AnySpan): Effect.Effect<A, ConversationError> => {
      let request = input.segment === undefined
        ? template
        : HttpClientRequest.setUrl(template, urlPrefix + input.segment + (after ?? ""))
      if (input.query !== undefined && hasValue(input.query)) {
        request = HttpClientRequest.setUrlParams(request, input.query)
      }
      if (input.body !== undefined) request = HttpClientRequest.bodyText(request, input.body, "application/json")
      const attempt = attemptOf(request, span)
      // The retry driver is only built once an attempt failed: the schedule still sees that first failure.
      const retried = Effect.catchAll(attempt, (first) => {
        let replayed = false
        return Effect.retry(
          Effect.suspend(() => {
            if (replayed) return attempt
            replayed = true
            return Effect.fail(first)
          }),
          schedule
        )
      })
      return redactingCredentials(retried)
    }
  }

  return {
    json: <A, I>(operation: OperationShape, schema: Schema.Schema<A, I>) => {
      const decode = decoderFor(schema)
      return call(operation, (origin, status, body) => {
        const failure = (description: string) =>
          Either.left(new DecodeError({ ...origin, status, description: description.slice(0, maxDescription) }))
        if (body.length === 0) return failure("the body is empty, a JSON object was expected")
        const json = Either.try((): unknown => JSON.parse(body))
        if (Either.isLeft(json)) {
          const cause = json.left
          return failure(`the body is not JSON (${cause instanceof Error ? cause.message : "unreadable"})`)
        }
        return Either.mapLeft(decode(json.right), (error) =>
          new DecodeError({
            ...origin,
            status,
            description: ParseResult.TreeFormatter.formatErrorSync(error).slice(0, maxDescription)
          })
        )
      })
    },
    empty: (operation: OperationShape) => call(operation, () => Either.void)
  }
}
