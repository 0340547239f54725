import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import * as Models from "../src/Models.js"
import { json, outcomeTag, run, successOf } from "./support/scriptedClient.js"

const decodeJson = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknownEither(Schema.parseJson(schema))

const decoded = <A, I>(schema: Schema.Schema<A, I>, input: unknown): A => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isLeft(result)) throw new Error(`did not decode: ${result.left.message}`)
  return result.right
}

const participant = {
  conversation_participant_arn: "arn:participant:agent-7",
  conversation_participant_name: "Ada Agent",
  conversation_participant_uuid: "p-7",
  email: "ada@example.com",
  joined_dts: "2024-05-01T10:00:00+00:00",
  language_iso_code: "en",
  last_message_dts: "2024-05-01T10:05:00+00:00",
  profile_image_url: "https://example.com/ada.png",
  sms_phone_number: "+15555550100",
  status: "active",
  timezone: "America/New_York",
  unread_messages: 2
}

const message = {
  author_conversation_participant_arn: "arn:participant:agent-7",
  author_conversation_participant_name: "Ada Agent",
  body: "Hello, how can I help?",
  client_message_id: "client-1",
  conversation_message_uuid: "m-1",
  language_iso_code: "en",
  media_urls: ["https://example.com/a.png"],
  merchant_id: "DEMO",
  message_dts: "2024-05-01T10:01:00+00:00",
  message_epoch: 1714557660000,
  message_type: "text",
  translations: [{ body: "Hallo, wie kann ich helfen?", language_iso_code: "de" }],
  transport_statuses: [{ conversation_participant_arn: "arn:participant:customer-1", status: "read" }],
  type: "message",
  upload_keys: ["upload/key-1"]
}

const sentiment = {
  last_detect_sentiment: "2024-05-01T10:06:00+00:00",
  mixed: 0.01,
  negative: 0.02,
  neutral: 0.27,
  positive: 0.7,
  sentiment: "POSITIVE"
}

const conversation = {
  base_language_iso_code: "en",
  closed: false,
  conversation_arn: "arn:conversation:c-1",
  conversation_uuid: "c-1",
  customer_first_message_unresponded_to_dts: "2024-05-01T10:00:30+00:00",
  last_conversation_message_body: "Hello, how can I help?",
  last_conversation_participant_arn: "arn:participant:agent-7",
  last_conversation_participant_name: "Ada Agent",
  last_interactive_message_dts: "2024-05-01T10:01:00+00:00",
  last_message_dts: "2024-05-01T10:01:00+00:00",
  medium: "websocket",
  merchant_id: "DEMO",
  message_count: 1,
  messages: [message],
  participants: [participant],
  sentiment,
  start_dts: "2024-05-01T10:00:00+00:00",
  unread_messages: true,
  virtual_agent: false,
  virtual_agent_cost: 0,
  visible: true
}

const envelope = {
  error: { developer_message: "", user_message: "" },
  metadata: { payload_name: "payload" },
  success: true,
  warning: { more_info: "https://www.ultracart.com", warning_code: "W1", warning_message: "deprecated" }
}

const { messages: _messages, base_language_iso_code: _b, virtual_agent: _v, virtual_agent_cost: _c, ...summary } =
  conversation

/** A response model with a realistic encoded value, checked without losing its types. */
interface ModelCase {
  readonly name: string
  /** Asserts encode(decode(value)) equals value, directly and through JSON text. */
  readonly roundTrip: () => void
  /** Decodes `{}`. */
  readonly decodeEmpty: () => unknown
}

const model = <A, I>(name: string, schema: Schema.Schema<A, I>, value: I): ModelCase => ({
  name,
  roundTrip: () => {
    expect(Schema.encodeSync(schema)(decoded(schema, value))).toEqual(value)
    const json = Schema.parseJson(schema)
    const again = Schema.decodeUnknownSync(json)(JSON.stringify(value))
    expect(JSON.parse(Schema.encodeSync(json)(again))).toEqual(value)
  },
  decodeEmpty: () => decoded(schema, {})
})

const realistic: ReadonlyArray<ModelCase> = [
  model(
    "ConversationAgentAuthResponse",
    Models.ConversationAgentAuthResponse,
    {
      ...envelope,
      agent_auth: {
        chat_admin: true,
        chat_user: true,
        conversation_participant_arn: "arn:participant:agent-7",
        conversation_participant_name: "Ada Agent",
        customer_profile: false,
        default_phone_number: "+15555550100",
        group_ids: [1, 2],
        jwt: "eyJhbGciOi.fake.jwt",
        merchant_id: "DEMO",
        merchants: [{ company: "Demo Inc", is_parent: true, merchant_id: "DEMO" }],
        parent_merchant_id: "DEMO",
        pbx_admin: false,
        pbx_jwt: "pbx.jwt",
        pbx_supervisor: false,
        pbx_user: true,
        pbx_voice_identity: "ada",
        pbx_voice_token: "voice-token",
        pbx_worker_token: "worker-token",
        pbx_worker_token_v2: "worker-token-v2",
        twilio_accounts: [{ merchant_id: "DEMO", twilio_phone_numbers: ["+15555550100"] }],
        user_id: 42,
        websocket_url: "wss://example.com/ws"
      }
    }
  ),
  model("ConversationResponse", Models.ConversationResponse, { ...envelope, conversation }),
  model(
    "ConversationsResponse",
    Models.ConversationsResponse,
    {
      ...envelope,
      conversations: [summary, { ...summary, conversation_uuid: "c-2", medium: "sms" }],
      metadata: {
        payload_name: "conversations",
        result_set: { count: 2, limit: 2, more: true, next_offset: 2, offset: 0, total_records: 163 }
      }
    }
  ),
  model(
    "ConversationMultimediaUploadUrlResponse",
    Models.ConversationMultimediaUploadUrlResponse,
    { ...envelope, conversation_multimedia_upload_url: { key: "upload/key-1", url: "https://s3.example.com/put?sig=x" } }
  ),
  model("ConversationStartResponse", Models.ConversationStartResponse, { conversation }),
  model(
    "ErrorResponse",
    Models.ErrorResponse,
    {
      error: {
        developer_message: "Invalid JSON",
        error_code: "400",
        more_info: "https://www.ultracart.com/api/",
        object_id: "c-1",
        user_message: "Please try again"
      },
      metadata: {},
      success: false,
      warning: { warning_message: "none" }
    }
  )
]

describe("encode(decode(x)) round-trips a realistic value of every response model", () => {
  for (const { name, roundTrip } of realistic) {
    it(name, roundTrip)
  }

  it("request models round-trip too", () => {
    const start = { add_conversation_participant_arns: ["arn:a"], conversation_arn: "arn:c", conversation_webchat_queue_uuid: "q", resolve_only: true }
    expect(Schema.encodeSync(Models.ConversationStartRequest)(decoded(Models.ConversationStartRequest, start))).toEqual(start)
    const join = { participant_language_iso_code: "fr" }
    expect(Schema.encodeSync(Models.ConversationJoinRequest)(decoded(Models.ConversationJoinRequest, join))).toEqual(join)
  })
})

describe("decoding is tolerant of what UltraCart may send", () => {
  it("fields the schema does not know are accepted (and dropped)", () => {
    const value = decoded(Models.ConversationResponse, {
      conversation: { conversation_uuid: "c-1", brand_new_field: { deep: [1, 2] }, messages: [{ body: "x", ai_score: 0.9 }] },
      success: true,
      new_envelope_field: "x"
    })
    expect(value).toEqual({ conversation: { conversation_uuid: "c-1", messages: [{ body: "x" }] }, success: true })
  })

  it("null reads as absent, for scalars, objects and lists", () => {
    const value = decoded(Models.ConversationResponse, {
      conversation: {
        conversation_uuid: "c-1",
        medium: null,
        messages: null,
        participants: [{ email: null, unread_messages: null }],
        sentiment: null,
        closed: null
      },
      error: null,
      metadata: { payload_name: null, result_set: { total_records: null, more: null } },
      warning: null
    })
    expect(value).toEqual({
      conversation: { conversation_uuid: "c-1", participants: [{}] },
      metadata: { result_set: {} }
    })
    expect(value.conversation !== undefined && "medium" in value.conversation).toBe(false)
  })

  it("an empty object decodes for every response model", () => {
    for (const { decodeEmpty } of realistic) {
      expect(decodeEmpty()).toEqual({})
    }
  })

  it("unknown enum values decode as strings: medium \"carrier pigeon\"", () => {
    const value = decoded(Models.ConversationSummary, { medium: "carrier pigeon" })
    expect(value.medium).toBe("carrier pigeon")
  })

  it("message type \"tool call\" (added by UltraCart later) and an unknown type both decode", () => {
    const value = decoded(Models.Conversation, { messages: [{ type: "tool call" }, { type: "hologram" }] })
    expect(value.messages?.map((m) => m.type)).toEqual(["tool call", "hologram"])
  })

  it("unknown sentiment and transport status values decode", () => {
    const value = decoded(Models.Conversation, {
      sentiment: { sentiment: "AMBIVALENT" },
      messages: [{ transport_statuses: [{ status: "DELIVERED_BY_OWL" }] }]
    })
    expect(value.sentiment?.sentiment).toBe("AMBIVALENT")
    expect(value.messages?.[0]?.transport_statuses?.[0]?.status).toBe("DELIVERED_BY_OWL")
  })

  it("known enum values are kept as they are", () => {
    const value = decoded(Models.Conversation, {
      medium: "sms",
      messages: [{ type: "engagement prompt", transport_statuses: [{ status: "TWILIO_ERROR" }] }],
      sentiment: { sentiment: "MIXED" }
    })
    expect(value.medium).toBe("sms")
    expect(value.messages?.[0]?.type).toBe("engagement prompt")
    expect(value.messages?.[0]?.transport_statuses?.[0]?.status).toBe("TWILIO_ERROR")
    expect(value.sentiment?.sentiment).toBe("MIXED")
    expect(Schema.is(Models.ConversationMedium)("websocket")).toBe(true)
  })

  it("a field of the wrong type is still refused", () => {
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.Conversation)({ closed: "yes" }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.Conversation)({ medium: 5 }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.Conversation)({ messages: {} }))).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Models.ConversationsResponse)([]))).toBe(true)
    expect(Either.isLeft(decodeJson(Models.ConversationsResponse)("{not json"))).toBe(true)
  })
})

const manyMessages = Array.from({ length: 10_000 }, (_, i) => ({
  ...message,
  conversation_message_uuid: `m-${i}`,
  message_epoch: 1714557660000 + i,
  type: i % 1000 === 999 ? "tool call" : "message"
}))
const largeResponse = { ...envelope, conversation: { ...conversation, message_count: 10_000, messages: manyMessages } }

describe("a large conversation", () => {
  it("10,000 messages decode, in order and complete", () => {
    const text = JSON.stringify(largeResponse)
    const result = decodeJson(Models.ConversationResponse)(text)
    if (Either.isLeft(result)) throw new Error(result.left.message)
    const decodedMessages = result.right.conversation?.messages ?? []
    expect(decodedMessages).toHaveLength(10_000)
    expect(decodedMessages[0]?.conversation_message_uuid).toBe("m-0")
    expect(decodedMessages[9_999]?.conversation_message_uuid).toBe("m-9999")
    expect(decodedMessages[9_999]?.type).toBe("tool call")
    expect(decodedMessages[5_000]?.translations).toEqual(message.translations)
  })
})

describe("decoding through the client (the path responses take)", () => {
  it.effect("unknown fields, nulls and unknown enum values in a response are tolerated", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(
        [
          json(200, {
            conversation: {
              conversation_uuid: "c-1",
              medium: "carrier pigeon",
              closed: null,
              sentiment: null,
              messages: [{ type: "tool call", body: null, media_urls: null, brand_new: 1 }],
              brand_new_field: { x: 1 }
            },
            success: true,
            metadata: null
          })
        ],
        (service) => service.getConversation("c-1")
      )
      const response = successOf(exit)
      const decodedConversation = response?.conversation
      expect(decodedConversation?.conversation_uuid).toBe("c-1")
      expect(decodedConversation?.medium).toBe("carrier pigeon")
      expect(decodedConversation?.messages?.[0]?.type).toBe("tool call")
      // null reads as absent: the keys are gone, not set to null or undefined
      expect(decodedConversation !== undefined && "closed" in decodedConversation).toBe(false)
      expect(decodedConversation !== undefined && "sentiment" in decodedConversation).toBe(false)
      expect(response !== undefined && "metadata" in response).toBe(false)
      const [first] = decodedConversation?.messages ?? []
      expect(first !== undefined && ("body" in first || "media_urls" in first)).toBe(false)
    }))

  it.effect("a 10,000-message conversation decodes through getConversation", () =>
    Effect.gen(function*() {
      const { exit } = yield* run([json(200, largeResponse)], (service) => service.getConversation("c-1"))
      expect(outcomeTag(exit)).toBe("Success")
      const decodedMessages = successOf(exit)?.conversation?.messages ?? []
      expect(decodedMessages).toHaveLength(10_000)
      expect(decodedMessages[9_999]?.conversation_message_uuid).toBe("m-9999")
      expect(decodedMessages[9_999]?.type).toBe("tool call")
    }))

  it.effect("one wrong field among 10,000 messages is still a DecodeError", () =>
    Effect.gen(function*() {
      const broken = {
        ...largeResponse,
        conversation: {
          ...largeResponse.conversation,
          messages: largeResponse.conversation.messages.map((m, i) => (i === 7_777 ? { ...m, message_epoch: "late" } : m))
        }
      }
      const { exit } = yield* run([json(200, broken)], (service) => service.getConversation("c-1"))
      expect(outcomeTag(exit)).toBe("DecodeError")
    }))
})
