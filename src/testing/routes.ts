/**
 * UltraCart's Conversation API as an `HttpRouter` over a mock store, built from the operation table:
 * one route per operation under `/rest/v2`, the credential check, request bodies decoded with the
 * table's schemas, UltraCart's envelopes and `ErrorResponse` bodies with the `UC-REST-ERROR` header.
 * `layerMock` runs it in memory; `MockServer` serves it over a socket.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import type { ErrorResponse } from "../Models.js"
import { type Operation, type OperationId, operationList, operations, routerPath } from "../internal/operations.js"
import { formatParseError } from "../internal/parseIssue.js"
import type { ConversationNotFound, InvalidRequest, MockConversationStoreShape } from "./ConversationStore.js"

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
  /** The status of a successful join or leave: 204 with no body (default) or 200 with `{"success":true}`. */
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

/** Header values must be visible ASCII; user input (a uuid) may be anything. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 500)

/** UltraCart's error answer: an `ErrorResponse` body and the `UC-REST-ERROR` header. */
export const errorResponse = (
  status: number,
  developerMessage: string,
  options?: { readonly userMessage?: string | undefined; readonly objectId?: string | undefined; readonly headers?: Readonly<Record<string, string>> | undefined }
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

const notFound = (error: ConversationNotFound) =>
  errorResponse(404, `Conversation ${error.conversationUuid} was not found`, {
    userMessage: "Conversation not found",
    objectId: error.conversationUuid
  })

const badRequest = (reason: string) => errorResponse(400, reason, { userMessage: "Bad request input" })

const fromStoreError = (error: ConversationNotFound | InvalidRequest) =>
  error._tag === "ConversationNotFound" ? notFound(error) : badRequest(error.reason)

/** A 2xx JSON answer encoded through the operation's response schema. */
const jsonResponse = <A, I>(schema: Schema.Schema<A, I>, value: A, status = 200) =>
  Effect.match(Schema.encode(schema)(value), {
    onFailure: (error) => errorResponse(500, `mock encoding failed: ${ParseResult.TreeFormatter.formatErrorSync(error)}`),
    onSuccess: (encoded) => HttpServerResponse.unsafeJson(encoded, { status })
  })

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

/** An optional whole-number query parameter; `undefined` when absent, `Left` when not a number. */
const queryInteger = (query: URLSearchParams, name: string): Either.Either<number | undefined, string> => {
  const raw = query.get(name)
  if (raw === null) return Either.right(undefined)
  return /^-?\d+$/.test(raw.trim())
    ? Either.right(Number(raw))
    : Either.left(`${name} must be a whole number, got ${raw}`)
}

const queryString = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined

/**
 * The decoder of a JSON request body, built once per schema: `None` for an empty body, a 400 answer
 * when invalid.
 */
const bodyDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
  return (text: string) => {
    if (text.trim().length === 0) return Either.right(Option.none<A>())
    return decode(text).pipe(
      Either.map(Option.some),
      Either.mapLeft((error) =>
        badRequest(`invalid request body: ${formatParseError("body", error)}`)
      )
    )
  }
}

const decodeJoinBody = bodyDecoder(operations.joinConversation.requestBody)
const decodeStartBody = bodyDecoder(operations.startConversation.requestBody)

interface RouteInput {
  readonly param: string | undefined
  readonly query: URLSearchParams
  readonly body: Effect.Effect<string, HttpServerResponse.HttpServerResponse>
}

type Handler = (input: RouteInput) => Effect.Effect<HttpServerResponse.HttpServerResponse, HttpServerResponse.HttpServerResponse>

const emptySuccess = (status: 200 | 204) =>
  status === 204 ? HttpServerResponse.empty({ status: 204 }) : HttpServerResponse.unsafeJson({ success: true })

/** One handler per operation id: the table's rows must all be handled. */
const makeHandlers = (
  store: MockConversationStoreShape,
  options: RouteOptions | undefined
): { readonly [K in OperationId]: Handler } => {
  const joinLeaveStatus = options?.joinLeaveStatus ?? 204
  const required = (param: string | undefined) =>
    param === undefined || param.length === 0 ? Effect.fail(badRequest("missing path parameter")) : Effect.succeed(param)
  return {
    getAgentWebsocketAuthorization: () =>
      Effect.flatMap(store.agentAuth, (agent_auth) =>
        jsonResponse(operations.getAgentWebsocketAuthorization.response, {
          agent_auth,
          success: true,
          metadata: { payload_name: "agent_auth" }
        })),
    getConversation: ({ param, query }) =>
      Effect.gen(function*() {
        const uuid = yield* required(param)
        const limit = yield* Either.mapLeft(queryInteger(query, "limit"), badRequest)
        const conversation = yield* Effect.mapError(store.get(uuid, { limit }), fromStoreError)
        return yield* jsonResponse(operations.getConversation.response, {
          conversation,
          success: true,
          metadata: { payload_name: "conversation" }
        })
      }),
    getConversationMultimediaUploadUrl: ({ param }) =>
      Effect.gen(function*() {
        const extension = yield* required(param)
        const url = yield* Effect.mapError(store.uploadUrl(extension), fromStoreError)
        return yield* jsonResponse(operations.getConversationMultimediaUploadUrl.response, {
          conversation_multimedia_upload_url: url,
          success: true,
          metadata: { payload_name: "conversation_multimedia_upload_url" }
        })
      }),
    getConversations: ({ query }) =>
      Effect.gen(function*() {
        const limit = yield* Either.mapLeft(queryInteger(query, "_limit"), badRequest)
        const offset = yield* Either.mapLeft(queryInteger(query, "_offset"), badRequest)
        const page = yield* Effect.mapError(
          store.list({ limit, offset, medium: queryString(query, "medium"), before: queryString(query, "before") }),
          fromStoreError
        )
        return yield* jsonResponse(operations.getConversations.response, page)
      }),
    joinConversation: ({ param, body }) =>
      Effect.gen(function*() {
        const uuid = yield* required(param)
        const request = yield* decodeJoinBody(yield* body)
        yield* Effect.mapError(store.join(uuid, Option.getOrUndefined(request)), fromStoreError)
        return emptySuccess(joinLeaveStatus)
      }),
    leaveConversation: ({ param }) =>
      Effect.gen(function*() {
        const uuid = yield* required(param)
        yield* Effect.mapError(store.leave(uuid), fromStoreError)
        return emptySuccess(joinLeaveStatus)
      }),
    startConversation: ({ body }) =>
      Effect.gen(function*() {
        const request = yield* decodeStartBody(yield* body)
        if (Option.isNone(request)) return yield* Effect.fail(badRequest("a ConversationStartRequest body is required"))
        const conversation = yield* Effect.mapError(store.start(request.value), fromStoreError)
        return yield* jsonResponse(operations.startConversation.response, { conversation })
      })
  }
}

/** Reads the request body (the platform caches it); an unreadable body is a 400. */
const readBody = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.mapError(request.text, () => badRequest("the request body could not be read"))

const unauthorized = errorResponse(401, "Invalid credentials supplied", {
  userMessage: "Invalid credentials supplied"
})

const identity: Around = (_operation, handle) => handle

/**
 * The routes of the seven operations over `store`. Every request without an accepted credential gets
 * 401; a path no operation matches gets 404. Both carry UltraCart's `ErrorResponse` body.
 */
export const makeRouter = (
  store: MockConversationStoreShape,
  options?: RouteOptions,
  around: Around = identity
): HttpRouter.HttpRouter => {
  const handlers = makeHandlers(store, options)
  const guarded = <R>(handle: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      authorized(request.headers, options?.credentials) ? handle : Effect.succeed(unauthorized))

  const routes = operationList.map((operation) =>
    HttpRouter.makeRoute(
      operation.method,
      `${basePath}${routerPath(operation)}`,
      around(
        operation,
        guarded(Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const params = yield* HttpRouter.params
          const input: RouteInput = {
            param: operation.pathParam === undefined ? undefined : params[operation.pathParam],
            query: new URL(request.url, "http://mock.invalid").searchParams,
            body: readBody(request)
          }
          return yield* Effect.merge(handlers[operation.id](input))
        }))
      )
    )
  )
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
