/**
 * Nothing keeps running behind the caller. Interrupting a call mid-request (or letting it time out)
 * closes its socket promptly, as seen from the server side of a plain `node:http` server that records
 * when each request's socket closes, over every transport. And after hundreds of calls with faults
 * against MockServer, once the layers are released, the process holds no more sockets, servers or timers
 * than before (`process.getActiveResourcesInfo()`, compared by resource type).
 */
import type { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer } from "effect"
import * as Http from "node:http"
import { ConversationService, Credentials, RetryPolicy } from "../../src/index.js"
import { Fault, MockServer } from "../../src/testing/index.js"
import { httpClients } from "../testing/support.js"
import { classify, fastRetry, operationCases } from "./support.js"

/** What the stalling server saw: when each request arrived and when its socket closed (ms since start). */
interface Seen {
  readonly arrivals: Array<number>
  readonly closes: Array<number>
}

/**
 * A `node:http` server on 127.0.0.1 that answers nothing for 10 s (`headers`), or sends the headers and
 * half a body and then stalls (`body`). The 10 s answer is cancelled when the socket closes.
 */
const stallingServer = (mode: "headers" | "body") =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly port: number; readonly seen: Seen }>((resume) => {
      const seen: Seen = { arrivals: [], closes: [] }
      const server = Http.createServer((request, response) => {
        seen.arrivals.push(performance.now())
        const late = setTimeout(() => response.end("{}"), 10_000)
        request.socket.once("close", () => {
          clearTimeout(late)
          seen.closes.push(performance.now())
        })
        if (mode === "body") {
          const body = JSON.stringify({ conversation: { conversation_uuid: "c-1", messages: [] } })
          response.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) })
          response.write(body.slice(0, 10))
        }
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed({ server, port: address !== null && typeof address === "object" ? address.port : 0, seen }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** Polls `done` every 5 ms for at most `within`; fails the test with `what` if it never holds. */
const eventually = (done: () => boolean, within: Duration.DurationInput, what: string) =>
  Effect.gen(function*() {
    const deadline = performance.now() + Duration.toMillis(Duration.decode(within))
    while (!done()) {
      if (performance.now() > deadline) return yield* Effect.dieMessage(`timed out waiting: ${what}`)
      yield* Effect.sleep("5 millis")
    }
  })

/** The service over `transport` against a stalling server's port: no retries, `timeout` per attempt. */
const stallingClient = (port: number, timeout: Duration.DurationInput, transport: Layer.Layer<HttpClient.HttpClient>) =>
  ConversationService.layer({
    credentials: Credentials.simpleKey("handles-key"),
    baseUrl: `http://127.0.0.1:${port}/rest/v2`,
    retry: RetryPolicy.none,
    timeout
  }).pipe(Layer.provide(transport))

/** How quickly the socket must close once the caller gave up (generous: the machine may be loaded). */
const prompt = 2_000

for (const [transportName, transport] of httpClients) {
  describe(`interrupting a call closes its socket promptly, over ${transportName}`, () => {
    for (const mode of ["headers", "body"] as const) {
      const stall = mode === "headers" ? "the server delays the headers 10 s" : "the body stalls mid-way"
      it.scopedLive(`${stall}: interrupted → the server sees the socket close`, () =>
        Effect.gen(function*() {
          const { port, seen } = yield* stallingServer(mode)
          const layer = stallingClient(port, "30 seconds", transport)
          const fiber = yield* Effect.fork(
            Effect.flatMap(ConversationService, (service) => service.getConversation("c-1")).pipe(Effect.provide(layer))
          )
          yield* eventually(() => seen.arrivals.length === 1, "5 seconds", "the request to arrive")
          expect(seen.closes).toHaveLength(0)

          const interruptedAt = performance.now()
          const exit = yield* Fiber.interrupt(fiber).pipe(Effect.timeout("2 seconds"))
          expect(Exit.isInterrupted(exit)).toBe(true)
          yield* eventually(() => seen.closes.length === 1, "3 seconds", "the socket to close")
          expect((seen.closes[0] ?? Infinity) - interruptedAt).toBeLessThan(prompt)
          // Nothing was sent again behind the caller's back.
          yield* Effect.sleep("50 millis")
          expect(seen.arrivals).toHaveLength(1)
        }))

      it.scopedLive(`${stall}: the attempt times out → the server sees the socket close`, () =>
        Effect.gen(function*() {
          const { port, seen } = yield* stallingServer(mode)
          const layer = stallingClient(port, "200 millis", transport)
          const started = performance.now()
          const exit = yield* Effect.exit(
            Effect.flatMap(ConversationService, (service) => service.getConversation("c-1")).pipe(Effect.provide(layer))
          )
          const outcome = classify(exit)
          expect(outcome._tag === "Failure" && outcome.error._tag).toBe("TimeoutError")
          yield* eventually(() => seen.closes.length === 1, "3 seconds", "the socket to close")
          expect((seen.closes[0] ?? Infinity) - started).toBeLessThan(200 + prompt)
        }))
    }
  })
}

/** Active resources (sockets, servers, timers, ...) counted by type. */
const resourceCounts = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1
  return counts
}

/** The types whose count is above `baseline`. */
const above = (baseline: Record<string, number>, now: Record<string, number>): Record<string, string> => {
  const extra: Record<string, string> = {}
  for (const [type, n] of Object.entries(now)) {
    const before = baseline[type] ?? 0
    if (n > before) extra[type] = `${before} → ${n}`
  }
  return extra
}

/** Faults for the run: each kind of failure, including stalls that time out and connections dropped. */
const faults: ReadonlyArray<Fault.Fault> = [
  Fault.status(503),
  Fault.rateLimited(0),
  Fault.dropBeforeProcessing,
  Fault.dropAfterProcessing,
  Fault.truncatedBody,
  Fault.delay("3 seconds"),
  Fault.delayBody("3 seconds"),
  Fault.notJson
]

const callsPerTransport = 150

/** `callsPerTransport` calls of every operation with random faults; every fifth call is interrupted early. */
const busyRun = (transport: (typeof httpClients)[number][1], seed: number, calls = callsPerTransport) =>
  Effect.gen(function*() {
    const server = yield* MockServer
    const service = yield* ConversationService
    yield* server.setFaultRate({ probability: 0.2, faults, seed })
    const exits = yield* Effect.forEach(
      Array.from({ length: calls }, (_, i) => i),
      (i) => {
        const operation = operationCases[i % operationCases.length]
        if (operation === undefined) return Effect.die("no operation")
        const call = operation.call(service)
        return Effect.exit(i % 5 === 4 ? Effect.timeoutFail(call, { duration: "3 millis", onTimeout: () => "gave up" }) : call)
      },
      { concurrency: 32 }
    )
    return exits
  }).pipe(
    Effect.provide(
      MockServer.layerClient({ retry: fastRetry, timeout: "400 millis" }).pipe(
        Layer.provideMerge(MockServer.layer()),
        Layer.provide(transport)
      )
    )
  )

describe("no handle outlives the layers", () => {
  it.live(`${callsPerTransport * httpClients.length} calls with faults, then release: sockets, servers and timers back to the baseline`, () =>
    Effect.gen(function*() {
      // Warm up first: module-level resources created on first use are not leaks.
      for (const [, transport] of httpClients) yield* busyRun(transport, 1, 30).pipe(Effect.asVoid)
      yield* Effect.sleep("300 millis")
      const baseline = resourceCounts()

      let calls = 0
      let defects = 0
      for (const [index, [, transport]] of httpClients.entries()) {
        const exits = yield* busyRun(transport, 100 + index)
        calls += exits.length
        for (const exit of exits) {
          // "gave up" is the test's own early timeout; everything else must be typed.
          if (Exit.isFailure(exit) && classify(exit)._tag === "Defect" && !String(exit.cause).includes("gave up")) {
            defects += 1
          }
        }
      }
      expect(calls).toBe(callsPerTransport * httpClients.length)
      expect(defects).toBe(0)

      let settled = above(baseline, resourceCounts())
      const deadline = performance.now() + 5_000
      while (Object.keys(settled).length > 0 && performance.now() < deadline) {
        yield* Effect.sleep("50 millis")
        settled = above(baseline, resourceCounts())
      }
      expect(settled, `resources above the baseline ${JSON.stringify(baseline)}`).toEqual({})

      // The comparison can fail: a server and a timer left open show up above the baseline.
      const stray = Http.createServer()
      yield* Effect.async<void>((resume) => void stray.listen(0, "127.0.0.1", () => resume(Effect.void)))
      const timer = setTimeout(() => undefined, 10_000)
      expect(Object.keys(above(baseline, resourceCounts())).sort()).toEqual(["TCPServerWrap", "Timeout"])
      clearTimeout(timer)
      yield* Effect.async<void>((resume) => void stray.close(() => resume(Effect.void)))
    }), 60_000)
})
