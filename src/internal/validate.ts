/**
 * Checks a call's arguments before any I/O. Each check returns the value to send or an
 * `InvalidInputError` that names the argument and why it was refused.
 */
import { Either, Predicate, Redacted, Schema } from "effect"
import type { Credentials } from "../Credentials.js"
import { InvalidInputError } from "../Errors.js"
import type { OperationSpec, ParameterType, PathParameterSpec, QueryParameterSpec, RequestBodySpec } from "./operation.js"
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
 * A request body as its wire value: an object of the schema's shape, encoded. Fields the schema does not
 * know are kept, so a field UltraCart adds later can be sent before this package knows it.
 */
export const requestBody = <A, I>(
  operation: string,
  argument: string,
  schema: Schema.Schema<A, I>,
  value: unknown
): Either.Either<I, InvalidInputError> => {
  if (!Predicate.isRecord(value)) {
    return invalid(operation, argument, `must be an object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`)
  }
  return decodeBody(schema)(value).pipe(
    Either.flatMap((decoded) => encodeBody(schema)(decoded)),
    Either.mapLeft((error) =>
      new InvalidInputError({ operation, argument, reason: formatParseError(argument, error) })
    )
  )
}

const bodyOptions = { onExcessProperty: "preserve", errors: "first" } as const
const decodeBody = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknownEither(schema, bodyOptions)
const encodeBody = <A, I>(schema: Schema.Schema<A, I>) => Schema.encodeEither(schema, bodyOptions)

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

const int32Range = { minimum: -2147483648, maximum: 2147483647 }
const safeRange = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }

const describeValue = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value)
  return Array.isArray(value) ? "an array" : typeof value
}

const rangeText = (minimum: number, maximum: number): string =>
  maximum >= Number.MAX_SAFE_INTEGER
    ? minimum <= -Number.MAX_SAFE_INTEGER ? "" : ` of at least ${minimum}`
    : minimum <= -Number.MAX_SAFE_INTEGER ? ` of at most ${maximum}` : ` from ${minimum} to ${maximum}`

/** A value of a parameter's type, checked against its bounds and values; the result is what is sent. */
const parameterValue = (
  operation: string,
  argument: string,
  spec: {
    readonly type: ParameterType
    readonly enum?: ReadonlyArray<string> | undefined
    readonly minimum?: number | undefined
    readonly maximum?: number | undefined
  },
  value: unknown
): Either.Either<string | number | boolean, InvalidInputError> => {
  switch (spec.type) {
    case "boolean":
      return typeof value === "boolean" ? Either.right(value) : invalid(operation, argument, `must be true or false, got ${describeValue(value)}`)
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? Either.right(value)
        : invalid(operation, argument, `must be a finite number, got ${describeValue(value)}`)
    case "int32":
    case "int64":
    case "integer": {
      const range = spec.type === "int32" ? int32Range : safeRange
      const minimum = Math.max(spec.minimum ?? range.minimum, range.minimum)
      const maximum = Math.min(spec.maximum ?? range.maximum, range.maximum)
      if (typeof value === "number" && Number.isInteger(value) && value >= minimum && value <= maximum) {
        return Either.right(value)
      }
      return invalid(operation, argument, `must be a whole number${rangeText(minimum, maximum)}, got ${describeValue(value)}`)
    }
    case "string": {
      if (typeof value !== "string" || value.length === 0) {
        return invalid(operation, argument, `must be a non-empty string, got ${describeValue(value)}`)
      }
      if (loneSurrogate.test(value)) return invalid(operation, argument, "is not well-formed Unicode (lone surrogate)")
      if (spec.enum !== undefined && !spec.enum.includes(value)) {
        return invalid(operation, argument, `must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`)
      }
      return Either.right(value)
    }
  }
}

/** One path parameter as exactly one encoded segment. */
const pathValue = (operation: string, spec: PathParameterSpec, value: unknown): Either.Either<string, InvalidInputError> => {
  if (spec.type !== "string") return Either.map(parameterValue(operation, spec.argument, spec, value), String)
  if (spec.pattern !== undefined && !(typeof value === "string" && spec.pattern.test(value))) {
    return invalid(operation, spec.argument, `must be ${spec.patternText ?? `of the form ${String(spec.pattern)}`}`)
  }
  return pathSegment(operation, spec.argument, value)
}

/** A path template split around its parameters: `parts[0] + p0 + parts[1] + p1 + …`. */
export interface PathTemplate {
  readonly parts: ReadonlyArray<string>
  readonly params: ReadonlyArray<PathParameterSpec>
}

/** Splits an operation's path template once. */
export const pathTemplate = (operation: OperationSpec): PathTemplate => ({
  parts: operation.path.split(/\{[^}]+\}/),
  params: operation.pathParams
})

/** The filled path (below the base URL), every argument checked and percent-encoded into one segment. */
export const fillPath = (
  operation: string,
  template: PathTemplate,
  values: ReadonlyArray<unknown>
): Either.Either<string, InvalidInputError> => {
  let path = template.parts[0] ?? ""
  for (let i = 0; i < template.params.length; i++) {
    const spec = template.params[i]
    if (spec === undefined) continue
    const segment = pathValue(operation, spec, values[i])
    if (Either.isLeft(segment)) return Either.left(segment.left)
    path += segment.right + (template.parts[i + 1] ?? "")
  }
  return Either.right(path)
}

/** The values a query sends, by wire name; `undefined` for a parameter the caller did not give. */
export type QueryValues = Readonly<Record<string, string | number | boolean | undefined>>

/** The query of a call from its `options`: each given option checked, each required one present. */
export const query = (
  operation: string,
  parameters: ReadonlyArray<QueryParameterSpec>,
  options: unknown
): Either.Either<QueryValues | undefined, InvalidInputError> => {
  if (parameters.length === 0) return Either.right(undefined)
  if (options === undefined && parameters.some((p) => p.required)) {
    const names = parameters.filter((p) => p.required).map((p) => p.option).join(", ")
    return invalid(operation, "options", `is required (with ${names})`)
  }
  return Either.flatMap(optionsObject(operation, options), (given): Either.Either<QueryValues, InvalidInputError> => {
    const out: Record<string, string | number | boolean | undefined> = {}
    for (const parameter of parameters) {
      const value = given[parameter.option]
      if (value === undefined) {
        if (parameter.required) return invalid(operation, parameter.option, "is required")
        continue
      }
      const checked = parameterValue(operation, parameter.option, parameter, value)
      if (Either.isLeft(checked)) return Either.left(checked.left)
      out[parameter.name] = checked.right
    }
    return Either.right(out)
  })
}

/** A request body ready to send: its text and content type. */
export interface BodyText {
  readonly text: string
  readonly contentType: string
}

const formValue = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value)

/** An encoded body as `application/x-www-form-urlencoded` text: `null` and absent fields are left out. */
const formText = (encoded: unknown): string => {
  const params = new URLSearchParams()
  if (Predicate.isRecord(encoded)) {
    for (const [key, value] of Object.entries(encoded)) {
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) for (const item of value) params.append(key, formValue(item))
      else params.append(key, formValue(value))
    }
  }
  return params.toString()
}

/** The body of a call: checked against its model when given, required where the description says so. */
export const body = (
  operation: string,
  spec: RequestBodySpec | undefined,
  value: unknown
): Either.Either<BodyText | undefined, InvalidInputError> => {
  if (spec === undefined) return Either.right(undefined)
  if (value === undefined) return spec.required ? invalid(operation, spec.argument, "is required") : Either.right(undefined)
  return Either.map(requestBody(operation, spec.argument, spec.schema, value), (encoded) =>
    spec.mediaType.startsWith("application/x-www-form-urlencoded")
      ? { text: formText(encoded), contentType: spec.mediaType }
      : { text: JSON.stringify(encoded), contentType: spec.mediaType })
}
