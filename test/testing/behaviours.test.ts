/**
 * What the mock does beyond the families: searches filter the store, settings read back what was
 * updated, mark-read and queue-status updates change later reads, messages since a point, seeding any
 * family from a test, and answers generated from the schema (deterministic).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ConversationService } from "../../src/index.js"
import { agentArn, defaultSeed, layerMock, MockConversationStore, seedIds } from "../../src/testing/index.js"

const smsConversation = defaultSeed[1]
const smsUuid = smsConversation?.conversation_uuid ?? "missing"

describe("searches filter the store", () => {
  it.effect("canned messages by short code (a prefix, any case), at most max_results", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const hi = yield* service.searchConversationCannedMessages({ short_code: "H" })
      expect(hi.conversation_canned_messages?.map((m) => m.short_code)).toEqual(["hi", "hours"])
      const one = yield* service.searchConversationCannedMessages({ short_code: "h", max_results: 1 })
      expect(one.conversation_canned_messages).toHaveLength(1)
      const inserted = yield* service.insertConversationCannedMessage({ short_code: "holiday", canned_message: "We're closed." })
      const again = yield* service.searchConversationCannedMessages({ short_code: "hol" })
      expect(again.conversation_canned_messages?.map((m) => m.conversation_canned_message_oid)).toEqual([
        inserted.conversation_canned_message?.conversation_canned_message_oid
      ])
    }).pipe(Effect.provide(layerMock())))

  it.effect("conversations by text, medium and phone number", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const byText = yield* service.getConversationsSearch({ text_search: "where is my order" })
      expect(byText.records?.map((r) => r.conversation_uuid)).toEqual([smsUuid])
      const sms = yield* service.getConversationsSearch({ medium_filter: "sms" })
      expect(sms.records?.every((r) => r.medium === "sms")).toBe(true)
      expect(sms.total).toBe(sms.records?.length)
      const byPhone = yield* service.getConversationsSearch({ sms_phone_number_filter: "+15555550123" })
      expect(byPhone.records?.map((r) => r.conversation_uuid)).toEqual([smsUuid])
    }).pipe(Effect.provide(layerMock())))

  it.effect("PBX calls by customer and queue, paged with limit and offset", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const jordan = yield* service.searchPbxCalls({ customer_name: "jordan" }, { limit: 5 })
      expect(jordan.calls).toHaveLength(5)
      expect(jordan.calls?.every((c) => c.customer_name === "Jordan Lee")).toBe(true)
      expect(jordan.metadata?.result_set).toMatchObject({ count: 5, limit: 5, offset: 0, more: true, next_offset: 5, total_records: 20 })
      const sales = yield* service.searchPbxCalls({ queue_uuids: [seedIds.salesQueue] }, { limit: 200 })
      expect(sales.calls).toHaveLength(60)
      const last = yield* service.searchPbxCalls({}, { limit: 50, offset: 100 })
      expect(last.calls).toHaveLength(20)
      expect(last.metadata?.result_set?.more).toBe(false)
    }).pipe(Effect.provide(layerMock())))

  it.effect("agent status history by agent and channel, paged", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const jamie = yield* service.searchAgentStatusHistory({ agent_user_id: "1002", channel: "pbx" }, { limit: 200 })
      expect(jamie.events?.length).toBeGreaterThan(0)
      expect(jamie.events?.every((e) => e.agent_user_id === "1002" && e.channel === "pbx")).toBe(true)
      expect(jamie.total).toBe(jamie.events?.length)
    }).pipe(Effect.provide(layerMock())))
})

describe("state the mock keeps", () => {
  it.effect("the agent profile (and the other settings) read back what was updated", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      expect((yield* service.getAgentProfile()).agent_profile?.display_name).toBe("Alex")
      yield* service.updateAgentProfile({ display_name: "Alex K.", chat_limit: 6 })
      const profile = (yield* service.getAgentProfile()).agent_profile
      expect(profile).toMatchObject({ display_name: "Alex K.", chat_limit: 6, name: "Alex Agent" })
      yield* service.updatePbxDefaultTimezone({ default_timezone: "Europe/Paris" })
      expect((yield* service.getPbxDefaultTimezone()).default_timezone).toBe("Europe/Paris")
      yield* service.updateVirtualAgentBudget({ budget_daily: 40 })
      expect((yield* service.getVirtualAgentBudget()).budget?.budget_daily).toBe(40)
    }).pipe(Effect.provide(layerMock())))

  it.effect("mark read clears the unread flags a later read returns", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
      yield* service.joinConversation(waiting)
      expect((yield* service.getConversation(waiting)).conversation?.unread_messages).toBe(true)
      yield* service.markReadConversation(waiting)
      const read = (yield* service.getConversation(waiting)).conversation
      expect(read?.unread_messages).toBe(false)
      expect(read?.participants?.find((p) => p.conversation_participant_arn === agentArn("DEMO"))?.unread_messages).toBe(0)
      const page = yield* service.getConversations({ limit: 1 })
      expect(page.conversations?.[0]?.unread_messages).toBe(false)
    }).pipe(Effect.provide(layerMock())))

  it.effect("a queue status update changes what the queue statuses return", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const before = yield* service.getConversationWebchatQueueStatuses()
      const agentIn = (queues: typeof before, name: string) =>
        queues.queue_statuses?.find((q) => q.queue_name === name)?.agents?.find((a) => a.agent_user_id === "1001")
      expect(agentIn(before, "Support")?.agent_status).toBe("busy")
      yield* service.updateConversationWebchatQueueStatus("Support", { agent_status: "available" })
      expect(agentIn(yield* service.getConversationWebchatQueueStatuses(), "Support")?.agent_status).toBe("available")
      const unknown = yield* Effect.flip(service.updateConversationWebchatQueueStatus("Nope", { agent_status: "busy" }))
      expect(unknown._tag).toBe("NotFoundError")
    }).pipe(Effect.provide(layerMock())))

  it.effect("getConversationMessages returns the messages after `since`, oldest first", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const messages = smsConversation?.messages ?? []
      const since = messages[1]?.message_epoch ?? 0
      const after = yield* service.getConversationMessages(smsUuid, since)
      expect(after.conversation_messages?.map((m) => m.conversation_message_uuid)).toEqual(
        messages.slice(2).map((m) => m.conversation_message_uuid)
      )
      const limited = yield* service.getConversationMessages(smsUuid, 0, { limit: 1 })
      expect(limited.conversation_messages?.map((m) => m.conversation_message_uuid)).toEqual([messages[0]?.conversation_message_uuid])
      expect((yield* Effect.flip(service.getConversationMessages("no-such-conversation", 0)))._tag).toBe("NotFoundError")
    }).pipe(Effect.provide(layerMock())))
})

describe("seeding from a test", () => {
  it.effect("any family can be seeded and inspected through the store service", () =>
    Effect.gen(function*() {
      const store = yield* MockConversationStore
      const service = yield* ConversationService
      yield* store.resources.seed("departments", [{ department_name: "Returns" }, { conversation_department_oid: 77, department_name: "VIP" }])
      const names = (yield* service.getConversationDepartments()).conversation_departments?.map((d) => d.department_name)
      expect(names).toEqual(["Returns", "VIP"])
      yield* store.resources.seed("agent/profiles/{user_id}/mcps", [{ url: "https://mcp.invalid/a" }], { user_id: "2002" })
      expect((yield* service.getAgentProfileMcps(2002)).mcp_servers?.map((m) => m.url)).toEqual(["https://mcp.invalid/a"])
      expect((yield* service.getAgentProfileMcps(1001)).mcp_servers).toHaveLength(0)
      const unknown = yield* Effect.flip(store.resources.list("no/such/family"))
      expect(unknown._tag).toBe("UnknownFamily")
    }).pipe(Effect.provide(layerMock("empty"))))

  it.effect("reset puts every family back to the seed", () =>
    Effect.gen(function*() {
      const store = yield* MockConversationStore
      const service = yield* ConversationService
      yield* service.deletePbxQueue(seedIds.salesQueue)
      expect((yield* service.getPbxQueues()).queues).toHaveLength(1)
      yield* store.reset
      expect((yield* service.getPbxQueues()).queues).toHaveLength(2)
    }).pipe(Effect.provide(layerMock())))
})

describe("answers generated from the schema", () => {
  it.effect("are the same on every call and in every store, and mark success", () =>
    Effect.gen(function*() {
      const first = yield* Effect.flatMap(ConversationService, (s) => s.getAgentStatusSummary({ dateStart: "2025-03-01", dateEnd: "2025-03-14" }))
        .pipe(Effect.provide(layerMock()))
      const second = yield* Effect.flatMap(ConversationService, (s) => s.getAgentStatusSummary({ dateStart: "2025-03-01", dateEnd: "2025-03-14" }))
        .pipe(Effect.provide(layerMock()))
      expect(second).toEqual(first)
      expect(first.success).toBe(true)
      expect(first.error).toBeUndefined()
    }))
})
