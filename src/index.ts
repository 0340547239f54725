/**
 * effect-ultracart-conversation: an Effect-native client for UltraCart's Conversation API.
 *
 * @since 0.1.0
 */
export {
  type ClientOptions,
  ConversationService,
  type ConversationServiceShape,
  defaultBaseUrl,
  type GetConversationOptions,
  type GetConversationsOptions,
  optionsFromConfig,
  type StreamConversationsOptions
} from "./ConversationService.js"
export * as Credentials from "./Credentials.js"
export * from "./Errors.js"
export * from "./Models.js"
export * as RetryPolicy from "./RetryPolicy.js"
