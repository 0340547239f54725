/**
 * Paging with `streamConversations`: pages are fetched lazily, one at a time, so `Stream.take(10)` costs
 * one request; `Stream.runCollect` gathers everything; `Stream.chunks` shows one chunk per page. Against
 * the MockServer the store is seeded with 450 conversations.
 *
 * Run: npx tsx examples/paging.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Chunk, Console, Effect, Option, Stream } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { seedConversations } from "../src/testing/index.js" // in your code: "effect-ultracart-conversation/testing"
import { ensure, runExample, whenMock } from "./support/environment.js"

/** Against UltraCart, stop after this many conversations. */
const cap = 1_000
const noPages: ReadonlyArray<number> = []

const requestsSoFar = whenMock((server) => Effect.map(server.requests, (requests) => requests.length))
const showRequests = (count: Option.Option<number>) =>
  Option.match(count, { onNone: () => "", onSome: (n) => ` (the server has seen ${n} request(s) so far)` })

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService

  // the first 10: one page of 50 is fetched, not all of them
  const first = yield* conversations.streamConversations({ pageSize: 50 }).pipe(Stream.take(10), Stream.runCollect)
  const afterTake = yield* requestsSoFar
  yield* Console.log(`Stream.take(10): ${Chunk.size(first)} conversations${showRequests(afterTake)}`)
  for (const c of Chunk.toReadonlyArray(first).slice(0, 3)) {
    yield* Console.log(`  ${c.conversation_uuid ?? "?"}  ${c.last_conversation_message_body ?? ""}`)
  }
  yield* Console.log("  …")

  // every conversation, in pages of 200: each page arrives as one chunk
  const pages = yield* conversations.streamConversations({ pageSize: 200 }).pipe(
    Stream.take(cap),
    Stream.chunks,
    Stream.runFold(noPages, (sizes, chunk) => [...sizes, Chunk.size(chunk)])
  )
  const total = pages.reduce((sum, size) => sum + size, 0)
  yield* Console.log(`All of them: ${total} conversations in ${pages.length} page(s) of ${pages.join(" + ")}`)

  // a filter applies to every page
  const sms = yield* conversations.streamConversations({ pageSize: 100, medium: "sms" }).pipe(Stream.take(cap), Stream.runCollect)
  yield* Console.log(`SMS only: ${Chunk.size(sms)} conversations`)

  yield* whenMock(() =>
    Effect.all([
      ensure(Option.getOrElse(afterTake, () => 0) === 1, "Stream.take(10) should cost one request"),
      ensure(total === 450 && pages.length === 3, "expected 450 conversations in 3 pages"),
      ensure(Chunk.size(sms) === 225, "expected half of them to be SMS")
    ], { discard: true }))
})

runExample(program, { seed: seedConversations(450) })
