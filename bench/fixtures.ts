/**
 * Deterministic UltraCart-shaped bodies for the benchmark: a conversation with its messages and
 * participants, and pages of conversation summaries with UltraCart's `metadata.result_set` envelope.
 */

const merchantId = "DEMO"
const participantArn = (n: number) => `arn:aws:connect:us-east-1:123456789012:instance/participant-${n}`

const participant = (n: number, joined: string) => ({
  conversation_participant_arn: participantArn(n),
  conversation_participant_name: n === 0 ? "Customer 0421" : `Agent Smith ${n}`,
  conversation_participant_uuid: `c7e1b7a4-1f2a-4f3b-9c1d-00000000000${n}`,
  email: n === 0 ? "customer0421@example.com" : `agent${n}@demo-store.example.com`,
  joined_dts: joined,
  language_iso_code: "en",
  last_message_dts: joined,
  left_dts: null,
  profile_image_url: n === 0 ? null : `https://secure.ultracart.com/img/agents/${n}.png`,
  sms_phone_number: null,
  status: "joined",
  timezone: "America/New_York",
  unread_messages: n
})

const sentences = [
  "Hi, I ordered the blue running shoes last week and the tracking number has not updated since Monday.",
  "Thanks for reaching out! Let me look up your order, could you confirm the email address on the account?",
  "Sure, it is the same one I am chatting from. The order number starts with DEMO-0012.",
  "I found it. The carrier shows the package at the regional hub; it should move within 24 hours.",
  "Great, and if it does not arrive by Friday can I still exchange the size?",
  "Absolutely, exchanges are free within 30 days of delivery. I will add a note to your order."
]

const isoAt = (epoch: number) => new Date(epoch).toISOString()

/** One conversation message, varied by its index. */
export const message = (i: number, start: number) => {
  const epoch = start + i * 45_000
  return {
    author_conversation_participant_arn: participantArn(i % 2),
    author_conversation_participant_name: i % 2 === 0 ? "Customer 0421" : "Agent Smith 1",
    body: sentences[i % sentences.length],
    client_message_id: `client-${i}`,
    conversation_message_uuid: `9a0f5c3e-7d41-4c8b-a1e2-${String(i).padStart(12, "0")}`,
    delay_until_dts: null,
    language_iso_code: "en",
    media_urls: i % 5 === 4 ? [`https://media.example.com/uploads/${i}.png`] : [],
    merchant_id: merchantId,
    message_dts: isoAt(epoch),
    message_epoch: epoch,
    message_type: null,
    translations: i % 3 === 0 ? [{ body: sentences[i % sentences.length], language_iso_code: "es" }] : [],
    transport_statuses: [
      { conversation_participant_arn: participantArn(0), status: i % 7 === 6 ? "queued" : "read" },
      { conversation_participant_arn: participantArn(1), status: "sent" }
    ],
    type: "message",
    upload_keys: []
  }
}

const start = Date.UTC(2024, 4, 14, 15, 30, 0)

/** A `ConversationResponse` with `messageCount` messages (10 make about 6.5 KB of JSON). */
export const conversationResponse = (uuid: string, messageCount: number) => ({
  conversation: {
    base_language_iso_code: "en",
    closed: false,
    conversation_arn: `arn:aws:connect:us-east-1:123456789012:instance/conversation/${uuid}`,
    conversation_uuid: uuid,
    customer_first_message_unresponded_to_dts: null,
    last_conversation_message_body: sentences[(messageCount - 1) % sentences.length],
    last_conversation_participant_arn: participantArn(1),
    last_conversation_participant_name: "Agent Smith 1",
    last_interactive_message_dts: isoAt(start + messageCount * 45_000),
    last_message_dts: isoAt(start + messageCount * 45_000),
    medium: "websocket",
    merchant_id: merchantId,
    message_count: messageCount,
    messages: Array.from({ length: messageCount }, (_, i) => message(i, start)),
    participants: [participant(0, isoAt(start)), participant(1, isoAt(start + 30_000))],
    sentiment: {
      last_detect_sentiment: isoAt(start + 60_000),
      mixed: 0.02,
      negative: 0.11,
      neutral: 0.61,
      positive: 0.26,
      sentiment: "NEUTRAL"
    },
    start_dts: isoAt(start),
    unread_messages: false,
    virtual_agent: false,
    virtual_agent_cost: null,
    visible: true
  },
  error: null,
  metadata: { payload_name: "conversation", result_set: null },
  success: true,
  warning: null
})

/** One conversation summary of the list, varied by its index. */
export const summary = (index: number) => {
  const epoch = start - index * 60_000
  return {
    closed: index % 4 === 0,
    conversation_arn: `arn:aws:connect:us-east-1:123456789012:instance/conversation/c-${index}`,
    conversation_uuid: `c-${String(index).padStart(8, "0")}`,
    customer_first_message_unresponded_to_dts: null,
    last_conversation_message_body: sentences[index % sentences.length],
    last_conversation_participant_arn: participantArn(index % 2),
    last_conversation_participant_name: index % 2 === 0 ? "Customer 0421" : "Agent Smith 1",
    last_interactive_message_dts: isoAt(epoch),
    last_message_dts: isoAt(epoch),
    medium: index % 3 === 0 ? "sms" : "websocket",
    merchant_id: merchantId,
    message_count: 1 + (index % 40),
    participants: [participant(0, isoAt(epoch - 600_000))],
    sentiment: null,
    start_dts: isoAt(epoch - 600_000),
    unread_messages: index % 5 === 0,
    visible: true
  }
}

/** One page of `ConversationsResponse`: `limit` summaries from `offset` out of `total`. */
export const conversationsPage = (offset: number, limit: number, total: number) => {
  const end = Math.min(total, offset + limit)
  const conversations = Array.from({ length: Math.max(0, end - offset) }, (_, i) => summary(offset + i))
  const more = end < total
  return {
    conversations,
    error: null,
    metadata: {
      payload_name: "conversations",
      result_set: {
        count: conversations.length,
        limit,
        more,
        next_offset: more ? end : 0,
        offset,
        total_records: total
      }
    },
    success: true,
    warning: null
  }
}
