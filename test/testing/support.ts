/**
 * Helpers shared by the tests of the testing entry point.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { type ClientOptions, ConversationService } from "../../src/index.js"
import { MockServer, type MockServerOptions } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici/index.js"

/** A value as a plain JavaScript caller could pass it, whatever its declared type. */
export const fromJs = <T>(jsonText: string): T => JSON.parse(jsonText)

/** The HttpClient layers every socket test runs over: the platform's two and this package's own. */
export const httpClients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["UndiciHttpClient", UndiciHttpClient.layer]
]

/** A fresh MockServer and a ConversationService pointed at it over `client`. */
export const serverAndClient = (
  client: Layer.Layer<HttpClient.HttpClient>,
  serverOptions?: MockServerOptions,
  clientOptions?: Omit<ClientOptions, "baseUrl" | "credentials">
): Layer.Layer<MockServer | ConversationService, unknown> =>
  MockServer.layerClient(clientOptions).pipe(Layer.provideMerge(MockServer.layer(serverOptions)), Layer.provide(client))

/** `"ok"` or the `_tag` of the failure. */
export const outcome = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.match(effect, { onFailure: (error) => error._tag, onSuccess: () => "ok" })

/**
 * One request over each client against a throwaway server, so that tests with short per-attempt
 * timeouts measure the server and not the loading of the HTTP client modules.
 */
export const warmUp: Effect.Effect<void> = Effect.forEach(httpClients, ([, client]) =>
  Effect.flatMap(ConversationService, (service) => service.getConversations()).pipe(
    Effect.provide(serverAndClient(client)),
    Effect.ignore
  ), { discard: true })
