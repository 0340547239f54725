/**
 * Every operation over every transport against the embedded MockServer on a real socket: the decoded
 * answer, the store's state afterwards, and the wire request exactly as the server received it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type ConversationServiceShape, ConversationService, RetryPolicy } from "../../src/index.js"
import {
  agentArn,
  defaultSeed,
  MockServer,
  type MockServerShape,
  type RecordedRequest
} from "../../src/testing/index.js"
import { serverAndClient, transports } from "./transports.js"

const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"
const virtualAgentChat = defaultSeed[2]?.conversation_uuid ?? "missing"
const agent = agentArn("DEMO")

interface WireCase {
  readonly name: string
  /** Calls the operation and checks what it returned and what the store holds afterwards. */
  readonly run: (service: ConversationServiceShape, server: MockServerShape) => Effect.Effect<void, unknown>
  readonly operationId: RecordedRequest["operationId"]
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** The JSON body the server must have received; `undefined` for none. */
  readonly body?: unknown
}

const participantStatus = (server: MockServerShape, uuid: string) =>
  Effect.map(server.store.get(uuid), (conversation) =>
    conversation.participants?.find((p) => p.conversation_participant_arn === agent)?.status)

const cases: ReadonlyArray<WireCase> = [
  {
    name: "getAgentWebsocketAuthorization",
    run: (service) =>
      Effect.gen(function*() {
        const auth = yield* service.getAgentWebsocketAuthorization()
        expect(auth.agent_auth?.websocket_url).toMatch(/^wss:\/\//)
        expect(auth.agent_auth?.jwt?.split(".")).toHaveLength(3)
        expect(auth.agent_auth?.conversation_participant_arn).toBe(agent)
      }),
    operationId: "getAgentWebsocketAuthorization",
    method: "PUT",
    path: "/rest/v2/conversation/agent/auth",
    query: {}
  },
  {
    name: "getConversation with a message limit",
    run: (service) =>
      Effect.gen(function*() {
        const { conversation } = yield* service.getConversation(seededSms, { limit: 2 })
        expect(conversation?.conversation_uuid).toBe(seededSms)
        expect(conversation?.messages).toHaveLength(2)
      }),
    operationId: "getConversation",
    method: "GET",
    path: `/rest/v2/conversation/conversations/${seededSms}`,
    query: { limit: "2" }
  },
  {
    name: "getConversation of a uuid that needs percent-encoding",
    run: (service) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(service.getConversation("a b/c?d"))
        expect(error._tag).toBe("NotFoundError")
      }),
    operationId: "getConversation",
    method: "GET",
    path: "/rest/v2/conversation/conversations/a%20b%2Fc%3Fd",
    query: {}
  },
  {
    name: "getConversationMultimediaUploadUrl",
    run: (service) =>
      Effect.gen(function*() {
        const { conversation_multimedia_upload_url: upload } = yield* service.getConversationMultimediaUploadUrl("jpeg")
        expect(upload?.key).toMatch(/\.jpeg$/)
        expect(upload?.url).toMatch(/^https:\/\//)
      }),
    operationId: "getConversationMultimediaUploadUrl",
    method: "GET",
    path: "/rest/v2/conversation/upload_url/jpeg",
    query: {}
  },
  {
    name: "getConversations with every query parameter",
    run: (service) =>
      Effect.gen(function*() {
        const page = yield* service.getConversations({ limit: 1, offset: 1, medium: "websocket", before: "2025-03-15T00:00:00Z" })
        expect(page.conversations?.map((c) => c.conversation_uuid)).toEqual([defaultSeed[2]?.conversation_uuid])
        expect(page.metadata?.result_set).toMatchObject({ count: 1, offset: 1, limit: 1, more: true })
      }),
    operationId: "getConversations",
    method: "GET",
    path: "/rest/v2/conversation/conversations",
    query: { _limit: "1", _offset: "1", medium: "websocket", before: "2025-03-15T00:00:00Z" }
  },
  {
    name: "getConversations without options sends no query",
    run: (service) =>
      Effect.gen(function*() {
        const page = yield* service.getConversations()
        expect(page.conversations).toHaveLength(defaultSeed.length)
      }),
    operationId: "getConversations",
    method: "GET",
    path: "/rest/v2/conversation/conversations",
    query: {}
  },
  {
    name: "joinConversation without a request",
    run: (service, server) =>
      Effect.gen(function*() {
        yield* service.joinConversation(waiting)
        expect(yield* participantStatus(server, waiting)).toBe("joined")
      }),
    operationId: "joinConversation",
    method: "PUT",
    path: `/rest/v2/conversation/conversations/${waiting}/join`,
    query: {}
  },
  {
    name: "joinConversation with a request",
    run: (service, server) =>
      Effect.gen(function*() {
        yield* service.joinConversation(virtualAgentChat, { participant_language_iso_code: "fr" })
        const conversation = yield* server.store.get(virtualAgentChat)
        const me = conversation.participants?.find((p) => p.conversation_participant_arn === agent)
        expect(me?.language_iso_code).toBe("fr")
      }),
    operationId: "joinConversation",
    method: "PUT",
    path: `/rest/v2/conversation/conversations/${virtualAgentChat}/join`,
    query: {},
    body: { participant_language_iso_code: "fr" }
  },
  {
    name: "leaveConversation",
    run: (service, server) =>
      Effect.gen(function*() {
        expect(yield* participantStatus(server, seededSms)).toBe("joined")
        yield* service.leaveConversation(seededSms)
        expect(yield* participantStatus(server, seededSms)).toBe("left")
      }),
    operationId: "leaveConversation",
    method: "DELETE",
    path: `/rest/v2/conversation/conversations/${seededSms}/leave`,
    query: {}
  },
  {
    name: "startConversation",
    run: (service, server) =>
      Effect.gen(function*() {
        const { conversation } = yield* service.startConversation({
          add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:customer-x"],
          conversation_webchat_queue_uuid: "queue-1"
        })
        const started = yield* server.store.started
        expect(started.map((s) => s.conversation_uuid)).toEqual([conversation?.conversation_uuid])
        expect(yield* server.store.size).toBe(defaultSeed.length + 1)
      }),
    operationId: "startConversation",
    method: "PUT",
    path: "/rest/v2/conversation/conversations",
    query: {},
    body: {
      add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:customer-x"],
      conversation_webchat_queue_uuid: "queue-1"
    }
  }
]

for (const transport of transports) {
  describe.concurrent(`every operation over ${transport.name}`, () => {
    for (const testCase of cases) {
      it.scopedLive(`${testCase.name}: ${testCase.method} ${testCase.path}`, () =>
        Effect.gen(function*() {
          const service = yield* ConversationService
          const server = yield* MockServer
          yield* testCase.run(service, server)

          const requests = yield* server.requests
          expect(requests).toHaveLength(1)
          const [request] = requests
          expect(request?.operationId).toBe(testCase.operationId)
          expect(request?.method).toBe(testCase.method)
          expect(request?.path).toBe(testCase.path)
          expect(request?.query).toEqual(testCase.query)
          expect(request?.fault).toBeUndefined()

          const headers = request?.headers ?? {}
          expect(headers["x-ultracart-api-version"]).toBe("2017-03-01")
          expect(headers["accept"]).toBe("application/json")
          expect(headers["x-ultracart-simple-key"]).toBe("<redacted>")
          expect(headers["authorization"]).toBeUndefined()
          if (testCase.body === undefined) {
            expect(request?.body).toBe("")
            expect(headers["content-type"]).toBeUndefined()
          } else {
            expect(headers["content-type"]).toMatch(/^application\/json/)
            expect(JSON.parse(request?.body ?? "null")).toEqual(testCase.body)
          }
        }).pipe(Effect.provide(serverAndClient(transport, undefined, { retry: RetryPolicy.none }))))
    }

    it.scopedLive("a session of every operation in turn reaches the server in order", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        for (const testCase of cases) yield* testCase.run(service, server)
        expect((yield* server.requests).map((r) => r.operationId)).toEqual(cases.map((c) => c.operationId))
      }).pipe(Effect.provide(serverAndClient(transport, undefined, { retry: RetryPolicy.none }))))
  })
}
