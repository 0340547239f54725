/**
 * A call's input from what the command line parsed: the body from `--body FILE` or `--body -` (stdin)
 * with its field flags on top, the options of the flags that were given, and for `--all` the options of
 * the operation's stream. Bad JSON is a `BodyError`; the shape of the body, the values of the options
 * and the path arguments are checked by the client itself (`InvalidInputError`) before anything is sent.
 */
import { FileSystem } from "@effect/platform"
import { Effect, Option, Predicate } from "effect"
import { BodyError, UsageError } from "./errors.js"
import type { ParsedInput, Value } from "./input.js"
import { CliIO } from "./io.js"

const describeJsonError = (error: unknown): string => (error instanceof Error ? error.message : "unreadable")

/** The text of `--body`: a file, or standard input for `-`. */
const bodyText = (source: string): Effect.Effect<string, BodyError, CliIO | FileSystem.FileSystem> =>
  source === "-"
    ? Effect.flatMap(CliIO, (io) => io.readStdin)
    : Effect.flatMap(FileSystem.FileSystem, (fs) =>
      Effect.mapError(fs.readFileString(source), (error) =>
        new BodyError({ reason: `${source} could not be read (${error._tag === "SystemError" && error.reason === "NotFound" ? "no such file" : error.message})` })))

/** `--body` parsed as JSON, or `BodyError` saying where and why it is not JSON. */
const bodyJson = (source: string): Effect.Effect<unknown, BodyError, CliIO | FileSystem.FileSystem> =>
  Effect.flatMap(bodyText(source), (text) =>
    Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) =>
        new BodyError({ reason: `${source === "-" ? "standard input" : source} is not JSON (${describeJsonError(error)})` })
    }))

/** The given values of a record of flags, or `undefined` when none was given. */
const given = (flags: Readonly<Record<string, Option.Option<Value>>>): Record<string, Value> | undefined => {
  const out: Record<string, Value> = {}
  for (const [key, value] of Object.entries(flags)) if (Option.isSome(value)) out[key] = value.value
  return Object.keys(out).length === 0 ? undefined : out
}

/**
 * The body of a call: `--body`'s JSON with the field flags set on it, the field flags alone, or
 * `undefined` when neither was given.
 */
export const bodyOf = (input: ParsedInput): Effect.Effect<unknown, BodyError, CliIO | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fields = given(input.fields)
    if (Option.isNone(input.body)) return fields
    const base = yield* bodyJson(input.body.value)
    if (fields === undefined) return base
    if (!Predicate.isRecord(base) || Array.isArray(base)) {
      return yield* new BodyError({ reason: "field flags can only be added to a JSON object" })
    }
    return { ...base, ...fields }
  })

/** The options of a call: the query flags that were given. */
export const optionsOf = (input: ParsedInput): Readonly<Record<string, Value>> | undefined => given(input.query)

/**
 * The options of a paged operation's stream for `--all`: `--limit` is the page size (`pageSize`); an
 * offset makes no sense when every page is fetched.
 */
export const streamOptionsOf = (input: ParsedInput): Effect.Effect<Readonly<Record<string, Value>>, UsageError> => {
  const { limit, offset, ...rest } = given(input.query) ?? {}
  if (offset !== undefined) return Effect.fail(new UsageError({ reason: "--all fetches every page from the first: leave out --offset" }))
  return Effect.succeed(limit === undefined ? rest : { ...rest, pageSize: limit })
}
