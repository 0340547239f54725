/**
 * A scripted test `HttpClient`: it records every request the client sends and answers from a script of
 * responses and failures (refused connections, resets, bodies that break mid-read, requests that never
 * answer). Shared by the unit tests; nothing here touches a network.
 */
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Cause, Clock, Duration, Effect, Exit, Fiber, Layer, Option, Ref, TestClock } from "effect"
import { type ClientOptions, ConversationService, type ConversationServiceShape } from "../../src/ConversationService.js"
import * as Credentials from "../../src/Credentials.js"

/** One request as the scripted client received it. */
export interface RecordedRequest {
  /** 0-based position in the order requests arrived. */
  readonly index: number
  readonly method: string
  /** The full URL, as the HTTP library would send it. */
  readonly url: string
  /** The URL's path, still percent-encoded. */
  readonly path: string
  /** The query parameters in order, decoded. */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** The headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** The body text, or `undefined` when the request had no body. */
  readonly body: string | undefined
  /** The request's abort signal, to check after the fact whether it was aborted. */
  readonly signal: AbortSignal
  /** The (test) clock's time when the request arrived. */
  readonly atMillis: number
}

/** What the scripted client does with one request. */
export type Step =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly body: string
    readonly headers: Readonly<Record<string, string>>
  }
  | { readonly _tag: "Refused"; readonly nested: boolean }
  | { readonly _tag: "DnsFailure"; readonly code: string }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "BrokenBody"; readonly status: number }
  | { readonly _tag: "StalledBody"; readonly status: number }
  | { readonly _tag: "Never" }
  | { readonly _tag: "Delay"; readonly duration: Duration.Duration; readonly then: Step }
  | { readonly _tag: "Die"; readonly message: string }

/** A response with this status, body text and headers. */
export const respond = (status: number, body = "", headers: Readonly<Record<string, string>> = {}): Step => ({
  _tag: "Respond",
  status,
  body,
  headers
})

/** A response whose body is `value` as JSON (with `Content-Type: application/json`). */
export const json = (status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): Step =>
  respond(status, JSON.stringify(value), { "content-type": "application/json", ...headers })

/** An UltraCart error response: an `ErrorResponse` body and the `UC-REST-ERROR` header. */
export const ucError = (
  status: number,
  error: Readonly<Record<string, string>> = { developer_message: `developer text ${status}`, user_message: `user text ${status}` },
  headers: Readonly<Record<string, string>> = {}
): Step =>
  json(status, { error, metadata: {}, success: false }, { "uc-rest-error": `uc-rest-error ${status}`, ...headers })

/** The connection was refused: nothing reached the server (`ECONNREFUSED`). `nested` wraps it as undici does. */
export const refused = (options: { readonly nested?: boolean } = {}): Step => ({
  _tag: "Refused",
  nested: options.nested ?? false
})

/**
 * The host name did not resolve (`ENOTFOUND`, or `EAI_AGAIN` for a temporary failure): nothing reached
 * the server. Wrapped as fetch and undici wrap it.
 */
export const dnsFailure = (code: "ENOTFOUND" | "EAI_AGAIN" = "ENOTFOUND"): Step => ({ _tag: "DnsFailure", code })

/** The connection was reset while the request was in flight (`ECONNRESET`): the server may have seen it. */
export const reset: Step = { _tag: "Reset" }

/** A response whose status line arrived but whose body fails while it is read. */
export const brokenBody = (status = 200): Step => ({ _tag: "BrokenBody", status })

/** A response whose headers arrive but whose body never ends (a server that stalls mid-body). */
export const stalledBody = (status = 200): Step => ({ _tag: "StalledBody", status })

/** A request that never answers (for timeouts and interruption). */
export const never: Step = { _tag: "Never" }

/** Answers with `then` after `duration` of (test) clock time. */
export const delayed = (duration: Duration.DurationInput, then: Step): Step => ({
  _tag: "Delay",
  duration: Duration.decode(duration),
  then
})

/** A request the test did not expect: a defect that names it. */
const unexpected = (index: number): Step => ({
  _tag: "Die",
  message: `scripted client: request #${index + 1} has no scripted answer`
})

/** A JSON response whose body stream `start` drives (to break it, or to leave it hanging). */
const streamedResponse = (
  request: HttpClientRequest.HttpClientRequest,
  status: number,
  start: (controller: ReadableStreamDefaultController<Uint8Array>) => void
) =>
  Effect.sync(() =>
    HttpClientResponse.fromWeb(
      request,
      new Response(new ReadableStream({ start }), { status, headers: { "content-type": "application/json" } })
    )
  )

/** An error with a Node-style `code`, as the HTTP libraries raise them. */
export const codedError = (message: string, code: string): Error => Object.assign(new Error(message), { code })

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : "<raw body>"
    case "FormData":
      return "<form data>"
    case "Stream":
      return "<stream>"
  }
}

/** Statuses whose response must not have a body (the `Response` constructor refuses one). */
const nullBodyStatuses: ReadonlySet<number> = new Set([204, 205, 304])

const answer = (
  request: HttpClientRequest.HttpClientRequest,
  step: Step
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  switch (step._tag) {
    case "Respond":
      return Effect.sync(() =>
        HttpClientResponse.fromWeb(
          request,
          new Response(step.body === "" && nullBodyStatuses.has(step.status) ? null : step.body, {
            status: step.status,
            headers: step.headers
          })
        )
      )
    case "Refused": {
      const refusal = codedError("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED")
      const cause = step.nested
        ? new TypeError("fetch failed", { cause: new AggregateError([refusal], "connect failed") })
        : refusal
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
    }
    case "DnsFailure": {
      const lookup = Object.assign(codedError(`getaddrinfo ${step.code} secure.ultracart.invalid`, step.code), {
        syscall: "getaddrinfo",
        hostname: "secure.ultracart.invalid"
      })
      const cause = new TypeError("fetch failed", { cause: lookup })
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
    }
    case "Reset":
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: new TypeError("fetch failed", { cause: codedError("read ECONNRESET", "ECONNRESET") })
        })
      )
    case "BrokenBody":
      return streamedResponse(request, step.status, (controller) => {
        controller.error(codedError("socket hang up", "ECONNRESET"))
      })
    case "StalledBody":
      return streamedResponse(request, step.status, (controller) => {
        controller.enqueue(new TextEncoder().encode("{\"conversation\":"))
      })
    case "Never":
      return Effect.never
    case "Delay":
      return Effect.zipRight(Effect.sleep(step.duration), answer(request, step.then))
    case "Die":
      return Effect.dieMessage(step.message)
  }
}

/** The scripted client and what it saw. */
export interface ScriptedClient {
  readonly client: HttpClient.HttpClient
  /** Every request received so far, in order. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** How many requests were received so far. */
  readonly count: Effect.Effect<number>
}

/** What to do once the script is used up. */
export interface ScriptOptions {
  /** The answer to every request past the script's end; by default such a request is a defect. */
  readonly otherwise?: Step | undefined
}

/**
 * Builds a scripted `HttpClient`: request `n` gets `script[n]`, requests past the end get `otherwise`
 * (or die, naming the unexpected request).
 */
export const makeScriptedClient = (
  script: ReadonlyArray<Step>,
  options: ScriptOptions = {}
): Effect.Effect<ScriptedClient> =>
  Effect.map(Ref.make<ReadonlyArray<RecordedRequest>>([]), (seen) => {
    const client = HttpClient.make((request, url, signal) =>
      Effect.gen(function*() {
        const atMillis = yield* Clock.currentTimeMillis
        const index = yield* Ref.modify(seen, (requests): readonly [number, ReadonlyArray<RecordedRequest>] => {
          const recorded: RecordedRequest = {
            index: requests.length,
            method: request.method,
            url: url.toString(),
            path: url.pathname,
            query: [...url.searchParams.entries()],
            headers: Object.fromEntries(Object.entries(request.headers)),
            body: bodyText(request),
            signal,
            atMillis
          }
          return [requests.length, [...requests, recorded]]
        })
        return yield* answer(request, script[index] ?? options.otherwise ?? unexpected(index))
      })
    )
    return { client, requests: Ref.get(seen), count: Effect.map(Ref.get(seen), (requests) => requests.length) }
  })

/** The simple key the tests use unless they say otherwise. */
export const testKey = "test-simple-key"

/** Layer options for a test: a simple key by default, everything else as given. */
export type TestClientOptions = Partial<ClientOptions>

/** `ConversationService.layer(options)` over the given (scripted) client. */
export const serviceLayer = (
  client: HttpClient.HttpClient,
  options: TestClientOptions = {}
): Layer.Layer<ConversationService> =>
  ConversationService.layer({ credentials: Credentials.simpleKey(testKey), ...options }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )

/** How `run` drives a call. */
export interface RunOptions extends ScriptOptions {
  /** Options of the service layer (credentials default to a simple key). */
  readonly client?: TestClientOptions | undefined
  /**
   * Advance the `TestClock` by this much (forking the call, then joining it) so that backoffs and
   * timeouts elapse. Without it the call runs directly and the clock stands still.
   */
  readonly advance?: Duration.DurationInput | undefined
}

/** The outcome of one scripted call: its exit and the requests the client sent. */
export interface Outcome<A, E> {
  readonly exit: Exit.Exit<A, E>
  readonly requests: ReadonlyArray<RecordedRequest>
}

/**
 * Runs `use` against a `ConversationService` over a scripted client and returns its exit (failures,
 * defects and layer-build failures included) with the requests sent.
 */
export const run = <A, E>(
  script: ReadonlyArray<Step>,
  use: (service: ConversationServiceShape) => Effect.Effect<A, E>,
  options: RunOptions = {}
): Effect.Effect<Outcome<A, E>> =>
  Effect.gen(function*() {
    const scripted = yield* makeScriptedClient(script, options)
    const call = Effect.exit(
      Effect.flatMap(ConversationService, use).pipe(Effect.provide(serviceLayer(scripted.client, options.client)))
    )
    const advance = options.advance
    const exit = advance === undefined
      ? yield* call
      : yield* Effect.gen(function*() {
        const fiber = yield* Effect.fork(call)
        yield* TestClock.adjust(advance)
        return yield* Fiber.join(fiber)
      })
    return { exit, requests: yield* scripted.requests }
  })

/** The (first) failure of an exit, or `undefined` when it succeeded, died or was interrupted. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

/** The success of an exit, or `undefined`. */
export const successOf = <A, E>(exit: Exit.Exit<A, E>): A | undefined => Exit.isSuccess(exit) ? exit.value : undefined

/** `"Success"`, the `_tag` of the failure, or `"Die"` / `"Interrupt"` for other causes. */
export const outcomeTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit)) return "Success"
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) return failure.value._tag
  return Cause.isDie(exit.cause) ? "Die" : Cause.isInterruptedOnly(exit.cause) ? "Interrupt" : "Other"
}

/** The message of the defect an exit died with, or `undefined`. */
export const defectMessage = <A, E>(exit: Exit.Exit<A, E>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const defect = Option.getOrUndefined(Cause.dieOption(exit.cause))
  return defect instanceof Error ? defect.message : defect === undefined ? undefined : String(defect)
}

/**
 * A value with the static type a call site needs, parsed from JSON at run time: simulates a caller from
 * plain JavaScript, whom no compiler stops from passing the wrong thing.
 */
export const fromJs = <T>(jsonText: string): T => JSON.parse(jsonText)

/** The request headers minus trace propagation (`b3`, `traceparent`), which the platform adds itself. */
export const wireHeaders = (request: RecordedRequest): Readonly<Record<string, string>> =>
  Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== "b3" && name !== "traceparent"))
