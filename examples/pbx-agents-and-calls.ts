/**
 * PBX: the agents and their extensions, an agent's settings, and the call log paged with `_limit` /
 * `_offset` (one page by hand, then every call of a queue through `streamPbxCalls`). Against UltraCart
 * the agent update runs only with ULTRACART_EXAMPLES_ALLOW_WRITES=1.
 *
 * Run: npx tsx examples/pbx-agents-and-calls.ts
 */
import { Chunk, Console, Effect, Stream } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const uc = yield* ConversationService

  // 1. the agents
  const { agents = [] } = yield* uc.getPbxAgents()
  for (const a of agents) {
    yield* Console.log(`1. ext ${a.extension ?? "-"}  ${a.full_name ?? "?"}  routes to ${a.call_routing_preference ?? "?"}${a.ai === true ? "  (AI)" : ""}`)
  }

  // 2. route the first human agent to the cellphone
  const human = agents.find((a) => a.ai !== true && a.conversation_pbx_agent_uuid !== undefined)
  if (human?.conversation_pbx_agent_uuid !== undefined && (yield* mayWrite("changing a PBX agent's routing"))) {
    const updated = (yield* uc.updatePbxAgent(human.conversation_pbx_agent_uuid, {
      ...human,
      call_routing_preference: "cellphone",
      cellphone: "+15555550199"
    })).agent
    yield* Console.log(`2. ${updated?.full_name ?? "?"} now routes to ${updated?.call_routing_preference ?? "?"}`)
    yield* ensure(updated?.call_routing_preference === "cellphone", "the update should show")
  }

  // 3. one page of the call log, by hand
  const page = yield* uc.searchPbxCalls({}, { limit: 25, offset: 0 })
  const resultSet = page.metadata?.result_set
  yield* Console.log(`3. calls 1-${page.calls?.length ?? 0} of ${resultSet?.total_records ?? "?"}; more: ${String(resultSet?.more)}`)

  // 4. every call of the Sales queue, page after page, lazily
  const queues = (yield* uc.getPbxQueues()).queues ?? []
  const sales = queues.find((q) => q.name === "Sales")?.conversation_pbx_queue_uuid
  const calls = Chunk.toReadonlyArray(
    yield* Stream.runCollect(uc.streamPbxCalls(sales === undefined ? {} : { queue_uuids: [sales] }, { pageSize: 25 }))
  )
  const byDisposition = new Map<string, number>()
  for (const call of calls) byDisposition.set(call.disposition ?? "?", (byDisposition.get(call.disposition ?? "?") ?? 0) + 1)
  yield* Console.log(`4. ${calls.length} Sales calls: ${[...byDisposition].map(([d, n]) => `${n} ${d}`).join(", ")}`)
  yield* ensure(calls.length > 25, "the stream should page past the first page")
})

runExample(program)
