/**
 * The demo: an agent's session through the real client, over a real socket (undici), against the
 * embedded UltraCart-compatible `MockServer`, then the client's resilience under injected faults.
 * Every step prints what was called, the outcome, the attempts the server saw and the time it took,
 * and checks its own claims: the demo exits 1 if any step did not behave as described.
 *
 * Run: npm run demo   (no credentials, no network: everything stays on 127.0.0.1)
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Chunk, Clock, Console, Context, Data, Duration, Effect, Either, Layer, Ref, Stream } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  type ConversationSummary,
  RetryPolicy
} from "../src/index.js"
import { Fault, MockServer, type MockServerShape, type RecordedRequest } from "../src/testing/index.js"

// ---------------------------------------------------------------------------------------------------
// Wiring: the MockServer, an undici transport that notes when each attempt starts, and the client.
// ---------------------------------------------------------------------------------------------------

/** One HTTP attempt as the transport saw it: when it started (ms since the epoch) and what came back. */
interface Attempt {
  readonly startedAt: number
  readonly outcome: string
}

/** The attempts the transport made, so the transcript can show the backoff between them. */
class AttemptLog extends Context.Tag("demo/AttemptLog")<AttemptLog, Ref.Ref<ReadonlyArray<Attempt>>>() {}

/** `NodeHttpClient.layerUndici`, noting each attempt in the `AttemptLog`. */
const timedUndici = Layer.effect(
  HttpClient.HttpClient,
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const log = yield* AttemptLog
    return HttpClient.transform(client, (send) =>
      Effect.gen(function*() {
        const startedAt = yield* Clock.currentTimeMillis
        const result = yield* Effect.either(send)
        const outcome = Either.isRight(result) ? `HTTP ${result.right.status}` : "connection failed"
        yield* Ref.update(log, (attempts) => [...attempts, { startedAt, outcome }])
        return yield* result
      }))
  })
).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Small delays so the demo stays fast; the shape is the default policy's. */
const demoPolicy = RetryPolicy.make({ maxRetries: 4, baseDelay: "100 millis", maxDelay: "1 second" })

const DemoLive = MockServer.layerClient({ retry: demoPolicy, timeout: "3 seconds" }).pipe(
  Layer.provideMerge(MockServer.layer()),
  Layer.provide(timedUndici),
  Layer.provideMerge(Layer.effect(AttemptLog, Ref.make<ReadonlyArray<Attempt>>([])))
)

// ---------------------------------------------------------------------------------------------------
// The transcript: steps, facts, and checks that make the demo fail when a claim is false.
// ---------------------------------------------------------------------------------------------------

/** A claim of the demo that turned out false. */
class DemoFailed extends Data.TaggedError("DemoFailed")<{ readonly failed: ReadonlyArray<string> }> {
  override get message(): string {
    return `the demo did not behave as described: ${this.failed.join("; ")}`
  }
}

interface Observed<A> {
  readonly result: Either.Either<A, ConversationError>
  readonly elapsed: Duration.Duration
  /** What the server received during the call, oldest first. */
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly attempts: ReadonlyArray<Attempt>
  readonly startedAt: number
}

const ms = (duration: Duration.Duration) => `${Math.round(Duration.toMillis(duration))} ms`
const shorten = (text: string | undefined, width: number) =>
  text === undefined ? "" : text.length <= width ? text : `${text.slice(0, width - 1)}…`
const outcomeOf = <A>(result: Either.Either<A, ConversationError>) =>
  Either.isRight(result) ? "success" : `${result.left._tag}: ${result.left.message}`
const faultOf = (request: RecordedRequest | undefined) =>
  request?.fault === undefined ? "" : ` (injected: ${Fault.describe(request.fault)})`

/** Lays out rows under a header, each column as wide as its widest cell. */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)))
  const render = (cells: ReadonlyArray<string>) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [render(header), render(widths.map((w) => "─".repeat(w))), ...rows.map(render)]
}

const makeTranscript = (server: MockServerShape, attemptLog: Ref.Ref<ReadonlyArray<Attempt>>) =>
  Effect.gen(function*() {
    const failed = yield* Ref.make<ReadonlyArray<string>>([])
    const passed = yield* Ref.make(0)
    const stepNumber = yield* Ref.make(0)

    const step = (title: string) =>
      Effect.flatMap(Ref.updateAndGet(stepNumber, (n) => n + 1), (n) => Console.log(`\n${n}. ${title}`))
    const say = (label: string, text: string) => Console.log(`   ${`${label}:`.padEnd(11)}${text}`)
    const lines = (texts: ReadonlyArray<string>) => Effect.forEach(texts, (text) => Console.log(`      ${text}`), { discard: true })
    const check = (claim: string, holds: boolean) =>
      holds
        ? Effect.zipRight(Ref.update(passed, (n) => n + 1), Console.log(`   ✓ ${claim}`))
        : Effect.zipRight(Ref.update(failed, (all) => [...all, claim]), Console.log(`   ✗ ${claim}`))

    /** Runs one call with a fresh request record and attempt log, and prints the call, outcome and time. */
    const observe = <A>(call: string, effect: Effect.Effect<A, ConversationError>) =>
      Effect.gen(function*() {
        yield* server.clearRequests
        yield* Ref.set(attemptLog, [])
        const startedAt = yield* Clock.currentTimeMillis
        const [elapsed, result] = yield* Effect.timed(Effect.either(effect))
        const observed: Observed<A> = {
          result,
          elapsed,
          requests: yield* server.requests,
          attempts: yield* Ref.get(attemptLog),
          startedAt
        }
        yield* say("call", call)
        yield* say("outcome", outcomeOf(result))
        yield* say("attempts", `${observed.requests.length} seen by the server, in ${ms(elapsed)}`)
        return observed
      })

    /** One line per attempt: when it started relative to the call, and what it got. */
    const attemptLines = (observed: Observed<unknown>) =>
      lines(observed.attempts.map((attempt, i) =>
        `#${i + 1} at +${String(attempt.startedAt - observed.startedAt).padStart(4)} ms → ${attempt.outcome}${
          faultOf(observed.requests[i])
        }`))

    const finish = Effect.gen(function*() {
      const failures = yield* Ref.get(failed)
      const successes = yield* Ref.get(passed)
      if (failures.length > 0) {
        yield* Console.log(`\n✗ ${failures.length} of ${failures.length + successes} checks failed`)
        return yield* new DemoFailed({ failed: failures })
      }
      yield* Console.log(`\n✓ all ${successes} checks passed`)
    })

    return { step, say, lines, check, observe, attemptLines, finish }
  })

// ---------------------------------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------------------------------

const program = Effect.gen(function*() {
  const demoStart = yield* Clock.currentTimeMillis
  const server = yield* MockServer
  const service: ConversationServiceShape = yield* ConversationService
  const t = yield* makeTranscript(server, yield* AttemptLog)
  const agentArn = server.store.agent.arn

  yield* Console.log("effect-ultracart-conversation demo")
  yield* Console.log(`MockServer: ${server.baseUrl} (default seed, ${yield* server.store.size} conversations)`)
  yield* Console.log("Client:     ConversationService over NodeHttpClient.layerUndici (a real socket)")
  yield* Console.log("Retries:    up to 4, backoff from 100 ms doubling (±20% jitter), capped at 1 s; 3 s per attempt")

  yield* Console.log("\n── Part 1: an agent's session ──")

  yield* t.step("Authorize the agent for the conversation websocket")
  const auth = yield* t.observe("getAgentWebsocketAuthorization()", service.getAgentWebsocketAuthorization())
  const agentAuth = Either.isRight(auth.result) ? auth.result.right.agent_auth : undefined
  const jwt = agentAuth?.jwt ?? ""
  yield* t.say("agent", `${agentAuth?.conversation_participant_name ?? "?"} (${agentAuth?.merchant_id ?? "?"})`)
  yield* t.say("websocket", agentAuth?.websocket_url ?? "?")
  yield* t.say("jwt", `${jwt.slice(0, 12)}… (${jwt.length} characters, not shown)`)
  yield* t.check("a wss:// URL and a JWT came back", (agentAuth?.websocket_url ?? "").startsWith("wss://") && jwt.length > 12)
  yield* t.check(
    "the server saw one PUT /conversation/agent/auth",
    auth.requests.length === 1 && auth.requests[0]?.method === "PUT" &&
      auth.requests[0].path.endsWith("/conversation/agent/auth")
  )

  yield* t.step("Stream the open conversations (pages of 2, fetched lazily)")
  const open = yield* t.observe(
    "streamConversations({ pageSize: 2 }) |> Stream.filter(not closed) |> Stream.runCollect",
    service.streamConversations({ pageSize: 2 }).pipe(
      Stream.filter((c) => c.closed !== true),
      Stream.runCollect,
      Effect.map((chunk): ReadonlyArray<ConversationSummary> => Chunk.toReadonlyArray(chunk))
    )
  )
  const conversations = Either.getOrElse(open.result, (): ReadonlyArray<ConversationSummary> => [])
  yield* t.say("pages", open.requests.map((r) => `_offset=${r.query["_offset"] ?? "?"}`).join(", "))
  yield* t.lines(table(
    ["uuid", "medium", "unread", "last message at", "last message"],
    conversations.map((c) => [
      shorten(c.conversation_uuid, 9),
      c.medium ?? "",
      c.unread_messages === true ? "yes" : "no",
      (c.last_message_dts ?? "").slice(0, 16).replace("T", " "),
      shorten(c.last_conversation_message_body, 42)
    ])
  ))
  yield* t.check("4 open conversations (the 5th is closed)", conversations.length === 4)
  yield* t.check("5 conversations in pages of 2 took 3 requests", open.requests.length === 3)

  const target = conversations.find((c) =>
    c.unread_messages === true && !(c.participants ?? []).some((p) => p.conversation_participant_arn === agentArn)
  )
  const uuid = target?.conversation_uuid ?? "no-open-conversation"

  yield* t.step("Join the first unread conversation no agent has joined")
  const join = yield* t.observe(
    `joinConversation("${shorten(uuid, 9)}", { participant_language_iso_code: "en" })`,
    service.joinConversation(uuid, { participant_language_iso_code: "en" })
  )
  const afterJoin = yield* Effect.either(server.store.get(uuid))
  const myStatus = (result: typeof afterJoin) =>
    Either.isRight(result)
      ? result.right.participants?.find((p) => p.conversation_participant_arn === agentArn)?.status
      : undefined
  yield* t.check("the join succeeded", Either.isRight(join.result))
  yield* t.check("the store lists the agent as joined", myStatus(afterJoin) === "joined")

  yield* t.step("Read its messages")
  const read = yield* t.observe(`getConversation("${shorten(uuid, 9)}", { limit: 10 })`, service.getConversation(uuid, { limit: 10 }))
  const messages = Either.isRight(read.result) ? read.result.right.conversation?.messages ?? [] : []
  yield* t.lines(messages.slice(0, 5).map((m) =>
    `[${(m.message_dts ?? "").slice(11, 19)}] ${(m.type ?? "").padEnd(7)} ${m.author_conversation_participant_name ?? "?"}: ${
      shorten(m.body, 60)
    }`
  ))
  yield* t.check("the customer's question is there", messages.some((m) => m.type === "message"))
  yield* t.check("the server got the query limit=10", read.requests[0]?.query["limit"] === "10")

  yield* t.step("Get a URL to upload an attachment to")
  const upload = yield* t.observe(`getConversationMultimediaUploadUrl("png")`, service.getConversationMultimediaUploadUrl("png"))
  const key = Either.isRight(upload.result) ? upload.result.right.conversation_multimedia_upload_url?.key ?? "" : ""
  yield* t.say("key", key)
  yield* t.check("a .png key came back", key.endsWith(".png"))

  yield* t.step("Leave the conversation")
  const leave = yield* t.observe(`leaveConversation("${shorten(uuid, 9)}")`, service.leaveConversation(uuid))
  yield* t.check("the leave succeeded", Either.isRight(leave.result))
  yield* t.check("the store lists the agent as left", myStatus(yield* Effect.either(server.store.get(uuid))) === "left")

  yield* Console.log("\n── Part 2: resilience, with faults injected into the MockServer ──")

  yield* t.step("A burst of three 503s on getConversations: retried with exponential backoff")
  yield* server.injectFault(Fault.status(503), { times: 3, operation: "getConversations" })
  const burst = yield* t.observe("getConversations({ limit: 5 })", service.getConversations({ limit: 5 }))
  yield* t.attemptLines(burst)
  const minBackoff = 0.8 * (100 + 200 + 400)
  yield* t.check("succeeded at the 4th attempt", Either.isRight(burst.result) && burst.requests.length === 4)
  yield* t.check("the first three attempts got the injected 503", burst.requests.slice(0, 3).every((r) => r.fault !== undefined))
  yield* t.check(
    `waited at least ${minBackoff} ms in total (≈100 + 200 + 400 ms of backoff)`,
    Duration.toMillis(burst.elapsed) >= minBackoff
  )

  yield* t.step("A 429 with Retry-After: 1 on getConversation: the client waits the second the server asked for")
  yield* server.injectFault(Fault.rateLimited(1), { operation: "getConversation" })
  const limited = yield* t.observe(`getConversation("${shorten(uuid, 9)}")`, service.getConversation(uuid))
  yield* t.attemptLines(limited)
  const [first, second] = limited.attempts
  const wait = first !== undefined && second !== undefined ? second.startedAt - first.startedAt : 0
  yield* t.say("waited", `${wait} ms between the attempts (the computed backoff was ≈100 ms)`)
  yield* t.check("succeeded at the 2nd attempt", Either.isRight(limited.result) && limited.requests.length === 2)
  yield* t.check("Retry-After was honoured: ≈1 s between the attempts", wait >= 950 && wait < 2_500)

  yield* t.step("A startConversation whose connection drops after the server processed it")
  yield* server.injectFault(Fault.dropAfterProcessing, { operation: "startConversation" })
  const before = (yield* server.store.started).length
  const request = {
    add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:sms-15555550199"],
    conversation_webchat_queue_uuid: "demo-queue"
  }
  const started = yield* t.observe("startConversation({ add_conversation_participant_arns: [...] })", service.startConversation(request))
  const created = (yield* server.store.started).slice(before)
  yield* t.attemptLines(started)
  yield* t.check(
    "the client returned a TransportError instead of re-sending",
    Either.isLeft(started.result) && started.result.left._tag === "TransportError"
  )
  yield* t.check("the server saw exactly 1 request", started.requests.length === 1)
  yield* t.check("the store holds exactly 1 new conversation (no duplicate)", created.length === 1)
  const lookup = yield* t.observe("getConversations({ limit: 1 }) to find it instead of starting another", service.getConversations({ limit: 1 }))
  const newest = Either.isRight(lookup.result) ? lookup.result.right.conversations?.[0]?.conversation_uuid : undefined
  yield* t.say("found", `${newest ?? "nothing"}, the conversation the lost answer would have named`)
  yield* t.check("the newest conversation is the one the dropped call created", newest !== undefined && newest === created[0]?.conversation_uuid)

  yield* t.step("Typed recovery with Effect.catchTags")
  const conversationOrFallback = (id: string) =>
    service.getConversation(id).pipe(
      Effect.map((response) => `found ${response.conversation?.conversation_uuid ?? "?"}`),
      Effect.catchTags({
        NotFoundError: (error) =>
          Effect.succeed(`fallback after NotFoundError: no such conversation (HTTP ${error.status}), showing the inbox instead`),
        InvalidInputError: (error) =>
          Effect.succeed(`fallback after InvalidInputError: ${error.reason}; nothing was sent`)
      })
    )
  const unknownUuid = "00000000-0000-4000-8000-000000000000"
  const missing = yield* t.observe(`getConversation("${unknownUuid}") |> catchTags`, conversationOrFallback(unknownUuid))
  yield* t.say("value", Either.getOrElse(missing.result, () => "(no value)"))
  yield* t.check(
    "NotFoundError became the fallback after 1 request (404 is not retried)",
    Either.getOrElse(missing.result, () => "").startsWith("fallback after NotFoundError") && missing.requests.length === 1
  )
  const invalid = yield* t.observe(`getConversation("..") |> catchTags`, conversationOrFallback(".."))
  yield* t.say("value", Either.getOrElse(invalid.result, () => "(no value)"))
  yield* t.check(
    "InvalidInputError became the fallback with no request sent",
    Either.getOrElse(invalid.result, () => "").startsWith("fallback after InvalidInputError") && invalid.requests.length === 0
  )

  yield* Console.log("\n── Part 3: the rest of the contact centre (145 operations, all answered by the MockServer) ──")

  yield* t.step("Canned messages: add one, then find it by the short code the agent types")
  const added = yield* t.observe(
    `insertConversationCannedMessage({ short_code: "ship", ... })`,
    service.insertConversationCannedMessage({ short_code: "ship", canned_message: "Your order ships today!" })
  )
  const oid = Either.isRight(added.result) ? added.result.right.conversation_canned_message?.conversation_canned_message_oid : undefined
  const search = yield* t.observe(`searchConversationCannedMessages({ short_code: "sh" })`, service.searchConversationCannedMessages({ short_code: "sh" }))
  const codes = Either.isRight(search.result) ? (search.result.right.conversation_canned_messages ?? []).map((m) => `/${m.short_code ?? "?"}`) : []
  yield* t.say("matches", codes.join(", "))
  yield* t.check("the store gave the new message an integer oid", typeof oid === "number" && Number.isInteger(oid))
  yield* t.check("the search finds /ship and /shipping", codes.includes("/ship") && codes.includes("/shipping"))

  yield* t.step("Webchat queues: the agent becomes available in Support")
  const statusUpdate = yield* t.observe(
    `updateConversationWebchatQueueStatus("Support", { agent_status: "available" })`,
    service.updateConversationWebchatQueueStatus("Support", { agent_status: "available" })
  )
  const queues = yield* t.observe("getConversationWebchatQueueStatuses()", service.getConversationWebchatQueueStatuses())
  const support = Either.isRight(queues.result) ? queues.result.right.queue_statuses?.find((q) => q.queue_name === "Support") : undefined
  const me = support?.agents?.find((a) => a.conversation_participant_arn === agentArn)
  yield* t.say("Support", `${support?.customer_waiting_count ?? 0} waiting; ${me?.conversation_participant_name ?? "?"} is ${me?.agent_status ?? "?"}`)
  yield* t.check("the update succeeded and a later read shows it", Either.isRight(statusUpdate.result) && me?.agent_status === "available")

  yield* t.step("PBX: the agents, and every Sales call paged lazily (pages of 20)")
  const pbxAgents = yield* t.observe("getPbxAgents()", service.getPbxAgents())
  const names = Either.isRight(pbxAgents.result) ? (pbxAgents.result.right.agents ?? []).map((a) => `${a.extension ?? "-"} ${a.full_name ?? "?"}`) : []
  yield* t.say("agents", names.join(", "))
  const salesQueue = yield* Effect.either(server.store.resources.list("pbx/queue"))
  const salesUuid = Either.isRight(salesQueue) ? salesQueue.right.find((q) => q["name"] === "Sales")?.["conversation_pbx_queue_uuid"] : undefined
  const calls = yield* t.observe(
    "streamPbxCalls({ queue_uuids: [sales] }, { pageSize: 20 }) |> Stream.runCollect",
    service.streamPbxCalls({ queue_uuids: typeof salesUuid === "string" ? [salesUuid] : [] }, { pageSize: 20 }).pipe(
      Stream.runCollect,
      Effect.map(Chunk.size)
    )
  )
  yield* t.say("pages", calls.requests.map((r) => `_offset=${r.query["_offset"] ?? "?"}`).join(", "))
  yield* t.check("3 PBX agents listed", names.length === 3)
  yield* t.check("60 Sales calls in 3 pages of 20 (the last says more: false)", Either.getOrElse(calls.result, () => 0) === 60 && calls.requests.length === 3)

  const total = (yield* Clock.currentTimeMillis) - demoStart
  yield* Console.log(`\nDemo finished in ${total} ms; the server and the client's connections are closed on exit.`)
  yield* t.finish
})

NodeRuntime.runMain(program.pipe(Effect.provide(DemoLive)))
