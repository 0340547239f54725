/**
 * `ClientOptions.rateLimit` in one process (memory store), on the TestClock: the budget spreads attempts
 * over windows, a 429 with Retry-After pauses every call sharing the store (including those already
 * waiting for their window), a pause longer than the policy waits for fails at once, services given one
 * store share one budget, and a failing store lets the attempt go ahead with a Warning.
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, TestClock } from "effect"
import { ConversationEmbedService } from "../src/ConversationEmbedService.js"
import { type ClientOptions, ConversationService, type ConversationServiceShape } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import * as RateLimit from "../src/RateLimit.js"
import { makeMemoryLogger, withMemoryLogger } from "./support/observe.js"
import {
  defectMessage,
  failureOf,
  json,
  makeScriptedClient,
  outcomeTag,
  type RecordedRequest,
  run,
  serviceLayer,
  type Step,
  testKey,
  ucError
} from "./support/scriptedClient.js"

const ok = json(200, { conversation: { conversation_uuid: "c-1" } })
const getOne = (service: ConversationServiceShape) => service.getConversation("c-1")

/** How many requests were sent at each (test clock) millisecond. */
const histogram = (requests: ReadonlyArray<RecordedRequest>): Record<number, number> => {
  const counts: Record<number, number> = {}
  for (const request of requests) counts[request.atMillis] = (counts[request.atMillis] ?? 0) + 1
  return counts
}

/** Runs `calls` concurrently against one service over `script` (answered `otherwise` past its end). */
const concurrently = (
  script: ReadonlyArray<Step>,
  calls: ReadonlyArray<Effect.Effect<unknown, unknown, ConversationService>>,
  options: { readonly rateLimit: RateLimit.RateLimitOptions; readonly advance: Duration.DurationInput }
) =>
  Effect.gen(function*() {
    const scripted = yield* makeScriptedClient(script, { otherwise: ok })
    const fiber = yield* Effect.all(calls.map(Effect.exit), { concurrency: "unbounded" }).pipe(
      Effect.provide(serviceLayer(scripted.client, { rateLimit: options.rateLimit })),
      Effect.fork
    )
    yield* TestClock.adjust(options.advance)
    return { exits: yield* Fiber.join(fiber), requests: yield* scripted.requests }
  })

const call = <A, E>(use: (service: ConversationServiceShape) => Effect.Effect<A, E>) =>
  Effect.flatMap(ConversationService, use)

describe("the budget", () => {
  it.effect("limit 10 per second: 25 calls at once go 10 at 0 ms, 10 at 1 s and 5 at 2 s, all succeed", () =>
    Effect.gen(function*() {
      const { exits, requests } = yield* concurrently(
        [],
        Array.from({ length: 25 }, () => call(getOne)),
        { rateLimit: { limit: 10, window: "1 second" }, advance: "10 seconds" }
      )
      expect(exits.every(Exit.isSuccess)).toBe(true)
      expect(histogram(requests)).toEqual({ 0: 10, 1000: 10, 2000: 5 })
    }))

  it.effect("every attempt waits for the budget, retries included", () =>
    Effect.gen(function*() {
      // One call that fails twice with a 503 under a budget of 1 per second: each retry waits for both
      // its backoff and its window.
      const { exit, requests } = yield* run([ucError(503), ucError(503), ok], getOne, {
        advance: "1 minute",
        client: { rateLimit: { limit: 1, window: "1 second" } }
      })
      expect(outcomeTag(exit)).toBe("Success")
      // The jittered backoff ends at a fractional millisecond; the window arithmetic may leave 1e-13 of it.
      expect(requests.map((request) => Math.round(request.atMillis))).toEqual([0, 1000, 2000])
    }))

  it.effect("without rateLimit nothing waits: 25 calls at once are all sent at 0 ms", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([], { otherwise: ok })
      yield* Effect.all(Array.from({ length: 25 }, () => call(getOne)), { concurrency: "unbounded" }).pipe(
        Effect.provide(serviceLayer(scripted.client))
      )
      expect(histogram(yield* scripted.requests)).toEqual({ 0: 25 })
    }))

  it.effect("the wait for the budget is not part of the per-attempt timeout", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([], { otherwise: ok })
      const fiber = yield* Effect.all([call(getOne), call(getOne)], { concurrency: "unbounded" }).pipe(
        Effect.provide(
          ConversationService.layer({
            credentials: Credentials.simpleKey(testKey),
            timeout: "500 millis",
            rateLimit: { limit: 1, window: "2 seconds" }
          }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, scripted.client)))
        ),
        Effect.exit,
        Effect.fork
      )
      yield* TestClock.adjust("10 seconds")
      expect(Exit.isSuccess(yield* Fiber.join(fiber))).toBe(true)
      expect((yield* scripted.requests).map((request) => request.atMillis)).toEqual([0, 2000])
    }))
})

describe("a 429 with Retry-After pauses the budget for every call that shares it", () => {
  it.effect("calls made during the pause are sent when it ends, not before", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([ucError(429, undefined, { "retry-after": "2" })], { otherwise: ok })
      const layer = serviceLayer(scripted.client, { rateLimit: { limit: 100, window: "1 second" } })
      const fiber = yield* Effect.gen(function*() {
        const first = yield* Effect.fork(call(getOne))
        yield* TestClock.adjust("500 millis")
        const others = yield* Effect.fork(Effect.all([call(getOne), call(getOne)], { concurrency: "unbounded" }))
        yield* TestClock.adjust("500 millis")
        // At 1 s: only the request that got the 429 was sent.
        expect((yield* scripted.requests).length).toBe(1)
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(first)
        yield* Fiber.join(others)
      }).pipe(Effect.provide(layer), Effect.fork)
      yield* Fiber.join(fiber)
      const times = (yield* scripted.requests).map((request) => request.atMillis)
      expect(times[0]).toBe(0)
      // The two new calls and the retry of the first: none before the pause ends at 2 s.
      expect(times.slice(1).every((at) => at >= 2000)).toBe(true)
      expect(times).toHaveLength(4)
    }))

  it.effect("a call that took its place before the pause began waits it out, then takes a new place", () =>
    Effect.gen(function*() {
      // Budget 1 per second: call A is sent at 0 and answered 429 Retry-After: 3; call B took the place at
      // 1 s before that answer and must not be sent at 1 s.
      const scripted = yield* makeScriptedClient([ucError(429, undefined, { "retry-after": "3" })], { otherwise: ok })
      const { exits, requests } = yield* Effect.gen(function*() {
        const fiber = yield* Effect.fork(Effect.all([call(getOne), call(getOne)], { concurrency: "unbounded" }))
        yield* TestClock.adjust("20 seconds")
        return { exits: yield* Fiber.join(fiber), requests: yield* scripted.requests }
      }).pipe(Effect.provide(serviceLayer(scripted.client, { rateLimit: { limit: 1, window: "1 second" } })))
      expect(exits).toHaveLength(2)
      const times = requests.map((request) => request.atMillis)
      expect(times[0]).toBe(0)
      expect(times.slice(1).every((at) => at >= 3000)).toBe(true)
      expect(times).toHaveLength(3)
    }))

  it.effect("a pause longer than the policy's maxRetryAfter fails other calls at once, sending nothing", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([ucError(429, undefined, { "retry-after": "120" })], { otherwise: ok })
      const layer = serviceLayer(scripted.client, { rateLimit: { limit: 100, window: "1 second" } })
      const [first, second] = yield* Effect.gen(function*() {
        const first = yield* Effect.exit(call(getOne))
        yield* TestClock.adjust("1 second")
        const second = yield* Effect.exit(call(getOne))
        return [first, second] as const
      }).pipe(Effect.provide(layer))
      expect(failureOf(first)).toMatchObject({ _tag: "RateLimitError", status: 429 })
      const refused = failureOf(second)
      expect(refused?._tag).toBe("RateLimitError")
      expect(refused?._tag === "RateLimitError" && refused.retryAfter && Duration.toMillis(refused.retryAfter)).toBe(119_000)
      expect(yield* scripted.count).toBe(1)
    }))

  it.effect("a 429 without Retry-After pauses nothing", () =>
    Effect.gen(function*() {
      const { exits, requests } = yield* concurrently(
        [ucError(429)],
        [call(getOne), call(getOne)],
        { rateLimit: { limit: 100, window: "1 second" }, advance: "10 seconds" }
      )
      expect(exits.every(Exit.isSuccess)).toBe(true)
      // Both sent at once; the retry of the 429 after its backoff (250 ms ± 20%).
      expect(requests.map((request) => request.atMillis).slice(0, 2)).toEqual([0, 0])
      expect(requests[2]?.atMillis).toBeLessThan(400)
    }))
})

describe("which store", () => {
  const options: ClientOptions = { credentials: Credentials.simpleKey(testKey), rateLimit: { limit: 2, window: "1 second" } }
  const twice = (layer: Layer.Layer<ConversationService>) =>
    Effect.provide(Effect.all([call(getOne), call(getOne)], { concurrency: "unbounded" }), layer)

  it.effect("services given one RateLimitStore share one budget (ConversationEmbedService included)", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([], { otherwise: json(200, {}) })
      const http = Layer.succeed(HttpClient.HttpClient, scripted.client)
      const shared = Layer.succeed(RateLimit.RateLimitStore, yield* RateLimit.makeMemory)
      const serviceA = ConversationService.layer(options).pipe(Layer.provide(http), Layer.provide(shared))
      const serviceB = ConversationService.layer(options).pipe(Layer.provide(http), Layer.provide(shared))
      const embed = ConversationEmbedService.layer(options).pipe(Layer.provide(http), Layer.provide(shared))
      const revoke = Effect.flatMap(ConversationEmbedService, (service) => service.embedOauthRevoke({ client_id: "c", token: "t" })).pipe(
        Effect.provide(embed)
      )
      const fiber = yield* Effect.fork(Effect.all([twice(serviceA), twice(serviceB), revoke], { concurrency: "unbounded" }))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(histogram(yield* scripted.requests)).toEqual({ 0: 2, 1000: 2, 2000: 1 })
    }))

  it.effect("without a RateLimitStore in context each layer has a memory store, and a budget, of its own", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([], { otherwise: json(200, {}) })
      const http = Layer.succeed(HttpClient.HttpClient, scripted.client)
      const serviceA = ConversationService.layer(options).pipe(Layer.provide(http))
      const serviceB = ConversationService.layer(options).pipe(Layer.provide(http))
      const fiber = yield* Effect.fork(Effect.all([twice(serviceA), twice(serviceB)], { concurrency: "unbounded" }))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(histogram(yield* scripted.requests)).toEqual({ 0: 4 })
    }))
})

describe("a failing store", () => {
  it.effect("the attempt goes ahead, and a Warning says the store failed", () =>
    Effect.gen(function*() {
      const failing: RateLimit.RateLimitStoreShape = {
        limiter: {
          [RateLimiter.TypeId]: RateLimiter.TypeId,
          consume: () => Effect.fail(new RateLimiter.RateLimitStoreError({ message: "store unreachable" }))
        },
        pause: () => Effect.fail(new RateLimiter.RateLimitStoreError({ message: "store unreachable" })),
        pausedFor: () => Effect.fail(new RateLimiter.RateLimitStoreError({ message: "store unreachable" }))
      }
      const scripted = yield* makeScriptedClient([ok])
      const memory = makeMemoryLogger()
      const result = yield* call(getOne).pipe(
        Effect.provide(
          ConversationService.layer({
            credentials: Credentials.simpleKey(testKey),
            rateLimit: { limit: 1, window: "1 second" }
          }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, scripted.client)),
            Layer.provide(Layer.succeed(RateLimit.RateLimitStore, failing))
          )
        ),
        withMemoryLogger(memory),
        Effect.exit
      )
      expect(Exit.isSuccess(result)).toBe(true)
      expect(yield* scripted.count).toBe(1)
      const warnings = memory.lines.filter((line) => line.includes("level=WARN"))
      expect(warnings.length).toBeGreaterThan(0)
      expect(warnings[0]).toContain("the store failed")
      expect(memory.lines.join("\n")).not.toContain(testKey)
    }))
})

describe("options", () => {
  const bad: ReadonlyArray<readonly [string, RateLimit.RateLimitOptions, string]> = [
    ["limit 0", { limit: 0, window: "1 second" }, "rateLimit.limit"],
    ["a fractional limit", { limit: 1.5, window: "1 second" }, "rateLimit.limit"],
    ["a zero window", { limit: 1, window: "0 millis" }, "rateLimit.window"],
    ["an infinite window", { limit: 1, window: Duration.infinity }, "rateLimit.window"],
    ["an empty key", { limit: 1, window: "1 second", key: "" }, "rateLimit.key"],
    ["more than one request per millisecond", { limit: 1001, window: "1 second" }, "one request per millisecond"]
  ]
  it.effect("a refused rateLimit fails the layer with a defect saying why, and sends nothing", () =>
    Effect.gen(function*() {
      for (const [name, rateLimit, says] of bad) {
        const { exit, requests } = yield* run([], getOne, { client: { rateLimit } })
        expect(defectMessage(exit), name).toContain(says)
        expect(requests, name).toHaveLength(0)
      }
    }))
})
