/**
 * The `ultracart-conversation` executable (package.json `bin`, through bin/ultracart-conversation.js):
 * runs the command line on the process's arguments and exits with its exit code. The only place the
 * command line's Effect is run.
 */
// The modules, not the package's index: the index loads every Node platform module (cluster, workers, ...).
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Exit } from "effect"
import { ExitCode } from "./errors.js"
import { CliIO } from "./io.js"
import { runCli } from "./program.js"

const main = runCli(process.argv).pipe(
  // The exit code is set, not forced: the process ends once stdout and stderr are flushed.
  Effect.flatMap((code) => Effect.sync(() => {
    process.exitCode = code
  })),
  Effect.provide(CliIO.layerNode),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(Exit.isInterrupted(exit) ? ExitCode.interrupted : Exit.isFailure(exit) ? ExitCode.unexpected : 0)
})
