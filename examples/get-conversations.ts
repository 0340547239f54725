/**
 * getConversations: one page of conversation summaries, newest first, with the paging metadata and the
 * `medium` filter.
 *
 * Run: npx tsx examples/get-conversations.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect } from "effect"
import { ConversationService, type ConversationSummary } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, runExample } from "./support/environment.js"

const row = (c: ConversationSummary) =>
  `${(c.conversation_uuid ?? "?").slice(0, 8)}  ${(c.medium ?? "?").padEnd(9)}  ${c.closed === true ? "closed" : "open  "}  ${
    (c.last_conversation_message_body ?? "").slice(0, 50)
  }`

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService

  const page = yield* conversations.getConversations({ limit: 3 })
  const resultSet = page.metadata?.result_set
  yield* Console.log("getConversations({ limit: 3 }):")
  for (const summary of page.conversations ?? []) yield* Console.log(`  ${row(summary)}`)
  yield* Console.log(
    `  result_set: count ${resultSet?.count ?? "?"}, total ${resultSet?.total_records ?? "?"}, more ${resultSet?.more ?? "?"}, next_offset ${
      resultSet?.next_offset ?? "?"
    }`
  )

  const sms = yield* conversations.getConversations({ limit: 3, medium: "sms" })
  yield* Console.log(`\ngetConversations({ limit: 3, medium: "sms" }):`)
  for (const summary of sms.conversations ?? []) yield* Console.log(`  ${row(summary)}`)

  yield* ensure((page.conversations ?? []).length <= 3, "a page is never larger than the limit")
  yield* ensure((sms.conversations ?? []).every((c) => c.medium === "sms"), "the medium filter keeps only SMS")
})

runExample(program)
