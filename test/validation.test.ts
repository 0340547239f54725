import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ConversationServiceShape, GetConversationsOptions } from "../src/ConversationService.js"
import type { ConversationJoinRequest, ConversationStartRequest } from "../src/Models.js"
import { failureOf, fromJs, json, outcomeTag, respond, run } from "./support/scriptedClient.js"

type Call = (service: ConversationServiceShape) => Effect.Effect<unknown, { readonly _tag: string }>

/** Runs a call whose arguments are invalid: it must fail with InvalidInputError and send nothing. */
const refused = (call: Call, argument: string, label: unknown = argument) =>
  Effect.gen(function*() {
    const context = `${argument} = ${typeof label === "string" ? JSON.stringify(label) : String(label)}`
    const { exit, requests } = yield* run([], call, { otherwise: json(200, {}) })
    expect(requests, context).toHaveLength(0)
    const error = failureOf(exit)
    expect(error?._tag, context).toBe("InvalidInputError")
    expect(error, context).toMatchObject({ argument })
    expect(error instanceof Error ? error.message : "", context).toContain(argument)
  })

describe("conversationUuid", () => {
  const invalid: ReadonlyArray<readonly [string, string]> = [
    ["empty", ""],
    [".", "."],
    ["..", ".."],
    ["a lone high surrogate", "abc\uD800"],
    ["a lone low surrogate", "\uDC00abc"]
  ]
  const operations: ReadonlyArray<readonly [string, (service: ConversationServiceShape, uuid: string) => Effect.Effect<unknown, { readonly _tag: string }>]> = [
    ["getConversation", (service, uuid) => service.getConversation(uuid)],
    ["joinConversation", (service, uuid) => service.joinConversation(uuid)],
    ["leaveConversation", (service, uuid) => service.leaveConversation(uuid)]
  ]
  it.effect("empty, \".\", \"..\" and lone surrogates are refused by get, join and leave", () =>
    Effect.gen(function*() {
      for (const [, value] of invalid) {
        for (const [, call] of operations) {
          yield* refused((service) => call(service, value), "conversationUuid", value)
        }
      }
    }))

  it.effect("a non-string is refused (a plain JavaScript caller)", () =>
    Effect.gen(function*() {
      yield* refused((service) => service.getConversation(fromJs<string>("5")), "conversationUuid")
      yield* refused((service) => service.leaveConversation(fromJs<string>("null")), "conversationUuid")
      yield* refused((service) => service.joinConversation(fromJs<string>("{\"uuid\":\"c-1\"}")), "conversationUuid")
    }))

  it.effect("a/b, ... and a well-formed surrogate pair are not invalid: they are sent", () =>
    Effect.gen(function*() {
      for (const value of ["a/b", "...", "a.", "😀"]) {
        const { exit, requests } = yield* run([json(200, {})], (service) => service.getConversation(value))
        expect(outcomeTag(exit), value).toBe("Success")
        expect(requests, value).toHaveLength(1)
      }
    }))
})

describe("getConversations options", () => {
  const invalid: ReadonlyArray<readonly ["limit" | "offset", GetConversationsOptions]> = [
    ["limit", { limit: 0 }],
    ["limit", { limit: 201 }],
    ["limit", { limit: 1.5 }],
    ["limit", { limit: -1 }],
    ["limit", { limit: Number.NaN }],
    ["offset", { offset: -1 }],
    ["offset", { offset: 0.5 }],
    ["offset", { offset: Number.POSITIVE_INFINITY }]
  ]
  it.effect("limit 0, 201, 1.5, -1, NaN and offset -1, 0.5, Infinity are refused", () =>
    Effect.gen(function*() {
      for (const [argument, options] of invalid) {
        yield* refused((service) => service.getConversations(options), argument, options[argument])
      }
    }))

  it.effect("medium \"fax\" is refused (a plain JavaScript caller)", () =>
    refused((service) => service.getConversations({ medium: fromJs<"sms">("\"fax\"") }), "medium"))

  it.effect("a limit given as a string is refused (a plain JavaScript caller)", () =>
    refused((service) => service.getConversations(fromJs<GetConversationsOptions>("{\"limit\":\"10\"}")), "limit"))

  it.effect("options that are not an object are refused (a plain JavaScript caller)", () =>
    refused((service) => service.getConversations(fromJs<GetConversationsOptions>("\"all\"")), "options"))

  it.effect("an empty before, or one with a lone surrogate, is refused", () =>
    Effect.gen(function*() {
      yield* refused((service) => service.getConversations({ before: "" }), "before", "")
      yield* refused((service) => service.getConversations({ before: "2024\uD800" }), "before", "2024\\uD800")
    }))

  it.effect("limit 1 and 200 and offset 0 are valid and sent", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [json(200, {}), json(200, {})],
        (service) =>
          Effect.zipRight(
            service.getConversations({ limit: 1, offset: 0 }),
            service.getConversations({ limit: 200, medium: "websocket" })
          )
      )
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests.map((request) => request.query)).toEqual([
        [["_limit", "1"], ["_offset", "0"]],
        [["medium", "websocket"], ["_limit", "200"]]
      ])
    }))
})

describe("getConversation limit", () => {
  it.effect("limit 0, -3 and 2.5 are refused", () =>
    Effect.gen(function*() {
      for (const limit of [0, -3, 2.5]) {
        yield* refused((service) => service.getConversation("c-1", { limit }), "limit", limit)
      }
    }))

  it.effect("limit 1 and a large limit are sent", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [json(200, {}), json(200, {})],
        (service) =>
          Effect.zipRight(
            service.getConversation("c-1", { limit: 1 }),
            service.getConversation("c-1", { limit: 10_000 })
          )
      )
      expect(requests.map((request) => request.query)).toEqual([[["limit", "1"]], [["limit", "10000"]]])
    }))
})

describe("extension", () => {
  it.effect("\"\", a.b, ../x, toolongextension, \"p n g\", .png and png/ are refused", () =>
    Effect.gen(function*() {
      for (const extension of ["", "a.b", "../x", "toolongextension", "p n g", ".png", "png/"]) {
        yield* refused((service) => service.getConversationMultimediaUploadUrl(extension), "extension", extension)
      }
    }))

  it.effect("png, jpeg, mp4 and a 10-character extension are sent", () =>
    Effect.gen(function*() {
      const extensions = ["png", "JPEG", "mp4", "abcdefghij"]
      const { exit, requests } = yield* run(
        extensions.map(() => json(200, {})),
        (service) => Effect.forEach(extensions, (extension) => service.getConversationMultimediaUploadUrl(extension))
      )
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests.map((request) => request.path.split("/").at(-1))).toEqual(extensions)
    }))
})

describe("request bodies (plain JavaScript callers)", () => {
  const startBodies: ReadonlyArray<readonly [string, string]> = [
    ["null", "null"],
    ["an array", "[]"],
    ["a string", "\"start\""],
    ["a number", "42"],
    ["{ conversation_arn: 5 }", "{\"conversation_arn\":5}"],
    ["{ add_conversation_participant_arns: \"arn\" }", "{\"add_conversation_participant_arns\":\"arn\"}"]
  ]
  it.effect("startConversation with null, an array, a string, a number or wrong field types is refused", () =>
    Effect.gen(function*() {
      for (const [, body] of startBodies) {
        yield* refused((service) => service.startConversation(fromJs<ConversationStartRequest>(body)), "request", body)
      }
    }))

  it.effect("joinConversation with a string, an array, null or a wrong field type as request is refused", () =>
    Effect.gen(function*() {
      const joinBodies = ["\"en\"", "[]", "null", "{\"participant_language_iso_code\":1}"]
      for (const body of joinBodies) {
        yield* refused((service) => service.joinConversation("c-1", fromJs<ConversationJoinRequest>(body)), "request", body)
      }
    }))

  it.effect("a plain object literal is accepted by startConversation", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run(
        [json(200, {})],
        (service) => service.startConversation({ conversation_arn: "arn:1", resolve_only: true })
      )
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(1)
    }))

  it.effect("fields set to null read as absent and are not sent", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [respond(204)],
        (service) =>
          service.joinConversation("c-1", fromJs<ConversationJoinRequest>("{\"participant_language_iso_code\":null}"))
      )
      expect(requests[0]?.body).toBe("{}")
    }))

  const refusedBodies: ReadonlyArray<readonly [string, string]> = [
    [
      "{\"add_conversation_participant_arns\":\"arn:x\"}",
      "request.add_conversation_participant_arns: expected an array of strings, got \"arn:x\""
    ],
    [
      "{\"add_conversation_participant_arns\":[\"arn:a\",5]}",
      "request.add_conversation_participant_arns.1: expected a string, got 5"
    ],
    ["{\"resolve_only\":\"yes\"}", "request.resolve_only: expected a boolean, got \"yes\""]
  ]
  it.effect("a refused body is one line: the field's path and what was expected, not a Schema tree", () =>
    Effect.gen(function*() {
      for (const [body, reason] of refusedBodies) {
        const { exit, requests } = yield* run([], (service) =>
          service.startConversation(fromJs<ConversationStartRequest>(body)), { otherwise: json(200, {}) })
        expect(requests, body).toHaveLength(0)
        const error = failureOf(exit)
        expect(error, body).toMatchObject({ _tag: "InvalidInputError", argument: "request", reason })
        expect(error?.message, body).toBe(`startConversation: invalid request: ${reason}`)
        expect(error?.message, body).not.toContain("\n")
      }
    }))

  it.effect("joinConversation's refused body names its field the same way", () =>
    Effect.gen(function*() {
      const { exit } = yield* run([], (service) =>
        service.joinConversation("c-1", fromJs<ConversationJoinRequest>("{\"participant_language_iso_code\":1}")))
      expect(failureOf(exit)).toMatchObject({
        reason: "request.participant_language_iso_code: expected a string, got 1"
      })
    }))
})
