/**
 * The command line's terminal: writing to stdout and stderr, reading stdin, and whether each stream
 * wants colours (a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` forces them). `CliIO.layerNode`
 * binds it to the process; tests of the command line run the real process.
 */
import { Console, Context, Effect, Layer } from "effect"
import { text } from "node:stream/consumers"
import { BodyError, OutputClosed } from "./errors.js"

/** The streams of the command line. */
export interface CliIOShape {
  /** Whether stdout is a terminal that wants colours. */
  readonly stdoutColors: boolean
  /** Whether stderr is a terminal that wants colours. */
  readonly stderrColors: boolean
  /** The width of stdout when it is a terminal (tables are fitted to it); `undefined` otherwise. */
  readonly stdoutWidth: number | undefined
  /** Whether stderr is a terminal (a progress line is then redrawn in place). */
  readonly stderrIsTerminal: boolean
  /**
   * Writes text to stdout as it is (no newline added), once the stream has taken it; fails with
   * `OutputClosed` when the reader went away (`| head`).
   */
  readonly write: (text: string) => Effect.Effect<void, OutputClosed>
  /** Writes text to stderr as it is (a closed stderr is ignored: there is nowhere left to say so). */
  readonly writeError: (text: string) => Effect.Effect<void>
  /** All of stdin, as text. */
  readonly readStdin: Effect.Effect<string, BodyError>
}

/** The service tag of the command line's streams. */
export class CliIO extends Context.Tag("effect-ultracart-conversation/cli/CliIO")<CliIO, CliIOShape>() {
  /**
   * The process's own streams and environment. A stream's write errors (`EPIPE` once the reader is
   * gone) are taken by the writes, not left to crash the process.
   */
  static readonly layerNode: Layer.Layer<CliIO> = Layer.scoped(
    CliIO,
    Effect.gen(function*() {
      const ignore = () => {}
      yield* Effect.acquireRelease(
        Effect.sync(() => {
          process.stdout.on("error", ignore)
          process.stderr.on("error", ignore)
        }),
        () =>
          Effect.sync(() => {
            process.stdout.off("error", ignore)
            process.stderr.off("error", ignore)
          })
      )
      const wants = (stream: { readonly isTTY?: boolean }) => colorsWanted(stream.isTTY === true, process.env)
      const writeTo = (stream: NodeJS.WriteStream) => (chunk: string) =>
        Effect.async<void, OutputClosed>((resume) => {
          if (stream.destroyed || !stream.writable) return resume(Effect.fail(new OutputClosed()))
          stream.write(chunk, (error) => resume(error === null || error === undefined ? Effect.void : Effect.fail(new OutputClosed())))
        })
      return CliIO.of({
        stdoutColors: wants(process.stdout),
        stderrColors: wants(process.stderr),
        stdoutWidth: process.stdout.isTTY === true ? process.stdout.columns : undefined,
        stderrIsTerminal: process.stderr.isTTY === true,
        write: writeTo(process.stdout),
        writeError: (chunk) => Effect.ignore(writeTo(process.stderr)(chunk)),
        readStdin: Effect.tryPromise({
          try: () => text(process.stdin),
          catch: (error) => new BodyError({ reason: `standard input could not be read (${error instanceof Error ? error.message : "unknown"})` })
        })
      })
    })
  )
}

/** Colours for a stream: never with `NO_COLOR`, always with `FORCE_COLOR` (not `0`), else on a terminal. */
export const colorsWanted = (isTerminal: boolean, env: Readonly<Record<string, string | undefined>>): boolean => {
  if ((env["NO_COLOR"] ?? "") !== "") return false
  const force = env["FORCE_COLOR"]
  if (force !== undefined && force !== "" && force !== "0") return true
  return isTerminal
}

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g

/** Text without ANSI escape sequences. */
export const stripAnsi = (text: string): string => text.replace(ansi, "")

const stripped = (args: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
  args.map((arg) => (typeof arg === "string" ? stripAnsi(arg) : arg))

/**
 * A usage error as `@effect/cli` writes it (a help document, possibly over several lines) as one line:
 * `error: <what>` and where to look.
 */
export const usageLine = (args: ReadonlyArray<unknown>): string => {
  const text = stripAnsi(args.map((arg) => (typeof arg === "string" ? arg : String(arg))).join(" ")).replace(/\s+/g, " ").trim()
  return `error: ${text} (see --help)`
}

/**
 * Runs `effect` with a `Console` fit for the command line: `log` (stdout) drops colours for a stream
 * that wants none (`@effect/cli` writes its help in colour whatever the stream), and `error` (stderr),
 * which `@effect/cli` uses for its usage errors only, writes each as one line.
 */
export const withCliConsole = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  colors: { readonly stdout: boolean }
): Effect.Effect<A, E, R> =>
  Console.consoleWith((base) =>
    Effect.withConsole(effect, {
      ...base,
      log: (...args) => (colors.stdout ? base.log(...args) : base.log(...stripped(args))),
      error: (...args) => base.error(usageLine(args))
    })
  )
