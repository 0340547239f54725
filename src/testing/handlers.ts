/**
 * How the mock answers each operation, chosen from the operation table: the resource families
 * (list, insert, get, update, delete and actions on one item) and the single-object settings are
 * answered generically over the store; the operations with a behaviour of their own (conversations,
 * searches, queue statuses) by the handlers in `behaviours.ts`; every other read by an answer generated
 * from its response schema (deterministic: the same answer on every call).
 *
 * @since 0.2.0
 */
import { HttpServerResponse } from "@effect/platform"
import { Arbitrary, Effect, FastCheck as fc, Schema } from "effect"
import type { Operation } from "../generated/operations.js"
import type { ErrorResponse } from "../Models.js"
import { type Family, payloadOf, propertiesOf } from "./families.js"
import type { MockResourcesShape, Resource, ResourceNotFound, Scope, UnknownFamily } from "./ResourceStore.js"

/** A request as a handler sees it: path parameters by name (integers as numbers), options, the body. */
export interface RequestInput {
  readonly operation: Operation
  readonly path: Readonly<Record<string, string | number>>
  /** The query by option name, checked as the client checks it. */
  readonly options: Readonly<Record<string, string | number | boolean | undefined>>
  /** The body as checked against its model (wire fields), or `undefined`. */
  readonly body: unknown
}

/** What a handler answers: a value of the response model, a value already on the wire, or no body. */
export type Reply =
  | { readonly _tag: "Model"; readonly value: unknown }
  | { readonly _tag: "Wire"; readonly value: unknown }
  | { readonly _tag: "NoBody" }

/** Answers a request, or fails with the error answer to send. */
export type Handler = (input: RequestInput) => Effect.Effect<Reply, HttpServerResponse.HttpServerResponse>

/** A reply with a value of the operation's response model. */
export const model = (value: unknown): Reply => ({ _tag: "Model", value })

/** A reply without a body (or, for an operation with a response model, the model's envelope only). */
export const noBody: Reply = { _tag: "NoBody" }

/** Header values must be visible ASCII; user input (a uuid) may be anything. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 500)

/** UltraCart's error answer: an `ErrorResponse` body and the `UC-REST-ERROR` header. */
export const errorResponse = (
  status: number,
  developerMessage: string,
  options?: {
    readonly userMessage?: string | undefined
    readonly objectId?: string | undefined
    readonly headers?: Readonly<Record<string, string>> | undefined
  }
): HttpServerResponse.HttpServerResponse => {
  const body: ErrorResponse = {
    error: {
      developer_message: developerMessage,
      user_message: options?.userMessage ?? developerMessage,
      error_code: String(status),
      ...(options?.objectId === undefined ? {} : { object_id: options.objectId })
    },
    metadata: {},
    success: false
  }
  return HttpServerResponse.unsafeJson(body, {
    status,
    headers: { ...options?.headers, "uc-rest-error": headerSafe(developerMessage) }
  })
}

/** A 400 answer. */
export const badRequest = (reason: string): HttpServerResponse.HttpServerResponse =>
  errorResponse(400, reason, { userMessage: "Bad request input" })

/** A 404 answer for a resource the store does not have. */
export const notFound = (error: ResourceNotFound | UnknownFamily): HttpServerResponse.HttpServerResponse =>
  error._tag === "ResourceNotFound"
    ? errorResponse(404, `${error.family} ${error.id} was not found`, { userMessage: "Not found", objectId: error.id })
    : errorResponse(404, error.message)

const hasField = (operation: Operation, name: string): boolean =>
  operation.response !== undefined && propertiesOf(operation.response).some((p) => p.name === name)

/** The envelope UltraCart puts around a payload: `success`, and the payload's name in `metadata`. */
const envelope = (operation: Operation, payloadName: string | undefined): Resource => ({
  ...(hasField(operation, "success") ? { success: true } : {}),
  ...(hasField(operation, "metadata") && payloadName !== undefined ? { metadata: { payload_name: payloadName } } : {})
})

/** The answer holding one item: in the response's item field, or its fields at the top level. */
export const itemReply = (operation: Operation, item: Resource): Reply => {
  if (operation.response === undefined) return noBody
  const payload = payloadOf(operation.response, "item")
  if (payload !== undefined) return model({ ...envelope(operation, payload.field), [payload.field]: item })
  const fields = new Set(propertiesOf(operation.response).map((p) => String(p.name)))
  const flat = Object.fromEntries(Object.entries(item).filter(([name]) => fields.has(name)))
  return model({ ...envelope(operation, undefined), ...flat })
}

/** The answer holding a list of items in the response's list field. */
export const listReply = (operation: Operation, items: ReadonlyArray<Resource>, extra: Resource = {}): Reply => {
  const payload = payloadOf(operation.response, "list")
  if (payload === undefined) return noBody
  return model({ ...envelope(operation, payload.field), [payload.field]: items, ...extra })
}

const scopeOf = (family: Family, input: RequestInput): Scope =>
  Object.fromEntries(family.scope.map((name) => [name, String(input.path[name] ?? "")]))

const fields = (body: unknown): Resource =>
  typeof body === "object" && body !== null && !Array.isArray(body) ? Object.fromEntries(Object.entries(body)) : {}

/** The handler of an operation in a family, by its role. */
export const familyHandler = (
  resources: MockResourcesShape,
  family: Family,
  role: "list" | "insert" | "get" | "update" | "delete" | "action",
  generated: Handler
): Handler =>
(input) => {
  const scope = scopeOf(family, input)
  const id = input.path[family.idParam] ?? ""
  const found = <A>(effect: Effect.Effect<A, ResourceNotFound | UnknownFamily>) => Effect.mapError(effect, notFound)
  switch (role) {
    case "list":
      return Effect.map(found(resources.list(family.name, scope)), (items) => listReply(input.operation, items))
    case "insert":
      return Effect.map(found(resources.insert(family.name, fields(input.body), scope)), (item) => itemReply(input.operation, item))
    case "get":
      return Effect.map(found(resources.get(family.name, id, scope)), (item) => itemReply(input.operation, item))
    case "update":
      return Effect.map(found(resources.update(family.name, id, fields(input.body), scope)), (item) => itemReply(input.operation, item))
    case "delete":
      return Effect.map(found(resources.remove(family.name, id, scope)), (item) => itemReply(input.operation, item))
    case "action":
      return Effect.zipRight(found(resources.get(family.name, id, scope)), generated(input))
  }
}

/** The handler of a single-object setting: a get, or an update that merges the body into it. */
export const settingsHandler = (resources: MockResourcesShape, name: string, role: "get" | "update"): Handler => (input) =>
  Effect.map(
    role === "get" ? resources.settings(name) : resources.updateSettings(name, fields(input.body)),
    (settings) => itemReply(input.operation, settings)
  )

/** Whether JSON text carries a value unchanged (no NaN, infinities, -0 or holes). */
const jsonSafe = (value: unknown): boolean => {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0)
  if (Array.isArray(value)) return value.every((item) => item !== undefined && jsonSafe(item))
  if (typeof value === "object" && value !== null) return Object.values(value).every(jsonSafe)
  return true
}

/** A stable seed for an operation, so its generated answer is the same in every run. */
const seedOf = (id: string): number => {
  let hash = 2166136261
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619)
  return hash >>> 0
}

/**
 * An answer generated from the response schema's wire side with Schema's `Arbitrary` and a fixed seed:
 * deterministic, and one that decodes. `success` is true and `error` absent, as in a real success.
 */
export const generatedAnswer = (schema: Schema.Schema.AnyNoContext, id: string): unknown => {
  const [value] = fc.sample(Arbitrary.make(Schema.encodedSchema(schema)).filter(jsonSafe), { seed: seedOf(id), numRuns: 1 })
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value
  const { error: _error, ...rest } = Object.fromEntries(Object.entries(value))
  return "success" in rest ? { ...rest, success: true } : rest
}

/**
 * The handler of an operation answered from its schema: the generated answer (made once per router and
 * kept), or no body for an operation without a response model.
 */
export const generatedHandler = (operation: Operation): Handler => {
  const response: Schema.Schema.AnyNoContext | undefined = operation.response
  if (response === undefined) return () => Effect.succeed(noBody)
  let answer: { readonly value: unknown } | undefined
  return () =>
    Effect.sync((): Reply => {
      answer ??= { value: generatedAnswer(response, operation.id) }
      return { _tag: "Wire", value: answer.value }
    })
}

/**
 * JSON of the wrong shape for an operation's answer (the `WrongShape` fault): its first payload field with
 * a value of another type, e.g. `{"conversation":"nope"}` or `{"conversations":5}`.
 */
export const wrongShape = (operation: Operation | undefined): unknown => {
  const schema: Schema.Schema.AnyNoContext | undefined = operation?.response
  const payload = schema === undefined
    ? undefined
    : propertiesOf(schema).find((p) => typeof p.name === "string" && !["error", "metadata", "success", "warning"].includes(p.name))
  if (payload === undefined || typeof payload.name !== "string") return { success: "nope" }
  const list = payloadOf(schema, "list")
  return { [payload.name]: list?.field === payload.name ? 5 : "nope", success: true }
}
