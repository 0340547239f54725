/**
 * The default seed of the resource families and of the other state the mock keeps (the agent's profile
 * and settings, webchat queue statuses, agent status history, PBX calls): a small realistic contact
 * centre with fixed ids, next to the conversations of `seed.ts`. Plain data keyed by family name; the
 * families themselves are derived from the operation table (`families.ts`).
 *
 * @since 0.2.0
 */
import { agentArn, agentName, demoMerchantId } from "./seed.js"

/** One stored resource: a model's wire fields. */
export type Resource = Readonly<Record<string, unknown>>

/** The user id of the mock agent (the agent of the mock credentials). */
export const mockAgentUserId = 1001

const uuid = (family: number, index: number): string =>
  `5eed${family.toString(16).padStart(4, "0")}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`

/** Fixed ids the seeds refer to across families. */
export const seedIds = {
  salesQueue: uuid(1, 1),
  supportQueue: uuid(1, 2),
  alexAgent: uuid(2, 1),
  jamieAgent: uuid(2, 2),
  mainNumber: uuid(3, 1),
  businessHours: uuid(4, 1),
  greetingAudio: uuid(5, 1),
  holdMusic: uuid(5, 2),
  salesMailbox: uuid(6, 1),
  mainMenu: uuid(7, 1),
  standardCos: uuid(8, 1),
  deskPhone: uuid(9, 1),
  hqAddress: uuid(10, 1),
  routing: uuid(11, 1),
  available: uuid(12, 1),
  lunch: uuid(12, 2),
  catalogMcp: uuid(13, 1),
  returnsPolicyDocument: uuid(14, 1)
} as const

const merchant = { merchant_id: demoMerchantId }

/** The default items of each family, by family name (ids included). */
export const defaultResources: Readonly<Record<string, ReadonlyArray<Resource>>> = {
  canned_messages: [
    { conversation_canned_message_oid: 1, short_code: "hi", canned_message: "Hi! Thanks for reaching out. How can I help you today?", conversation_department_oids: [1, 2] },
    { conversation_canned_message_oid: 2, short_code: "hours", canned_message: "We're open Monday to Friday, 9am to 6pm Eastern.", conversation_department_oids: [2] },
    { conversation_canned_message_oid: 3, short_code: "shipping", canned_message: "Orders ship within 1 business day; you'll get a tracking link by email.", conversation_department_oids: [2] },
    { conversation_canned_message_oid: 4, short_code: "thanks", canned_message: "Thanks for chatting with us. Have a great day!", conversation_department_oids: [1, 2] }
  ],
  departments: [
    { conversation_department_oid: 1, department_name: "Sales", ...merchant, members: [{ user_id: mockAgentUserId, name: agentName, member: true }] },
    { conversation_department_oid: 2, department_name: "Support", ...merchant, members: [{ user_id: mockAgentUserId, name: agentName, member: true }] },
    { conversation_department_oid: 3, department_name: "Wholesale", ...merchant, members: [] }
  ],
  engagements: [
    { conversation_engagement_oid: 1, engagement_name: "Cart abandonment", active: true, customer_greeting: "Need a hand finishing your order?", customer_initiated: false, department_oids: [1], time_on_page: 45, visitor_type: "all" },
    { conversation_engagement_oid: 2, engagement_name: "Returning visitor", active: true, customer_greeting: "Welcome back! Questions about your last order?", customer_initiated: false, department_oids: [2], time_on_page: 20, visitor_type: "returning" },
    { conversation_engagement_oid: 3, engagement_name: "Help button", active: false, customer_greeting: "Hi! How can we help?", customer_initiated: true, department_oids: [2] }
  ],
  "agent/status/config": [
    { conversation_status_uuid: seedIds.available, name: "Available", channel: "both", color: "#2e7d32", active: true, routing_effect: "available", sort_order: 1, ...merchant },
    { conversation_status_uuid: seedIds.lunch, name: "Lunch", channel: "both", color: "#f9a825", active: true, routing_effect: "unavailable", sort_order: 2, ...merchant }
  ],
  "agent/profiles/{user_id}/mcps": [
    { mcp_server_uuid: seedIds.catalogMcp, url: "https://mcp.example.invalid/catalog", auth_method: "none", priority: 1 }
  ],
  "agent/profiles/{user_id}/knowledge_base": [
    { document_uuid: seedIds.returnsPolicyDocument, description: "Returns policy", mime_type: "application/pdf", chunk_count: 12, s3_key: "knowledge-base/DEMO/returns-policy.pdf" }
  ],
  "pbx/address": [
    { conversation_pbx_address_uuid: seedIds.hqAddress, friendly_name: "Headquarters", customer_name: "Demo Store LLC", street: "100 Main St", city: "Columbus", region: "OH", postal_code: "43215", country_code: "US", valid: true, validated: true, verified: true, ...merchant }
  ],
  "pbx/agent": [
    { conversation_pbx_agent_uuid: seedIds.alexAgent, full_name: agentName, login: "alex", extension: 101, user_id: mockAgentUserId, call_routing_preference: "softphone", voicemail: true, ai: false, ...merchant },
    { conversation_pbx_agent_uuid: seedIds.jamieAgent, full_name: "Jamie Support", login: "jamie", extension: 102, user_id: 1002, call_routing_preference: "hardware_phone", voicemail: true, ai: false, ...merchant },
    { conversation_pbx_agent_uuid: uuid(2, 3), full_name: "UltraCart AI", login: "ai", extension: 199, call_routing_preference: "softphone", voicemail: false, ai: true, ...merchant }
  ],
  "pbx/agent/voicemails": [
    { recording_sid: "RE00000000000000000000000000000001", from: "+15555550123", duration: 34, listened: false, voicemail_dts: "2025-03-14T13:10:00.000Z", recording_status: "completed", ...merchant },
    { recording_sid: "RE00000000000000000000000000000002", from: "+15555550188", duration: 12, listened: true, voicemail_dts: "2025-03-13T18:45:00.000Z", recording_status: "completed", ...merchant }
  ],
  "pbx/audio": [
    { conversation_pbx_audio_uuid: seedIds.greetingAudio, filename: "greeting.mp3", description: "Main greeting", mime_type: "audio/mpeg", default_hold_music: false, ...merchant },
    { conversation_pbx_audio_uuid: seedIds.holdMusic, filename: "hold-music.mp3", description: "Hold music", mime_type: "audio/mpeg", default_hold_music: true, ...merchant }
  ],
  "pbx/audio/user": [
    { conversation_pbx_audio_uuid: uuid(5, 3), filename: "alex-unavailable.mp3", description: "Alex's unavailable message", mime_type: "audio/mpeg", user_id: mockAgentUserId, ...merchant }
  ],
  "pbx/class_of_service": [
    { conversation_pbx_class_of_service_uuid: seedIds.standardCos, name: "Standard", description: "Domestic calls only", allowed_countries: ["US", "CA"], block_premium_numbers: true, outbound_enabled: true, default_flag: true, ...merchant }
  ],
  "pbx/hardware_phone": [
    { conversation_pbx_hardware_phone_uuid: seedIds.deskPhone, name: "Front desk", manufacturer: "Yealink", model: "T54W", mac_address: "00:15:65:00:00:01", conversation_pbx_agent_uuid: seedIds.jamieAgent, ...merchant }
  ],
  "pbx/menu": [
    { conversation_pbx_menu_uuid: seedIds.mainMenu, name: "Main menu", say: "Press 1 for sales, 2 for support.", allow_direct_extensions: true, timeout: 5, default_action: "queue", default_action_target: seedIds.supportQueue, ...merchant }
  ],
  "pbx/phone_number": [
    { conversation_pbx_phone_number_uuid: seedIds.mainNumber, phone_number: "+15555550100", action: "menu", action_target: seedIds.mainMenu, default_phone_number: true, deletion_protected: true, ...merchant },
    { conversation_pbx_phone_number_uuid: uuid(3, 2), phone_number: "+15555550101", action: "queue", action_target: seedIds.salesQueue, default_phone_number: false, deletion_protected: false, ...merchant }
  ],
  "pbx/queue": [
    { conversation_pbx_queue_uuid: seedIds.salesQueue, name: "Sales", say: "Thanks for calling sales.", max_hold_seconds: 300, record_call: true, voicemail: true, conversation_voicemail_mailbox_uuid: seedIds.salesMailbox, ...merchant },
    { conversation_pbx_queue_uuid: seedIds.supportQueue, name: "Support", say: "Thanks for calling support.", max_hold_seconds: 600, record_call: true, voicemail: false, ...merchant }
  ],
  "pbx/queues/{queue_uuid}/voicemails": [
    { recording_sid: "RE00000000000000000000000000000101", from: "+15555550177", duration: 41, listened: false, voicemail_dts: "2025-03-14T12:00:00.000Z", recording_status: "completed", ...merchant }
  ],
  "pbx/time_based": [
    { conversation_pbx_time_based_uuid: seedIds.routing, time_based_name: "Business hours routing", ...merchant }
  ],
  "pbx/time_range": [
    { conversation_pbx_time_range_uuid: seedIds.businessHours, time_range_name: "Business hours", timezone: "America/New_York", ...merchant }
  ],
  "pbx/voicemail_mailbox": [
    { conversation_pbx_voicemail_mailbox_uuid: seedIds.salesMailbox, voicemail_mailbox_id: "sales", voicemail_mailbox_type: "shared", send_notices_to_channel: "email", send_notices_to_email: "sales@demo.invalid", voicemail_prompt_say: "Leave a message for sales.", ...merchant }
  ],
  "pbx/call": []
}

/** The scope the default items of a scoped family live in. */
export const defaultScopes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "agent/profiles/{user_id}/mcps": { user_id: String(mockAgentUserId) },
  "agent/profiles/{user_id}/knowledge_base": { user_id: String(mockAgentUserId) },
  "pbx/queues/{queue_uuid}/voicemails": { queue_uuid: seedIds.salesQueue }
}

const dispositions = ["answered", "voicemail", "abandoned", "answered", "answered"] as const
const customers = ["Jordan Lee", "Sam Rivera", "Taylor Kim", "Morgan Diaz", "Casey Park", "Riley Chen"] as const

/** PBX call records, newest first (enough for several pages of `searchPbxCalls`). */
export const seedCalls = (count: number): ReadonlyArray<Resource> =>
  Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2025, 2, 14, 17, 0, 0) - i * 37 * 60_000).toISOString()
    const disposition = dispositions[i % dispositions.length] ?? "answered"
    return {
      call_uuid: uuid(20, i + 1),
      call_sid: `CA${(i + 1).toString(16).padStart(32, "0")}`,
      customer_name: customers[i % customers.length],
      disposition,
      status: "completed",
      created_at_dts: at,
      updated_at_dts: at,
      caller: { phone_number: `+1555555${(1000 + i).toString().slice(-4)}` },
      routing: { queue_uuid: i % 2 === 0 ? seedIds.salesQueue : seedIds.supportQueue },
      ...merchant
    }
  })

const statuses = ["available", "busy", "available", "unavailable"] as const

/** Agent status events, newest first (enough for several pages of `searchAgentStatusHistory`). */
export const seedAgentStatusEvents = (count: number): ReadonlyArray<Resource> =>
  Array.from({ length: count }, (_, i) => {
    const agent = i % 3 === 0 ? { id: "1002", name: "Jamie Support" } : { id: String(mockAgentUserId), name: agentName }
    return {
      event_uuid: uuid(21, i + 1),
      event_dts: new Date(Date.UTC(2025, 2, 14, 17, 0, 0) - i * 11 * 60_000).toISOString(),
      agent_user_id: agent.id,
      agent_name: agent.name,
      agent_type: "human",
      channel: i % 2 === 0 ? "pbx" : "chat",
      new_status: statuses[i % statuses.length],
      previous_status: statuses[(i + 1) % statuses.length],
      trigger: "manual",
      duration_in_previous_seconds: 300 + i,
      ...merchant
    }
  })

/** The webchat queues and who is in them. */
export const seedQueueStatuses: ReadonlyArray<Resource> = [
  {
    queue_name: "Sales",
    agent_count: 1,
    agent_available_count: 1,
    agent_busy_count: 0,
    agent_unavailable_count: 0,
    customer_waiting_count: 0,
    agents: [{ agent_user_id: String(mockAgentUserId), conversation_participant_arn: agentArn(demoMerchantId), conversation_participant_name: agentName, agent_status: "available" }]
  },
  {
    queue_name: "Support",
    agent_count: 1,
    agent_available_count: 0,
    agent_busy_count: 1,
    agent_unavailable_count: 0,
    customer_waiting_count: 1,
    agents: [{ agent_user_id: String(mockAgentUserId), conversation_participant_arn: agentArn(demoMerchantId), conversation_participant_name: agentName, agent_status: "busy" }]
  }
]

/** The single-object settings (a get and an update of one path), by path below `/conversation/`. */
export const defaultSingletons: Readonly<Record<string, Resource>> = {
  "agent/profile": { user_id: mockAgentUserId, name: agentName, display_name: "Alex", default_language_iso_code: "en", default_status: "available", chat_limit: 4, ai: false },
  "virtualagent/budget": { budget_daily: 25, budget_monthly: 500, used_daily: 3.2, used_monthly: 61.75 },
  "virtualagent/capabilities": { lookup_order_information: true, lookup_subscription_information: true, transfer_chat_to_live_agent: true, generate_coupon: false, open_support_ticket: false },
  "pbx/config/default-timezone": { default_timezone: "America/New_York" }
}
