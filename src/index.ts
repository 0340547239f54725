/**
 * effect-ultracart-conversation: an Effect-native client for UltraCart's Conversation API.
 *
 * @since 0.1.0
 */
export { ConversationEmbedService } from "./ConversationEmbedService.js"
export { ConversationService, defaultBaseUrl, optionsFromConfig } from "./ConversationService.js"
export type * from "./ConversationService.js"
export * as Credentials from "./Credentials.js"
export * from "./Errors.js"
export * as Metrics from "./Metrics.js"
export * from "./Models.js"
export * as RateLimit from "./RateLimit.js"
export * as RetryPolicy from "./RetryPolicy.js"
export { type OperationId, operations } from "./generated/operations.js"
export type { OperationSpec, RetryClass } from "./internal/operation.js"
