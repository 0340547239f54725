/** A plain node:http server for the transport's tests, and the service over the transport. */
import { Deferred, Effect, Layer } from "effect"
import * as Http from "node:http"
import { type ClientOptions, ConversationService } from "../../src/ConversationService.js"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import { UndiciHttpClient } from "../../src/undici/index.js"

/** `ConversationService` over `UndiciHttpClient.layer` against a server at `origin`: no retries unless given. */
export const serviceOver = (origin: string, options: Partial<ClientOptions> = {}) =>
  ConversationService.layer({
    credentials: Credentials.simpleKey("k"),
    baseUrl: `${origin}/rest/v2`,
    retry: RetryPolicy.none,
    ...options
  }).pipe(Layer.provide(UndiciHttpClient.layer))

/** What the server received. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** The port a listening server is bound to. */
export const portOf = (server: Http.Server): number => {
  const address = server.address()
  return address !== null && typeof address === "object" ? address.port : 0
}

/** Answers one request. */
export type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse, recorded: Recorded) => void

/** A plain node:http server on 127.0.0.1 and a free port for the scope, recording what it received. */
export const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly url: string; readonly seen: Array<Recorded> }>((resume) => {
      const seen: Array<Recorded> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const recorded = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          seen.push(recorded)
          handler(req, res, recorded)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${portOf(server)}`, seen }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

/** Answers with a JSON body. */
export const json = (res: Http.ServerResponse, status: number, body: unknown, headers: Http.OutgoingHttpHeaders = {}) => {
  const text = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** A port nothing listens on: bound once, then closed. */
export const closedPort = Effect.async<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = portOf(server)
    server.close(() => resume(Effect.succeed(port)))
  })
})


/** A deferred the server completes when a socket closes, and whether it did within 2 seconds. */
export const closeWatch = Effect.map(Deferred.make<void>(), (closed) => ({
  closed,
  sawClose: Deferred.await(closed).pipe(
    Effect.timeoutTo({ duration: "2 seconds", onSuccess: () => true, onTimeout: () => false })
  )
}))
