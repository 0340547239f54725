/**
 * The command line's failures and their exit codes: every failure becomes one readable line on stderr
 * and an exit code per kind. No message here is built from a credential: the package's errors never
 * carry one, and the command line never prints its options or its configuration.
 */
import { ValidationError } from "@effect/cli"
import type { HttpServerError } from "@effect/platform"
import { type ConfigError, Data, Predicate } from "effect"
import { type ConversationError, isConversationError } from "../Errors.js"

/** A `--body` that could not be read, is not JSON, or is not a JSON object. */
export class BodyError extends Data.TaggedError("BodyError")<{ readonly reason: string }> {
  override get message(): string {
    return `invalid --body: ${this.reason}`
  }
}

/**
 * The command line cannot be carried out as given: no credentials, a refused base URL, flags that do
 * not go together.
 */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/** Stdout was closed by its reader (`ultracart-conversation ... | head`): the command stops quietly. */
export class OutputClosed extends Data.TaggedError("OutputClosed")<Record<never, never>> {}

/** Everything a command can fail with. */
export type CliFailure =
  | ConversationError
  | BodyError
  | UsageError
  | OutputClosed
  | ValidationError.ValidationError
  | HttpServerError.ServeError

/** The exit codes, one per kind of failure (documented in the README and in `--help`). */
export const ExitCode = {
  /** The command succeeded. */
  ok: 0,
  /** A failure of no other kind: a bug, or a status UltraCart does not document. */
  unexpected: 1,
  /** The command line was wrong: an unknown command or flag, a bad value, a bad body, no credentials. */
  usage: 2,
  /** The credentials were refused (401), may not do this (403), or the application is disabled (410). */
  unauthorized: 3,
  /** UltraCart has no such object (404). */
  notFound: 4,
  /** Still rate limited (429) after the retries. */
  rateLimited: 5,
  /** UltraCart failed (5xx), could not be reached, or did not answer in time, after the retries. */
  unavailable: 6,
  /** UltraCart's answer could not be decoded. */
  decode: 7,
  /** Interrupted (Ctrl-C). */
  interrupted: 130
} as const

/** The exit codes with what each means, for `--help` and the README. */
export const exitCodeTable: ReadonlyArray<readonly [number, string]> = [
  [ExitCode.ok, "success"],
  [ExitCode.unexpected, "unexpected failure (a bug, or a status UltraCart does not document)"],
  [ExitCode.usage, "invalid usage: unknown command or flag, invalid argument or body (also a 400), no credentials"],
  [ExitCode.unauthorized, "unauthorized (401), forbidden (403) or application disabled (410)"],
  [ExitCode.notFound, "not found (404)"],
  [ExitCode.rateLimited, "rate limited (429) after retries"],
  [ExitCode.unavailable, "server error (5xx), unreachable or timed out, after retries"],
  [ExitCode.decode, "the answer could not be decoded"],
  [ExitCode.interrupted, "interrupted"]
]

const conversationExitCode = (error: ConversationError): number => {
  switch (error._tag) {
    case "InvalidInputError":
    case "BadRequestError":
      return ExitCode.usage
    case "UnauthorizedError":
    case "ForbiddenError":
    case "ApplicationDisabledError":
      return ExitCode.unauthorized
    case "NotFoundError":
      return ExitCode.notFound
    case "RateLimitError":
      return ExitCode.rateLimited
    case "ServerError":
    case "TransportError":
    case "TimeoutError":
      return ExitCode.unavailable
    case "DecodeError":
      return ExitCode.decode
    case "UnexpectedStatusError":
      return ExitCode.unexpected
  }
}

/** The exit code of a failure. */
export const exitCodeOf = (failure: CliFailure): number => {
  if (ValidationError.isValidationError(failure)) return ExitCode.usage
  if (isConversationError(failure)) return conversationExitCode(failure)
  switch (failure._tag) {
    case "BodyError":
    case "UsageError":
      return ExitCode.usage
    case "OutputClosed":
      return ExitCode.ok
    case "ServeError":
      return ExitCode.unexpected
  }
}

/** A message as one line: line breaks and the tree drawing of Schema's messages become single spaces. */
export const oneLine = (text: string): string => text.replace(/[└├│─]+/g, " ").replace(/\s+/g, " ").trim()

/**
 * The line to print on stderr for a failure, or `undefined` when `@effect/cli` already printed it (a
 * usage error, with its help).
 */
export const describeFailure = (failure: CliFailure): string | undefined => {
  if (ValidationError.isValidationError(failure)) return undefined
  if (isConversationError(failure)) {
    const hint = failure._tag === "UnauthorizedError" ? " (check ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN)" : ""
    return `error: ${oneLine(failure.message)}${hint}`
  }
  switch (failure._tag) {
    case "BodyError":
    case "UsageError":
      return `error: ${oneLine(failure.message)}`
    case "OutputClosed":
      return undefined
    case "ServeError":
      return "error: the embedded mock server could not start"
  }
}

/** The messages of a `ConfigError` (its leaves), as one line: what is missing or invalid, and where. */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const messages: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      default: {
        const where = e.path.length === 0 ? "" : `${e.path.join(".")}: `
        messages.push(`${where}${e.message}`)
      }
    }
  }
  walk(error)
  return [...new Set(messages)].join("; ")
}

/** A defect as one line: its message when it is an `Error`, without a stack. */
export const describeDefect = (defect: unknown): string =>
  `error: unexpected failure: ${Predicate.isError(defect) ? defect.message : String(defect)}`
