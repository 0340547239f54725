import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import type { ConversationError } from "../src/Errors.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { brokenBody, failureOf, json, outcomeTag, respond, run, type Step, ucError } from "./support/scriptedClient.js"

const once = { client: { retry: RetryPolicy.none } }

const getConversation = (script: ReadonlyArray<Step>) =>
  run(script, (service) => service.getConversation("c-1"), once)

const failure = (error: ConversationError | undefined): ConversationError => {
  if (error === undefined) throw new Error("the call did not fail")
  return error
}

describe("each status becomes its tagged error", () => {
  const statuses: ReadonlyArray<readonly [number, ConversationError["_tag"]]> = [
    [400, "BadRequestError"],
    [401, "UnauthorizedError"],
    [403, "ForbiddenError"],
    [404, "NotFoundError"],
    [410, "ApplicationDisabledError"],
    [429, "RateLimitError"],
    [500, "ServerError"],
    [501, "ServerError"],
    [502, "ServerError"],
    [503, "ServerError"],
    [504, "ServerError"],
    [418, "UnexpectedStatusError"],
    [409, "UnexpectedStatusError"],
    [302, "UnexpectedStatusError"],
    [304, "UnexpectedStatusError"]
  ]
  it.effect("400, 401, 403, 404, 410, 429, 5xx, 418, 409, 302, 304: tag, status, ErrorResponse fields, UC-REST-ERROR", () =>
    Effect.gen(function*() {
      for (const [status, tag] of statuses) {
        const context = `status ${status}`
        const detail = {
          developer_message: `dev ${status}`,
          user_message: `user ${status}`,
          error_code: String(status),
          more_info: "https://www.ultracart.com/api/",
          object_id: "obj-1"
        }
        // 304 must not carry a body; it still reports its header.
        const answer = status === 304
          ? respond(304, "", { "uc-rest-error": "uc-rest-error 304" })
          : ucError(status, detail)
        const { exit, requests } = yield* getConversation([answer])
        expect(requests, context).toHaveLength(1)
        const error = failure(failureOf(exit))
        expect(error._tag, context).toBe(tag)
        if (!("status" in error) || !("ucRestError" in error)) throw new Error(`${error._tag} is not a response error`)
        expect(error.status, context).toBe(status)
        expect(error.ucRestError, context).toBe(`uc-rest-error ${status}`)
        expect(error.operation, context).toBe("getConversation")
        expect(error.method, context).toBe("GET")
        expect(error.path, context).toBe("/conversation/conversations/{conversation_uuid}")
        if (status === 304) {
          expect(error.error, context).toBeUndefined()
        } else {
          expect(error.error, context).toEqual(detail)
          expect(error.message, context).toContain(`dev ${status}`)
        }
        expect(error.message, context).toContain(String(status))
      }
    }))
})

describe("error bodies UltraCart did not shape", () => {
  it.effect("an error body that is not JSON still gives the status error, with the header", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([
        respond(502, "<html><body>Bad Gateway</body></html>", { "content-type": "text/html", "uc-rest-error": "gateway" })
      ])
      const error = failure(failureOf(exit))
      expect(error._tag).toBe("ServerError")
      if (error._tag !== "ServerError") return
      expect(error.status).toBe(502)
      expect(error.error).toBeUndefined()
      expect(error.ucRestError).toBe("gateway")
      expect(error.message).toContain("gateway")
    }))

  it.effect("an empty error body without a header still gives the status error", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([respond(401)])
      const error = failure(failureOf(exit))
      expect(error._tag).toBe("UnauthorizedError")
      if (error._tag !== "UnauthorizedError") return
      expect(error.error).toBeUndefined()
      expect(error.ucRestError).toBeUndefined()
      expect(error.message).toContain("401")
    }))

  it.effect("a JSON error body of the wrong shape still gives the status error", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([json(400, { error: "just a string" })])
      const error = failure(failureOf(exit))
      expect(error._tag).toBe("BadRequestError")
      if (error._tag !== "BadRequestError") return
      expect(error.error).toBeUndefined()
    }))

  it.effect("the observed UltraCart 400 body (no success field) gives its messages", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([
        json(400, { error: { developer_message: "Invalid JSON", user_message: "Please try again" }, metadata: {} })
      ])
      const error = failure(failureOf(exit))
      if (error._tag !== "BadRequestError") throw new Error(`unexpected ${error._tag}`)
      expect(error.error).toEqual({ developer_message: "Invalid JSON", user_message: "Please try again" })
    }))

  it.effect("a 429 keeps the Retry-After it was given", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([ucError(429, undefined, { "retry-after": "120" })])
      const error = failure(failureOf(exit))
      if (error._tag !== "RateLimitError") throw new Error(`unexpected ${error._tag}`)
      expect(error.retryAfter).toEqual(Duration.seconds(120))
    }))

  it.effect("a 429 with an unreadable Retry-After has none", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([ucError(429, undefined, { "retry-after": "soon" })])
      const error = failure(failureOf(exit))
      if (error._tag !== "RateLimitError") throw new Error(`unexpected ${error._tag}`)
      expect(error.retryAfter).toBeUndefined()
    }))
})

describe("a 2xx body that cannot be decoded is a DecodeError", () => {
  const bodies: ReadonlyArray<readonly [string, Step]> = [
    ["a body that is not JSON", respond(200, "<html>maintenance</html>", { "content-type": "text/html" })],
    ["truncated JSON", respond(200, "{\"conversation\": {\"conversation_uuid\": ")],
    ["JSON of the wrong shape", json(200, { conversation: { message_count: "many" } })],
    ["a JSON array", json(200, [1, 2])],
    ["JSON null", respond(200, "null")],
    ["an empty 200", respond(200)],
    ["a 204 for an operation that returns JSON", respond(204)]
  ]
  it.effect("not JSON, truncated JSON, the wrong shape, an array, null, an empty 200, a 204: DecodeError, not retried", () =>
    Effect.gen(function*() {
      for (const [name, answer] of bodies) {
        // The default retry policy is in force: a decode failure is not retried.
        const { exit, requests } = yield* run([answer], (service) => service.getConversation("c-1"))
        expect(requests, name).toHaveLength(1)
        const error = failure(failureOf(exit))
        if (error._tag !== "DecodeError") throw new Error(`${name}: unexpected ${error._tag}`)
        expect(error.operation, name).toBe("getConversation")
        expect(error.path, name).toBe("/conversation/conversations/{conversation_uuid}")
        expect(error.description.length, name).toBeGreaterThan(0)
        expect(error.message, name).toContain("could not be decoded")
      }
    }))

  it.effect("a body that breaks while it is read is a TransportError, not a DecodeError", () =>
    Effect.gen(function*() {
      const { exit } = yield* getConversation([brokenBody(200)])
      const error = failure(failureOf(exit))
      if (error._tag !== "TransportError") throw new Error(`unexpected ${error._tag}`)
      expect(error.reason).toBe("ResponseFailed")
    }))

  it.effect("each JSON operation decodes through its own schema", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(
        [json(200, { conversations: "none" })],
        (service) => service.getConversations(),
        once
      )
      expect(outcomeTag(exit)).toBe("DecodeError")
      const start = yield* run([json(200, { conversation: [] })], (service) => service.startConversation({}), once)
      expect(outcomeTag(start.exit)).toBe("DecodeError")
      const auth = yield* run(
        [json(200, { agent_auth: { group_ids: ["x"] } })],
        (service) => service.getAgentWebsocketAuthorization(),
        once
      )
      expect(outcomeTag(auth.exit)).toBe("DecodeError")
      const upload = yield* run(
        [json(200, { conversation_multimedia_upload_url: { url: 7 } })],
        (service) => service.getConversationMultimediaUploadUrl("png"),
        once
      )
      expect(outcomeTag(upload.exit)).toBe("DecodeError")
    }))
})
