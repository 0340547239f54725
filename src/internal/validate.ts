/**
 * Checks a call's arguments before any I/O. Each check returns the value to send or an
 * `InvalidInputError` that names the argument and why it was refused.
 */
import { Either, Predicate, Redacted, Schema } from "effect"
import type { Credentials } from "../Credentials.js"
import { InvalidInputError } from "../Errors.js"
import { formatParseError } from "./parseIssue.js"

const invalid = (operation: string, argument: string, reason: string) =>
  Either.left(new InvalidInputError({ operation, argument, reason }))

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * A path parameter as exactly one percent-encoded path segment. Empty, `.` and `..` are refused:
 * URL normalisation would turn them into another path even when percent-encoded.
 */
export const pathSegment = (operation: string, argument: string, value: unknown): Either.Either<string, InvalidInputError> => {
  if (typeof value !== "string") return invalid(operation, argument, `must be a string, got ${typeof value}`)
  if (value.length === 0) return invalid(operation, argument, "must not be empty")
  if (value === "." || value === "..") return invalid(operation, argument, `"${value}" cannot be sent as a path segment`)
  if (loneSurrogate.test(value)) return invalid(operation, argument, "is not well-formed Unicode (lone surrogate)")
  return Either.right(encodeURIComponent(value))
}

const extensionPattern = /^[A-Za-z0-9]{1,10}$/

/** A file extension: 1 to 10 ASCII letters or digits (`png`, `jpeg`, `mp4`). */
export const extension = (operation: string, value: unknown): Either.Either<string, InvalidInputError> =>
  typeof value === "string" && extensionPattern.test(value)
    ? Either.right(value)
    : invalid(operation, "extension", "must be 1 to 10 letters or digits, e.g. png, jpeg, mp4")

/** An optional whole number in `min..max`. */
export const optionalInteger = (
  operation: string,
  argument: string,
  value: unknown,
  min: number,
  max: number
): Either.Either<number | undefined, InvalidInputError> => {
  if (value === undefined) return Either.right(undefined)
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`
    return invalid(operation, argument, `must be a whole number ${range}, got ${String(value)}`)
  }
  return Either.right(value)
}

/** An optional non-empty string. */
export const optionalString = (
  operation: string,
  argument: string,
  value: unknown
): Either.Either<string | undefined, InvalidInputError> => {
  if (value === undefined) return Either.right(undefined)
  if (typeof value !== "string" || value.length === 0) {
    return invalid(operation, argument, "must be a non-empty string when given")
  }
  if (loneSurrogate.test(value)) return invalid(operation, argument, "is not well-formed Unicode (lone surrogate)")
  return Either.right(value)
}

/** The options object of a call: absent, or a plain object. */
export const optionsObject = (
  operation: string,
  value: unknown
): Either.Either<Readonly<Record<string, unknown>>, InvalidInputError> => {
  if (value === undefined) return Either.right({})
  if (Predicate.isRecord(value)) return Either.right(value)
  return invalid(operation, "options", "must be an object when given")
}

/**
 * A request body as the JSON text to send: an object of the schema's shape. Fields the schema does
 * not know are kept, so a field UltraCart adds later can be sent before this package knows it.
 */
export const requestBody = <A, I>(
  operation: string,
  argument: string,
  schema: Schema.Schema<A, I>,
  value: unknown
): Either.Either<string, InvalidInputError> => {
  if (!Predicate.isRecord(value)) {
    return invalid(operation, argument, `must be an object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`)
  }
  return decodeBody(schema)(value).pipe(
    Either.flatMap((decoded) => encodeBody(schema)(decoded)),
    Either.map((encoded) => JSON.stringify(encoded)),
    Either.mapLeft((error) =>
      new InvalidInputError({ operation, argument, reason: formatParseError(argument, error) })
    )
  )
}

const bodyOptions = { onExcessProperty: "preserve", errors: "first" } as const
const decodeBody = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknownEither(schema, bodyOptions)
const encodeBody = <A, I>(schema: Schema.Schema<A, I>) => Schema.encodeEither(schema, bodyOptions)

/** An optional conversation medium filter: `sms` or `websocket`. */
export const optionalMedium = (
  operation: string,
  value: unknown
): Either.Either<"sms" | "websocket" | undefined, InvalidInputError> =>
  value === undefined || value === "sms" || value === "websocket"
    ? Either.right(value)
    : invalid(operation, "medium", `must be "sms" or "websocket" when given, got ${JSON.stringify(value) ?? typeof value}`)

/** A character an HTTP field value cannot carry (RFC 9110: visible ASCII, obs-text, space and tab only). */
const notInHeader = /[^\t\x20-\x7e\x80-\xff]/

/**
 * Why a credential can never be sent in its header (blank, a stray newline or control character), or
 * `undefined`. The reason names the position, never the secret: an HTTP library refusing such a header
 * may quote the whole value in its error message.
 */
export const credentialProblem = (credentials: Credentials): string | undefined => {
  const [name, secret] = credentials._tag === "SimpleKey"
    ? ["simple key", credentials.key] as const
    : ["bearer token", credentials.token] as const
  if (Redacted.value(secret).trim().length === 0) return `the ${name} is empty or blank: UltraCart would refuse every request`
  const index = Redacted.value(secret).search(notInHeader)
  return index === -1
    ? undefined
    : `the ${name} has a character no HTTP header can carry at index ${index} (a stray newline or control character?)`
}
