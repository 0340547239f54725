/**
 * A recording HTTP server on 127.0.0.1 and a free port, for the table-driven tests over every operation:
 * it keeps each request exactly as it arrived and answers from a script the test sets (a status, headers
 * and body, or a dropped connection once the request was read).
 */
import { Context, Effect, Layer } from "effect"
import * as Http from "node:http"

/** A request as the server received it. */
export interface ReceivedRequest {
  readonly method: string
  /** The path, still percent-encoded, without the query. */
  readonly path: string
  /** The query parameters in order, decoded. */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** What the server does with a request. */
export type Answer =
  | { readonly _tag: "Respond"; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | { readonly _tag: "Drop" }

/** Answers `status` with `value` as JSON. */
export const jsonAnswer = (status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): Answer => ({
  _tag: "Respond",
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value)
})

/** UltraCart's error answer for `status`. */
export const errorAnswer = (status: number, headers: Readonly<Record<string, string>> = {}): Answer =>
  jsonAnswer(status, { error: { developer_message: `dev ${status}`, user_message: `user ${status}` }, success: false }, headers)

/** Destroys the connection once the request was read: the server may have processed it. */
export const drop: Answer = { _tag: "Drop" }

/** The recording server. */
export class RecordingServer extends Context.Tag("test/RecordingServer")<RecordingServer, {
  /** `http://127.0.0.1:<port>/rest/v2`. */
  readonly baseUrl: string
  /** Answers the n-th request (0-based, since the last `reset`) with `script(n, request)`. */
  readonly script: (script: (index: number, request: ReceivedRequest) => Answer) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<ReceivedRequest>>
  /** Forgets the requests and answers 200 `{}` until scripted again. */
  readonly reset: Effect.Effect<void>
}>() {
  /** Starts the server for the layer's lifetime. */
  static readonly layer = Layer.scoped(
    RecordingServer,
    Effect.gen(function*() {
      const defaultScript = (): Answer => jsonAnswer(200, {})
      let script: (index: number, request: ReceivedRequest) => Answer = defaultScript
      let seen: Array<ReceivedRequest> = []
      const server = yield* Effect.acquireRelease(
        Effect.async<Http.Server>((resume) => {
          const created = Http.createServer((req, res) => {
            const chunks: Array<Buffer> = []
            req.on("data", (chunk: Buffer) => chunks.push(chunk))
            req.on("end", () => {
              const url = new URL(req.url ?? "/", "http://recording.invalid")
              const headers: Record<string, string> = {}
              for (const [name, value] of Object.entries(req.headers)) {
                if (typeof value === "string") headers[name] = value
              }
              const request: ReceivedRequest = {
                method: req.method ?? "",
                path: url.pathname,
                query: [...url.searchParams.entries()],
                headers,
                body: Buffer.concat(chunks).toString("utf8")
              }
              const index = seen.length
              seen = [...seen, request]
              const answer = script(index, request)
              if (answer._tag === "Drop") {
                req.socket.destroy()
                return
              }
              res.writeHead(answer.status, answer.headers)
              res.end(answer.body ?? "")
            })
          })
          created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
        }),
        (server) =>
          Effect.async<void>((resume) => {
            server.closeAllConnections()
            server.close(() => resume(Effect.void))
          })
      )
      const address = server.address()
      const port = address !== null && typeof address === "object" ? address.port : 0
      return RecordingServer.of({
        baseUrl: `http://127.0.0.1:${port}/rest/v2`,
        script: (next) => Effect.sync(() => {
          script = next
        }),
        requests: Effect.sync(() => seen),
        reset: Effect.sync(() => {
          seen = []
          script = defaultScript
        })
      })
    })
  )
}
