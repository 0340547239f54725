/**
 * Canned messages: insert one, search by short code, and use one in a reply: find the conversation that
 * waits for an agent, join it, fill the canned text for the customer and hand it to the agent websocket
 * (the REST API has no send-message call; the agent console sends over the websocket it is authorized
 * for). Against UltraCart the insert, join and delete run only with ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/canned-messages.ts
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const uc = yield* ConversationService

  // 1. the team's canned messages, ordered by short code
  const all = (yield* uc.getConversationCannedMessages()).conversation_canned_messages ?? []
  yield* Console.log(`1. ${all.length} canned messages: ${all.map((m) => `/${m.short_code ?? "?"}`).join(" ")}`)

  // 2. a new one for the holidays
  const writes = yield* mayWrite("inserting a canned message and joining a conversation")
  const inserted = writes
    ? (yield* uc.insertConversationCannedMessage({
      short_code: "holiday",
      canned_message: "Hi {name}! We're closed for the holiday and back on Monday."
    })).conversation_canned_message
    : undefined
  if (inserted !== undefined) {
    yield* Console.log(`2. inserted /holiday as oid ${inserted.conversation_canned_message_oid ?? "?"}`)
  }

  // 3. what the agent types: "/ho" finds /holiday and /hours
  const found = (yield* uc.searchConversationCannedMessages({ short_code: "ho" })).conversation_canned_messages ?? []
  yield* Console.log(`3. "/ho" matches ${found.map((m) => `/${m.short_code ?? "?"}`).join(", ")}`)
  if (writes) yield* ensure(found.some((m) => m.short_code === "holiday"), "the search should find the new message")

  // 4. the reply: the oldest conversation with unread messages, the customer's name filled in
  const waiting = (yield* uc.getConversations({ limit: 20 })).conversations?.filter((c) => c.unread_messages === true).at(-1)
  const template = found.find((m) => m.short_code === "holiday") ?? found[0]
  if (waiting?.conversation_uuid === undefined || template === undefined) return yield* Console.log("4. nobody is waiting")
  if (writes) yield* uc.joinConversation(waiting.conversation_uuid)
  const { agent_auth: auth } = yield* uc.getAgentWebsocketAuthorization()
  const customer = waiting.participants?.find((p) =>
    p.conversation_participant_arn !== auth?.conversation_participant_arn && p.sms_phone_number === undefined
  )?.conversation_participant_name ?? waiting.participants?.[0]?.conversation_participant_name
  const reply = (template.canned_message ?? "").replace("{name}", customer ?? "there")
  yield* Console.log(`4. reply to ${customer ?? "?"} in ${waiting.conversation_uuid} over ${auth?.websocket_url ?? "?"}:`)
  yield* Console.log(`   "${reply}"`)
  yield* ensure(reply.length > 0 && !reply.includes("{name}"), "the reply should be filled in")

  // 5. tidy up
  if (inserted?.conversation_canned_message_oid !== undefined) {
    yield* uc.deleteConversationCannedMessage(inserted.conversation_canned_message_oid)
    yield* uc.leaveConversation(waiting.conversation_uuid)
    yield* Console.log("5. deleted /holiday and left the conversation")
  }
})

runExample(program)
