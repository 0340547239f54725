/**
 * The client's metrics, read from Effect's metric registry: requests by operation and outcome, retries by
 * reason, request durations (on the fiber's Clock), calls in progress; documented labels only, with
 * bounded values (never a uuid, a path or a credential); nothing recorded with `metrics: false`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import type { ConversationServiceShape } from "../src/ConversationService.js"
import { conversationErrorTags } from "../src/Errors.js"
import { operations } from "../src/generated/operations.js"
import * as Credentials from "../src/Credentials.js"
import * as Metrics from "../src/Metrics.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { counterValue, histogramValue, metricsNamed } from "./support/metrics.js"
import {
  delayed,
  json,
  makeScriptedClient,
  never,
  outcomeTag,
  refused,
  respond,
  run,
  serviceLayer,
  testKey,
  ucError
} from "./support/scriptedClient.js"
import { ConversationService } from "../src/ConversationService.js"

const uuid = "3f9c1d2e-0000-4000-8000-5ec2e7000001"
const ok = json(200, { conversation: { conversation_uuid: uuid } })
const getOne = (service: ConversationServiceShape) => service.getConversation(uuid)
const get = { operation: "getConversation", "http.request.method": "GET" } as const
const list = { operation: "getConversations", "http.request.method": "GET" } as const

/** Runs `effect` and returns how much each of `reads` changed meanwhile. */
const deltas = <A, E, R, K extends string>(
  reads: Readonly<Record<K, Effect.Effect<number>>>,
  effect: Effect.Effect<A, E, R>
) =>
  Effect.gen(function*() {
    const keys = Object.keys(reads) as Array<K>
    const before = yield* Effect.forEach(keys, (key) => reads[key])
    const result = yield* effect
    const after = yield* Effect.forEach(keys, (key) => reads[key])
    const changes = Object.fromEntries(keys.map((key, i) => [key, (after[i] ?? 0) - (before[i] ?? 0)]))
    return { result, changes }
  })

describe("requests, retries and durations", () => {
  it.effect("503, then 429 with Retry-After: 1, then 200: three requests by outcome, two retries by reason", () =>
    Effect.gen(function*() {
      const { changes, result } = yield* deltas({
        ok: counterValue(Metrics.names.requests, { ...get, outcome: "2xx" }),
        server: counterValue(Metrics.names.requests, { ...get, outcome: "5xx", "error.type": "ServerError" }),
        limited: counterValue(Metrics.names.requests, { ...get, outcome: "4xx", "error.type": "RateLimitError" }),
        retriedServer: counterValue(Metrics.names.retries, { ...get, reason: "ServerError" }),
        retriedLimited: counterValue(Metrics.names.retries, { ...get, reason: "RateLimitError" }),
        durations: Effect.map(
          Effect.all([
            histogramValue(Metrics.names.requestDuration, { ...get, outcome: "2xx" }),
            histogramValue(Metrics.names.requestDuration, { ...get, outcome: "5xx", "error.type": "ServerError" }),
            histogramValue(Metrics.names.requestDuration, { ...get, outcome: "4xx", "error.type": "RateLimitError" })
          ]),
          (all) => all.reduce((sum, h) => sum + h.count, 0)
        )
      }, run([ucError(503), ucError(429, undefined, { "retry-after": "1" }), ok], getOne, { advance: "1 minute" }))
      expect(outcomeTag(result.exit)).toBe("Success")
      expect(changes).toEqual({ ok: 1, server: 1, limited: 1, retriedServer: 1, retriedLimited: 1, durations: 3 })
    }))

  it.effect("an attempt without an answer counts under its error tag: TransportError, TimeoutError", () =>
    Effect.gen(function*() {
      const { changes } = yield* deltas({
        refused: counterValue(Metrics.names.requests, { ...list, outcome: "TransportError", "error.type": "TransportError" }),
        timedOut: counterValue(Metrics.names.requests, { ...list, outcome: "TimeoutError", "error.type": "TimeoutError" }),
        retriedRefused: counterValue(Metrics.names.retries, { ...list, reason: "TransportError" }),
        retriedTimeout: counterValue(Metrics.names.retries, { ...list, reason: "TimeoutError" })
      }, run([refused(), never, json(200, {})], (service) => service.getConversations(), { advance: "2 minutes" }))
      expect(changes).toEqual({ refused: 1, timedOut: 1, retriedRefused: 1, retriedTimeout: 1 })
    }))

  it.effect("a 2xx that does not decode counts as outcome 2xx with error.type DecodeError, and is not retried", () =>
    Effect.gen(function*() {
      const { changes } = yield* deltas({
        decode: counterValue(Metrics.names.requests, { ...get, outcome: "2xx", "error.type": "DecodeError" }),
        retries: counterValue(Metrics.names.retries, { ...get, reason: "DecodeError" })
      }, run([respond(200, "not json")], getOne))
      expect(changes).toEqual({ decode: 1, retries: 0 })
    }))

  it.effect("a request's duration is measured on the fiber's Clock, in seconds: a 2-second answer adds 2", () =>
    Effect.gen(function*() {
      const labels = { ...get, outcome: "2xx" }
      const before = yield* histogramValue(Metrics.names.requestDuration, labels)
      yield* run([delayed("2 seconds", ok)], getOne, { advance: "5 seconds" })
      const after = yield* histogramValue(Metrics.names.requestDuration, labels)
      expect(after.count - before.count).toBe(1)
      expect(after.sum - before.sum).toBeCloseTo(2, 6)
    }))

  it.effect("the wait for the rate limit is not part of a request's duration", () =>
    Effect.gen(function*() {
      const labels = { ...get, outcome: "2xx" }
      const before = yield* histogramValue(Metrics.names.requestDuration, labels)
      yield* run([ok, ok], (service) => Effect.all([getOne(service), getOne(service)], { concurrency: 2 }), {
        advance: "5 seconds",
        client: { rateLimit: { limit: 1, window: "2 seconds" } }
      })
      const after = yield* histogramValue(Metrics.names.requestDuration, labels)
      expect(after.count - before.count).toBe(2)
      expect(after.sum - before.sum).toBe(0)
    }))
})

describe("calls in progress", () => {
  it.effect("1 while a call runs (its backoffs included), 0 once it ended, also when it was interrupted", () =>
    Effect.gen(function*() {
      const active = counterValue(Metrics.names.activeCalls, get)
      const start = yield* active
      const scripted = yield* makeScriptedClient([ucError(503), ok, never])
      const layer = serviceLayer(scripted.client)
      const first = yield* Effect.fork(Effect.provide(Effect.flatMap(ConversationService, getOne), layer))
      yield* TestClock.adjust("10 millis")
      // During the backoff after the 503.
      expect((yield* active) - start).toBe(1)
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(first)
      expect((yield* active) - start).toBe(0)
      const hanging = yield* Effect.fork(
        Effect.provide(Effect.flatMap(ConversationService, getOne), serviceLayer(scripted.client, { timeout: "1 hour" }))
      )
      yield* TestClock.adjust("1 second")
      expect((yield* active) - start).toBe(1)
      yield* Fiber.interrupt(hanging)
      expect((yield* active) - start).toBe(0)
    }))
})

describe("labels", () => {
  const allowed: ReadonlyArray<string> = Object.values(Metrics.labels)
  const operationIds = new Set<string>(Object.values(operations).map((operation) => operation.id))
  const tags = new Set<string>(conversationErrorTags)
  const valueIsBounded = (name: string, value: string): boolean => {
    switch (name) {
      case "operation":
        return operationIds.has(value)
      case "http.request.method":
        return ["GET", "POST", "PUT", "DELETE", "PATCH"].includes(value)
      case "outcome":
        return /^[1-5]xx$/.test(value) || tags.has(value)
      case "error.type":
      case "reason":
        return tags.has(value)
      default:
        return false
    }
  }

  it.effect("only the documented label names, each with a bounded value; no uuid, path or credential", () =>
    Effect.gen(function*() {
      for (const credentials of [Credentials.simpleKey(testKey), Credentials.bearer("test-bearer-token")]) {
        yield* run(
          [ucError(503), ok, ucError(404), refused(), json(200, {}), respond(200, "{")],
          (service) =>
            Effect.all([
              Effect.either(getOne(service)),
              Effect.either(service.leaveConversation(uuid)),
              Effect.either(service.joinConversation(uuid)),
              Effect.either(service.getConversations({ limit: 3 }))
            ]),
          { advance: "1 minute", client: { credentials }, otherwise: ucError(500) }
        )
      }
      const entries = yield* metricsNamed("ultracart.")
      expect(entries.length).toBeGreaterThan(0)
      expect(new Set(entries.map((entry) => entry.name))).toEqual(new Set(Object.values(Metrics.names)))
      for (const entry of entries) {
        for (const [name, value] of Object.entries(entry.labels)) {
          expect(allowed, `${entry.name}: label ${name}`).toContain(name)
          expect(valueIsBounded(name, value), `${entry.name}: ${name}=${value}`).toBe(true)
        }
      }
      const printed = JSON.stringify(entries.map((entry) => entry.labels))
      for (const secret of [uuid, testKey, "test-bearer-token", "/conversation/"]) expect(printed).not.toContain(secret)
    }))

  it.effect("the fiber's own metric labels (Effect.tagMetrics) are added to the client's", () =>
    Effect.gen(function*() {
      const labels = { ...get, outcome: "2xx", tenant: "north" }
      const before = yield* counterValue(Metrics.names.requests, labels)
      yield* run([ok], (service) => Effect.tagMetrics(getOne(service), "tenant", "north"))
      expect((yield* counterValue(Metrics.names.requests, labels)) - before).toBe(1)
    }))
})

describe("metrics: false", () => {
  it.effect("records nothing", () =>
    Effect.gen(function*() {
      // getConversationMultimediaUploadUrl is used by no other test of this file.
      const { exit } = yield* run(
        [ucError(503), json(200, {})],
        (service) => service.getConversationMultimediaUploadUrl("png"),
        { advance: "1 minute", client: { metrics: false, retry: RetryPolicy.default } }
      )
      expect(outcomeTag(exit)).toBe("Success")
      const entries = yield* metricsNamed("ultracart.")
      expect(entries.filter((entry) => entry.labels["operation"] === "getConversationMultimediaUploadUrl")).toEqual([])
    }))
})
