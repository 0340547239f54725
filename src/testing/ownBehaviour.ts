/**
 * The operations the mock answers with a behaviour of its own (`behaviours.ts`) rather than generically
 * from the operation table: they belong to no resource family.
 *
 * @since 0.2.0
 */
import type { OperationId } from "../generated/operations.js"

/** The operations with a behaviour of their own. */
export const ownBehaviour: ReadonlySet<OperationId> = new Set<OperationId>([
  "getAgentWebsocketAuthorization",
  "getConversation",
  "getConversationContext",
  "getConversationMessages",
  "getConversationMultimediaUploadUrl",
  "getConversations",
  "getConversationsSearch",
  "getConversationWebchatQueueStatuses",
  "joinConversation",
  "leaveConversation",
  "markReadConversation",
  "searchAgentStatusHistory",
  "searchConversationCannedMessages",
  "searchPbxCalls",
  "smsUnsubscribeConversation",
  "startConversation",
  "updateConversationWebchatQueueStatus"
])
