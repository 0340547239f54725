/**
 * The command tree, built from the operation table and the command line's table (`src/generated/cli.ts`):
 * one command per operation under its groups (`pbx agents list`), each with the arguments and flags of
 * its row and help from the description. No command is written per operation.
 */
import { Command, HelpDoc } from "@effect/cli"
import { Array as Arr, Effect, Option } from "effect"
import { commands, groups } from "../generated/cli.js"
import { type Operation, operationList } from "../generated/operations.js"
import { connectionFlags, inputOf, outputFlags } from "./input.js"
import { aboutOperation } from "./help.js"
import { runCommand } from "./run.js"
import type { CommandSpec } from "./spec.js"

/** The program's name, as installed by `bin` and shown in help. */
export const programName = "ultracart-conversation"

/** The root command: the connection flags that may come before any command. */
export const rootCommand = Command.make(programName, { connection: connectionFlags })

/** The command of one operation. */
const leafCommand = (operation: Operation) => {
  const command: CommandSpec = commands[operation.id]
  const input = inputOf(operation, command)
  const name = command.path[command.path.length - 1] ?? operation.id
  return Command.make(
    name,
    { path: input.path, flags: input.flags, output: outputFlags(operation.paging !== undefined), connection: connectionFlags },
    (parsed) =>
      Effect.flatMap(rootCommand, (root) =>
        runCommand(operation, command, { path: parsed.path, ...parsed.flags }, {
          json: parsed.output.json,
          all: parsed.output.all,
          mock: parsed.connection.mock || root.connection.mock,
          baseUrl: Option.orElse(parsed.connection.baseUrl, () => root.connection.baseUrl)
        }))
  ).pipe(Command.withDescription(
    HelpDoc.blocks([operation.summary, ...aboutOperation(operation, command)].map((p) => HelpDoc.p(p)))
  ))
}

type Leaf = ReturnType<typeof leafCommand>

const descriptionOf = (path: ReadonlyArray<string>): string =>
  groups.find((g) => g.path.join(" ") === path.join(" "))?.description ?? path.join(" ")

const under = (path: ReadonlyArray<string>, depth: number) => (entry: { readonly path: ReadonlyArray<string> }) =>
  entry.path.length === depth + 1 && path.every((word, i) => entry.path[i] === word)

const group = (path: ReadonlyArray<string>) =>
  Command.make(path[path.length - 1] ?? "").pipe(Command.withDescription(descriptionOf(path)))

/** A group two words deep (`pbx agents`): operations' commands only. */
const innerGroup = (path: ReadonlyArray<string>, children: Arr.NonEmptyReadonlyArray<Leaf>) =>
  Command.withSubcommands(group(path), children)

type InnerGroup = ReturnType<typeof innerGroup>

/** A group one word deep (`pbx`, `conversations`): operations' commands and inner groups. */
const outerGroup = (path: ReadonlyArray<string>, children: Arr.NonEmptyReadonlyArray<Leaf | InnerGroup>) =>
  Command.withSubcommands(group(path), children)

const nonEmpty = <A>(path: ReadonlyArray<string>, children: ReadonlyArray<A>) =>
  Arr.isNonEmptyReadonlyArray(children)
    ? Effect.succeed(children)
    : Effect.dieMessage(`the command group "${path.join(" ")}" has no command`)

/**
 * The whole tree: the root, its groups (at most two words deep, as the naming rule makes them) and a
 * command per operation. A group without commands is a bug of the generator (a defect).
 */
export const commandTree = Effect.gen(function*() {
  const leaves = operationList.map((operation) => ({ path: commands[operation.id].path, command: leafCommand(operation) }))
  const leavesUnder = (path: ReadonlyArray<string>): ReadonlyArray<Leaf> =>
    leaves.filter(under(path, path.length)).map((leaf) => leaf.command)
  const inner = yield* Effect.forEach(groups.filter((g) => g.path.length === 2), (g) =>
    Effect.map(nonEmpty(g.path, leavesUnder(g.path)), (children) => ({ path: g.path, command: innerGroup(g.path, children) })))
  const outer = yield* Effect.forEach(groups.filter((g) => g.path.length === 1), (g) => {
    const children: ReadonlyArray<Leaf | InnerGroup> = [...leavesUnder(g.path), ...inner.filter(under(g.path, 1)).map((i) => i.command)]
    return Effect.map(nonEmpty(g.path, children), (list) => outerGroup(g.path, list))
  })
  return Command.withSubcommands(rootCommand, yield* nonEmpty([programName], outer))
})
