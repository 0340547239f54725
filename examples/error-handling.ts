/**
 * Typed errors: every failure is a tagged error, so `Effect.catchTags` turns each kind into the right
 * reaction (fix the input, re-authenticate, back off, report an outage...). Against the MockServer each
 * scenario injects the fault that causes it; against UltraCart only the scenarios that need no fault run
 * (an invalid argument and an unknown conversation).
 *
 * Run: npx tsx examples/error-handling.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Duration, Effect, Option } from "effect"
import { type ConversationError, ConversationService, type ConversationServiceShape, RetryPolicy } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { Fault } from "../src/testing/index.js" // in your code: "effect-ultracart-conversation/testing"
import { ensure, ExampleEnvironment, runExample, whenMock } from "./support/environment.js"

/** What the application does about each kind of failure. */
const react = (call: Effect.Effect<unknown, ConversationError>) =>
  call.pipe(
    Effect.as({ tag: "ok", advice: "it worked" }),
    Effect.catchTags({
      InvalidInputError: (e) => Effect.succeed({ tag: e._tag, advice: `fix the call: ${e.argument} ${e.reason}` }),
      NotFoundError: () => Effect.succeed({ tag: "NotFoundError", advice: "the conversation is gone: refresh the inbox" }),
      UnauthorizedError: () => Effect.succeed({ tag: "UnauthorizedError", advice: "the key or token is wrong or expired: sign in again" }),
      ForbiddenError: () => Effect.succeed({ tag: "ForbiddenError", advice: "the key lacks the conversation scope: ask an admin" }),
      ApplicationDisabledError: () => Effect.succeed({ tag: "ApplicationDisabledError", advice: "UltraCart disabled this application" }),
      RateLimitError: (e) =>
        Effect.succeed({
          tag: e._tag,
          advice: `rate limited: try again in ${e.retryAfter === undefined ? "a while" : Duration.format(e.retryAfter)}`
        }),
      ServerError: (e) => Effect.succeed({ tag: e._tag, advice: `UltraCart is failing (HTTP ${e.status}), retries exhausted: try later` }),
      TransportError: (e) => Effect.succeed({ tag: e._tag, advice: `network trouble (${e.reason}), retries exhausted` }),
      TimeoutError: (e) => Effect.succeed({ tag: e._tag, advice: `no answer within ${Duration.format(e.timeout)} per attempt` }),
      DecodeError: (e) => Effect.succeed({ tag: e._tag, advice: `UltraCart answered ${e.status} with a body we cannot read: report it` })
    }),
    // the tags not handled above (BadRequestError, UnexpectedStatusError) still have a message
    Effect.catchAll((e) => Effect.succeed({ tag: e._tag, advice: e.message }))
  )

interface Scenario {
  readonly name: string
  /** The fault that causes it against the MockServer; `undefined` when none is needed. */
  readonly fault?: Fault.Fault
  readonly call: (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>
  readonly expected: string
}

const list = (service: ConversationServiceShape) => service.getConversations({ limit: 1 })

const scenarios: ReadonlyArray<Scenario> = [
  { name: "an extension with a dot", call: (s) => s.getConversationMultimediaUploadUrl("tar.gz"), expected: "InvalidInputError" },
  { name: "an unknown conversation", call: (s) => s.getConversation("00000000-0000-4000-8000-000000000000"), expected: "NotFoundError" },
  { name: "a revoked key (401)", fault: Fault.status(401), call: list, expected: "UnauthorizedError" },
  { name: "a missing scope (403)", fault: Fault.status(403), call: list, expected: "ForbiddenError" },
  { name: "a disabled application (410)", fault: Fault.status(410), call: list, expected: "ApplicationDisabledError" },
  { name: "a 429 asking to wait 2 minutes", fault: Fault.rateLimited(120), call: list, expected: "RateLimitError" },
  { name: "an outage (503 every time)", fault: Fault.status(503), call: list, expected: "ServerError" },
  { name: "connections dropped every time", fault: Fault.dropBeforeProcessing, call: list, expected: "TransportError" },
  { name: "a server too slow every time", fault: Fault.delay("3 seconds"), call: list, expected: "TimeoutError" },
  { name: "an HTML error page with status 200", fault: Fault.notJson, call: list, expected: "DecodeError" }
]

const program = Effect.gen(function*() {
  const service = yield* ConversationService
  const environment = yield* ExampleEnvironment
  for (const scenario of scenarios) {
    if (scenario.fault !== undefined && Option.isNone(environment.mock)) continue
    const fault = scenario.fault
    if (fault !== undefined) yield* whenMock((server) => server.injectFault(fault, { times: Infinity }))
    yield* whenMock((server) => server.clearRequests)
    const outcome = yield* react(scenario.call(service))
    const sent = yield* whenMock((server) => server.requests)
    yield* whenMock((server) => server.clearFaults)
    const attempts = Option.match(sent, { onNone: () => "", onSome: (requests) => ` [${requests.length} request(s)]` })
    yield* Console.log(`${scenario.name.padEnd(36)} → ${outcome.tag.padEnd(24)} ${outcome.advice}${attempts}`)
    yield* ensure(outcome.tag === scenario.expected, `${scenario.name}: expected ${scenario.expected}, got ${outcome.tag}`)
  }
})

runExample(program, {
  // two retries with short delays, and a short timeout, so the failing scenarios end quickly
  retry: RetryPolicy.make({ maxRetries: 2, baseDelay: "50 millis", maxDelay: "200 millis" }),
  timeout: "500 millis"
})
