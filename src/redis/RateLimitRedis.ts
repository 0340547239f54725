/**
 * A `RateLimitStore` in Redis: the budget is `@effect/experimental`'s Redis `RateLimiterStore`, the pauses
 * are keys whose time to live is the pause, so every process that shares the Redis (and the budget's
 * key) shares the budget and waits out the same pauses. Redis's own clock measures both.
 *
 * @since 0.3.0
 */
import type { Duration, Effect, Layer, Redacted, Scope } from "effect"
import { RateLimitStore, type RateLimitStoreShape } from "../RateLimit.js"
import * as internal from "../internal/redisStore.js"

/** How to reach Redis, and the prefix of this package's keys there. */
export interface RedisOptions {
  /** Default `"127.0.0.1"`. */
  readonly host?: string | undefined
  /** Default 6379. */
  readonly port?: number | undefined
  readonly username?: string | undefined
  /** Kept `Redacted` until the connection is made. */
  readonly password?: string | Redacted.Redacted<string> | undefined
  /** The database number (default 0). */
  readonly db?: number | undefined
  /** Connect with TLS. */
  readonly tls?: boolean | undefined
  /**
   * How long one command may take (default 1 second). When Redis does not answer in time the attempt
   * goes ahead without the limit (logged as a Warning) rather than wait for Redis to come back.
   */
  readonly commandTimeout?: Duration.DurationInput | undefined
  /** Prepended to every key this store writes (default `"effect-ultracart-conversation:"`). */
  readonly prefix?: string | undefined
}

/** Connects to Redis for the scope's lifetime (two connections: the budget's and the pauses'). */
export const make: (options: RedisOptions) => Effect.Effect<RateLimitStoreShape, never, Scope.Scope> = internal.make

/**
 * The shared store, to provide to `ConversationService.layer({ ..., rateLimit })` in every process.
 *
 * @example
 * ConversationService.layer({ credentials, rateLimit: { limit: 20, window: "1 second" } }).pipe(
 *   Layer.provide(RateLimitRedis.layer({ host: "redis.internal", port: 6379 })),
 *   Layer.provide(UndiciHttpClient.layer)
 * )
 */
export const layer = (options: RedisOptions): Layer.Layer<RateLimitStore> => internal.layer(RateLimitStore, options)
