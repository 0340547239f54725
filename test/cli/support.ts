/**
 * Runs the real `ultracart-conversation` executable (bin/ultracart-conversation.js, as npm links it) in a
 * child process: the current source (bundled by the launcher), whatever dist/ holds, with credentials
 * only from the environment given here (nothing of the test process's own `ULTRACART_*` leaks in); or
 * the same command line in this process, where a child process would add nothing but time.
 */
import type { CliApp } from "@effect/cli"
import { Command as PlatformCommand, type CommandExecutor } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Chunk, ConfigProvider, Console, Effect, Ref, Stream } from "effect"
import * as path from "node:path"
import { CliIO } from "../../src/cli/io.js"
import { runCli } from "../../src/cli/program.js"
import type { MockServerShape } from "../../src/testing/index.js"

const root = path.resolve(import.meta.dirname, "../..")

/** The executable, as package.json's `bin` names it. */
export const binPath = path.join(root, "bin", "ultracart-conversation.js")

/** A key no output may ever show: long and recognisable. */
export const secretKey = "uc-cli-SECRET-7f3a9c21e4b8d605-key"

/** What a run printed and how it ended. */
export interface BinResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** How a run is started. */
export interface RunOptions {
  /** Environment variables on top of a clean one (`PATH`, `HOME`, the source switch). */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** Text fed to standard input (closed after it). */
  readonly stdin?: string | undefined
}

/** The environment of every run: no `ULTRACART_*` or colour settings from the test process. */
const cleanEnvironment = (): Record<string, string> => {
  const kept: Record<string, string> = { ULTRACART_CLI_FROM_SOURCE: "1" }
  for (const name of ["PATH", "HOME", "TMPDIR", "SYSTEMROOT"]) {
    const value = process.env[name]
    if (value !== undefined) kept[name] = value
  }
  return kept
}

const text = (stream: Stream.Stream<Uint8Array, PlatformError>) =>
  Effect.map(Stream.runCollect(Stream.decodeText(stream)), (chunks) => Chunk.join(chunks, ""))

/** Runs the executable with `args` and collects stdout, stderr and the exit code. */
export const runBin = (
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): Effect.Effect<BinResult, PlatformError, CommandExecutor.CommandExecutor> =>
  Effect.scoped(Effect.gen(function*() {
    const base = PlatformCommand.make(process.execPath, binPath, ...args).pipe(
      PlatformCommand.env({ ...cleanEnvironment(), ...options.env }, { extendEnv: false }),
      PlatformCommand.workingDirectory(root)
    )
    const command = options.stdin === undefined ? base : PlatformCommand.feed(base, options.stdin)
    const child = yield* PlatformCommand.start(command)
    const [stdout, stderr, code] = yield* Effect.all([text(child.stdout), text(child.stderr), child.exitCode], {
      concurrency: "unbounded"
    })
    return { code, stdout, stderr }
  }))

/** Runs a command against `server` (`--base-url` and the secret key in the environment). */
export const runAgainst = (
  server: MockServerShape,
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): Effect.Effect<BinResult, PlatformError, CommandExecutor.CommandExecutor> =>
  runBin([...args, "--base-url", server.baseUrl], { ...options, env: { ULTRACART_API_KEY: secretKey, ...options.env } })

/** The lines of a text without trailing blanks. */
export const linesOf = (text: string): ReadonlyArray<string> => text.split("\n").map((line) => line.trimEnd())

/** Whether a text holds an ANSI escape sequence (colour). */
export const hasAnsi = (text: string): boolean => text.includes("\u001b[")

/**
 * Runs the command line in this process (`runCli`, what bin/ runs) with its streams captured and the
 * environment given as a `ConfigProvider`: for the many cases where a child process adds nothing.
 */
export const runInProcess = (
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): Effect.Effect<BinResult, never, CliApp.CliApp.Environment> =>
  Effect.gen(function*() {
    const stdout = yield* Ref.make("")
    const stderr = yield* Ref.make("")
    const io = CliIO.of({
      stdoutColors: false,
      stderrColors: false,
      stdoutWidth: undefined,
      stderrIsTerminal: false,
      write: (text) => Ref.update(stdout, (s) => s + text),
      writeError: (text) => Ref.update(stderr, (s) => s + text),
      readStdin: Effect.succeed(options.stdin ?? "")
    })
    const environment = ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))
    // @effect/cli writes usage errors and its own output through the Console: captured too.
    const code = yield* Console.consoleWith((base) =>
      runCli(["node", "ultracart-conversation", ...args]).pipe(
        Effect.provideService(CliIO, io),
        Effect.withConfigProvider(environment),
        Effect.withConsole({
          ...base,
          log: (...parts) => Ref.update(stdout, (s) => `${s}${parts.join(" ")}\n`),
          error: (...parts) => Ref.update(stderr, (s) => `${s}${parts.join(" ")}\n`)
        })
      )
    )
    return { code, stdout: yield* Ref.get(stdout), stderr: yield* Ref.get(stderr) }
  })

/** Like `runAgainst`, in this process. */
export const runInProcessAgainst = (
  server: MockServerShape,
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): Effect.Effect<BinResult, never, CliApp.CliApp.Environment> =>
  runInProcess([...args, "--base-url", server.baseUrl], { ...options, env: { ULTRACART_API_KEY: secretKey, ...options.env } })
