import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Fiber, Layer, Schedule, Scope } from "effect"
import { ConversationService, Credentials, RetryPolicy } from "../../src/index.js"
import { agentArn, defaultSeed, Fault, MockServer } from "../../src/testing/index.js"
import { httpClients, serverAndClient } from "./support.js"

const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"

const rawFetch = (url: string, init?: RequestInit) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, text: await response.text() }
  })

for (const [clientName, client] of httpClients) {
  describe(`MockServer over ${clientName}`, () => {
    it.scopedLive("answers every operation like UltraCart", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest\/v2$/)
        expect(server.baseUrl).toContain(`:${server.port}/`)

        const auth = yield* service.getAgentWebsocketAuthorization()
        expect(auth.agent_auth?.websocket_url).toMatch(/^wss:\/\//)
        const list = yield* service.getConversations({ limit: 2, medium: "websocket" })
        expect(list.conversations?.map((c) => c.medium)).toEqual(["websocket", "websocket"])
        expect(list.metadata?.result_set?.more).toBe(true)
        const one = yield* service.getConversation(seededSms, { limit: 1 })
        expect(one.conversation?.messages).toHaveLength(1)
        const upload = yield* service.getConversationMultimediaUploadUrl("png")
        expect(upload.conversation_multimedia_upload_url?.key).toMatch(/\.png$/)
        const started = yield* service.startConversation({ add_conversation_participant_arns: ["arn:c"] })
        const uuid = started.conversation?.conversation_uuid ?? "missing"
        yield* service.joinConversation(uuid, { participant_language_iso_code: "fr" })
        yield* service.leaveConversation(uuid)

        const stored = (yield* server.store.get(uuid)).participants ?? []
        expect(stored.find((p) => p.conversation_participant_arn === agentArn("DEMO"))?.status).toBe("left")
        expect((yield* server.requests).map((r) => r.operationId)).toEqual([
          "getAgentWebsocketAuthorization",
          "getConversations",
          "getConversation",
          "getConversationMultimediaUploadUrl",
          "startConversation",
          "joinConversation",
          "leaveConversation"
        ])
      }).pipe(Effect.provide(serverAndClient(client))))

    it.scopedLive("join and leave answered 200 with a body also succeed", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        yield* service.joinConversation(waiting)
        yield* service.leaveConversation(waiting)
        const server = yield* MockServer
        expect((yield* server.requests).map((r) => r.operationId)).toEqual(["joinConversation", "leaveConversation"])
      }).pipe(Effect.provide(serverAndClient(client, { joinLeaveStatus: 200 }))))

    it.scopedLive("only the configured credentials are accepted", () =>
      Effect.gen(function*() {
        const server = yield* MockServer
        const withCredentials = (credentials: Credentials.Credentials) =>
          Effect.flatMap(ConversationService, (s) => s.getConversations()).pipe(
            Effect.provide(MockServer.layerClient({ credentials, retry: RetryPolicy.none })),
            Effect.provide(client),
            Effect.provideService(MockServer, server),
            Effect.match({ onFailure: (e) => e._tag, onSuccess: () => "ok" })
          )
        expect(yield* withCredentials(Credentials.simpleKey("right-key"))).toBe("ok")
        expect(yield* withCredentials(Credentials.bearer("right-token"))).toBe("ok")
        expect(yield* withCredentials(Credentials.simpleKey("wrong-key"))).toBe("UnauthorizedError")
        expect(yield* withCredentials(Credentials.bearer("right-key"))).toBe("UnauthorizedError")
      }).pipe(
        Effect.provide(serverAndClient(client, { credentials: { simpleKey: "right-key", bearer: "right-token" } }))
      ))

    it.scopedLive("the record has method, path, query, body and operation, and redacts credentials", () =>
      Effect.gen(function*() {
        const service = yield* ConversationService
        const server = yield* MockServer
        yield* service.getConversations({ limit: 10, offset: 20, medium: "sms", before: "2025-03-14T00:00:00Z" })
        yield* service.startConversation({ conversation_webchat_queue_uuid: "q-7" })
        const [list, start] = yield* server.requests
        expect(list).toMatchObject({
          method: "GET",
          path: "/rest/v2/conversation/conversations",
          query: { _limit: "10", _offset: "20", medium: "sms", before: "2025-03-14T00:00:00Z" },
          operationId: "getConversations",
          fault: undefined
        })
        expect(list?.headers["x-ultracart-simple-key"]).toBe("<redacted>")
        expect(list?.headers["x-ultracart-api-version"]).toBe("2017-03-01")
        expect(start?.method).toBe("PUT")
        expect(start?.operationId).toBe("startConversation")
        expect(JSON.parse(start?.body ?? "null")).toEqual({ conversation_webchat_queue_uuid: "q-7" })
        expect(JSON.stringify(yield* server.requests)).not.toContain("s3cret-key")
        yield* server.clearRequests
        expect(yield* server.requests).toEqual([])
      }).pipe(Effect.provide(serverAndClient(client, { credentials: { simpleKey: "s3cret-key" } }))))

    it.scopedLive("a bearer token is redacted from the record too", () =>
      Effect.gen(function*() {
        yield* Effect.flatMap(ConversationService, (s) => s.getConversations())
        const [request] = yield* (yield* MockServer).requests
        expect(request?.headers["authorization"]).toBe("<redacted>")
        expect(JSON.stringify(request)).not.toContain("t0ken-value")
      }).pipe(Effect.provide(serverAndClient(client, { credentials: { bearer: "t0ken-value" } }))))
  })
}

describe("MockServer: raw HTTP", () => {
  it.scopedLive("a request without a credential header is 401 with an ErrorResponse and UC-REST-ERROR", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const response = yield* rawFetch(`${server.baseUrl}/conversation/conversations`, {
        headers: { accept: "application/json" }
      })
      expect(response.status).toBe(401)
      expect(response.headers.get("uc-rest-error")).toBeTruthy()
      expect(response.headers.get("content-type")).toContain("application/json")
      expect(JSON.parse(response.text)).toMatchObject({ error: { error_code: "401" }, metadata: {}, success: false })
      const bearerOnlyPrefix = yield* rawFetch(`${server.baseUrl}/conversation/conversations`, {
        headers: { authorization: "Bearer " }
      })
      expect(bearerOnlyPrefix.status).toBe(401)
      expect((yield* server.store.size)).toBe(defaultSeed.length)
    }).pipe(Effect.provide(MockServer.layer())))

  it.scopedLive("an unknown path or method is 404 with an ErrorResponse, recorded without an operation", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const headers = { "x-ultracart-simple-key": "k" }
      const unknownPath = yield* rawFetch(`${server.baseUrl}/conversation/nothing`, { headers })
      const wrongMethod = yield* rawFetch(`${server.baseUrl}/conversation/conversations`, { method: "POST", headers })
      for (const response of [unknownPath, wrongMethod]) {
        expect(response.status).toBe(404)
        expect(JSON.parse(response.text)).toMatchObject({ error: { error_code: "404" }, success: false })
      }
      expect((yield* server.requests).map((r) => r.operationId)).toEqual([undefined, undefined])
    }).pipe(Effect.provide(MockServer.layer())))

  it.scopedLive("invalid JSON or a wrong shape in a start body is 400 and creates nothing", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const put = (body: string) =>
        rawFetch(`${server.baseUrl}/conversation/conversations`, {
          method: "PUT",
          headers: { "x-ultracart-simple-key": "k", "content-type": "application/json" },
          body
        })
      for (const body of ["{not json", "{\"add_conversation_participant_arns\":\"x\"}", ""]) {
        const response = yield* put(body)
        expect(response.status).toBe(400)
        expect(response.headers.get("uc-rest-error")).toBeTruthy()
        expect(JSON.parse(response.text)).toMatchObject({ error: { error_code: "400" }, success: false })
      }
      expect(yield* server.store.started).toEqual([])
    }).pipe(Effect.provide(MockServer.layer({ seed: "empty" }))))
})

describe("MockServer: lifecycle", () => {
  it.live("releasing the layer closes open connections at once; afterwards connecting fails", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(
        serverAndClient(NodeHttpClient.layerUndici, undefined, { retry: RetryPolicy.none }),
        scope
      )
      const server = Context.get(context, MockServer)
      const service = Context.get(context, ConversationService)
      yield* service.getConversations() // leaves a keep-alive connection open
      yield* server.injectFault(Fault.delay("20 seconds"))
      const inFlight = yield* Effect.fork(service.getConversation(waiting))
      yield* server.requests.pipe(
        Effect.repeat({ until: (requests) => requests.length === 2, schedule: Schedule.spaced("5 millis") })
      )
      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      expect(Date.now() - started).toBeLessThan(2_000)
      const outcome = yield* Fiber.join(inFlight).pipe(Effect.flip)
      expect(outcome._tag).toBe("TransportError")

      const refused = yield* rawFetch(`${server.baseUrl}/conversation/conversations`).pipe(Effect.flip)
      expect(String(refused.cause)).toContain("fetch failed")
    }))

  it.live("a client that goes away abandons the server's work: a timed-out start creates nothing", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const server = yield* MockServer
      yield* service.getConversations() // a warm connection, so the start surely reaches the server in time
      yield* server.injectFault(Fault.delay("700 millis"))
      const sent = Date.now()
      const error = yield* Effect.flip(service.startConversation({}))
      expect(error._tag).toBe("TimeoutError")
      yield* Effect.sleep(Duration.millis(Math.max(0, 900 - (Date.now() - sent))))
      expect(yield* server.store.started).toEqual([])
      expect((yield* server.requests).map((r) => r.operationId)).toEqual(["getConversations", "startConversation"])
    }).pipe(Effect.provide(serverAndClient(FetchHttpClient.layer, { seed: "empty" }, {
      timeout: "250 millis"
    }))))

  it.scoped("delays run on the live clock even under TestClock", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const server = yield* MockServer
      yield* server.injectFault(Fault.delay("30 millis"))
      const page = yield* service.getConversations()
      expect(page.conversations).toHaveLength(defaultSeed.length)
    }).pipe(Effect.provide(serverAndClient(FetchHttpClient.layer, undefined, {
      retry: RetryPolicy.none,
      timeout: Duration.infinity
    }))))

  it.scopedLive("reset clears faults and the record and puts the store back to its seed", () =>
    Effect.gen(function*() {
      const service = yield* ConversationService
      const server = yield* MockServer
      yield* service.startConversation({})
      yield* server.injectFault(Fault.status(500), { times: 3 })
      expect(yield* server.pendingFaults).toBe(3)
      yield* server.reset
      expect(yield* server.pendingFaults).toBe(0)
      expect(yield* server.requests).toEqual([])
      expect(yield* server.store.size).toBe(defaultSeed.length)
      expect((yield* service.getConversations()).conversations).toHaveLength(defaultSeed.length)
    }).pipe(Effect.provide(serverAndClient(FetchHttpClient.layer))))
})
