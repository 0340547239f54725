/**
 * `MockServer`: an embedded UltraCart-compatible HTTP server on 127.0.0.1 and a free port, serving the
 * mock routes over a mock store, with scripted or random fault injection and a record of the requests
 * it received. Scoped: the server and every open connection are closed when its layer is released.
 *
 * The socket half needs the optional peer `@effect/platform-node`; it is loaded when a `MockServer`
 * layer is built, so the rest of `/testing` (`layerMock` included) works without it.
 *
 * @since 0.1.0
 */
import type { HttpClient, HttpServerError } from "@effect/platform"
import { Context, Effect, Layer, type Scope } from "effect"
import { ConversationEmbedService } from "../ConversationEmbedService.js"
import { type ClientOptions, ConversationService } from "../ConversationService.js"
import type * as Credentials from "../Credentials.js"
import type { OperationId } from "../generated/operations.js"
import type { MockConversationStoreShape, MockStoreOptions } from "./ConversationStore.js"
import type { Fault } from "./Fault.js"
import { importOptionalPeer } from "./internal/optionalPeer.js"
import type { RouteOptions } from "./routes.js"

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

/** The service tag of the embedded server. */
export class MockServer extends Context.Tag("effect-ultracart-conversation/testing/MockServer")<
  MockServer,
  MockServerShape
>() {
  /**
   * Starts the server on 127.0.0.1 and a free port for the layer's lifetime. Delays run on the live
   * clock even under `TestClock`. Needs `@effect/platform-node`: without it, building the layer dies
   * with a message that names the package to install.
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
   * A `ConversationService` and a `ConversationEmbedService` pointed at the `MockServer` in context, with
   * credentials it accepts; the `HttpClient` is yours to provide (`FetchHttpClient.layer`,
   * `NodeHttpClient.layerUndici`, ...).
   */
  static readonly layerClient = (
    options?: Omit<ClientOptions, "baseUrl" | "credentials"> & { readonly credentials?: Credentials.Credentials }
  ): Layer.Layer<ConversationService | ConversationEmbedService, never, MockServer | HttpClient.HttpClient> =>
    Layer.unwrapEffect(Effect.map(MockServer, (server) => {
      const clientOptions = { ...options, credentials: options?.credentials ?? server.credentials, baseUrl: server.baseUrl }
      return Layer.merge(ConversationService.layer(clientOptions), ConversationEmbedService.layer(clientOptions))
    }))
}


/** The socket half of the server, loaded on first use (it needs `@effect/platform-node`). */
const nodeServer = importOptionalPeer({
  peer: "@effect/platform-node",
  user: "MockServer",
  load: () => import("./internal/nodeServer.js")
})

/** Builds and starts the server in the current scope. */
const make = (options?: MockServerOptions): Effect.Effect<MockServerShape, HttpServerError.ServeError, Scope.Scope> =>
  Effect.flatMap(nodeServer, (server) => server.make(options))
