/**
 * Where the command line sends its requests, and with which credentials: the environment as
 * `ConversationService.layerConfig()` reads it (`ULTRACART_API_KEY` or `ULTRACART_OAUTH_TOKEN`,
 * `ULTRACART_BASE_URL`), `--base-url` over the environment's base URL, or `--mock`: the embedded
 * `MockServer` with its default seed and its own credentials, started for the command's lifetime.
 */
import type { HttpClient, HttpServerError } from "@effect/platform"
import { Effect, Either, Layer, Option } from "effect"
import { optionsFromConfig } from "../ConversationService.js"
import { checkBaseUrl } from "../internal/baseUrl.js"
import { describeConfigError, UsageError } from "./errors.js"
import { Operations } from "./Operations.js"

/** The connection flags, as given on the command line. */
export interface Connection {
  readonly mock: boolean
  readonly baseUrl: Option.Option<string>
}

const fromEnvironment = (baseUrl: Option.Option<string>) =>
  Effect.gen(function*() {
    const given = Option.map(baseUrl, checkBaseUrl)
    if (Option.isSome(given) && Either.isLeft(given.value)) {
      return yield* new UsageError({ reason: `invalid --base-url: ${given.value.left}` })
    }
    const options = yield* Effect.mapError(
      optionsFromConfig,
      (error) => new UsageError({ reason: `${describeConfigError(error)} (or try --mock, the embedded server)` })
    )
    const url = Option.isSome(given) && Either.isRight(given.value) ? given.value.right : options.baseUrl
    return Operations.layer({ ...options, baseUrl: url })
  })

/** The embedded server, loaded only for `--mock` (it brings the HTTP server and the mock store). */
const fromMock = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("../testing/MockServer.js")), ({ MockServer }) =>
    Layer.unwrapEffect(
      Effect.map(MockServer, (server) => Operations.layer({ credentials: server.credentials, baseUrl: server.baseUrl }))
    ).pipe(Layer.provide(MockServer.layer())))
)

/** This package's undici transport, loaded when a request is to be sent (help and usage errors need none). */
const undiciLayer = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("../undici/UndiciHttpClient.js")), (undici) => undici.layer)
)

/** The `Operations` the connection flags ask for, over this package's undici transport. */
export const operationsLayer = (
  connection: Connection
): Layer.Layer<Operations, UsageError | HttpServerError.ServeError> => {
  if (connection.mock && Option.isSome(connection.baseUrl)) {
    return Layer.fail(new UsageError({ reason: "--mock and --base-url cannot be used together" }))
  }
  const operations: Layer.Layer<Operations, UsageError | HttpServerError.ServeError, HttpClient.HttpClient> = connection.mock
    ? fromMock
    : Layer.unwrapEffect(fromEnvironment(connection.baseUrl))
  return Layer.provide(operations, undiciLayer)
}
