/**
 * `ConversationService`: every UltraCart Conversation operation as an `Effect` with typed errors,
 * retries and timeouts, over whatever `HttpClient` the application provides.
 *
 * @since 0.1.0
 */
import { Headers, HttpClient } from "@effect/platform"
import {
  Config,
  ConfigError,
  Context,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  Redacted,
  type Schema,
  Stream,
  type Tracer
} from "effect"
import * as Credentials from "./Credentials.js"
import type { ConversationError, InvalidInputError } from "./Errors.js"
import type * as Models from "./Models.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { checkBaseUrl, defaultBaseUrl as internalDefaultBaseUrl } from "./internal/baseUrl.js"
import { makeCore } from "./internal/client.js"
import { operations, type OperationShape } from "./internal/operations.js"
import { pageThrough } from "./internal/paging.js"
import { withCredentialHeaders } from "./internal/redaction.js"
import { withResultFreeSpan } from "./internal/span.js"
import * as validate from "./internal/validate.js"

/** How to reach UltraCart. */
export interface ClientOptions {
  readonly credentials: Credentials.Credentials
  /** Defaults to `https://secure.ultracart.com/rest/v2`; plain http is refused unless the host is loopback. */
  readonly baseUrl?: string | undefined
  /**
   * The timeout of each attempt: request, headers and body (default 30 seconds). `UndiciHttpClient`
   * enforces it with its own timer; over any other `HttpClient` each attempt runs in a child fiber.
   * `Duration.infinity` turns it off, e.g. when the HTTP client enforces its own timeouts.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Defaults to `RetryPolicy.default`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** Options of `getConversation`. */
export interface GetConversationOptions {
  /** The most messages to return (a positive whole number). */
  readonly limit?: number | undefined
}

/** Options of `getConversations`. */
export interface GetConversationsOptions {
  /** Page size, 1 to 200 (UltraCart's default is 100). */
  readonly limit?: number | undefined
  /** Zero-based index of the first conversation. */
  readonly offset?: number | undefined
  readonly medium?: "sms" | "websocket" | undefined
  /** Only conversations before this point (passed to UltraCart as given). */
  readonly before?: string | undefined
}

/** Options of `streamConversations`. */
export interface StreamConversationsOptions {
  /** Conversations fetched per request, 1 to 200 (default 100). */
  readonly pageSize?: number | undefined
  readonly medium?: "sms" | "websocket" | undefined
  readonly before?: string | undefined
}

/** The operations of the service, as a plain record of functions. */
export interface ConversationServiceShape {
  /** A JWT and websocket URL that authorize the agent to open the conversation websocket. */
  readonly getAgentWebsocketAuthorization: () => Effect.Effect<Models.ConversationAgentAuthResponse, ConversationError>
  /** One conversation with its messages and participants. */
  readonly getConversation: (
    conversationUuid: string,
    options?: GetConversationOptions
  ) => Effect.Effect<Models.ConversationResponse, ConversationError>
  /** A presigned URL to upload an attachment with this file extension to. */
  readonly getConversationMultimediaUploadUrl: (
    extension: string
  ) => Effect.Effect<Models.ConversationMultimediaUploadUrlResponse, ConversationError>
  /** One page of conversation summaries, newest first. */
  readonly getConversations: (
    options?: GetConversationsOptions
  ) => Effect.Effect<Models.ConversationsResponse, ConversationError>
  /** Joins the agent to a conversation. */
  readonly joinConversation: (
    conversationUuid: string,
    request?: Models.ConversationJoinRequest
  ) => Effect.Effect<void, ConversationError>
  /** Takes the agent out of a conversation. */
  readonly leaveConversation: (conversationUuid: string) => Effect.Effect<void, ConversationError>
  /** Starts a conversation. Never sent twice unless the server surely did not process it. */
  readonly startConversation: (
    request: Models.ConversationStartRequest
  ) => Effect.Effect<Models.ConversationStartResponse, ConversationError>
  /** Every conversation summary, newest first, fetched lazily page by page. */
  readonly streamConversations: (
    options?: StreamConversationsOptions
  ) => Stream.Stream<Models.ConversationSummary, ConversationError>
}

/** The Conversation API as an Effect service. */
export class ConversationService extends Context.Tag("effect-ultracart-conversation/ConversationService")<
  ConversationService,
  ConversationServiceShape
>() {
  /**
   * Talks to UltraCart through whatever `HttpClient` the application provides. It also adds the
   * credential headers to the header names the platform redacts (`Headers.currentRedactedNames`) for the
   * fibers it is provided to; calls redact them in any case.
   */
  static readonly layer = (options: ClientOptions): Layer.Layer<ConversationService, never, HttpClient.HttpClient> =>
    Layer.merge(
      Layer.effect(ConversationService, make(options)),
      Layer.fiberRefLocallyScopedWith(Headers.currentRedactedNames, withCredentialHeaders)
    )

  /**
   * Like `layer`, configured from `ULTRACART_API_KEY` or `ULTRACART_OAUTH_TOKEN` (one is required) and
   * `ULTRACART_BASE_URL` (optional), read through Effect's `Config`.
   */
  static readonly layerConfig = (
    options?: Omit<ClientOptions, "credentials" | "baseUrl">
  ): Layer.Layer<ConversationService, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.unwrapEffect(Effect.map(optionsFromConfig, (config) => ConversationService.layer({ ...options, ...config })))
}

/** UltraCart's production base URL, used when `ClientOptions.baseUrl` is not given. */
export const defaultBaseUrl: string = internalDefaultBaseUrl

/** Reads credentials and base URL from the environment (or any `ConfigProvider`). */
export const optionsFromConfig: Config.Config<ClientOptions> = Config.all({
  apiKey: Config.option(Config.redacted("ULTRACART_API_KEY")),
  oauthToken: Config.option(Config.redacted("ULTRACART_OAUTH_TOKEN")),
  baseUrl: Config.option(Config.string("ULTRACART_BASE_URL"))
}).pipe(
  Config.mapOrFail(({ apiKey, baseUrl, oauthToken }) => {
    const present = (secret: Option.Option<Redacted.Redacted<string>>) =>
      Option.filter(secret, (value) => Redacted.value(value).trim().length > 0)
    const key = present(apiKey)
    const token = present(oauthToken)
    if (Option.isSome(key) && Option.isSome(token)) {
      return Either.left(
        ConfigError.InvalidData([], "set only one of ULTRACART_API_KEY and ULTRACART_OAUTH_TOKEN, not both")
      )
    }
    const credentials = Option.isSome(key)
      ? Option.some(Credentials.simpleKey(key.value))
      : Option.map(token, Credentials.bearer)
    if (Option.isNone(credentials)) {
      return Either.left(ConfigError.MissingData([], "set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN"))
    }
    const credentialProblem = validate.credentialProblem(credentials.value)
    if (credentialProblem !== undefined) {
      const name = Option.isSome(key) ? "ULTRACART_API_KEY" : "ULTRACART_OAUTH_TOKEN"
      return Either.left(ConfigError.InvalidData([name], credentialProblem))
    }
    if (Option.isNone(baseUrl)) return Either.right({ credentials: credentials.value })
    return checkBaseUrl(baseUrl.value).pipe(
      Either.map((url): ClientOptions => ({ credentials: credentials.value, baseUrl: url })),
      Either.mapLeft((reason) => ConfigError.InvalidData(["ULTRACART_BASE_URL"], reason))
    )
  })
)

const maxListLimit = 200
const anyPositive = Number.MAX_SAFE_INTEGER

/**
 * Builds the service over the `HttpClient` in context. A base URL that is refused (not https and not
 * loopback) or malformed, or a credential no HTTP header can carry, is a defect: the layer fails to build
 * and nothing is ever sent with it.
 */
const make = (options: ClientOptions): Effect.Effect<ConversationServiceShape, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = checkBaseUrl(options.baseUrl ?? internalDefaultBaseUrl)
    if (Either.isLeft(baseUrl)) return yield* Effect.dieMessage(`ConversationService: ${baseUrl.left}`)
    const credentialProblem = validate.credentialProblem(options.credentials)
    if (credentialProblem !== undefined) return yield* Effect.dieMessage(`ConversationService: ${credentialProblem}`)
    const client = yield* HttpClient.HttpClient
    const core = makeCore(client, {
      baseUrl: baseUrl.right,
      credentials: options.credentials,
      timeout: Duration.decode(options.timeout ?? Duration.seconds(30)),
      retry: options.retry ?? RetryPolicy.default
    })
    /**
     * An operation's calls, each in the operation's span (its name and options made once here): the
     * arguments are checked first (an `InvalidInputError` sends nothing). Plain functions rather than
     * `Effect.fn`: no generator run through the fiber and no call-site stack captured on every call; the
     * span does not keep the result (see `internal/span.ts`), and the core makes it the parent of the
     * HTTP spans.
     */
    const traced = <Input, A>(
      operation: OperationShape,
      send: (input: Input, span: Tracer.Span) => Effect.Effect<A, ConversationError>
    ) => {
      const name = `ConversationService.${operation.id}`
      const spanOptions: Tracer.SpanOptions = {
        attributes: { "http.request.method": operation.method, "url.template": operation.path },
        captureStackTrace: false
      }
      return (check: () => Either.Either<Input, InvalidInputError>): Effect.Effect<A, ConversationError> =>
        withResultFreeSpan(name, spanOptions, (span) => {
          const checked = check()
          return Either.isLeft(checked) ? Effect.fail(checked.left) : send(checked.right, span)
        })
    }

    /** The calls of an operation that answers with a JSON body. */
    const jsonCalls = <A, I>(operation: OperationShape & { readonly response: Schema.Schema<A, I> }) =>
      traced(operation, core.json(operation, operation.response))

    const calls = {
      getAgentWebsocketAuthorization: jsonCalls(operations.getAgentWebsocketAuthorization),
      getConversation: jsonCalls(operations.getConversation),
      getConversationMultimediaUploadUrl: jsonCalls(operations.getConversationMultimediaUploadUrl),
      getConversations: jsonCalls(operations.getConversations),
      joinConversation: traced(operations.joinConversation, core.empty(operations.joinConversation)),
      leaveConversation: traced(operations.leaveConversation, core.empty(operations.leaveConversation)),
      startConversation: jsonCalls(operations.startConversation)
    }

    const getAgentWebsocketAuthorization = () => calls.getAgentWebsocketAuthorization(() => Either.right({}))

    const getConversation = (conversationUuid: string, options?: GetConversationOptions) =>
      // The polling operations check their arguments without a generator (cheaper on every call).
      calls.getConversation(() => {
        const id = operations.getConversation.id
        return Either.flatMap(validate.pathSegment(id, "conversationUuid", conversationUuid), (segment) =>
          Either.flatMap(validate.optionsObject(id, options), (given) =>
            Either.map(
              validate.optionalInteger(id, "limit", given.limit, 1, anyPositive),
              (limit) => ({ segment, query: { limit } })
            )))
      })

    const getConversationMultimediaUploadUrl = (extension: string) =>
      calls.getConversationMultimediaUploadUrl(() =>
        Either.map(validate.extension(operations.getConversationMultimediaUploadUrl.id, extension), (segment) => ({ segment }))
      )

    const getConversations = (options?: GetConversationsOptions) =>
      calls.getConversations(() => {
        const id = operations.getConversations.id
        return Either.flatMap(validate.optionsObject(id, options), (given) =>
          Either.map(
            Either.all({
              _limit: validate.optionalInteger(id, "limit", given.limit, 1, maxListLimit),
              _offset: validate.optionalInteger(id, "offset", given.offset, 0, anyPositive),
              medium: validate.optionalMedium(id, given.medium),
              before: validate.optionalString(id, "before", given.before)
            }),
            (query) => ({ query })
          ))
      })

    const joinConversation = (conversationUuid: string, request?: Models.ConversationJoinRequest) =>
      calls.joinConversation(() =>
        Either.gen(function*() {
          const id = operations.joinConversation.id
          const segment = yield* validate.pathSegment(id, "conversationUuid", conversationUuid)
          const body = request === undefined
            ? undefined
            : yield* validate.requestBody(id, "request", operations.joinConversation.requestBody, request)
          return { segment, body }
        }))

    const leaveConversation = (conversationUuid: string) =>
      calls.leaveConversation(() =>
        Either.map(validate.pathSegment(operations.leaveConversation.id, "conversationUuid", conversationUuid), (segment) => ({ segment }))
      )

    const startConversation = (request: Models.ConversationStartRequest) =>
      calls.startConversation(() =>
        Either.map(
          validate.requestBody(operations.startConversation.id, "request", operations.startConversation.requestBody, request),
          (body) => ({ body })
        )
      )

    const streamConversations = (options?: StreamConversationsOptions) =>
      Stream.unwrap(Effect.gen(function*() {
        const id = "streamConversations"
        const given = yield* validate.optionsObject(id, options)
        const pageSize = (yield* validate.optionalInteger(id, "pageSize", given.pageSize, 1, maxListLimit)) ?? 100
        const medium = yield* validate.optionalMedium(id, given.medium)
        const before = yield* validate.optionalString(id, "before", given.before)
        // Each page: the options were checked above; only the offset (from the server) is new.
        return pageThrough({
          fetchPage: (offset) =>
            calls.getConversations(() =>
              Either.map(
                validate.optionalInteger(operations.getConversations.id, "offset", offset, 0, anyPositive),
                (_offset) => ({ query: { _limit: pageSize, _offset, medium, before } })
              )
            ),
          items: (page) => page.conversations ?? [],
          resultSet: (page) => page.metadata?.result_set,
          pageSize
        })
      }))

    return ConversationService.of({
      getAgentWebsocketAuthorization,
      getConversation,
      getConversationMultimediaUploadUrl,
      getConversations,
      joinConversation,
      leaveConversation,
      startConversation,
      streamConversations
    })
  })
