/**
 * `ConversationEmbedService`: the operations under `/conversation_embed` (UltraCart's embeddable widget:
 * the device OAuth flow and the softphone's PBX authorization), with the same layers, errors, retries
 * and spans as `ConversationService`.
 *
 * @since 0.2.0
 */
import type { HttpClient } from "@effect/platform"
import { type ConfigError, Context, Effect, Layer } from "effect"
import { optionsFromConfig } from "./ConversationService.js"
import { bindConversationEmbedService } from "./generated/bindings.js"
import type { ConversationEmbedServiceShape } from "./generated/services.js"
import { redactCredentialHeaders } from "./internal/redaction.js"
import { type ClientOptions, makeServiceCaller } from "./internal/service.js"

/** The embed widget's operations as an Effect service. */
export class ConversationEmbedService extends Context.Tag("effect-ultracart-conversation/ConversationEmbedService")<
  ConversationEmbedService,
  ConversationEmbedServiceShape
>() {
  /** Talks to UltraCart through whatever `HttpClient` the application provides (as `ConversationService.layer`). */
  static readonly layer = (
    options: ClientOptions
  ): Layer.Layer<ConversationEmbedService, never, HttpClient.HttpClient> =>
    Layer.merge(
      Layer.effect(
        ConversationEmbedService,
        Effect.map(makeServiceCaller("ConversationEmbedService", options), bindConversationEmbedService)
      ),
      redactCredentialHeaders
    )

  /** Like `layer`, configured from the environment as `ConversationService.layerConfig` is. */
  static readonly layerConfig = (
    options?: Omit<ClientOptions, "credentials" | "baseUrl">
  ): Layer.Layer<ConversationEmbedService, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.unwrapEffect(
      Effect.map(optionsFromConfig, (config) => ConversationEmbedService.layer({ ...options, ...config }))
    )
}
