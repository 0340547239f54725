/**
 * effect-ultracart-conversation/redis: the rate limit of `ClientOptions.rateLimit` kept in Redis, so that
 * several processes share one budget and its pauses. Needs `ioredis` (an optional peer dependency).
 *
 * @since 0.3.0
 */
export * as RateLimitRedis from "./RateLimitRedis.js"
