/**
 * The Redis `RateLimitStore`. The budget: `@effect/experimental`'s Redis `RateLimiterStore` under
 * `RateLimiter.make`. A pause: one key set with `PX` to the pause's length, unless it already lives
 * longer (one Lua script, so two processes pausing at once keep the longer pause); its `PTTL` is what
 * is left of it.
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import { type Context, Duration, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { Redis } from "ioredis"
import type { RateLimitStoreShape } from "../RateLimit.js"
import type { RedisOptions } from "../redis/RateLimitRedis.js"

/** The default prefix of every key. */
export const defaultPrefix = "effect-ultracart-conversation:"

const pauseScript = `
local left = redis.call("PTTL", KEYS[1])
local wanted = tonumber(ARGV[1])
if left < wanted then
  redis.call("SET", KEYS[1], "1", "PX", wanted)
end
return left
`

const storeError = (message: string) => (cause: unknown) => new RateLimiter.RateLimitStoreError({ message, cause })

/**
 * The `ioredis` options (the password unwrapped here, for the connection only). Reconnecting stops once
 * `closing()` says so: a connection whose `QUIT` failed (Redis gone) would otherwise retry forever and
 * keep the process alive.
 */
const connection = (options: RedisOptions, closing: () => boolean) => {
  const commandTimeout = Duration.decode(options.commandTimeout ?? "1 second")
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 6379,
    // An infinite timeout is none; one longer than a timer holds is capped (Node would fire it at once).
    ...(Duration.isFinite(commandTimeout)
      ? { commandTimeout: Math.min(2 ** 31 - 1, Math.max(1, Math.ceil(Duration.toMillis(commandTimeout)))) }
      : {}),
    retryStrategy: (times: number) => (closing() ? null : Math.min(times * 50, 2000)),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined
      ? {}
      : { password: Redacted.isRedacted(options.password) ? Redacted.value(options.password) : options.password }),
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.tls === true ? { tls: {} } : {})
  }
}

/** Connects for the scope's lifetime. Closing never fails, even when Redis is gone by then. */
export const make = (options: RedisOptions): Effect.Effect<RateLimitStoreShape, never, Scope.Scope> =>
  Effect.gen(function*() {
    const prefix = options.prefix ?? defaultPrefix
    let closing = false
    const settings = connection(options, () => closing)
    // The experimental store's own connection closes in a scope of its own, whose failure (its `QUIT`
    // timing out when Redis is gone) is ignored.
    const limiterScope = yield* Effect.acquireRelease(Scope.make(), (scope) =>
      Effect.catchAllCause(Scope.close(scope, Exit.void), () => Effect.void))
    const limiterStore = yield* Scope.extend(RateLimiterRedis.make({ ...settings, prefix }), limiterScope)
    const limiter = yield* Effect.provideService(RateLimiter.make, RateLimiter.RateLimiterStore, limiterStore)
    const redis = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const client = new Redis(settings)
        // Failures reach the limiter through the commands (logged, and the attempt goes ahead); without a
        // listener ioredis would also print every connection error.
        client.on("error", () => {})
        return client
      }),
      (client) =>
        Effect.ignore(Effect.tryPromise(() => client.quit())).pipe(Effect.ensuring(Effect.sync(() => client.disconnect())))
    )
    // Added last, so it runs first when the scope closes: no connection reconnects from then on.
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        closing = true
      })
    )
    return {
      limiter,
      pause: (key, duration) => {
        const millis = Math.max(1, Math.ceil(Duration.toMillis(duration)))
        return Effect.asVoid(Effect.tryPromise({
          try: () => redis.eval(pauseScript, 1, prefix + key, millis),
          catch: storeError("failed to pause the rate limit in Redis")
        }))
      },
      pausedFor: (key) =>
        Effect.map(
          Effect.tryPromise({
            try: () => redis.pttl(prefix + key),
            catch: storeError("failed to read the rate limit's pause from Redis")
          }),
          (left) => (left > 0 ? Duration.millis(left) : Duration.zero)
        )
    }
  })

/** The store as a scoped layer of `tag`. */
export const layer = <I>(tag: Context.Tag<I, RateLimitStoreShape>, options: RedisOptions): Layer.Layer<I> =>
  Layer.scoped(tag, make(options))
