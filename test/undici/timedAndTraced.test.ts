/**
 * What `UndiciHttpClient` does itself rather than through `HttpClient.make`: the per-attempt timer the
 * client core uses instead of a child fiber, and the platform-compatible `http.client` span.
 */
import { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, TestClock } from "effect"
import { ConversationService } from "../../src/ConversationService.js"
import * as Credentials from "../../src/Credentials.js"
import { AttemptTimedOut, timedSenderOf } from "../../src/internal/nativeTimeout.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import { UndiciHttpClient } from "../../src/undici/index.js"
import { makeMemoryTracer } from "../support/observe.js"
import { closeWatch, json, serve, serviceOver } from "./support.js"

const conversation = { conversation: { conversation_uuid: "c-1" }, success: true }

/** The timed sender of the `HttpClient` in context (a defect when it has none). */
const timedSender = Effect.flatMap(HttpClient.HttpClient, (client) =>
  Effect.fromNullable(timedSenderOf(client)).pipe(Effect.orDieWith(() => new Error("no timed sender"))))

describe("UndiciHttpClient's attempt timer", () => {
  it.scopedLive("is offered to the client core, and not by a client wrapped around it", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      expect(timedSenderOf(client)).toBeDefined()
      expect(timedSenderOf(HttpClient.mapRequest(client, (request) => request))).toBeUndefined()
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("headers that never come: a RequestError whose cause is AttemptTimedOut, and the socket is closed", () =>
    Effect.gen(function*() {
      const { closed, sawClose } = yield* closeWatch
      const { url } = yield* serve((req) => {
        req.socket.once("close", () => Deferred.unsafeDone(closed, Exit.void))
      })
      const send = yield* timedSender
      const error = yield* Effect.flip(send(HttpClientRequest.get(`${url}/hang`), 50, undefined))
      expect(error).toBeInstanceOf(HttpClientError.RequestError)
      expect(error.cause).toBeInstanceOf(AttemptTimedOut)
      expect(yield* sawClose).toBe(true)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("a body that stalls: reading it fails with AttemptTimedOut, and the socket is closed", () =>
    Effect.gen(function*() {
      const { closed, sawClose } = yield* closeWatch
      const { url } = yield* serve((req, res) => {
        req.socket.once("close", () => Deferred.unsafeDone(closed, Exit.void))
        res.writeHead(200, { "content-type": "application/json", "content-length": 1000 })
        res.write(`{"partial":`)
      })
      const send = yield* timedSender
      const response = yield* send(HttpClientRequest.get(url), 100, undefined)
      expect(response.status).toBe(200)
      const error = yield* Effect.flip(response.text)
      expect(error).toBeInstanceOf(HttpClientError.ResponseError)
      expect(error.cause).toBeInstanceOf(AttemptTimedOut)
      expect(yield* sawClose).toBe(true)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("through ConversationService: a stalled server is a TimeoutError after each attempt's timeout", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve(() => {})
      const error = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.flip,
        Effect.provide(
          serviceOver(url, {
            retry: RetryPolicy.make({ maxRetries: 1, baseDelay: Duration.millis(1), jitter: false }),
            timeout: Duration.millis(60)
          })
        )
      )
      expect(error._tag).toBe("TimeoutError")
      expect(error._tag === "TimeoutError" && Duration.toMillis(error.timeout)).toBe(60)
      expect(seen).toHaveLength(2)
    }))

  it.scoped("under the TestClock the client core does not use the timer: virtual time drives the timeout", () =>
    Effect.gen(function*() {
      const arrived = yield* Deferred.make<void>()
      const { url } = yield* serve(() => Deferred.unsafeDone(arrived, Exit.void))
      const fiber = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.flip,
        Effect.provide(
          serviceOver(url, { timeout: Duration.seconds(30) })
        ),
        Effect.fork
      )
      // The request reaches the real server; only virtual time can end the attempt.
      yield* Deferred.await(arrived)
      yield* TestClock.adjust(Duration.seconds(30))
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("TimeoutError")
    }))
})

describe("UndiciHttpClient's http.client span", () => {
  it.scopedLive("has the platform's name, attributes and trace propagation, redacts credentials, ends without the response", () =>
    Effect.gen(function*() {
      const memory = makeMemoryTracer()
      const { seen, url } = yield* serve((_req, res) => json(res, 200, conversation, { "x-extra": "yes" }))
      yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1", { limit: 2 })),
        Effect.provide(
          serviceOver(url, { credentials: Credentials.simpleKey("secret-simple-key") })
        ),
        Effect.withTracer(memory.tracer)
      )
      const operation = memory.spans.find((span) => span.name === "ConversationService.getConversation")
      const http = memory.spans.find((span) => span.name === "http.client GET")
      if (operation === undefined || http === undefined) return expect.fail("missing spans")
      expect(http.kind).toBe("client")
      expect(http.parentSpanId).toBe(operation.spanId)
      const port = new URL(url).port
      expect(Object.fromEntries(http.attributes)).toMatchObject({
        "http.request.method": "GET",
        "server.address": url,
        "server.port": Number(port),
        "url.full": `${url}/rest/v2/conversation/conversations/c-1?limit=2`,
        "url.path": "/rest/v2/conversation/conversations/c-1",
        "url.scheme": "http",
        "url.query": "limit=2",
        "http.request.header.x-ultracart-simple-key": "<redacted>",
        "http.request.header.x-ultracart-api-version": "2017-03-01",
        "http.response.status_code": 200,
        "http.response.header.x-extra": "yes"
      })
      expect(http.dump()).not.toContain("secret-simple-key")
      // The span's exit is a plain success: the response (and its request's headers) is not kept.
      expect(http.status._tag === "Ended" && Exit.isSuccess(http.status.exit) && http.status.exit.value).toBeUndefined()
      // The server got the span as its W3C parent.
      expect(seen[0]?.headers["traceparent"]).toContain(http.spanId)
    }))

  it.scopedLive("a retried call: one http.client span per attempt, each a child of the operation's span", () =>
    Effect.gen(function*() {
      const memory = makeMemoryTracer()
      let answered = 0
      const { url } = yield* serve((_req, res) => {
        answered += 1
        return answered === 1 ? json(res, 503, {}) : json(res, 200, conversation)
      })
      yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.provide(
          serviceOver(url, { retry: RetryPolicy.make({ maxRetries: 2, baseDelay: Duration.millis(1), jitter: false }) })
        ),
        Effect.withTracer(memory.tracer)
      )
      const operation = memory.spans.find((span) => span.name === "ConversationService.getConversation")
      const attempts = memory.spans.filter((span) => span.name === "http.client GET")
      expect(attempts.map((span) => span.attributes.get("http.response.status_code"))).toEqual([503, 200])
      expect(attempts.map((span) => span.parentSpanId)).toEqual([operation?.spanId, operation?.spanId])
      expect(attempts.every((span) => span.traceId === operation?.traceId)).toBe(true)
    }))

  it.scopedLive("withTracerDisabledWhen leaves it out, withTracerPropagation(false) its header, withSpanNameGenerator names it", () =>
    Effect.gen(function*() {
      const memory = makeMemoryTracer()
      const { seen, url } = yield* serve((_req, res) => json(res, 200, {}))
      const client = yield* HttpClient.HttpClient
      yield* HttpClient.withTracerDisabledWhen(client, () => true).get(url).pipe(Effect.withTracer(memory.tracer))
      expect(memory.spans).toHaveLength(0)
      yield* HttpClient.withTracerPropagation(client, false).get(url).pipe(Effect.withTracer(memory.tracer))
      expect(memory.spans.map((span) => span.name)).toEqual(["http.client GET"])
      expect(seen.map((recorded) => recorded.headers["traceparent"])).toEqual([undefined, undefined])
      yield* HttpClient.withSpanNameGenerator(client, (request) => `upstream ${request.method}`).get(url).pipe(
        Effect.withTracer(memory.tracer)
      )
      expect(memory.spans.map((span) => span.name)).toEqual(["http.client GET", "upstream GET"])
    }).pipe(Effect.provide(UndiciHttpClient.layer)))
})
