/**
 * `layerMock`: the real `ConversationService` over an in-memory `HttpClient` that hands each request to
 * the mock routes directly, with no socket. Validation, encoding, status mapping and decoding are
 * exactly the live layer's; only the network is missing.
 *
 * @since 0.1.0
 */
import {
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  type HttpRouter,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { type Duration, Effect, Layer } from "effect"
import { ConversationEmbedService } from "../ConversationEmbedService.js"
import { ConversationService } from "../ConversationService.js"
import * as Credentials from "../Credentials.js"
import type * as RetryPolicy from "../RetryPolicy.js"
import { makeStore, MockConversationStore, type MockSeed, type MockStoreOptions } from "./ConversationStore.js"
import { errorResponse, makeRouter, type RouteOptions } from "./routes.js"

/** Options of `layerMock` besides the seed. */
export interface LayerMockOptions extends Omit<MockStoreOptions, "seed">, Omit<RouteOptions, "credentials"> {
  /** Defaults to `RetryPolicy.default` (the mock never fails transiently unless told to). */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /** The per-attempt timeout; defaults to the live layer's 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** The base URL `layerMock`'s client is configured with; nothing listens there. */
export const mockBaseUrl = "http://localhost/rest/v2"

const bodyInit = (request: HttpClientRequest.HttpClientRequest): BodyInit | undefined | "unsupported" => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return undefined
    case "Uint8Array":
      // a copy backed by a plain ArrayBuffer, as `BodyInit` requires
      return new Uint8Array(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : "unsupported"
    case "FormData":
      return body.formData
    case "Stream":
      return "unsupported"
  }
}

/**
 * An `HttpClient` that answers each request by running `router` in the calling fiber (so `TestClock`
 * and interruption apply), converting through web `Request` / `Response` as a socket would.
 */
export const inMemoryHttpClient = (router: HttpRouter.HttpRouter): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const body = bodyInit(request)
      if (body === "unsupported") {
        return yield* new HttpClientError.RequestError({
          request,
          reason: "Encode",
          description: "the in-memory mock client does not support stream bodies"
        })
      }
      const webRequest = yield* Effect.try({
        try: () => new Request(url, { method: request.method, headers: request.headers, body: body ?? null }),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      })
      const response = yield* router.pipe(
        Effect.catchAll(() => Effect.succeed(errorResponse(404, "No such endpoint"))),
        Effect.catchAllDefect((defect) => Effect.succeed(errorResponse(500, `mock failure: ${String(defect)}`))),
        Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(webRequest)),
        Effect.scoped
      )
      return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
    }))

/**
 * A `ConversationService` (and `ConversationEmbedService`) backed by an in-memory store that behaves like
 * UltraCart for every operation, plus the `MockConversationStore` to seed and inspect it. Each build has
 * its own store. `seed` defaults to `"default"` (five realistic conversations and a few of each resource
 * family); pass `"empty"` to start with none, or your own list of conversations.
 *
 * @example
 * it.effect("lists what was started", () =>
 *   Effect.gen(function*() {
 *     const service = yield* ConversationService
 *     const { conversation } = yield* service.startConversation({ add_conversation_participant_arns: [] })
 *     const page = yield* service.getConversations()
 *     expect(page.conversations?.[0]?.conversation_uuid).toBe(conversation?.conversation_uuid)
 *   }).pipe(Effect.provide(layerMock("empty"))))
 */
export const layerMock = (
  seed?: MockSeed,
  options?: LayerMockOptions
): Layer.Layer<ConversationService | ConversationEmbedService | MockConversationStore> => {
  const store = Layer.effect(MockConversationStore, makeStore({ ...options, seed }))
  const client = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(MockConversationStore, (shape) => inMemoryHttpClient(makeRouter(shape, options)))
  )
  const clientOptions = {
    credentials: Credentials.simpleKey("mock"),
    baseUrl: mockBaseUrl,
    retry: options?.retry,
    timeout: options?.timeout
  }
  const services = Layer.merge(ConversationService.layer(clientOptions), ConversationEmbedService.layer(clientOptions))
  return services.pipe(Layer.provide(client), Layer.provideMerge(store))
}
