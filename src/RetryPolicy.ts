/**
 * How failed attempts are retried: how many times, the exponential backoff between attempts, and the
 * longest `Retry-After` the client will wait for. Which failures are retried is not configurable: that
 * follows from whether an operation can create something on the server (see the README).
 *
 * @since 0.1.0
 */
import { Duration } from "effect"

/** A retry policy: at most `maxRetries` retries, backoff from `baseDelay` doubling up to `maxDelay`. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly maxRetries: number
  /** The first backoff delay; each further one doubles. */
  readonly baseDelay: Duration.Duration
  /** The cap on one computed backoff delay. */
  readonly maxDelay: Duration.Duration
  /**
   * The longest `Retry-After` the client waits for; a longer one fails at once with the
   * `RateLimitError` (carrying `retryAfter`) so the caller can decide.
   */
  readonly maxRetryAfter: Duration.Duration
  /** Whether each backoff delay is randomised (×0.8–1.2) so that many clients do not retry in step. */
  readonly jitter: boolean
}

/** The settings of a custom policy; every one left out keeps the default's value. */
export interface RetryPolicyOptions {
  readonly maxRetries?: number | undefined
  readonly baseDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
}

const defaultPolicy: RetryPolicy = {
  maxRetries: 4,
  baseDelay: Duration.millis(250),
  maxDelay: Duration.seconds(8),
  maxRetryAfter: Duration.seconds(60),
  jitter: true
}

export {
  /**
   * At most 4 retries, exponential backoff from 250 ms with jitter, each delay capped at 8 s, a
   * `Retry-After` honoured up to 60 s.
   */
  defaultPolicy as default
}

/** Never retry: every failure is returned after the first attempt. */
export const none: RetryPolicy = { ...defaultPolicy, maxRetries: 0 }

/**
 * A custom policy; settings left out keep the default's values. A negative or fractional `maxRetries`
 * is rounded down to a whole number of at least 0.
 *
 * @example
 * RetryPolicy.make({ maxRetries: 8, maxDelay: "30 seconds" })
 */
export const make = (options: RetryPolicyOptions): RetryPolicy => ({
  maxRetries:
    options.maxRetries === undefined || !Number.isFinite(options.maxRetries)
      ? defaultPolicy.maxRetries
      : Math.max(0, Math.floor(options.maxRetries)),
  baseDelay: options.baseDelay === undefined ? defaultPolicy.baseDelay : Duration.decode(options.baseDelay),
  maxDelay: options.maxDelay === undefined ? defaultPolicy.maxDelay : Duration.decode(options.maxDelay),
  maxRetryAfter:
    options.maxRetryAfter === undefined ? defaultPolicy.maxRetryAfter : Duration.decode(options.maxRetryAfter),
  jitter: options.jitter ?? defaultPolicy.jitter
})
