/**
 * Seeds for the mock store: a small realistic world (SMS and webchat conversations with customers,
 * agents and a virtual agent) with fixed uuids and timestamps, and a generator of many conversations for
 * paging and soak tests.
 *
 * @since 0.1.0
 */
import type { Conversation, ConversationMessage, ConversationParticipant } from "../Models.js"

/** The merchant id of the default seed and of the mock store unless told otherwise. */
export const demoMerchantId = "DEMO"

/** The ARN of the agent a merchant's mock credentials belong to. */
export const agentArn = (merchantId: string): string =>
  `arn:ultracart:conversation-participant:${merchantId}:user-1001`

/** The name of the mock agent. */
export const agentName = "Alex Agent"

const virtualAgentArn = `arn:ultracart:conversation-participant:${demoMerchantId}:virtual-agent`
const virtualAgentName = "UltraCart AI"

interface Author {
  readonly arn: string
  readonly name: string
}

const agent: Author = { arn: agentArn(demoMerchantId), name: agentName }
const virtualAgent: Author = { arn: virtualAgentArn, name: virtualAgentName }

const message = (
  uuid: string,
  author: Author,
  at: string,
  type: ConversationMessage["type"],
  body: string,
  extra?: Partial<ConversationMessage>
): ConversationMessage => ({
  author_conversation_participant_arn: author.arn,
  author_conversation_participant_name: author.name,
  body,
  conversation_message_uuid: uuid,
  language_iso_code: "en",
  merchant_id: demoMerchantId,
  message_dts: at,
  message_epoch: Date.parse(at),
  transport_statuses: [],
  type,
  ...extra
})

const participant = (
  uuid: string,
  author: Author,
  joined: string,
  extra?: Partial<ConversationParticipant>
): ConversationParticipant => ({
  conversation_participant_arn: author.arn,
  conversation_participant_name: author.name,
  conversation_participant_uuid: uuid,
  joined_dts: joined,
  language_iso_code: "en",
  status: "joined",
  timezone: "America/New_York",
  unread_messages: 0,
  ...extra
})

/** Fills the fields a conversation derives from its messages: count, last message and its author. */
const conversation = (fields: Conversation): Conversation => {
  const messages = fields.messages ?? []
  const last = messages.at(-1)
  const lastInteractive = messages.findLast((m) => m.type === "message")
  return {
    base_language_iso_code: "en",
    closed: false,
    merchant_id: demoMerchantId,
    unread_messages: false,
    virtual_agent: false,
    visible: true,
    message_count: messages.length,
    ...(last === undefined
      ? {}
      : {
        last_conversation_message_body: last.body ?? "",
        last_conversation_participant_arn: last.author_conversation_participant_arn ?? "",
        last_conversation_participant_name: last.author_conversation_participant_name ?? "",
        last_message_dts: last.message_dts ?? ""
      }),
    ...(lastInteractive?.message_dts === undefined ? {} : { last_interactive_message_dts: lastInteractive.message_dts }),
    ...fields
  }
}

const arnOf = (uuid: string) => `arn:ultracart:conversation:${demoMerchantId}:${uuid}`

const smsCustomer: Author = { arn: `arn:ultracart:conversation-participant:${demoMerchantId}:sms-15555550123`, name: "+15555550123" }
const webCustomer: Author = { arn: `arn:ultracart:conversation-participant:${demoMerchantId}:webchat-7f3a`, name: "Jordan Lee" }
const unhappyCustomer: Author = { arn: `arn:ultracart:conversation-participant:${demoMerchantId}:sms-15555550188`, name: "+15555550188" }
const waitingCustomer: Author = { arn: `arn:ultracart:conversation-participant:${demoMerchantId}:webchat-91c2`, name: "Sam Rivera" }

/**
 * The default seed: five conversations, newest first: a webchat waiting for an agent, an SMS order
 * question with a tool call, a webchat handled by the virtual agent, a mixed-sentiment webchat, and a
 * closed SMS complaint.
 */
export const defaultSeed: ReadonlyArray<Conversation> = [
  conversation({
    conversation_uuid: "4c1e6a52-9b0e-4f7a-8a51-2f0c3b7d9e01",
    conversation_arn: arnOf("4c1e6a52-9b0e-4f7a-8a51-2f0c3b7d9e01"),
    medium: "websocket",
    start_dts: "2025-03-14T15:20:00.000Z",
    unread_messages: true,
    customer_first_message_unresponded_to_dts: "2025-03-14T15:20:05.000Z",
    participants: [participant("0b7c1d2e-1111-4a00-9000-000000000011", waitingCustomer, "2025-03-14T15:20:00.000Z", {
      unread_messages: 0
    })],
    messages: [
      message("7a0e0001-0000-4000-8000-000000000001", agent, "2025-03-14T15:20:00.000Z", "notice", "Conversation started"),
      message(
        "7a0e0001-0000-4000-8000-000000000002",
        waitingCustomer,
        "2025-03-14T15:20:05.000Z",
        "message",
        "Do you ship to Canada?"
      )
    ],
    sentiment: { sentiment: "NEUTRAL", positive: 0.08, neutral: 0.9, negative: 0.01, mixed: 0.01, last_detect_sentiment: "2025-03-14T15:20:06.000Z" }
  }),
  conversation({
    conversation_uuid: "a3f2c8e1-5d4b-4c3a-9e2f-1b0a9c8d7e61",
    conversation_arn: arnOf("a3f2c8e1-5d4b-4c3a-9e2f-1b0a9c8d7e61"),
    medium: "sms",
    start_dts: "2025-03-14T14:02:11.000Z",
    participants: [
      participant("0b7c1d2e-2222-4a00-9000-000000000021", smsCustomer, "2025-03-14T14:02:11.000Z", {
        sms_phone_number: "+15555550123"
      }),
      participant("0b7c1d2e-2222-4a00-9000-000000000022", agent, "2025-03-14T14:03:40.000Z")
    ],
    messages: [
      message("7a0e0002-0000-4000-8000-000000000001", smsCustomer, "2025-03-14T14:02:11.000Z", "message", "Hi, where is my order DEMO-0001234?", {
        transport_statuses: [{ conversation_participant_arn: agent.arn, status: "read" }]
      }),
      message("7a0e0002-0000-4000-8000-000000000002", agent, "2025-03-14T14:03:40.000Z", "notice", "Alex Agent joined the conversation"),
      message(
        "7a0e0002-0000-4000-8000-000000000003",
        virtualAgent,
        "2025-03-14T14:03:41.000Z",
        "tool call",
        "{\"tool\":\"lookup_order\",\"arguments\":{\"order_id\":\"DEMO-0001234\"},\"result\":{\"status\":\"Shipped\",\"carrier\":\"UPS\"}}"
      ),
      message(
        "7a0e0002-0000-4000-8000-000000000004",
        agent,
        "2025-03-14T14:04:02.000Z",
        "message",
        "It shipped yesterday with UPS, tracking 1Z999AA10123456784.",
        { transport_statuses: [{ conversation_participant_arn: smsCustomer.arn, status: "SENT_TO_TWILIO" }] }
      ),
      message("7a0e0002-0000-4000-8000-000000000005", smsCustomer, "2025-03-14T14:05:30.000Z", "message", "Great, thanks!", {
        transport_statuses: [{ conversation_participant_arn: agent.arn, status: "read" }]
      })
    ],
    sentiment: { sentiment: "POSITIVE", positive: 0.81, neutral: 0.17, negative: 0.01, mixed: 0.01, last_detect_sentiment: "2025-03-14T14:05:31.000Z" }
  }),
  conversation({
    conversation_uuid: "e7d6c5b4-a392-4817-8f6e-5d4c3b2a1f02",
    conversation_arn: arnOf("e7d6c5b4-a392-4817-8f6e-5d4c3b2a1f02"),
    medium: "websocket",
    start_dts: "2025-03-14T11:45:00.000Z",
    virtual_agent: true,
    virtual_agent_cost: 0.0042,
    unread_messages: true,
    participants: [
      participant("0b7c1d2e-3333-4a00-9000-000000000031", webCustomer, "2025-03-14T11:45:20.000Z"),
      participant("0b7c1d2e-3333-4a00-9000-000000000032", virtualAgent, "2025-03-14T11:45:21.000Z")
    ],
    messages: [
      message(
        "7a0e0003-0000-4000-8000-000000000001",
        virtualAgent,
        "2025-03-14T11:45:00.000Z",
        "engagement prompt",
        "Need help finding the right size?"
      ),
      message("7a0e0003-0000-4000-8000-000000000002", webCustomer, "2025-03-14T11:45:20.000Z", "message", "Yes, do the trail shoes run small?"),
      message(
        "7a0e0003-0000-4000-8000-000000000003",
        virtualAgent,
        "2025-03-14T11:45:23.000Z",
        "message",
        "They run about half a size small; most customers order half a size up."
      )
    ],
    sentiment: { sentiment: "POSITIVE", positive: 0.66, neutral: 0.32, negative: 0.01, mixed: 0.01, last_detect_sentiment: "2025-03-14T11:45:24.000Z" }
  }),
  conversation({
    conversation_uuid: "5b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c03",
    conversation_arn: arnOf("5b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c03"),
    medium: "websocket",
    start_dts: "2025-03-13T18:10:00.000Z",
    participants: [
      participant("0b7c1d2e-4444-4a00-9000-000000000041", webCustomer, "2025-03-13T18:10:00.000Z"),
      participant("0b7c1d2e-4444-4a00-9000-000000000042", agent, "2025-03-13T18:11:00.000Z", {
        status: "left",
        left_dts: "2025-03-13T18:30:00.000Z"
      })
    ],
    messages: [
      message("7a0e0004-0000-4000-8000-000000000001", webCustomer, "2025-03-13T18:10:00.000Z", "message", "The coupon SPRING10 did not apply."),
      message("7a0e0004-0000-4000-8000-000000000002", agent, "2025-03-13T18:12:00.000Z", "message", "I added it to your cart; it applies to full-price items only."),
      message("7a0e0004-0000-4000-8000-000000000003", webCustomer, "2025-03-13T18:14:00.000Z", "message", "OK, that is a bit disappointing but thanks.")
    ],
    sentiment: { sentiment: "MIXED", positive: 0.3, neutral: 0.2, negative: 0.25, mixed: 0.25, last_detect_sentiment: "2025-03-13T18:14:01.000Z" }
  }),
  conversation({
    conversation_uuid: "c0ffee00-1234-4bcd-9ef0-123456789a04",
    conversation_arn: arnOf("c0ffee00-1234-4bcd-9ef0-123456789a04"),
    medium: "sms",
    start_dts: "2025-03-12T09:00:00.000Z",
    closed: true,
    participants: [
      participant("0b7c1d2e-5555-4a00-9000-000000000051", unhappyCustomer, "2025-03-12T09:00:00.000Z", {
        sms_phone_number: "+15555550188",
        status: "left",
        left_dts: "2025-03-12T09:20:00.000Z"
      }),
      participant("0b7c1d2e-5555-4a00-9000-000000000052", agent, "2025-03-12T09:02:00.000Z", {
        status: "left",
        left_dts: "2025-03-12T09:21:00.000Z"
      })
    ],
    messages: [
      message("7a0e0005-0000-4000-8000-000000000001", unhappyCustomer, "2025-03-12T09:00:00.000Z", "message", "My package arrived damaged."),
      message("7a0e0005-0000-4000-8000-000000000002", agent, "2025-03-12T09:02:00.000Z", "message", "Sorry about that! I have sent a replacement at no charge."),
      message("7a0e0005-0000-4000-8000-000000000003", agent, "2025-03-12T09:21:00.000Z", "notice", "Conversation closed")
    ],
    sentiment: { sentiment: "NEGATIVE", positive: 0.05, neutral: 0.2, negative: 0.7, mixed: 0.05, last_detect_sentiment: "2025-03-12T09:19:00.000Z" }
  })
]

/** Options of `seedConversations`. */
export interface SeedConversationsOptions {
  /** The start of the newest conversation (default `2025-01-01T00:00:00.000Z`); each older one starts a minute earlier. */
  readonly newest?: string | undefined
  /** Every conversation's medium; by default even indexes are `websocket` and odd ones `sms`. */
  readonly medium?: "sms" | "websocket" | undefined
}

/** The uuid `seedConversations` gives conversation `index` (0 is the newest). */
export const seededUuid = (index: number): string =>
  `5eed0000-0000-4000-8000-${(index + 1).toString(16).padStart(12, "0")}`

/**
 * `count` generated conversations with fixed uuids (`seededUuid(i)`) and strictly decreasing timestamps,
 * so that listing them newest first gives them in array order.
 *
 * @example
 * yield* store.seed(seedConversations(250))
 */
export const seedConversations = (count: number, options?: SeedConversationsOptions): ReadonlyArray<Conversation> => {
  const newest = Date.parse(options?.newest ?? "2025-01-01T00:00:00.000Z")
  return Array.from({ length: Math.max(0, Math.floor(count)) }, (_, index) => {
    const uuid = seededUuid(index)
    const started = new Date(newest - index * 60_000).toISOString()
    const replied = new Date(newest - index * 60_000 + 30_000).toISOString()
    const customer: Author = {
      arn: `arn:ultracart:conversation-participant:${demoMerchantId}:customer-${index + 1}`,
      name: `Customer ${index + 1}`
    }
    return conversation({
      conversation_uuid: uuid,
      conversation_arn: arnOf(uuid),
      medium: options?.medium ?? (index % 2 === 0 ? "websocket" : "sms"),
      start_dts: started,
      participants: [
        participant(`${uuid.slice(0, 24)}a${index.toString(16).padStart(11, "0")}`, customer, started),
        participant(`${uuid.slice(0, 24)}b${index.toString(16).padStart(11, "0")}`, agent, replied)
      ],
      messages: [
        message(`${uuid.slice(0, 24)}c${index.toString(16).padStart(11, "0")}`, customer, started, "message", `Question number ${index + 1}`),
        message(`${uuid.slice(0, 24)}d${index.toString(16).padStart(11, "0")}`, agent, replied, "message", `Answer number ${index + 1}`)
      ],
      sentiment: { sentiment: "NEUTRAL", positive: 0.1, neutral: 0.85, negative: 0.03, mixed: 0.02 }
    })
  })
}
