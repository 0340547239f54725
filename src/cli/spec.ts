/**
 * The shape of one row of the command line's generated table (`src/generated/cli.ts`): the names of an
 * operation's command, arguments and flags, and how its answer is shown. The command line reads these
 * rows next to the operation table; it knows no operation by name.
 */

/** A query parameter's flag: `options.dateStart` is given as `--date-start`. */
export interface QueryFlagSpec {
  /** The key in the operation's `options` (camelCase, as in the operation table). */
  readonly key: string
  /** The flag, without its dashes. */
  readonly flag: string
}

/** A scalar field of the request body that can be given as a flag (`--short-code hi`). */
export interface BodyFieldSpec {
  /** The wire name of the field, e.g. `short_code`. */
  readonly field: string
  /** The flag, without its dashes; `body-<name>` where the plain name is taken by another flag. */
  readonly flag: string
  readonly type: "string" | "integer" | "number" | "boolean"
  /** The values the description lists (an open enum: others are still sent). */
  readonly values?: ReadonlyArray<string> | undefined
  readonly description?: string | undefined
}

/** The columns of a table: wire field names, in order. */
export type Columns = ReadonlyArray<string>

/** How an answer is shown to a person (`--json` always prints the decoded answer as it is). */
export type ViewSpec =
  /** No body: the command prints a short confirmation. */
  | { readonly kind: "none" }
  /** A list: a table of `answer[field]`, then the answer's other fields, if any. */
  | { readonly kind: "list"; readonly field: string; readonly columns: Columns }
  /**
   * One object: `answer[field]` (or the whole answer without its envelope when `field` is absent) as
   * aligned `name  value` lines; its lists of objects as tables.
   */
  | {
    readonly kind: "object"
    readonly field?: string | undefined
    readonly tables: Readonly<Record<string, Columns>>
  }

/** The command of one operation. */
export interface CommandSpec {
  /** The group words and the command's own name: `["pbx", "agents", "list"]`. */
  readonly path: ReadonlyArray<string>
  /** The names of its arguments, one per path parameter in path order (kebab-case). */
  readonly args: ReadonlyArray<string>
  /** One flag per query parameter, in the operation table's order. */
  readonly options: ReadonlyArray<QueryFlagSpec>
  /** The model of the request body, for `--body`; absent when the operation takes none. */
  readonly bodyModel?: string | undefined
  readonly bodyFields: ReadonlyArray<BodyFieldSpec>
  readonly view: ViewSpec
}

/** A group of commands (`pbx`, `pbx agents`): its words and a one-line description for `--help`. */
export interface GroupSpec {
  readonly path: ReadonlyArray<string>
  readonly description: string
}
