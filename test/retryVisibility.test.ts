/**
 * Visible retries: each retry logs one Debug line (operation, attempt, error tag and status, the delay,
 * whether it is the server's Retry-After) and adds an `ultracart.retry` event to the operation's span;
 * a failure that is not retried logs nothing; no secret in either.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import type { ConversationServiceShape } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { makeMemoryLogger, makeMemoryTracer, withMemoryLogger } from "./support/observe.js"
import { json, outcomeTag, refused, run, testKey, ucError } from "./support/scriptedClient.js"

const uuid = "c-visible-1"
const ok = json(200, { conversation: { conversation_uuid: uuid } })
const getOne = (service: ConversationServiceShape) => service.getConversation(uuid)
/** No jitter, so that the delays are exact. */
const policy = RetryPolicy.make({ jitter: false })
const bearer = "test-bearer-token-visible"

/** A line as `Logger.jsonLogger` prints it. */
interface JsonLine {
  readonly message: string
  readonly logLevel: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** The JSON form of each retry line (the memory logger keeps logfmt, JSON and structured). */
const retryLines = (lines: ReadonlyArray<string>): ReadonlyArray<JsonLine> =>
  lines.filter((line) => line.startsWith("{\"") && line.includes("retrying in")).map((line): JsonLine => JSON.parse(line))

describe("each retry logs one Debug line", () => {
  it.effect("503 then 429 with Retry-After: 2: two lines saying attempt, error, status, delay and its source", () =>
    Effect.gen(function*() {
      const memory = makeMemoryLogger()
      const { exit } = yield* run([ucError(503), ucError(429, undefined, { "retry-after": "2" }), ok], getOne, {
        advance: "1 minute",
        client: { retry: policy }
      }).pipe(withMemoryLogger(memory))
      expect(outcomeTag(exit)).toBe("Success")
      const lines = retryLines(memory.lines)
      expect(lines).toHaveLength(2)
      expect(lines.map((line) => line.logLevel)).toEqual(["DEBUG", "DEBUG"])
      expect(lines[0]?.message).toBe("getConversation: attempt 1 failed (ServerError 503); retrying in 250 ms")
      expect(lines[0]?.annotations).toEqual({
        "ultracart.operation": "getConversation",
        "ultracart.attempt": 1,
        "error.type": "ServerError",
        "http.response.status_code": 503,
        "ultracart.retry.delay_ms": 250,
        "ultracart.retry.from_retry_after": false
      })
      expect(lines[1]?.message).toBe("getConversation: attempt 2 failed (RateLimitError 429); retrying in 2000 ms (Retry-After)")
      expect(lines[1]?.annotations).toMatchObject({
        "ultracart.attempt": 2,
        "error.type": "RateLimitError",
        "http.response.status_code": 429,
        "ultracart.retry.delay_ms": 2000,
        "ultracart.retry.from_retry_after": true
      })
    }))

  it.effect("a failure without a status says its tag only", () =>
    Effect.gen(function*() {
      const memory = makeMemoryLogger()
      yield* run([refused(), ok], getOne, { advance: "1 minute", client: { retry: policy } }).pipe(withMemoryLogger(memory))
      const [line, ...others] = retryLines(memory.lines)
      expect(others).toHaveLength(0)
      expect(line?.message).toBe("getConversation: attempt 1 failed (TransportError); retrying in 250 ms")
      expect(line?.annotations["http.response.status_code"]).toBeUndefined()
    }))

  it.effect("a failure that is returned, not retried, logs no retry line", () =>
    Effect.gen(function*() {
      const memory = makeMemoryLogger()
      yield* run([ucError(404)], getOne, { advance: "1 minute" }).pipe(withMemoryLogger(memory))
      yield* run([], getOne, { advance: "1 minute", otherwise: ucError(503), client: { retry: RetryPolicy.make({ maxRetries: 1 }) } })
        .pipe(withMemoryLogger(memory))
      // The second call: one retry, then the last 503 is returned without a line.
      expect(retryLines(memory.lines)).toHaveLength(1)
    }))

  it.effect("at the default minimum level (Info) the lines are not printed", () =>
    Effect.gen(function*() {
      const memory = makeMemoryLogger()
      yield* run([ucError(503), ok], getOne, { advance: "1 minute" }).pipe(Effect.provide(Logger.add(memory.logger)))
      expect(retryLines(memory.lines)).toHaveLength(0)
    }))

  it.effect("no credential in any line, with either kind of credential", () =>
    Effect.gen(function*() {
      for (const credentials of [Credentials.simpleKey(testKey), Credentials.bearer(bearer)]) {
        const memory = makeMemoryLogger()
        yield* run([ucError(503), refused(), ucError(429, undefined, { "retry-after": "1" }), ok], getOne, {
          advance: "1 minute",
          client: { credentials }
        }).pipe(withMemoryLogger(memory))
        expect(retryLines(memory.lines)).toHaveLength(3)
        const printed = memory.lines.join("\n")
        expect(printed).not.toContain(testKey)
        expect(printed).not.toContain(bearer)
      }
    }))
})

describe("each retry is an event on the operation's span", () => {
  it.effect("ultracart.retry events with the same fields, on the span whose http.client children are the attempts", () =>
    Effect.gen(function*() {
      const memory = makeMemoryTracer()
      yield* Effect.withTracer(
        run([ucError(503), ucError(429, undefined, { "retry-after": "2" }), ok], getOne, {
          advance: "1 minute",
          client: { retry: policy }
        }),
        memory.tracer
      )
      const operation = memory.spans.find((span) => span.name === "ConversationService.getConversation")
      expect(operation?.events.map((event) => event.name)).toEqual(["ultracart.retry", "ultracart.retry"])
      expect(operation?.events[1]?.attributes).toMatchObject({
        "ultracart.attempt": 2,
        "error.type": "RateLimitError",
        "http.response.status_code": 429,
        "ultracart.retry.delay_ms": 2000,
        "ultracart.retry.from_retry_after": true
      })
      const attempts = memory.spans.filter((span) => span.name === "http.client GET")
      expect(attempts).toHaveLength(3)
      expect(attempts.every((attempt) => attempt.parentSpanId === operation?.spanId)).toBe(true)
    }))
})
