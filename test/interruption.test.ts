import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Stream, TestClock } from "effect"
import { ConversationService, type ConversationServiceShape } from "../src/ConversationService.js"
import type { ConversationError } from "../src/Errors.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import {
  json,
  makeScriptedClient,
  never,
  outcomeTag,
  serviceLayer,
  stalledBody,
  type Step
} from "./support/scriptedClient.js"

/** Starts `call` over a scripted client, lets it send its request(s), and hands back the fiber. */
const start = <A>(
  script: ReadonlyArray<Step>,
  call: (service: ConversationServiceShape) => Effect.Effect<A, ConversationError>,
  options: Parameters<typeof serviceLayer>[1] = {}
) =>
  Effect.gen(function*() {
    const scripted = yield* makeScriptedClient(script)
    const fiber = yield* ConversationService.pipe(
      Effect.flatMap(call),
      Effect.provide(serviceLayer(scripted.client, options)),
      Effect.fork
    )
    // Let the fiber run up to the request, without moving the clock.
    yield* TestClock.adjust(0)
    return { fiber, scripted }
  })

describe("interrupting a call aborts its HTTP request", () => {
  const calls: ReadonlyArray<readonly [string, (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>]> = [
    ["getConversation", (service) => service.getConversation("c-1")],
    ["startConversation", (service) => service.startConversation({ conversation_arn: "a" })],
    ["leaveConversation", (service) => service.leaveConversation("c-1")]
  ]
  for (const [name, call] of calls) {
    it.effect(`${name}: the signal is aborted once the fiber is interrupted`, () =>
      Effect.gen(function*() {
        const { fiber, scripted } = yield* start([never], call)
        const [request] = yield* scripted.requests
        if (request === undefined) throw new Error("no request was sent")
        expect(request.signal.aborted).toBe(false)
        yield* Fiber.interrupt(fiber)
        expect(request.signal.aborted).toBe(true)
        expect(yield* scripted.count).toBe(1)
      }))
  }

  it.effect("interrupting during a backoff sends nothing more", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([json(503, {})], (service) => service.getConversation("c-1"))
      expect(yield* scripted.count).toBe(1)
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("10 minutes")
      expect(yield* scripted.count).toBe(1)
    }))

  it.effect("interrupting a stream aborts the page in flight", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([never], (service) => Stream.runDrain(service.streamConversations()))
      const [request] = yield* scripted.requests
      yield* Fiber.interrupt(fiber)
      expect(request?.signal.aborted).toBe(true)
    }))

  it.effect("a request that completes is not aborted", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([json(200, {})], (service) => service.getConversation("c-1"))
      const exit = yield* Fiber.await(fiber)
      expect(outcomeTag(exit)).toBe("Success")
      const [request] = yield* scripted.requests
      expect(request?.signal.aborted).toBe(false)
    }))
})

describe("a timeout aborts its HTTP request", () => {
  it.effect("the attempt's signal is aborted when the timeout fires", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([never], (service) => service.getConversation("c-1"), {
        timeout: "5 seconds",
        retry: RetryPolicy.none
      })
      const [request] = yield* scripted.requests
      yield* TestClock.adjust("4999 millis")
      expect(request?.signal.aborted).toBe(false)
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.await(fiber)
      expect(outcomeTag(exit)).toBe("TimeoutError")
      expect(request?.signal.aborted).toBe(true)
    }))

  it.effect("a body that stalls after the headers times out too, and its request is aborted", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([stalledBody(200)], (service) => service.getConversation("c-1"), {
        timeout: "5 seconds",
        retry: RetryPolicy.none
      })
      yield* TestClock.adjust("5 seconds")
      const exit = yield* Fiber.await(fiber)
      expect(outcomeTag(exit)).toBe("TimeoutError")
      const [request] = yield* scripted.requests
      expect(request?.signal.aborted).toBe(true)
    }))

  it.effect("every timed-out attempt of a retried call is aborted", () =>
    Effect.gen(function*() {
      const { fiber, scripted } = yield* start([never, never, never], (service) => service.getConversation("c-1"), {
        timeout: "1 second",
        retry: RetryPolicy.make({ maxRetries: 2 })
      })
      yield* TestClock.adjust("1 minute")
      const exit = yield* Fiber.await(fiber)
      expect(outcomeTag(exit)).toBe("TimeoutError")
      const requests = yield* scripted.requests
      expect(requests).toHaveLength(3)
      expect(requests.map((request) => request.signal.aborted)).toEqual([true, true, true])
    }))
})
