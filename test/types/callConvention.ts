/**
 * Compile-time checks of the call convention, run by `npm run typecheck` (not by vitest): each line under
 * `@ts-expect-error` is a wrong call that must not compile, each other line a right one that must.
 */
import type { Effect, Stream } from "effect"
import type {
  ConversationEmbedServiceShape,
  ConversationError,
  ConversationPbxCall,
  ConversationServiceShape,
  ConversationsResponse
} from "../../src/index.js"

declare const service: ConversationServiceShape
declare const embed: ConversationEmbedServiceShape

// Path parameters: strings, or numbers where the description says integer.
export const messages = service.getConversationMessages("uuid", 1700000000000, { limit: 10 })
// @ts-expect-error `since` is an integer
service.getConversationMessages("uuid", "1700000000000")
// @ts-expect-error `user_id` is an integer
service.getAgentProfileMcps("7")
// @ts-expect-error a path parameter is required
service.getConversation()

// A body of its model's shape; required where the description says so.
export const inserted = service.insertConversationCannedMessage({ short_code: "hi", canned_message: "Hello!" })
// @ts-expect-error `short_code` is a string
service.insertConversationCannedMessage({ short_code: 42 })
// @ts-expect-error the body is required
service.insertConversationCannedMessage()
export const joined = service.joinConversation("uuid")

// Options: camelCase keys, required ones required, enums closed.
export const timeline = service.getAgentStatusTimeline("agent-7", { date: "2026-12-01" })
// @ts-expect-error `date` is a required option
service.getAgentStatusTimeline("agent-7", {})
// @ts-expect-error options are required when one of them is
service.getAgentStatusTimeline("agent-7")
// @ts-expect-error `medium` is "sms" or "websocket"
service.getConversations({ medium: "email" })
// @ts-expect-error the wire name `_limit` is not an option
service.getConversations({ _limit: 10 })
export const phoneNumbers = service.searchPbxAvailablePhoneNumbers({ country: "US", smsEnabled: true, limit: 5 })
// @ts-expect-error `smsEnabled` is a boolean
service.searchPbxAvailablePhoneNumbers({ country: "US", smsEnabled: "yes" })

// Results: the decoded model, or void; streams of the page's items.
export const page: Effect.Effect<ConversationsResponse, ConversationError> = service.getConversations()
export const left: Effect.Effect<void, ConversationError> = service.leaveConversation("uuid")
export const calls: Stream.Stream<ConversationPbxCall, ConversationError> = service.streamPbxCalls({}, { pageSize: 50 })
// @ts-expect-error a stream takes no offset
service.streamPbxCalls({}, { offset: 10 })

// The embed service: form bodies with their required fields.
export const token = embed.embedOauthToken({ client_id: "widget", grant_type: "refresh_token", refresh_token: "r" })
// @ts-expect-error `grant_type` is required
embed.embedOauthToken({ client_id: "widget" })
