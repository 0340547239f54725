/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
import { Duration, Option } from "effect"

const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/

/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, RFC 850 and asctime. */
const httpDate = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/
]

/**
 * The wait a `Retry-After` value asks for, measured from `nowMillis`; a date in the past is no wait.
 * An unreadable value is `None`: the client then backs off as if no header was sent.
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Option.Option<Duration.Duration> => {
  if (value === undefined) return Option.none()
  const match = seconds.exec(value)
  if (match?.[1] !== undefined) return Option.some(Duration.seconds(Number(match[1])))
  const trimmed = value.trim()
  if (!httpDate.some((form) => form.test(trimmed))) return Option.none()
  // asctime carries no zone; HTTP dates are always UTC.
  const date = Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`)
  if (Number.isNaN(date)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, date - nowMillis)))
}
