/**
 * The shared rate limit as the core applies it to every attempt.
 *
 * The budget is `@effect/experimental`'s `RateLimiter` with fixed windows and `onExceeded: "delay"`: an
 * attempt takes a place in the current window or a later one and waits for that window to open.
 *
 * The pause: a 429 with `Retry-After` pauses the budget's key in the store (`RateLimitStore.pause`,
 * keeping the longer of two pauses). Every attempt asks the store first and waits out a pause before it
 * takes a place; one that took its place before the pause began asks again when its window opens, and
 * if the budget is paused by then it gives its place up, waits, and takes a new one. So no client that
 * shares the store sends while the pause lasts, and the requests held back do not all go at its end.
 */
import type * as RateLimiter from "@effect/experimental/RateLimiter"
import { Duration, Effect, Either } from "effect"
import { RateLimitError } from "../Errors.js"
import type { RateLimitOptions, RateLimitStoreShape } from "../RateLimit.js"
import type { Origin } from "./transportError.js"

/** A checked `RateLimitOptions`. */
export interface SettledRateLimit {
  readonly limit: number
  readonly window: Duration.Duration
  readonly key: string
}

/**
 * Checks the options: a whole `limit` of at least 1, a finite window longer than zero and at least 1 ms
 * per request (`limit` ≤ the window in milliseconds), a non-empty key.
 */
export const settleRateLimit = (options: RateLimitOptions): Either.Either<SettledRateLimit, string> => {
  const limit = options.limit
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    return Either.left(`rateLimit.limit must be a whole number of at least 1, got ${String(limit)}`)
  }
  const window = Duration.decodeUnknown(options.window)
  if (window._tag === "None" || !Duration.isFinite(window.value) || Duration.toMillis(window.value) <= 0) {
    return Either.left("rateLimit.window must be a finite duration longer than zero")
  }
  // The Redis store keeps each request's share of the window in whole milliseconds (`PX`): a share under
  // 1 ms would be 0 there, which Redis refuses.
  if (Duration.toMillis(window.value) / limit < 1) {
    return Either.left(
      `rateLimit allows at most one request per millisecond of its window (limit ${limit} over ${Duration.format(window.value)})`
    )
  }
  const key = options.key ?? "default"
  if (typeof key !== "string" || key.length === 0) return Either.left("rateLimit.key must be a non-empty string")
  return Either.right({ limit, window: window.value, key })
}

/** The rate limit of one client. */
export interface Limiter {
  /**
   * Waits until an attempt of the operation at `origin` may be sent. Fails with a `RateLimitError`
   * (nothing sent) only when the budget is paused for longer than the client waits for a `Retry-After`.
   */
  readonly acquire: (origin: Origin) => Effect.Effect<void, RateLimitError>
  /** Pauses the budget for everyone sharing the store (after a 429 with `Retry-After`). */
  readonly pause: (retryAfter: Duration.Duration) => Effect.Effect<void>
}

/**
 * The rate limit of a client over `store`. `maxWait` is the policy's `maxRetryAfter`: a longer pause
 * fails the attempt at once, as a longer `Retry-After` does. A failing store is logged (Warning) and the
 * attempt goes ahead: the budget protects UltraCart, whose own 429s still apply.
 */
export const makeLimiter = (store: RateLimitStoreShape, settled: SettledRateLimit, maxWait: Duration.Duration): Limiter => {
  const consumeOptions = {
    key: settled.key,
    limit: settled.limit,
    window: settled.window,
    algorithm: "fixed-window",
    onExceeded: "delay"
  } as const
  const pauseKey = `${settled.key}:pause`

  const storeFailed = (what: string, error: RateLimiter.RateLimiterError) =>
    Effect.logWarning(`UltraCart rate limit: the store failed to ${what}; going ahead without it`).pipe(
      Effect.annotateLogs({ "ultracart.rate_limit.key": settled.key, "ultracart.rate_limit.error": error.message })
    )
  const takePlace: Effect.Effect<Duration.Duration> = Effect.catchAll(
    Effect.map(store.limiter.consume(consumeOptions), (result) => result.delay),
    (error) => Effect.as(storeFailed("count the request", error), Duration.zero)
  )
  const pausedFor: Effect.Effect<Duration.Duration> = Effect.catchAll(
    store.pausedFor(pauseKey),
    (error) => Effect.as(storeFailed("read the pause", error), Duration.zero)
  )

  return {
    acquire: (origin) => {
      const waitOut = (
        left: Duration.Duration,
        then: Effect.Effect<void, RateLimitError>
      ): Effect.Effect<void, RateLimitError> =>
        Duration.greaterThan(left, maxWait)
          ? Effect.fail(new RateLimitError({ ...origin, status: 429, retryAfter: left }))
          : Effect.logDebug(`${origin.operation}: the shared rate limit is paused; waiting ${Duration.format(left)}`).pipe(
            Effect.annotateLogs({ "ultracart.operation": origin.operation, "ultracart.rate_limit.pause_ms": Duration.toMillis(left) }),
            Effect.zipRight(Effect.sleep(left)),
            Effect.zipRight(then)
          )
      // After waiting for its window: a pause that began meanwhile sends the attempt back to the start.
      const recheck: Effect.Effect<void, RateLimitError> = Effect.flatMap(pausedFor, (left) =>
        Duration.isZero(left) ? Effect.void : waitOut(left, acquire))
      const acquire: Effect.Effect<void, RateLimitError> = Effect.flatMap(pausedFor, (left) =>
        Duration.isZero(left)
          ? Effect.flatMap(takePlace, (delay) => Duration.isZero(delay) ? Effect.void : Effect.zipRight(Effect.sleep(delay), recheck))
          : waitOut(left, acquire))
      return acquire
    },
    pause: (retryAfter) =>
      Duration.isZero(retryAfter)
        ? Effect.void
        : Effect.catchAll(store.pause(pauseKey, retryAfter), (error) => storeFailed("pause the budget", error)).pipe(
          Effect.zipRight(
            Effect.logDebug(`UltraCart answered 429 with Retry-After: paused the shared rate limit for ${Duration.format(retryAfter)}`)
          ),
          Effect.annotateLogs({ "ultracart.rate_limit.key": settled.key, "ultracart.rate_limit.pause_ms": Duration.toMillis(retryAfter) })
        )
  }
}
