/**
 * `ConversationService`: every UltraCart Conversation operation as an `Effect` with typed errors,
 * retries and timeouts, over whatever `HttpClient` the application provides.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Config, ConfigError, Context, Effect, Either, Layer, Option, Redacted } from "effect"
import * as Credentials from "./Credentials.js"
import { bindConversationService } from "./generated/bindings.js"
import type { ConversationServiceShape } from "./generated/services.js"
import { checkBaseUrl, defaultBaseUrl as internalDefaultBaseUrl } from "./internal/baseUrl.js"
import { redactCredentialHeaders } from "./internal/redaction.js"
import { type ClientOptions, makeServiceCaller } from "./internal/service.js"
import * as validate from "./internal/validate.js"

export type { ClientOptions } from "./internal/service.js"
export type * from "./generated/services.js"

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
      redactCredentialHeaders
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

/** Builds the service over the `HttpClient` in context: every method is a row of the operation table. */
const make = (options: ClientOptions): Effect.Effect<ConversationServiceShape, never, HttpClient.HttpClient> =>
  Effect.map(makeServiceCaller("ConversationService", options), bindConversationService)
