import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { inspect } from "node:util"
import type { ConversationServiceShape } from "../src/ConversationService.js"
import type { ConversationError } from "../src/Errors.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { makeMemoryTracer, type RecordedSpan } from "./support/observe.js"
import { json, outcomeTag, respond, run, type Step, ucError } from "./support/scriptedClient.js"

interface TracedCase {
  readonly method: keyof ConversationServiceShape
  readonly call: (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>
  readonly answer: Step
  readonly httpMethod: string
  readonly template: string
}

const uuid = "conv-4242"

const cases: ReadonlyArray<TracedCase> = [
  {
    method: "getAgentWebsocketAuthorization",
    call: (service) => service.getAgentWebsocketAuthorization(),
    answer: json(200, {}),
    httpMethod: "PUT",
    template: "/conversation/agent/auth"
  },
  {
    method: "getConversation",
    call: (service) => service.getConversation(uuid, { limit: 3 }),
    answer: json(200, {}),
    httpMethod: "GET",
    template: "/conversation/conversations/{conversation_uuid}"
  },
  {
    method: "getConversationMultimediaUploadUrl",
    call: (service) => service.getConversationMultimediaUploadUrl("webm"),
    answer: json(200, {}),
    httpMethod: "GET",
    template: "/conversation/upload_url/{extension}"
  },
  {
    method: "getConversations",
    call: (service) => service.getConversations({ limit: 7 }),
    answer: json(200, {}),
    httpMethod: "GET",
    template: "/conversation/conversations"
  },
  {
    method: "joinConversation",
    call: (service) => service.joinConversation(uuid),
    answer: respond(204),
    httpMethod: "PUT",
    template: "/conversation/conversations/{conversation_uuid}/join"
  },
  {
    method: "leaveConversation",
    call: (service) => service.leaveConversation(uuid),
    answer: respond(204),
    httpMethod: "DELETE",
    template: "/conversation/conversations/{conversation_uuid}/leave"
  },
  {
    method: "startConversation",
    call: (service) => service.startConversation({ conversation_arn: "arn" }),
    answer: json(200, {}),
    httpMethod: "PUT",
    template: "/conversation/conversations"
  }
]

const traced = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const memory = makeMemoryTracer()
    const result = yield* Effect.withTracer(effect, memory.tracer)
    return { result, spans: memory.spans }
  })

const named = (spans: ReadonlyArray<RecordedSpan>, name: string) => spans.filter((span) => span.name === name)

describe("each operation runs in its own span", () => {
  for (const traceCase of cases) {
    it.effect(`ConversationService.${traceCase.method}: method and path template, not the filled path`, () =>
      Effect.gen(function*() {
        const { result, spans } = yield* traced(run([traceCase.answer], traceCase.call))
        expect(outcomeTag(result.exit)).toBe("Success")
        const [span, ...others] = named(spans, `ConversationService.${traceCase.method}`)
        expect(others).toHaveLength(0)
        if (span === undefined) throw new Error(`no span ConversationService.${traceCase.method}`)
        expect(span.attributes.get("http.request.method")).toBe(traceCase.httpMethod)
        expect(span.attributes.get("url.template")).toBe(traceCase.template)
        expect(span.status._tag).toBe("Ended")
        // The filled path (and its uuid) is not an attribute of the operation's span.
        expect(inspect(Object.fromEntries(span.attributes))).not.toContain(uuid)
        // The platform's http.client span is its child.
        const http = spans.filter((candidate) => candidate.name === `http.client ${traceCase.httpMethod}`)
        expect(http).toHaveLength(1)
        expect(http[0]?.parentSpanId).toBe(span.spanId)
        expect(http[0]?.kind).toBe("client")
      }))
  }
})

describe("spans around failures and retries", () => {
  it.effect("a retried call is one operation span with one http.client child per attempt", () =>
    Effect.gen(function*() {
      const { result, spans } = yield* traced(
        run([ucError(503), ucError(503), json(200, {})], (service) => service.getConversation(uuid), {
          advance: "1 minute"
        })
      )
      expect(outcomeTag(result.exit)).toBe("Success")
      const [operation] = named(spans, "ConversationService.getConversation")
      if (operation === undefined) throw new Error("no operation span")
      const attempts = named(spans, "http.client GET")
      expect(attempts).toHaveLength(3)
      expect(attempts.every((attempt) => attempt.parentSpanId === operation.spanId)).toBe(true)
      expect(attempts.map((attempt) => attempt.attributes.get("http.response.status_code"))).toEqual([503, 503, 200])
    }))

  it.effect("a failed call ends its span with the tagged error", () =>
    Effect.gen(function*() {
      const { spans } = yield* traced(
        run([ucError(404)], (service) => service.leaveConversation(uuid), { client: { retry: RetryPolicy.none } })
      )
      const [operation] = named(spans, "ConversationService.leaveConversation")
      if (operation?.status._tag !== "Ended") throw new Error("the span did not end")
      expect(operation.status.exit._tag).toBe("Failure")
      expect(operation.exitText).toContain("NotFoundError")
    }))

  it.effect("invalid input still gets its operation span, but no http.client span", () =>
    Effect.gen(function*() {
      const { result, spans } = yield* traced(run([], (service) => service.getConversation("")))
      expect(outcomeTag(result.exit)).toBe("InvalidInputError")
      expect(named(spans, "ConversationService.getConversation")).toHaveLength(1)
      expect(spans.filter((span) => span.name.startsWith("http.client"))).toHaveLength(0)
    }))

  it.effect("each page of streamConversations is a getConversations span", () =>
    Effect.gen(function*() {
      const { spans } = yield* traced(
        run(
          [
            json(200, { conversations: [{ conversation_uuid: "a" }], metadata: { result_set: { more: true, next_offset: 1 } } }),
            json(200, { conversations: [{ conversation_uuid: "b" }], metadata: { result_set: { more: false } } })
          ],
          (service) => Stream.runDrain(service.streamConversations({ pageSize: 1 }))
        )
      )
      const pages = named(spans, "ConversationService.getConversations")
      expect(pages).toHaveLength(2)
      expect(pages.every((page) => page.attributes.get("url.template") === "/conversation/conversations")).toBe(true)
    }))
})
