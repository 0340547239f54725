/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
import { Duration, Option } from "effect"

const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/

/**
 * The wait a `Retry-After` value asks for, measured from `nowMillis`; a date in the past is no wait.
 * An unreadable value is `None`: the client then backs off as if no header was sent.
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Option.Option<Duration.Duration> => {
  if (value === undefined) return Option.none()
  const match = seconds.exec(value)
  if (match?.[1] !== undefined) return Option.some(Duration.seconds(Number(match[1])))
  const date = Date.parse(value)
  if (Number.isNaN(date)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, date - nowMillis)))
}
