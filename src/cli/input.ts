/**
 * An operation's arguments and flags as `@effect/cli` parsers, built from its row of the operation table
 * and of the command line's table: path parameters as arguments (integers where the description says
 * so), query parameters as flags of their type (integer, number, `true|false`, a choice of the enum's
 * values; required where the description says so), the body's scalar fields as flags, and `--body`.
 * What they parse is checked again, with everything else, by the client before anything is sent.
 */
import { Args, Options } from "@effect/cli"
import { Option } from "effect"
import type { OperationSpec, ParameterType, PathParameterSpec, QueryParameterSpec } from "../internal/operation.js"
import type { BodyFieldSpec, CommandSpec } from "./spec.js"

/** A parsed argument or flag value. */
export type Value = string | number | boolean

/** What the command line gave for one operation. */
export interface ParsedInput {
  /** One value per path parameter, in path order. */
  readonly path: ReadonlyArray<Value>
  /** Query flags by option key; `None` when not given. */
  readonly query: Readonly<Record<string, Option.Option<Value>>>
  /** Body fields by wire name; `None` when not given. */
  readonly fields: Readonly<Record<string, Option.Option<Value>>>
  /** `--body`: a file name, or `-` for standard input. */
  readonly body: Option.Option<string>
}

/** The flags every command has: output and connection. */
export interface CommonFlags {
  readonly json: boolean
  readonly all: boolean
  readonly mock: boolean
  readonly baseUrl: Option.Option<string>
}

const isWhole = (type: ParameterType): boolean => type === "int32" || type === "int64" || type === "integer"

const sentence = (text: string | undefined): string | undefined => {
  const trimmed = text?.replace(/\s+/g, " ").trim()
  if (trimmed === undefined || trimmed.length === 0) return undefined
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

const join = (...parts: ReadonlyArray<string | undefined>): string => parts.filter((p) => p !== undefined).join(" ")

const pathArg = (spec: PathParameterSpec, name: string): Args.Args<Value> => {
  const base: Args.Args<Value> = isWhole(spec.type)
    ? Args.integer({ name })
    : spec.type === "number"
    ? Args.float({ name })
    : spec.type === "boolean"
    ? Args.boolean({ name })
    : Args.text({ name })
  const described = argumentDescription(spec)
  return described.length === 0 ? base : Args.withDescription(base, described)
}

const range = (spec: QueryParameterSpec): string | undefined => {
  if (!isWhole(spec.type)) return undefined
  const { maximum, minimum } = spec
  if (minimum !== undefined && maximum !== undefined && maximum < 2147483647) return `A whole number from ${minimum} to ${maximum}.`
  if (minimum !== undefined && minimum >= 0) return `A whole number, at least ${minimum}.`
  return "A whole number."
}

const booleanChoice: ReadonlyArray<[string, boolean]> = [["true", true], ["false", false]]

/** One flag: its parser, and how its help shows it (`--limit N`) and describes it. */
export interface Flag<A> {
  readonly options: Options.Options<A>
  readonly usage: string
  readonly description: string
}

/** A flag of a query parameter or of a body field, by its type, with its value's placeholder. */
const typedFlag = (
  flag: string,
  type: ParameterType,
  values: ReadonlyArray<string> | undefined,
  closed: boolean
): { readonly options: Options.Options<Value>; readonly placeholder: string } => {
  if (type === "boolean") return { options: Options.choiceWithValue(flag, booleanChoice), placeholder: "true|false" }
  if (isWhole(type)) return { options: Options.integer(flag), placeholder: "N" }
  if (type === "number") return { options: Options.float(flag), placeholder: "NUMBER" }
  // A query enum is closed (the client refuses other values); a body enum is open (UltraCart may add values).
  const [first, ...rest] = values ?? []
  return closed && first !== undefined
    ? { options: Options.choice(flag, [first, ...rest]), placeholder: [first, ...rest].join("|") }
    : { options: Options.text(flag), placeholder: "TEXT" }
}

const queryFlag = (spec: QueryParameterSpec, flag: string): Flag<Option.Option<Value>> => {
  const sent = spec.name === spec.option ? undefined : `Sent as \`${spec.name}\`.`
  const values = spec.enum === undefined ? undefined : `One of: ${spec.enum.join(", ")}.`
  const what = sentence(spec.description) ?? (values === undefined ? `The \`${spec.name}\` query parameter.` : undefined)
  const description = join(what, values, range(spec), spec.required ? "Required." : undefined, sent)
  const typed = typedFlag(flag, spec.type, spec.enum, true)
  const described = Options.withDescription(typed.options, description)
  return {
    options: spec.required ? Options.map(described, Option.some) : Options.optional(described),
    usage: `--${flag} ${typed.placeholder}`,
    description
  }
}

const bodyFlag = (spec: BodyFieldSpec): Flag<Option.Option<Value>> => {
  const type: ParameterType = spec.type === "integer" ? "int64" : spec.type
  const values = spec.values === undefined ? undefined : `One of: ${spec.values.join(", ")}.`
  const description = join(sentence(spec.description), values, `Sets \`${spec.field}\` in the body.`)
  const typed = typedFlag(spec.flag, type, spec.values, false)
  return {
    options: Options.optional(Options.withDescription(typed.options, description)),
    usage: `--${spec.flag} ${typed.placeholder}`,
    description
  }
}

/** Flags by key (`Options.all` of an empty record is refused, hence the empty case). */
const record = <A>(entries: ReadonlyArray<readonly [string, Flag<A>]>): Options.Options<Readonly<Record<string, A>>> =>
  entries.length === 0
    ? Options.map(Options.none, () => ({}))
    : Options.all(Object.fromEntries(entries.map(([key, flag]) => [key, flag.options])))

/** An argument of a path parameter, for help: `<conversation-uuid>` and its description. */
export interface ArgumentDoc {
  readonly usage: string
  readonly description: string
}

/** An operation's arguments and flags: the parsers, and what its help shows of them. */
export interface OperationInput {
  readonly path: Args.Args<ReadonlyArray<Value>>
  readonly flags: Options.Options<Omit<ParsedInput, "path">>
  readonly arguments: ReadonlyArray<ArgumentDoc>
  readonly flagDocs: ReadonlyArray<Omit<Flag<unknown>, "options">>
}

const argumentDescription = (spec: PathParameterSpec): string =>
  join(
    sentence(spec.description),
    isWhole(spec.type) ? "A whole number." : undefined,
    spec.patternText === undefined ? undefined : `Must be ${spec.patternText}.`
  )

/** The arguments and flags of an operation's command. */
export const inputOf = (operation: OperationSpec, command: CommandSpec): OperationInput => {
  const names = operation.pathParams.map((p, i) => command.args[i] ?? p.argument)
  const path = Args.all(operation.pathParams.map((p, i) => pathArg(p, names[i] ?? p.argument)))
  const queryFlags = operation.query.map((q, i) => [q.option, queryFlag(q, command.options[i]?.flag ?? q.option)] as const)
  const fieldFlags = command.bodyFields.map((f) => [f.field, bodyFlag(f)] as const)
  const bodyDescription =
    `A JSON file with the body (a ${command.bodyModel ?? ""} object), or - to read it from standard input. Field flags override its fields.`
  const bodyFile: Flag<Option.Option<string>> | undefined = command.bodyModel === undefined ? undefined : {
    options: Options.optional(Options.withDescription(Options.text("body"), bodyDescription)),
    usage: "--body FILE|-",
    description: bodyDescription
  }
  return {
    path,
    flags: Options.all({
      query: record(queryFlags),
      fields: record(fieldFlags),
      body: bodyFile?.options ?? Options.map(Options.none, () => Option.none())
    }),
    arguments: operation.pathParams.map((p, i) => ({ usage: `<${names[i] ?? p.argument}>`, description: argumentDescription(p) })),
    flagDocs: [...queryFlags.map(([, f]) => f), ...(bodyFile === undefined ? [] : [bodyFile]), ...fieldFlags.map(([, f]) => f)]
  }
}

const allDescription = "Fetch every page (the page size is --limit, default 100), with a progress line on stderr."
const jsonDescription = "Print the decoded answer as JSON instead of a table or view."

/** `--json`, and `--all` for a paged operation: how the answer is printed. */
export const outputFlags = (paged: boolean): Options.Options<{ readonly json: boolean; readonly all: boolean }> =>
  Options.all({
    all: paged ? Options.withDescription(Options.boolean("all"), allDescription) : Options.map(Options.none, () => false),
    json: Options.withDescription(Options.boolean("json"), jsonDescription)
  })

/** How the help shows the output flags. */
export const outputFlagDocs = (paged: boolean): ReadonlyArray<Omit<Flag<unknown>, "options">> => [
  ...(paged ? [{ usage: "--all", description: allDescription }] : []),
  { usage: "--json", description: jsonDescription }
]

const baseUrlDescription = "UltraCart's base URL (default: ULTRACART_BASE_URL, else https://secure.ultracart.com/rest/v2)."
const mockDescription = "Run against the embedded mock server with its default seed: no account or network needed."

/** `--mock` and `--base-url`: where requests go (given before the command or after it). */
export const connectionFlags: Options.Options<{ readonly mock: boolean; readonly baseUrl: Option.Option<string> }> = Options
  .all({
    baseUrl: Options.optional(Options.withDescription(Options.text("base-url"), baseUrlDescription)),
    mock: Options.withDescription(Options.boolean("mock"), mockDescription)
  })

/** How the help shows the connection flags. */
export const connectionFlagDocs: ReadonlyArray<Omit<Flag<unknown>, "options">> = [
  { usage: "--mock", description: mockDescription },
  { usage: "--base-url URL", description: baseUrlDescription }
]
