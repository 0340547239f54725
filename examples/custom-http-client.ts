/**
 * Any `HttpClient` can carry the requests. Here the application's own: fetch with a header added to
 * every request (`HttpClient.mapRequest`) and each response's status logged (`HttpClient.tap`). One
 * 503 is injected into the MockServer so the log shows a retry going through the same client; the
 * server's request record shows the header arrived on every attempt.
 *
 * Run: npx tsx examples/custom-http-client.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Console, Effect, Layer, Option } from "effect"
import { ConversationService, RetryPolicy } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { Fault } from "../src/testing/index.js" // in your code: "effect-ultracart-conversation/testing"
import { ensure, runExample, whenMock } from "./support/environment.js"

/** The application's HttpClient: fetch, plus a header on every request and a log line per response. */
const TaggedFetch = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) =>
    client.pipe(
      HttpClient.mapRequest(HttpClientRequest.setHeader("x-request-source", "examples/custom-http-client")),
      HttpClient.tap((response) =>
        Console.log(`  [http] ${response.request.method} ${new URL(response.request.url).pathname} → ${response.status}`)
      )
    ))
).pipe(Layer.provide(FetchHttpClient.layer))

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  yield* whenMock((server) => server.injectFault(Fault.status(503), { operation: "getConversations" }))

  yield* Console.log("getConversations({ limit: 2 }):")
  const page = yield* conversations.getConversations({ limit: 2 })
  yield* Console.log(`  → ${page.conversations?.length ?? 0} conversation(s)`)

  const seen = yield* whenMock((server) => server.requests)
  if (Option.isSome(seen)) {
    const sources = seen.value.map((r) => r.headers["x-request-source"] ?? "(missing)")
    yield* Console.log(`The server received ${seen.value.length} request(s) with x-request-source: ${sources.join(", ")}`)
    yield* ensure(seen.value.length === 2, "expected the 503 to be retried once")
    yield* ensure(sources.every((s) => s === "examples/custom-http-client"), "expected the header on every attempt")
  }
})

runExample(program, { httpClient: TaggedFetch, retry: RetryPolicy.make({ baseDelay: "50 millis" }) })
