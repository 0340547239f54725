/**
 * One test per fault kind per transport, on a representative operation: the client's outcome and how
 * many requests the server saw. (The full faults × operations matrix lives in test/testing/faults.test.ts.)
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  RetryPolicy
} from "../../src/index.js"
import { defaultSeed, Fault, MockServer } from "../../src/testing/index.js"
import { serverAndClient, transports, warmUp } from "./transports.js"

const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"

/** One retry, with delays short enough for a real socket. */
const oneRetry = RetryPolicy.make({ maxRetries: 1, baseDelay: "5 millis", maxDelay: "20 millis" })
/** Generous, so that a loaded machine never turns a fault into a timeout. */
const timeout: Duration.DurationInput = "5 seconds"
/** For the delay faults: past it, the attempt times out (long enough for a loaded machine's normal answer). */
const shortTimeout: Duration.DurationInput = "1 second"
/** Longer than `shortTimeout`; the server abandons the wait when the client goes away. */
const longDelay: Duration.DurationInput = "5 seconds"

type Call = (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>

const list: Call = (service) => service.getConversations({ limit: 2 })
const getOne: Call = (service) => service.getConversation(seededSms)
const start: Call = (service) => service.startConversation({ conversation_webchat_queue_uuid: "queue-1" })

interface FaultCase {
  readonly name: string
  readonly fault: Fault.Fault
  readonly call: Call
  /** How many requests in a row get the fault. */
  readonly times: number
  /** `"ok"` or the failure's `_tag`. */
  readonly outcome: string
  /** Requests the server saw for the call. */
  readonly requests: number
  /** Conversations `startConversation` created, for the start cases. */
  readonly created?: number
  readonly check?: (error: ConversationError) => void
  readonly timeout?: Duration.DurationInput
}

/** Every fault kind, each on an operation where its handling matters, under a policy of one retry. */
const cases: ReadonlyArray<FaultCase> = [
  {
    name: "status 503 (ErrorResponse body) on every attempt: retried, then ServerError",
    fault: Fault.status(503), call: list, times: 2, outcome: "ServerError", requests: 2,
    check: (e) => {
      expect(e._tag === "ServerError" && e.status).toBe(503)
      expect(e._tag === "ServerError" && e.error?.error_code).toBe("503")
    }
  },
  {
    name: "status 502 (no body) once: retried, then ok",
    fault: Fault.status(502, { body: "none" }), call: list, times: 1, outcome: "ok", requests: 2
  },
  {
    name: "status 404 (text body): NotFoundError, not retried",
    fault: Fault.status(404, { body: "text" }), call: getOne, times: 1, outcome: "NotFoundError", requests: 1,
    check: (e) => expect(e._tag === "NotFoundError" && e.ucRestError).toBeUndefined()
  },
  {
    name: "status 410: ApplicationDisabledError, not retried",
    fault: Fault.status(410), call: getOne, times: 1, outcome: "ApplicationDisabledError", requests: 1
  },
  {
    name: "status 503 on startConversation: ServerError, never re-sent",
    fault: Fault.status(503), call: start, times: 1, outcome: "ServerError", requests: 1, created: 0
  },
  {
    name: "429 with Retry-After: 0 on every attempt: retried, then RateLimitError with retryAfter",
    fault: Fault.rateLimited(0), call: list, times: 2, outcome: "RateLimitError", requests: 2,
    check: (e) => expect(e._tag === "RateLimitError" && e.retryAfter !== undefined && Duration.toMillis(e.retryAfter)).toBe(0)
  },
  {
    name: "429 on startConversation (surely not processed): retried, then ok",
    fault: Fault.rateLimited(0), call: start, times: 1, outcome: "ok", requests: 2, created: 1
  },
  {
    name: "429 with Retry-After past the policy's limit: RateLimitError at once",
    fault: Fault.rateLimited(120), call: list, times: 1, outcome: "RateLimitError", requests: 1,
    check: (e) => expect(e._tag === "RateLimitError" && e.retryAfter !== undefined && Duration.toSeconds(e.retryAfter)).toBe(120)
  },
  {
    name: "a delay before the headers past the timeout: retried, then TimeoutError",
    fault: Fault.delay(longDelay), call: list, times: 2, outcome: "TimeoutError", requests: 2, timeout: shortTimeout
  },
  {
    name: "a delay in the middle of the body past the timeout: retried, then ok",
    fault: Fault.delayBody(longDelay), call: getOne, times: 1, outcome: "ok", requests: 2, timeout: shortTimeout
  },
  {
    name: "a connection dropped before processing: retried, then TransportError",
    fault: Fault.dropBeforeProcessing, call: list, times: 2, outcome: "TransportError", requests: 2,
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("RequestFailed")
  },
  {
    name: "a connection dropped after processing startConversation: TransportError, not re-sent, 1 created",
    fault: Fault.dropAfterProcessing, call: start, times: 1, outcome: "TransportError", requests: 1, created: 1,
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("RequestFailed")
  },
  {
    name: "a truncated body on every attempt: retried, then TransportError",
    fault: Fault.truncatedBody, call: getOne, times: 2, outcome: "TransportError", requests: 2,
    check: (e) => expect(e._tag === "TransportError" && e.reason).toBe("ResponseFailed")
  },
  {
    name: "a body that is not JSON: DecodeError, not retried",
    fault: Fault.notJson, call: getOne, times: 1, outcome: "DecodeError", requests: 1,
    check: (e) => expect(e._tag === "DecodeError" && e.status).toBe(200)
  },
  {
    name: "JSON of the wrong shape: DecodeError, not retried",
    fault: Fault.wrongShape, call: list, times: 1, outcome: "DecodeError", requests: 1
  },
  {
    name: "an empty 200 body: DecodeError, not retried",
    fault: Fault.emptyBody, call: getOne, times: 1, outcome: "DecodeError", requests: 1
  }
]

beforeAll(() => Effect.runPromise(warmUp))

describe("the fault table", () => {
  it("covers every fault kind", () => {
    const kinds = new Set(cases.map((c) => c.fault._tag))
    expect([...kinds].sort()).toEqual([
      "DelayBody",
      "DelayHeaders",
      "DropAfterProcessing",
      "DropBeforeProcessing",
      "EmptyBody",
      "NotJson",
      "Status",
      "TruncatedBody",
      "WrongShape"
    ])
  })
})

for (const transport of transports) {
  describe.concurrent(`faults over ${transport.name}`, () => {
    for (const testCase of cases) {
      it.scopedLive(`${testCase.name} (${testCase.requests} request(s))`, () =>
        Effect.gen(function*() {
          const server = yield* MockServer
          const service = yield* ConversationService
          yield* server.injectFault(testCase.fault, { times: testCase.times })
          const result = yield* Effect.either(testCase.call(service))
          expect(Either.isLeft(result) ? result.left._tag : "ok").toBe(testCase.outcome)
          if (Either.isLeft(result)) testCase.check?.(result.left)

          const requests = yield* server.requests
          expect(requests).toHaveLength(testCase.requests)
          expect(requests[0]?.fault).toEqual(testCase.fault)
          expect(yield* server.pendingFaults).toBe(0)
          if (testCase.created !== undefined) {
            expect(yield* server.store.started).toHaveLength(testCase.created)
          }

          // the fault is spent: the same call now succeeds, and the server injects nothing more
          yield* server.clearRequests
          yield* testCase.call(service)
          const after = yield* server.requests
          expect(after.length).toBeGreaterThanOrEqual(1)
          expect(after.every((r) => r.fault === undefined)).toBe(true)
        }).pipe(Effect.provide(serverAndClient(transport, undefined, {
          retry: oneRetry,
          timeout: testCase.timeout ?? timeout
        }))))
    }
  })
}
