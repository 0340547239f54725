/**
 * leaveConversation: the agent leaves a conversation it is in, then reads the conversation back to show
 * its participant status. Against UltraCart this changes data, so it runs only with
 * ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/leave-conversation.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect, Stream } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const me = (yield* conversations.getAgentWebsocketAuthorization()).agent_auth?.conversation_participant_arn

  // the first open conversation this agent is in
  const mine = yield* conversations.streamConversations({ pageSize: 50 }).pipe(
    Stream.filter((c) =>
      c.closed !== true &&
      (c.participants ?? []).some((p) => p.conversation_participant_arn === me && p.status === "joined")
    ),
    Stream.runHead
  )
  if (mine._tag === "None" || mine.value.conversation_uuid === undefined) {
    return yield* Console.log("The agent is in no open conversation.")
  }
  const uuid = mine.value.conversation_uuid
  yield* Console.log(`Leaving ${uuid}: "${mine.value.last_conversation_message_body ?? ""}"`)
  if (!(yield* mayWrite(`leaving conversation ${uuid}`))) return

  yield* conversations.leaveConversation(uuid)
  const { conversation } = yield* conversations.getConversation(uuid, { limit: 1 })
  const entry = conversation?.participants?.find((p) => p.conversation_participant_arn === me)
  yield* Console.log(`Left: ${entry?.conversation_participant_name ?? "?"}, status ${entry?.status ?? "?"} (left ${entry?.left_dts ?? "?"})`)
  yield* ensure(entry?.status === "left", "expected the agent's status to be left")
})

runExample(program)
