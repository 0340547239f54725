/**
 * The socket half of `MockServer`: serves the mock routes with `@effect/platform-node` on 127.0.0.1 and
 * a free port, applies injected faults (some of them on the raw Node response) and keeps the record.
 * `MockServer.ts` imports this module only when a server is built, so `/testing` loads without the
 * optional peer.
 */
import { HttpRouter, type HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Chunk, Clock, type Duration, Effect, Option, Random, Ref, type Scope } from "effect"
import * as Http from "node:http"
import * as Credentials from "../../Credentials.js"
import type { Operation, OperationId } from "../../generated/operations.js"
import { redactingCredentials } from "../../internal/redaction.js"
import { makeStore } from "../ConversationStore.js"
import type { Fault } from "../Fault.js"
import { wrongShape } from "../handlers.js"
import type { MockServerOptions, MockServerShape, RecordedRequest } from "../MockServer.js"
import { type Around, basePath, errorResponse, makeRouter } from "../routes.js"

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
      return Effect.as(handle, HttpServerResponse.unsafeJson(wrongShape(operation)))
    case "EmptyBody":
      return Effect.as(handle, HttpServerResponse.text("", { contentType: "application/json" }))
  }
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

    const shape: MockServerShape = {
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
    }
    return shape
  })
