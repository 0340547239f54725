import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigError, ConfigProvider, Effect, Exit, Layer, Option, Redacted } from "effect"
import { inspect } from "node:util"
import { ConversationService, type ConversationServiceShape } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import { defectMessage, json, makeScriptedClient, outcomeTag, run } from "./support/scriptedClient.js"

const agentAuth = (service: ConversationServiceShape) => service.getAgentWebsocketAuthorization()

describe("ConversationService.layer refuses a base URL that would expose the key", () => {
  const refused: ReadonlyArray<readonly [string, string]> = [
    ["http://example.com/rest/v2", "https"],
    ["http://192.168.1.10/rest/v2", "https"],
    ["http://localhost.example.com/rest/v2", "https"],
    ["ftp://x", "https"],
    ["not a url", "not a valid absolute URL"],
    ["", "not a valid absolute URL"],
    ["https://user:pw@host/x", "credentials"],
    ["https://secure.ultracart.com/rest/v2?debug=1", "query"]
  ]
  it.effect("http to a non-loopback host, ftp, not a URL, userinfo, a query: a defect saying why, nothing sent", () =>
    Effect.gen(function*() {
      for (const [baseUrl, reason] of refused) {
        const { exit, requests } = yield* run([], agentAuth, { client: { baseUrl }, otherwise: json(200, {}) })
        expect(requests, baseUrl).toHaveLength(0)
        expect(outcomeTag(exit), baseUrl).toBe("Die")
        const message = defectMessage(exit) ?? ""
        expect(message, baseUrl).toContain("base URL")
        expect(message, baseUrl).toContain(reason)
        // the userinfo of a refused URL is not repeated
        expect(message, baseUrl).not.toContain("pw")
      }
    }))
})

describe("ConversationService.layer accepts https and loopback http", () => {
  const accepted: ReadonlyArray<readonly [string, string]> = [
    ["http://127.0.0.1:9/rest/v2", "http://127.0.0.1:9/rest/v2/conversation/agent/auth"],
    ["http://127.3.4.5:9/rest/v2", "http://127.3.4.5:9/rest/v2/conversation/agent/auth"],
    ["http://localhost:9", "http://localhost:9/conversation/agent/auth"],
    ["http://[::1]:9", "http://[::1]:9/conversation/agent/auth"],
    ["https://secure.ultracart.com/rest/v2", "https://secure.ultracart.com/rest/v2/conversation/agent/auth"]
  ]
  it.effect("127.0.0.1, 127.x.y.z, localhost, [::1] over http and any https host are accepted", () =>
    Effect.gen(function*() {
      for (const [baseUrl, url] of accepted) {
        const { exit, requests } = yield* run([json(200, {})], agentAuth, { client: { baseUrl } })
        expect(outcomeTag(exit), baseUrl).toBe("Success")
        expect(requests.map((request) => request.url), baseUrl).toEqual([url])
      }
    }))
})

describe("ConversationService.layer refuses an empty or blank credential, as layerConfig does", () => {
  const blanks: ReadonlyArray<readonly [string, Credentials.Credentials, string]> = [
    ["an empty simple key", Credentials.simpleKey(""), "simple key"],
    ["a blank simple key", Credentials.simpleKey("   "), "simple key"],
    ["an empty Redacted simple key", Credentials.simpleKey(Redacted.make("")), "simple key"],
    ["an empty bearer token", Credentials.bearer(""), "bearer token"],
    ["a bearer token of a tab", Credentials.bearer("\t"), "bearer token"]
  ]
  it.effect("simpleKey(\"\"), a blank key, bearer(\"\"): the layer dies saying why, and nothing is ever sent", () =>
    Effect.gen(function*() {
      for (const [name, credentials, kind] of blanks) {
        const { exit, requests } = yield* run([], agentAuth, { client: { credentials }, otherwise: json(200, {}) })
        expect(requests, name).toHaveLength(0)
        expect(outcomeTag(exit), name).toBe("Die")
        expect(defectMessage(exit), name).toContain(`the ${kind} is empty or blank`)
      }
    }))

  it.effect("a key with spaces around it is not blank: it is sent as given", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* run([json(200, {})], agentAuth, { client: { credentials: Credentials.simpleKey(" k ") } })
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests).toHaveLength(1)
    }))
})

const secretKey = "CONFIG-KEY-51d2"
const secretToken = "CONFIG-TOKEN-0b7e"

/** Builds `layerConfig()` over a scripted client with this configuration and calls one operation. */
const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Effect.gen(function*() {
    const scripted = yield* makeScriptedClient([json(200, {})])
    const exit = yield* ConversationService.pipe(
      Effect.flatMap(agentAuth),
      Effect.provide(
        ConversationService.layerConfig().pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, scripted.client)))
      ),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries))),
      Effect.exit
    )
    return { exit, requests: yield* scripted.requests }
  })

/** The ConfigError of a layer that failed to build, with every way it may be printed. */
const configFailure = <A, E>(exit: Exit.Exit<A, E>) => {
  if (Exit.isSuccess(exit)) throw new Error("the layer was built")
  const failure = Option.getOrUndefined(Cause.failureOption(exit.cause))
  if (!ConfigError.isConfigError(failure)) throw new Error(`not a ConfigError: ${Cause.pretty(exit.cause)}`)
  const texts = [String(failure), JSON.stringify(failure), inspect(failure, { depth: 10 }), Cause.pretty(exit.cause)]
  return { failure, text: texts.join("\n") }
}

describe("ConversationService.layerConfig", () => {
  it.effect("ULTRACART_API_KEY → the simple-key header", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* withConfig([["ULTRACART_API_KEY", secretKey]])
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests[0]?.headers["x-ultracart-simple-key"]).toBe(secretKey)
      expect(requests[0]?.headers["authorization"]).toBeUndefined()
      expect(requests[0]?.url).toBe("https://secure.ultracart.com/rest/v2/conversation/agent/auth")
    }))

  it.effect("ULTRACART_OAUTH_TOKEN → Authorization: Bearer", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* withConfig([["ULTRACART_OAUTH_TOKEN", secretToken]])
      expect(outcomeTag(exit)).toBe("Success")
      expect(requests[0]?.headers["authorization"]).toBe(`Bearer ${secretToken}`)
      expect(requests[0]?.headers["x-ultracart-simple-key"]).toBeUndefined()
    }))

  it.effect("ULTRACART_BASE_URL is used when given", () =>
    Effect.gen(function*() {
      const { requests } = yield* withConfig([
        ["ULTRACART_API_KEY", secretKey],
        ["ULTRACART_BASE_URL", "http://127.0.0.1:9/rest/v2/"]
      ])
      expect(requests[0]?.url).toBe("http://127.0.0.1:9/rest/v2/conversation/agent/auth")
    }))

  it.effect("neither key nor token → ConfigError naming both, nothing sent", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* withConfig([])
      expect(requests).toHaveLength(0)
      const { failure, text } = configFailure(exit)
      expect(failure._op).toBe("MissingData")
      expect(text).toContain("ULTRACART_API_KEY")
      expect(text).toContain("ULTRACART_OAUTH_TOKEN")
    }))

  it.effect("a blank key counts as not set", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* withConfig([["ULTRACART_API_KEY", "   "]])
      expect(requests).toHaveLength(0)
      expect(configFailure(exit).failure._op).toBe("MissingData")
    }))

  it.effect("both key and token → ConfigError, and neither secret is in it", () =>
    Effect.gen(function*() {
      const { exit, requests } = yield* withConfig([
        ["ULTRACART_API_KEY", secretKey],
        ["ULTRACART_OAUTH_TOKEN", secretToken]
      ])
      expect(requests).toHaveLength(0)
      const { failure, text } = configFailure(exit)
      expect(failure._op).toBe("InvalidData")
      expect(text).toContain("only one")
      expect(text).not.toContain(secretKey)
      expect(text).not.toContain(secretToken)
    }))

  const badBaseUrls: ReadonlyArray<readonly [string, string]> = [
    ["http://example.com/rest/v2", "https"],
    ["not a url", "not a valid absolute URL"],
    ["https://user:pw@example.com/rest/v2", "credentials"]
  ]
  for (const [baseUrl, reason] of badBaseUrls) {
    it.effect(`a bad ULTRACART_BASE_URL (${baseUrl}) → ConfigError with the reason, no secret, nothing sent`, () =>
      Effect.gen(function*() {
        const { exit, requests } = yield* withConfig([
          ["ULTRACART_API_KEY", secretKey],
          ["ULTRACART_BASE_URL", baseUrl]
        ])
        expect(requests).toHaveLength(0)
        const { failure, text } = configFailure(exit)
        expect(failure._op).toBe("InvalidData")
        expect(text).toContain("ULTRACART_BASE_URL")
        expect(text).toContain(reason)
        expect(text).not.toContain(secretKey)
        expect(text).not.toContain(":pw@")
      }))
  }

  it.effect("layerConfig passes its other options through (a custom timeout)", () =>
    Effect.gen(function*() {
      const scripted = yield* makeScriptedClient([json(200, {})])
      const layer = ConversationService.layerConfig({ timeout: "5 seconds" }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, scripted.client))
      )
      const exit = yield* ConversationService.pipe(
        Effect.flatMap(agentAuth),
        Effect.provide(layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["ULTRACART_API_KEY", secretKey]]))),
        Effect.exit
      )
      expect(outcomeTag(exit)).toBe("Success")
    }))
})
