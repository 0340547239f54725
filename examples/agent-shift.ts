/**
 * An agent's shift: set the status in the webchat queue, look at the queues, join the conversation that
 * waits longest, read the messages since the last look, mark it read, and leave. Against UltraCart the
 * writes run only with ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/agent-shift.ts
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const uc = yield* ConversationService
  const writes = yield* mayWrite("changing the agent's queue status and joining a conversation")

  // 1. who am I, and on shift in the Support queue
  const { agent_auth: auth } = yield* uc.getAgentWebsocketAuthorization()
  if (writes) yield* uc.updateConversationWebchatQueueStatus("Support", { agent_status: "available" })
  yield* Console.log(`1. ${auth?.conversation_participant_name ?? "?"} is available in Support`)

  // 2. the queues
  const { queue_statuses: queues = [] } = yield* uc.getConversationWebchatQueueStatuses()
  for (const queue of queues) {
    const agents = (queue.agents ?? []).map((a) => `${a.conversation_participant_name ?? "?"} (${a.agent_status ?? "?"})`)
    yield* Console.log(`2. ${queue.queue_name ?? "?"}: ${queue.customer_waiting_count ?? 0} waiting; agents ${agents.join(", ")}`)
  }
  if (writes) {
    const me = queues.find((q) => q.queue_name === "Support")?.agents?.find((a) => a.conversation_participant_arn === auth?.conversation_participant_arn)
    yield* ensure(me === undefined || me.agent_status === "available", "the queue should show the agent available")
  }

  // 3. the conversation that waits longest
  const waiting = (yield* uc.getConversations({ limit: 50 })).conversations?.filter((c) => c.unread_messages === true).at(-1)
  const uuid = waiting?.conversation_uuid
  if (uuid === undefined) return yield* Console.log("3. nobody is waiting")
  if (writes) yield* uc.joinConversation(uuid, { participant_language_iso_code: "en" })
  yield* Console.log(`3. joined ${uuid}`)

  // 4. what was said since the last look (epoch milliseconds; 0 = everything)
  const { conversation_messages: messages = [] } = yield* uc.getConversationMessages(uuid, 0, { limit: 20 })
  for (const m of messages) yield* Console.log(`4. ${m.author_conversation_participant_name ?? "?"}: ${m.body ?? ""}`)
  const lastSeen = messages.at(-1)?.message_epoch ?? 0
  const { conversation_messages: newer = [] } = yield* uc.getConversationMessages(uuid, lastSeen)
  yield* Console.log(`   ${newer.length} message(s) newer than the last one read`)

  // 5. read and done
  if (writes) {
    yield* uc.markReadConversation(uuid)
    const after = (yield* uc.getConversation(uuid, { limit: 1 })).conversation
    yield* ensure(after?.unread_messages === false, "mark read should clear the unread flag")
    yield* uc.leaveConversation(uuid)
    yield* Console.log(`5. marked ${uuid} read and left it`)
  }
})

runExample(program)
