import { describe, expect, it } from "@effect/vitest"
import { Headers } from "@effect/platform"
import { Cause, Effect, Exit, FiberRef, Redacted, Stream } from "effect"
import { inspect } from "node:util"
import { ConversationService, type ConversationServiceShape } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import type { ConversationError } from "../src/Errors.js"
import { makeMemoryLogger, makeMemoryTracer, withMemoryLogger } from "./support/observe.js"
import {
  brokenBody,
  failureOf,
  json,
  makeScriptedClient,
  never,
  outcomeTag,
  refused,
  reset,
  respond,
  run,
  serviceLayer,
  type Step,
  ucError
} from "./support/scriptedClient.js"

const sentinelKey = "SENTINEL-KEY-7f3a"
const sentinelToken = "SENTINEL-TOKEN-c91e"

const credentialKinds = [
  {
    kind: "simple key",
    credentials: Credentials.simpleKey(sentinelKey),
    secret: sentinelKey,
    header: "x-ultracart-simple-key"
  },
  {
    kind: "bearer token",
    credentials: Credentials.bearer(Redacted.make(sentinelToken)),
    secret: sentinelToken,
    header: "authorization"
  }
] as const

type Call = (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>

interface Scenario {
  readonly name: string
  readonly expected: string
  readonly script: ReadonlyArray<Step>
  readonly call: Call
  /** Whether a request reaches the HTTP client (false for refused input). */
  readonly sends: boolean
}

const get: Call = (service) => service.getConversation("c-1")

const scenario = (name: string, expected: string, script: ReadonlyArray<Step>, call: Call = get): Scenario => ({
  name,
  expected,
  script,
  call,
  sends: expected !== "InvalidInputError"
})

const scenarios: ReadonlyArray<Scenario> = [
  scenario("InvalidInputError (getConversation \"..\")", "InvalidInputError", [], (service) => service.getConversation("..")),
  scenario("BadRequestError (400)", "BadRequestError", [ucError(400)]),
  scenario("UnauthorizedError (401)", "UnauthorizedError", [ucError(401)]),
  scenario("ForbiddenError (403)", "ForbiddenError", [ucError(403)]),
  scenario("NotFoundError (404)", "NotFoundError", [ucError(404)]),
  scenario("ApplicationDisabledError (410)", "ApplicationDisabledError", [ucError(410)]),
  scenario("RateLimitError (429, Retry-After past the limit)", "RateLimitError", [
    ucError(429, undefined, { "retry-after": "600" })
  ]),
  scenario("ServerError (5xx, retried 4 times)", "ServerError", [
    ucError(500),
    ucError(502),
    ucError(503),
    ucError(504),
    ucError(500)
  ]),
  scenario("UnexpectedStatusError (418)", "UnexpectedStatusError", [ucError(418)]),
  scenario("TransportError (refused, reset, broken body)", "TransportError", [
    refused(),
    refused({ nested: true }),
    reset,
    brokenBody(),
    reset
  ]),
  scenario("TimeoutError (startConversation)", "TimeoutError", [never], (service) =>
    service.startConversation({ conversation_arn: "a" })),
  scenario("DecodeError (200 not JSON)", "DecodeError", [respond(200, "<html>")]),
  scenario("ServerError (startConversation 503, not retried)", "ServerError", [ucError(503)], (service) =>
    service.startConversation({ conversation_webchat_queue_uuid: "q" })),
  scenario("TransportError (a stream page)", "TransportError", [refused(), reset, reset, reset, reset], (service) =>
    Stream.runDrain(service.streamConversations({ pageSize: 10 }))),
  scenario("a successful call", "Success", [json(200, { conversation: { conversation_uuid: "c-1" } })])
]

/** Runs one scenario with one kind of credential and checks every place the secret could show. */
const checkScenario = (scenario: Scenario, credentialKind: (typeof credentialKinds)[number]) =>
  Effect.gen(function*() {
    const { credentials, header, kind, secret } = credentialKind
    const memoryTracer = makeMemoryTracer()
    const memoryLogger = makeMemoryLogger()
    const { exit, requests } = yield* Effect.gen(function*() {
      const outcome = yield* run(scenario.script, scenario.call, { client: { credentials }, advance: "30 minutes" })
      // What an application typically does with a failure: log it, with its cause.
      if (Exit.isFailure(outcome.exit)) {
        yield* Effect.logError("the call failed", outcome.exit.cause)
        yield* Effect.logDebug(failureOf(outcome.exit))
        yield* Effect.annotateLogs(Effect.logWarning("annotated"), { error: failureOf(outcome.exit) })
      }
      return outcome
    }).pipe(Effect.withTracer(memoryTracer.tracer), withMemoryLogger(memoryLogger))

    expect(outcomeTag(exit), kind).toBe(scenario.expected)
    // The secret did reach the wire, so its absence below means something.
    if (scenario.sends) {
      expect(requests.length, kind).toBeGreaterThan(0)
      expect(requests[0]?.headers[header], kind).toContain(secret)
    } else {
      expect(requests, kind).toHaveLength(0)
    }

    const error = failureOf(exit)
    const places: Record<string, string> = {
      "Cause.pretty": Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "",
      "inspect(exit)": inspect(exit, { depth: 10 }),
      logs: memoryLogger.lines.join("\n"),
      spans: memoryTracer.spans.map((span) => span.dump()).join("\n")
    }
    if (error !== undefined) {
      places["error.message"] = error.message
      places["String(error)"] = String(error)
      places["JSON.stringify(error)"] = JSON.stringify(error)
      places["inspect(error)"] = inspect(error, { depth: 10 })
      places["error.toJSON()"] = JSON.stringify(error.toJSON())
    }
    for (const [place, text] of Object.entries(places)) {
      expect(text.includes(secret), `with a ${kind}, the secret appears in ${place}`).toBe(false)
    }
    // The logs and spans were recorded, so their checks above were not vacuous.
    if (Exit.isFailure(exit)) expect(places["logs"], kind).toContain(scenario.expected)
    expect(memoryTracer.spans.length, kind).toBeGreaterThan(0)

    // The platform's own http.client span carries the headers, with the credential redacted.
    const httpSpans = memoryTracer.spans.filter((span) => span.name.startsWith("http.client"))
    expect(httpSpans.length, kind).toBe(scenario.sends ? requests.length : 0)
    for (const span of httpSpans) {
      expect(span.attributes.get(`http.request.header.${header}`), kind).toBe("<redacted>")
      expect(span.attributes.get("http.request.header.x-ultracart-api-version"), kind).toBe("2017-03-01")
    }
  })

describe("a secret appears nowhere an error, a log or a span can show it (simple key and bearer token)", () => {
  for (const scenario of scenarios) {
    it.effect(scenario.name, () =>
      Effect.gen(function*() {
        for (const credentialKind of credentialKinds) yield* checkScenario(scenario, credentialKind)
      }))
  }
})

describe("Credentials themselves never print the secret", () => {
  const cases = [
    ["simpleKey(string)", Credentials.simpleKey(sentinelKey), sentinelKey],
    ["simpleKey(Redacted)", Credentials.simpleKey(Redacted.make(sentinelKey)), sentinelKey],
    ["bearer(string)", Credentials.bearer(sentinelToken), sentinelToken],
    ["bearer(Redacted)", Credentials.bearer(Redacted.make(sentinelToken)), sentinelToken]
  ] as const
  it("simpleKey and bearer, from a string or a Redacted: String, JSON and inspect show no secret", () => {
    for (const [name, credentials, secret] of cases) {
      const texts = [
        String(credentials),
        JSON.stringify(credentials),
        inspect(credentials, { depth: 10 }),
        inspect({ options: { credentials } }, { depth: 10 }),
        JSON.stringify({ credentials })
      ]
      for (const text of texts) expect(text, name).not.toContain(secret)
      // ...while the secret is still there to be sent.
      const held = credentials._tag === "SimpleKey" ? credentials.key : credentials.token
      expect(Redacted.value(held), name).toBe(secret)
    }
  })

  it.effect("the built service prints no secret either", () =>
    Effect.gen(function*() {
      const { exit } = yield* run([], (service) => Effect.succeed(inspect(service, { depth: 10 })), {
        client: { credentials: Credentials.simpleKey(sentinelKey) }
      })
      if (!Exit.isSuccess(exit)) throw new Error("the service was not built")
      expect(exit.value).not.toContain(sentinelKey)
    }))
})

describe("the redacted header names", () => {
  it.effect("the layer adds the credential headers for the fibers it is provided to", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([])
      const names = yield* FiberRef.get(Headers.currentRedactedNames).pipe(
        Effect.provide(serviceLayer(scripted.client))
      )
      expect(names).toEqual(expect.arrayContaining(["authorization", "x-ultracart-simple-key"]))
    }))

  it.effect("a call made where they were reset still redacts the credential in the http.client span", () =>
    Effect.gen(function*() {
      const memoryTracer = makeMemoryTracer()
      const scripted = yield* makeScriptedClient([json(200, { conversation: { conversation_uuid: "c-1" } })])
      yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.locally(Headers.currentRedactedNames, []),
        Effect.provide(serviceLayer(scripted.client, { credentials: Credentials.simpleKey(sentinelKey) })),
        Effect.withTracer(memoryTracer.tracer)
      )
      const http = memoryTracer.spans.find((span) => span.name.startsWith("http.client"))
      expect(http?.attributes.get("http.request.header.x-ultracart-simple-key")).toBe("<redacted>")
      expect(memoryTracer.spans.map((span) => span.dump()).join("\n")).not.toContain(sentinelKey)
    }))
})
