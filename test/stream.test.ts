import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import type { ConversationServiceShape, StreamConversationsOptions } from "../src/ConversationService.js"
import type { ConversationSummary } from "../src/Models.js"
import { failureOf, json, outcomeTag, type RecordedRequest, run, type Step, successOf, ucError } from "./support/scriptedClient.js"

const summaries = (from: number, count: number): ReadonlyArray<ConversationSummary> =>
  Array.from({ length: count }, (_, i) => ({ conversation_uuid: `c-${from + i}`, medium: "sms" }))

/** One page: its summaries and, when given, its result set. */
const page = (items: ReadonlyArray<ConversationSummary>, resultSet?: Record<string, unknown>): Step =>
  json(200, {
    conversations: items,
    success: true,
    metadata: resultSet === undefined ? { payload_name: "conversations" } : { payload_name: "conversations", result_set: resultSet }
  })

const collect = (options?: StreamConversationsOptions) => (service: ConversationServiceShape) =>
  Effect.map(Stream.runCollect(service.streamConversations(options)), Chunk.toReadonlyArray)

const uuids = (items: ReadonlyArray<ConversationSummary> | undefined) => (items ?? []).map((item) => item.conversation_uuid)

const queries = (requests: ReadonlyArray<RecordedRequest>) => requests.map((request) => request.query)

describe("streamConversations pages through getConversations", () => {
  it.effect("follows next_offset with _limit/_offset and stops on more: false", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [
          page(summaries(0, 2), { count: 2, offset: 0, limit: 2, more: true, next_offset: 2, total_records: 5 }),
          page(summaries(2, 2), { count: 2, offset: 2, limit: 2, more: true, next_offset: 4, total_records: 5 }),
          page(summaries(4, 1), { count: 1, offset: 4, limit: 2, more: false, next_offset: 5, total_records: 5 })
        ],
        collect({ pageSize: 2 })
      )
      expect(uuids(successOf(exit))).toEqual(["c-0", "c-1", "c-2", "c-3", "c-4"])
      expect(queries(requests)).toEqual([
        [["_limit", "2"], ["_offset", "0"]],
        [["_limit", "2"], ["_offset", "2"]],
        [["_limit", "2"], ["_offset", "4"]]
      ])
      expect(requests.every((request) => request.path === "/rest/v2/conversation/conversations")).toBe(true)
    }))

  it.effect("without a more flag, full pages go on and the first short page is the last, every conversation in order", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [
          page(summaries(0, 3), { count: 3, offset: 0, limit: 3, next_offset: 3, total_records: 8 }),
          page(summaries(3, 3), { count: 3, offset: 3, limit: 3, next_offset: 6, total_records: 8 }),
          page(summaries(6, 2), { count: 2, offset: 6, limit: 3, next_offset: 8, total_records: 8 })
        ],
        collect({ pageSize: 3 }),
        { otherwise: page(summaries(100, 3)) }
      )
      expect(uuids(successOf(exit))).toEqual(summaries(0, 8).map((item) => item.conversation_uuid))
      expect(queries(requests).map((query) => query[1])).toEqual([["_offset", "0"], ["_offset", "3"], ["_offset", "6"]])
    }))

  it.effect("without a more flag, a full last page is followed by one request whose empty page ends the stream", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [
          page(summaries(0, 3), { count: 3, offset: 0, limit: 3, next_offset: 3 }),
          page(summaries(3, 3), { count: 3, offset: 3, limit: 3, next_offset: 6 }),
          page([], { count: 0, offset: 6, limit: 3, next_offset: 6 })
        ],
        collect({ pageSize: 3 }),
        { otherwise: page(summaries(100, 3)) }
      )
      expect(uuids(successOf(exit))).toEqual(summaries(0, 6).map((item) => item.conversation_uuid))
      expect(requests).toHaveLength(3)
    }))

  it.effect("without any result set, full pages go on at offset + items", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [page(summaries(0, 2)), page(summaries(2, 2)), page(summaries(4, 1))],
        collect({ pageSize: 2 }),
        { otherwise: page(summaries(100, 2)) }
      )
      expect(uuids(successOf(exit))).toEqual(summaries(0, 5).map((item) => item.conversation_uuid))
      expect(queries(requests).map((query) => query[1])).toEqual([["_offset", "0"], ["_offset", "2"], ["_offset", "4"]])
    }))

  it.effect("a short page without a result set is the last", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([page(summaries(0, 4))], collect())
      expect(uuids(successOf(exit))).toHaveLength(4)
      expect(requests).toHaveLength(1)
    }))

  it.effect("stops on an empty page even when more says true", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [
          page(summaries(0, 2), { more: true, next_offset: 2 }),
          page([], { more: true, next_offset: 2 })
        ],
        collect({ pageSize: 2 })
      )
      expect(uuids(successOf(exit))).toEqual(["c-0", "c-1"])
      expect(requests).toHaveLength(2)
    }))

  it.effect("a page with conversations null is an empty page", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([json(200, { conversations: null, metadata: { result_set: { more: true } } })], collect())
      expect(successOf(exit)).toEqual([])
      expect(requests).toHaveLength(1)
    }))

  it.effect("without next_offset the next offset is the items seen so far", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [page(summaries(0, 2), { more: true }), page(summaries(2, 1), { more: false })],
        collect({ pageSize: 2 })
      )
      expect(queries(requests)[1]).toEqual([["_limit", "2"], ["_offset", "2"]])
    }))

  it.effect("a next_offset that does not move forward cannot loop on the same page", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [page(summaries(0, 2), { more: true, next_offset: 0 }), page(summaries(2, 1), { more: false })],
        collect({ pageSize: 2 })
      )
      expect(queries(requests)[1]).toEqual([["_limit", "2"], ["_offset", "2"]])
    }))

  it.effect("the default page size is 100, and medium and before are sent on every page", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [page(summaries(0, 100), { more: true, next_offset: 100 }), page(summaries(100, 1), { more: false })],
        collect({ medium: "websocket", before: "2024-01-01T00:00:00Z" })
      )
      expect(queries(requests)).toEqual([
        [["medium", "websocket"], ["before", "2024-01-01T00:00:00Z"], ["_limit", "100"], ["_offset", "0"]],
        [["medium", "websocket"], ["before", "2024-01-01T00:00:00Z"], ["_limit", "100"], ["_offset", "100"]]
      ])
    }))
})

describe("streamConversations is lazy", () => {
  it.effect("Stream.take(10) with pageSize 100 fetches exactly one page", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [page(summaries(0, 100), { more: true, next_offset: 100, total_records: 10_000 })],
        (service) =>
          Effect.map(
            Stream.runCollect(Stream.take(service.streamConversations({ pageSize: 100 }), 10)),
            Chunk.toReadonlyArray
          ),
        { otherwise: page(summaries(100, 100), { more: true, next_offset: 200 }) }
      )
      expect(uuids(successOf(exit))).toEqual(summaries(0, 10).map((item) => item.conversation_uuid))
      expect(requests).toHaveLength(1)
    }))

  it.effect("building the stream sends nothing until it is run", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([], (service) => Effect.sync(() => service.streamConversations()))
      expect(requests).toHaveLength(0)
    }))
})

describe("streamConversations failures", () => {
  for (const pageSize of [0, 201]) {
    it.effect(`pageSize ${pageSize} fails the stream with InvalidInputError and sends nothing`, () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* run([], collect({ pageSize }), { otherwise: page([]) })
        expect(requests).toHaveLength(0)
        expect(failureOf(exit)).toMatchObject({ _tag: "InvalidInputError", argument: "pageSize" })
      }))
  }

  it.effect("a page failing with 503s gets the same retries and the stream goes on", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [
          page(summaries(0, 2), { more: true, next_offset: 2 }),
          ucError(503),
          ucError(503),
          page(summaries(2, 2), { more: false })
        ],
        collect({ pageSize: 2 }),
        { advance: "1 minute" }
      )
      expect(uuids(successOf(exit))).toEqual(["c-0", "c-1", "c-2", "c-3"])
      expect(queries(requests).slice(1)).toEqual([
        [["_limit", "2"], ["_offset", "2"]],
        [["_limit", "2"], ["_offset", "2"]],
        [["_limit", "2"], ["_offset", "2"]]
      ])
    }))

  it.effect("a page that keeps failing fails the stream after 5 requests for that page", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [page(summaries(0, 2), { more: true, next_offset: 2 })],
        collect({ pageSize: 2 }),
        { advance: "1 minute", otherwise: ucError(503) }
      )
      expect(outcomeTag(exit)).toBe("ServerError")
      expect(requests).toHaveLength(6)
    }))

  it.effect("a page that is not retried (401) fails the stream at once", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([ucError(401)], collect(), { advance: "1 minute", otherwise: page([]) })
      expect(outcomeTag(exit)).toBe("UnauthorizedError")
      expect(requests).toHaveLength(1)
    }))
})
