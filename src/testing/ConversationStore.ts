/**
 * The in-memory conversation store behind `layerMock` and `MockServer`: UltraCart's conversation
 * semantics (start, fetch, list newest first with paging, join, leave, agent authorization, upload URLs)
 * over state held in a `Ref` that each store builds for itself.
 *
 * @since 0.1.0
 */
import { Array as Arr, Clock, Context, Data, Effect, HashMap, Option, Order, Ref } from "effect"
import type {
  Conversation,
  ConversationAgentAuth,
  ConversationJoinRequest,
  ConversationMessage,
  ConversationMultimediaUploadUrl,
  ConversationParticipant,
  ConversationSearchRequest,
  ConversationSearchResponse,
  ConversationsResponse,
  ConversationStartRequest,
  ConversationSummary
} from "../Models.js"
import { tableFamilies } from "./tableFamilies.js"
import { makeResourceStore, type MockResourceSeed, type MockResourcesShape } from "./ResourceStore.js"
import { agentArn, agentName, defaultSeed, demoMerchantId } from "./seed.js"

/** What a store starts with: the realistic default seed, nothing, or these conversations. */
export type MockSeed = ReadonlyArray<Conversation> | "default" | "empty"

/** The agent the store's credentials belong to: who joins, leaves and is authorized. */
export interface MockAgent {
  readonly arn: string
  readonly name: string
  readonly userId: number
}

/** How a store is built. */
export interface MockStoreOptions {
  /** Defaults to `"default"`, the realistic seed of `seed.ts`. */
  readonly seed?: MockSeed | undefined
  /** The merchant id of started conversations and of the agent (default `DEMO`). */
  readonly merchantId?: string | undefined
  /** The agent the credentials belong to. */
  readonly agent?: MockAgent | undefined
  /**
   * What the resource families (canned messages, departments, PBX, …) start with: `"default"` (a few of
   * each) or `"empty"`. Defaults to `"empty"` when `seed` is `"empty"`, else `"default"`.
   */
  readonly resources?: MockResourceSeed | undefined
}

/** A conversation the store created through `start`, with the request that created it. */
export interface StartedConversation {
  readonly conversation_uuid: string
  readonly request: ConversationStartRequest
}

/** Options of `list`, with UltraCart's meaning: page size 1..200 (default 100), offset, filters. */
export interface MockListOptions {
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly medium?: string | undefined
  /** An ISO 8601 timestamp: only conversations whose last message (or start) is before it. */
  readonly before?: string | undefined
}

/** The store has no conversation with this uuid (the server answers 404). */
export class ConversationNotFound extends Data.TaggedError("ConversationNotFound")<{
  readonly conversationUuid: string
}> {
  override get message(): string {
    return `no conversation ${this.conversationUuid}`
  }
}

/** The store refused an argument (the server answers 400). */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<{
  readonly reason: string
}> {
  override get message(): string {
    return this.reason
  }
}

/** The operations of an in-memory conversation store. */
export interface MockConversationStoreShape {
  readonly merchantId: string
  readonly agent: MockAgent
  /** Starts a conversation (or, given the `conversation_arn` of an existing one, adds its participants). */
  readonly start: (request: ConversationStartRequest) => Effect.Effect<Conversation, ConversationNotFound>
  /** One conversation; `limit` keeps only its most recent messages. */
  readonly get: (
    conversationUuid: string,
    options?: { readonly limit?: number | undefined }
  ) => Effect.Effect<Conversation, ConversationNotFound | InvalidRequest>
  /** One page of summaries, newest first, in UltraCart's envelope with `metadata.result_set`. */
  readonly list: (options?: MockListOptions) => Effect.Effect<ConversationsResponse, InvalidRequest>
  /** Adds the agent as a participant; joining twice leaves one participant. */
  readonly join: (
    conversationUuid: string,
    request?: ConversationJoinRequest
  ) => Effect.Effect<void, ConversationNotFound>
  /** Marks the agent as left (`status: "left"`, `left_dts`); leaving a conversation never joined does nothing. */
  readonly leave: (conversationUuid: string) => Effect.Effect<void, ConversationNotFound>
  /** Marks a conversation read: no unread messages, for the agent too. */
  readonly markRead: (conversationUuid: string) => Effect.Effect<void, ConversationNotFound>
  /** The messages after `since` (epoch milliseconds, exclusive), oldest first, at most `limit`. */
  readonly messagesSince: (
    conversationUuid: string,
    since: number,
    options?: { readonly limit?: number | undefined }
  ) => Effect.Effect<ReadonlyArray<ConversationMessage>, ConversationNotFound>
  /** Conversations matching a search (text, medium, dates, phone number, visibility), as summaries. */
  readonly search: (request: ConversationSearchRequest) => Effect.Effect<ConversationSearchResponse>
  /** The resource families and the other state of the mock (canned messages, PBX, queues, settings, …). */
  readonly resources: MockResourcesShape
  /** A plausible agent websocket authorization (a JWT-shaped string, a `wss://` URL). */
  readonly agentAuth: Effect.Effect<ConversationAgentAuth>
  /** A presigned-S3-shaped upload URL and its key (not a real bucket: nothing can be uploaded). */
  readonly uploadUrl: (extension: string) => Effect.Effect<ConversationMultimediaUploadUrl, InvalidRequest>
  /** Every conversation, newest first. */
  readonly snapshot: Effect.Effect<ReadonlyArray<Conversation>>
  /** One conversation with all its messages, if present. */
  readonly find: (conversationUuid: string) => Effect.Effect<Option.Option<Conversation>>
  /** The conversations `start` created, oldest first, with their requests. */
  readonly started: Effect.Effect<ReadonlyArray<StartedConversation>>
  /** Adds conversations (replacing any with the same uuid); one without a uuid gets a fresh one. */
  readonly seed: (conversations: ReadonlyArray<Conversation>) => Effect.Effect<void>
  /** Back to the seed the store was built with; forgets started conversations. */
  readonly reset: Effect.Effect<void>
  /** Removes every conversation. */
  readonly clear: Effect.Effect<void>
  /** How many conversations the store holds. */
  readonly size: Effect.Effect<number>
}

/**
 * The store of a `layerMock`: seed it before a test and inspect it after.
 *
 * @example
 * const store = yield* MockConversationStore
 * yield* store.seed(seedConversations(250))
 */
export class MockConversationStore extends Context.Tag("effect-ultracart-conversation/testing/MockConversationStore")<
  MockConversationStore,
  MockConversationStoreShape
>() {}

interface Entry {
  readonly conversation: Conversation
  /** Insertion order; among conversations with the same timestamp the later one lists first. */
  readonly seq: number
}

interface State {
  readonly entries: HashMap.HashMap<string, Entry>
  readonly nextSeq: number
  readonly started: ReadonlyArray<StartedConversation>
}

const maxListLimit = 200
const defaultListLimit = 100
const extensionPattern = /^[A-Za-z0-9]{1,10}$/

/** The agent of a merchant when none is given. */
export const defaultAgent = (merchantId: string): MockAgent => ({
  arn: agentArn(merchantId),
  name: agentName,
  userId: 1001
})

const freshUuid = Effect.sync(() => crypto.randomUUID())
const nowMillis = Clock.currentTimeMillis
const iso = (millis: number): string => new Date(millis).toISOString()

const timestampOf = (text: string | undefined): number => {
  if (text === undefined) return 0
  const millis = Date.parse(text)
  return Number.isNaN(millis) ? 0 : millis
}

/** The time a conversation is ordered and filtered by: its last message, or its start. */
const activityOf = (conversation: Conversation): number =>
  timestampOf(conversation.last_message_dts ?? conversation.start_dts)

const newestFirst: Order.Order<Entry> = Order.combine(
  Order.reverse(Order.mapInput(Order.number, (entry: Entry) => activityOf(entry.conversation))),
  Order.reverse(Order.mapInput(Order.number, (entry: Entry) => entry.seq))
)

/** A conversation as `getConversations` lists it: without messages and the conversation-only fields. */
export const toSummary = (conversation: Conversation): ConversationSummary => {
  const {
    base_language_iso_code: _language,
    messages: _messages,
    virtual_agent: _virtualAgent,
    virtual_agent_cost: _virtualAgentCost,
    ...summary
  } = conversation
  return summary
}

const base64url = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const participantName = (arn: string): string => arn.split(":").at(-1) ?? arn

const amzDate = (millis: number): string => iso(millis).replace(/[-:]/g, "").replace(/\.\d{3}/, "")

const hexOf = (text: string): string =>
  Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0")).join("").padEnd(64, "0")

const seedConversations = (seed: MockSeed | undefined): ReadonlyArray<Conversation> =>
  seed === undefined || seed === "default" ? defaultSeed : seed === "empty" ? [] : seed

/** Builds a store; its state lives in a `Ref` made here, so two stores never share anything. */
export const makeStore = (options?: MockStoreOptions): Effect.Effect<MockConversationStoreShape> =>
  Effect.gen(function*() {
    const merchantId = options?.merchantId ?? demoMerchantId
    const agent = options?.agent ?? defaultAgent(merchantId)
    const initial = seedConversations(options?.seed)

    const withUuids = (conversations: ReadonlyArray<Conversation>) =>
      Effect.forEach(conversations, (conversation) =>
        conversation.conversation_uuid === undefined
          ? Effect.map(freshUuid, (uuid): Conversation => ({
            ...conversation,
            conversation_uuid: uuid,
            conversation_arn: conversation.conversation_arn ?? `arn:ultracart:conversation:${merchantId}:${uuid}`
          }))
          : Effect.succeed(conversation))

    const insert = (state: State, conversations: ReadonlyArray<Conversation>): State => {
      let entries = state.entries
      let seq = state.nextSeq
      for (const conversation of conversations) {
        if (conversation.conversation_uuid === undefined) continue
        entries = HashMap.set(entries, conversation.conversation_uuid, { conversation, seq })
        seq += 1
      }
      return { ...state, entries, nextSeq: seq }
    }

    const empty: State = { entries: HashMap.empty(), nextSeq: 0, started: [] }
    const seeded = insert(empty, yield* withUuids(initial))
    const state = yield* Ref.make(seeded)

    const sorted = Effect.map(Ref.get(state), (current) =>
      Arr.sort(HashMap.toValues(current.entries), newestFirst).map((entry) => entry.conversation))

    const lookup = (conversationUuid: string) =>
      Effect.flatMap(Ref.get(state), (current) =>
        Option.match(HashMap.get(current.entries, conversationUuid), {
          onNone: () => Effect.fail(new ConversationNotFound({ conversationUuid })),
          onSome: (entry) => Effect.succeed(entry.conversation)
        }))

    /** Applies `f` to one conversation atomically. */
    const update = (conversationUuid: string, f: (conversation: Conversation) => Conversation) =>
      Effect.flatten(Ref.modify(state, (current): [Effect.Effect<void, ConversationNotFound>, State] =>
        Option.match(HashMap.get(current.entries, conversationUuid), {
          onNone: () => [Effect.fail(new ConversationNotFound({ conversationUuid })), current],
          onSome: (entry) => [
            Effect.void,
            {
              ...current,
              entries: HashMap.set(current.entries, conversationUuid, { ...entry, conversation: f(entry.conversation) })
            }
          ]
        })))

    const newParticipant = (arn: string, millis: number) =>
      Effect.map(freshUuid, (uuid): ConversationParticipant => ({
        conversation_participant_arn: arn,
        conversation_participant_name: participantName(arn),
        conversation_participant_uuid: uuid,
        joined_dts: iso(millis),
        status: "joined",
        unread_messages: 0
      }))

    const start = (request: ConversationStartRequest): Effect.Effect<Conversation, ConversationNotFound> =>
      Effect.gen(function*() {
        const millis = yield* nowMillis
        const arns = request.add_conversation_participant_arns ?? []
        const participants = yield* Effect.forEach(arns, (arn) => newParticipant(arn, millis))
        if (request.conversation_arn !== undefined) {
          const arn = request.conversation_arn
          const existing = Arr.findFirst(yield* sorted, (conversation) => conversation.conversation_arn === arn)
          if (Option.isNone(existing) || existing.value.conversation_uuid === undefined) {
            return yield* new ConversationNotFound({ conversationUuid: arn })
          }
          const uuid = existing.value.conversation_uuid
          yield* update(uuid, (conversation) => {
            const present = new Set((conversation.participants ?? []).map((p) => p.conversation_participant_arn))
            const added = participants.filter((p) => !present.has(p.conversation_participant_arn))
            return { ...conversation, participants: [...(conversation.participants ?? []), ...added] }
          })
          return yield* lookup(uuid)
        }
        const uuid = yield* freshUuid
        const messageUuid = yield* freshUuid
        const notice: ConversationMessage = {
          author_conversation_participant_arn: agent.arn,
          author_conversation_participant_name: agent.name,
          body: "Conversation started",
          conversation_message_uuid: messageUuid,
          language_iso_code: "en",
          merchant_id: merchantId,
          message_dts: iso(millis),
          message_epoch: millis,
          transport_statuses: [],
          type: "notice"
        }
        const conversation: Conversation = {
          base_language_iso_code: "en",
          closed: false,
          conversation_arn: `arn:ultracart:conversation:${merchantId}:${uuid}`,
          conversation_uuid: uuid,
          last_conversation_message_body: notice.body ?? "",
          last_conversation_participant_arn: agent.arn,
          last_conversation_participant_name: agent.name,
          last_message_dts: iso(millis),
          medium: "websocket",
          merchant_id: merchantId,
          message_count: 1,
          messages: [notice],
          participants,
          start_dts: iso(millis),
          unread_messages: false,
          virtual_agent: false,
          visible: true
        }
        yield* Ref.update(state, (current) => {
          const next = insert(current, [conversation])
          return { ...next, started: [...next.started, { conversation_uuid: uuid, request }] }
        })
        return conversation
      })

    const get = (conversationUuid: string, getOptions?: { readonly limit?: number | undefined }) =>
      Effect.gen(function*() {
        const limit = getOptions?.limit
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
          return yield* new InvalidRequest({ reason: `limit must be a positive whole number, got ${limit}` })
        }
        const conversation = yield* lookup(conversationUuid)
        if (limit === undefined || conversation.messages === undefined) return conversation
        return { ...conversation, messages: conversation.messages.slice(-limit) }
      })

    const list = (listOptions?: MockListOptions): Effect.Effect<ConversationsResponse, InvalidRequest> =>
      Effect.gen(function*() {
        const limit = listOptions?.limit ?? defaultListLimit
        const offset = listOptions?.offset ?? 0
        if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) {
          return yield* new InvalidRequest({ reason: `_limit must be a whole number 1 to ${maxListLimit}, got ${limit}` })
        }
        if (!Number.isInteger(offset) || offset < 0) {
          return yield* new InvalidRequest({ reason: `_offset must be a whole number at least 0, got ${offset}` })
        }
        const before = listOptions?.before
        const beforeMillis = before === undefined ? undefined : Date.parse(before)
        if (beforeMillis !== undefined && Number.isNaN(beforeMillis)) {
          return yield* new InvalidRequest({ reason: `before must be an ISO 8601 timestamp, got ${before}` })
        }
        const medium = listOptions?.medium
        const matching = (yield* sorted).filter((conversation) =>
          (medium === undefined || conversation.medium === medium) &&
          (beforeMillis === undefined || activityOf(conversation) < beforeMillis)
        )
        const page = matching.slice(offset, offset + limit)
        const more = offset + page.length < matching.length
        return {
          conversations: page.map(toSummary),
          success: true,
          metadata: {
            payload_name: "conversations",
            result_set: {
              count: page.length,
              offset,
              limit,
              more,
              next_offset: offset + page.length,
              total_records: matching.length
            }
          }
        }
      })

    const join = (conversationUuid: string, request?: ConversationJoinRequest) =>
      Effect.flatMap(nowMillis, (millis) =>
        Effect.flatMap(freshUuid, (participantUuid) =>
          update(conversationUuid, (conversation) => {
            const participants = conversation.participants ?? []
            const language = request?.participant_language_iso_code
            const index = participants.findIndex((p) => p.conversation_participant_arn === agent.arn)
            const current = participants[index]
            if (current === undefined) {
              const joined: ConversationParticipant = {
                conversation_participant_arn: agent.arn,
                conversation_participant_name: agent.name,
                conversation_participant_uuid: participantUuid,
                joined_dts: iso(millis),
                status: "joined",
                unread_messages: 0,
                ...(language === undefined ? {} : { language_iso_code: language })
              }
              return { ...conversation, participants: [...participants, joined] }
            }
            if (current.status === "joined") {
              // Joining again is idempotent; it only updates the language the agent reads, when given.
              if (language === undefined || language === current.language_iso_code) return conversation
              const updated: ConversationParticipant = { ...current, language_iso_code: language }
              return { ...conversation, participants: participants.map((p, i) => (i === index ? updated : p)) }
            }
            const { left_dts: _left, ...rest } = current
            const rejoined: ConversationParticipant = {
              ...rest,
              status: "joined",
              joined_dts: iso(millis),
              ...(language === undefined ? {} : { language_iso_code: language })
            }
            return { ...conversation, participants: participants.map((p, i) => (i === index ? rejoined : p)) }
          })))

    const leave = (conversationUuid: string) =>
      Effect.flatMap(nowMillis, (millis) =>
        update(conversationUuid, (conversation) => {
          const participants = conversation.participants ?? []
          if (!participants.some((p) => p.conversation_participant_arn === agent.arn && p.status !== "left")) {
            return conversation
          }
          return {
            ...conversation,
            participants: participants.map((p) =>
              p.conversation_participant_arn === agent.arn ? { ...p, status: "left", left_dts: iso(millis) } : p
            )
          }
        }))

    const markRead = (conversationUuid: string) =>
      update(conversationUuid, (conversation) => ({
        ...conversation,
        unread_messages: false,
        participants: (conversation.participants ?? []).map((p) =>
          p.conversation_participant_arn === agent.arn ? { ...p, unread_messages: 0 } : p
        )
      }))

    const messagesSince = (conversationUuid: string, since: number, sinceOptions?: { readonly limit?: number | undefined }) =>
      Effect.map(lookup(conversationUuid), (conversation) => {
        const after = (conversation.messages ?? []).filter((m) => (m.message_epoch ?? timestampOf(m.message_dts)) > since)
        return sinceOptions?.limit === undefined ? after : after.slice(0, sinceOptions.limit)
      })

    const search = (request: ConversationSearchRequest): Effect.Effect<ConversationSearchResponse> =>
      Effect.map(sorted, (conversations) => {
        const text = request.text_search?.toLowerCase()
        const from = request.date_start === undefined ? undefined : Date.parse(request.date_start)
        const to = request.date_end === undefined ? undefined : Date.parse(request.date_end)
        const matching = conversations.filter((c) => {
          const participants = c.participants ?? []
          const activity = activityOf(c)
          return (text === undefined ||
            (c.messages ?? []).some((m) => m.body?.toLowerCase().includes(text) === true) ||
            participants.some((p) => p.conversation_participant_name?.toLowerCase().includes(text) === true)) &&
            (request.medium_filter === undefined || c.medium === request.medium_filter) &&
            (request.visible_filter === undefined || c.visible === request.visible_filter) &&
            (request.sms_phone_number_filter === undefined ||
              participants.some((p) => p.sms_phone_number === request.sms_phone_number_filter)) &&
            (request.email_filter === undefined || participants.some((p) => p.email === request.email_filter)) &&
            (from === undefined || Number.isNaN(from) || activity >= from) &&
            (to === undefined || Number.isNaN(to) || activity <= to)
        })
        const ordered = request.order_by_oldest === true ? [...matching].reverse() : matching
        const begin = Math.max(0, request.range_begin ?? 0)
        const end = Math.min(ordered.length, request.range_end ?? begin + 100)
        return { records: ordered.slice(begin, end).map(toSummary), total: ordered.length, range_begin: begin, range_end: end }
      })

    const agentAuth: Effect.Effect<ConversationAgentAuth> = Effect.map(nowMillis, (millis) => {
      const issuedAt = Math.floor(millis / 1000)
      const jwt = [
        base64url(JSON.stringify({ alg: "HS256", typ: "JWT" })),
        base64url(JSON.stringify({
          sub: agent.arn,
          merchant_id: merchantId,
          user_id: agent.userId,
          iat: issuedAt,
          exp: issuedAt + 3600
        })),
        base64url("mock-signature-not-valid")
      ].join(".")
      return {
        chat_admin: true,
        chat_user: true,
        conversation_participant_arn: agent.arn,
        conversation_participant_name: agent.name,
        customer_profile: false,
        default_phone_number: "+15555550100",
        group_ids: [1],
        jwt,
        merchant_id: merchantId,
        merchants: [{ company: "Demo Store", is_parent: true, merchant_id: merchantId }],
        pbx_admin: false,
        pbx_supervisor: false,
        pbx_user: false,
        twilio_accounts: [{ merchant_id: merchantId, twilio_phone_numbers: ["+15555550100"] }],
        user_id: agent.userId,
        websocket_url: "wss://conversation.mock.ultracart.invalid/conversation"
      }
    })

    const uploadUrl = (extension: string) =>
      Effect.gen(function*() {
        if (!extensionPattern.test(extension)) {
          return yield* new InvalidRequest({ reason: `extension must be 1 to 10 letters or digits, got ${extension}` })
        }
        const millis = yield* nowMillis
        const uuid = yield* freshUuid
        const key = `conversation/${encodeURIComponent(merchantId)}/${uuid}.${extension}`
        const query = new URLSearchParams({
          "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
          "X-Amz-Credential": `MOCKACCESSKEY/${amzDate(millis).slice(0, 8)}/us-east-1/s3/aws4_request`,
          "X-Amz-Date": amzDate(millis),
          "X-Amz-Expires": "3600",
          "X-Amz-SignedHeaders": "host",
          "X-Amz-Signature": hexOf(uuid).slice(0, 64)
        })
        return { key, url: `https://uploads.ultracart-mock.invalid/${key}?${query.toString()}` }
      })

    const seed = (conversations: ReadonlyArray<Conversation>) =>
      Effect.flatMap(withUuids(conversations), (complete) => Ref.update(state, (current) => insert(current, complete)))

    const resourceSeed = options?.resources ?? (options?.seed === "empty" ? "empty" : "default")
    const resources = yield* makeResourceStore(tableFamilies.list, resourceSeed)

    return {
      merchantId,
      agent,
      start,
      get,
      list,
      join,
      leave,
      markRead,
      messagesSince,
      search,
      resources,
      agentAuth,
      uploadUrl,
      snapshot: sorted,
      find: (conversationUuid: string) =>
        Effect.map(Ref.get(state), (current) =>
          Option.map(HashMap.get(current.entries, conversationUuid), (entry) => entry.conversation)),
      started: Effect.map(Ref.get(state), (current) => current.started),
      seed,
      reset: Effect.zipRight(Ref.set(state, seeded), resources.reset),
      clear: Ref.update(state, (current) => ({ ...current, entries: HashMap.empty() })),
      size: Effect.map(Ref.get(state), (current) => HashMap.size(current.entries))
    }
  })
