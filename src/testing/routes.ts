/**
 * UltraCart's Conversation API as an `HttpRouter` over a mock store, built from the operation table: one
 * route per operation under `/rest/v2`, the credential check, path parameters, options and bodies checked
 * as the client checks them (a 400 otherwise), the operation's handler (`handlers.ts`, `behaviours.ts`),
 * and UltraCart's envelopes and `ErrorResponse` bodies with the `UC-REST-ERROR` header. `layerMock` runs
 * it in memory; `MockServer` serves it over a socket.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either, ParseResult, Schema } from "effect"
import { type Operation, operationList } from "../generated/operations.js"
import { routerPath } from "../internal/operation.js"
import * as validate from "../internal/validate.js"
import { behaviours } from "./behaviours.js"
import type { MockConversationStoreShape } from "./ConversationStore.js"
import { familyRoles } from "./families.js"
import { tableSettings } from "./tableFamilies.js"
import {
  badRequest,
  errorResponse,
  familyHandler,
  generatedHandler,
  type Handler,
  type Reply,
  type RequestInput,
  settingsHandler
} from "./handlers.js"

export { errorResponse } from "./handlers.js"

/** The path every route lives under, as in `https://secure.ultracart.com/rest/v2`. */
export const basePath = "/rest/v2"

/** The credentials a mock accepts; when neither is given, any non-empty key or bearer token is accepted. */
export interface MockCredentials {
  readonly simpleKey?: string | undefined
  readonly bearer?: string | undefined
}

/** How the routes answer. */
export interface RouteOptions {
  /** When given, only these credentials are accepted; anything else is 401. */
  readonly credentials?: MockCredentials | undefined
  /**
   * The status of a success without a body (join, leave, mark read, a delete, …): 204 with no body
   * (default) or 200 with `{"success":true}`.
   */
  readonly joinLeaveStatus?: 200 | 204 | undefined
}

/**
 * Wraps each route's handling, knowing which operation it serves (`undefined` for an unknown route).
 * `MockServer` uses it for the request record and fault injection.
 */
export type Around = <R>(
  operation: Operation | undefined,
  handle: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>
) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest>

const bearerPattern = /^Bearer\s+(\S.*)$/i

/** Whether the request carries an accepted credential. */
const authorized = (headers: Readonly<Record<string, string | undefined>>, credentials: MockCredentials | undefined) => {
  const key = headers["x-ultracart-simple-key"]
  const token = bearerPattern.exec(headers["authorization"] ?? "")?.[1]?.trim()
  if (credentials === undefined || (credentials.simpleKey === undefined && credentials.bearer === undefined)) {
    return (key !== undefined && key.trim().length > 0) || (token !== undefined && token.length > 0)
  }
  return (credentials.simpleKey !== undefined && key === credentials.simpleKey) ||
    (credentials.bearer !== undefined && token === credentials.bearer)
}

const wholeNumber = /^-?\d+$/

/** The path parameters by name: integers as numbers; a missing or ill-typed one is a 400. */
const pathValues = (operation: Operation, params: Readonly<Record<string, string | undefined>>) => {
  const values: Record<string, string | number> = {}
  for (const parameter of operation.pathParams) {
    const raw = params[parameter.name]
    if (raw === undefined || raw.length === 0) return Either.left(badRequest(`missing path parameter ${parameter.name}`))
    if (parameter.type === "string") {
      values[parameter.name] = raw
    } else if (wholeNumber.test(raw)) {
      values[parameter.name] = Number(raw)
    } else {
      return Either.left(badRequest(`${parameter.name} must be a whole number, got ${raw}`))
    }
  }
  return Either.right(values)
}

/** A query value read as its parameter's type; a value that is not is left as text, for the check to refuse. */
const typedValue = (type: string, raw: string): string | number | boolean => {
  if ((type === "int32" || type === "int64" || type === "integer") && wholeNumber.test(raw.trim())) return Number(raw)
  if (type === "number" && raw.trim().length > 0 && Number.isFinite(Number(raw))) return Number(raw)
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true"
  return raw
}

/** The options of a request, by option name, checked as the client checks them; a 400 otherwise. */
const optionValues = (operation: Operation, query: URLSearchParams) => {
  const given: Record<string, string | number | boolean> = {}
  for (const parameter of operation.query) {
    const raw = query.get(parameter.name)
    if (raw !== null) given[parameter.option] = typedValue(parameter.type, raw)
  }
  return Either.map(
    Either.mapLeft(validate.query(operation.id, operation.query, given), (error) => badRequest(error.message)),
    (values) => Object.fromEntries(operation.query.map((parameter) => [parameter.option, values?.[parameter.name]]))
  )
}

/** The request body checked against its model (its wire value), `undefined` when there is none. */
const bodyValue = (operation: Operation, text: string) => {
  const spec = operation.body
  if (spec === undefined) return Either.right(undefined)
  const schema: Schema.Schema.AnyNoContext = spec.schema
  if (text.trim().length === 0) {
    return spec.required ? Either.left(badRequest(`a request body is required (${operation.id})`)) : Either.right(undefined)
  }
  const parsed = spec.mediaType.startsWith("application/x-www-form-urlencoded")
    ? Either.right<unknown>(Object.fromEntries(new URLSearchParams(text)))
    : Either.mapLeft(Either.try((): unknown => JSON.parse(text)), () => badRequest("the request body is not JSON"))
  return Either.flatMap(parsed, (value) =>
    Either.mapLeft(
      validate.requestBody(operation.id, spec.argument, schema, value),
      (error) => badRequest(`invalid request body: ${error.reason.slice(0, 300)}`)
    ))
}

/** The HTTP answer of a reply: the model encoded through the response schema, or no body. */
const toResponse = (operation: Operation, reply: Reply, noBodyStatus: 200 | 204) => {
  const schema: Schema.Schema.AnyNoContext | undefined = operation.response
  if (reply._tag === "Wire") return Effect.succeed(HttpServerResponse.unsafeJson(reply.value))
  if (schema === undefined || reply._tag === "NoBody") {
    if (schema !== undefined) return Effect.succeed(HttpServerResponse.unsafeJson({ success: true }))
    return Effect.succeed(
      noBodyStatus === 204 ? HttpServerResponse.empty({ status: 204 }) : HttpServerResponse.unsafeJson({ success: true })
    )
  }
  return Effect.match(Schema.encodeUnknown(schema)(reply.value), {
    onFailure: (error) => errorResponse(500, `mock encoding failed: ${ParseResult.TreeFormatter.formatErrorSync(error)}`),
    onSuccess: (encoded) => HttpServerResponse.unsafeJson(encoded)
  })
}

/** Reads the request body (the platform caches it); an unreadable body is a 400. */
const readBody = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.mapError(request.text, () => badRequest("the request body could not be read"))

const unauthorized = errorResponse(401, "Invalid credentials supplied", {
  userMessage: "Invalid credentials supplied"
})

const identity: Around = (_operation, handle) => handle

/** The handler of every operation: its own behaviour, its family's, a setting's, or one from its schema. */
const makeHandlers = (store: MockConversationStoreShape): ReadonlyMap<string, Handler> => {
  const own = behaviours(store)
  const roles = familyRoles(store.resources.families)
  return new Map(operationList.map((operation) => {
    const generated = generatedHandler(operation)
    const role = roles.get(operation.id)
    const setting = tableSettings.get(operation.id)
    const handler = own[operation.id] ??
      (role !== undefined
        ? familyHandler(store.resources, role.family, role.role, generated)
        : setting !== undefined
        ? settingsHandler(store.resources, setting.name, setting.role)
        : generated)
    return [operation.id, handler]
  }))
}

/**
 * The routes of every operation over `store`. Every request without an accepted credential gets 401; a
 * path no operation matches gets 404. Both carry UltraCart's `ErrorResponse` body.
 */
export const makeRouter = (
  store: MockConversationStoreShape,
  options?: RouteOptions,
  around: Around = identity
): HttpRouter.HttpRouter => {
  const handlers = makeHandlers(store)
  const noBodyStatus = options?.joinLeaveStatus ?? 204
  const guarded = <R>(handle: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      authorized(request.headers, options?.credentials) ? handle : Effect.succeed(unauthorized))

  const routes = operationList.map((operation) => {
    const handler = handlers.get(operation.id) ?? generatedHandler(operation)
    const answer = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = yield* pathValues(operation, yield* HttpRouter.params)
      const options = yield* optionValues(operation, new URL(request.url, "http://mock.invalid").searchParams)
      const body = yield* bodyValue(operation, yield* readBody(request))
      const input: RequestInput = { operation, path, options, body }
      return yield* toResponse(operation, yield* handler(input), noBodyStatus)
    })
    return HttpRouter.makeRoute(
      operation.method,
      `${basePath}${routerPath(operation)}`,
      around(operation, guarded(Effect.merge(answer)))
    )
  })
  const unknownRoute = HttpRouter.makeRoute(
    "*",
    "*",
    around(
      undefined,
      guarded(Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
        errorResponse(404, `No such endpoint: ${request.method} ${request.url.split("?")[0] ?? ""}`)))
    )
  )
  return HttpRouter.fromIterable([...routes, unknownRoute])
}
