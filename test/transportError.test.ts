import { HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Agent } from "undici"
import { ConversationService } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import type { TransportFailure } from "../src/Errors.js"
import { fromHttpClientError } from "../src/internal/transportError.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { codedError } from "./support/scriptedClient.js"

const origin = { operation: "getConversation", method: "GET", path: "/conversation/conversations/{conversation_uuid}" }
const request = HttpClientRequest.get("https://secure.ultracart.com/rest/v2/conversation/conversations/c-1")

const transport = (cause: unknown) => new HttpClientError.RequestError({ request, reason: "Transport", cause })

const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause })

describe("TransportError.reason says what happened", () => {
  const cases: ReadonlyArray<readonly [string, HttpClientError.HttpClientError, TransportFailure]> = [
    ["getaddrinfo ENOTFOUND", transport(fetchFailed(codedError("getaddrinfo ENOTFOUND x.invalid", "ENOTFOUND"))), "DnsLookupFailed"],
    ["getaddrinfo EAI_AGAIN", transport(codedError("getaddrinfo EAI_AGAIN x.invalid", "EAI_AGAIN")), "DnsLookupFailed"],
    ["ECONNREFUSED", transport(codedError("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED")), "ConnectionRefused"],
    [
      "ECONNREFUSED on every address (AggregateError)",
      transport(fetchFailed(new AggregateError([codedError("a", "ECONNREFUSED"), codedError("b", "ECONNREFUSED")]))),
      "ConnectionRefused"
    ],
    ["ECONNRESET", transport(fetchFailed(codedError("read ECONNRESET", "ECONNRESET"))), "RequestFailed"],
    ["no code at all", transport(new Error("something broke")), "RequestFailed"],
    ["a bad URL", new HttpClientError.RequestError({ request, reason: "InvalidUrl" }), "InvalidUrl"],
    [
      "a body that breaks",
      new HttpClientError.ResponseError({
        request,
        response: HttpClientResponse.fromWeb(request, new Response("{")),
        reason: "Decode",
        cause: codedError("socket hang up", "ECONNRESET")
      }),
      "ResponseFailed"
    ]
  ]
  for (const [name, error, reason] of cases) {
    it(`${name}: ${reason}`, () => {
      const converted = fromHttpClientError(origin, error)
      expect(converted.reason).toBe(reason)
      expect(converted.message).toContain(`(${reason})`)
    })
  }
})

/** A DNS lookup that fails as getaddrinfo does for an unknown host (no resolver is asked), counting its calls. */
const failingLookup = () => {
  const asked: Array<string> = []
  const lookup = (
    hostname: string,
    _options: unknown,
    callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void
  ) => {
    asked.push(hostname)
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", syscall: "getaddrinfo" }), "", 0)
  }
  return { asked, lookup }
}

describe("a failed DNS lookup over the platform's transport", () => {
  it.live("NodeHttpClient (undici) reports DnsLookupFailed, and startConversation is retried (nothing was sent)", () =>
    Effect.gen(function*() {
      const { asked, lookup } = failingLookup()
      const agent = new Agent({ connect: { lookup } })
      const dispatcher = Layer.succeed(NodeHttpClient.Dispatcher, agent)
      const layer = ConversationService.layer({
        credentials: Credentials.simpleKey("k"),
        baseUrl: "http://localhost:9/rest/v2",
        retry: RetryPolicy.make({ maxRetries: 2, baseDelay: "1 millis", maxDelay: "1 millis" })
      }).pipe(Layer.provide(NodeHttpClient.layerUndiciWithoutDispatcher), Layer.provide(dispatcher))
      const error = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.startConversation({})),
        Effect.flip,
        Effect.provide(layer),
        Effect.ensuring(Effect.promise(() => agent.close()))
      )
      expect(error).toMatchObject({ _tag: "TransportError", reason: "DnsLookupFailed" })
      expect(asked).toEqual(["localhost", "localhost", "localhost"])
    }))
})
