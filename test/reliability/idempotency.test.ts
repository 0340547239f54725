/**
 * `startConversation` can create a conversation, so it must never reach the server twice for one call
 * unless the server surely did not process the first request (a 429). Checked over a real socket with
 * every transport (`httpClients`): under each fault on its own, then for runs of calls with random seeded faults, where
 * every call carries a unique marker (`conversation_webchat_queue_uuid`) that the store's record of
 * started conversations is matched against.
 */
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Predicate } from "effect"
import { ConversationService } from "../../src/index.js"
import { Fault, MockServer, type RecordedRequest } from "../../src/testing/index.js"
import { httpClients } from "../testing/support.js"
import { classifiedTag, classify, fastRetry } from "./support.js"

/** The per-attempt timeout; every delay fault below is far longer. */
const timeout = "1 second"
const stall = "5 seconds"

/** The marker a JSON request body carries. */
const markerIn = (body: string | undefined): string | undefined => {
  if (body === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  return Predicate.hasProperty(parsed, "conversation_webchat_queue_uuid") &&
      typeof parsed.conversation_webchat_queue_uuid === "string"
    ? parsed.conversation_webchat_queue_uuid
    : undefined
}

/** The marker a request the server recorded carried (unknown when the server dropped it unread). */
const markerOf = (request: RecordedRequest): string | undefined => markerIn(request.body)

/**
 * A server with an empty store and a client over `client` that tallies, per marker, the requests it
 * sends (the client side sees every attempt, including those the server drops before reading them).
 */
const layerFor = (client: Layer.Layer<HttpClient.HttpClient>, sent: Map<string, number>) =>
  MockServer.layerClient({ retry: fastRetry, timeout }).pipe(
    Layer.provideMerge(MockServer.layer({ seed: "empty" })),
    Layer.provide(Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (http) =>
        HttpClient.tapRequest(http, (request) =>
          Effect.sync(() => {
            const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined
            const marker = markerIn(body) ?? "(no marker)"
            sent.set(marker, (sent.get(marker) ?? 0) + 1)
          })))
    )),
    Layer.provide(client)
  )

const is429 = (request: RecordedRequest) => request.fault?._tag === "Status" && request.fault.status === 429

/** Faults after which the server may have processed the request: none of them may be followed by a resend. */
const mayHaveProcessed: ReadonlyArray<readonly [string, Fault.Fault]> = [
  ["a connection reset after the body was read", Fault.dropAfterProcessing],
  ["headers slower than the timeout", Fault.delay(stall)],
  ["a body that stalls past the timeout", Fault.delayBody(stall)],
  ["a truncated body", Fault.truncatedBody],
  ["a connection reset before any response", Fault.dropBeforeProcessing],
  ["503", Fault.status(503)]
]

/** Random faults for the runs: mostly ones that may have processed the request, plus 429s and clean answers. */
const randomFaults: ReadonlyArray<Fault.Fault> = [
  Fault.dropAfterProcessing,
  Fault.dropAfterProcessing,
  Fault.delay(stall),
  Fault.delayBody(stall),
  Fault.truncatedBody,
  Fault.dropBeforeProcessing,
  Fault.status(503),
  Fault.rateLimited(0),
  Fault.notJson
]

const calls = 40
const seeds = [11, 23, 47]

for (const [clientName, client] of httpClients) {
  describe(`startConversation never reaches the server twice for one call, over ${clientName}`, () => {
    for (const [name, fault] of mayHaveProcessed) {
      const sent = new Map<string, number>()
      it.live(`under ${name} (every request): one request, at most one conversation`, () =>
        Effect.gen(function*() {
          const server = yield* MockServer
          const service = yield* ConversationService
          yield* server.injectFault(fault, { times: Infinity, operation: "startConversation" })
          const exit = yield* Effect.exit(service.startConversation({ conversation_webchat_queue_uuid: "only-marker" }))
          expect(classify(exit)._tag).toBe("Failure")
          const requests = (yield* server.requests).filter((request) => request.operationId === "startConversation")
          // The client sent it once; the server saw it once (or, for a stall on a loaded machine, not at
          // all if the client gave up before the server read it). Never twice.
          expect([...sent]).toEqual([["only-marker", 1]])
          expect(requests.length).toBeLessThanOrEqual(1)
          if (fault._tag !== "DelayHeaders" && fault._tag !== "DelayBody") expect(requests).toHaveLength(1)
          const started = yield* server.store.started
          expect(started.length).toBeLessThanOrEqual(1)
          if (fault._tag === "DropAfterProcessing" || fault._tag === "TruncatedBody") {
            // The server did create it before the answer broke: the one request was processed, exactly once.
            expect(started.map((s) => s.request.conversation_webchat_queue_uuid)).toEqual(["only-marker"])
          }
        }).pipe(Effect.provide(layerFor(client, sent))))
    }

    for (const seed of seeds) {
      const sent = new Map<string, number>()
      it.live(`${calls} calls with random faults (seed ${seed}): each marker started at most once, each success exactly once`, () =>
        Effect.gen(function*() {
          const server = yield* MockServer
          const service = yield* ConversationService
          yield* server.setFaultRate({ probability: 0.6, faults: randomFaults, seed, operations: ["startConversation"] })
          const markers = Array.from({ length: calls }, (_, i) => `marker-${seed}-${i}`)
          const results = yield* Effect.forEach(
            markers,
            (marker) =>
              Effect.map(Effect.exit(service.startConversation({ conversation_webchat_queue_uuid: marker })), (exit) => ({
                marker,
                exit
              })),
            { concurrency: 8 }
          )

          // Every call ended with a success or a typed failure.
          for (const { exit, marker } of results) expect(classify(exit)._tag, marker).not.toBe("Defect")

          // On the wire: a marker is sent again only after a 429, the answer that says "not processed".
          // The client's tally counts every attempt; the server's record says which of them got a 429.
          const requests = (yield* server.requests).filter((request) => request.operationId === "startConversation")
          // The server saw every request the client sent, except perhaps one the client gave up on (timed
          // out) before the server read it: such a request cannot have been processed.
          const sentCount = [...sent.values()].reduce((sum, n) => sum + n, 0)
          const timedOut = results.filter(({ exit }) => classifiedTag(classify(exit)) === "TimeoutError").length
          expect(requests.length).toBeLessThanOrEqual(sentCount)
          expect(sentCount - requests.length, "requests the server never saw").toBeLessThanOrEqual(timedOut)
          expect(sent.has("(no marker)")).toBe(false)
          const byMarker = new Map<string, Array<RecordedRequest>>()
          for (const request of requests) {
            const marker = markerOf(request)
            if (marker !== undefined) byMarker.set(marker, [...(byMarker.get(marker) ?? []), request])
          }
          for (const marker of markers) {
            const recorded = byMarker.get(marker) ?? []
            const rateLimited = recorded.filter(is429).length
            expect(sent.get(marker), `${marker}: one request, plus one per 429`).toBe(1 + rateLimited)
            expect(recorded.slice(0, -1).every(is429), `${marker} was re-sent after a fault other than 429`).toBe(true)
          }

          // In the store: at most one conversation per marker, exactly one per successful call.
          const started = yield* server.store.started
          expect(started.length).toBeLessThanOrEqual(calls)
          const startedByMarker = new Map<string, Array<string>>()
          for (const entry of started) {
            const marker = entry.request.conversation_webchat_queue_uuid ?? "(none)"
            startedByMarker.set(marker, [...(startedByMarker.get(marker) ?? []), entry.conversation_uuid])
          }
          for (const [marker, uuids] of startedByMarker) {
            expect(markers, `an unknown marker ${marker} was started`).toContain(marker)
            expect(uuids.length, `${marker} started ${uuids.length} times`).toBeLessThanOrEqual(1)
          }
          for (const { exit, marker } of results) {
            if (Exit.isSuccess(exit)) {
              expect(startedByMarker.get(marker), marker).toEqual([exit.value.conversation?.conversation_uuid])
            }
          }

          // The run was not vacuous: some calls succeeded, some failed after the server had processed them,
          // and some were retried after a 429.
          const tags = results.map(({ exit }) => classifiedTag(classify(exit)))
          expect(tags).toContain("Success")
          expect(results.some(({ exit, marker }) => Exit.isFailure(exit) && startedByMarker.has(marker))).toBe(true)
          expect([...sent.values()].some((n) => n > 1)).toBe(true)
        }).pipe(Effect.provide(layerFor(client, sent))))
    }
  })
}
