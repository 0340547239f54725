/**
 * The soak: many calls at high concurrency against an embedded `MockServer` seeded with conversations,
 * with random faults the retry policy should absorb (503s, 429 with `Retry-After: 0`, connections dropped
 * before processing, short delays). Mostly operations that create nothing, plus some
 * `startConversation`. Every call is accounted for: a success, a typed failure, a defect, or lost
 * (neither, within a generous deadline). `npm run soak` runs the full soak (soak/main.ts);
 * test/reliability/soak.test.ts runs a short one in `npm test`.
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Option, Ref } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  isConversationError,
  RetryPolicy
} from "../src/index.js"
import { Fault, MockServer, type RecordedRequest, seedConversations, seededUuid } from "../src/testing/index.js"

/** How a soak runs. */
export interface SoakOptions {
  /** Client calls to make. */
  readonly requests: number
  /** Calls in flight at once. */
  readonly concurrency: number
  /** The probability that the server spoils an answer with one of `faults` (0 to 1). */
  readonly faultRate: number
  /** Conversations the store is seeded with (default 500). */
  readonly conversations?: number | undefined
  /** Seeds the choice of operations and arguments and the server's faults (default 1). */
  readonly seed?: number | undefined
  /** The transport (default `NodeHttpClient.layerUndici`). */
  readonly transport?: Layer.Layer<HttpClient.HttpClient> | undefined
  /** The faults drawn (default: 503, 429 with Retry-After 0, a drop before processing, a 20 ms delay). */
  readonly faults?: ReadonlyArray<Fault.Fault> | undefined
  /** The retry policy (default: the default's shape with a 2 ms base delay and a 20 ms cap). */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /** The per-attempt timeout (default 10 s: the soak is about faults, not a slow machine). */
  readonly timeout?: Duration.DurationInput | undefined
  /** A call that has not ended by then is counted as lost (default 2 minutes). */
  readonly lostAfter?: Duration.DurationInput | undefined
  /** Called after every `progressEvery` completed calls. */
  readonly onProgress?: ((completed: number, summary: () => SoakSummary) => void) | undefined
  readonly progressEvery?: number | undefined
}

/** Latency percentiles of a set of calls, in milliseconds. */
export interface LatencySummary {
  readonly calls: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/** What a soak saw. */
export interface SoakSummary {
  /** Client calls made. */
  readonly calls: number
  readonly successes: number
  /** Typed failures (`ConversationError`s), by `_tag`. */
  readonly failures: Readonly<Record<string, number>>
  /** Typed failures by operation, then by `_tag`. */
  readonly failuresByOperation: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** Calls that died, were interrupted, or failed with something that is not a `ConversationError`. */
  readonly defects: number
  /** The first few defects, printed. */
  readonly defectSamples: ReadonlyArray<string>
  /** Calls that neither succeeded nor failed within `lostAfter`. */
  readonly lost: number
  /** HTTP requests the client sent (retries included). */
  readonly attempts: number
  /** `attempts - calls`. */
  readonly retries: number
  /** Requests the server recorded; `serverCountExact` says whether none slipped past the count. */
  readonly serverRequests: number
  readonly serverCountExact: boolean
  /** Requests the server spoiled with a fault, by fault. */
  readonly faultsInjected: Readonly<Record<string, number>>
  /** Conversations `startConversation` created in the store. */
  readonly conversationsStarted: number
  readonly latency: LatencySummary
  readonly latencyByOperation: Readonly<Record<string, LatencySummary>>
  readonly wallMillis: number
}

/** Default faults: ones the retry policy absorbs for operations that create nothing. */
export const defaultFaults: ReadonlyArray<Fault.Fault> = [
  Fault.status(503),
  Fault.rateLimited(0),
  Fault.dropBeforeProcessing,
  Fault.delay("20 millis")
]

/** The default soak retry policy: the default's shape (4 retries, jitter) with tiny delays. */
export const soakRetry = RetryPolicy.make({ baseDelay: "2 millis", maxDelay: "20 millis" })

/** A small seeded generator (mulberry32): reproducible choices without a global `Math.random`. */
const generator = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Call = (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>

interface Mix {
  readonly operation: string
  readonly weight: number
  readonly call: (random: () => number, conversations: number, index: number) => Call
}

/** The operation mix: mostly operations that create nothing, some startConversation (3%). */
const mix: ReadonlyArray<Mix> = [
  {
    operation: "getConversation",
    weight: 32,
    call: (random, n) => {
      const uuid = seededUuid(Math.floor(random() * n))
      return (service) => service.getConversation(uuid, { limit: 20 })
    }
  },
  {
    operation: "getConversations",
    weight: 8,
    call: (random, n) => {
      const offset = Math.floor(random() * n)
      const medium = random() < 0.5 ? "sms" : undefined
      return (service) => service.getConversations({ limit: 20, offset, medium })
    }
  },
  {
    operation: "joinConversation",
    weight: 14,
    call: (random, n) => {
      const uuid = seededUuid(Math.floor(random() * n))
      return (service) => service.joinConversation(uuid)
    }
  },
  {
    operation: "leaveConversation",
    weight: 14,
    call: (random, n) => {
      const uuid = seededUuid(Math.floor(random() * n))
      return (service) => service.leaveConversation(uuid)
    }
  },
  {
    operation: "getAgentWebsocketAuthorization",
    weight: 14,
    call: () => (service) => service.getAgentWebsocketAuthorization()
  },
  {
    operation: "getConversationMultimediaUploadUrl",
    weight: 15,
    call: (random) => {
      const extension = ["png", "jpeg", "mp4", "pdf"][Math.floor(random() * 4)] ?? "png"
      return (service) => service.getConversationMultimediaUploadUrl(extension)
    }
  },
  {
    operation: "startConversation",
    weight: 3,
    call: (_random, _n, index) => (service) =>
      service.startConversation({ conversation_webchat_queue_uuid: `soak-queue-${index}` })
  }
]

const totalWeight = mix.reduce((sum, entry) => sum + entry.weight, 0)

const pickOperation = (random: () => number): Mix => {
  let roll = random() * totalWeight
  for (const entry of mix) {
    roll -= entry.weight
    if (roll < 0) return entry
  }
  return mix[0] ?? { operation: "none", weight: 0, call: () => () => Effect.void }
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN

const latencyOf = (values: ReadonlyArray<number>): LatencySummary => {
  const sorted = Float64Array.from(values).sort()
  return {
    calls: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1] ?? Number.NaN
  }
}

/** Outcome codes per call. */
const pending = 0
const succeeded = 1
const failed = 2
const defected = 3

/** The server's requests counted so far. */
interface ServerCount {
  /** The newest recorded request counted. */
  readonly last: RecordedRequest | undefined
  readonly count: number
  /** False once the record dropped entries before they were counted. */
  readonly exact: boolean
  readonly faults: Map<string, number>
}

/**
 * Counts the server's recorded requests as they arrive: the record keeps only the latest entries, so it
 * is read often and counted past the last entry already seen (found by identity).
 */
const makeServerCounter = (server: MockServer["Type"]) =>
  Effect.gen(function*() {
    const state = yield* Ref.make<ServerCount>({ last: undefined, count: 0, exact: true, faults: new Map() })
    const poll = Effect.flatMap(server.requests, (requests) =>
      Ref.update(state, (current): ServerCount => {
        const index = current.last === undefined ? -1 : requests.lastIndexOf(current.last)
        const exact = current.exact && (current.last === undefined || index !== -1)
        const fresh = requests.slice(index + 1)
        for (const request of fresh) {
          if (request.fault !== undefined) {
            const name = Fault.describe(request.fault)
            current.faults.set(name, (current.faults.get(name) ?? 0) + 1)
          }
        }
        return { last: fresh.at(-1) ?? current.last, count: current.count + fresh.length, exact, faults: current.faults }
      }))
    return { poll, state }
  })

/** Runs one soak and returns its summary; the server and client are released before it returns. */
export const runSoak = (options: SoakOptions): Effect.Effect<SoakSummary> =>
  Effect.gen(function*() {
    const conversations = Math.max(1, options.conversations ?? 500)
    const seed = options.seed ?? 1
    const random = generator(seed)
    const lostAfter = options.lostAfter ?? Duration.minutes(2)
    const counter = { attempts: 0 }

    const transport = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (client) =>
        HttpClient.tapRequest(client, () =>
          Effect.sync(() => {
            counter.attempts += 1
          })))
    ).pipe(Layer.provide(options.transport ?? NodeHttpClient.layerUndici))
    const layer = MockServer.layerClient({ retry: options.retry ?? soakRetry, timeout: options.timeout ?? "10 seconds" }).pipe(
      Layer.provideMerge(MockServer.layer({ seed: seedConversations(conversations), maxRecorded: 1_000 })),
      Layer.provide(transport)
    )

    const outcomes = new Uint8Array(options.requests)
    const latencies = new Float64Array(options.requests)
    const operationOf = new Array<string>(options.requests)
    const failures: Record<string, number> = {}
    const failuresByOperation: Record<string, Record<string, number>> = {}
    const defectSamples: Array<string> = []
    let successes = 0
    let defects = 0
    let completed = 0
    const started = performance.now()

    const summarize = (serverCount: ServerCount, conversationsStarted: number): SoakSummary => {
      const all: Array<number> = []
      const byOperation = new Map<string, Array<number>>()
      for (let i = 0; i < options.requests; i++) {
        if (outcomes[i] === pending) continue
        const latency = latencies[i] ?? 0
        all.push(latency)
        const operation = operationOf[i] ?? "?"
        const list = byOperation.get(operation) ?? []
        list.push(latency)
        byOperation.set(operation, list)
      }
      let lost = 0
      for (let i = 0; i < options.requests; i++) if (outcomes[i] === pending) lost += 1
      return {
        calls: options.requests,
        successes,
        failures: { ...failures },
        failuresByOperation: Object.fromEntries(
          Object.entries(failuresByOperation).map(([operation, tags]) => [operation, { ...tags }])
        ),
        defects,
        defectSamples: [...defectSamples],
        lost,
        attempts: counter.attempts,
        retries: counter.attempts - (options.requests - lost),
        serverRequests: serverCount.count,
        serverCountExact: serverCount.exact,
        faultsInjected: Object.fromEntries(serverCount.faults),
        conversationsStarted,
        latency: latencyOf(all),
        latencyByOperation: Object.fromEntries([...byOperation].map(([operation, values]) => [operation, latencyOf(values)])),
        wallMillis: performance.now() - started
      }
    }

    return yield* Effect.gen(function*() {
      const server = yield* MockServer
      const service = yield* ConversationService
      const serverCounter = yield* makeServerCounter(server)
      const poller = yield* Effect.fork(Effect.forever(Effect.zipRight(serverCounter.poll, Effect.sleep("20 millis"))))
      yield* server.setFaultRate({
        probability: options.faultRate,
        faults: options.faults ?? defaultFaults,
        seed
      })

      const one = (index: number) => {
        const entry = pickOperation(random)
        const call = entry.call(random, conversations, index)
        operationOf[index] = entry.operation
        return Effect.suspend(() => {
          const begin = performance.now()
          return Effect.exit(call(service)).pipe(
            Effect.timeoutOption(lostAfter),
            Effect.map(Option.map((exit) => {
              latencies[index] = performance.now() - begin
              if (Exit.isSuccess(exit)) {
                successes += 1
                outcomes[index] = succeeded
                return
              }
              const failure = Cause.failureOption(exit.cause)
              if (Option.isSome(failure) && isConversationError(failure.value) && !Cause.isDie(exit.cause)) {
                const tag = failure.value._tag
                failures[tag] = (failures[tag] ?? 0) + 1
                const forOperation = failuresByOperation[entry.operation] ?? {}
                forOperation[tag] = (forOperation[tag] ?? 0) + 1
                failuresByOperation[entry.operation] = forOperation
                outcomes[index] = failed
                return
              }
              defects += 1
              if (defectSamples.length < 5) defectSamples.push(Cause.pretty(exit.cause).slice(0, 2000))
              outcomes[index] = defected
            })),
            Effect.tap(() =>
              Effect.sync(() => {
                completed += 1
                if (options.onProgress !== undefined && completed % (options.progressEvery ?? 10_000) === 0) {
                  options.onProgress(completed, () => summarize({ last: undefined, count: 0, exact: false, faults: new Map() }, 0))
                }
              })
            )
          )
        })
      }

      yield* Effect.forEach(Array.from({ length: options.requests }, (_, i) => i), one, {
        concurrency: options.concurrency,
        discard: true
      })
      yield* serverCounter.poll
      yield* Fiber.interrupt(poller)
      const serverCount = yield* Ref.get(serverCounter.state)
      const startedCount = (yield* server.store.started).length
      return summarize(serverCount, startedCount)
    }).pipe(Effect.provide(layer), Effect.orDie)
  })

/** The soak's verdict: the reasons it failed (empty when it passed). */
export const problems = (summary: SoakSummary): ReadonlyArray<string> => {
  const found: Array<string> = []
  if (summary.lost > 0) found.push(`${summary.lost} call(s) lost: neither a success nor a typed failure`)
  if (summary.defects > 0) found.push(`${summary.defects} defect(s)`)
  const accounted = summary.successes + Object.values(summary.failures).reduce((sum, n) => sum + n, 0) +
    summary.defects + summary.lost
  if (accounted !== summary.calls) found.push(`${summary.calls} calls but ${accounted} outcomes`)
  return found
}

/** The summary as printable lines. */
export const formatSummary = (summary: SoakSummary): string => {
  const ms = (n: number) => `${n.toFixed(1)} ms`
  const failures = Object.entries(summary.failures)
  const lines = [
    `calls (client requests):   ${summary.calls}`,
    `successes:                 ${summary.successes}`,
    `typed failures:            ${failures.length === 0 ? "0" : failures.map(([tag, n]) => `${tag} ${n}`).join(", ")}`,
    ...Object.entries(summary.failuresByOperation).map(([operation, tags]) =>
      `  ${operation.padEnd(36)} ${Object.entries(tags).map(([tag, n]) => `${tag} ${n}`).join(", ")}`
    ),
    `defects:                   ${summary.defects}`,
    `lost:                      ${summary.lost}`,
    `HTTP requests sent:        ${summary.attempts} (${summary.retries} retries)`,
    `server requests:           ${summary.serverRequests}${summary.serverCountExact ? "" : " (at least; the count skipped some)"}`,
    `faults injected:           ${Object.entries(summary.faultsInjected).map(([fault, n]) => `${fault} ${n}`).join(", ") || "0"}`,
    `conversations started:     ${summary.conversationsStarted}`,
    `latency per call:          p50 ${ms(summary.latency.p50)}, p99 ${ms(summary.latency.p99)}, max ${ms(summary.latency.max)}`,
    ...Object.entries(summary.latencyByOperation).map(([operation, latency]) =>
      `  ${operation.padEnd(36)} ${String(latency.calls).padStart(7)} calls  p50 ${ms(latency.p50).padStart(9)}  p99 ${ms(latency.p99).padStart(9)}`
    ),
    `wall time:                 ${(summary.wallMillis / 1000).toFixed(1)} s (${Math.round(summary.calls / (summary.wallMillis / 1000))} calls/s)`
  ]
  if (summary.defectSamples.length > 0) lines.push("defects (first few):", ...summary.defectSamples)
  return lines.join("\n")
}
