/**
 * The operations the mock answers with a behaviour of its own rather than generically: the conversations
 * (start, list, fetch, join, leave, mark read, messages since a point, search, …), the webchat queue
 * statuses, and the searches over the store (canned messages by short code, PBX calls and agent status
 * history, paged). Everything else is answered from the operation table (`handlers.ts`).
 *
 * @since 0.2.0
 */
import { Effect, Either, Option, Schema } from "effect"
import type { OperationId } from "../generated/operations.js"
import { formatParseError } from "../internal/parseIssue.js"
import {
  ConversationAgentStatusHistorySearchRequest,
  ConversationCannedMessagesSearch,
  ConversationJoinRequest,
  ConversationPbxCallSearchRequest,
  ConversationSearchRequest,
  ConversationStartRequest,
  ConversationWebchatQueueStatusUpdateRequest
} from "../Models.js"
import { ConversationNotFound, type InvalidRequest, type MockConversationStoreShape } from "./ConversationStore.js"
import { badRequest, errorResponse, generatedHandler, type Handler, listReply, model, noBody, notFound } from "./handlers.js"
import type { Resource } from "./ResourceStore.js"

export { ownBehaviour } from "./ownBehaviour.js"

const conversationNotFound = (error: ConversationNotFound) =>
  errorResponse(404, `Conversation ${error.conversationUuid} was not found`, {
    userMessage: "Conversation not found",
    objectId: error.conversationUuid
  })

const fromStoreError = (error: ConversationNotFound | InvalidRequest) =>
  error._tag === "ConversationNotFound" ? conversationNotFound(error) : badRequest(error.reason)

/** The body as its model's decoded value (the router already checked it against the model). */
const decoded = <A, I>(schema: Schema.Schema<A, I>, body: unknown) =>
  Either.mapLeft(Schema.decodeUnknownEither(schema)(body ?? {}), (error) =>
    badRequest(`invalid request body: ${formatParseError("request", error)}`))

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
const integer = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined)

const millis = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? undefined : parsed
}

const within = (at: unknown, start: string | undefined, end: string | undefined): boolean => {
  const time = millis(at)
  const from = millis(start)
  const to = millis(end)
  if (from === undefined && to === undefined) return true
  if (time === undefined) return false
  // A bare date as the end includes that whole day.
  const endOfTo = to !== undefined && end !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(end) ? to + 86_399_999 : to
  return (from === undefined || time >= from) && (endOfTo === undefined || time <= endOfTo)
}

const contains = (haystack: unknown, needle: string | undefined): boolean =>
  needle === undefined || (typeof haystack === "string" && haystack.toLowerCase().includes(needle.toLowerCase()))

/** A page of `items` as UltraCart pages: `_limit` (default 100) and `_offset`, with its result set. */
const page = (items: ReadonlyArray<Resource>, options: Readonly<Record<string, unknown>>) => {
  const limit = integer(options["limit"]) ?? 100
  const offset = integer(options["offset"]) ?? 0
  const slice = items.slice(offset, offset + limit)
  return {
    items: slice,
    resultSet: {
      count: slice.length,
      limit,
      offset,
      more: offset + slice.length < items.length,
      next_offset: offset + slice.length,
      total_records: items.length
    }
  }
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {}

/** The handlers of the operations with a behaviour of their own. */
export const behaviours = (store: MockConversationStoreShape): Readonly<Partial<Record<OperationId, Handler>>> => {
  const resources = store.resources
  const uuidOf = (path: Readonly<Record<string, string | number>>) => String(path["conversation_uuid"] ?? "")
  const exists = (uuid: string) =>
    Effect.flatMap(store.find(uuid), (found) =>
      Option.isSome(found) ? Effect.void : Effect.fail(conversationNotFound(new ConversationNotFound({ conversationUuid: uuid }))))
  return {
    getAgentWebsocketAuthorization: () =>
      Effect.map(store.agentAuth, (agent_auth) => model({ agent_auth, success: true, metadata: { payload_name: "agent_auth" } })),
    getConversation: ({ options, path }) =>
      Effect.map(
        Effect.mapError(store.get(uuidOf(path), { limit: integer(options["limit"]) }), fromStoreError),
        (conversation) => model({ conversation, success: true, metadata: { payload_name: "conversation" } })
      ),
    getConversationMultimediaUploadUrl: ({ path }) =>
      Effect.map(
        Effect.mapError(store.uploadUrl(String(path["extension"] ?? "")), fromStoreError),
        (url) => model({ conversation_multimedia_upload_url: url, success: true, metadata: { payload_name: "conversation_multimedia_upload_url" } })
      ),
    getConversations: ({ options }) =>
      Effect.map(
        Effect.mapError(
          store.list({
            limit: integer(options["limit"]),
            offset: integer(options["offset"]),
            medium: text(options["medium"]),
            before: text(options["before"])
          }),
          fromStoreError
        ),
        model
      ),
    joinConversation: ({ body, path }) =>
      Effect.flatMap(body === undefined ? Either.right(undefined) : decoded(ConversationJoinRequest, body), (request) =>
        Effect.as(Effect.mapError(store.join(uuidOf(path), request), fromStoreError), noBody)),
    leaveConversation: ({ path }) => Effect.as(Effect.mapError(store.leave(uuidOf(path)), fromStoreError), noBody),
    startConversation: ({ body }) =>
      Effect.flatMap(decoded(ConversationStartRequest, body), (request) =>
        Effect.map(Effect.mapError(store.start(request), fromStoreError), (conversation) => model({ conversation }))),
    markReadConversation: ({ path }) => Effect.as(Effect.mapError(store.markRead(uuidOf(path)), fromStoreError), noBody),
    smsUnsubscribeConversation: ({ path }) => Effect.as(exists(uuidOf(path)), noBody),
    getConversationContext: (input) => Effect.zipRight(exists(uuidOf(input.path)), generatedHandler(input.operation)(input)),
    getConversationMessages: ({ options, path }) =>
      Effect.map(
        Effect.mapError(
          store.messagesSince(uuidOf(path), integer(path["since"]) ?? 0, { limit: integer(options["limit"]) }),
          fromStoreError
        ),
        (messages) => model({ conversation_messages: messages, success: true, metadata: { payload_name: "conversation_messages" } })
      ),
    getConversationsSearch: ({ body }) =>
      Effect.flatMap(decoded(ConversationSearchRequest, body), (request) =>
        Effect.map(store.search(request), (found) => model({ ...found, success: true }))),
    getConversationWebchatQueueStatuses: ({ operation }) =>
      Effect.map(resources.queueStatuses, (queues) => listReply(operation, queues)),
    updateConversationWebchatQueueStatus: ({ body, path }) =>
      Effect.flatMap(decoded(ConversationWebchatQueueStatusUpdateRequest, body), (request) =>
        Effect.as(
          Effect.mapError(
            resources.updateQueueAgent(String(path["queue_name"] ?? ""), String(store.agent.userId), record(request)),
            notFound
          ),
          noBody
        )),
    searchConversationCannedMessages: ({ body, operation }) =>
      Effect.flatMap(decoded(ConversationCannedMessagesSearch, body), (request) =>
        Effect.map(Effect.orDie(resources.list("canned_messages")), (all) => {
          const prefix = request.short_code?.toLowerCase()
          const matching = all.filter((m) => prefix === undefined || (text(m["short_code"]) ?? "").toLowerCase().startsWith(prefix))
          return listReply(operation, request.max_results === undefined ? matching : matching.slice(0, request.max_results))
        })),
    searchPbxCalls: ({ body, operation, options }) =>
      Effect.flatMap(decoded(ConversationPbxCallSearchRequest, body), (request) =>
        Effect.map(Effect.orDie(resources.list("pbx/call")), (all) => {
          const queues = request.queue_uuids
          const matching = all.filter((call) =>
            contains(call["customer_name"], request.customer_name) &&
            (request.search_term === undefined ||
              contains(call["customer_name"], request.search_term) ||
              contains(record(call["caller"])["phone_number"], request.search_term)) &&
            (request.disposition === undefined || call["disposition"] === request.disposition) &&
            (request.statuses === undefined || request.statuses.includes(text(call["status"]) ?? "")) &&
            (queues === undefined || queues.includes(text(record(call["routing"])["queue_uuid"]) ?? "")) &&
            within(call["created_at_dts"], request.start_date, request.end_date)
          )
          const { items, resultSet } = page(matching, options)
          return listReply(operation, items, { metadata: { payload_name: "calls", result_set: resultSet } })
        })),
    searchAgentStatusHistory: ({ body, operation, options }) =>
      Effect.flatMap(decoded(ConversationAgentStatusHistorySearchRequest, body), (request) =>
        Effect.map(resources.agentStatusEvents, (all) => {
          const matching = all.filter((event) =>
            (request.agent_user_id === undefined || event["agent_user_id"] === request.agent_user_id) &&
            (request.channel === undefined || event["channel"] === request.channel) &&
            (request.status === undefined || event["new_status"] === request.status) &&
            (request.trigger === undefined || event["trigger"] === request.trigger) &&
            within(event["event_dts"], request.date_start, request.date_end)
          )
          const { items, resultSet } = page(matching, options)
          return listReply(operation, items, { total: matching.length, metadata: { payload_name: "events", result_set: resultSet } })
        }))
  }
}
