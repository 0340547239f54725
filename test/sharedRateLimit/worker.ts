/**
 * One worker process of the shared rate-limit test: a `ConversationService` over `UndiciHttpClient`
 * with `rateLimit` kept in Redis (`RateLimitRedis.layer`), pointed at the parent's MockServer. It says
 * `ready` once Redis answers, makes its calls when the parent says `go`, reports each call's outcome
 * (and when it received a 429) and exits. Each request carries the time it was handed to the transport
 * (`x-test-sent-at`), so the parent sees when each process sent, not only when the server read it.
 * Everything it needs comes from the environment (see `settings`).
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Cause, Config, Effect, Either, Layer, ManagedRuntime } from "effect"
import { ConversationService, Credentials } from "../../src/index.js"
import { RateLimitStore } from "../../src/RateLimit.js"
import { RateLimitRedis } from "../../src/redis/index.js"
import { UndiciHttpClient } from "../../src/undici/index.js"

const settings = Config.all({
  baseUrl: Config.string("WORKER_BASE_URL"),
  redisPort: Config.integer("WORKER_REDIS_PORT"),
  prefix: Config.string("WORKER_REDIS_PREFIX"),
  conversation: Config.string("WORKER_CONVERSATION"),
  calls: Config.integer("WORKER_CALLS"),
  limit: Config.integer("WORKER_LIMIT"),
  windowMillis: Config.integer("WORKER_WINDOW_MILLIS")
})

/** What the worker tells its parent. */
export type WorkerMessage =
  | { readonly _tag: "Ready" }
  | {
    readonly _tag: "Done"
    readonly succeeded: number
    readonly failed: ReadonlyArray<string>
    /** When this process received a 429 (epoch ms). */
    readonly got429At: ReadonlyArray<number>
  }
  | { readonly _tag: "Crashed"; readonly reason: string }

const send = (message: WorkerMessage) => Effect.sync(() => process.send?.(message))

/** Resolves when the parent says `go`. */
const go = Effect.async<void>((resume) => {
  const onMessage = (message: unknown) => {
    if (message === "go") {
      process.off("message", onMessage)
      resume(Effect.void)
    }
  }
  process.on("message", onMessage)
})

/** The transport, stamping each request with the time it is sent and noting the 429s it receives. */
const stampingTransport = (got429At: Array<number>) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      client.pipe(
        HttpClient.mapRequest((request) => HttpClientRequest.setHeader(request, "x-test-sent-at", String(Date.now()))),
        HttpClient.tap((response) =>
          response.status === 429 ? Effect.sync(() => void got429At.push(Date.now())) : Effect.void
        )
      ))
  ).pipe(Layer.provide(UndiciHttpClient.layer))

const main = Effect.gen(function*() {
  const config = yield* settings
  const got429At: Array<number> = []
  const store = RateLimitRedis.layer({ port: config.redisPort, prefix: config.prefix })
  const runtime = ManagedRuntime.make(
    ConversationService.layer({
      credentials: Credentials.simpleKey("mock"),
      baseUrl: config.baseUrl,
      rateLimit: { limit: config.limit, window: `${config.windowMillis} millis`, key: "shared-test" }
    }).pipe(Layer.provideMerge(store), Layer.provide(stampingTransport(got429At)))
  )
  // Redis answers before the worker says it is ready.
  yield* Effect.promise(() => runtime.runPromise(Effect.flatMap(RateLimitStore, (s) => s.pausedFor("warm-up"))))
  yield* send({ _tag: "Ready" })
  yield* go
  const outcomes = yield* Effect.promise(() =>
    runtime.runPromise(
      Effect.flatMap(ConversationService, (service) =>
        Effect.forEach(
          Array.from({ length: config.calls }),
          () => Effect.either(service.getConversation(config.conversation)),
          { concurrency: "unbounded" }
        ))
    )
  )
  yield* send({
    _tag: "Done",
    succeeded: outcomes.filter(Either.isRight).length,
    failed: outcomes.filter(Either.isLeft).map((outcome) => outcome.left._tag),
    got429At
  })
  yield* Effect.promise(() => runtime.dispose())
})

Effect.runPromise(
  main.pipe(Effect.catchAllCause((cause) => send({ _tag: "Crashed", reason: Cause.pretty(cause) })))
).finally(() => process.disconnect?.())
