/**
 * Every one of the 145 operations, table-driven over the generated operation table, against a recording
 * server on a real socket: the exact wire request for both credential kinds, statuses to tags, the retry
 * class, path parameters that must send nothing, and decoding of answers generated from each response
 * schema. Nothing here is written per operation.
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Schema } from "effect"
import {
  ConversationEmbedService,
  type ConversationError,
  ConversationService,
  Credentials,
  RetryPolicy
} from "../../src/index.js"
import { operationList } from "../../src/generated/operations.js"
import * as Models from "../../src/Models.js"
import { closedPort } from "../reliability/support.js"
import { type DescribedOperation, describedOperations } from "../support/description.js"
import {
  allNullAnswer,
  invoke,
  sampleAnswer,
  sampleCall,
  wrongTypedAnswer
} from "../support/operationSamples.js"
import { type Answer, drop, errorAnswer, jsonAnswer, RecordingServer } from "../support/recordingServer.js"

const key = "sample-simple-key"
const token = "sample-oauth-token"
const credentialKinds = [
  { name: "simple key", credentials: Credentials.simpleKey(key), header: ["x-ultracart-simple-key", key] },
  { name: "bearer token", credentials: Credentials.bearer(token), header: ["authorization", `Bearer ${token}`] }
] as const

/** Re-sends without waiting long, so the retry class shows in the number of requests. */
const quickRetry = RetryPolicy.make({ maxRetries: 2, baseDelay: "1 millis", maxDelay: "2 millis", jitter: false })

interface RunOptions {
  readonly credentials?: Credentials.Credentials
  readonly retry?: RetryPolicy.RetryPolicy
  readonly baseUrl?: string
  readonly client?: Layer.Layer<HttpClient.HttpClient>
}

/**
 * The schema of a model the description names for an operation's body or answer: the one in the
 * operation's row, which must be the schema src/Models.ts exports under that name.
 */
const modelOf = (
  id: string,
  name: string | undefined,
  side: "body" | "response"
): Schema.Schema.AnyNoContext | undefined => {
  const row = operationList.find((o) => o.id === id)
  const schema: Schema.Schema.AnyNoContext | undefined = side === "body" ? row?.body?.schema : row?.response
  const exported: unknown = name === undefined ? undefined : Reflect.get(Models, name === "Error" ? "ErrorDetail" : name)
  return exported !== undefined && exported === schema ? schema : undefined
}

/** Calls an operation through its service (by the convention) against `baseUrl`. */
const callThrough = (operation: DescribedOperation, args: ReadonlyArray<unknown>, baseUrl: string, options: RunOptions = {}) => {
  const clientOptions = {
    credentials: options.credentials ?? Credentials.simpleKey(key),
    baseUrl: options.baseUrl ?? baseUrl,
    retry: options.retry ?? RetryPolicy.none,
    timeout: Duration.seconds(10)
  }
  const client = options.client ?? NodeHttpClient.layerUndici
  return (!operation.embed
    ? Effect.flatMap(ConversationService, (service) => invoke(service, operation.id, args)).pipe(
      Effect.provide(ConversationService.layer(clientOptions))
    )
    : Effect.flatMap(ConversationEmbedService, (service) => invoke(service, operation.id, args)).pipe(
      Effect.provide(ConversationEmbedService.layer(clientOptions))
    )).pipe(Effect.provide(client), Effect.exit)
}

/** The success answer of an operation: a sample of its response model, or 204 without a body. */
const successAnswer = (operation: DescribedOperation): Answer => {
  const response = modelOf(operation.id, operation.response, "response")
  return response === undefined ? { _tag: "Respond", status: 204 } : jsonAnswer(200, sampleAnswer(response))
}

const failureTag = (exit: Exit.Exit<unknown, ConversationError>): string =>
  Exit.isSuccess(exit) ? "Success" : exit.cause._tag === "Fail" ? exit.cause.error._tag : `Cause:${exit.cause._tag}`

describe("the services have one method per operation, by the call convention", () => {
  const methods = (service: "ConversationService" | "ConversationEmbedService") =>
    operationList.filter((o) => o.service === service)

  it("141 operations on ConversationService, 4 on ConversationEmbedService, 3 paged streams", () => {
    expect(methods("ConversationService")).toHaveLength(141)
    expect(methods("ConversationEmbedService")).toHaveLength(4)
    expect(operationList.flatMap((o) => (o.paging === undefined ? [] : [o.paging.stream])).sort()).toEqual([
      "streamAgentStatusHistory",
      "streamConversations",
      "streamPbxCalls"
    ])
  })

  it.effect("the methods of both services are exactly the described operations (and the three streams)", () =>
    Effect.gen(function*() {
      const conversation = yield* ConversationService
      const embed = yield* ConversationEmbedService
      const described = (embedded: boolean) => describedOperations.filter((o) => o.embed === embedded).map((o) => o.id)
      expect(Object.keys(conversation).sort()).toEqual(
        [...described(false), "streamAgentStatusHistory", "streamConversations", "streamPbxCalls"].sort()
      )
      expect(Object.keys(embed).sort()).toEqual(described(true).sort())
    }).pipe(
      Effect.provide(Layer.mergeAll(
        ConversationService.layer({ credentials: Credentials.simpleKey(key) }),
        ConversationEmbedService.layer({ credentials: Credentials.simpleKey(key) })
      )),
      Effect.provide(NodeHttpClient.layerUndici)
    ))
})

layer(RecordingServer.layer, { excludeTestServices: true })("every operation over a real socket", (it) => {
  for (const operation of describedOperations) {
    const bodySchema = modelOf(operation.id, operation.body?.model, "body")
    const sample = sampleCall(operation, bodySchema)

    it(`${operation.id}: the row names the description's models for the body and the answer`, () => {
      expect(bodySchema === undefined).toBe(operation.body === undefined)
      expect(modelOf(operation.id, operation.response, "response") === undefined).toBe(operation.response === undefined)
    })

    it.effect(`${operation.id}: the wire request with either credential, and its answer decoded`, () =>
      Effect.gen(function*() {
        const server = yield* RecordingServer
        for (const kind of credentialKinds) {
          yield* server.reset
          const answer = successAnswer(operation)
          yield* server.script(() => answer)
          const exit = yield* callThrough(operation, sample.args, server.baseUrl, { credentials: kind.credentials })
          const [request, ...more] = yield* server.requests
          expect(more, kind.name).toHaveLength(0)
          expect(request?.method, kind.name).toBe(operation.method)
          expect(request?.path, kind.name).toBe(`/rest/v2${sample.path}`)
          expect(request?.query, kind.name).toEqual(sample.query)
          expect(request?.headers["accept"], kind.name).toBe("application/json")
          expect(request?.headers["x-ultracart-api-version"], kind.name).toBe("2017-03-01")
          expect(request?.headers[kind.header[0]], kind.name).toBe(kind.header[1])
          expect(request?.headers["content-type"], kind.name).toBe(sample.contentType)
          if (sample.body === undefined) expect(request?.body, kind.name).toBe("")
          else if ("json" in sample.body) expect(JSON.parse(request?.body ?? "null"), kind.name).toEqual(sample.body.json)
          else expect([...new URLSearchParams(request?.body)], kind.name).toEqual(sample.body.form)
          expect(failureTag(exit), kind.name).toBe("Success")
          const schema = modelOf(operation.id, operation.response, "response")
          if (Exit.isSuccess(exit) && answer._tag === "Respond" && schema !== undefined) {
            expect(exit.value).toEqual(Schema.decodeUnknownSync(schema)(JSON.parse(answer.body ?? "")))
          }
        }
      }))

    it.effect(`${operation.id}: error statuses become their tagged errors`, () =>
      Effect.gen(function*() {
        const server = yield* RecordingServer
        const statuses = [
          [400, "BadRequestError"],
          [401, "UnauthorizedError"],
          [403, "ForbiddenError"],
          [404, "NotFoundError"],
          [410, "ApplicationDisabledError"],
          [418, "UnexpectedStatusError"],
          [429, "RateLimitError"],
          [500, "ServerError"],
          [503, "ServerError"]
        ] as const
        for (const [status, tag] of statuses) {
          yield* server.reset
          yield* server.script(() => errorAnswer(status))
          const exit = yield* callThrough(operation, sample.args, server.baseUrl)
          expect(failureTag(exit), `${status}`).toBe(tag)
          if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
            expect(exit.cause.error.message, `${status}`).toContain(operation.id)
          }
          expect(yield* server.requests, `${status}`).toHaveLength(1)
        }
      }))

    const creates = operation.retry === "creates"
    it.effect(
      `${operation.id}: retry class ${operation.retry}: ${creates ? "not re-sent" : "re-sent"} after a 503 or a dropped connection, re-sent after a 429`,
      () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer
          const once = (first: Answer) => (index: number) => (index === 0 ? first : successAnswer(operation))
          for (const [name, first] of [["503", errorAnswer(503)], ["dropped connection", drop]] as const) {
            yield* server.reset
            yield* server.script(once(first))
            const exit = yield* callThrough(operation, sample.args, server.baseUrl, { retry: quickRetry })
            expect(failureTag(exit), name).toBe(creates ? (name === "503" ? "ServerError" : "TransportError") : "Success")
            expect(yield* server.requests, name).toHaveLength(creates ? 1 : 2)
          }
          yield* server.reset
          yield* server.script(once(errorAnswer(429)))
          const exit = yield* callThrough(operation, sample.args, server.baseUrl, { retry: quickRetry })
          expect(failureTag(exit), "429").toBe("Success")
          expect(yield* server.requests, "429").toHaveLength(2)
        })
    )

    it.effect(`${operation.id}: a refused connection is re-sent (nothing reached a server)`, () =>
      Effect.gen(function*() {
        const port = yield* closedPort
        let attempts = 0
        const counted = Layer.effect(
          HttpClient.HttpClient,
          Effect.map(HttpClient.HttpClient, (client) => HttpClient.tapRequest(client, () => Effect.sync(() => {
            attempts += 1
          })))
        ).pipe(Layer.provide(NodeHttpClient.layerUndici))
        const exit = yield* callThrough(operation, sample.args, "", {
          baseUrl: `http://127.0.0.1:${port}/rest/v2`,
          retry: quickRetry,
          client: counted
        })
        expect(failureTag(exit)).toBe("TransportError")
        expect(attempts).toBe(3)
      }))

    if (operation.pathParams.length > 0) {
      it.effect(`${operation.id}: an empty, ".", ".." or ill-typed path parameter sends nothing`, () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer
          yield* server.reset
          for (const [index, parameter] of operation.pathParams.entries()) {
            const bad: ReadonlyArray<unknown> = parameter.integer
              ? [1.5, "12", Number.NaN, -1 * 2 ** 60]
              : ["", ".", "..", 42]
            for (const value of bad) {
              const args = sample.args.map((arg, i) => (i === index ? value : arg))
              const exit = yield* callThrough(operation, args, server.baseUrl)
              expect(failureTag(exit), `${parameter.name} = ${String(value)}`).toBe("InvalidInputError")
            }
          }
          expect(yield* server.requests).toHaveLength(0)
        }))
    }

    const required = [
      ...(operation.body?.required === true ? [operation.pathParams.length] : []),
      ...(operation.query.some((q) => q.required) ? [sample.args.length - 1] : [])
    ]
    if (required.length > 0) {
      it.effect(`${operation.id}: a required body or option left out sends nothing`, () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer
          yield* server.reset
          for (const index of required) {
            const args = sample.args.map((arg, i) => (i === index ? undefined : arg))
            const exit = yield* callThrough(operation, args, server.baseUrl)
            expect(failureTag(exit), `argument ${index}`).toBe("InvalidInputError")
          }
          expect(yield* server.requests).toHaveLength(0)
        }))
    }

    const response = modelOf(operation.id, operation.response, "response")
    if (response !== undefined) {
      it.effect(`${operation.id}: an answer with every field null decodes; a wrong-typed field is a DecodeError`, () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer
          yield* server.reset
          yield* server.script(() => jsonAnswer(200, allNullAnswer(response)))
          expect(failureTag(yield* callThrough(operation, sample.args, server.baseUrl))).toBe("Success")
          const wrong = wrongTypedAnswer(response)
          expect(wrong).toBeDefined()
          yield* server.script(() => jsonAnswer(200, wrong))
          expect(failureTag(yield* callThrough(operation, sample.args, server.baseUrl))).toBe("DecodeError")
        }))
    } else {
      it.effect(`${operation.id}: any 2xx is success, with or without a body`, () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer
          const answers: ReadonlyArray<Answer> = [
            { _tag: "Respond", status: 204 },
            jsonAnswer(200, { success: true }),
            { _tag: "Respond", status: 202, body: "accepted" }
          ]
          for (const [index, answer] of answers.entries()) {
            yield* server.reset
            yield* server.script(() => answer)
            expect(failureTag(yield* callThrough(operation, sample.args, server.baseUrl)), `answer ${index}`).toBe("Success")
          }
        }))
    }
  }
})
