/**
 * The UltraCart HTTP core: builds each operation's request from the table, sends it through the
 * application's `HttpClient` with auth and version headers, bounds each attempt by the timeout, maps the
 * status to a tagged error, decodes the body, and retries by the policy.
 */
import { type HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Either, Redacted, type Schedule, type Schema, type Tracer } from "effect"
import type * as Credentials from "../Credentials.js"
import { type ConversationError, DecodeError, TimeoutError } from "../Errors.js"
import type { RetryPolicy } from "../RetryPolicy.js"
import { decoderFor } from "./fastCheck.js"
import { isAttemptTimedOut, timedSenderOf } from "./nativeTimeout.js"
import { redactingCredentials } from "./redaction.js"
import { responseError } from "./responseError.js"
import { retrySchedule } from "./retry.js"
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
   * response schema, or is success with or without a body when it has none.
   */
  readonly prepare: (operation: OperationSpec) => (input: CallInput, span: Tracer.AnySpan) => Effect.Effect<Success, ConversationError>
}

/** Binds the core to an `HttpClient` and a configuration. */
export const makeCore = (client: HttpClient.HttpClient, config: ClientConfig): Core => {
  const authenticate = setCredentials(config.credentials)
  const timedSender = timedSenderOf(client)

  const call = <A>(
    operation: OperationSpec,
    onSuccess: (origin: Origin, status: number, body: string) => Either.Either<A, DecodeError>
  ) => {
    const origin: Origin = { operation: operation.id, method: operation.method, path: operation.path }
    const schedule: Schedule.Schedule<unknown, ConversationError> = retrySchedule(config.retry, isIdempotent(operation))

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

    return (input: CallInput, span: Tracer.AnySpan): Effect.Effect<A, ConversationError> => {
      let request = input.path === undefined ? template : HttpClientRequest.setUrl(template, config.baseUrl + input.path)
      if (input.query !== undefined && hasValue(input.query)) {
        request = HttpClientRequest.setUrlParams(request, input.query)
      }
      if (input.body !== undefined) request = HttpClientRequest.bodyText(request, input.body.text, input.body.contentType)
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
