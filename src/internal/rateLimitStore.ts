/**
 * The memory `RateLimitStore`: `@effect/experimental`'s `RateLimiter` over its memory store, and the
 * pauses as deadlines on the fiber's `Clock` (so a `TestClock` drives them).
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import { Duration, Effect } from "effect"
import type { RateLimitStoreShape } from "../RateLimit.js"

/** Builds a memory store; every call makes a new one with its own budgets and pauses. */
export const makeMemory: Effect.Effect<RateLimitStoreShape> = Effect.gen(function*() {
  const limiter = yield* Effect.provide(RateLimiter.make, RateLimiter.layerStoreMemory)
  const pausedUntil = new Map<string, number>()
  return {
    limiter,
    pause: (key, duration) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const until = clock.unsafeCurrentTimeMillis() + Duration.toMillis(duration)
          if ((pausedUntil.get(key) ?? 0) < until) pausedUntil.set(key, until)
        })
      ),
    pausedFor: (key) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const until = pausedUntil.get(key)
          if (until === undefined) return Duration.zero
          const left = until - clock.unsafeCurrentTimeMillis()
          if (left > 0) return Duration.millis(left)
          pausedUntil.delete(key)
          return Duration.zero
        })
      )
  }
})
