/**
 * Testing your own code with `layerMock`: a small application service, `AgentInbox`, built on
 * `ConversationService`, tested against the in-memory UltraCart. `MockConversationStore` seeds the
 * conversations a test needs and shows what the service did to them. No server, no socket, no network.
 *
 * Run: npx vitest run examples/testing-with-layer-mock.test.ts
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Option, Stream } from "effect"
import { type ConversationError, ConversationService, type ConversationSummary } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { defaultSeed, layerMock, MockConversationStore, seedConversations } from "../src/testing/index.js" // in your code: "effect-ultracart-conversation/testing"

/** The application's service: the agent's inbox of conversations waiting for an answer. */
class AgentInbox extends Context.Tag("my-app/AgentInbox")<
  AgentInbox,
  {
    /** Open conversations with unread messages, the one waiting longest first. */
    readonly unread: Effect.Effect<ReadonlyArray<ConversationSummary>, ConversationError>
    /** Joins the conversation waiting longest and returns its uuid; `None` when nothing waits. */
    readonly answerNext: Effect.Effect<Option.Option<string>, ConversationError>
  }
>() {
  /** Built on whatever `ConversationService` is provided: live in production, `layerMock` in tests. */
  static readonly layer = Layer.effect(
    AgentInbox,
    Effect.gen(function*() {
      const conversations = yield* ConversationService
      // listed newest first, so reversed: the longest wait first
      const unread = conversations.streamConversations({ pageSize: 100 }).pipe(
        Stream.filter((c) => c.closed !== true && c.unread_messages === true),
        Stream.runCollect,
        Effect.map((chunk): ReadonlyArray<ConversationSummary> => Chunk.toReadonlyArray(Chunk.reverse(chunk)))
      )
      const answerNext = Effect.flatMap(unread, (waiting) => {
        const next = waiting[0]?.conversation_uuid
        return next === undefined
          ? Effect.succeedNone
          : Effect.as(conversations.joinConversation(next), Option.some(next))
      })
      return AgentInbox.of({ unread, answerNext })
    })
  )
}

/** `AgentInbox` over an in-memory UltraCart; the store stays reachable for seeding and inspection. */
const testLayer = (seed?: "default" | "empty") => AgentInbox.layer.pipe(Layer.provideMerge(layerMock(seed)))

const waitingWebchat = defaultSeed[0]?.conversation_uuid
const virtualAgentChat = defaultSeed[2]?.conversation_uuid

describe("AgentInbox, tested with layerMock", () => {
  it.effect("lists the open conversations with unread messages, the longest waiting first", () =>
    Effect.gen(function*() {
      const inbox = yield* AgentInbox
      const unread = yield* inbox.unread
      expect(unread.map((c) => c.conversation_uuid)).toEqual([virtualAgentChat, waitingWebchat])
    }).pipe(Effect.provide(testLayer())))

  it.effect("answering the next conversation joins the agent to it and to no other", () =>
    Effect.gen(function*() {
      const inbox = yield* AgentInbox
      const store = yield* MockConversationStore
      const answered = yield* inbox.answerNext
      expect(answered).toEqual(Option.some(virtualAgentChat))

      const joined = (yield* store.snapshot).filter((c) =>
        (c.participants ?? []).some((p) => p.conversation_participant_arn === store.agent.arn && p.status === "joined")
      )
      // the agent was already in the SMS conversation of the seed; now also in the one it answered
      expect(joined.map((c) => c.conversation_uuid)).toContain(virtualAgentChat)
      expect(joined.map((c) => c.conversation_uuid)).not.toContain(waitingWebchat)
    }).pipe(Effect.provide(testLayer())))

  it.effect("an empty inbox has nothing to answer and joins nothing", () =>
    Effect.gen(function*() {
      const inbox = yield* AgentInbox
      const store = yield* MockConversationStore
      expect(yield* inbox.answerNext).toEqual(Option.none())
      expect(yield* store.size).toBe(0)
    }).pipe(Effect.provide(testLayer("empty"))))

  it.effect("sees exactly the conversations a test seeds", () =>
    Effect.gen(function*() {
      const store = yield* MockConversationStore
      yield* store.seed([
        { conversation_uuid: "open-unread", medium: "sms", start_dts: "2025-05-01T10:00:00Z", unread_messages: true },
        { conversation_uuid: "open-read", medium: "sms", start_dts: "2025-05-01T11:00:00Z", unread_messages: false },
        { conversation_uuid: "closed-unread", medium: "websocket", start_dts: "2025-05-01T12:00:00Z", unread_messages: true, closed: true }
      ])
      const inbox = yield* AgentInbox
      expect((yield* inbox.unread).map((c) => c.conversation_uuid)).toEqual(["open-unread"])
    }).pipe(Effect.provide(testLayer("empty"))))

  it.effect("finds unread conversations on every page of a large inbox", () =>
    Effect.gen(function*() {
      const store = yield* MockConversationStore
      // 250 conversations (three pages of 100), one in fifty unread
      yield* store.seed(seedConversations(250).map((c, i) => ({ ...c, unread_messages: i % 50 === 0 })))
      const inbox = yield* AgentInbox
      const unread = yield* inbox.unread
      expect(unread).toHaveLength(5)
      // the oldest (index 200) waits longest
      expect(unread[0]?.conversation_uuid).toBe(seedConversations(250)[200]?.conversation_uuid)
    }).pipe(Effect.provide(testLayer("empty"))))
})
