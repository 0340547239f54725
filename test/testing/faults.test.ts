import { FetchHttpClient } from "@effect/platform"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  RetryPolicy
} from "../../src/index.js"
import { agentArn, defaultSeed, Fault, MockServer, type RecordedRequest } from "../../src/testing/index.js"
import { httpClients, serverAndClient, warmUp } from "./support.js"

const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"

/** The default policy's behaviour with delays short enough for real sockets. */
const fastDefault = RetryPolicy.make({ baseDelay: "5 millis", maxDelay: "20 millis" })
/** Generous, so that a loaded machine never turns a fault into a timeout. */
const timeout: Duration.DurationInput = "5 seconds"
/** For the delay faults: short enough to keep the tests fast, long enough for a local answer. */
const shortTimeout: Duration.DurationInput = "500 millis"
/** Longer than `shortTimeout`; the server abandons the wait when the client goes away. */
const longDelay: Duration.DurationInput = "5 seconds"
const pastDate = new Date(Date.now() - 60_000).toUTCString()

interface Outcome {
  readonly tag: string
  readonly requests: number
}

interface FaultCase {
  readonly name: string
  readonly fault: Fault.Fault
  /** How many requests in a row get the fault. */
  readonly times: number
  readonly withoutRetry: Outcome
  readonly withRetry: Outcome
  /** Checks on the error, when there is one. */
  readonly check?: (error: ConversationError) => void
  /** The client's per-attempt timeout (default `timeout`). */
  readonly timeout?: Duration.DurationInput
}

const failedOnce = (tag: string): Outcome => ({ tag, requests: 1 })
const ok = (requests: number): Outcome => ({ tag: "ok", requests })

/** Each fault kind against getConversation, an operation that is safe to retry. */
const idempotentCases: ReadonlyArray<FaultCase> = [
  { name: "503 with an ErrorResponse, twice", fault: Fault.status(503), times: 2, withoutRetry: failedOnce("ServerError"), withRetry: ok(3),
    check: (e) => expect(e._tag === "ServerError" && e.error?.error_code).toBe("503") },
  { name: "500 with a text body", fault: Fault.status(500, { body: "text" }), times: 1, withoutRetry: failedOnce("ServerError"), withRetry: ok(2) },
  { name: "502 with no body", fault: Fault.status(502, { body: "none" }), times: 1, withoutRetry: failedOnce("ServerError"), withRetry: ok(2) },
  { name: "504 every time", fault: Fault.status(504), times: Infinity, withoutRetry: failedOnce("ServerError"), withRetry: { tag: "ServerError", requests: 5 } },
  { name: "501 (not retried)", fault: Fault.status(501), times: 1, withoutRetry: failedOnce("ServerError"), withRetry: failedOnce("ServerError") },
  { name: "429 with Retry-After: 0, twice", fault: Fault.rateLimited(0), times: 2, withoutRetry: failedOnce("RateLimitError"), withRetry: ok(3),
    check: (e) => expect(e._tag === "RateLimitError" && e.retryAfter !== undefined && Duration.toMillis(e.retryAfter)).toBe(0) },
  { name: "429 with Retry-After as a past HTTP date", fault: Fault.rateLimited(pastDate), times: 1, withoutRetry: failedOnce("RateLimitError"), withRetry: ok(2) },
  { name: "429 with Retry-After past the policy's limit", fault: Fault.rateLimited(120), times: 1, withoutRetry: failedOnce("RateLimitError"), withRetry: failedOnce("RateLimitError"),
    check: (e) => expect(e._tag === "RateLimitError" && e.retryAfter !== undefined && Duration.toSeconds(e.retryAfter)).toBe(120) },
  { name: "400", fault: Fault.status(400), times: 1, withoutRetry: failedOnce("BadRequestError"), withRetry: failedOnce("BadRequestError") },
  { name: "401", fault: Fault.status(401), times: 1, withoutRetry: failedOnce("UnauthorizedError"), withRetry: failedOnce("UnauthorizedError") },
  { name: "403", fault: Fault.status(403), times: 1, withoutRetry: failedOnce("ForbiddenError"), withRetry: failedOnce("ForbiddenError") },
  { name: "404", fault: Fault.status(404), times: 1, withoutRetry: failedOnce("NotFoundError"), withRetry: failedOnce("NotFoundError") },
  { name: "410", fault: Fault.status(410), times: 1, withoutRetry: failedOnce("ApplicationDisabledError"), withRetry: failedOnce("ApplicationDisabledError") },
  { name: "418", fault: Fault.status(418), times: 1, withoutRetry: failedOnce("UnexpectedStatusError"), withRetry: failedOnce("UnexpectedStatusError") },
  { name: "a delay past the timeout before the headers, twice", fault: Fault.delay(longDelay), times: 2, withoutRetry: failedOnce("TimeoutError"), withRetry: ok(3), timeout: shortTimeout },
  { name: "a delay within the timeout", fault: Fault.delay("20 millis"), times: 1, withoutRetry: ok(1), withRetry: ok(1) },
  { name: "a delay past the timeout in the middle of the body", fault: Fault.delayBody(longDelay), times: 1, withoutRetry: failedOnce("TimeoutError"), withRetry: ok(2), timeout: shortTimeout },
  { name: "a delay within the timeout in the middle of the body", fault: Fault.delayBody("20 millis"), times: 1, withoutRetry: ok(1), withRetry: ok(1) },
  { name: "a connection dropped before processing, twice", fault: Fault.dropBeforeProcessing, times: 2, withoutRetry: failedOnce("TransportError"), withRetry: ok(3),
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("RequestFailed") },
  { name: "a connection dropped after processing, twice", fault: Fault.dropAfterProcessing, times: 2, withoutRetry: failedOnce("TransportError"), withRetry: ok(3),
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("RequestFailed") },
  { name: "a truncated body, twice", fault: Fault.truncatedBody, times: 2, withoutRetry: failedOnce("TransportError"), withRetry: ok(3),
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("ResponseFailed") },
  { name: "a body that is not JSON", fault: Fault.notJson, times: 1, withoutRetry: failedOnce("DecodeError"), withRetry: failedOnce("DecodeError") },
  { name: "JSON of the wrong shape", fault: Fault.wrongShape, times: 1, withoutRetry: failedOnce("DecodeError"), withRetry: failedOnce("DecodeError") },
  { name: "an empty 200 body", fault: Fault.emptyBody, times: 1, withoutRetry: failedOnce("DecodeError"), withRetry: failedOnce("DecodeError") }
]

interface StartCase {
  readonly name: string
  readonly fault: Fault.Fault
  readonly times: number
  readonly outcome: Outcome
  /** Conversations the store holds afterwards that the calls created. */
  readonly created: number
  readonly timeout?: Duration.DurationInput
}

/** Each fault kind against startConversation, which must never create a conversation twice. */
const startCases: ReadonlyArray<StartCase> = [
  { name: "503", fault: Fault.status(503), times: 1, outcome: failedOnce("ServerError"), created: 0 },
  { name: "500", fault: Fault.status(500), times: 1, outcome: failedOnce("ServerError"), created: 0 },
  { name: "429 with Retry-After: 0, twice (surely not processed: retried)", fault: Fault.rateLimited(0), times: 2, outcome: ok(3), created: 1 },
  { name: "a delay past the timeout", fault: Fault.delay(longDelay), times: 1, outcome: failedOnce("TimeoutError"), created: 0, timeout: shortTimeout },
  { name: "a delay past the timeout mid-body (already created)", fault: Fault.delayBody(longDelay), times: 1, outcome: failedOnce("TimeoutError"), created: 1, timeout: shortTimeout },
  { name: "a connection dropped before processing", fault: Fault.dropBeforeProcessing, times: 1, outcome: failedOnce("TransportError"), created: 0 },
  { name: "a connection dropped after processing", fault: Fault.dropAfterProcessing, times: 1, outcome: failedOnce("TransportError"), created: 1 },
  { name: "a truncated body", fault: Fault.truncatedBody, times: 1, outcome: failedOnce("TransportError"), created: 1 },
  { name: "a body that is not JSON", fault: Fault.notJson, times: 1, outcome: failedOnce("DecodeError"), created: 1 },
  { name: "JSON of the wrong shape", fault: Fault.wrongShape, times: 1, outcome: failedOnce("DecodeError"), created: 1 },
  { name: "an empty 200 body", fault: Fault.emptyBody, times: 1, outcome: failedOnce("DecodeError"), created: 1 }
]

/** Injects `fault`, runs `call` once, and reports what the client got and what the server saw. */
const underFault = <A>(
  fault: Fault.Fault,
  times: number,
  call: (service: ConversationServiceShape) => Effect.Effect<A, ConversationError>
) =>
  Effect.gen(function*() {
    const server = yield* MockServer
    const service = yield* ConversationService
    yield* server.injectFault(fault, { times })
    const result = yield* Effect.either(call(service))
    const requests = yield* server.requests
    return { result, requests, server }
  })

const tagOf = <A>(result: Either.Either<A, ConversationError>) => (Either.isLeft(result) ? result.left._tag : "ok")

const faultsSeen = (requests: ReadonlyArray<RecordedRequest>) => requests.map((r) => (r.fault === undefined ? "none" : Fault.describe(r.fault)))

beforeAll(() => Effect.runPromise(warmUp))

for (const [clientName, client] of httpClients) {
  for (const [policyName, policy] of [["RetryPolicy.none", RetryPolicy.none], ["the default policy", fastDefault]] as const) {
    describe.concurrent(`getConversation under faults, over ${clientName}, with ${policyName}`, () => {
      for (const testCase of idempotentCases) {
        const expected = policy === RetryPolicy.none ? testCase.withoutRetry : testCase.withRetry
        it.scopedLive(`${testCase.name}: ${expected.tag} after ${expected.requests} request(s)`, () =>
          Effect.gen(function*() {
            const { requests, result } = yield* underFault(testCase.fault, testCase.times, (s) => s.getConversation(seededSms))
            expect(tagOf(result)).toBe(expected.tag)
            expect(requests).toHaveLength(expected.requests)
            expect(requests.every((r) => r.operationId === "getConversation")).toBe(true)
            expect(requests[0]?.fault).toEqual(testCase.fault)
            if (Either.isRight(result)) expect(result.right.conversation?.conversation_uuid).toBe(seededSms)
            if (Either.isLeft(result)) testCase.check?.(result.left)
          }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: policy, timeout: testCase.timeout ?? timeout }))))
      }
    })
  }

  describe.concurrent(`startConversation under faults, over ${clientName}, with the default policy`, () => {
    for (const testCase of startCases) {
      it.scopedLive(
        `${testCase.name}: ${testCase.outcome.tag} after ${testCase.outcome.requests} request(s), ${testCase.created} created`,
        () =>
          Effect.gen(function*() {
            const { requests, result, server } = yield* underFault(testCase.fault, testCase.times, (s) =>
              s.startConversation({ conversation_webchat_queue_uuid: "q-1" }))
            expect(tagOf(result)).toBe(testCase.outcome.tag)
            expect(requests).toHaveLength(testCase.outcome.requests)
            expect(yield* server.store.started).toHaveLength(testCase.created)
            expect(yield* server.store.size).toBe(testCase.created)
          }).pipe(Effect.provide(serverAndClient(client, { seed: "empty" }, { retry: fastDefault, timeout: testCase.timeout ?? timeout })))
      )
    }
  })

  describe.concurrent(`joinConversation under faults, over ${clientName}`, () => {
    for (const fault of [Fault.notJson, Fault.wrongShape, Fault.emptyBody]) {
      it.scopedLive(`a 2xx with ${Fault.describe(fault)} is a successful join`, () =>
        Effect.gen(function*() {
          const { requests, result } = yield* underFault(fault, 1, (s) => s.joinConversation(waiting))
          expect(tagOf(result)).toBe("ok")
          expect(requests).toHaveLength(1)
        }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: fastDefault, timeout }))))
    }

    it.scopedLive("a join retried after a connection dropped after processing leaves one participant", () =>
      Effect.gen(function*() {
        const { requests, result, server } = yield* underFault(Fault.dropAfterProcessing, 1, (s) => s.joinConversation(waiting))
        expect(tagOf(result)).toBe("ok")
        expect(requests).toHaveLength(2)
        const conversation = yield* server.store.get(waiting)
        expect(conversation.participants?.filter((p) => p.conversation_participant_arn === agentArn("DEMO"))).toHaveLength(1)
      }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: fastDefault, timeout }))))
  })
}

describe("fault scripting", () => {
  const client = FetchHttpClient.layer

  it.scopedLive("a fault for one operation leaves the others alone", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const service = yield* ConversationService
      yield* server.injectFault(Fault.status(503), { operation: "startConversation" })
      yield* service.getConversations()
      yield* service.getConversation(seededSms)
      expect(yield* server.pendingFaults).toBe(1)
      expect(tagOf(yield* Effect.either(service.startConversation({})))).toBe("ServerError")
      expect(yield* server.pendingFaults).toBe(0)
      expect(faultsSeen(yield* server.requests)).toEqual(["none", "none", "status 503"])
    }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: RetryPolicy.none }))))

  it.scopedLive("queued faults apply in order", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const service = yield* ConversationService
      yield* server.injectFault(Fault.status(500), { times: 2 })
      yield* server.injectFault(Fault.notJson)
      const tags: Array<string> = []
      for (let i = 0; i < 4; i++) tags.push(tagOf(yield* Effect.either(service.getConversations())))
      expect(tags).toEqual(["ServerError", "ServerError", "DecodeError", "ok"])
      expect(faultsSeen(yield* server.requests)).toEqual(["status 500", "status 500", "non-JSON body", "none"])
      yield* server.injectFault(Fault.status(500), { times: 0 })
      expect(yield* server.pendingFaults).toBe(0)
      yield* server.injectFault(Fault.status(500), { times: 5 })
      expect(yield* server.pendingFaults).toBe(5)
      yield* server.clearFaults
      expect(tagOf(yield* Effect.either(service.getConversations()))).toBe("ok")
    }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: RetryPolicy.none }))))

  const randomRun = (seed: number, probability: number) =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const service = yield* ConversationService
      yield* server.setFaultRate({ probability, faults: [Fault.status(503), Fault.notJson, Fault.rateLimited(0)], seed })
      for (let i = 0; i < 20; i++) yield* Effect.either(service.getConversations())
      return faultsSeen(yield* server.requests)
    }).pipe(Effect.provide(serverAndClient(client, undefined, { retry: RetryPolicy.none })))

  it.scopedLive("random faults follow the seed, so a run can be reproduced", () =>
    Effect.gen(function*() {
      const [first, again, other] = yield* Effect.all([randomRun(7, 0.5), randomRun(7, 0.5), randomRun(8, 0.5)], {
        concurrency: "unbounded"
      })
      expect(again).toEqual(first)
      expect(other).not.toEqual(first)
      expect(first.filter((f) => f === "none").length).toBeGreaterThan(2)
      expect(new Set(first.filter((f) => f !== "none")).size).toBe(3)
    }))

  it.scopedLive("a fault rate of 0 injects nothing and 1 injects every time", () =>
    Effect.gen(function*() {
      const [never, always] = yield* Effect.all([randomRun(1, 0), randomRun(1, 1)], { concurrency: "unbounded" })
      expect(never.every((f) => f === "none")).toBe(true)
      expect(always.some((f) => f === "none")).toBe(false)
    }))
})
