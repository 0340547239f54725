/**
 * The command line as one Effect: answers help itself (help.ts), parses every other command line with
 * `@effect/cli` over the command tree, runs the command, and turns every failure into one line on
 * stderr and the exit code of its kind. It never prints its options or its configuration, so no
 * credential can reach an output.
 */
import { Command } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Cause, Effect, Either, Option, Schema } from "effect"
import { fileURLToPath } from "node:url"
import { commandTree, programName } from "./commands.js"
import { describeDefect, describeFailure, ExitCode, exitCodeOf } from "./errors.js"
import { commandHelp, groupHelp, helpTarget } from "./help.js"
import { CliIO, withCliConsole } from "./io.js"

const PackageJson = Schema.parseJson(Schema.Struct({ name: Schema.String, version: Schema.String }))
const packageName = "effect-ultracart-conversation"

/**
 * The package's version, from the nearest package.json of this package above this module (two levels
 * up from src/cli/ and dist/cli/, more from a bundle of the source under node_modules/.cache/).
 */
const packageVersion = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const candidates = [1, 2, 3, 4, 5].map((up) => fileURLToPath(new URL(`${"../".repeat(up)}package.json`, import.meta.url)))
  for (const candidate of candidates) {
    const text = yield* Effect.option(fs.readFileString(candidate))
    if (Option.isNone(text)) continue
    const found = Schema.decodeUnknownOption(PackageJson)(text.value)
    if (Option.isSome(found) && found.value.name === packageName) return found.value.version
  }
  return "unknown"
})

/**
 * Runs the command line on `argv` (as `process.argv`: runtime, script, then the arguments) and
 * succeeds with the exit code. Every failure is reported here; none escapes.
 */
export const runCli = (
  argv: ReadonlyArray<string>
): Effect.Effect<number, never, CliIO | CliApp.CliApp.Environment> =>
  Effect.gen(function*() {
    const io = yield* CliIO
    const version = yield* packageVersion
    const target = helpTarget(argv.slice(2))
    if (target._tag !== "Other") {
      const program = { name: programName, version }
      yield* io.write(
        target._tag === "Group"
          ? groupHelp(target.path, program, io.stdoutColors, target.all)
          : commandHelp(target.id, program, io.stdoutColors)
      )
      return ExitCode.ok
    }
    const tree = yield* commandTree
    const run = Command.run(tree, { name: programName, version, executable: programName })
    const outcome = yield* Effect.either(withCliConsole(run(argv), { stdout: io.stdoutColors }))
    if (Either.isRight(outcome)) return ExitCode.ok
    const line = describeFailure(outcome.left)
    if (line !== undefined) yield* io.writeError(`${line}\n`)
    return exitCodeOf(outcome.left)
  }).pipe(
    Effect.catchTag("OutputClosed", () => Effect.succeed(ExitCode.ok)),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.succeed(ExitCode.interrupted)
        : Effect.flatMap(CliIO, (io) =>
          Effect.as(
            io.writeError(`${describeDefect(Option.getOrUndefined(Cause.dieOption(cause)) ?? Cause.squash(cause))}\n`),
            ExitCode.unexpected
          ))
    )
  )
