/**
 * The embedded UltraCart answers every operation, through MockServer (a real socket) and through
 * layerMock (in memory), table-driven over the operation table: each answers a 2xx whose body decodes
 * (or, for an unknown id, `NotFoundError`); every resource family goes through its lifecycle; faults
 * injected on any operation follow its retry class.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Layer, Stream } from "effect"
import {
  ConversationEmbedService,
  type ConversationError,
  ConversationService,
  RetryPolicy
} from "../../src/index.js"
import { type Operation, operationList } from "../../src/generated/operations.js"
import {
  defaultScopes,
  Fault,
  type Family,
  layerMock,
  MockConversationStore,
  MockServer,
  type MockServerOptions
} from "../../src/testing/index.js"
import { invoke, sampleBody } from "../support/operationSamples.js"
import { type FirstItems, mockArguments } from "./mockArguments.js"

/** Re-sends quickly: these tests count re-sends, not time. */
const quickRetry = RetryPolicy.make({ maxRetries: 2, baseDelay: "1 millis", jitter: false })

/** Both services over a real socket to a fresh MockServer, whose store is also provided. */
const overSocket = (options?: MockServerOptions) => {
  const store = Layer.effect(MockConversationStore, Effect.map(MockServer, (server) => server.store))
  return MockServer.layerClient({ retry: quickRetry }).pipe(
    Layer.provideMerge(Layer.provideMerge(store, MockServer.layer(options))),
    Layer.provide(NodeHttpClient.layerUndici)
  )
}

/** The two ways to reach the mock: a socket, and layerMock's in-memory client. */
const transports: ReadonlyArray<{
  readonly name: string
  readonly layer: () => Layer.Layer<ConversationService | ConversationEmbedService | MockConversationStore, unknown>
}> = [
  { name: "MockServer", layer: () => overSocket() },
  { name: "layerMock", layer: () => layerMock("default", { retry: quickRetry }) }
]

/** The family names, read from a store once (the families are derived from the table at run time). */
const familyNames: ReadonlyArray<string> = Effect.runSync(
  Effect.map(MockConversationStore, (store) => store.resources.families.map((f) => f.name)).pipe(
    Effect.provide(layerMock())
  )
)

/** Calls an operation (by the convention) on the service it belongs to. */
const call = (
  operation: Operation,
  args: ReadonlyArray<unknown>
): Effect.Effect<unknown, ConversationError, ConversationService | ConversationEmbedService> =>
  operation.service === "ConversationService"
    ? Effect.flatMap(ConversationService, (service) => invoke(service, operation.id, args))
    : Effect.flatMap(ConversationEmbedService, (service) => invoke(service, operation.id, args))

const tagOf = (exit: Exit.Exit<unknown, ConversationError>): string =>
  Exit.isSuccess(exit) ? "Success" : exit.cause._tag === "Fail" ? exit.cause.error._tag : `Cause:${exit.cause._tag}`

/** The families of the store, and the first seeded item of each. */
const seeded = Effect.gen(function*() {
  const store = yield* MockConversationStore
  const families = store.resources.families
  const firstItems = new Map<string, Readonly<Record<string, unknown>>>()
  for (const family of families) {
    const [first] = yield* Effect.orDie(store.resources.list(family.name, defaultScopes[family.name]))
    if (first !== undefined) firstItems.set(family.name, first)
  }
  const items: FirstItems = firstItems
  return { families, firstItems: items }
})

/** Whether an answer holds, at any depth, an object whose `field` is `id`. */
const holds = (answer: unknown, field: string, id: string | number): boolean => {
  if (Array.isArray(answer)) return answer.some((item) => holds(item, field, id))
  if (typeof answer !== "object" || answer === null) return false
  return Object.entries(answer).some(([key, value]) => (key === field && value === id) || holds(value, field, id))
}

const idOf = (family: Family, item: Readonly<Record<string, unknown>> | undefined): string | number => {
  const id = item?.[family.idField]
  return typeof id === "string" || typeof id === "number" ? id : "missing"
}

for (const transport of transports) {
  describe(`every operation answers through ${transport.name}`, () => {
    for (const operation of operationList) {
      it.live(`${operation.id}: a 2xx whose body decodes`, () =>
        Effect.gen(function*() {
          const { families, firstItems } = yield* seeded
          const exit = yield* Effect.exit(call(operation, mockArguments(operation, families, firstItems)))
          expect(tagOf(exit)).toBe("Success")
        }).pipe(Effect.provide(transport.layer())))
    }

    it.live("an unknown id is NotFoundError for every operation on one item of a family", () =>
      Effect.gen(function*() {
        const { families, firstItems } = yield* seeded
        let checked = 0
        for (const family of families) {
          const onItem = [family.operations.get, family.operations.update, family.operations.delete, ...family.actions]
          for (const id of onItem) {
            const operation = operationList.find((o) => o.id === id)
            if (operation === undefined) continue
            const args = mockArguments(operation, families, firstItems).map((arg, i) =>
              operation.pathParams[i]?.name === family.idParam ? (family.idKind === "integer" ? 999_999 : "no-such-id") : arg
            )
            expect(tagOf(yield* Effect.exit(call(operation, args))), operation.id).toBe("NotFoundError")
            checked += 1
          }
        }
        expect(checked).toBeGreaterThan(40)
      }).pipe(Effect.provide(transport.layer())))
  })

  describe(`every resource family goes through its lifecycle through ${transport.name}`, () => {
    it.live("the families found in the table", () =>
      Effect.gen(function*() {
        const { families } = yield* seeded
        expect(families.map((f) => f.name)).toEqual([
          "agent/profiles/{user_id}/knowledge_base",
          "agent/profiles/{user_id}/mcps",
          "agent/status/config",
          "canned_messages",
          "departments",
          "engagements",
          "pbx/address",
          "pbx/agent",
          "pbx/agent/voicemails",
          "pbx/audio",
          "pbx/audio/user",
          "pbx/call",
          "pbx/class_of_service",
          "pbx/hardware_phone",
          "pbx/menu",
          "pbx/phone_number",
          "pbx/queue",
          "pbx/queues/{queue_uuid}/voicemails",
          "pbx/time_based",
          "pbx/time_range",
          "pbx/voicemail_mailbox"
        ])
      }).pipe(Effect.provide(transport.layer())))

    // The families are derived at run time from the table; each is checked by one test here.
    for (const name of familyNames) {
      it.live(`${name}: insert → get → list contains → update → get shows it → delete → get is NotFoundError`, () =>
        Effect.gen(function*() {
          const { families, firstItems } = yield* seeded
          const family = families.find((f) => f.name === name)
          if (family === undefined) return expect.fail(`no family ${name}`)
          const operation = (id: string | undefined) => operationList.find((o) => o.id === id)
          const scope = family.scope.map((parameter) => {
            const value = defaultScopes[family.name]?.[parameter] ?? ""
            const spec = operationList.find((o) => o.id === Object.values(family.operations)[0])?.pathParams.find((p) => p.name === parameter)
            return spec?.type === "string" ? value : Number(value)
          })
          const list = operation(family.operations.list)
          const listed = (id: string | number) =>
            list === undefined
              ? Effect.succeed(true)
              : Effect.map(call(list, scope), (answer) => holds(answer, family.idField, id))
          const readBack = (id: string | number) => {
            const get = operation(family.operations.get)
            return Effect.map(get !== undefined ? call(get, [...scope, id]) : list !== undefined ? call(list, scope) : Effect.succeed({}), (answer) => {
              expect(holds(answer, family.idField, id), "read back by its id").toBe(true)
              return JSON.stringify(answer)
            })
          }

          // insert (or, for a family without one, its first seeded item)
          const insert = operation(family.operations.insert)
          let id = idOf(family, firstItems.get(family.name))
          if (insert?.body !== undefined) {
            yield* call(insert, [...scope, sampleBody(insert.body.schema)])
            const items = yield* Effect.orDie(
              (yield* MockConversationStore).resources.list(family.name, defaultScopes[family.name])
            )
            const added = items.at(-1)
            id = idOf(family, added)
            expect(id, "the store assigned an id").not.toBe(idOf(family, firstItems.get(family.name)))
            if (family.idKind === "integer") expect(Number.isInteger(id)).toBe(true)
            if (family.idKind === "uuid") expect(String(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
          }
          expect(yield* listed(id), "list contains it").toBe(true)
          yield* readBack(id)

          const update = operation(family.operations.update)
          if (update?.body !== undefined) {
            const body = sampleBody(update.body.schema)
            const field = Object.keys(body).find((key) => key !== family.idField && typeof body[key] === "string")
            if (field !== undefined) {
              yield* call(update, [...scope, id, { ...body, [family.idField]: id, [field]: "changed by the lifecycle test" }])
              expect(yield* readBack(id)).toContain("changed by the lifecycle test")
            }
          }

          const remove = operation(family.operations.delete)
          if (remove !== undefined) {
            yield* call(remove, [...scope, id])
            expect(yield* listed(id), "list no longer contains it").toBe(list === undefined)
            const get = operation(family.operations.get)
            if (get !== undefined) {
              expect(tagOf(yield* Effect.exit(call(get, [...scope, id])))).toBe("NotFoundError")
            }
            expect(tagOf(yield* Effect.exit(call(remove, [...scope, id])))).toBe("NotFoundError")
          }
        }).pipe(Effect.provide(transport.layer())))
    }
  })
}

describe("faults injected on any operation follow its retry class", () => {
  for (const operation of operationList) {
    const retried = operation.retry !== "creates"
    it.live(`${operation.id} (${operation.retry}): a 503 is ${retried ? "retried" : "returned, not re-sent"}`, () =>
      Effect.gen(function*() {
        const server = yield* MockServer
        const { families, firstItems } = yield* seeded
        yield* server.injectFault(Fault.status(503), { operation: operation.id })
        const exit = yield* Effect.exit(call(operation, mockArguments(operation, families, firstItems)))
        expect(tagOf(exit)).toBe(retried ? "Success" : "ServerError")
        expect((yield* server.requests).filter((r) => r.operationId === operation.id)).toHaveLength(retried ? 2 : 1)
      }).pipe(Effect.provide(overSocket())))
  }
})

describe("streams page through the mock", () => {
  it.live("streamPbxCalls and streamAgentStatusHistory get every seeded item in order, page by page", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const server = yield* MockServer
      const calls = Chunk.toReadonlyArray(yield* Stream.runCollect(service.streamPbxCalls({}, { pageSize: 50 })))
      expect(calls).toHaveLength(120)
      expect(calls.map((c) => c.created_at_dts)).toEqual([...calls.map((c) => c.created_at_dts)].sort().reverse())
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(service.streamAgentStatusHistory({}, { pageSize: 100 })))
      expect(events).toHaveLength(250)
      const pages = (yield* server.requests).map((r) => [r.operationId, r.query["_offset"]])
      expect(pages).toEqual([
        ["searchPbxCalls", "0"],
        ["searchPbxCalls", "50"],
        ["searchPbxCalls", "100"],
        ["searchAgentStatusHistory", "0"],
        ["searchAgentStatusHistory", "100"],
        ["searchAgentStatusHistory", "200"]
      ])
    }).pipe(Effect.provide(overSocket())))
})
