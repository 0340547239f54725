/**
 * An agent's workflow end to end: authorize for the websocket, find the open conversations with unread
 * messages, join the oldest-waiting one, read it, get an upload URL for an attachment, and leave.
 * Against UltraCart the join and leave run only with ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/agent-workflow.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Chunk, Console, Effect, Stream } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService

  // 1. authorize: the console would now open the websocket with this JWT
  const { agent_auth: auth } = yield* conversations.getAgentWebsocketAuthorization()
  const me = auth?.conversation_participant_arn
  yield* Console.log(`1. authorized ${auth?.conversation_participant_name ?? "?"} for ${auth?.websocket_url ?? "?"}`)

  // 2. the open conversations with unread messages (at most 100 looked at)
  const unread = Chunk.toReadonlyArray(
    yield* conversations.streamConversations({ pageSize: 50 }).pipe(
      Stream.take(100),
      Stream.filter((c) => c.closed !== true && c.unread_messages === true),
      Stream.runCollect
    )
  )
  yield* Console.log(`2. ${unread.length} open conversation(s) with unread messages:`)
  for (const c of unread) {
    yield* Console.log(`   ${c.conversation_uuid ?? "?"}  ${c.medium ?? "?"}  "${c.last_conversation_message_body ?? ""}"`)
  }
  // listed newest first: the last one has waited longest
  const next = unread.at(-1)?.conversation_uuid
  if (next === undefined) return yield* Console.log("Nothing to answer.")

  // 3. join it
  const writes = yield* mayWrite(`joining and leaving conversation ${next}`)
  if (writes) {
    yield* conversations.joinConversation(next, { participant_language_iso_code: "en" })
    yield* Console.log(`3. joined ${next}`)
  }

  // 4. read it
  const { conversation } = yield* conversations.getConversation(next, { limit: 10 })
  yield* Console.log(`4. ${conversation?.messages?.length ?? 0} recent message(s):`)
  for (const m of conversation?.messages ?? []) {
    yield* Console.log(`   ${m.author_conversation_participant_name ?? "?"}: ${m.body ?? ""}`)
  }

  // 5. an attachment for the answer
  const { conversation_multimedia_upload_url: upload } = yield* conversations.getConversationMultimediaUploadUrl("jpeg")
  yield* Console.log(`5. upload the photo to the presigned URL, then send key ${upload?.key ?? "?"}`)

  // 6. leave
  if (writes) {
    yield* conversations.leaveConversation(next)
    const after = yield* conversations.getConversation(next, { limit: 1 })
    const status = after.conversation?.participants?.find((p) => p.conversation_participant_arn === me)?.status
    yield* Console.log(`6. left ${next} (status ${status ?? "?"})`)
    yield* ensure(status === "left", "expected the agent to have left")
  }
})

runExample(program)
