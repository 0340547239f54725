/**
 * getAgentWebsocketAuthorization: a JWT and the websocket URL an agent console connects to.
 * The JWT is a credential: print a prefix at most, never the whole token.
 *
 * Run: npx tsx examples/get-agent-websocket-authorization.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const { agent_auth: auth } = yield* conversations.getAgentWebsocketAuthorization()
  const jwt = auth?.jwt ?? ""

  yield* Console.log(`agent:          ${auth?.conversation_participant_name ?? "?"} (${auth?.conversation_participant_arn ?? "?"})`)
  yield* Console.log(`merchant:       ${auth?.merchant_id ?? "?"}`)
  yield* Console.log(`websocket URL:  ${auth?.websocket_url ?? "?"}`)
  yield* Console.log(`JWT:            ${jwt.slice(0, 10)}… (${jwt.length} characters; never log it whole)`)
  yield* Console.log(`chat user/admin: ${auth?.chat_user === true ? "yes" : "no"}/${auth?.chat_admin === true ? "yes" : "no"}`)
  yield* ensure(jwt.length > 0 && (auth?.websocket_url ?? "").startsWith("wss://"), "expected a JWT and a wss:// URL")
})

runExample(program)
