/**
 * The HttpClient transports every integration test runs over, and the server + client layer they share.
 * A new transport is one more row in `transports`.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { type ClientOptions, ConversationService, type Credentials } from "../../src/index.js"
import { MockServer, type MockServerOptions } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici/index.js"

/** One HttpClient layer the client can run over, with a name for test titles. */
export interface Transport {
  readonly name: string
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** Every transport the integration suite covers: add a row to cover another. */
export const transports: ReadonlyArray<Transport> = [
  { name: "FetchHttpClient", layer: FetchHttpClient.layer },
  { name: "NodeHttpClient.layerUndici", layer: NodeHttpClient.layerUndici },
  { name: "UndiciHttpClient.layer", layer: UndiciHttpClient.layer }
]

/** What the client under test is built with besides the server's base URL. */
export type ClientSettings = Omit<ClientOptions, "baseUrl" | "credentials"> & {
  readonly credentials?: Credentials.Credentials
}

/** A fresh `MockServer` on a real socket and a `ConversationService` pointed at it over `transport`. */
export const serverAndClient = (
  transport: Transport,
  serverOptions?: MockServerOptions,
  clientOptions?: ClientSettings
): Layer.Layer<MockServer | ConversationService, unknown> =>
  MockServer.layerClient(clientOptions).pipe(
    Layer.provideMerge(MockServer.layer(serverOptions)),
    Layer.provide(transport.layer)
  )

/**
 * One request over every transport against a throwaway server, so that tests with short per-attempt
 * timeouts measure the server and not the first loading of a transport's modules.
 */
export const warmUp: Effect.Effect<void> = Effect.forEach(transports, (transport) =>
  Effect.flatMap(ConversationService, (service) => service.getConversations()).pipe(
    Effect.provide(serverAndClient(transport)),
    Effect.ignore
  ), { discard: true })
