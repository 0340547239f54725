/**
 * Property tests of hostile input:
 * - any string as a conversation uuid is refused before anything is sent, or reaches the real MockServer
 *   (over a socket, `NodeHttpClient.layerUndici`) as exactly one path segment that decodes back to it;
 * - every model (the 23 Schemas of src/Models.ts and the 4 open enums) encodes and decodes back to itself;
 * - any body (JSON, stringified values, random bytes, random text) with any status, as the answer to any
 *   operation, gives a success or a typed error, never a defect.
 * The numbers of runs are printed at the end.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, describe, expect, it, layer } from "@effect/vitest"
import { Arbitrary, Effect, Exit, FastCheck as fc, Layer, Schema } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  RetryPolicy
} from "../../src/index.js"
import * as Models from "../../src/Models.js"
import { basePath, MockServer } from "../../src/testing/index.js"
import { serviceLayer } from "../support/scriptedClient.js"
import { classifiedTag, classify, operationCases } from "./support.js"

/** How many times each property ran (printed at the end). */
const runs = new Map<string, number>()
const count = (property: string) => runs.set(property, (runs.get(property) ?? 0) + 1)

afterAll(() => {
  const lines = [...runs].map(([property, n]) => `  ${n.toString().padStart(6)}  ${property}`)
  const total = [...runs.values()].reduce((sum, n) => sum + n, 0)
  console.log(`Property runs (${total} in all):\n${lines.join("\n")}`)
})

// ---------------------------------------------------------------------------------------------------
// Any string as a conversation uuid, over a real socket
// ---------------------------------------------------------------------------------------------------

/** Whether a string is well-formed UTF-16 (no lone surrogate): it survives a UTF-8 round trip. */
const wellFormed = (text: string): boolean =>
  new TextDecoder("utf-8", { ignoreBOM: true }).decode(new TextEncoder().encode(text)) === text

/** The documented refusals: empty, `.`, `..` (URL normalisation would change the path), and lone surrogates. */
const mustBeRefused = (uuid: string): boolean => uuid === "" || uuid === "." || uuid === ".." || !wellFormed(uuid)

const specialStrings = [
  "",
  ".",
  "..",
  "...",
  "/",
  "a/b",
  "../x",
  "./",
  "%",
  "%2F",
  "%2e",
  "%2e%2e",
  ".%2e",
  "?",
  "a?b=c",
  "#",
  "a#b",
  " ",
  "a b",
  "+",
  "&",
  "=",
  ";",
  "\\",
  "\u0000",
  "\r\n",
  "\t",
  "\uD800",
  "\uDC00",
  "a\uD83D",
  "\uDE00a",
  "\uD83D\uDE00",
  "é",
  "e\u0301",
  "\u202E",
  "\uFEFF",
  "\uFFFF",
  "😀/😀",
  "conversation",
  "join",
  "a".repeat(1000)
]

/** UTF-16 code units one by one, so lone surrogates are common. */
const codeUnitString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) })

const uuidArbitrary = fc.oneof(
  fc.string({ unit: "binary" }),
  // The older name of the same generator, kept because the brief names it.
  fc.fullUnicodeString(),
  codeUnitString,
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(...specialStrings),
  fc.array(fc.constantFrom(...specialStrings.filter((s) => s.length < 10), "a", "0"), { maxLength: 6 }).map((parts) =>
    parts.join("")
  )
)

interface UuidOperation {
  readonly id: "getConversation" | "joinConversation" | "leaveConversation"
  readonly suffix: string
  readonly call: (service: ConversationServiceShape, uuid: string) => Effect.Effect<unknown, ConversationError>
}

const uuidOperations: ReadonlyArray<UuidOperation> = [
  { id: "getConversation", suffix: "", call: (service, uuid) => service.getConversation(uuid) },
  { id: "joinConversation", suffix: "/join", call: (service, uuid) => service.joinConversation(uuid) },
  { id: "leaveConversation", suffix: "/leave", call: (service, uuid) => service.leaveConversation(uuid) }
]

const uuidPrefix = `${basePath}/conversation/conversations/`

const overSocket = MockServer.layerClient({ retry: RetryPolicy.none, timeout: "10 seconds" }).pipe(
  Layer.provideMerge(MockServer.layer({ seed: "empty" })),
  Layer.provide(NodeHttpClient.layerUndici)
)

layer(overSocket, { excludeTestServices: true })("any string as a conversation uuid, over a real socket (undici)", (it) => {
  it.effect.prop(
    "is refused before sending, or arrives as exactly one path segment that decodes back to it",
    [uuidArbitrary],
    ([uuid]) =>
      Effect.gen(function*() {
        count("conversation uuid over a socket (3 operations each)")
        const server = yield* MockServer
        const service = yield* ConversationService
        yield* server.clearRequests
        const exits = yield* Effect.forEach(uuidOperations, (operation) => Effect.exit(operation.call(service, uuid)))
        const requests = yield* server.requests
        const shown = JSON.stringify(uuid)

        if (mustBeRefused(uuid)) {
          for (const exit of exits) expect(classifiedTag(classify(exit)), shown).toBe("InvalidInputError")
          expect(requests, `${shown} was refused yet something was sent`).toHaveLength(0)
          return
        }
        expect(requests, `${shown}: one request per call`).toHaveLength(uuidOperations.length)
        uuidOperations.forEach((operation, i) => {
          const request = requests[i]
          const exit = exits[i]
          if (request === undefined || exit === undefined) return expect.fail(`${shown}: request ${i} is missing`)
          expect(request.operationId, shown).toBe(operation.id)
          expect(request.path.startsWith(uuidPrefix) && request.path.endsWith(operation.suffix), request.path).toBe(true)
          const segment = request.path.slice(uuidPrefix.length, request.path.length - operation.suffix.length)
          expect(segment.length, request.path).toBeGreaterThan(0)
          expect(segment.includes("/"), `${shown} became more than one segment: ${request.path}`).toBe(false)
          expect(decodeURIComponent(segment), request.path).toBe(uuid)
          // The empty store knows no conversation: the server looked this exact uuid up and said 404.
          const outcome = classify(exit)
          expect(classifiedTag(outcome), shown).toBe("NotFoundError")
          if (outcome._tag === "Failure" && outcome.error._tag === "NotFoundError") {
            expect(outcome.error.error?.object_id, shown).toBe(uuid)
          }
        })
      }),
    { fastCheck: { numRuns: 200 } }
  )
})

// ---------------------------------------------------------------------------------------------------
// Every model encodes and decodes back to itself
// ---------------------------------------------------------------------------------------------------

/** The 23 models and 4 open enums of the first release, checked with the most runs (every other model with fewer). */
const models: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
  ["ConversationMedium", Models.ConversationMedium],
  ["ConversationMessageType", Models.ConversationMessageType],
  ["ConversationMessageTransportStatusValue", Models.ConversationMessageTransportStatusValue],
  ["ConversationSentimentValue", Models.ConversationSentimentValue],
  ["ErrorDetail", Models.ErrorDetail],
  ["Warning", Models.Warning],
  ["ResultSet", Models.ResultSet],
  ["ResponseMetadata", Models.ResponseMetadata],
  ["ErrorResponse", Models.ErrorResponse],
  ["ConversationSentiment", Models.ConversationSentiment],
  ["ConversationParticipant", Models.ConversationParticipant],
  ["ConversationMessageTranslation", Models.ConversationMessageTranslation],
  ["ConversationMessageTransportStatus", Models.ConversationMessageTransportStatus],
  ["ConversationMessage", Models.ConversationMessage],
  ["Conversation", Models.Conversation],
  ["ConversationSummary", Models.ConversationSummary],
  ["ConversationAgentAuthMerchant", Models.ConversationAgentAuthMerchant],
  ["ConversationTwilioAccount", Models.ConversationTwilioAccount],
  ["ConversationAgentAuth", Models.ConversationAgentAuth],
  ["ConversationMultimediaUploadUrl", Models.ConversationMultimediaUploadUrl],
  ["ConversationJoinRequest", Models.ConversationJoinRequest],
  ["ConversationStartRequest", Models.ConversationStartRequest],
  ["ConversationAgentAuthResponse", Models.ConversationAgentAuthResponse],
  ["ConversationResponse", Models.ConversationResponse],
  ["ConversationsResponse", Models.ConversationsResponse],
  ["ConversationMultimediaUploadUrlResponse", Models.ConversationMultimediaUploadUrlResponse],
  ["ConversationStartResponse", Models.ConversationStartResponse]
]

/** Whether JSON text carries a value unchanged: finite numbers other than -0, no `undefined` in arrays. */
const jsonSafe = (value: unknown): boolean => {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0)
  if (Array.isArray(value)) return value.every((item) => item !== undefined && jsonSafe(item))
  if (typeof value === "object" && value !== null) return Object.values(value).every(jsonSafe)
  return true
}

const modelRuns = 200

/** Whether a value holds `null` anywhere. */
const holdsNull = (value: unknown): boolean =>
  value === null || (typeof value === "object" && Object.values(value).some(holdsNull))

/** Every schema src/Models.ts exports: the 412 models of the description and its 93 inline enums. */
const exportedSchemas = Object.entries(Models).flatMap(([name, value]) =>
  Schema.isSchema(value) ? [[name, value] as const] : []
)
const fewerRuns = 5

describe("every model encodes and decodes back to itself", () => {
  it("the list holds the models of the first release; every other exported Schema is checked with fewer runs", () => {
    const exported = exportedSchemas.map(([name]) => name)
    for (const [name] of models) expect(exported).toContain(name)
    expect(exported).toHaveLength(412 + 93)
  })

  const listed = new Set(models.map(([name]) => name))
  const everyModel: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext, number]> = [
    ...models.map(([name, schema]) => [name, schema, modelRuns] as const),
    ...exportedSchemas.filter(([name]) => !listed.has(name)).map(([name, schema]) => [name, schema, fewerRuns] as const)
  ]
  for (const [name, schema, runs] of everyModel) {
    it(`${name}: decode(encode(a)) equals a, and so does a trip through JSON text (${runs} runs)`, () => {
      const encode = Schema.encodeUnknownSync(schema)
      const decode = Schema.decodeUnknownSync(schema)
      fc.assert(
        // `null` under an untyped (`unknown`) field reads as absent, by design (DESIGN.md: null as absent);
        // it is the one place a generated value can hold `null`, and the one round trip that loses it.
        fc.property(Arbitrary.make(schema).filter((value) => !holdsNull(value)), (value) => {
          count(`model round trip: ${name}`)
          const encoded = encode(value)
          expect(decode(encoded)).toStrictEqual(value)
          // Through JSON text too, as it crosses the wire, when JSON can carry the value at all.
          if (jsonSafe(encoded)) {
            expect(decode(JSON.parse(JSON.stringify(encoded)))).toEqual(value)
          }
        }),
        { numRuns: runs }
      )
    })
  }
})

// ---------------------------------------------------------------------------------------------------
// Any body with any status, as the answer to any operation
// ---------------------------------------------------------------------------------------------------

/** `JSON.stringify` where it gives text (it throws on a BigInt and gives `undefined` for a function). */
const stringified = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const bodyArbitrary: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.anything().map(stringified),
  fc.object().map(stringified),
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "",
    "null",
    "[]",
    "{}",
    "true",
    "0",
    "\"text\"",
    "{\"conversation\":null}",
    "{\"conversation\":[]}",
    "{\"conversations\":[null]}",
    "{\"conversations\":[{\"conversation_uuid\":5}]}",
    "{\"agent_auth\":{\"group_ids\":[\"x\"]}}",
    "{\"error\":{\"developer_message\":{}}}",
    "{\"error\":\"boom\"}",
    "{\"__proto__\":{\"polluted\":true}}",
    "{\"constructor\":{\"prototype\":{\"polluted\":true}}}",
    "[".repeat(5000),
    "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
    "\uFEFF{}",
    "{} trailing"
  )
)

const statusArbitrary = fc.constantFrom(200, 201, 202, 204, 206, 300, 302, 304, 400, 401, 403, 404, 405, 409, 410, 418, 422, 429, 500, 501, 502, 503, 504, 599)

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 })

const headersArbitrary = fc.record(
  {
    "content-type": fc.constantFrom("application/json", "application/json; charset=utf-8", "text/html", "application/octet-stream"),
    "retry-after": fc.oneof(printableAscii, fc.nat().map(String), fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toUTCString()))),
    "uc-rest-error": printableAscii
  },
  { requiredKeys: [] }
)

/** Statuses whose response cannot have a body. */
const noBody: ReadonlySet<number> = new Set([204, 304])

interface Answer {
  readonly status: number
  readonly body: string | Uint8Array
  readonly headers: Readonly<Record<string, string>>
}

/** The answer the next request gets; each property run sets it before its call. */
let nextAnswer: Answer = { status: 200, body: "{}", headers: {} }

/** An `HttpClient` that answers every request with `nextAnswer`, through a web `Response` as a socket would. */
const answering = HttpClient.make((request) =>
  Effect.sync(() => {
    const { body, headers, status } = nextAnswer
    return HttpClientResponse.fromWeb(
      request,
      new Response(noBody.has(status) ? null : typeof body === "string" ? body : Uint8Array.from(body), {
        status,
        headers
      })
    )
  })
)

/** One service over `answering`, built once: a run then costs a call, not a layer build. */
const answeredService = Effect.runSync(
  Effect.provide(ConversationService, serviceLayer(answering, { retry: RetryPolicy.none }))
)

/** The tag a non-2xx status must give, written from the README's table. */
const tagOfStatus = (status: number): string => {
  switch (status) {
    case 400:
      return "BadRequestError"
    case 401:
      return "UnauthorizedError"
    case 403:
      return "ForbiddenError"
    case 404:
      return "NotFoundError"
    case 410:
      return "ApplicationDisabledError"
    case 429:
      return "RateLimitError"
  }
  return status >= 500 ? "ServerError" : "UnexpectedStatusError"
}

const bodyRuns = 200

describe("any body with any status, as the answer to any operation: a typed result, never a defect", () => {
  for (const operation of operationCases) {
    it(`${operation.id} (${bodyRuns} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(statusArbitrary, bodyArbitrary, headersArbitrary, async (status, body, headers) => {
          count(`hostile response body: ${operation.id}`)
          nextAnswer = { status, body, headers }
          const exit = await Effect.runPromise(Effect.exit(operation.call(answeredService)))
          const outcome = classify(exit)
          if (outcome._tag === "Defect") return expect.fail(`a defect for status ${status}:\n${outcome.cause}`)
          const tag = classifiedTag(outcome)
          if (status >= 200 && status < 300) {
            expect(tag).toBe(operation.returnsJson ? (Exit.isSuccess(exit) ? "Success" : "DecodeError") : "Success")
          } else {
            expect(tag).toBe(tagOfStatus(status))
          }
          if (outcome._tag === "Failure") {
            // Everything an application does with an error works on it.
            expect(typeof outcome.error.message).toBe("string")
            expect(typeof String(outcome.error)).toBe("string")
            expect(typeof JSON.stringify(outcome.error)).toBe("string")
          }
        }),
        { numRuns: bodyRuns }
      )
    })
  }
})
