import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ConversationServiceShape } from "../src/ConversationService.js"
import type { ConversationError } from "../src/Errors.js"
import * as Credentials from "../src/Credentials.js"
import {
  json,
  type RecordedRequest,
  respond,
  run,
  type Step,
  outcomeTag,
  successOf,
  wireHeaders
} from "./support/scriptedClient.js"

const base = "https://secure.ultracart.com/rest/v2"

interface WireCase {
  readonly name: string
  readonly call: (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>
  readonly answer: Step
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly body?: unknown
}

const startRequest = {
  add_conversation_participant_arns: ["arn:participant:1"],
  conversation_webchat_queue_uuid: "queue-1",
  resolve_only: false
}

const cases: ReadonlyArray<WireCase> = [
  {
    name: "getAgentWebsocketAuthorization",
    call: (service) => service.getAgentWebsocketAuthorization(),
    answer: json(200, { agent_auth: { jwt: "jwt-1" }, success: true }),
    method: "PUT",
    path: "/rest/v2/conversation/agent/auth",
    query: []
  },
  {
    name: "getConversation",
    call: (service) => service.getConversation("c-1", { limit: 25 }),
    answer: json(200, { conversation: { conversation_uuid: "c-1" }, success: true }),
    method: "GET",
    path: "/rest/v2/conversation/conversations/c-1",
    query: [["limit", "25"]]
  },
  {
    name: "getConversationMultimediaUploadUrl",
    call: (service) => service.getConversationMultimediaUploadUrl("png"),
    answer: json(200, { conversation_multimedia_upload_url: { key: "k", url: "https://s3/x" } }),
    method: "GET",
    path: "/rest/v2/conversation/upload_url/png",
    query: []
  },
  {
    name: "getConversations",
    call: (service) =>
      service.getConversations({ limit: 50, offset: 100, medium: "sms", before: "2024-05-01T00:00:00+00:00" }),
    answer: json(200, { conversations: [], success: true }),
    method: "GET",
    path: "/rest/v2/conversation/conversations",
    query: [["medium", "sms"], ["before", "2024-05-01T00:00:00+00:00"], ["_limit", "50"], ["_offset", "100"]]
  },
  {
    name: "joinConversation without a request",
    call: (service) => service.joinConversation("c-1"),
    answer: respond(204),
    method: "PUT",
    path: "/rest/v2/conversation/conversations/c-1/join",
    query: []
  },
  {
    name: "joinConversation with a request",
    call: (service) => service.joinConversation("c-1", { participant_language_iso_code: "de" }),
    answer: respond(204),
    method: "PUT",
    path: "/rest/v2/conversation/conversations/c-1/join",
    query: [],
    body: { participant_language_iso_code: "de" }
  },
  {
    name: "leaveConversation",
    call: (service) => service.leaveConversation("c-1"),
    answer: respond(204),
    method: "DELETE",
    path: "/rest/v2/conversation/conversations/c-1/leave",
    query: []
  },
  {
    name: "startConversation",
    call: (service) => service.startConversation(startRequest),
    answer: json(200, { conversation: { conversation_uuid: "c-9" } }),
    method: "PUT",
    path: "/rest/v2/conversation/conversations",
    query: [],
    body: startRequest
  }
]

const credentialKinds = [
  {
    kind: "simple key",
    credentials: Credentials.simpleKey("wire-key-1"),
    auth: { "x-ultracart-simple-key": "wire-key-1" }
  },
  {
    kind: "bearer token",
    credentials: Credentials.bearer("wire-token-1"),
    auth: { authorization: "Bearer wire-token-1" }
  }
] as const

const only = (requests: ReadonlyArray<RecordedRequest>): RecordedRequest => {
  expect(requests).toHaveLength(1)
  const [request] = requests
  if (request === undefined) throw new Error("no request recorded")
  return request
}

describe("the wire request of each operation, with either credential", () => {
  for (const wire of cases) {
    it.effect(wire.name, () =>
      Effect.gen(function*() {
        for (const { auth, credentials, kind } of credentialKinds) {
          const { exit, requests } = yield* run([wire.answer], wire.call, { client: { credentials } })
          expect(outcomeTag(exit), kind).toBe("Success")
          const request = only(requests)
          expect(request.method, kind).toBe(wire.method)
          expect(request.url.startsWith(`${base}/`), kind).toBe(true)
          expect(request.path, kind).toBe(wire.path)
          expect(request.query, kind).toEqual(wire.query)
          const expectedHeaders: Record<string, string> = {
            accept: "application/json",
            "x-ultracart-api-version": "2017-03-01",
            ...auth
          }
          if (wire.body === undefined) {
            expect(request.body, kind).toBeUndefined()
          } else {
            const text = request.body ?? ""
            expect(JSON.parse(text), kind).toEqual(wire.body)
            expectedHeaders["content-type"] = "application/json"
            expectedHeaders["content-length"] = String(new TextEncoder().encode(text).length)
          }
          expect(wireHeaders(request), kind).toEqual(expectedHeaders)
        }
      }))
  }
})

describe("query parameters", () => {
  it.effect("getConversations without options sends no query at all", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([json(200, {})], (service) => service.getConversations())
      expect(only(requests).query).toEqual([])
      expect(only(requests).url).toBe(`${base}/conversation/conversations`)
    }))

  it.effect("getConversations sends only the parameters that were given", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [json(200, {})],
        (service) => service.getConversations({ offset: 0, limit: undefined, before: undefined })
      )
      expect(only(requests).query).toEqual([["_offset", "0"]])
    }))

  it.effect("getConversation without a limit sends no query", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([json(200, {})], (service) => service.getConversation("c-1", {}))
      expect(only(requests).url).toBe(`${base}/conversation/conversations/c-1`)
    }))

  it.effect("the before value is sent as given, percent-encoded in the query", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [json(200, {})],
        (service) => service.getConversations({ before: "2024-05-01T00:00:00+02:00" })
      )
      expect(only(requests).query).toEqual([["before", "2024-05-01T00:00:00+02:00"]])
      expect(only(requests).url).not.toContain("+02:00")
    }))
})

describe("path parameters are percent-encoded into exactly one segment", () => {
  it.effect("a/b, a b, ü, % and ?# each become one segment of getConversation", () =>
    Effect.gen(function*() {
      const values = [
        ["a/b", "a%2Fb"],
        ["a b", "a%20b"],
        ["ü", "%C3%BC"],
        ["%", "%25"],
        ["?#", "%3F%23"]
      ] as const
      for (const [value, encoded] of values) {
        const { requests } = yield* run([json(200, {})], (service) => service.getConversation(value))
        const request = only(requests)
        expect(request.path, value).toBe(`/rest/v2/conversation/conversations/${encoded}`)
        expect(request.query, value).toEqual([])
        const segments = request.path.split("/")
        expect(segments, value).toHaveLength(6)
        expect(decodeURIComponent(segments[5] ?? ""), value).toBe(value)
      }
    }))

  it.effect("join and leave keep the segment and their suffix", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [respond(204), respond(204)],
        (service) => Effect.zipRight(service.joinConversation("a/b?#"), service.leaveConversation("a/b?#"))
      )
      expect(requests.map((request) => request.path)).toEqual([
        "/rest/v2/conversation/conversations/a%2Fb%3F%23/join",
        "/rest/v2/conversation/conversations/a%2Fb%3F%23/leave"
      ])
      expect(requests.map((request) => request.query)).toEqual([[], []])
    }))
})

describe("base URL", () => {
  it.effect("with or without a trailing slash, the path is joined with exactly one slash", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://127.0.0.1:9/rest/v2", "http://127.0.0.1:9/rest/v2/"]) {
        const { requests } = yield* run(
          [json(200, {})],
          (service) => service.getAgentWebsocketAuthorization(),
          { client: { baseUrl } }
        )
        expect(only(requests).url, baseUrl).toBe("http://127.0.0.1:9/rest/v2/conversation/agent/auth")
      }
    }))

  it.effect("a base URL with another path prefix keeps it", () =>
    Effect.gen(function*() {
      const { requests } = yield* run(
        [json(200, {})],
        (service) => service.getConversationMultimediaUploadUrl("jpeg"),
        { client: { baseUrl: "https://proxy.example.com/ultracart/rest/v2/" } }
      )
      expect(only(requests).url).toBe("https://proxy.example.com/ultracart/rest/v2/conversation/upload_url/jpeg")
    }))
})

describe("join and leave accept any 2xx", () => {
  it.effect("200 with a JSON body, 200 with text, 204 and 202 without a body", () =>
    Effect.gen(function*() {
      const answers: ReadonlyArray<readonly [string, Step]> = [
        ["200 with a JSON body", json(200, { success: true })],
        ["200 with a body that is not JSON", respond(200, "OK")],
        ["204 with no body", respond(204)],
        ["202 with no body", respond(202)]
      ]
      for (const [name, answer] of answers) {
        const joined = yield* run([answer], (service) => service.joinConversation("c-1"))
        expect(outcomeTag(joined.exit), `join: ${name}`).toBe("Success")
        expect(successOf(joined.exit), `join: ${name}`).toBeUndefined()
        expect(joined.requests, `join: ${name}`).toHaveLength(1)
        const left = yield* run([answer], (service) => service.leaveConversation("c-1"))
        expect(outcomeTag(left.exit), `leave: ${name}`).toBe("Success")
        expect(left.requests, `leave: ${name}`).toHaveLength(1)
      }
    }))
})

describe("request bodies", () => {
  it.effect("startConversation keeps a field this package does not know yet", () =>
    Effect.gen(function*() {
      const request = { conversation_arn: "arn:c:1", future_field: { nested: true } }
      const { requests } = yield* run(
        [json(200, { conversation: {} })],
        (service) => service.startConversation(request)
      )
      expect(JSON.parse(only(requests).body ?? "")).toEqual(request)
    }))

  it.effect("startConversation with an empty object sends {}", () =>
    Effect.gen(function*() {
      const { requests } = yield* run([json(200, {})], (service) => service.startConversation({}))
      expect(only(requests).body).toBe("{}")
      expect(only(requests).headers["content-type"]).toBe("application/json")
    }))

  it.effect("startConversation decodes its response", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(
        [json(200, { conversation: { conversation_uuid: "c-9", medium: "websocket" } })],
        (service) => service.startConversation({ conversation_webchat_queue_uuid: "q" })
      )
      expect(successOf(exit)).toEqual({ conversation: { conversation_uuid: "c-9", medium: "websocket" } })
    }))
})
