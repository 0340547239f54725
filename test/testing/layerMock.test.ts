import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Option, Stream, TestClock } from "effect"
import {
  type ConversationServiceShape,
  type ConversationStartRequest,
  ConversationService,
  Credentials
} from "../../src/index.js"
import {
  agentArn,
  defaultSeed,
  layerMock,
  MockConversationStore,
  seedConversations,
  seededUuid
} from "../../src/testing/index.js"
import { fromJs } from "./support.js"

const service = ConversationService
const store = MockConversationStore
const seededSms = "a3f2c8e1-5d4b-4c3a-9e2f-1b0a9c8d7e61"
const agent = agentArn("DEMO")

describe("layerMock: starting and fetching", () => {
  it.effect("a started conversation can be fetched, with participants, a notice and the TestClock's time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2025-06-01T12:00:00.000Z"))
      const conversations = yield* service
      const started = yield* conversations.startConversation({
        add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:customer-9"],
        conversation_webchat_queue_uuid: "queue-1"
      })
      const uuid = started.conversation?.conversation_uuid ?? ""
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/)
      expect(started.conversation?.conversation_arn).toBe(`arn:ultracart:conversation:DEMO:${uuid}`)
      expect(started.conversation?.start_dts).toBe("2025-06-01T12:00:00.000Z")
      expect(started.conversation?.medium).toBe("websocket")

      const fetched = (yield* conversations.getConversation(uuid)).conversation
      expect(fetched?.participants?.map((p) => p.conversation_participant_arn)).toEqual([
        "arn:ultracart:conversation-participant:DEMO:customer-9"
      ])
      expect(fetched?.messages?.map((m) => m.type)).toEqual(["notice"])
      expect(fetched?.message_count).toBe(1)

      const created = yield* (yield* store).started
      expect(created).toEqual([{
        conversation_uuid: uuid,
        request: {
          add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:customer-9"],
          conversation_webchat_queue_uuid: "queue-1"
        }
      }])
    }).pipe(Effect.provide(layerMock("empty"))))

  it.effect("starting with the arn of an existing conversation adds participants and creates nothing", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      const before = yield* (yield* store).size
      const resumed = yield* conversations.startConversation({
        conversation_arn: `arn:ultracart:conversation:DEMO:${seededSms}`,
        add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:supervisor"]
      })
      expect(resumed.conversation?.conversation_uuid).toBe(seededSms)
      expect(resumed.conversation?.participants?.map((p) => p.conversation_participant_arn)).toContain(
        "arn:ultracart:conversation-participant:DEMO:supervisor"
      )
      expect(yield* (yield* store).size).toBe(before)
    }).pipe(Effect.provide(layerMock())))

  it.effect("getConversation's limit keeps the most recent messages", () =>
    Effect.gen(function*() {
      const all = (yield* (yield* service).getConversation(seededSms)).conversation?.messages ?? []
      const last2 = (yield* (yield* service).getConversation(seededSms, { limit: 2 })).conversation?.messages ?? []
      expect(all).toHaveLength(5)
      expect(last2.map((m) => m.conversation_message_uuid)).toEqual(all.slice(-2).map((m) => m.conversation_message_uuid))
    }).pipe(Effect.provide(layerMock())))

  it.effect("an unknown uuid is NotFoundError carrying UltraCart's error body and header", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      const error = yield* Effect.flip(conversations.getConversation("no-such-conversation"))
      expect(error._tag).toBe("NotFoundError")
      if (error._tag !== "NotFoundError") return
      expect(error.status).toBe(404)
      expect(error.error?.object_id).toBe("no-such-conversation")
      expect(error.error?.error_code).toBe("404")
      expect(error.ucRestError).toContain("no-such-conversation")
      expect((yield* Effect.flip(conversations.joinConversation("no-such-conversation")))._tag).toBe("NotFoundError")
      expect((yield* Effect.flip(conversations.leaveConversation("no-such-conversation")))._tag).toBe("NotFoundError")
    }).pipe(Effect.provide(layerMock())))

  it.effect("a uuid with reserved characters reaches the right conversation", () =>
    Effect.gen(function*() {
      const odd = "weird/uuid %?#ü"
      yield* (yield* store).seed([{ conversation_uuid: odd, medium: "sms", start_dts: "2025-01-01T00:00:00.000Z" }])
      const fetched = yield* (yield* service).getConversation(odd)
      expect(fetched.conversation?.conversation_uuid).toBe(odd)
    }).pipe(Effect.provide(layerMock("empty"))))

  it.effect("agent authorization and upload URLs are plausible", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      const auth = (yield* conversations.getAgentWebsocketAuthorization()).agent_auth
      expect(auth?.jwt?.split(".")).toHaveLength(3)
      expect(auth?.websocket_url).toMatch(/^wss:\/\/.+\/conversation$/)
      expect(auth?.conversation_participant_arn).toBe(agent)
      expect(auth?.merchant_id).toBe("DEMO")
      expect(auth?.chat_user).toBe(true)
      const upload = (yield* conversations.getConversationMultimediaUploadUrl("jpeg")).conversation_multimedia_upload_url
      expect(upload?.key).toMatch(/\.jpeg$/)
      expect(upload?.url?.startsWith("https://")).toBe(true)
      expect(upload?.url).toContain(upload?.key ?? "missing")
      expect(upload?.url).toContain("X-Amz-Signature=")
    }).pipe(Effect.provide(layerMock())))
})

describe("layerMock: listing", () => {
  it.effect("lists newest first", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2025-06-01T12:00:00.000Z"))
      const conversations = yield* service
      const uuids: Array<string | undefined> = []
      for (let i = 0; i < 3; i++) {
        uuids.push((yield* conversations.startConversation({})).conversation?.conversation_uuid)
        yield* TestClock.adjust("1 minute")
      }
      const page = yield* conversations.getConversations()
      expect(page.conversations?.map((c) => c.conversation_uuid)).toEqual(uuids.reverse())
    }).pipe(Effect.provide(layerMock("empty"))))

  it.effect("the default seed lists newest first and summaries carry no messages", () =>
    Effect.gen(function*() {
      const page = yield* (yield* service).getConversations()
      expect(page.conversations?.map((c) => c.conversation_uuid)).toEqual(defaultSeed.map((c) => c.conversation_uuid))
      expect(page.conversations?.some((c) => "messages" in c)).toBe(false)
      expect(new Set(page.conversations?.map((c) => c.medium))).toEqual(new Set(["sms", "websocket"]))
    }).pipe(Effect.provide(layerMock())))

  it.effect("pages carry UltraCart's envelope and result_set", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      const first = yield* conversations.getConversations({ limit: 100 })
      expect(first.success).toBe(true)
      expect(first.metadata?.payload_name).toBe("conversations")
      expect(first.metadata?.result_set).toEqual({
        count: 100,
        offset: 0,
        limit: 100,
        more: true,
        next_offset: 100,
        total_records: 250
      })
      const last = yield* conversations.getConversations({ limit: 100, offset: 200 })
      expect(last.metadata?.result_set).toEqual({
        count: 50,
        offset: 200,
        limit: 100,
        more: false,
        next_offset: 250,
        total_records: 250
      })
      expect(last.conversations?.[0]?.conversation_uuid).toBe(seededUuid(200))
    }).pipe(Effect.provide(layerMock(seedConversations(250)))))

  it.effect("streamConversations over 250 conversations with pageSize 100 gives all 250 in order", () =>
    Effect.gen(function*() {
      const all = yield* Stream.runCollect((yield* service).streamConversations({ pageSize: 100 }))
      expect(Chunk.toReadonlyArray(all).map((c) => c.conversation_uuid)).toEqual(
        Array.from({ length: 250 }, (_, i) => seededUuid(i))
      )
    }).pipe(Effect.provide(layerMock(seedConversations(250)))))

  it.effect("the medium filter keeps only that medium, in order", () =>
    Effect.gen(function*() {
      const sms = yield* Stream.runCollect((yield* service).streamConversations({ medium: "sms", pageSize: 50 }))
      const uuids = Chunk.toReadonlyArray(sms).map((c) => c.conversation_uuid)
      expect(uuids).toEqual(Array.from({ length: 125 }, (_, i) => seededUuid(2 * i + 1)))
      expect(Chunk.toReadonlyArray(sms).every((c) => c.medium === "sms")).toBe(true)
    }).pipe(Effect.provide(layerMock(seedConversations(250)))))

  it.effect("before keeps conversations whose last activity is earlier", () =>
    Effect.gen(function*() {
      const generated = seedConversations(250)
      const cutoff = generated[9]?.last_message_dts ?? "missing"
      const page = yield* (yield* service).getConversations({ before: cutoff, limit: 5 })
      expect(page.metadata?.result_set?.total_records).toBe(240)
      expect(page.conversations?.map((c) => c.conversation_uuid)).toEqual([10, 11, 12, 13, 14].map(seededUuid))
    }).pipe(Effect.provide(layerMock(seedConversations(250)))))

  it.effect("a before that is not a timestamp is BadRequestError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip((yield* service).getConversations({ before: "yesterday" }))
      expect(error._tag).toBe("BadRequestError")
    }).pipe(Effect.provide(layerMock())))
})

describe("layerMock: joining and leaving", () => {
  const agentsOf = (uuid: string) =>
    Effect.gen(function*() {
      const conversation = Option.getOrUndefined(yield* (yield* store).find(uuid))
      return (conversation?.participants ?? []).filter((p) => p.conversation_participant_arn === agent)
    })
  const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"

  it.effect("joining twice leaves one participant", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      expect(yield* agentsOf(waiting)).toHaveLength(0)
      yield* conversations.joinConversation(waiting, { participant_language_iso_code: "es" })
      yield* conversations.joinConversation(waiting)
      const agents = yield* agentsOf(waiting)
      expect(agents).toHaveLength(1)
      expect(agents[0]?.status).toBe("joined")
      expect(agents[0]?.language_iso_code).toBe("es")
      yield* conversations.joinConversation(waiting, { participant_language_iso_code: "fr" })
      const again = yield* agentsOf(waiting)
      expect(again).toHaveLength(1)
      expect(again[0]?.language_iso_code).toBe("fr")
    }).pipe(Effect.provide(layerMock())))

  it.effect("leaving marks the agent left, and joining again brings them back", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2025-06-01T12:00:00.000Z"))
      const conversations = yield* service
      yield* conversations.joinConversation(waiting)
      yield* TestClock.adjust("5 minutes")
      yield* conversations.leaveConversation(waiting)
      const left = yield* agentsOf(waiting)
      expect(left).toHaveLength(1)
      expect(left[0]?.status).toBe("left")
      expect(left[0]?.left_dts).toBe("2025-06-01T12:05:00.000Z")
      yield* conversations.joinConversation(waiting)
      const back = yield* agentsOf(waiting)
      expect(back).toHaveLength(1)
      expect(back[0]?.status).toBe("joined")
      expect(back[0]?.left_dts).toBeUndefined()
    }).pipe(Effect.provide(layerMock())))

  it.effect("join and leave also succeed when the server answers 200 with a body", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      yield* conversations.joinConversation(waiting)
      expect((yield* agentsOf(waiting))[0]?.status).toBe("joined")
      yield* conversations.leaveConversation(waiting)
      expect((yield* agentsOf(waiting))[0]?.status).toBe("left")
    }).pipe(Effect.provide(layerMock("default", { joinLeaveStatus: 200 }))))
})

/** The live layer over a client that fails the test if anything is sent. */
const liveRefusingToSend = ConversationService.layer({ credentials: Credentials.simpleKey("live") }).pipe(
  Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.dieMessage("a request was sent"))))
)

const invalidCalls: ReadonlyArray<readonly [string, (s: ConversationServiceShape) => Effect.Effect<unknown, { readonly _tag: string }>]> = [
  ["an empty uuid", (s) => s.getConversation("")],
  ["a uuid of ..", (s) => s.leaveConversation("..")],
  ["a conversation limit of 0", (s) => s.getConversation("c-1", { limit: 0 })],
  ["a list limit of 201", (s) => s.getConversations({ limit: 201 })],
  ["a negative offset", (s) => s.getConversations({ offset: -1 })],
  ["an extension with a dot", (s) => s.getConversationMultimediaUploadUrl("p.ng")],
  ["a medium of fax", (s) => s.getConversations({ medium: fromJs<"sms">("\"fax\"") })],
  ["a start request of null", (s) => s.startConversation(fromJs<ConversationStartRequest>("null"))],
  ["a start request with a wrong field", (s) =>
    s.startConversation(fromJs<ConversationStartRequest>("{\"add_conversation_participant_arns\":[1]}"))],
  ["a pageSize of 0", (s) => Stream.runDrain(s.streamConversations({ pageSize: 0 }))]
]

describe("layerMock: validation is the live layer's", () => {
  for (const [name, call] of invalidCalls) {
    it.effect(`${name} is the same InvalidInputError as the live layer's`, () =>
      Effect.gen(function*() {
        const mocked = yield* Effect.either(Effect.flatMap(service, call).pipe(Effect.provide(layerMock())))
        const live = yield* Effect.either(Effect.flatMap(service, call).pipe(Effect.provide(liveRefusingToSend)))
        expect(Either.isLeft(mocked) && mocked.left._tag).toBe("InvalidInputError")
        expect(mocked).toEqual(live)
      }))
  }
})

describe("layerMock: isolation and store access", () => {
  it.effect("separate layerMock instances do not share state", () =>
    Effect.gen(function*() {
      const startOne = Effect.flatMap(service, (s) => s.startConversation({}))
      const countIn = Effect.flatMap(store, (s) => s.size)
      const first = yield* Effect.zipRight(startOne, countIn).pipe(Effect.provide(layerMock("empty")))
      const second = yield* countIn.pipe(Effect.provide(layerMock("empty")))
      expect(first).toBe(1)
      expect(second).toBe(0)
    }))

  it.effect("seed, reset and clear shape what the service sees", () =>
    Effect.gen(function*() {
      const conversations = yield* service
      const mock = yield* store
      expect(yield* mock.size).toBe(defaultSeed.length)
      yield* mock.seed(seedConversations(3))
      yield* conversations.startConversation({})
      expect((yield* conversations.getConversations()).metadata?.result_set?.total_records).toBe(defaultSeed.length + 4)
      yield* mock.reset
      expect(yield* mock.size).toBe(defaultSeed.length)
      expect(yield* mock.started).toEqual([])
      yield* mock.clear
      expect((yield* conversations.getConversations()).conversations).toEqual([])
    }).pipe(Effect.provide(layerMock())))

  it.effect("an empty seed starts with nothing", () =>
    Effect.gen(function*() {
      expect((yield* (yield* service).getConversations()).conversations).toEqual([])
    }).pipe(Effect.provide(layerMock("empty"))))
})
