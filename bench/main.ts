/**
 * `npm run bench`: the client's overhead against the raw transports it runs on, against a fake UltraCart
 * server in a separate process on 127.0.0.1.
 *
 * 1. getConversation (a ~6.5 KB ConversationResponse) at concurrency 1 and 32: raw undici + JSON.parse
 *    (the floor), fetch + res.json(), and ConversationService over each HttpClient layer, alternating
 *    between rounds; medians of the rounds, in wall-clock µs per request and in this process's CPU µs
 *    per request (the server is another process; CPU time is the steadier number on a busy machine).
 * 2. Decode: JSON.parse alone vs JSON.parse + Schema.decodeUnknownEither, and vs JSON.parse + the
 *    client's own decoder (src/internal/fastCheck.ts), on a 10,000-message ConversationResponse.
 * 3. Streaming: streamConversations over 100,000 summaries (pages of 200) vs a raw undici page loop;
 *    items/s, and heap growth sampled after forced GCs.
 * 4. Observability and rate limit: getConversation over UndiciHttpClient with metrics off / on and with
 *    the in-memory rate limiter off / on (a budget that never makes anyone wait), alternating; each
 *    variant's cost per request beside the baseline (metrics off, no limiter) of the same run.
 * 5. Package: import time of the built main entry, type-check time of a consumer calling ten operations,
 *    and the packed tarball (bench/package.ts).
 *
 * Sections 1 and 5 also measure the client before it was generated from the whole description (commit
 * f72ead2, checked out into .scratch/ by bench/baseline.ts; BENCH_BASELINE=<commit> or none).
 *
 * Knobs (environment): BENCH_REQUESTS (per round, variant and concurrency; 1000), BENCH_ROUNDS (7),
 * BENCH_CONCURRENCY ("1,32"), BENCH_VARIANTS (comma-separated name filter), BENCH_ONLY
 * ("requests,decode,stream,observability,package"), BENCH_BASELINE (f72ead2), BENCH_PACKAGE_ROUNDS (7),
 * BENCH_DECODE_ROUNDS (7), BENCH_DECODE_MESSAGES (10000),
 * BENCH_STREAM_ROUNDS (3), BENCH_TOTAL_CONVERSATIONS (100000).
 *
 * Profile one variant:
 *   BENCH_ONLY=requests BENCH_VARIANTS="client / UndiciHttpClient.layer" BENCH_CONCURRENCY=32 \
 *     node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/main.ts
 *   npx tsx bench/cpuprofile.ts /tmp/prof/<file>.cpuprofile 40
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Duration, Effect, Either, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { Agent } from "undici"
import { type ClientOptions, ConversationService } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import { decoderFor } from "../src/internal/fastCheck.js"
import { operationMetrics } from "../src/internal/metrics.js"
import { makeLimiter } from "../src/internal/rateLimit.js"
import { operations } from "../src/generated/operations.js"
import * as RateLimit from "../src/RateLimit.js"
import { ConversationResponse } from "../src/Models.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { UndiciHttpClient } from "../src/undici/index.js"
import { baselineTree, defaultBaselineRef, loadBaseline } from "./baseline.js"
import { conversationResponse } from "./fixtures.js"
import { benchPackage } from "./package.js"

// ---------------------------------------------------------------------------------------------------
// Settings

const intEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name])
  return Number.isInteger(value) && value > 0 ? value : fallback
}
const listEnv = (name: string): ReadonlyArray<string> | undefined =>
  process.env[name]?.split(",").map((s) => s.trim()).filter((s) => s.length > 0)

const settings = {
  requests: intEnv("BENCH_REQUESTS", 1000),
  rounds: intEnv("BENCH_ROUNDS", 7),
  concurrency: (listEnv("BENCH_CONCURRENCY") ?? ["1", "32"]).map(Number).filter((n) => n > 0),
  variants: listEnv("BENCH_VARIANTS"),
  only: listEnv("BENCH_ONLY") ?? ["requests", "decode", "stream", "observability", "package"],
  baseline: process.env["BENCH_BASELINE"] ?? defaultBaselineRef,
  packageRounds: intEnv("BENCH_PACKAGE_ROUNDS", 7),
  decodeRounds: intEnv("BENCH_DECODE_ROUNDS", 7),
  decodeMessages: intEnv("BENCH_DECODE_MESSAGES", 10_000),
  streamRounds: intEnv("BENCH_STREAM_ROUNDS", 3),
  totalConversations: intEnv("BENCH_TOTAL_CONVERSATIONS", 100_000)
}

/** A forced full GC: `--expose-gc` when given, otherwise enabled at run time (works on Node 20+). */
const gc: () => void = (() => {
  if (typeof globalThis.gc === "function") {
    const exposed = globalThis.gc
    return () => void exposed()
  }
  v8.setFlagsFromString("--expose-gc")
  const found: unknown = vm.runInNewContext("gc")
  if (typeof found !== "function") throw new Error("cannot expose gc; run node with --expose-gc")
  return () => void found()
})()

// ---------------------------------------------------------------------------------------------------
// Statistics and printing

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] ?? NaN : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2
}
const fmt = (n: number, digits = 1) => n.toFixed(digits)
const pad = (s: string, width: number) => s.padEnd(width)
const lpad = (s: string, width: number) => s.padStart(width)
const verdict = (ok: boolean) => (ok ? "MET" : "NOT MET")

// ---------------------------------------------------------------------------------------------------
// The server process

interface ServerInfo {
  readonly port: number
  readonly conversationBytes: number
  readonly stop: () => Promise<void>
}

const startServer = (): Promise<ServerInfo> =>
  new Promise((resolve, reject) => {
    // The child runs under the same loader (tsx) as this process, but is never profiled with it.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith("--cpu-prof") && !arg.startsWith("--heap-prof"))
    // server.ts under tsx, server.js when the benchmark was compiled.
    const extension = import.meta.url.endsWith(".js") ? "js" : "ts"
    const child = fork(fileURLToPath(new URL(`./server.${extension}`, import.meta.url)), [], {
      execArgv,
      env: { ...process.env, BENCH_TOTAL_CONVERSATIONS: String(settings.totalConversations) },
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)))
    child.once("message", (message: unknown) => {
      if (typeof message !== "object" || message === null || !("port" in message) || typeof message.port !== "number") {
        return reject(new Error("bench server sent no port"))
      }
      const conversationBytes = "conversationBytes" in message && typeof message.conversationBytes === "number"
        ? message.conversationBytes
        : 0
      child.removeAllListeners("exit")
      resolve({
        port: message.port,
        conversationBytes,
        stop: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done())
            child.send("stop")
            setTimeout(() => child.kill(), 2000).unref()
          })
      })
    })
  })

// ---------------------------------------------------------------------------------------------------
// Variants of one getConversation request

interface Variant {
  readonly name: string
  readonly run: (requests: number, concurrency: number) => Promise<void>
}

/** Runs `once` `requests` times with at most `concurrency` in flight. */
const promisePool = async (requests: number, concurrency: number, once: () => Promise<void>): Promise<void> => {
  let started = 0
  const worker = async () => {
    while (started < requests) {
      started++
      await once()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker))
}

/**
 * `promisePool` for effects: `concurrency` fibers, each running `once` in a loop until `requests` were
 * started. (`Effect.forEach` with a concurrency forks a fiber per element, which `promisePool` does not.)
 */
const effectPool = <E>(requests: number, concurrency: number, once: Effect.Effect<void, E>): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    let started = 0
    const worker: Effect.Effect<void, E> = Effect.suspend(() => {
      if (started >= requests) return Effect.void
      started++
      return Effect.zipRight(once, worker)
    })
    return Effect.all(Array.from({ length: Math.min(concurrency, requests) }, () => worker), {
      concurrency: "unbounded",
      discard: true
    })
  })

const apiKey = "bench-simple-key"
const wireHeaders = {
  accept: "application/json",
  "x-ultracart-api-version": "2017-03-01",
  "x-ultracart-simple-key": apiKey
}

const serviceLayer = (
  baseUrl: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  timeout: Duration.DurationInput = Duration.seconds(30),
  extra: Pick<ClientOptions, "metrics" | "rateLimit"> = {}
) =>
  ConversationService.layer({ credentials: Credentials.simpleKey(apiKey), baseUrl, retry: RetryPolicy.none, timeout, ...extra })
    .pipe(Layer.provide(http))

/**
 * The client's getConversation over an HttpClient layer; `tracing: false` runs with Effect's tracer off,
 * `httpSpan: false` without the transport's `http.client` span (`HttpClient.currentTracerDisabledWhen`),
 * `timeout` replaces the 30-second per-attempt timeout.
 */
const clientVariant = (
  name: string,
  baseUrl: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  options: {
    readonly tracing?: boolean
    readonly httpSpan?: boolean
    readonly timeout?: Duration.DurationInput
    readonly client?: Pick<ClientOptions, "metrics" | "rateLimit">
  } = {}
) => {
  const runtime = ManagedRuntime.make(serviceLayer(baseUrl, http, options.timeout, options.client))
  const variant: Variant = {
    name,
    run: (requests, concurrency) => {
      const program = Effect.flatMap(ConversationService, (service) =>
        effectPool(requests, concurrency, Effect.flatMap(service.getConversation("c-bench"), (response) =>
          response.conversation?.conversation_uuid === "c-bench"
            ? Effect.void
            : Effect.dieMessage("unexpected body"))))
      const withoutHttpSpan = options.httpSpan === false
        ? Effect.locally(program, HttpClient.currentTracerDisabledWhen, () => true)
        : program
      return runtime.runPromise(
        options.tracing === false ? Effect.withTracerEnabled(withoutHttpSpan, false) : withoutHttpSpan
      )
    }
  }
  return { variant, runtime }
}

/**
 * Runs every variant at every concurrency, round after round (a shorter warm-up round first, the order
 * rotated each round), and keeps the wall-clock and CPU µs per request of each round by variant and
 * concurrency.
 */
const measureRounds = async (chosen: ReadonlyArray<Variant>) => {
  const samples = new Map<string, Array<number>>()
  const cpuSamples = new Map<string, Array<number>>()
  const key = (name: string, concurrency: number) => `${concurrency}|${name}`
  for (let round = 0; round <= settings.rounds; round++) {
    for (const concurrency of settings.concurrency) {
      for (let i = 0; i < chosen.length; i++) {
        const variant = chosen[(i + round) % chosen.length]
        if (variant === undefined) continue
        // The warm-up round is shorter: it only has to get the JIT and the connection pools going.
        const requests = round === 0 ? Math.min(settings.requests, 500) : settings.requests
        const started = performance.now()
        const cpuStarted = process.cpuUsage()
        await variant.run(requests, concurrency)
        const micros = ((performance.now() - started) * 1000) / requests
        const cpuUsed = process.cpuUsage(cpuStarted)
        if (round === 0) continue // warm-up
        const k = key(variant.name, concurrency)
        samples.set(k, [...(samples.get(k) ?? []), micros])
        cpuSamples.set(k, [...(cpuSamples.get(k) ?? []), (cpuUsed.user + cpuUsed.system) / requests])
      }
    }
    process.stdout.write(round === 0 ? "warm-up done" : ` · round ${round}`)
  }
  process.stdout.write("\n")
  return { samples, cpuSamples, key }
}

// ---------------------------------------------------------------------------------------------------
// 1. Requests

interface RequestResult {
  readonly name: string
  readonly concurrency: number
  /** Median wall-clock µs per request. */
  readonly micros: number
  readonly best: number
  /** Median CPU µs per request of this (client) process; the server runs in its own process. */
  readonly cpu: number
}

/** The baseline's getConversation over its own UndiciHttpClient, when a baseline was checked out. */
const baselineVariant = async (baseUrl: string, dir: string | undefined) => {
  if (dir === undefined) return []
  const baseline = await loadBaseline(dir)
  const runtime = ManagedRuntime.make(
    baseline.ConversationService.layer({
      credentials: baseline.Credentials.simpleKey(apiKey),
      baseUrl,
      retry: baseline.RetryPolicy.none
    }).pipe(Layer.provide(baseline.UndiciHttpClient.layer))
  )
  const variant: Variant = {
    name: baselineName,
    run: (requests, concurrency) =>
      runtime.runPromise(Effect.flatMap(ConversationService, (service) =>
        effectPool(requests, concurrency, Effect.flatMap(service.getConversation("c-bench"), (response) =>
          response.conversation?.conversation_uuid === "c-bench" ? Effect.void : Effect.dieMessage("unexpected body")))))
  }
  return [{ variant, runtime }]
}

/** The name of the baseline's variant in the tables. */
const baselineName = "baseline client (f72ead2) / UndiciHttpClient"

const benchRequests = async (
  port: number,
  conversationBytes: number,
  baselineDir: string | undefined
): Promise<ReadonlyArray<RequestResult>> => {
  const origin = `http://127.0.0.1:${port}`
  const baseUrl = `${origin}/rest/v2`
  const path = "/rest/v2/conversation/conversations/c-bench"
  const agent = new Agent()
  const check = (body: unknown) => {
    if (typeof body !== "object" || body === null || !("conversation" in body)) throw new Error("unexpected body")
  }

  const raw: Variant = {
    name: "raw undici request + JSON.parse",
    run: (requests, concurrency) =>
      promisePool(requests, concurrency, async () => {
        const response = await agent.request({ origin, path, method: "GET", headers: wireHeaders })
        check(JSON.parse(await response.body.text()))
      })
  }
  const fetchVariant: Variant = {
    name: "fetch + res.json()",
    run: (requests, concurrency) =>
      promisePool(requests, concurrency, async () => {
        const response = await fetch(origin + path, { headers: wireHeaders })
        check(await response.json())
      })
  }
  const clients = [
    clientVariant("client / NodeHttpClient.layerUndici", baseUrl, NodeHttpClient.layerUndici),
    clientVariant("client / FetchHttpClient.layer", baseUrl, FetchHttpClient.layer),
    clientVariant("client / UndiciHttpClient.layer", baseUrl, UndiciHttpClient.layer),
    clientVariant("client / UndiciHttpClient, no http.client span", baseUrl, UndiciHttpClient.layer, { httpSpan: false }),
    clientVariant("client / UndiciHttpClient, tracer off", baseUrl, UndiciHttpClient.layer, { tracing: false }),
    clientVariant("client / UndiciHttpClient, timeout: infinity", baseUrl, UndiciHttpClient.layer, {
      timeout: Duration.infinity
    }),
    ...(await baselineVariant(baseUrl, baselineDir))
  ]
  const all = [raw, fetchVariant, ...clients.map((c) => c.variant)]
  const chosen = all.filter((v) => settings.variants === undefined || settings.variants.some((f) => v.name.includes(f)))

  console.log(
    `\n## 1. getConversation (${conversationBytes} B body): ${settings.requests} requests per round, variant and ` +
      `concurrency; ${settings.rounds} rounds after a warm-up round of ${Math.min(settings.requests, 500)}, order rotated each round\n`
  )
  const { samples, cpuSamples, key } = await measureRounds(chosen)

  await Promise.all(clients.map((c) => c.runtime.dispose()))
  await agent.close()

  const results: Array<RequestResult> = []
  for (const concurrency of settings.concurrency) {
    for (const variant of chosen) {
      const list = samples.get(key(variant.name, concurrency)) ?? []
      const cpu = median(cpuSamples.get(key(variant.name, concurrency)) ?? [])
      results.push({ name: variant.name, concurrency, micros: median(list), best: Math.min(...list), cpu })
    }
  }
  for (const concurrency of settings.concurrency) {
    const rows = results.filter((r) => r.concurrency === concurrency)
    const floorRow = rows.find((r) => r.name === raw.name)
    const fetchRow = rows.find((r) => r.name === fetchVariant.name)
    console.log(`\nconcurrency ${concurrency}`)
    console.log(
      `${pad("variant", 50)}${lpad("µs/req", 9)}${lpad("best", 9)}${lpad("× floor", 9)}${lpad("× fetch", 9)}` +
        `${lpad("CPU µs", 9)}${lpad("× floor", 9)}`
    )
    for (const row of rows) {
      const toFetch = row.name.includes("FetchHttpClient") ? fmt(row.micros / (fetchRow?.micros ?? NaN), 2) : ""
      console.log(
        `${pad(row.name, 50)}${lpad(fmt(row.micros), 9)}${lpad(fmt(row.best), 9)}` +
          `${lpad(fmt(row.micros / (floorRow?.micros ?? NaN), 2), 9)}${lpad(toFetch, 9)}` +
          `${lpad(fmt(row.cpu), 9)}${lpad(fmt(row.cpu / (floorRow?.cpu ?? NaN), 2), 9)}`
      )
    }
  }
  return results
}

// ---------------------------------------------------------------------------------------------------
// 2. Decode

interface DecodeResult {
  readonly parse: number
  readonly schemaDecode: number
  readonly clientDecode: number
}

const benchDecode = (): DecodeResult => {
  const text = JSON.stringify(conversationResponse("c-decode", settings.decodeMessages))
  const schemaDecode = Schema.decodeUnknownEither(ConversationResponse)
  const clientDecode = decoderFor(ConversationResponse)
  console.log(
    `\n## 2. Decode: a ${settings.decodeMessages}-message ConversationResponse (${fmt(text.length / 1e6, 2)} MB), ` +
      `${settings.decodeRounds} rounds after 1 warm-up, alternating; ms\n`
  )
  const check = (decoded: Either.Either<typeof ConversationResponse.Type, unknown>) => {
    if (Either.isLeft(decoded) || decoded.right.conversation?.messages?.length !== settings.decodeMessages) {
      throw new Error("decode failed")
    }
  }
  const rows = [
    {
      name: "JSON.parse",
      run: () => {
        if (typeof JSON.parse(text) !== "object") throw new Error("unexpected parse")
      },
      samples: new Array<number>()
    },
    {
      name: "JSON.parse + Schema.decodeUnknownEither",
      run: () => check(schemaDecode(JSON.parse(text))),
      samples: new Array<number>()
    },
    {
      name: "JSON.parse + the client's decoder (decoderFor)",
      run: () => check(clientDecode(JSON.parse(text))),
      samples: new Array<number>()
    }
  ]
  for (let round = 0; round <= settings.decodeRounds; round++) {
    for (const row of rows) {
      gc()
      const started = performance.now()
      row.run()
      const ms = performance.now() - started
      if (round > 0) row.samples.push(ms)
    }
  }
  const [parse, schema, client] = rows.map((row) => median(row.samples))
  const base = parse ?? NaN
  console.log(`${pad("", 48)}${lpad("median", 9)}${lpad("best", 9)}${lpad("× parse", 9)}`)
  for (const row of rows) {
    const m = median(row.samples)
    console.log(`${pad(row.name, 48)}${lpad(fmt(m), 9)}${lpad(fmt(Math.min(...row.samples)), 9)}${lpad(fmt(m / base, 2), 9)}`)
  }
  return { parse: base, schemaDecode: schema ?? NaN, clientDecode: client ?? NaN }
}

// ---------------------------------------------------------------------------------------------------
// 3. Streaming

interface StreamResult {
  readonly rawItemsPerSecond: number
  readonly clientItemsPerSecond: number
  readonly rawHeapGrowth: number
  readonly clientHeapGrowth: number
}

/** Calls `onSample` after every `every` items; used to sample the heap after a forced GC. */
const heapSampler = (every: number) => {
  gc()
  const baseline = process.memoryUsage().heapUsed
  let peak = baseline
  let next = every
  return {
    seen: (count: number) => {
      if (count < next) return
      next += every
      gc()
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    },
    growth: () => {
      gc()
      return Math.max(peak, process.memoryUsage().heapUsed) - baseline
    }
  }
}

const benchStream = async (port: number): Promise<StreamResult> => {
  const origin = `http://127.0.0.1:${port}`
  const baseUrl = `${origin}/rest/v2`
  const pageSize = 200
  const total = settings.totalConversations
  const agent = new Agent()

  const rawLoop = async (onItems: (count: number) => void): Promise<number> => {
    let offset = 0
    let count = 0
    for (;;) {
      const response = await agent.request({
        origin,
        path: `/rest/v2/conversation/conversations?_limit=${pageSize}&_offset=${offset}`,
        method: "GET",
        headers: wireHeaders
      })
      const page: unknown = JSON.parse(await response.body.text())
      if (typeof page !== "object" || page === null || !("conversations" in page) || !Array.isArray(page.conversations)) {
        throw new Error("unexpected page")
      }
      const items: ReadonlyArray<unknown> = page.conversations
      count += items.length
      onItems(count)
      const resultSet = "metadata" in page && typeof page.metadata === "object" && page.metadata !== null &&
          "result_set" in page.metadata && typeof page.metadata.result_set === "object" &&
          page.metadata.result_set !== null
        ? page.metadata.result_set
        : undefined
      if (items.length === 0 || resultSet === undefined || !("more" in resultSet) || resultSet.more !== true) {
        return count
      }
      offset = "next_offset" in resultSet && typeof resultSet.next_offset === "number" && resultSet.next_offset > offset
        ? resultSet.next_offset
        : offset + items.length
    }
  }

  const runtime = ManagedRuntime.make(serviceLayer(baseUrl, UndiciHttpClient.layer))
  const clientRun = (onItems: (count: number) => void): Promise<number> =>
    runtime.runPromise(Effect.flatMap(ConversationService, (service) => {
      let count = 0
      return service.streamConversations({ pageSize }).pipe(
        Stream.mapChunks((chunk) => {
          count += chunk.length
          onItems(count)
          return chunk
        }),
        Stream.runDrain,
        Effect.map(() => count)
      )
    }))

  console.log(
    `\n## 3. Streaming ${total} summaries in pages of ${pageSize} (UndiciHttpClient.layer): ` +
      `${settings.streamRounds} rounds after 1 warm-up, alternating; then one heap-sampled run each\n`
  )
  const rawRates: Array<number> = []
  const clientRates: Array<number> = []
  const none = () => {}
  for (let round = 0; round <= settings.streamRounds; round++) {
    for (const [run, rates] of round % 2 === 0
      ? ([[rawLoop, rawRates], [clientRun, clientRates]] as const)
      : ([[clientRun, clientRates], [rawLoop, rawRates]] as const)) {
      gc()
      const started = performance.now()
      const count = await run(none)
      const seconds = (performance.now() - started) / 1000
      if (count !== total) throw new Error(`streamed ${count} of ${total}`)
      if (round > 0) rates.push(count / seconds)
    }
    process.stdout.write(round === 0 ? "warm-up done" : ` · round ${round}`)
  }
  process.stdout.write("\n")

  const sampleEvery = 10_000
  const rawSampler = heapSampler(sampleEvery)
  await rawLoop(rawSampler.seen)
  const rawHeapGrowth = rawSampler.growth()
  const clientSampler = heapSampler(sampleEvery)
  await clientRun(clientSampler.seen)
  const clientHeapGrowth = clientSampler.growth()

  await runtime.dispose()
  await agent.close()

  const result = {
    rawItemsPerSecond: median(rawRates),
    clientItemsPerSecond: median(clientRates),
    rawHeapGrowth,
    clientHeapGrowth
  }
  const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 2)} MB`
  console.log(`${pad("variant", 44)}${lpad("items/s (median)", 18)}${lpad("heap growth", 14)}`)
  console.log(`${pad("raw undici + JSON.parse page loop", 44)}${lpad(fmt(result.rawItemsPerSecond, 0), 18)}${lpad(mb(rawHeapGrowth), 14)}`)
  console.log(`${pad("client streamConversations", 44)}${lpad(fmt(result.clientItemsPerSecond, 0), 18)}${lpad(mb(clientHeapGrowth), 14)}`)
  console.log(`${pad("ratio client / raw", 44)}${lpad(fmt(result.clientItemsPerSecond / result.rawItemsPerSecond, 2), 18)}`)
  console.log(`(heap growth: the highest heapUsed after a forced GC every ${sampleEvery} items, minus the one before the run)`)
  return result
}

// ---------------------------------------------------------------------------------------------------
// 4. Observability and rate limit

interface ObservabilityResult {
  readonly name: string
  readonly concurrency: number
  readonly micros: number
  readonly cpu: number
  /** Wall and CPU time per request over the baseline's, in µs. */
  readonly extraMicros: number
  readonly extraCpu: number
}

/** A budget far beyond what the benchmark sends (one request a millisecond for an hour): no wait, only bookkeeping. */
const neverWaits = { limit: 3_600_000, window: "1 hour" } as const

const benchObservability = async (port: number): Promise<ReadonlyArray<ObservabilityResult>> => {
  const baseUrl = `http://127.0.0.1:${port}/rest/v2`
  const transports = [{ label: "UndiciHttpClient.layer", layer: UndiciHttpClient.layer }]
  const baseline = "metrics off, no limiter (baseline)"
  const clients = transports.flatMap(({ label, layer }) => [
    clientVariant(`${label}|${baseline}`, baseUrl, layer, { client: { metrics: false } }),
    clientVariant(`${label}|metrics on`, baseUrl, layer, { client: { metrics: true } }),
    clientVariant(`${label}|memory limiter on`, baseUrl, layer, { client: { metrics: false, rateLimit: neverWaits } }),
    clientVariant(`${label}|metrics and memory limiter on`, baseUrl, layer, {
      client: { metrics: true, rateLimit: neverWaits }
    })
  ])
  const chosen = clients.map((c) => c.variant)
  console.log(
    `\n## 4. Metrics and the in-memory rate limiter, on and off (getConversation over UndiciHttpClient.layer): ` +
      `${settings.requests} requests per round, variant and concurrency; ${settings.rounds} rounds after a warm-up, ` +
      `order rotated each round\n`
  )
  const { samples, cpuSamples, key } = await measureRounds(chosen)
  await Promise.all(clients.map((c) => c.runtime.dispose()))

  const results: Array<ObservabilityResult> = []
  for (const { label } of transports) {
    for (const concurrency of settings.concurrency) {
      const base = median(samples.get(key(`${label}|${baseline}`, concurrency)) ?? [])
      const baseCpu = median(cpuSamples.get(key(`${label}|${baseline}`, concurrency)) ?? [])
      console.log(`\n${label}, concurrency ${concurrency}`)
      console.log(
        `${pad("variant", 40)}${lpad("µs/req", 9)}${lpad("× base", 9)}${lpad("+µs", 9)}` +
          `${lpad("CPU µs", 9)}${lpad("× base", 9)}${lpad("+CPU µs", 9)}`
      )
      for (const variant of chosen.filter((v) => v.name.startsWith(`${label}|`))) {
        const micros = median(samples.get(key(variant.name, concurrency)) ?? [])
        const cpu = median(cpuSamples.get(key(variant.name, concurrency)) ?? [])
        const row = { name: variant.name, concurrency, micros, cpu, extraMicros: micros - base, extraCpu: cpu - baseCpu }
        results.push(row)
        console.log(
          `${pad(row.name.slice(label.length + 1), 40)}${lpad(fmt(micros), 9)}${lpad(fmt(micros / base, 2), 9)}` +
            `${lpad(fmt(row.extraMicros), 9)}${lpad(fmt(cpu), 9)}${lpad(fmt(cpu / baseCpu, 2), 9)}${lpad(fmt(row.extraCpu), 9)}`
        )
      }
    }
  }
  results.push(...isolatedCosts())
  return results
}

/**
 * What metrics and the limiter add to a request, alone: the exact work the core does per call when they
 * are on (one attempt measured and counted, the call counted in and out of `active_calls`; one
 * `acquire` of a memory budget that never waits), in a loop of 200,000, against the same loop doing
 * nothing. The end-to-end numbers above cannot resolve a few µs on a shared machine; these can.
 */
const isolatedCosts = (): ReadonlyArray<ObservabilityResult> => {
  const loops = 200_000
  const operation = operations.getConversation
  const metrics = operationMetrics(operation)
  const origin = { operation: operation.id, method: operation.method, path: operation.path }
  const store = Effect.runSync(RateLimit.makeMemory)
  const limiter = makeLimiter(store, { limit: neverWaits.limit, window: Duration.hours(1), key: "bench" }, Duration.seconds(60))
  const acquire = limiter.acquire(origin)
  const measured = metrics.measure(Effect.void)
  const perCall = (body: Effect.Effect<void, unknown>) =>
    Effect.gen(function*() {
      for (let i = 0; i < loops; i++) yield* body
    })
  const bodies = [
    { name: "nothing (the loop itself)", body: Effect.void },
    {
      name: "metrics on",
      body: Effect.suspend(() => {
        metrics.callStarted([])
        return Effect.ensuring(measured, Effect.sync(() => metrics.callEnded([])))
      })
    },
    { name: "memory limiter on", body: acquire }
  ]
  const samples = new Map<string, Array<number>>()
  for (let round = 0; round <= 5; round++) {
    for (const { body, name } of bodies) {
      const started = performance.now()
      Effect.runSync(perCall(body))
      if (round > 0) samples.set(name, [...(samples.get(name) ?? []), ((performance.now() - started) * 1000) / loops])
    }
  }
  const base = median(samples.get("nothing (the loop itself)") ?? [])
  console.log(`\nthe added work alone (${loops} iterations, median of 5 rounds)`)
  console.log(`${pad("what", 40)}${lpad("µs/req", 9)}${lpad("+µs", 9)}`)
  return bodies.map(({ name }) => {
    const micros = median(samples.get(name) ?? [])
    console.log(`${pad(name, 40)}${lpad(fmt(micros, 2), 9)}${lpad(fmt(micros - base, 2), 9)}`)
    return { name: `isolated|${name}`, concurrency: 1, micros, cpu: micros, extraMicros: micros - base, extraCpu: micros - base }
  }).filter((row) => !row.name.endsWith("(the loop itself)"))
}

// ---------------------------------------------------------------------------------------------------
// Main

const main = async () => {
  const started = performance.now()
  console.log(
    `# effect-ultracart-conversation benchmark (node ${process.version}, ${process.platform}/${process.arch})\n` +
      `settings: ${JSON.stringify(settings)}`
  )
  const server = await startServer()
  const goals: Array<string> = []
  const tree = settings.only.includes("requests") || settings.only.includes("package") ? baselineTree(settings.baseline) : undefined
  const baselineDir = tree !== undefined && "dir" in tree ? tree.dir : undefined
  if (tree !== undefined && "skipped" in tree) console.log(`baseline skipped: ${tree.skipped}`)
  try {
    if (settings.only.includes("requests")) {
      const results = await benchRequests(server.port, server.conversationBytes, baselineDir)
      const raw = "raw undici request + JSON.parse"
      const plainFetch = "fetch + res.json()"
      for (const concurrency of settings.concurrency) {
        const at = (name: string) => results.find((r) => r.concurrency === concurrency && r.name === name)
        const goal = (label: string, name: string, base: string, limit: number) => {
          const row = at(name)
          const floor = at(base)
          if (row === undefined || floor === undefined) return
          const ratio = row.micros / floor.micros
          goals.push(
            `c=${concurrency}: ${label} ≤ ${limit}×: ${fmt(ratio, 2)}× wall ${verdict(ratio <= limit)} ` +
              `(CPU ${fmt(row.cpu / floor.cpu, 2)}×)`
          )
        }
        goal("client over UndiciHttpClient vs raw undici floor", "client / UndiciHttpClient.layer", raw, 1.3)
        goal("client over NodeHttpClient.layerUndici vs raw undici floor", "client / NodeHttpClient.layerUndici", raw, 1.3)
        goal("client over FetchHttpClient vs fetch + res.json()", "client / FetchHttpClient.layer", plainFetch, 1.15)
        const current = at("client / UndiciHttpClient.layer")
        const before = at(baselineName)
        const floor = at(raw)
        if (current !== undefined && before !== undefined && floor !== undefined) {
          const change = current.micros / floor.micros / (before.micros / floor.micros)
          goals.push(
            `c=${concurrency}: generated client over UndiciHttpClient, × floor, no worse than the baseline's by more than 5%: ` +
              `${fmt(current.micros / floor.micros, 2)}× vs ${fmt(before.micros / floor.micros, 2)}× (${fmt((change - 1) * 100, 1)}%) ${verdict(change <= 1.05)}`
          )
        }
      }
    }
    if (settings.only.includes("decode")) {
      const decode = benchDecode()
      const schemaRatio = decode.schemaDecode / decode.parse
      const clientRatio = decode.clientDecode / decode.parse
      goals.push(
        `parse + Schema.decodeUnknownEither ≤ 2× JSON.parse (${settings.decodeMessages} messages): ` +
          `${fmt(schemaRatio, 2)}× ${verdict(schemaRatio <= 2)}`
      )
      goals.push(
        `parse + the client's decoder ≤ 2× JSON.parse (${settings.decodeMessages} messages): ` +
          `${fmt(clientRatio, 2)}× ${verdict(clientRatio <= 2)}`
      )
    }
    if (settings.only.includes("stream")) {
      const stream = await benchStream(server.port)
      const ratio = stream.clientItemsPerSecond / stream.rawItemsPerSecond
      const growthMb = stream.clientHeapGrowth / 1024 / 1024
      goals.push(`streaming heap growth < 20 MB: ${fmt(growthMb, 2)} MB ${verdict(growthMb < 20)}`)
      goals.push(`streaming throughput ≥ 0.8× raw page loop: ${fmt(ratio, 2)}× ${verdict(ratio >= 0.8)}`)
    }
    if (settings.only.includes("observability")) {
      const results = await benchObservability(server.port)
      const request = results.find((row) => row.name.endsWith("(baseline)") && row.concurrency === settings.concurrency[0])
      for (const row of results) {
        if (row.name.endsWith("(baseline)")) continue
        if (row.name.startsWith("isolated|")) {
          const share = request === undefined ? "" : `, ${fmt((100 * row.extraMicros) / request.micros, 2)}% of a request at c=${request.concurrency}`
          goals.push(`${row.name.slice("isolated|".length)}: +${fmt(row.extraMicros, 2)} µs per request, measured alone${share}`)
          continue
        }
        goals.push(
          `c=${row.concurrency}: ${row.name.replace("|", ": ")}: ${fmt(row.micros / (row.micros - row.extraMicros), 2)}× ` +
            `the baseline's wall time, ${fmt(row.cpu / (row.cpu - row.extraCpu), 2)}× its CPU time (end to end; ±5–20% noise here)`
        )
      }
    }
    if (settings.only.includes("package")) {
      console.log(`\n## 5. Package: build, then ${settings.packageRounds} imports of each main entry in fresh processes, alternating\n`)
      const result = benchPackage(settings.packageRounds, baselineDir)
      console.log(`build (tsc -p tsconfig.build.json)                 ${fmt(result.buildSeconds, 1)} s`)
      console.log(`import of dist/index.js (effect, platform loaded)   ${fmt(result.importMillis, 1)} ms`)
      if (result.baselineImportMillis !== undefined) {
        console.log(`import of the baseline's dist/index.js              ${fmt(result.baselineImportMillis, 1)} ms`)
      }
      console.log(`type-check of a consumer calling ten operations    ${fmt(result.typecheckSeconds, 2)} s (tsc Total time)`)
      console.log(
        `packed tarball                                      ${fmt(result.tarball.size / 1024, 0)} KB packed, ` +
          `${fmt(result.tarball.unpackedSize / 1024, 0)} KB unpacked, ${result.tarball.files} files`
      )
      goals.push(`import of the main entry < 100 ms: ${fmt(result.importMillis, 1)} ms ${verdict(result.importMillis < 100)}`)
    }
  } finally {
    await server.stop()
  }
  console.log("\n## Goals\n")
  for (const goal of goals) console.log(`- ${goal}`)
  console.log(`\ntotal time ${fmt((performance.now() - started) / 1000)} s`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
