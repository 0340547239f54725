/**
 * Schemas for every model the Conversation API uses, named and shaped as in UltraCart's OpenAPI
 * description. Field names are the wire names; every field is optional, `null` reads as absent, unknown
 * fields are ignored and enum values UltraCart adds later still decode as strings.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** An optional wire field: absent, `undefined` or `null` (read as absent). */
const field = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/**
 * An enum UltraCart may extend without notice: the known values keep their literal types (and editor
 * completion), an unknown value still decodes as a plain string.
 */
const openEnum = <const Known extends readonly [string, ...Array<string>]>(
  ...known: Known
): Schema.Schema<Known[number] | (string & {}), string> => Schema.Union(Schema.Literal(...known), Schema.String)

/** A list of values: `null` reads as absent, the items are decoded one by one. */
const list = <S extends Schema.Schema.Any>(item: S) => field(Schema.Array(item))

/** A date-time string as UltraCart sends it (ISO 8601, kept verbatim). */
const DateTime = Schema.String

/** The channel a conversation runs on. */
export const ConversationMedium = openEnum("sms", "websocket")
/** The channel a conversation runs on (`sms`, `websocket`, or a value UltraCart added later). */
export type ConversationMedium = typeof ConversationMedium.Type

/** The kind of a conversation message. UltraCart added `tool call` without notice; more may follow. */
export const ConversationMessageType = openEnum("message", "notice", "engagement prompt", "tool call")
/** The kind of a conversation message. */
export type ConversationMessageType = typeof ConversationMessageType.Type

/** Delivery state of a message to one participant. */
export const ConversationMessageTransportStatusValue = openEnum(
  "accepted",
  "scheduled",
  "queued",
  "sending",
  "sent",
  "read",
  "TWILIO_CREDENTIALS_MISSING",
  "SENT_TO_TWILIO",
  "TWILIO_ERROR",
  "SENT_TO_PINPOINT",
  "PINPOINT_ERROR"
)
/** Delivery state of a message to one participant. */
export type ConversationMessageTransportStatusValue = typeof ConversationMessageTransportStatusValue.Type

/** The overall sentiment UltraCart detected in a conversation. */
export const ConversationSentimentValue = openEnum("POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED")
/** The overall sentiment UltraCart detected in a conversation. */
export type ConversationSentimentValue = typeof ConversationSentimentValue.Type

/** UltraCart's error detail (the spec's `Error` model, renamed because `Error` shadows the global). */
export const ErrorDetail = Schema.Struct({
  developer_message: field(Schema.String),
  error_code: field(Schema.String),
  more_info: field(Schema.String),
  object_id: field(Schema.String),
  user_message: field(Schema.String)
}).annotations({ identifier: "Error" })
/** UltraCart's error detail. */
export type ErrorDetail = typeof ErrorDetail.Type

/** A non-fatal warning UltraCart attached to a response. */
export const Warning = Schema.Struct({
  more_info: field(Schema.String),
  warning_code: field(Schema.String),
  warning_message: field(Schema.String)
}).annotations({ identifier: "Warning" })
/** A non-fatal warning UltraCart attached to a response. */
export type Warning = typeof Warning.Type

/** Paging information of a list response. `total_records` may be absent when unknown. */
export const ResultSet = Schema.Struct({
  count: field(Schema.Number),
  limit: field(Schema.Number),
  more: field(Schema.Boolean),
  next_offset: field(Schema.Number),
  offset: field(Schema.Number),
  total_records: field(Schema.Number)
}).annotations({ identifier: "ResultSet" })
/** Paging information of a list response. */
export type ResultSet = typeof ResultSet.Type

/** Metadata of a response: its payload name and, for lists, the result set. */
export const ResponseMetadata = Schema.Struct({
  payload_name: field(Schema.String),
  result_set: field(ResultSet)
}).annotations({ identifier: "ResponseMetadata" })
/** Metadata of a response. */
export type ResponseMetadata = typeof ResponseMetadata.Type

/** The fields every UltraCart response envelope shares. */
const envelope = {
  error: field(ErrorDetail),
  metadata: field(ResponseMetadata),
  success: field(Schema.Boolean),
  warning: field(Warning)
}

/** The body UltraCart sends with an error status. */
export const ErrorResponse = Schema.Struct(envelope).annotations({ identifier: "ErrorResponse" })
/** The body UltraCart sends with an error status. */
export type ErrorResponse = typeof ErrorResponse.Type

/** Sentiment scores of a conversation. */
export const ConversationSentiment = Schema.Struct({
  last_detect_sentiment: field(DateTime),
  mixed: field(Schema.Number),
  negative: field(Schema.Number),
  neutral: field(Schema.Number),
  positive: field(Schema.Number),
  sentiment: field(ConversationSentimentValue)
}).annotations({ identifier: "ConversationSentiment" })
/** Sentiment scores of a conversation. */
export type ConversationSentiment = typeof ConversationSentiment.Type

/** A participant of a conversation: a customer, an agent or a virtual agent. */
export const ConversationParticipant = Schema.Struct({
  conversation_participant_arn: field(Schema.String),
  conversation_participant_name: field(Schema.String),
  conversation_participant_uuid: field(Schema.String),
  email: field(Schema.String),
  joined_dts: field(DateTime),
  language_iso_code: field(Schema.String),
  last_message_dts: field(DateTime),
  left_dts: field(DateTime),
  profile_image_url: field(Schema.String),
  sms_phone_number: field(Schema.String),
  status: field(Schema.String),
  timezone: field(Schema.String),
  unread_messages: field(Schema.Number)
}).annotations({ identifier: "ConversationParticipant" })
/** A participant of a conversation. */
export type ConversationParticipant = typeof ConversationParticipant.Type

/** A message translated into another language. */
export const ConversationMessageTranslation = Schema.Struct({
  body: field(Schema.String),
  language_iso_code: field(Schema.String)
}).annotations({ identifier: "ConversationMessageTranslation" })
/** A message translated into another language. */
export type ConversationMessageTranslation = typeof ConversationMessageTranslation.Type

/** Delivery state of a message to one participant. */
export const ConversationMessageTransportStatus = Schema.Struct({
  conversation_participant_arn: field(Schema.String),
  status: field(ConversationMessageTransportStatusValue)
}).annotations({ identifier: "ConversationMessageTransportStatus" })
/** Delivery state of a message to one participant. */
export type ConversationMessageTransportStatus = typeof ConversationMessageTransportStatus.Type

/** One message of a conversation. */
export const ConversationMessage = Schema.Struct({
  author_conversation_participant_arn: field(Schema.String),
  author_conversation_participant_name: field(Schema.String),
  body: field(Schema.String),
  client_message_id: field(Schema.String),
  conversation_message_uuid: field(Schema.String),
  delay_until_dts: field(DateTime),
  language_iso_code: field(Schema.String),
  media_urls: list(Schema.String),
  merchant_id: field(Schema.String),
  message_dts: field(DateTime),
  message_epoch: field(Schema.Number),
  message_type: field(Schema.String),
  translations: list(ConversationMessageTranslation),
  transport_statuses: list(ConversationMessageTransportStatus),
  type: field(ConversationMessageType),
  upload_keys: list(Schema.String)
}).annotations({ identifier: "ConversationMessage" })
/** One message of a conversation. */
export type ConversationMessage = typeof ConversationMessage.Type

/** A whole conversation with its messages and participants. */
export const Conversation = Schema.Struct({
  base_language_iso_code: field(Schema.String),
  closed: field(Schema.Boolean),
  conversation_arn: field(Schema.String),
  conversation_uuid: field(Schema.String),
  customer_first_message_unresponded_to_dts: field(DateTime),
  last_conversation_message_body: field(Schema.String),
  last_conversation_participant_arn: field(Schema.String),
  last_conversation_participant_name: field(Schema.String),
  last_interactive_message_dts: field(DateTime),
  last_message_dts: field(DateTime),
  medium: field(ConversationMedium),
  merchant_id: field(Schema.String),
  message_count: field(Schema.Number),
  messages: list(ConversationMessage),
  participants: list(ConversationParticipant),
  sentiment: field(ConversationSentiment),
  start_dts: field(DateTime),
  unread_messages: field(Schema.Boolean),
  virtual_agent: field(Schema.Boolean),
  virtual_agent_cost: field(Schema.Number),
  visible: field(Schema.Boolean)
}).annotations({ identifier: "Conversation" })
/** A whole conversation with its messages and participants. */
export type Conversation = typeof Conversation.Type

/** A conversation as listed: the latest message and whether it was read, without the messages. */
export const ConversationSummary = Schema.Struct({
  closed: field(Schema.Boolean),
  conversation_arn: field(Schema.String),
  conversation_uuid: field(Schema.String),
  customer_first_message_unresponded_to_dts: field(DateTime),
  last_conversation_message_body: field(Schema.String),
  last_conversation_participant_arn: field(Schema.String),
  last_conversation_participant_name: field(Schema.String),
  last_interactive_message_dts: field(DateTime),
  last_message_dts: field(DateTime),
  medium: field(ConversationMedium),
  merchant_id: field(Schema.String),
  message_count: field(Schema.Number),
  participants: list(ConversationParticipant),
  sentiment: field(ConversationSentiment),
  start_dts: field(DateTime),
  unread_messages: field(Schema.Boolean),
  visible: field(Schema.Boolean)
}).annotations({ identifier: "ConversationSummary" })
/** A conversation as listed. */
export type ConversationSummary = typeof ConversationSummary.Type

/** One merchant an agent may work for. */
export const ConversationAgentAuthMerchant = Schema.Struct({
  company: field(Schema.String),
  is_parent: field(Schema.Boolean),
  merchant_id: field(Schema.String)
}).annotations({ identifier: "ConversationAgentAuthMerchant" })
/** One merchant an agent may work for. */
export type ConversationAgentAuthMerchant = typeof ConversationAgentAuthMerchant.Type

/** A Twilio account and its phone numbers. */
export const ConversationTwilioAccount = Schema.Struct({
  merchant_id: field(Schema.String),
  twilio_phone_numbers: list(Schema.String)
}).annotations({ identifier: "ConversationTwilioAccount" })
/** A Twilio account and its phone numbers. */
export type ConversationTwilioAccount = typeof ConversationTwilioAccount.Type

/** What an agent needs to open the conversation websocket: a JWT, the URL and the agent's rights. */
export const ConversationAgentAuth = Schema.Struct({
  chat_admin: field(Schema.Boolean),
  chat_user: field(Schema.Boolean),
  conversation_participant_arn: field(Schema.String),
  conversation_participant_name: field(Schema.String),
  customer_profile: field(Schema.Boolean),
  default_phone_number: field(Schema.String),
  group_ids: list(Schema.Number),
  jwt: field(Schema.String),
  merchant_id: field(Schema.String),
  merchants: list(ConversationAgentAuthMerchant),
  parent_merchant_id: field(Schema.String),
  pbx_admin: field(Schema.Boolean),
  pbx_jwt: field(Schema.String),
  pbx_supervisor: field(Schema.Boolean),
  pbx_user: field(Schema.Boolean),
  pbx_voice_identity: field(Schema.String),
  pbx_voice_token: field(Schema.String),
  pbx_worker_token: field(Schema.String),
  pbx_worker_token_v2: field(Schema.String),
  twilio_accounts: list(ConversationTwilioAccount),
  user_id: field(Schema.Number),
  websocket_url: field(Schema.String)
}).annotations({ identifier: "ConversationAgentAuth" })
/** What an agent needs to open the conversation websocket. */
export type ConversationAgentAuth = typeof ConversationAgentAuth.Type

/** A presigned URL to upload a message attachment to, and the key to reference it by. */
export const ConversationMultimediaUploadUrl = Schema.Struct({
  key: field(Schema.String),
  url: field(Schema.String)
}).annotations({ identifier: "ConversationMultimediaUploadUrl" })
/** A presigned upload URL and its key. */
export type ConversationMultimediaUploadUrl = typeof ConversationMultimediaUploadUrl.Type

/** The optional body of a join: the language the agent reads. */
export const ConversationJoinRequest = Schema.Struct({
  participant_language_iso_code: field(Schema.String)
}).annotations({ identifier: "ConversationJoinRequest" })
/** The optional body of a join. */
export type ConversationJoinRequest = typeof ConversationJoinRequest.Type

/** What to start a conversation with: participants to add, the queue, or an existing conversation. */
export const ConversationStartRequest = Schema.Struct({
  add_conversation_participant_arns: list(Schema.String),
  conversation_arn: field(Schema.String),
  conversation_webchat_queue_uuid: field(Schema.String),
  resolve_only: field(Schema.Boolean)
}).annotations({ identifier: "ConversationStartRequest" })
/** What to start a conversation with. */
export type ConversationStartRequest = typeof ConversationStartRequest.Type

/** Response of getAgentWebsocketAuthorization. */
export const ConversationAgentAuthResponse = Schema.Struct({
  agent_auth: field(ConversationAgentAuth),
  ...envelope
}).annotations({ identifier: "ConversationAgentAuthResponse" })
/** Response of getAgentWebsocketAuthorization. */
export type ConversationAgentAuthResponse = typeof ConversationAgentAuthResponse.Type

/** Response of getConversation. */
export const ConversationResponse = Schema.Struct({
  conversation: field(Conversation),
  ...envelope
}).annotations({ identifier: "ConversationResponse" })
/** Response of getConversation. */
export type ConversationResponse = typeof ConversationResponse.Type

/** Response of getConversations: one page of summaries, paging in `metadata.result_set`. */
export const ConversationsResponse = Schema.Struct({
  conversations: list(ConversationSummary),
  ...envelope
}).annotations({ identifier: "ConversationsResponse" })
/** Response of getConversations. */
export type ConversationsResponse = typeof ConversationsResponse.Type

/** Response of getConversationMultimediaUploadUrl. */
export const ConversationMultimediaUploadUrlResponse = Schema.Struct({
  conversation_multimedia_upload_url: field(ConversationMultimediaUploadUrl),
  ...envelope
}).annotations({ identifier: "ConversationMultimediaUploadUrlResponse" })
/** Response of getConversationMultimediaUploadUrl. */
export type ConversationMultimediaUploadUrlResponse = typeof ConversationMultimediaUploadUrlResponse.Type

/** Response of startConversation (UltraCart sends no envelope here, only the conversation). */
export const ConversationStartResponse = Schema.Struct({
  conversation: field(Conversation)
}).annotations({ identifier: "ConversationStartResponse" })
/** Response of startConversation. */
export type ConversationStartResponse = typeof ConversationStartResponse.Type
