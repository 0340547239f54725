/**
 * joinConversation: the agent joins an open conversation it is not in yet (here with a language), then
 * reads the conversation back to show its participant entry.
 * Against UltraCart this changes data, so it runs only with ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/join-conversation.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect, Stream } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const me = (yield* conversations.getAgentWebsocketAuthorization()).agent_auth?.conversation_participant_arn

  // the first open conversation this agent has not joined
  const candidate = yield* conversations.streamConversations({ pageSize: 50 }).pipe(
    Stream.filter((c) =>
      c.closed !== true &&
      !(c.participants ?? []).some((p) => p.conversation_participant_arn === me && p.status === "joined")
    ),
    Stream.runHead
  )
  if (candidate._tag === "None" || candidate.value.conversation_uuid === undefined) {
    return yield* Console.log("No open conversation to join.")
  }
  const uuid = candidate.value.conversation_uuid
  yield* Console.log(`Joining ${uuid}: "${candidate.value.last_conversation_message_body ?? ""}"`)
  if (!(yield* mayWrite(`joining conversation ${uuid}`))) return

  yield* conversations.joinConversation(uuid, { participant_language_iso_code: "en" })
  const { conversation } = yield* conversations.getConversation(uuid, { limit: 1 })
  const entry = conversation?.participants?.find((p) => p.conversation_participant_arn === me)
  yield* Console.log(`Joined: ${entry?.conversation_participant_name ?? "?"}, status ${entry?.status ?? "?"} (joined ${entry?.joined_dts ?? "?"})`)
  yield* ensure(entry?.status === "joined", "expected the agent to be a joined participant")
})

runExample(program)
