/**
 * Both credential kinds over every transport: the header each one sends (seen redacted in the server's
 * record), what the server accepts and refuses, and that no secret reaches the record or an error.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import { ConversationService, Credentials, RetryPolicy } from "../../src/index.js"
import { MockServer } from "../../src/testing/index.js"
import { serverAndClient, type Transport, transports } from "./transports.js"

const simpleKey = "integration-simple-key-5f1c"
const bearerToken = "integration-bearer-token-9d2e"
const accepted = { credentials: { simpleKey, bearer: bearerToken } }

interface CredentialCase {
  readonly name: string
  readonly credentials: Credentials.Credentials
  readonly outcome: "ok" | "UnauthorizedError"
  /** The credential header the server must have received (redacted), and the one it must not. */
  readonly sent: string
  readonly absent: string
}

const cases: ReadonlyArray<CredentialCase> = [
  { name: "a simple key", credentials: Credentials.simpleKey(simpleKey), outcome: "ok", sent: "x-ultracart-simple-key", absent: "authorization" },
  { name: "a Redacted simple key", credentials: Credentials.simpleKey(Redacted.make(simpleKey)), outcome: "ok", sent: "x-ultracart-simple-key", absent: "authorization" },
  { name: "a bearer token", credentials: Credentials.bearer(bearerToken), outcome: "ok", sent: "authorization", absent: "x-ultracart-simple-key" },
  { name: "a wrong simple key", credentials: Credentials.simpleKey("wrong-key"), outcome: "UnauthorizedError", sent: "x-ultracart-simple-key", absent: "authorization" },
  { name: "a wrong bearer token", credentials: Credentials.bearer("wrong-token"), outcome: "UnauthorizedError", sent: "authorization", absent: "x-ultracart-simple-key" },
  { name: "the key sent as a bearer token", credentials: Credentials.bearer(simpleKey), outcome: "UnauthorizedError", sent: "authorization", absent: "x-ultracart-simple-key" }
]

const layerFor = (transport: Transport, credentials: Credentials.Credentials) =>
  serverAndClient(transport, accepted, { credentials, retry: RetryPolicy.make({ baseDelay: "5 millis" }) })

for (const transport of transports) {
  describe.concurrent(`credentials over ${transport.name}`, () => {
    for (const testCase of cases) {
      it.scopedLive(`${testCase.name}: ${testCase.outcome}`, () =>
        Effect.gen(function*() {
          const service = yield* ConversationService
          const server = yield* MockServer
          const result = yield* Effect.either(service.getAgentWebsocketAuthorization())
          expect(Either.isLeft(result) ? result.left._tag : "ok").toBe(testCase.outcome)

          // a 401 is not retried
          const requests = yield* server.requests
          expect(requests).toHaveLength(1)
          const headers = requests[0]?.headers ?? {}
          expect(headers[testCase.sent]).toBe("<redacted>")
          expect(headers[testCase.absent]).toBeUndefined()

          const everything = JSON.stringify(requests) + (Either.isLeft(result) ? JSON.stringify(result.left) + result.left.message : "")
          expect(everything).not.toContain(simpleKey)
          expect(everything).not.toContain(bearerToken)
          if (Either.isLeft(result) && result.left._tag === "UnauthorizedError") {
            expect(result.left.status).toBe(401)
            expect(result.left.error?.error_code).toBe("401")
          }
        }).pipe(Effect.provide(layerFor(transport, testCase.credentials))))
    }
  })
}
