/**
 * One rate limit shared by several processes through a real Redis (`redis-server` on 127.0.0.1 and a free
 * port, started by the test): 4 worker processes (`./worker.ts` under tsx) call the MockServer this
 * process runs, and the server's record (receive times) shows what UltraCart would have seen.
 *
 * How windows are counted. The limiter's windows (`@effect/experimental`'s fixed windows) follow one
 * another from the moment the budget's key was made; each releases its requests when it opens, and the
 * server stamps them as they arrive, a few to tens of milliseconds apart on a loaded machine. So the test
 * divides time into consecutive 1-second windows, keeps the division that fits best (trying every
 * millisecond offset), and requires at most `limit` requests in every window of it but one, "the window
 * of slack" the issue allows (at most 2 × `limit`): while the workers start, a window's last requests can
 * be sent so late that they arrive among the next window's. Any 1-second window, wherever it starts, holds
 * at most 2 × `limit` (one that straddles two of the limiter's windows catches the end of one and the start
 * of the next).
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Layer, Schedule, type Scope } from "effect"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { ConversationService } from "../../src/index.js"
import { RateLimitStore } from "../../src/RateLimit.js"
import { RateLimitRedis } from "../../src/redis/index.js"
import { defaultSeed, Fault, MockServer, type RecordedRequest } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici/index.js"
import { makeMemoryLogger, withMemoryLogger } from "../support/observe.js"
import { startRedis } from "../support/redis.js"
import type { WorkerMessage } from "./worker.js"

const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url))
const limit = 20
const windowMillis = 1000

/** The most requests received in any window of `width` ms (each window starting at a request). */
const maxInWindow = (times: ReadonlyArray<number>, width: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let end = 0
  for (let start = 0; start < sorted.length; start++) {
    const from = sorted[start] ?? 0
    while (end < sorted.length && (sorted[end] ?? 0) < from + width) end++
    best = Math.max(best, end - start)
  }
  return best
}

/** The best-aligned grid of consecutive windows: how many hold more than the limit, and the fullest. */
interface GridFit {
  readonly windowsOverLimit: number
  readonly fullest: number
}

/**
 * Divides time into consecutive `width`-ms windows at every millisecond offset and keeps the division
 * that fits `limit` best: the fewest windows over `limit`, then the smallest fullest window.
 */
const bestGrid = (times: ReadonlyArray<number>, width: number, limit: number): GridFit => {
  let best: GridFit = { windowsOverLimit: Infinity, fullest: Infinity }
  for (let offset = 0; offset < width; offset++) {
    const counts = new Map<number, number>()
    for (const time of times) {
      const window = Math.floor((time - offset) / width)
      counts.set(window, (counts.get(window) ?? 0) + 1)
    }
    const all = [...counts.values()]
    const fit = { windowsOverLimit: all.filter((count) => count > limit).length, fullest: Math.max(...all) }
    if (
      fit.windowsOverLimit < best.windowsOverLimit ||
      (fit.windowsOverLimit === best.windowsOverLimit && fit.fullest < best.fullest)
    ) best = fit
  }
  return best
}

interface Worker {
  readonly index: number
  readonly ready: Effect.Effect<void, Error>
  readonly go: Effect.Effect<void>
  readonly done: Effect.Effect<WorkerResult, Error>
}

/** What a worker reports when it is done. */
interface WorkerResult {
  readonly succeeded: number
  readonly failed: ReadonlyArray<string>
  readonly got429At: ReadonlyArray<number>
}

/** Starts worker `index` (killed with the scope if still running). */
const spawnWorker = (
  index: number,
  environment: Readonly<Record<string, string>>
): Effect.Effect<Worker, never, Scope.Scope> =>
  Effect.gen(function*() {
    const ready = yield* Deferred.make<void, Error>()
    const done = yield* Deferred.make<WorkerResult, Error>()
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        fork(workerPath, [], {
          execArgv: ["--import", "tsx"],
          env: { ...process.env, ...environment },
          stdio: ["ignore", "inherit", "inherit", "ipc"]
        })
      ),
      (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
    )
    child.on("message", (message: WorkerMessage) => {
      switch (message._tag) {
        case "Ready":
          Deferred.unsafeDone(ready, Effect.void)
          break
        case "Done":
          Deferred.unsafeDone(done, Effect.succeed(message))
          break
        case "Crashed": {
          const error = Effect.fail(new Error(`worker ${index} crashed: ${message.reason}`))
          Deferred.unsafeDone(ready, error)
          Deferred.unsafeDone(done, error)
        }
      }
    })
    child.once("exit", (code) => {
      const error = Effect.fail(new Error(`worker ${index} exited (${code}) before it was done`))
      Deferred.unsafeDone(ready, error)
      Deferred.unsafeDone(done, error)
    })
    return {
      index,
      ready: Deferred.await(ready),
      go: Effect.sync(() => void child.send("go")),
      done: Deferred.await(done)
    }
  })

const conversationOf = (index: number) => defaultSeed[index]?.conversation_uuid ?? "missing"
const workerOf = (request: RecordedRequest) => Array.from({ length: 4 }, (_, i) => i).find((i) => request.path.endsWith(conversationOf(i)))

/** Four workers of `calls` calls each, sharing one limit in the Redis at `redisPort`, started and ready. */
const fourWorkers = (baseUrl: string, redisPort: number, calls: number) =>
  Effect.gen(function*() {
    const prefix = `shared-test-${Date.now()}:`
    const workers = yield* Effect.forEach([0, 1, 2, 3], (index) =>
      spawnWorker(index, {
        WORKER_BASE_URL: baseUrl,
        WORKER_REDIS_PORT: String(redisPort),
        WORKER_REDIS_PREFIX: prefix,
        WORKER_CONVERSATION: conversationOf(index),
        WORKER_CALLS: String(calls),
        WORKER_LIMIT: String(limit),
        WORKER_WINDOW_MILLIS: String(windowMillis)
      }))
    // tsx compiles the client in each worker: slow on a loaded machine, but only once per worker.
    yield* Effect.forEach(workers, (worker) => worker.ready, { concurrency: "unbounded", discard: true }).pipe(
      Effect.timeoutFail({ duration: Duration.seconds(90), onTimeout: () => new Error("the workers did not get ready in 90 s") })
    )
    return workers
  })

const allDone = (workers: ReadonlyArray<Worker>) =>
  Effect.forEach(workers, (worker) => worker.done, { concurrency: "unbounded" }).pipe(
    Effect.timeoutFail({ duration: Duration.seconds(90), onTimeout: () => new Error("the workers did not finish in 90 s") })
  )

describe("one rate limit shared by 4 processes through Redis", () => {
  it.scopedLive("200 calls at 20 per second: at most 20 in any window, every call succeeds, nothing is lost", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const server = yield* MockServer
      const workers = yield* fourWorkers(server.baseUrl, redis.port, 50)
      yield* Effect.forEach(workers, (worker) => worker.go, { discard: true })
      const results = yield* allDone(workers)

      expect(results.map((result) => result.failed)).toEqual([[], [], [], []])
      expect(results.map((result) => result.succeeded)).toEqual([50, 50, 50, 50])
      const requests = yield* server.requests
      expect(requests).toHaveLength(200)
      expect(requests.every((request) => request.operationId === "getConversation" && request.fault === undefined)).toBe(true)
      expect([0, 1, 2, 3].map((i) => requests.filter((request) => workerOf(request) === i).length)).toEqual([50, 50, 50, 50])

      const times = requests.map((request) => request.receivedAtMillis)
      const grid = bestGrid(times, windowMillis, limit)
      const sliding = maxInWindow(times, windowMillis)
      const span = Math.max(...times) - Math.min(...times)
      console.log(
        `shared limit ${limit}/s, 4 processes, 200 calls: best-aligned 1-second grid: fullest window ${grid.fullest}, ` +
          `${grid.windowsOverLimit} window(s) over ${limit}; at most ${sliding} in any 1-second window; first to last ${span} ms`
      )
      expect(grid.windowsOverLimit).toBeLessThanOrEqual(1)
      expect(grid.fullest).toBeLessThanOrEqual(2 * limit)
      expect(sliding).toBeLessThanOrEqual(2 * limit)
    }).pipe(Effect.provide(MockServer.layer())), 180_000)

  it.scopedLive("a 429 with Retry-After: 2 to one process: no process sends for the next 2 seconds", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const server = yield* MockServer
      const workers = yield* fourWorkers(server.baseUrl, redis.port, 20)
      yield* Effect.forEach(workers, (worker) => worker.go, { discard: true })
      // Once the first window's 20 requests arrived, the next request (the first of the next window) gets
      // the 429. The rest of its window goes at the same moment; the windows after it are waiting.
      yield* Effect.repeat(server.requests, {
        schedule: Schedule.spaced("5 millis"),
        until: (requests) => requests.length >= limit
      })
      yield* server.injectFault(Fault.rateLimited(2), { operation: "getConversation" })
      const results = yield* allDone(workers)

      expect(results.map((result) => result.failed)).toEqual([[], [], [], []])
      expect(results.map((result) => result.succeeded)).toEqual([20, 20, 20, 20])
      const requests = yield* server.requests
      expect(requests).toHaveLength(81) // 80 calls and the retry of the one that got the 429
      expect(requests.filter((request) => request.fault !== undefined)).toHaveLength(1)
      const received = results.flatMap((result) => result.got429At)
      expect(received).toHaveLength(1)
      const at429 = received[0] ?? 0

      // When each process handed each request to its transport (the header the workers add).
      const sent = requests.map((request) => ({ at: Number(request.headers["x-test-sent-at"]), worker: workerOf(request) }))
      expect(sent.every((request) => Number.isFinite(request.at))).toBe(true)
      // The process that got the 429 pauses the budget in Redis right after: a request that passed its
      // last look at the pause just before can still be sent in that moment.
      const pauseWritten = 250
      const duringPause = sent.filter((request) => request.at >= at429 + pauseWritten && request.at < at429 + 2000)
      const after = sent.filter((request) => request.at >= at429 + 2000)
      const workersAfter = new Set(after.map((request) => request.worker))
      const first = Math.min(...sent.map((request) => request.at))
      console.log(
        `429 with Retry-After: 2 received at +${at429 - first} ms: ` +
          `${sent.filter((request) => request.at >= at429 && request.at < at429 + pauseWritten).length} sent in the next ` +
          `${pauseWritten} ms, ${duringPause.length} in [+${pauseWritten} ms, +2000 ms), ${after.length} after the pause ` +
          `from ${workersAfter.size} workers; first after it at +${Math.min(...after.map((request) => request.at)) - at429} ms`
      )
      expect(duringPause).toEqual([])
      expect(after.length).toBeGreaterThan(0)
      expect(workersAfter.size).toBeGreaterThanOrEqual(2)
      expect(maxInWindow(requests.map((request) => request.receivedAtMillis), windowMillis)).toBeLessThanOrEqual(2 * limit)
    }).pipe(Effect.provide(MockServer.layer())), 180_000)
})

describe("the Redis store in one process", () => {
  it.scopedLive("a pause keeps the longer of two, counts down on Redis's clock, and is seen by another connection", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const prefix = "store-test:"
      const one = yield* RateLimitRedis.make({ port: redis.port, prefix })
      const other = yield* RateLimitRedis.make({ port: redis.port, prefix })
      expect(Duration.toMillis(yield* other.pausedFor("k:pause"))).toBe(0)
      yield* one.pause("k:pause", Duration.seconds(3))
      yield* other.pause("k:pause", Duration.millis(500))
      const left = Duration.toMillis(yield* other.pausedFor("k:pause"))
      expect(left).toBeGreaterThan(2000)
      expect(left).toBeLessThanOrEqual(3000)
      yield* other.pause("k:pause", Duration.seconds(10))
      expect(Duration.toMillis(yield* one.pausedFor("k:pause"))).toBeGreaterThan(9000)
    }))

  it.scopedLive("the budget is shared by two connections: 5 places at 2 per second open at 0, 0, 1, 1 and 2 s", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const one = yield* RateLimitRedis.make({ port: redis.port, prefix: "budget-test:" })
      const other = yield* RateLimitRedis.make({ port: redis.port, prefix: "budget-test:" })
      const options = { key: "b", limit: 2, window: "1 second", algorithm: "fixed-window", onExceeded: "delay" } as const
      const delays = yield* Effect.forEach([one, other, one, other, one], (store) =>
        Effect.map(store.limiter.consume(options), (result) => Math.round(Duration.toMillis(result.delay) / 100) * 100))
      expect(delays).toEqual([0, 0, 1000, 1000, 2000])
    }))

  it.scopedLive("Redis gone: calls go ahead without the limit, each within the command timeout, with a Warning", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const server = yield* MockServer
      const memory = makeMemoryLogger()
      const layer = ConversationService.layer({
        credentials: server.credentials,
        baseUrl: server.baseUrl,
        rateLimit: { limit: 100, window: "1 second" }
      }).pipe(
        Layer.provideMerge(RateLimitRedis.layer({ port: redis.port, prefix: "gone-test:", commandTimeout: "200 millis" })),
        Layer.provide(UndiciHttpClient.layer)
      )
      const uuid = conversationOf(0)
      yield* Effect.gen(function*() {
        const service = yield* ConversationService
        yield* service.getConversation(uuid)
        yield* redis.stop
        const started = Date.now()
        yield* service.getConversation(uuid)
        const took = Date.now() - started
        expect(took).toBeLessThan(3000)
        const store = yield* RateLimitStore
        expect((yield* Effect.either(store.pausedFor("x")))._tag).toBe("Left")
      }).pipe(Effect.provide(layer), withMemoryLogger(memory))
      expect((yield* server.requests).length).toBe(2)
      expect(memory.lines.some((line) => line.includes("level=WARN") && line.includes("the store failed"))).toBe(true)
    }).pipe(Effect.provide(MockServer.layer())), 60_000)
})
