/**
 * The benchmark's fake UltraCart server, run in its own process (forked by `bench/main.ts`) so that its
 * work does not share the client's event loop. Serves a ~6.5 KB `ConversationResponse` and pages of a
 * 100,000-conversation list from pre-rendered buffers, and tells its parent the port over IPC.
 */
import * as Http from "node:http"
import { conversationResponse, conversationsPage } from "./fixtures.js"

const totalConversations = Number(process.env["BENCH_TOTAL_CONVERSATIONS"] ?? 100_000)
const prefix = "/rest/v2/conversation/conversations"

const conversationBody = Buffer.from(JSON.stringify(conversationResponse("c-bench", 5)))
const pages = new Map<string, Buffer>()

const pageBody = (offset: number, limit: number): Buffer => {
  const key = `${offset}:${limit}`
  let body = pages.get(key)
  if (body === undefined) {
    body = Buffer.from(JSON.stringify(conversationsPage(offset, limit, totalConversations)))
    pages.set(key, body)
  }
  return body
}

const send = (res: Http.ServerResponse, status: number, body: Buffer) => {
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": body.length,
    "x-ultracart-request-id": "bench"
  })
  res.end(body)
}

const unauthorized = Buffer.from(JSON.stringify({
  error: { developer_message: "missing credentials", user_message: "invalid credentials supplied" },
  metadata: {},
  success: false
}))
const notFound = Buffer.from(JSON.stringify({ error: { developer_message: "no such route" }, success: false }))

const server = Http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const url = req.url ?? "/"
  if (req.headers["x-ultracart-simple-key"] === undefined && req.headers["authorization"] === undefined) {
    return send(res, 401, unauthorized)
  }
  if (req.method === "GET" && url.startsWith(prefix)) {
    const rest = url.slice(prefix.length)
    if (rest.startsWith("/") && rest.length > 1) return send(res, 200, conversationBody)
    if (rest === "" || rest.startsWith("?")) {
      const query = new URLSearchParams(rest.slice(1))
      const limit = Math.min(200, Math.max(1, Number(query.get("_limit") ?? 100)))
      const offset = Math.max(0, Number(query.get("_offset") ?? 0))
      return send(res, 200, pageBody(offset, limit))
    }
  }
  send(res, 404, notFound)
})
server.headersTimeout = 120_000
server.requestTimeout = 0

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  const port = address !== null && typeof address === "object" ? address.port : 0
  process.send?.({ port, conversationBytes: conversationBody.length })
})

// The parent going away (or saying so) ends the server.
process.on("disconnect", () => process.exit(0))
process.on("message", (message) => {
  if (message === "stop") {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
})
