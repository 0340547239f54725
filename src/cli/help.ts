/**
 * The help of the root and of each group (`ultracart-conversation pbx --help`): its commands and groups
 * one line each, the common flags, the environment and the exit codes. `@effect/cli` would list every
 * command of the tree below a group with its full usage; a command's own help (`conversations list
 * --help`: arguments, flags, description) stays `@effect/cli`'s.
 */
import { commands, groups } from "../generated/cli.js"
import { type OperationId, operationList, operations } from "../generated/operations.js"
import type { OperationSpec } from "../internal/operation.js"
import { exitCodeTable } from "./errors.js"
import { connectionFlagDocs, inputOf, outputFlagDocs } from "./input.js"
import { bold, twoColumns } from "./render.js"
import type { CommandSpec } from "./spec.js"

/** The environment variables the command line reads, and what for. */
export const environmentTable: ReadonlyArray<readonly [string, string]> = [
  ["ULTRACART_API_KEY", "UltraCart simple API key (or ULTRACART_OAUTH_TOKEN: one of them, not both)"],
  ["ULTRACART_OAUTH_TOKEN", "OAuth bearer token"],
  ["ULTRACART_BASE_URL", "base URL (default https://secure.ultracart.com/rest/v2); --base-url overrides it"],
  ["NO_COLOR", "no colours (colours are only used when the output is a terminal)"]
]

/** The flags every command takes. */
const flagTable: ReadonlyArray<readonly [string, string]> = [
  ["--mock", "run against the embedded mock server with its default seed (no account, no network)"],
  ["--base-url URL", "UltraCart's base URL, over ULTRACART_BASE_URL"],
  ["--json", "print the decoded answer as JSON instead of a table or view"],
  ["--all", "(paged commands) fetch every page, with a progress line on stderr"],
  ["--body FILE|-", "(commands with a body) the JSON body from a file or stdin; its fields also as flags"],
  ["-h, --help", "this help; after a command, the command's arguments and flags"],
  ["--help --all", "this help and the help of every command below it (a manual)"],
  ["--version", "the version"],
  ["--completions SHELL", "a completion script for bash, zsh or fish"]
]

/** What a command line asks help for: a group, an operation's command, or nothing we answer. */
export type HelpTarget =
  | { readonly _tag: "Group"; readonly path: ReadonlyArray<string>; readonly all: boolean }
  | { readonly _tag: "Command"; readonly id: OperationId }
  | { readonly _tag: "Other" }

const commandAt = (path: ReadonlyArray<string>): OperationId | undefined =>
  operationList.find((o) => {
    const own = commands[o.id].path
    return own.length === path.length && own.every((w, i) => path[i] === w)
  })?.id

const isGroup = (path: ReadonlyArray<string>): boolean =>
  path.length === 0 || groups.some((g) => g.path.length === path.length && g.path.every((w, i) => path[i] === w))

/** Flags of the root that take a value (so that the value is not read as a command). */
const valued: ReadonlySet<string> = new Set(["--base-url", "--log-level"])

/**
 * What a command line asks help for. Words naming a group (none: the root) followed by nothing but
 * flags, `--help` / `-h` among them or none but `--mock` / `--base-url`: that group (with `--all`, the
 * help of every command in it too). Words naming a command, with `--help` / `-h` anywhere: that command. Anything else (running a command, `--version`,
 * `--completions`, an unknown word) is `@effect/cli`'s.
 */
export const helpTarget = (args: ReadonlyArray<string>): HelpTarget => {
  const asksHelp = args.includes("--help") || args.includes("-h")
  const path: Array<string> = []
  const flags: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ""
    if (arg.startsWith("-")) {
      flags.push(arg.split("=")[0] ?? arg)
      if (valued.has(arg)) i++
      continue
    }
    const id = commandAt([...path, arg])
    if (id !== undefined) return asksHelp ? { _tag: "Command", id } : { _tag: "Other" }
    if (!isGroup([...path, arg])) return { _tag: "Other" }
    path.push(arg)
  }
  const onlyConnection = flags.every((f) => f === "--mock" || f === "--base-url")
  return asksHelp || onlyConnection ? { _tag: "Group", path, all: asksHelp && flags.includes("--all") } : { _tag: "Other" }
}

const summaries: ReadonlyMap<string, string> = new Map(operationList.map((o) => [o.id, o.summary]))

/** The lines of a group's listing: its subgroups and its commands, with their arguments. */
const entries = (path: ReadonlyArray<string>): ReadonlyArray<readonly [string, string]> => {
  const depth = path.length
  const inside = (p: ReadonlyArray<string>) => p.length === depth + 1 && path.every((w, i) => p[i] === w)
  const subgroups = groups.filter((g) => inside(g.path)).map((g): readonly [string, string] => [
    `${g.path[depth] ?? ""} …`,
    g.description
  ])
  const own = Object.entries(commands).filter(([, c]) => inside(c.path)).map(([id, c]): readonly [string, string] => [
    [c.path[depth] ?? "", ...c.args.map((a) => `<${a}>`)].join(" "),
    summaries.get(id) ?? id
  ])
  return [...subgroups, ...own]
}

const section = (title: string, body: string, colors: boolean): string => `${bold(title, colors)}\n${body}`

const trailer = (colors: boolean): ReadonlyArray<string> => [
  section("ENVIRONMENT", twoColumns(environmentTable, 2), colors),
  section("EXIT CODES", twoColumns(exitCodeTable.map(([code, meaning]) => [String(code), meaning]), 2), colors)
]

const retryText: Record<OperationSpec["retry"], string> = {
  read: "retried after network failures, timeouts, 429 and 5xx",
  "idempotent-write": "retried after network failures, timeouts, 429 and 5xx (sending it twice changes nothing)",
  creates: "never sent twice: retried only after a 429 or a refused connection"
}

const sentence = (text: string): string => (/[.!?)]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

/** What a command does, paragraph by paragraph: description, request and retries, body, paging. */
export const aboutOperation = (operation: OperationSpec, command: CommandSpec): ReadonlyArray<string> => {
  const paragraphs = [
    operation.description !== undefined && operation.description !== operation.summary ? sentence(operation.description) : undefined,
    `UltraCart: ${operation.method} ${operation.path} (${operation.id}); ${retryText[operation.retry]}.`,
    command.bodyModel === undefined
      ? undefined
      : `Body: a ${command.bodyModel} object from --body FILE or --body - (stdin)${command.bodyFields.length > 0 ? ", or its fields as flags" : ""}${operation.body?.required === true ? "" : "; optional"}.`,
    operation.paging === undefined ? undefined : "Paged: --all fetches every page.",
    operation.unverified ? "Unverified: UltraCart's method and path are confirmed; the parameters come from an older SDK." : undefined
  ]
  return paragraphs.flatMap((p) => (p === undefined ? [] : [p]))
}

/** The help text of an operation's command: usage, description, arguments and flags. */
export const commandHelp = (
  id: OperationId,
  program: { readonly name: string },
  colors: boolean,
  withTrailer = true
): string => {
  const operation: OperationSpec = operations[id]
  const command: CommandSpec = commands[id]
  const input = inputOf(operation, command)
  const here = [program.name, ...command.path].join(" ")
  const flags = [...input.flagDocs, ...outputFlagDocs(operation.paging !== undefined), ...connectionFlagDocs]
    .map((f): readonly [string, string] => [f.usage, f.description])
  return [
    `${here} -- ${sentence(operation.summary)}`,
    section("USAGE", `  $ ${[here, ...input.arguments.map((a) => a.usage)].join(" ")} [flags]`, colors),
    section("DESCRIPTION", aboutOperation(operation, command).map((p) => `  ${p}`).join("\n"), colors),
    ...(input.arguments.length === 0
      ? []
      : [section("ARGUMENTS", twoColumns(input.arguments.map((a) => [a.usage, a.description]), 2), colors)]),
    section("FLAGS", twoColumns([...flags, ["-h, --help", "this help"]], 2), colors),
    ...(withTrailer ? trailer(colors) : [])
  ].join("\n\n") + "\n"
}

/** The help text of a group (`[]` for the root). */
export const groupHelp = (
  path: ReadonlyArray<string>,
  program: { readonly name: string; readonly version: string },
  colors: boolean,
  all = false
): string => {
  const here = [program.name, ...path].join(" ")
  const description = groups.find((g) => g.path.join(" ") === path.join(" "))?.description
  const intro = path.length === 0
    ? `${program.name} ${program.version} -- every operation of UltraCart's Conversation API as a command`
    : `${here} -- ${description ?? ""}`
  return [
    intro,
    section("USAGE", `  $ ${program.name} [--mock] [--base-url URL] ${path.length === 0 ? "<group> " : `${path.join(" ")} `}<command> [arguments] [flags]`, colors),
    section("COMMANDS", twoColumns(entries(path), 2), colors),
    `Run \`${here} <command> --help\` for a command's arguments and flags.`,
    section("FLAGS", twoColumns(flagTable, 2), colors),
    ...(all ? manual(path, program, colors) : []),
    ...trailer(colors)
  ].join("\n\n") + "\n"
}

/** The help of every command below `path`, in the operation table's order, each under a rule. */
const manual = (path: ReadonlyArray<string>, program: { readonly name: string }, colors: boolean): ReadonlyArray<string> =>
  operationList
    .filter((o) => path.every((w, i) => commands[o.id].path[i] === w))
    .map((o) => `${"─".repeat(72)}\n${commandHelp(o.id, program, colors, false).trimEnd()}`)
