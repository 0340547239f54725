/**
 * `streamConversations` across pages over a real socket, on every transport: all conversations in order,
 * one request per page with the right `_offset`, lazy consumption, filters carried to every page, and a
 * page's retries.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { ConversationService, RetryPolicy } from "../../src/index.js"
import { Fault, MockServer, seedConversations, seededUuid } from "../../src/testing/index.js"
import { serverAndClient, transports } from "./transports.js"

const total = 450
const seed = seedConversations(total)
const fastRetry = RetryPolicy.make({ baseDelay: "5 millis", maxDelay: "20 millis" })

for (const transport of transports) {
  describe.concurrent(`streamConversations over ${transport.name}`, () => {
    const layer = () => serverAndClient(transport, { seed }, { retry: fastRetry })

    it.scopedLive("streams all 450 conversations newest first in pages of 200", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        const all = yield* Stream.runCollect(service.streamConversations({ pageSize: 200 }))
        expect(Chunk.size(all)).toBe(total)
        expect(Chunk.toReadonlyArray(all).map((c) => c.conversation_uuid)).toEqual(
          Array.from({ length: total }, (_, i) => seededUuid(i))
        )
        const requests = yield* server.requests
        expect(requests.map((r) => r.query)).toEqual([
          { _limit: "200", _offset: "0" },
          { _limit: "200", _offset: "200" },
          { _limit: "200", _offset: "400" }
        ])
        expect(requests.every((r) => r.operationId === "getConversations")).toBe(true)
      }).pipe(Effect.provide(layer())))

    it.scopedLive("taking 10 fetches one page only", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        const first = yield* Stream.runCollect(service.streamConversations({ pageSize: 25 }).pipe(Stream.take(10)))
        expect(Chunk.toReadonlyArray(first).map((c) => c.conversation_uuid)).toEqual(
          Array.from({ length: 10 }, (_, i) => seededUuid(i))
        )
        expect(yield* server.requests).toHaveLength(1)
      }).pipe(Effect.provide(layer())))

    it.scopedLive("the medium filter reaches every page", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        const sms = yield* Stream.runCollect(service.streamConversations({ pageSize: 100, medium: "sms" }))
        expect(Chunk.size(sms)).toBe(total / 2)
        expect(Chunk.every(sms, (c) => c.medium === "sms")).toBe(true)
        const requests = yield* server.requests
        expect(requests).toHaveLength(3)
        expect(requests.every((r) => r.query["medium"] === "sms")).toBe(true)
      }).pipe(Effect.provide(layer())))

    it.scopedLive("a later page answered 503 is retried without losing or repeating items", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        // once the first page has arrived, the next two requests are answered 503
        const all = yield* service.streamConversations({ pageSize: 200 }).pipe(
          Stream.tap((c) =>
            c.conversation_uuid === seededUuid(0) ? server.injectFault(Fault.status(503), { times: 2 }) : Effect.void
          ),
          Stream.runCollect
        )
        expect(Chunk.size(all)).toBe(total)
        expect(new Set(Chunk.toReadonlyArray(all).map((c) => c.conversation_uuid)).size).toBe(total)
        const requests = yield* server.requests
        expect(requests.map((r) => (r.fault === undefined ? "none" : Fault.describe(r.fault)))).toEqual([
          "none",
          "status 503",
          "status 503",
          "none",
          "none"
        ])
        expect(requests.map((r) => r.query["_offset"])).toEqual(["0", "200", "200", "200", "400"])
      }).pipe(Effect.provide(layer())))

    it.scopedLive("an empty store streams nothing after one request", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        expect(Chunk.size(yield* Stream.runCollect(service.streamConversations()))).toBe(0)
        expect(yield* server.requests).toHaveLength(1)
      }).pipe(Effect.provide(serverAndClient(transport, { seed: "empty" }))))
  })
}
