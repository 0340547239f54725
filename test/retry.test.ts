import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, TestClock } from "effect"
import type { ConversationServiceShape } from "../src/ConversationService.js"
import type { ConversationError } from "../src/Errors.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import {
  brokenBody,
  delayed,
  dnsFailure,
  failureOf,
  json,
  makeScriptedClient,
  never,
  outcomeTag,
  type RecordedRequest,
  refused,
  reset,
  respond,
  run,
  serviceLayer,
  type Step,
  ucError
} from "./support/scriptedClient.js"
import { ConversationService } from "../src/ConversationService.js"

const ok = json(200, { conversation: { conversation_uuid: "c-1" } })
const advance = "10 minutes"
const getConversation = (service: ConversationServiceShape) => service.getConversation("c-1")

/**
 * The gaps between consecutive requests, in milliseconds of test-clock time (rounded to a microsecond:
 * jittered delays are fractional and their sums pick up floating-point noise).
 */
const gaps = (requests: ReadonlyArray<RecordedRequest>): ReadonlyArray<number> =>
  requests.slice(1).map((request, i) => Math.round((request.atMillis - (requests[i]?.atMillis ?? 0)) * 1000) / 1000)

describe("idempotent operations retry transient failures and then succeed", () => {
  const transient: ReadonlyArray<readonly [string, Step]> = [
    ["a refused connection", refused()],
    ["a refused connection wrapped as undici does", refused({ nested: true })],
    ["a failed DNS lookup", dnsFailure()],
    ["a temporary DNS failure", dnsFailure("EAI_AGAIN")],
    ["a connection reset", reset],
    ["a body that breaks while read", brokenBody(200)],
    ["a timeout", never],
    ["a 429", ucError(429)],
    ["a 500", ucError(500)],
    ["a 502", respond(502, "Bad Gateway")],
    ["a 503", ucError(503)],
    ["a 504", respond(504)]
  ]
  it.effect("refused, reset, broken body, timeout, 429, 500, 502, 503, 504: retried, then the success", () =>
    Effect.gen(function*() {
      for (const [name, step] of transient) {
        const { exit, requests } = yield* run([step, step, ok], getConversation, { advance })
        expect(outcomeTag(exit), name).toBe("Success")
        expect(requests, name).toHaveLength(3)
      }
    }))

  const idempotent: ReadonlyArray<readonly [string, (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>, Step]> = [
    ["getAgentWebsocketAuthorization", (service) => service.getAgentWebsocketAuthorization(), json(200, {})],
    ["getConversation", getConversation, ok],
    ["getConversationMultimediaUploadUrl", (service) => service.getConversationMultimediaUploadUrl("png"), json(200, {})],
    ["getConversations", (service) => service.getConversations({ limit: 5 }), json(200, {})],
    ["joinConversation", (service) => service.joinConversation("c-1", { participant_language_iso_code: "en" }), respond(204)],
    ["leaveConversation", (service) => service.leaveConversation("c-1"), respond(204)]
  ]
  it.effect("every idempotent operation retries a 503 and a reset, re-sending the same request", () =>
    Effect.gen(function*() {
      for (const [name, call, success] of idempotent) {
        const { exit, requests } = yield* run([ucError(503), reset, success], call, { advance })
        expect(outcomeTag(exit), name).toBe("Success")
        expect(requests, name).toHaveLength(3)
        const [first, ...rest] = requests
        for (const again of rest) {
          expect(again.method, name).toBe(first?.method)
          expect(again.url, name).toBe(first?.url)
          expect(again.body, name).toBe(first?.body)
        }
      }
    }))
})

describe("failures that are not retried", () => {
  it.effect("400, 401, 403, 404, 410, 418 and 501 are returned after one request", () =>
    Effect.gen(function*() {
      for (const status of [400, 401, 403, 404, 410, 418, 501]) {
        const { exit, requests } = yield* run([ucError(status)], getConversation, { advance, otherwise: ok })
        expect(failureOf(exit), `status ${status}`).toMatchObject({ status })
        expect(requests, `status ${status}`).toHaveLength(1)
      }
    }))

  it.effect("a DecodeError is returned after one request", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([respond(200, "nope")], getConversation, { advance, otherwise: ok })
      expect(outcomeTag(exit)).toBe("DecodeError")
      expect(requests).toHaveLength(1)
    }))
})

describe("how many attempts", () => {
  it.effect("by default at most 4 retries: 5 requests, then the last error", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([], getConversation, { advance, otherwise: ucError(503) })
      expect(requests).toHaveLength(5)
      expect(failureOf(exit)).toMatchObject({ _tag: "ServerError", status: 503 })
    }))

  it.effect("RetryPolicy.none sends once", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([], getConversation, {
        advance,
        otherwise: ucError(503),
        client: { retry: RetryPolicy.none }
      })
      expect(requests).toHaveLength(1)
      expect(outcomeTag(exit)).toBe("ServerError")
    }))

  it.effect("a custom policy with 2 retries sends 3 times", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([], getConversation, {
        advance,
        otherwise: reset,
        client: { retry: RetryPolicy.make({ maxRetries: 2 }) }
      })
      expect(requests).toHaveLength(3)
    }))

  it.effect("a custom policy with 7 retries sends 8 times", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([], getConversation, {
        advance,
        otherwise: respond(500),
        client: { retry: RetryPolicy.make({ maxRetries: 7, maxDelay: "1 second" }) }
      })
      expect(requests).toHaveLength(8)
    }))

  it("RetryPolicy.make rounds maxRetries down to a whole number of at least 0 and keeps defaults", () => {
    expect(RetryPolicy.make({ maxRetries: -3 }).maxRetries).toBe(0)
    expect(RetryPolicy.make({ maxRetries: 2.9 }).maxRetries).toBe(2)
    expect(RetryPolicy.make({ maxRetries: Number.NaN }).maxRetries).toBe(4)
    expect(RetryPolicy.make({}).maxDelay).toEqual(Duration.seconds(8))
    expect(RetryPolicy.none.maxRetries).toBe(0)
    expect(RetryPolicy.default.maxRetries).toBe(4)
    expect(RetryPolicy.default.baseDelay).toEqual(Duration.millis(250))
  })
})

describe("backoff", () => {
  it.effect("without jitter the delays double from the base delay up to the cap", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([], getConversation, {
        advance,
        otherwise: ucError(503),
        client: { retry: RetryPolicy.make({ maxRetries: 6, jitter: false, maxDelay: "3 seconds" }) }
      })
      expect(gaps(requests)).toEqual([250, 500, 1000, 2000, 3000, 3000])
    }))

  it.effect("the default jitters each delay within ×0.8–1.2 and caps it at 8 s", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([], getConversation, {
        advance,
        otherwise: ucError(503),
        client: { retry: RetryPolicy.make({ maxRetries: 8 }) }
      })
      const observed = gaps(requests)
      expect(observed).toHaveLength(8)
      const computed = [250, 500, 1000, 2000, 4000, 8000, 16000, 32000]
      observed.forEach((gap, i) => {
        const nominal = computed[i] ?? 0
        expect(gap).toBeGreaterThanOrEqual(Math.min(nominal * 0.8, 8000))
        expect(gap).toBeLessThanOrEqual(Math.min(nominal * 1.2, 8000))
      })
      expect(observed.slice(6)).toEqual([8000, 8000])
      // The jitter is applied: the delays are not exactly the nominal ones.
      expect(observed.slice(0, 5)).not.toEqual(computed.slice(0, 5))
    }))

  it.effect("stepping the clock: no retry before 200 ms, one by 300 ms, the next 400–600 ms later", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([], { otherwise: ucError(503) })
      const fiber = yield* ConversationService.pipe(
        Effect.flatMap(getConversation),
        Effect.provide(serviceLayer(scripted.client)),
        Effect.fork
      )
      yield* TestClock.adjust("199 millis")
      expect(yield* scripted.count).toBe(1)
      yield* TestClock.adjust("101 millis")
      expect(yield* scripted.count).toBe(2)
      const second = (yield* scripted.requests)[1]?.atMillis ?? 0
      expect(second).toBeGreaterThanOrEqual(200)
      yield* TestClock.adjust(Duration.millis(second + 399 - 300))
      expect(yield* scripted.count).toBe(2)
      yield* TestClock.adjust("202 millis")
      expect(yield* scripted.count).toBe(3)
      yield* Fiber.interrupt(fiber)
    }))
})

describe("Retry-After", () => {
  it.effect("in seconds replaces a shorter computed delay", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(429, undefined, { "retry-after": "5" }), ok], getConversation, {
        advance
      })
      expect(outcomeTag(exit)).toBe("Success")
      expect(gaps(requests)).toEqual([5000])
    }))

  it.effect("as an HTTP date is measured from the clock's time", () =>
    Effect.gen(function*() {
      const now = Date.UTC(2030, 0, 1, 12, 0, 0)
      yield* TestClock.setTime(now)
      const { exit, requests } = yield* run(
        [ucError(429, undefined, { "retry-after": new Date(now + 7000).toUTCString() }), ok],
        getConversation,
        { advance }
      )
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests.map((request) => request.atMillis - now)).toEqual([0, 7000])
    }))

  it.effect("stepping the clock: nothing is sent before the Retry-After has passed", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([ucError(429, undefined, { "retry-after": "3" }), ok])
      const fiber = yield* ConversationService.pipe(
        Effect.flatMap(getConversation),
        Effect.provide(serviceLayer(scripted.client)),
        Effect.fork
      )
      yield* TestClock.adjust("2999 millis")
      expect(yield* scripted.count).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* scripted.count).toBe(2)
      const result = yield* Fiber.join(fiber)
      expect(result.conversation?.conversation_uuid).toBe("c-1")
    }))

  it.effect("a Retry-After shorter than the backoff does not shorten it", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([ucError(429, undefined, { "retry-after": "0" }), ok], getConversation, {
        advance,
        client: { retry: RetryPolicy.make({ jitter: false, baseDelay: "2 seconds" }) }
      })
      expect(gaps(requests)).toEqual([2000])
    }))

  it.effect("a date in the past is no wait beyond the backoff", () =>
    Effect.gen(function*() {
      const now = Date.UTC(2030, 0, 1)
      yield* TestClock.setTime(now)
      const { requests } = yield* run(
        [ucError(429, undefined, { "retry-after": new Date(now - 60_000).toUTCString() }), ok],
        getConversation,
        { advance, client: { retry: RetryPolicy.make({ jitter: false }) } }
      )
      expect(gaps(requests)).toEqual([250])
    }))

  it.effect("over 60 s fails at once with retryAfter set, after one request", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(429, undefined, { "retry-after": "61" })], getConversation, {
        advance,
        otherwise: ok
      })
      expect(requests).toHaveLength(1)
      const error = failureOf(exit)
      if (error?._tag !== "RateLimitError") throw new Error(`expected a RateLimitError, got ${String(error?._tag)}`)
      expect(error.retryAfter).toEqual(Duration.seconds(61))
    }))

  it.effect("exactly 60 s is still waited for", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(429, undefined, { "retry-after": "60" }), ok], getConversation, {
        advance
      })
      expect(outcomeTag(exit)).toBe("Success")
      expect(gaps(requests)).toEqual([60_000])
    }))

  it.effect("a custom maxRetryAfter lowers the limit", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(429, undefined, { "retry-after": "6" })], getConversation, {
        advance,
        otherwise: ok,
        client: { retry: RetryPolicy.make({ maxRetryAfter: "5 seconds" }) }
      })
      expect(requests).toHaveLength(1)
      expect(failureOf(exit)).toMatchObject({ _tag: "RateLimitError", retryAfter: Duration.seconds(6) })
    }))
})

describe("startConversation is re-sent only when the server surely did not process it", () => {
  const start = (service: ConversationServiceShape) => service.startConversation({ conversation_webchat_queue_uuid: "q" })
  const started = json(200, { conversation: { conversation_uuid: "c-new" } })

  it.effect("retried on 429", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(429), ucError(429), started], start, { advance })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(3)
    }))

  it.effect("retried on a failed DNS lookup (nothing was sent), which is not reported as a refused connection", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([dnsFailure(), dnsFailure("EAI_AGAIN"), started], start, { advance })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(3)
      const once = yield* run([dnsFailure()], start, { client: { retry: RetryPolicy.none } })
      expect(failureOf(once.exit)).toMatchObject({ _tag: "TransportError", reason: "DnsLookupFailed" })
      expect(failureOf(once.exit)?.message).toContain("ENOTFOUND")
    }))

  it.effect("retried on a refused connection", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([refused(), refused({ nested: true }), started], start, { advance })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(3)
    }))

  const notRetried: ReadonlyArray<readonly [string, Step, string]> = [
    ["a 503", ucError(503), "ServerError"],
    ["a 500", ucError(500), "ServerError"],
    ["a timeout", never, "TimeoutError"],
    ["a response body that breaks while read", brokenBody(200), "TransportError"]
  ]
  it.effect("start is not re-sent after a connection drop mid-request: exactly 1 request", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([reset], start, { advance, otherwise: started })
      expect(requests).toHaveLength(1)
      expect(failureOf(exit)).toMatchObject({ _tag: "TransportError", reason: "RequestFailed" })
    }))

  it.effect("not re-sent after a 503, a 500, a timeout or a response body that breaks: 1 request", () =>
    Effect.gen(function*() {
      for (const [name, step, tag] of notRetried) {
        const { exit, requests } = yield* run([step], start, { advance, otherwise: started })
        expect(requests, name).toHaveLength(1)
        expect(outcomeTag(exit), name).toBe(tag)
      }
    }))
})

describe("per-attempt timeout", () => {
  it.effect("an attempt that runs past the timeout is a TimeoutError, not before", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([never])
      const fiber = yield* ConversationService.pipe(
        Effect.flatMap(getConversation),
        Effect.provide(serviceLayer(scripted.client, { timeout: "2 seconds", retry: RetryPolicy.none })),
        Effect.either,
        Effect.fork
      )
      yield* TestClock.adjust("1999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const result = yield* Fiber.join(fiber)
      if (result._tag !== "Left" || result.left._tag !== "TimeoutError") throw new Error("expected a TimeoutError")
      expect(result.left.timeout).toEqual(Duration.seconds(2))
      expect(result.left.operation).toBe("getConversation")
    }))

  it.effect("the default timeout is 30 seconds", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([never], getConversation, {
        advance: "30 seconds",
        client: { retry: RetryPolicy.none }
      })
      expect(outcomeTag(exit)).toBe("TimeoutError")
      expect(requests).toHaveLength(1)
    }))

  it.effect("each attempt gets a fresh timeout", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([never, delayed("900 millis", ok)], getConversation, {
        advance,
        client: { timeout: "1 second" }
      })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(2)
    }))

  it.effect("every attempt timing out ends in a TimeoutError after 5 requests", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([], getConversation, {
        advance,
        otherwise: never,
        client: { timeout: "1 second" }
      })
      expect(requests).toHaveLength(5)
      expect(failureOf(exit)).toMatchObject({ _tag: "TimeoutError", timeout: Duration.seconds(1) })
    }))

  it.effect("a slow answer within the timeout succeeds", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([delayed("29 seconds", ok)], getConversation, { advance })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(1)
    }))
})

describe("an infinite timeout", () => {
  it.effect("waits for a slow answer that the default 30 s timeout would cut off", () =>
    Effect.gen(function*() {
      const slow = delayed("10 minutes", ok)
      const bounded = yield* run([slow], getConversation, { advance: "11 minutes", client: { retry: RetryPolicy.none } })
      expect(outcomeTag(bounded.exit)).toBe("TimeoutError")
      const unbounded = yield* run([slow], getConversation, {
        advance: "11 minutes",
        client: { retry: RetryPolicy.none, timeout: Duration.infinity }
      })
      expect(outcomeTag(unbounded.exit)).toBe("Success")
      expect(unbounded.requests).toHaveLength(1)
    }))
})
