/**
 * What a command does once parsed: builds the call's input (nothing is sent when it is invalid),
 * connects as the connection flags say, calls the operation (or, with `--all`, pages through it with a
 * progress line on stderr) and prints the answer: `--json`, or the view of the command's table.
 */
import type { FileSystem, HttpServerError } from "@effect/platform"
import { Chunk, Effect, Either, ParseResult, Predicate, Schema, Stream } from "effect"
import { type ConversationError, InvalidInputError, isConversationError } from "../Errors.js"
import type { OperationSpec } from "../internal/operation.js"
import type { BodyError, OutputClosed, UsageError } from "./errors.js"
import type { CommonFlags, ParsedInput } from "./input.js"
import { CliIO, type CliIOShape } from "./io.js"
import { type CallInput, Operations } from "./Operations.js"
import { humanView, jsonView, listView, type Look } from "./render.js"
import { bodyOf, optionsOf, streamOptionsOf } from "./request.js"
import type { CommandSpec } from "./spec.js"
import { operationsLayer } from "./target.js"

/** What running a command can fail with. */
export type RunFailure = ConversationError | BodyError | UsageError | OutputClosed | HttpServerError.ServeError

const lookOf = (io: CliIOShape): Look => ({ colors: io.stdoutColors, width: io.stdoutWidth })

/** The answer of one call, printed. */
const callOnce = (operation: OperationSpec, command: CommandSpec, input: CallInput, json: boolean) =>
  Effect.gen(function*() {
    const io = yield* CliIO
    const answer = yield* Effect.flatMap(Operations, (operations) => operations.call(operation, input))
    const shown = json ? jsonView(answer) : humanView(command.view, answer, operation.summary, lookOf(io))
    yield* io.write(`${shown}\n`)
  })

interface PageState {
  readonly pages: number
  readonly count: number
  /** The items so far, kept for the table (not with `--json`, which writes each page as it comes). */
  readonly items: Chunk.Chunk<unknown>
}

/**
 * Every page of a paged operation: a progress line on stderr per page (redrawn in place on a terminal),
 * then a table of all the items, or with `--json` a JSON array written page by page.
 */
const pageThrough = (operation: OperationSpec, command: CommandSpec, input: CallInput, json: boolean) =>
  Effect.gen(function*() {
    const io = yield* CliIO
    const operations = yield* Operations
    const label = (operation.paging?.items ?? "items").replace(/_/g, " ")
    const progress = (line: string, last: boolean) =>
      io.stderrIsTerminal ? io.writeError(`\r\u001b[2K${line}${last ? "\n" : ""}`) : io.writeError(`${line}\n`)
    const onPage = (state: PageState, chunk: Chunk.Chunk<unknown>): Effect.Effect<PageState, OutputClosed> => {
      const page = Chunk.toReadonlyArray(chunk)
      const next: PageState = {
        pages: state.pages + 1,
        count: state.count + page.length,
        items: json ? state.items : Chunk.appendAll(state.items, chunk)
      }
      const lines = page.map((item) => `  ${JSON.stringify(item)}`).join(",\n")
      const written = json && page.length > 0 ? io.write(`${state.count === 0 ? "[\n" : ",\n"}${lines}`) : Effect.void
      return Effect.zipRight(written, Effect.as(progress(`page ${next.pages}: ${next.count} ${label} so far (+${page.length})`, false), next))
    }
    const initial: PageState = { pages: 0, count: 0, items: Chunk.empty() }
    const final = yield* operations.stream(operation, input).pipe(Stream.chunks, Stream.runFoldEffect(initial, onPage))
    yield* progress(`fetched ${final.count} ${label} in ${final.pages} page${final.pages === 1 ? "" : "s"}`, true)
    if (json) {
      yield* io.write(final.count === 0 ? "[]\n" : "\n]\n")
    } else {
      const field = operation.paging?.items ?? ""
      const columns = command.view.kind === "list" ? command.view.columns : []
      yield* io.write(`${listView({ [field]: Chunk.toReadonlyArray(final.items) }, field, columns, lookOf(io))}\n`)
    }
  })

const bodyDecodeOptions = { errors: "first", onExcessProperty: "preserve" } as const

/**
 * A refused body, said in one line: the client checks the body against its model and reports Schema's
 * tree; the first issue with its path (`participant_language_iso_code: Expected string, actual 5`) reads
 * better on a command line. The check itself stays the client's.
 */
const conciseBodyError = (operation: OperationSpec, body: unknown) => (error: ConversationError): ConversationError => {
  const spec = operation.body
  if (error._tag !== "InvalidInputError" || spec === undefined || error.argument !== spec.argument) return error
  if (!Predicate.isRecord(body) || Array.isArray(body)) return error
  const decoded = Schema.decodeUnknownEither(spec.schema, bodyDecodeOptions)(body)
  if (Either.isRight(decoded)) return error
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
  if (issue === undefined) return error
  const where = issue.path.length === 0 ? "" : `${issue.path.map(String).join(".")}: `
  return new InvalidInputError({ operation: error.operation, argument: error.argument, reason: `${where}${issue.message}` })
}

/** Runs an operation's command with what the command line gave. */
export const runCommand = (
  operation: OperationSpec,
  command: CommandSpec,
  input: ParsedInput,
  flags: CommonFlags
): Effect.Effect<void, RunFailure, CliIO | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const body = yield* bodyOf(input)
    const all = flags.all && operation.paging !== undefined
    const options = all ? yield* streamOptionsOf(input) : optionsOf(input)
    const call: CallInput = { path: input.path, body, options }
    const run = all ? pageThrough(operation, command, call, flags.json) : callOnce(operation, command, call, flags.json)
    yield* Effect.provide(run, operationsLayer({ mock: flags.mock, baseUrl: flags.baseUrl })).pipe(
      Effect.mapError((error) => (isConversationError(error) ? conciseBodyError(operation, body)(error) : error))
    )
  })
