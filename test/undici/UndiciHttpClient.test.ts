import { HttpBody, HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Exit, Fiber, Layer, Option, Stream } from "effect"
import { inspect } from "node:util"
import { Agent } from "undici"
import { ConversationService } from "../../src/ConversationService.js"
import * as Credentials from "../../src/Credentials.js"
import { isNotConnected } from "../../src/internal/transportError.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import { UndiciHttpClient } from "../../src/undici/index.js"
import { closedPort, closeWatch, json, serve, serviceOver } from "./support.js"

/** A DNS lookup that fails as getaddrinfo does for an unknown host: no resolver is asked. */
const failingLookup = (
  hostname: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void
) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", syscall: "getaddrinfo" }), "", 0)

describe("UndiciHttpClient", () => {
  it.scopedLive("sends GET, PUT and DELETE with their headers, query and JSON body intact", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve((_req, res) => json(res, 200, { ok: true }))
      const client = yield* HttpClient.HttpClient
      yield* client.execute(
        HttpClientRequest.get(`${url}/things`).pipe(
          HttpClientRequest.setUrlParams({ _limit: "5", before: "2024-01-01T00:00:00Z" }),
          HttpClientRequest.setHeader("x-ultracart-api-version", "2017-03-01"),
          HttpClientRequest.acceptJson
        )
      )
      const body = { conversation_arn: "arn:1", names: ["a", "é", "😀"] }
      yield* client.execute(
        HttpClientRequest.put(`${url}/things/t%2F1`).pipe(
          HttpClientRequest.setHeader("x-ultracart-simple-key", "secret-key"),
          HttpClientRequest.bodyText(JSON.stringify(body), "application/json")
        )
      )
      yield* client.execute(
        HttpClientRequest.del(`${url}/things/t-1/leave`).pipe(HttpClientRequest.bearerToken("token-1"))
      )
      expect(seen.map((r) => [r.method, r.url])).toEqual([
        ["GET", "/things?_limit=5&before=2024-01-01T00%3A00%3A00Z"],
        ["PUT", "/things/t%2F1"],
        ["DELETE", "/things/t-1/leave"]
      ])
      const [get, put, del] = seen
      expect(get?.headers["x-ultracart-api-version"]).toBe("2017-03-01")
      expect(get?.headers["accept"]).toBe("application/json")
      expect(get?.body).toBe("")
      expect(put?.headers["x-ultracart-simple-key"]).toBe("secret-key")
      expect(put?.headers["content-type"]).toBe("application/json")
      expect(put?.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(body))))
      expect(JSON.parse(put?.body ?? "")).toEqual(body)
      expect(del?.headers["authorization"]).toBe("Bearer token-1")
      expect(del?.body).toBe("")
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("sends Uint8Array, Raw and Stream bodies", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve((_req, res) => json(res, 200, {}))
      const client = yield* HttpClient.HttpClient
      yield* client.execute(
        HttpClientRequest.post(`${url}/bytes`).pipe(
          HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes-body"), "application/octet-stream")
        )
      )
      yield* client.execute(
        HttpClientRequest.post(`${url}/stream`).pipe(
          HttpClientRequest.bodyStream(
            Stream.make("chunk-1,", "chunk-2").pipe(Stream.map((s) => new TextEncoder().encode(s))),
            { contentType: "text/plain" }
          )
        )
      )
      yield* client.execute(
        HttpClientRequest.post(`${url}/raw`).pipe(
          HttpClientRequest.setBody(HttpBody.raw("raw-text", { contentType: "text/plain" }))
        )
      )
      const form = new FormData()
      form.append("field", "value")
      yield* client.execute(HttpClientRequest.post(`${url}/form`).pipe(HttpClientRequest.bodyFormData(form)))
      expect(seen.map((r) => [r.url, r.body.includes("value") ? "form" : r.body])).toEqual([
        ["/bytes", "bytes-body"],
        ["/stream", "chunk-1,chunk-2"],
        ["/raw", "raw-text"],
        ["/form", "form"]
      ])
      expect(seen[1]?.headers["transfer-encoding"]).toBe("chunked")
      expect(seen[3]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("reads status, lowercase headers, cookies and the body as text, JSON, bytes and stream", () =>
    Effect.gen(function*() {
      const { url } = yield* serve((_req, res) =>
        json(res, 201, { hello: "wörld" }, {
          "UC-REST-ERROR": "none",
          "Set-Cookie": ["a=1; Path=/", "b=2; HttpOnly"],
          "X-Multi": ["one", "two"]
        })
      )
      const client = yield* HttpClient.HttpClient
      const response = yield* client.get(url)
      expect(response.status).toBe(201)
      expect(response.headers["uc-rest-error"]).toBe("none")
      expect(response.headers["content-type"]).toBe("application/json")
      expect(response.headers["x-multi"]).toBe("one, two")
      expect(response.cookies.cookies["a"]?.value).toBe("1")
      expect(response.cookies.cookies["b"]?.options?.httpOnly).toBe(true)
      expect(response.remoteAddress).toEqual(Option.none())
      // The body is read once; every reader sees it.
      expect(yield* response.text).toBe(`{"hello":"wörld"}`)
      expect(yield* response.json).toEqual({ hello: "wörld" })
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe(`{"hello":"wörld"}`)
      const shown = inspect(response)
      expect(shown).toContain("201")
      expect(shown).toContain("wörld")

      const streamed = yield* client.get(url).pipe(
        Effect.flatMap((r) => Stream.runCollect(r.stream)),
        Effect.map((chunks) => Buffer.concat(Chunk.toReadonlyArray(chunks)).toString("utf8"))
      )
      expect(streamed).toBe(`{"hello":"wörld"}`)
      const bytesFirst = yield* client.get(url)
      expect((yield* bytesFirst.arrayBuffer).byteLength).toBe(Buffer.byteLength(`{"hello":"wörld"}`))
      expect(yield* bytesFirst.text).toBe(`{"hello":"wörld"}`)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("reads a urlencoded body as form data and URL parameters", () =>
    Effect.gen(function*() {
      const { url } = yield* serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
        res.end("a=1&b=two")
      })
      const client = yield* HttpClient.HttpClient
      const form = yield* Effect.flatMap(client.get(url), (r) => r.formData)
      expect(form.get("b")).toBe("two")
      const params = yield* Effect.flatMap(client.get(url), (r) => r.urlParamsBody)
      expect(params).toEqual([["a", "1"], ["b", "two"]])
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("a body that is not JSON fails as ResponseError Decode", () =>
    Effect.gen(function*() {
      const { url } = yield* serve((_req, res) => res.end("<html>"))
      const client = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(Effect.flatMap(client.get(url), (r) => r.json))
      expect(error._tag).toBe("ResponseError")
      expect(error.reason).toBe("Decode")
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.live("connection refused is a RequestError Transport with ECONNREFUSED in its cause", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const client = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(client.get(`http://127.0.0.1:${port}/x`))
      expect(error).toBeInstanceOf(HttpClientError.RequestError)
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      expect(isNotConnected(error.cause)).toBe(true)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.live("through ConversationService, connection refused is TransportError ConnectionRefused", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const error = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.flip,
        Effect.provide(
          ConversationService.layer({
            credentials: Credentials.simpleKey("k"),
            baseUrl: `http://127.0.0.1:${port}/rest/v2`,
            retry: RetryPolicy.none
          }).pipe(Layer.provide(UndiciHttpClient.layer))
        )
      )
      expect(error._tag).toBe("TransportError")
      expect(error._tag === "TransportError" && error.reason).toBe("ConnectionRefused")
    }))

  it.live("a host name that does not resolve is TransportError DnsLookupFailed, not ConnectionRefused", () =>
    Effect.gen(function*() {
      const error = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.flip,
        Effect.provide(
          ConversationService.layer({
            credentials: Credentials.simpleKey("k"),
            baseUrl: "http://localhost:9/rest/v2",
            retry: RetryPolicy.none
          }).pipe(Layer.provide(UndiciHttpClient.layerWithOptions({ connect: { lookup: failingLookup } })))
        )
      )
      expect(error).toMatchObject({ _tag: "TransportError", reason: "DnsLookupFailed" })
      expect(error.message).toContain("ENOTFOUND")
    }))

  it.scopedLive("interrupting a request the server never answers closes the socket promptly", () =>
    Effect.gen(function*() {
      const arrived = yield* Deferred.make<void>()
      const { closed, sawClose } = yield* closeWatch
      const { url } = yield* serve((req) => {
        req.socket.once("close", () => Deferred.unsafeDone(closed, Exit.void))
        Deferred.unsafeDone(arrived, Exit.void)
      })
      const client = yield* HttpClient.HttpClient
      const fiber = yield* Effect.fork(client.get(`${url}/hang`))
      yield* Deferred.await(arrived)
      yield* Fiber.interrupt(fiber)
      expect(yield* sawClose).toBe(true)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("interrupting a body read closes the socket promptly", () =>
    Effect.gen(function*() {
      const { closed, sawClose } = yield* closeWatch
      const { url } = yield* serve((req, res) => {
        req.socket.once("close", () => Deferred.unsafeDone(closed, Exit.void))
        res.writeHead(200, { "content-type": "application/json", "content-length": 1000 })
        res.write(`{"partial":`)
      })
      const client = yield* HttpClient.HttpClient
      const response = yield* client.get(url)
      const fiber = yield* Effect.fork(response.text)
      yield* Effect.sleep("20 millis")
      yield* Fiber.interrupt(fiber)
      expect(yield* sawClose).toBe(true)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("a socket destroyed mid-body is a ResponseError Decode", () =>
    Effect.gen(function*() {
      const { url } = yield* serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": 1000 })
        res.write(`{"partial":`, () => setTimeout(() => res.socket?.destroy(), 10))
      })
      const client = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(Effect.flatMap(client.get(url), (r) => r.text))
      expect(error).toBeInstanceOf(HttpClientError.ResponseError)
      expect(error._tag === "ResponseError" && error.reason).toBe("Decode")
      // Through ConversationService the same failure is a TransportError, not a DecodeError.
      const viaService = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c-1")),
        Effect.flip,
        Effect.provide(
          serviceOver(url)
        )
      )
      expect(viaService._tag).toBe("TransportError")
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("ConversationService over this layer gets a decoded ConversationResponse", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve((_req, res) =>
        json(res, 200, {
          conversation: {
            conversation_uuid: "c-1",
            medium: "websocket",
            messages: [{ body: "hi", message_epoch: 1715700000000, type: "message", translations: null }],
            unknown_field: 1
          },
          error: null,
          metadata: { payload_name: "conversation" },
          success: true
        })
      )
      const response = yield* ConversationService.pipe(
        Effect.flatMap((service) => service.getConversation("c 1", { limit: 10 })),
        Effect.provide(
          ConversationService.layer({ credentials: Credentials.simpleKey("key-1"), baseUrl: `${url}/rest/v2` }).pipe(
            Layer.provide(UndiciHttpClient.layer)
          )
        )
      )
      expect(response.success).toBe(true)
      expect(response.conversation?.conversation_uuid).toBe("c-1")
      expect(response.conversation?.messages?.[0]?.body).toBe("hi")
      expect(response.conversation?.messages?.[0]?.translations).toBeUndefined()
      expect(response.error).toBeUndefined()
      expect(seen[0]?.url).toBe("/rest/v2/conversation/conversations/c%201?limit=10")
      expect(seen[0]?.headers["x-ultracart-simple-key"]).toBe("key-1")
      expect(seen[0]?.headers["x-ultracart-api-version"]).toBe("2017-03-01")
    }))

  it.scopedLive("keeps connections alive between requests, and releasing the layer closes them", () =>
    Effect.gen(function*() {
      const open = new Set<unknown>()
      let opened = 0
      const { closed: allClosed, sawClose } = yield* closeWatch
      const { url } = yield* serve((req, res) => {
        if (!open.has(req.socket)) {
          opened++
          open.add(req.socket)
          req.socket.once("close", () => {
            open.delete(req.socket)
            if (open.size === 0) Deferred.unsafeDone(allClosed, Exit.void)
          })
        }
        json(res, 200, { opened })
      })
      yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* UndiciHttpClient.make()
        for (let i = 0; i < 10; i++) yield* Effect.flatMap(client.get(url), (r) => r.json)
      }))
      // undici's pool may open a second connection when a request is sent as the previous one ends.
      expect(opened).toBeLessThanOrEqual(2)
      expect(yield* sawClose).toBe(true)
    }))

  it.scopedLive("layerWithDispatcher uses the caller's dispatcher and leaves it open", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve((_req, res) => json(res, 200, { ok: true }))
      const agent = new Agent({ connections: 1 })
      yield* Effect.addFinalizer(() => Effect.promise(() => agent.close()))
      const body = yield* HttpClient.HttpClient.pipe(
        Effect.flatMap((client) => client.get(url)),
        Effect.flatMap((response) => response.json),
        Effect.provide(UndiciHttpClient.layerWithDispatcher(agent))
      )
      expect(body).toEqual({ ok: true })
      expect(seen).toHaveLength(1)
      expect(agent.closed).toBe(false)
      expect(agent.destroyed).toBe(false)
    }))

  it.scopedLive("a header undici refuses is a RequestError, not a defect", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* serve((_req, res) => json(res, 200, {}))
      const client = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(
        client.execute(HttpClientRequest.get(url).pipe(HttpClientRequest.setHeader("x-bad", "line\r\nbreak")))
      )
      expect(error._tag).toBe("RequestError")
      expect(seen).toHaveLength(0)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.live("a dispatcher that throws instead of calling back is a RequestError", () =>
    Effect.gen(function*() {
      class Throwing extends Agent {
        override request(): never {
          throw new Error("no dispatching today")
        }
      }
      const agent = new Throwing()
      const error = yield* HttpClient.HttpClient.pipe(
        Effect.flatMap((client) => client.get("http://127.0.0.1:9/x")),
        Effect.flip,
        Effect.provide(UndiciHttpClient.layerWithDispatcher(agent))
      )
      yield* Effect.promise(() => agent.close())
      expect(error._tag).toBe("RequestError")
      expect(error.cause).toBeInstanceOf(Error)
    }))
})
