/**
 * A client-side rate limit (`ClientOptions.rateLimit`), shared by every client that uses the same store:
 * each attempt waits for the budget of `@effect/experimental`'s `RateLimiter` (fixed windows), and a 429
 * with `Retry-After` pauses the budget for everyone sharing the store. In memory by default (one
 * process); `RateLimitRedis.layer` from `effect-ultracart-conversation/redis` shares it between processes.
 *
 * @since 0.3.0
 */
import type * as RateLimiter from "@effect/experimental/RateLimiter"
import { Context, type Duration, type Effect, Layer } from "effect"
import * as internal from "./internal/rateLimitStore.js"

/**
 * The budget: at most `limit` requests per `window`, counted over every client that shares the store.
 *
 * @example
 * ConversationService.layer({ credentials, rateLimit: { limit: 10, window: "1 second" } })
 */
export interface RateLimitOptions {
  /** Requests allowed per window: a whole number from 1 to the window's length in milliseconds. */
  readonly limit: number
  /** The window's length, e.g. `"1 second"` (finite, longer than zero). */
  readonly window: Duration.DurationInput
  /**
   * The budget's name in the store (default `"default"`). Clients of the same UltraCart application
   * share one name; give each application its own when several share a store.
   */
  readonly key?: string | undefined
}

/** Where budgets and pauses live: the clients that share one share their budget and its pauses. */
export interface RateLimitStoreShape {
  /** The budget: `@effect/experimental`'s `RateLimiter` over its `RateLimiterStore`. */
  readonly limiter: RateLimiter.RateLimiter
  /** Pauses `key` for `duration` from now; a longer pause already in place is kept. */
  readonly pause: (key: string, duration: Duration.Duration) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /** How long `key` stays paused (zero when it is not paused). */
  readonly pausedFor: (key: string) => Effect.Effect<Duration.Duration, RateLimiter.RateLimiterError>
}

/**
 * The store of `ClientOptions.rateLimit`. Services built with a `rateLimit` use the one in their
 * layer's context, or else a memory store of their own.
 */
export class RateLimitStore extends Context.Tag("effect-ultracart-conversation/RateLimitStore")<
  RateLimitStore,
  RateLimitStoreShape
>() {}

/** A store in this process's memory (`RateLimiter.layerStoreMemory` and a map of pauses), on the `Clock`. */
export const makeMemory: Effect.Effect<RateLimitStoreShape> = internal.makeMemory

/**
 * A memory store for several services of one process (`ConversationService` and
 * `ConversationEmbedService` given the same layer share one budget).
 */
export const layerMemory: Layer.Layer<RateLimitStore> = Layer.effect(RateLimitStore, makeMemory)
