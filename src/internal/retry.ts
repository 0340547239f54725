/**
 * Which failures are retried, and the backoff between attempts, as a `Schedule`; each retry the
 * schedule decides on is reported to an observer (the Debug log line, the retry metric, the span event).
 */
import { Duration, Effect, Schedule } from "effect"
import type { ConversationError } from "../Errors.js"
import type { RetryPolicy } from "../RetryPolicy.js"

const retriedStatuses: ReadonlySet<number> = new Set([500, 502, 503, 504])

/**
 * Whether a failed attempt may be sent again. An operation that may create something (not idempotent)
 * is retried only when the server surely did not process it: a 429, a refused connection or a failed
 * host name lookup.
 * A `Retry-After` longer than the policy allows is returned at once.
 */
export const isRetryable = (policy: RetryPolicy, idempotent: boolean, error: ConversationError): boolean => {
  switch (error._tag) {
    case "RateLimitError":
      return error.retryAfter === undefined || Duration.lessThanOrEqualTo(error.retryAfter, policy.maxRetryAfter)
    case "TransportError":
      return error.reason === "ConnectionRefused" || error.reason === "DnsLookupFailed" || (idempotent && error.reason !== "InvalidUrl")
    case "TimeoutError":
      return idempotent
    case "ServerError":
      return idempotent && retriedStatuses.has(error.status)
    default:
      return false
  }
}

/** One retry the schedule decided on. */
export interface RetryDecision {
  /** The attempt that failed, from 1; the next one is `attempt + 1`. */
  readonly attempt: number
  readonly error: ConversationError
  /** The wait before the next attempt. */
  readonly delay: Duration.Duration
  /** Whether the wait is the server's `Retry-After` (longer than the computed backoff). */
  readonly fromRetryAfter: boolean
}

/** Runs when a retry was decided, before its wait. */
export type RetryObserver = (decision: RetryDecision) => Effect.Effect<void>

/**
 * The retry schedule of one operation: exponential backoff (jittered, each delay capped), at most
 * `maxRetries` retries, a `Retry-After` replacing the computed delay when it is longer. `observe` sees
 * each retry once it is decided (never a failure that is returned).
 */
export const retrySchedule = (
  policy: RetryPolicy,
  idempotent: boolean,
  observe?: RetryObserver
): Schedule.Schedule<unknown, ConversationError> => {
  const exponential = Schedule.exponential(policy.baseDelay)
  return (policy.jitter ? Schedule.jittered(exponential) : exponential).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, policy.maxDelay)),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.intersect(Schedule.identity<ConversationError>()),
    Schedule.whileInput((error: ConversationError) => isRetryable(policy, idempotent, error)),
    // Only reached for a retry that goes ahead: a stopped schedule calls no later `modifyDelay`.
    Schedule.modifyDelayEffect(([[, retries], error], computed) => {
      const retryAfter = error._tag === "RateLimitError" ? error.retryAfter : undefined
      const delay = retryAfter !== undefined && Duration.greaterThan(retryAfter, computed) ? retryAfter : computed
      return observe === undefined
        ? Effect.succeed(delay)
        : Effect.as(observe({ attempt: retries + 1, error, delay, fromRetryAfter: delay !== computed }), delay)
    })
  )
}
