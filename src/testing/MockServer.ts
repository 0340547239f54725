/**
 * `MockServer`: an embedded UltraCart-compatible HTTP server on 127.0.0.1 and a free port, serving the
 * mock routes over a mock store, with scripted or random fault injection and a record of the requests
 * it received. Scoped: the server and every open connection are closed when its layer is released.
 *
 * @since 0.1.0
 */
import { type HttpClient, HttpRouter, type HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Chunk, Clock, Context, type Duration, Effect, Layer, Option, Random, Ref, type Scope } from "effect"
import * as Http from "node:http"
import { type ClientOptions, ConversationService } from "../ConversationService.js"
import * as Credentials from "../Credentials.js"
import type { Operation, OperationId } from "../generated/operations.js"
import { redactingCredentials } from "../internal/redaction.js"
import { makeStore, type MockConversationStoreShape, type MockStoreOptions } from "./ConversationStore.js"
import type { Fault } from "./Fault.js"
import { type Around, basePath, errorResponse, makeRouter, type RouteOptions } from "./routes.js"

/** How a `MockServer` is built: the store's seed and identity, the accepted credentials, join/leave status. */
export interface MockServerOptions extends MockStoreOptions, RouteOptions {
  /** The most requests the record keeps; older ones are dropped first (default 10 000). */
  readonly maxRecorded?: number | undefined
}

/** A request as the server received it, with credential headers replaced by `"<redacted>"`. */
export interface RecordedRequest {
  readonly method: string
  /** The path without the query, e.g. `/rest/v2/conversation/conversations`. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  /** The body text; `undefined` when the connection was dropped before it was read. */
  readonly body: string | undefined
  /** The operation the request matched, if any. */
  readonly operationId: OperationId | undefined
  /** The fault injected into the answer, if any. */
  readonly fault: Fault | undefined
  /** When the request arrived: epoch milliseconds on the live clock (the server ignores a `TestClock`). */
  readonly receivedAtMillis: number
}

/** Which requests an injected fault applies to, and how many of them. */
export interface InjectFaultOptions {
  /** How many matching requests get the fault (default 1; `Infinity` for every one; 0 for none). */
  readonly times?: number | undefined
  /** Only requests for this operation; by default any request. */
  readonly operation?: OperationId | undefined
}

/** Random faults: each matching request gets one of `faults` with probability `probability`. */
export interface FaultRateOptions {
  /** 0 to 1. */
  readonly probability: number
  /** Drawn uniformly. */
  readonly faults: ReadonlyArray<Fault>
  /** Seeds the generator, so a run can be reproduced (default 1). */
  readonly seed?: number | undefined
  /** Only requests for these operations; by default any request. */
  readonly operations?: ReadonlyArray<OperationId> | undefined
}

/** The running server: where it listens, its store, fault injection and the request record. */
export interface MockServerShape {
  /** `http://127.0.0.1:<port>/rest/v2`, ready for `ConversationService.layer({ baseUrl })`. */
  readonly baseUrl: string
  readonly port: number
  /** Credentials this server accepts, for building a client. */
  readonly credentials: Credentials.Credentials
  /** The store the routes serve. */
  readonly store: MockConversationStoreShape
  /** Queues a fault for the next matching request(s); queued faults apply in order, before any rate. */
  readonly injectFault: (fault: Fault, options?: InjectFaultOptions) => Effect.Effect<void>
  /** Sets (replaces) random fault injection. */
  readonly setFaultRate: (options: FaultRateOptions) => Effect.Effect<void>
  /** Removes queued faults and the fault rate. */
  readonly clearFaults: Effect.Effect<void>
  /** How many queued fault applications are left (an `Infinity` entry counts as `Infinity`). */
  readonly pendingFaults: Effect.Effect<number>
  /** The requests received so far, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Forgets the recorded requests. */
  readonly clearRequests: Effect.Effect<void>
  /** Clears faults and the record, and puts the store back to its seed. */
  readonly reset: Effect.Effect<void>
}

interface QueuedFault {
  readonly fault: Fault
  readonly remaining: number
  readonly operation: OperationId | undefined
}

interface FaultRate {
  readonly probability: number
  readonly faults: ReadonlyArray<Fault>
  readonly random: Random.Random
  readonly operations: ReadonlySet<OperationId> | undefined
}

interface FaultState {
  readonly queue: ReadonlyArray<QueuedFault>
  readonly rate: FaultRate | undefined
}

const noFaults: FaultState = { queue: [], rate: undefined }
/** Node's default limit on the request line and headers together (16 KiB): no longer path can arrive. */
const maxRequestLine = 16 * 1024
const redacted = "<redacted>"

const redactHeaders = (headers: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[name] = Credentials.headerNames.includes(name.toLowerCase()) ? redacted : value
  }
  return out
}

/** The payload field of each operation's response, for `WrongShape` answers. */
const wrongShapeBody = (operation: Operation | undefined): unknown => {
  switch (operation?.id) {
    case "getConversations":
      return { conversations: 5, success: true }
    case "getAgentWebsocketAuthorization":
      return { agent_auth: "nope", success: true }
    case "getConversationMultimediaUploadUrl":
      return { conversation_multimedia_upload_url: ["nope"], success: true }
    default:
      return { conversation: "nope", success: true }
  }
}

const bodyBytes = (response: HttpServerResponse.HttpServerResponse): Uint8Array => {
  switch (response.body._tag) {
    case "Uint8Array":
      return response.body.body
    case "Raw":
      return typeof response.body.body === "string" ? new TextEncoder().encode(response.body.body) : new Uint8Array(0)
    default:
      return new Uint8Array(0)
  }
}

/**
 * Gives up on a Node response: destroys its socket and marks it ended, so the platform neither writes
 * to it nor tries to send an error answer after a fault already sent part of one.
 */
const abandon = (response: Http.ServerResponse) =>
  Effect.sync(() => {
    response.destroy()
    if (!response.writableEnded) response.end()
  })

const headersFor = (response: HttpServerResponse.HttpServerResponse, length: number): Http.OutgoingHttpHeaders => ({
  ...response.headers,
  "content-length": String(length)
})

/** Waits on the live clock; interrupted when the client goes away or the server shuts down. */
const pause = (delay: Duration.Duration) => Effect.interruptible(Effect.sleep(delay))

const statusResponse = (fault: Extract<Fault, { readonly _tag: "Status" }>) => {
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }
  const message = `Injected fault: HTTP ${fault.status}`
  switch (fault.body) {
    case "errorResponse":
      return errorResponse(fault.status, message, { headers })
    case "text":
      return HttpServerResponse.text(message, { status: fault.status, headers })
    case "none":
      return HttpServerResponse.empty({ status: fault.status, headers })
  }
}

/** Sends the answer to `handle` spoiled by `fault`, writing to the Node response where HTTP cannot say it. */
const applyFault = <R>(
  fault: Fault,
  operation: Operation | undefined,
  handle: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> => {
  switch (fault._tag) {
    case "Status":
      return Effect.succeed(statusResponse(fault))
    case "DelayHeaders":
      return Effect.zipRight(pause(fault.delay), handle)
    case "DropBeforeProcessing":
      return Effect.as(abandon(NodeHttpServerRequest.toServerResponse(request)), HttpServerResponse.empty())
    case "DropAfterProcessing":
      return Effect.flatMap(handle, (response) =>
        Effect.as(abandon(NodeHttpServerRequest.toServerResponse(request)), response))
    case "DelayBody":
      return Effect.flatMap(handle, (response) => {
        const raw = NodeHttpServerRequest.toServerResponse(request)
        const bytes = bodyBytes(response)
        const half = Math.floor(bytes.length / 2)
        return Effect.sync(() => {
          raw.writeHead(response.status, headersFor(response, bytes.length))
          raw.write(bytes.subarray(0, half))
        }).pipe(
          Effect.zipRight(pause(fault.delay)),
          Effect.zipRight(Effect.sync(() => raw.end(bytes.subarray(half)))),
          Effect.onInterrupt(() => abandon(raw)),
          Effect.as(response)
        )
      })
    case "TruncatedBody":
      return Effect.flatMap(handle, (response) => {
        const raw = NodeHttpServerRequest.toServerResponse(request)
        const own = bodyBytes(response)
        const bytes = own.length > 1 ? own : new TextEncoder().encode(JSON.stringify({ success: true }))
        const status = own.length > 1 ? response.status : 200
        return Effect.async<void>((resume) => {
          raw.writeHead(status, headersFor(response, bytes.length))
          raw.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => resume(Effect.void))
        }).pipe(
          Effect.ensuring(abandon(raw)),
          Effect.as(response)
        )
      })
    case "NotJson":
      return Effect.as(
        handle,
        HttpServerResponse.text("<html><body><h1>502 Bad Gateway</h1></body></html>", { contentType: "text/html" })
      )
    case "WrongShape":
      return Effect.as(handle, HttpServerResponse.unsafeJson(wrongShapeBody(operation)))
    case "EmptyBody":
      return Effect.as(handle, HttpServerResponse.text("", { contentType: "application/json" }))
  }
}

/** The service tag of the embedded server. */
export class MockServer extends Context.Tag("effect-ultracart-conversation/testing/MockServer")<
  MockServer,
  MockServerShape
>() {
  /**
   * Starts the server on 127.0.0.1 and a free port for the layer's lifetime. Delays run on the live
   * clock even under `TestClock`.
   *
   * @example
   * const layer = MockServer.layerClient().pipe(
   *   Layer.provideMerge(MockServer.layer({ seed: "empty" })),
   *   Layer.provide(FetchHttpClient.layer)
   * )
   */
  static readonly layer = (options?: MockServerOptions): Layer.Layer<MockServer, HttpServerError.ServeError> =>
    Layer.scoped(MockServer, make(options))

  /**
   * A `ConversationService` pointed at the `MockServer` in context, with credentials it accepts; the
   * `HttpClient` is yours to provide (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`, ...).
   */
  static readonly layerClient = (
    options?: Omit<ClientOptions, "baseUrl" | "credentials"> & { readonly credentials?: Credentials.Credentials }
  ): Layer.Layer<ConversationService, never, MockServer | HttpClient.HttpClient> =>
    Layer.unwrapEffect(Effect.map(MockServer, (server) =>
      ConversationService.layer({ ...options, credentials: options?.credentials ?? server.credentials, baseUrl: server.baseUrl })))
}

/** Builds and starts the server in the current scope. */
export const make = (
  options?: MockServerOptions
): Effect.Effect<MockServerShape, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* makeStore(options)
    const faults = yield* Ref.make(noFaults)
    const record = yield* Ref.make(Chunk.empty<RecordedRequest>())
    const maxRecorded = Math.max(1, options?.maxRecorded ?? 10_000)

    const fromRate = (operation: OperationId | undefined) =>
      Effect.flatMap(Ref.get(faults), ({ rate }) => {
        if (rate === undefined || rate.faults.length === 0) return Effect.succeed(Option.none<Fault>())
        if (rate.operations !== undefined && (operation === undefined || !rate.operations.has(operation))) {
          return Effect.succeed(Option.none<Fault>())
        }
        return Effect.map(Effect.zip(rate.random.next, rate.random.next), ([hit, pick]) =>
          hit < rate.probability
            ? Option.fromNullable(rate.faults[Math.min(rate.faults.length - 1, Math.floor(pick * rate.faults.length))])
            : Option.none<Fault>())
      })

    const pickFault = (operation: OperationId | undefined) =>
      Effect.flatMap(
        Ref.modify(faults, (state): [Option.Option<Fault>, FaultState] => {
          const index = state.queue.findIndex((q) => q.operation === undefined || q.operation === operation)
          const queued = state.queue[index]
          if (queued === undefined) return [Option.none(), state]
          const queue = queued.remaining > 1
            ? state.queue.map((q, i) => (i === index ? { ...q, remaining: q.remaining - 1 } : q))
            : state.queue.filter((_, i) => i !== index)
          return [Option.some(queued.fault), { ...state, queue }]
        }),
        (queued) => (Option.isSome(queued) ? Effect.succeed(queued) : fromRate(operation))
      )

    const remember = (entry: RecordedRequest) =>
      Ref.update(record, (chunk) => {
        const next = Chunk.append(chunk, entry)
        return Chunk.size(next) > maxRecorded ? Chunk.drop(next, Chunk.size(next) - maxRecorded) : next
      })

    const around: Around = (operation, handle) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const receivedAtMillis = yield* Clock.currentTimeMillis
        const fault = Option.getOrUndefined(yield* pickFault(operation?.id))
        const url = new URL(request.url, "http://mock.invalid")
        const entry = {
          method: request.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: redactHeaders(request.headers),
          operationId: operation?.id,
          fault,
          receivedAtMillis
        }
        if (fault?._tag === "DropBeforeProcessing") {
          yield* remember({ ...entry, body: undefined })
        } else {
          const body = yield* Effect.option(request.text)
          yield* remember({ ...entry, body: Option.getOrUndefined(body) })
        }
        return yield* (fault === undefined ? handle : applyFault(fault, operation, handle, request))
      })

    const nodeServer = yield* Effect.sync(() => Http.createServer())
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: 0, host: "127.0.0.1" })
    // Runs before the server's own close: keep-alive and in-flight connections would otherwise hold it open.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    yield* server.serve(makeRouter(store, options, around)).pipe(
      Effect.withClock(Clock.make()),
      // find-my-way matches no parameter longer than 100 characters by default; such a request would get a
      // bare 404 that bypasses the record. Any parameter that fits in a request line must be routed.
      HttpRouter.withRouterConfig({ maxParamLength: maxRequestLine }),
      // The platform puts every request header on the server's `http.server` span, redacting only its
      // default names: the simple-key header must be redacted there too.
      redactingCredentials
    )

    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("MockServer: expected a TCP address")
    const credentials = options?.credentials?.simpleKey !== undefined
      ? Credentials.simpleKey(options.credentials.simpleKey)
      : options?.credentials?.bearer !== undefined
      ? Credentials.bearer(options.credentials.bearer)
      : Credentials.simpleKey("mock")

    const clearFaults = Ref.set(faults, noFaults)
    const clearRequests = Ref.set(record, Chunk.empty())

    return MockServer.of({
      baseUrl: `http://127.0.0.1:${address.port}${basePath}`,
      port: address.port,
      credentials,
      store,
      injectFault: (fault, injectOptions) => {
        const times = injectOptions?.times ?? 1
        // `times: 0` (or NaN) injects nothing rather than silently meaning "once"
        if (!(times >= 1)) return Effect.void
        return Ref.update(faults, (state) => ({
          ...state,
          queue: [...state.queue, { fault, remaining: Math.floor(times), operation: injectOptions?.operation }]
        }))
      },
      setFaultRate: (rateOptions) =>
        Ref.update(faults, (state) => ({
          ...state,
          rate: {
            probability: Math.min(1, Math.max(0, rateOptions.probability)),
            faults: rateOptions.faults,
            random: Random.make(rateOptions.seed ?? 1),
            operations: rateOptions.operations === undefined ? undefined : new Set(rateOptions.operations)
          }
        })),
      clearFaults,
      pendingFaults: Effect.map(Ref.get(faults), (state) => state.queue.reduce((sum, q) => sum + q.remaining, 0)),
      requests: Effect.map(Ref.get(record), Chunk.toReadonlyArray),
      clearRequests,
      reset: Effect.all([clearFaults, clearRequests, store.reset], { discard: true })
    })
  })

