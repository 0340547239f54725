/**
 * getConversation: one conversation with its participants and its most recent messages (`limit`).
 * The uuid comes from the first page of getConversations.
 *
 * Run: npx tsx examples/get-conversation.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const page = yield* conversations.getConversations({ limit: 1 })
  const uuid = page.conversations?.[0]?.conversation_uuid
  if (uuid === undefined) return yield* Console.log("There are no conversations to show.")

  const { conversation } = yield* conversations.getConversation(uuid, { limit: 5 })
  yield* Console.log(`conversation ${uuid} (${conversation?.medium ?? "?"}, ${conversation?.message_count ?? "?"} messages in all)`)
  yield* Console.log("participants:")
  for (const p of conversation?.participants ?? []) {
    yield* Console.log(`  ${(p.conversation_participant_name ?? "?").padEnd(16)} ${p.status ?? "?"}`)
  }
  yield* Console.log("the last 5 messages at most:")
  for (const m of conversation?.messages ?? []) {
    yield* Console.log(`  [${m.message_dts ?? "?"}] ${m.author_conversation_participant_name ?? "?"}: ${m.body ?? ""}`)
  }
  yield* ensure(conversation?.conversation_uuid === uuid, "expected the conversation that was asked for")
  yield* ensure((conversation?.messages ?? []).length <= 5, "limit: 5 returns 5 messages at most")
})

runExample(program)
