/**
 * startConversation: starts a conversation with a customer, then fetches it. A start is never re-sent
 * unless the server surely did not process it (a 429 or a refused connection), so a lost answer cannot
 * create a duplicate. Against UltraCart this creates data, so it runs only with
 * ULTRACART_EXAMPLES_ALLOW_WRITES=1 (and ULTRACART_EXAMPLES_PARTICIPANT_ARN names who to add).
 *
 * Run: npx tsx examples/start-conversation.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Config, Console, Effect } from "effect"
import { ConversationService, type ConversationStartRequest } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const participant = Config.string("ULTRACART_EXAMPLES_PARTICIPANT_ARN").pipe(
  Config.withDefault("arn:ultracart:conversation-participant:DEMO:sms-15555550199")
)

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const request: ConversationStartRequest = { add_conversation_participant_arns: [yield* participant] }
  yield* Console.log(`startConversation(${JSON.stringify(request)})`)
  if (!(yield* mayWrite("starting a conversation"))) return

  const started = yield* conversations.startConversation(request)
  const uuid = started.conversation?.conversation_uuid
  yield* Console.log(`started: ${uuid ?? "?"} (${started.conversation?.conversation_arn ?? "?"})`)
  if (uuid === undefined) return yield* ensure(false, "UltraCart answered without a conversation uuid")

  const { conversation } = yield* conversations.getConversation(uuid)
  yield* Console.log(`fetched: ${conversation?.participants?.length ?? 0} participant(s), ${conversation?.message_count ?? 0} message(s)`)
  for (const p of conversation?.participants ?? []) yield* Console.log(`  ${p.conversation_participant_arn ?? "?"} ${p.status ?? "?"}`)
  yield* ensure(conversation?.conversation_uuid === uuid, "expected to fetch the started conversation")
})

runExample(program)
