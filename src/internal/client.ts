/**
 * The UltraCart HTTP core: builds each operation's request from the table, sends it through the
 * application's `HttpClient` with auth and version headers, bounds each attempt by the timeout, maps the
 * status to a tagged error, decodes the body, and retries by the policy. When configured, each attempt
 * first waits for the shared rate limit and is measured by the metrics; each retry is logged (Debug),
 * counted and marked on the operation's span.
 */
import { type HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Either, FiberRef, Option, Redacted, type Schedule, type Schema, type Tracer } from "effect"
import type * as Credentials from "../Credentials.js"
import { type ConversationError, DecodeError, TimeoutError } from "../Errors.js"
import type { RetryPolicy } from "../RetryPolicy.js"
import { decoderFor } from "./fastCheck.js"
import { type OperationMetrics, operationMetrics } from "./metrics.js"
import { isAttemptTimedOut, timedSenderOf } from "./nativeTimeout.js"
import { redactingCredentials } from "./redaction.js"
import { responseError } from "./responseError.js"
import type { Limiter } from "./rateLimit.js"
import { type RetryDecision, retrySchedule } from "./retry.js"
import { isLiveClock, maxTimerMillis, timeoutFail } from "./timeout.js"
import { isIdempotent, type OperationSpec } from "./operation.js"
import { formatParseError } from "./parseIssue.js"
import { fromHttpClientError, type Origin } from "./transportError.js"
import type { BodyText, QueryValues } from "./validate.js"

/** The settled configuration of a client. */
export interface ClientConfig {
  readonly baseUrl: string
  readonly credentials: Credentials.Credentials
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy
  /** Whether calls record the metrics of `./metrics.ts`. */
  readonly metrics: boolean
  /** The shared rate limit every attempt waits for, if any. */
  readonly limiter: Limiter | undefined
}

/** What one call sends: the filled path (below the base URL), the query and the body. */
export interface CallInput {
  /** `undefined` for an operation without path parameters: its template is the path. */
  readonly path?: string | undefined
  readonly query?: QueryValues | undefined
  readonly body?: BodyText | undefined
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
const hasValue = (query: QueryValues): boolean => {
  for (const key in query) if (query[key] !== undefined) return true
  return false
}

/** The decoded success of an operation: its response model (typed by the operation's row), or nothing. */
type Success = Schema.Schema.Type<Schema.Schema.AnyNoContext>

/** The calls of an operation, bound to a client and its configuration. */
export interface Core {
  /**
   * An operation's calls: sent with its method, headers and retry class; a 2xx is decoded with its
   * response schema, or is success with or without a body when it has none. `metrics` records the
   * operation's metrics, when they are on (the caller counts the calls in progress with it).
   */
  readonly prepare: (operation: OperationSpec) => {
    readonly send: (input: CallInput, span: Tracer.AnySpan) => Effect.Effect<Success, ConversationError>
    readonly metrics: OperationMetrics | undefined
  }
}

/** What a retry's log line, span event and metric say: bounded values, never a message or a body. */
const retryFields = (operation: OperationSpec, decision: RetryDecision) => {
  const error = decision.error
  const status = "status" in error ? error.status : undefined
  const delayMillis = Math.round(Duration.toMillis(decision.delay))
  return {
    message: `${operation.id}: attempt ${decision.attempt} failed (${error._tag}${status === undefined ? "" : ` ${status}`}); ` +
      `retrying in ${delayMillis} ms${decision.fromRetryAfter ? " (Retry-After)" : ""}`,
    attributes: {
      "ultracart.operation": operation.id,
      "ultracart.attempt": decision.attempt,
      "error.type": error._tag,
      ...(status === undefined ? {} : { "http.response.status_code": status }),
      "ultracart.retry.delay_ms": delayMillis,
      "ultracart.retry.from_retry_after": decision.fromRetryAfter
    }
  }
}

/**
 * Makes a retry visible: a Debug log line, the retry metric, and an `ultracart.retry` event on the
 * operation's span (the current span while a call retries).
 */
const observeRetry = (operation: OperationSpec, metrics: OperationMetrics | undefined) => (decision: RetryDecision) =>
  Effect.withFiberRuntime<void>((fiber) => {
    metrics?.retried(decision.error, fiber.getFiberRef(FiberRef.currentMetricLabels))
    const { attributes, message } = retryFields(operation, decision)
    return Effect.zipRight(
      Effect.flatMap(Effect.option(Effect.currentSpan), (span) =>
        Option.isNone(span)
          ? Effect.void
          // `unsafeCurrentTimeNanos`: a TestClock's `currentTimeNanos` fails on a fractional millisecond.
          : Effect.clockWith((clock) =>
            Effect.sync(() => span.value.event("ultracart.retry", clock.unsafeCurrentTimeNanos(), attributes))
          )),
      Effect.annotateLogs(Effect.logDebug(message), attributes)
    )
  })

/** Binds the core to an `HttpClient` and a configuration. */
export const makeCore = (client: HttpClient.HttpClient, config: ClientConfig): Core => {
  const authenticate = setCredentials(config.credentials)
  const timedSender = timedSenderOf(client)

  const call = <A>(
    operation: OperationSpec,
    onSuccess: (origin: Origin, status: number, body: string) => Either.Either<A, DecodeError>
  ) => {
    const origin: Origin = { operation: operation.id, method: operation.method, path: operation.path }
    const metrics = config.metrics ? operationMetrics(operation) : undefined
    const schedule: Schedule.Schedule<unknown, ConversationError> = retrySchedule(
      config.retry,
      isIdempotent(operation),
      observeRetry(operation, metrics)
    )
    const limiter = config.limiter
    const acquire = limiter?.acquire(origin)
    // A 429 with Retry-After pauses the shared budget for every client that shares its store.
    const pauseOn429 = (error: ConversationError) =>
      limiter !== undefined && error._tag === "RateLimitError" && error.retryAfter !== undefined
        ? limiter.pause(error.retryAfter)
        : Effect.void

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
      HttpClientRequest.setHeaders(HttpClientRequest.make(operation.method)(config.baseUrl + operation.path), {
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

    const send = (input: CallInput, span: Tracer.AnySpan): Effect.Effect<A, ConversationError> => {
      let request = input.path === undefined ? template : HttpClientRequest.setUrl(template, config.baseUrl + input.path)
      if (input.query !== undefined && hasValue(input.query)) {
        request = HttpClientRequest.setUrlParams(request, input.query)
      }
      if (input.body !== undefined) request = HttpClientRequest.bodyText(request, input.body.text, input.body.contentType)
      const sent = metrics === undefined ? attemptOf(request, span) : metrics.measure(attemptOf(request, span))
      // The rate limit's wait comes before the attempt, outside its timeout and its measured duration.
      const attempt = acquire === undefined ? sent : Effect.zipRight(acquire, Effect.tapError(sent, pauseOn429))
      // The retry driver is only built once an attempt failed: the schedule still sees that first failure.
      // It runs with the operation's span as the current span, for the retry events.
      const retried = Effect.catchAll(attempt, (first) => {
        let replayed = false
        return Effect.withParentSpan(
          Effect.retry(
            Effect.suspend(() => {
              if (replayed) return attempt
              replayed = true
              return Effect.fail(first)
            }),
            schedule
          ),
          span
        )
      })
      return redactingCredentials(retried)
    }
    return { send, metrics }
  }

  const json = <A, I>(operation: OperationSpec, schema: Schema.Schema<A, I>) => {
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
            description: formatParseError("response", error).slice(0, maxDescription)
          })
        )
      })
    }

  return {
    prepare: (operation) =>
      operation.response === undefined
        ? call(operation, (): Either.Either<Success, DecodeError> => Either.void)
        : json(operation, operation.response)
  }
}
