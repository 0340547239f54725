import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Schema } from "effect"
import {
  ApplicationDisabledError,
  BadRequestError,
  type ConversationError,
  ConversationError as ConversationErrorSchema,
  conversationErrorTags,
  DecodeError,
  ForbiddenError,
  InvalidInputError,
  isConversationError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  TransportError,
  UnauthorizedError,
  UnexpectedStatusError
} from "../src/Errors.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { failureOf, respond, run, ucError } from "./support/scriptedClient.js"

const origin = { operation: "getConversation", method: "GET", path: "/conversation/conversations/{conversation_uuid}" }
const detail = {
  developer_message: "The conversation is closed",
  user_message: "Closed",
  error_code: "CONV_CLOSED",
  more_info: "https://www.ultracart.com/api/",
  object_id: "c-1"
}

/** One error of every kind, as the client builds them. */
const samples: ReadonlyArray<ConversationError> = [
  new InvalidInputError({ operation: "getConversations", argument: "limit", reason: "must be a whole number 1 to 200, got 0" }),
  new BadRequestError({ ...origin, status: 400, error: detail, ucRestError: "bad request input" }),
  new UnauthorizedError({ ...origin, status: 401, ucRestError: "invalid credentials supplied" }),
  new ForbiddenError({ ...origin, status: 403 }),
  new NotFoundError({ ...origin, status: 404, error: detail }),
  new ApplicationDisabledError({ ...origin, status: 410 }),
  new RateLimitError({ ...origin, status: 429, retryAfter: Duration.seconds(90) }),
  new ServerError({ ...origin, status: 503, ucRestError: "maintenance" }),
  new UnexpectedStatusError({ ...origin, status: 418 }),
  new TransportError({ ...origin, reason: "ConnectionRefused", description: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1" }),
  new TimeoutError({ ...origin, timeout: Duration.seconds(30) }),
  new DecodeError({ ...origin, status: 200, description: "Expected string, actual 5" })
]

describe("every error", () => {
  it("the samples cover every tag of ConversationError", () => {
    expect(samples.map((error) => error._tag).sort()).toEqual([...conversationErrorTags].sort())
  })

  it("each has its _tag and a readable message, not a field dump", () => {
    for (const error of samples) {
      const tag = error._tag
      expect(error, tag).toBeInstanceOf(Error)
      expect(isConversationError(error), tag).toBe(true)
      expect(error.message.length, tag).toBeGreaterThan(10)
      expect(error.message, tag).not.toMatch(/^\s*\{/)
      expect(error.message, tag).not.toContain("\"operation\"")
      expect(error.message, tag).not.toContain("_tag")
      expect(error.message, tag).toContain(error.operation)
      expect(String(error), tag).toContain(tag)
    }
  })

  it("response errors say the status, the method and the path template", () => {
    const error = new NotFoundError({ ...origin, status: 404, error: detail })
    expect(error.message).toContain("404")
    expect(error.message).toContain("GET /conversation/conversations/{conversation_uuid}")
    expect(error.message).toContain("The conversation is closed")
    expect(error.message).toContain("CONV_CLOSED")
  })

  it("a body with both messages and a code: the user message, the developer message and the code, in that order", () => {
    const error = new BadRequestError({ ...origin, status: 400, error: detail, ucRestError: "header text" })
    expect(error.message).toBe(
      "getConversation: UltraCart answered 400 to GET /conversation/conversations/{conversation_uuid}: " +
        "Closed (developer message: The conversation is closed) [error code CONV_CLOSED]"
    )
  })

  it("the user message is never dropped, whatever else the body holds", () => {
    for (const error of [
      { user_message: "Please sign in again", developer_message: "token expired", error_code: "AUTH" },
      { user_message: "Please sign in again", developer_message: "token expired" },
      { user_message: "Please sign in again" },
      { user_message: "Please sign in again", error_code: "AUTH" }
    ]) {
      const message = new UnauthorizedError({ ...origin, status: 401, error, ucRestError: "header text" }).message
      expect(message, JSON.stringify(error)).toContain("Please sign in again")
      if (error.developer_message !== undefined) expect(message).toContain(error.developer_message)
      if (error.error_code !== undefined) expect(message).toContain(error.error_code)
      expect(message, JSON.stringify(error)).not.toContain("header text")
    }
  })

  it("the developer message is shown once when it says what the user message says", () => {
    const message = new ForbiddenError({
      ...origin,
      status: 403,
      error: { user_message: "No access", developer_message: "No access" }
    }).message
    expect(message.match(/No access/g)).toHaveLength(1)
  })

  it("UltraCart's texts are kept on one line", () => {
    const message = new ServerError({ ...origin, status: 500, error: { user_message: "Try again\nlater", developer_message: "  " } }).message
    expect(message).toContain("Try again later")
    expect(message).not.toContain("\n")
  })

  it("without a developer message the user message, then UC-REST-ERROR, then a default is used", () => {
    expect(new BadRequestError({ ...origin, status: 400, error: { user_message: "Try again" } }).message).toContain(
      "Try again"
    )
    expect(new BadRequestError({ ...origin, status: 400, ucRestError: "header text" }).message).toContain("header text")
    expect(new ApplicationDisabledError({ ...origin, status: 410 }).message).toContain("disabled")
  })

  it("a RateLimitError says how long to wait; a TimeoutError says after how long it gave up", () => {
    expect(new RateLimitError({ ...origin, status: 429, retryAfter: Duration.seconds(90) }).message).toContain("1m 30s")
    expect(new TimeoutError({ ...origin, timeout: Duration.seconds(30) }).message).toContain("30s")
  })

  it("isConversationError refuses other values", () => {
    expect(isConversationError(new Error("x"))).toBe(false)
    expect(isConversationError({ _tag: "NotFoundError" })).toBe(false)
    expect(isConversationError(undefined)).toBe(false)
  })

  it("errors survive a JSON round trip through the ConversationError schema (Durations included)", () => {
    for (const error of samples) {
      const encoded = Schema.encodeSync(ConversationErrorSchema)(error)
      const back = Schema.decodeUnknownSync(ConversationErrorSchema)(JSON.parse(JSON.stringify(encoded)))
      expect(back._tag).toBe(error._tag)
      expect(back.message).toBe(error.message)
      expect(Schema.encodeSync(ConversationErrorSchema)(back)).toEqual(encoded)
    }
  })
})

describe("errors built from a response", () => {
  const once = { client: { retry: RetryPolicy.none } }

  it.effect("carry status, the ErrorResponse.error fields and ucRestError", () =>
    Effect.gen(function*() {
      const { exit } = yield* run([ucError(404, detail, { "uc-rest-error": "Conversation not found" })], (service) =>
        service.getConversation("c-1"), once)
      const error = failureOf(exit)
      if (error?._tag !== "NotFoundError") throw new Error(`expected NotFoundError, got ${String(error?._tag)}`)
      expect(error.status).toBe(404)
      expect(error.error).toEqual(detail)
      expect(error.ucRestError).toBe("Conversation not found")
      expect(error.operation).toBe("getConversation")
    }))

  it.effect("a 4xx whose body has both messages and a code shows all three; a 4xx without a body shows UC-REST-ERROR", () =>
    Effect.gen(function*() {
      const withBody = yield* run([ucError(404, detail, { "uc-rest-error": "Conversation not found" })], (service) =>
        service.getConversation("c-1"), once)
      const message = failureOf(withBody.exit)?.message ?? ""
      expect(message).toContain("Closed")
      expect(message).toContain("The conversation is closed")
      expect(message).toContain("CONV_CLOSED")
      const withoutBody = yield* run([respond(403, "", { "uc-rest-error": "Permission denied: conversation_read" })], (service) =>
        service.getConversation("c-1"), once)
      expect(failureOf(withoutBody.exit)?.message).toContain("Permission denied: conversation_read")
    }))

  it.effect("RateLimitError.retryAfter is a Duration (from seconds)", () =>
    Effect.gen(function*() {
      const { exit } = yield* run([ucError(429, undefined, { "retry-after": "120" })], (service) =>
        service.getConversations(), once)
      const error = failureOf(exit)
      if (error?._tag !== "RateLimitError") throw new Error(`expected RateLimitError, got ${String(error?._tag)}`)
      expect(Duration.isDuration(error.retryAfter)).toBe(true)
      expect(error.retryAfter).toEqual(Duration.seconds(120))
      expect(error.message).toContain("2m")
    }))

  it.effect("RateLimitError.retryAfter is a Duration (from an HTTP date)", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(
        [ucError(429, undefined, { "retry-after": new Date(90_000).toUTCString() })],
        (service) => service.leaveConversation("c-1"),
        once
      )
      const error = failureOf(exit)
      if (error?._tag !== "RateLimitError") throw new Error(`expected RateLimitError, got ${String(error?._tag)}`)
      expect(error.retryAfter).toEqual(Duration.seconds(90))
      expect(error.method).toBe("DELETE")
      expect(error.path).toBe("/conversation/conversations/{conversation_uuid}/leave")
    }))
})
