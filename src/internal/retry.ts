/**
 * Which failures are retried, and the backoff between attempts, as a `Schedule`.
 */
import { Duration, Schedule } from "effect"
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

/**
 * The retry schedule of one operation: exponential backoff (jittered, each delay capped), at most
 * `maxRetries` retries, a `Retry-After` replacing the computed delay when it is longer.
 */
export const retrySchedule = (
  policy: RetryPolicy,
  idempotent: boolean
): Schedule.Schedule<unknown, ConversationError> => {
  const exponential = Schedule.exponential(policy.baseDelay)
  return (policy.jitter ? Schedule.jittered(exponential) : exponential).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, policy.maxDelay)),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.intersect(Schedule.identity<ConversationError>()),
    Schedule.modifyDelay(([, error], delay) =>
      error._tag === "RateLimitError" && error.retryAfter !== undefined ? Duration.max(delay, error.retryAfter) : delay
    ),
    Schedule.whileInput((error: ConversationError) => isRetryable(policy, idempotent, error))
  )
}
