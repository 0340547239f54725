/**
 * The command line's table (`src/generated/cli.ts`), read from the operation rows and the models: one
 * command per operation, named by the rule below, the flags of its query parameters and of its body's
 * scalar fields, and how its answer is shown (a table with columns chosen by the column rule, or a view
 * of one object). Nothing here names an operation; the few areas and models the rules name poorly are
 * in the override maps, each with its reason.
 *
 * The naming rule:
 * 1. Group: the area's segments in kebab-case (`pbx/phone_number` → `pbx phone-number`), the last one
 *    in the plural when the area has a collection (an operation without path parameters whose answer
 *    is a list): `pbx phone-numbers`, `agent profiles`, `canned-messages`. `areaOverrides` below.
 * 2. Noun: the last segment in the singular and PascalCase (`PhoneNumber`, plural `PhoneNumbers`).
 * 3. Command: the operation id split into words: a leading verb (`get`, `insert`, `update`, `delete`,
 *    `search`, `purchase`, `markRead` → `mark` `Read`, ...) and the rest. The first place the noun
 *    (plural or singular) appears splits the rest into `before` and `after`; `Conversation` and the
 *    group's parent words (`Pbx`, `Agent`) are dropped from both, as is a `For` just before the noun.
 *    - words after the noun name a part of it: `<verb>-<before>-<after>`, `get` left out
 *      (`getPbxAgentVoicemails` → `pbx agents voicemails`, `deletePbxQueueVoicemail` → `delete-voicemail`);
 *    - otherwise `get` becomes `list` when the answer is a list and stays `get` when it is one object,
 *      other verbs stay, and words before the noun follow (`getUserPbxAudios` → `list-user`,
 *      `searchPbxAvailablePhoneNumbers` → `search-available`, `markReadConversation` → `mark-read`);
 *    - an id without the noun keeps its words after `get` or after its verb (`getPbxDefaultTimezone` in
 *      `pbx config` → `default-timezone`); an id whose verb is the noun has no verb
 *      (`embedOauthToken` → `embed oauth-token`).
 *    Every command path must be unique and no command may share its path with a group: the generator
 *    fails otherwise (resolve a collision with `commandOverrides`).
 */
import type { Field, FieldType, Model, ModelSet } from "./models.js"
import type { OperationRow } from "./operations.js"
import { generatedHeader, literal, tsdoc } from "./text.js"

/** An area's group, where the rule's is poor: its words, its noun (singular, PascalCase) and why. */
interface AreaOverride {
  readonly group: ReadonlyArray<string>
  readonly noun: string
  readonly plural?: string | undefined
  /** Other spellings of the noun in operation ids. */
  readonly aliases?: ReadonlyArray<string> | undefined
  readonly reason: string
}

/** Areas whose group the rule would name poorly. */
export const areaOverrides: Readonly<Record<string, AreaOverride>> = {
  "agent/auth": { group: ["agent"], noun: "Agent", reason: "one operation: the agent's own session calls share `agent`" },
  "agent/keepalive": { group: ["agent"], noun: "Agent", reason: "one operation: the agent's own session calls share `agent`" },
  "agent/status": { group: ["agent", "status"], noun: "Status", reason: "a state, not a collection of statuses" },
  "pbx/class_of_service": {
    group: ["pbx", "classes-of-service"],
    noun: "ClassOfService",
    plural: "ClassesOfService",
    aliases: ["Cos"],
    reason: "the plural falls on `class`; the audit log's id abbreviates it as `Cos`"
  },
  "pbx/time_based": { group: ["pbx", "time-based"], noun: "TimeBased", reason: "an adjective: `time-baseds` reads poorly" },
  "pbx/voicemail": { group: ["pbx", "voicemail"], noun: "Voicemail", reason: "voicemail settings, not a collection (the mailboxes are `pbx voicemail-mailboxes`)" },
  department_members: { group: ["departments"], noun: "Department", reason: "the member list of the departments belongs with them" },
  upload_url: { group: ["conversations"], noun: "Conversation", reason: "the multimedia upload URL is for a conversation's messages" },
  virtualagent: { group: ["virtual-agent"], noun: "VirtualAgent", reason: "two words" }
}

/** Commands the rule would name poorly or make collide: operation id → command name (none today). */
export const commandOverrides: Readonly<Record<string, { readonly name: string; readonly reason: string }>> = {}

/** Table columns the column rule chooses poorly: model → columns. */
export const columnOverrides: Readonly<Record<string, { readonly columns: ReadonlyArray<string>; readonly reason: string }>> = {
  ConversationSummary: {
    columns: ["conversation_uuid", "medium", "last_conversation_participant_name", "last_conversation_message_body", "last_message_dts", "closed"],
    reason: "a conversation list reads as who said what and when; the rule would pick the unanswered-since date"
  },
  ConversationMessage: {
    columns: ["message_dts", "author_conversation_participant_name", "type", "body"],
    reason: "a transcript reads as time, author and text; the message uuid matters to no reader"
  },
  ConversationAgentStatusEvent: {
    columns: ["event_dts", "agent_name", "previous_status", "new_status", "duration_in_previous_seconds", "channel"],
    reason: "a status change reads as when, who, from what, to what and after how long"
  },
  ConversationWebchatQueueStatus: {
    columns: ["queue_name", "agent_count", "agent_available_count", "customer_waiting_count", "customer_active_count", "customer_waiting_join_dts"],
    reason: "a queue board: agents and customers per queue (the rule stops at two counts)"
  },
  ConversationPbxAgent: {
    columns: ["conversation_pbx_agent_uuid", "login", "full_name", "extension", "call_routing_preference"],
    reason: "an agent is known by login and extension; the rule keeps only two name-like fields"
  },
  ConversationPbxVoicemailMessageSummary: {
    columns: ["recording_sid", "from_caller_id", "voicemail_dts", "duration", "listened"],
    reason: "`voicemail <recording-sid>` takes the recording sid, which the rule cannot tell from the call sid"
  },
  ConversationPbxQueue: {
    columns: ["conversation_pbx_queue_uuid", "name", "voicemail", "record_call", "max_hold_seconds", "wrap_up_seconds"],
    reason: "how callers wait; the rule would fill with the AI settings that come first alphabetically"
  },
  ConversationMcpServer: {
    columns: ["mcp_server_uuid", "url", "auth_method", "priority"],
    reason: "an MCP server is known by its URL, which is not name-like"
  }
}

/**
 * The flags of the command line itself (see src/cli/commands.ts), which no query or body flag may take.
 * `help`, `version`, `completions`, `log-level` and `wizard` are `@effect/cli`'s built-ins.
 */
export const globalFlags: ReadonlyArray<string> = ["json", "all", "body", "base-url", "mock", "help", "h", "version", "completions", "log-level", "wizard"]

/** The fields of a response that are UltraCart's envelope, not its payload. */
const envelope: ReadonlySet<string> = new Set(["error", "metadata", "success", "warning"])

/** At most this many columns in a table. */
const maxColumns = 6

// ---------------------------------------------------------------------------------------------------------
// Words

/** `getPbxCosAuditLogs` → `["get", "Pbx", "Cos", "Audit", "Logs"]`. */
export const idWords = (id: string): ReadonlyArray<string> => id.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? []

/** `dateStart` / `date_start` → `date-start`. */
export const kebabCase = (name: string): string =>
  name
    .replace(/^_+/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase()

const pascal = (snake: string): string =>
  snake.split(/[_-]/).filter((s) => s.length > 0).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join("")

/** The plural of an English word: `address` → `addresses`, `mailbox` → `mailboxes`, `agent` → `agents`. */
export const plural = (word: string): string => {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`
  return `${word}s`
}

/** The singular of an English word: `messages` → `message`, `addresses` → `address`; `status` stays. */
export const singular = (word: string): string => {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2)
  if (/[^su]s$/i.test(word)) return word.slice(0, -1)
  return word
}

/** Pluralises the last word of a snake_case or kebab-case phrase. */
const pluralPhrase = (phrase: string, separator: string): string => {
  const parts = phrase.split(/[_-]/)
  const last = parts.pop() ?? ""
  return [...parts, plural(last)].join(separator)
}

// ---------------------------------------------------------------------------------------------------------
// Views and columns

/** A field's scalar kind, or `undefined` for objects, lists and untyped values. */
const scalarKind = (type: FieldType): "string" | "integer" | "number" | "boolean" | undefined => {
  switch (type._tag) {
    case "string":
    case "enum":
      return "string"
    case "number":
      return type.integer === undefined ? "number" : "integer"
    case "boolean":
      return "boolean"
    default:
      return undefined
  }
}

const modelByName = (models: ModelSet, name: string): Model => {
  const model = models.models.find((m) => m.name === name)
  if (model === undefined) throw new Error(`unknown model ${name}`)
  return model
}

/** The model of a list of objects, or `undefined`. */
const listItem = (field: Field): string | undefined =>
  field.type._tag === "array" && field.type.item._tag === "ref" ? field.type.item.name : undefined

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()

const commonPrefix = (a: string, b: string): number => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** A field no table shows by default: the same for every row, or a secret. */
const hidden = (name: string): boolean => /(^|_)merchant_id$/.test(name) || /password|secret|token|jwt/.test(name)

const isIdentifier = (name: string): boolean => /(^|_)(uuid|oid|sid|id)$/.test(name)
const isName = (name: string): boolean =>
  /(^|_)name$/.test(name) ||
  ["short_code", "title", "login", "email", "extension", "phone_number", "code", "filename", "description"].includes(name)
const isStatus = (name: string, type: FieldType): boolean =>
  /(^|_)(status|state|type|medium|channel|direction|disposition|action)$/.test(name) ||
  (type._tag === "boolean" && /^(active|enabled|closed)$/.test(name))
const isDate = (name: string, type: FieldType): boolean =>
  (type._tag === "string" && type.dateTime) || /(_dts|_date|_at)$|^(date|timestamp)$/.test(name)

/**
 * How well an identifier names the model's own rows: its stem ending the model's name scores highest
 * (`call_uuid` for `ConversationPbxCall`), then the longest shared prefix (`conversation_uuid`); among
 * equal stems a uuid beats an oid, an id and a sid.
 */
const ownness = (model: string, id: string): number => {
  const suffix = /_(uuid|oid|sid|id)$/.exec(id)?.[1] ?? ""
  const stem = id.slice(0, id.length - suffix.length - 1)
  // Among equal stems, the kind of id a `get` takes: uuid, then oid, id, sid.
  const kind = ["sid", "id", "oid", "uuid"].indexOf(suffix)
  return (model.endsWith(stem) ? 1000 + stem.length * 10 : commonPrefix(model, id) * 10) + kind
}

/**
 * The column rule: the model's own identifier (see `ownness`), then up to two names (`name`, `*_name`,
 * `short_code`, `login`, ..., `description` last), up to two statuses (`status`, `*_type`, `medium`, `channel`, `active`, ...)
 * and one date (`*_dts`, `*_at`, date-time strings); then the other scalar fields in the description's
 * order until there are four; at most six.
 * Fields that are the same on every row (`merchant_id`) or secret (`*password*`, `*token*`) are left out.
 */
export const columnsOf = (model: Model): ReadonlyArray<string> => {
  const override = columnOverrides[model.name]
  if (override !== undefined) {
    const unknown = override.columns.filter((c) => !model.fields.some((f) => f.name === c))
    if (unknown.length > 0) throw new Error(`columnOverrides.${model.name}: no field ${unknown.join(", ")}`)
    return override.columns
  }
  const scalars = model.fields.filter((f) => scalarKind(f.type) !== undefined && !hidden(f.name))
  const stem = snake(model.name)
  const ids = scalars.filter((f) => isIdentifier(f.name))
  const own = ids.reduce<Field | undefined>(
    (best, f) => (best === undefined || ownness(stem, f.name) > ownness(stem, best.name) ? f : best),
    undefined
  )
  const chosen: Array<Field> = own === undefined ? [] : [own]
  const take = (predicate: (f: Field) => boolean, most: number) => {
    for (const f of scalars.filter((f) => !chosen.includes(f) && predicate(f)).slice(0, most)) chosen.push(f)
  }
  take((f) => isName(f.name) && f.name !== "description", 2)
  take((f) => f.name === "description", 2 - chosen.filter((f) => isName(f.name)).length)
  take((f) => isStatus(f.name, f.type), 2)
  take((f) => isDate(f.name, f.type), 1)
  if (chosen.length < 4) take((f) => !isIdentifier(f.name), 4 - chosen.length)
  const order = (f: Field) => chosen.indexOf(f)
  return [...chosen].sort((a, b) => order(a) - order(b)).slice(0, maxColumns).map((f) => f.name)
}

/** The generated view of a row (see `ViewSpec` in src/cli/spec.ts). */
export type ViewRow =
  | { readonly kind: "none" }
  | { readonly kind: "list"; readonly field: string; readonly columns: ReadonlyArray<string> }
  | { readonly kind: "object"; readonly field: string | undefined; readonly tables: ReadonlyArray<readonly [string, ReadonlyArray<string>]> }

/**
 * How an answer is shown: a table when its payload (the answer without UltraCart's envelope) has exactly
 * one list of objects; else the one object it holds, or the whole payload, with its lists as tables.
 */
export const viewOf = (models: ModelSet, response: string | undefined): ViewRow => {
  if (response === undefined) return { kind: "none" }
  const payload = modelByName(models, response).fields.filter((f) => !envelope.has(f.name))
  const lists = payload.filter((f) => listItem(f) !== undefined)
  const [list] = lists
  if (lists.length === 1 && list !== undefined) {
    return { kind: "list", field: list.name, columns: columnsOf(modelByName(models, listItem(list) ?? "")) }
  }
  const [only] = payload
  const single = payload.length === 1 && only !== undefined && only.type._tag === "ref" ? only : undefined
  const shown = single !== undefined && single.type._tag === "ref" ? modelByName(models, single.type.name) : undefined
  const fields = shown === undefined ? payload : shown.fields
  const tables = fields.flatMap((f): ReadonlyArray<readonly [string, ReadonlyArray<string>]> => {
    const item = listItem(f)
    const columns = item === undefined ? [] : columnsOf(modelByName(models, item))
    return columns.length === 0 ? [] : [[f.name, columns]]
  })
  return { kind: "object", field: single?.name, tables }
}

// ---------------------------------------------------------------------------------------------------------
// Names

/** A group: its words, its noun and the noun's other spellings. */
interface Group {
  readonly words: ReadonlyArray<string>
  readonly nouns: ReadonlyArray<{ readonly words: ReadonlyArray<string>; readonly plural: boolean }>
  readonly noise: ReadonlySet<string>
}

const hasCollection = (models: ModelSet, rows: ReadonlyArray<OperationRow>, area: string): boolean =>
  rows.some((row) => row.area === area && row.pathParams.length === 0 && viewOf(models, row.response).kind === "list")

/** The group of an area by the rule, or by its override. */
export const groupOf = (models: ModelSet, rows: ReadonlyArray<OperationRow>, area: string): Group => {
  const override = areaOverrides[area]
  const segments = area.split("/")
  const last = segments[segments.length - 1] ?? area
  const words = override?.group ??
    [
      ...segments.slice(0, -1).map(kebabCase),
      hasCollection(models, rows, area) && singular(last) === last ? pluralPhrase(last, "-") : kebabCase(last)
    ]
  const noun = override?.noun ?? pascal(singular(last))
  const pluralNoun = override?.plural ?? pascal(pluralPhrase(snake(noun), "_"))
  const spell = (text: string, isPlural: boolean) => ({ words: idWords(text), plural: isPlural })
  return {
    words,
    nouns: [spell(pluralNoun, true), spell(noun, false), ...(override?.aliases ?? []).map((a) => spell(a, false))],
    noise: new Set(["Conversation", ...words.slice(0, -1).map((w) => pascal(singular(w)))])
  }
}

const indexOfWords = (haystack: ReadonlyArray<string>, needle: ReadonlyArray<string>): number => {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, j) => haystack[i + j] === w)) return i
  }
  return -1
}

/** The command name of an operation in its group, by the rule (see the module's documentation). */
export const commandName = (group: Group, id: string, listAnswer: boolean): string => {
  const override = commandOverrides[id]
  if (override !== undefined) return override.name
  const [first = "", ...rest] = idWords(id)
  const nounWords = group.nouns[1]?.words ?? []
  const verbIsNoun = nounWords.length === 1 && nounWords[0]?.toLowerCase() === first
  const verb = verbIsNoun ? undefined : first
  const found = verbIsNoun
    ? { at: -1, length: 1 }
    : group.nouns
      .map((noun) => ({ at: indexOfWords(rest, noun.words), length: noun.words.length }))
      .filter((match) => match.at >= 0)
      .sort((a, b) => a.at - b.at || b.length - a.length)[0]
  const clean = (words: ReadonlyArray<string>) => words.filter((w) => !group.noise.has(w))
  const parts = (() => {
    if (found === undefined) {
      const words = clean(rest)
      if (verb === "get") return words.length > 0 ? words : [listAnswer ? "list" : "get"]
      return [...(verb === undefined ? [] : [verb]), ...words]
    }
    const before = clean(rest.slice(0, Math.max(0, found.at)))
    if (before[before.length - 1] === "For") before.pop()
    const after = clean(rest.slice(found.at + found.length))
    if (after.length > 0) return [...(verb === undefined || verb === "get" ? [] : [verb]), ...before, ...after]
    const head = verb === "get" ? (listAnswer ? "list" : "get") : verb
    return [...(head === undefined ? [] : [head]), ...before]
  })()
  return parts.map((w) => w.toLowerCase()).join("-")
}

// ---------------------------------------------------------------------------------------------------------
// Rows

/** A body field given as a flag. */
export interface BodyFieldRow {
  readonly field: string
  readonly flag: string
  readonly type: "string" | "integer" | "number" | "boolean"
  readonly values: ReadonlyArray<string> | undefined
  readonly description: string | undefined
}

/** The command of one operation. */
export interface CommandRow {
  readonly id: string
  readonly path: ReadonlyArray<string>
  readonly args: ReadonlyArray<string>
  readonly options: ReadonlyArray<{ readonly key: string; readonly flag: string }>
  readonly bodyModel: string | undefined
  readonly bodyFields: ReadonlyArray<BodyFieldRow>
  readonly view: ViewRow
}

/** A group of commands and its description. */
export interface GroupRow {
  readonly path: ReadonlyArray<string>
  readonly description: string
}

/** The first sentence of a description, short enough for a line of `--help`. */
const firstSentence = (text: string | undefined): string | undefined => {
  const flat = text?.replace(/\s+/g, " ").trim()
  if (flat === undefined || flat.length === 0) return undefined
  const sentence = /^(.+?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat
  return sentence.length > 140 ? `${sentence.slice(0, 139)}…` : sentence
}

const bodyFieldsOf = (
  models: ModelSet,
  row: OperationRow,
  taken: ReadonlySet<string>
): ReadonlyArray<BodyFieldRow> => {
  if (row.body === undefined) return []
  const used = new Set(taken)
  return modelByName(models, row.body.model).fields.flatMap((f): ReadonlyArray<BodyFieldRow> => {
    const type = scalarKind(f.type)
    if (type === undefined) return []
    const plain = kebabCase(f.name)
    const flag = used.has(plain) ? `body-${plain}` : plain
    if (used.has(flag)) throw new Error(`${row.id}: the body field ${f.name} has no free flag (${flag} is taken)`)
    used.add(flag)
    return [{ field: f.name, flag, type, values: f.type._tag === "enum" ? f.type.values : undefined, description: firstSentence(f.description) }]
  })
}

/** The command line's rows: one command per operation, and the groups they are in. */
export const readCommands = (
  models: ModelSet,
  rows: ReadonlyArray<OperationRow>,
  areaTitle: (area: string) => string
): { readonly commands: ReadonlyArray<CommandRow>; readonly groups: ReadonlyArray<GroupRow> } => {
  const commands = rows.map((row): CommandRow => {
    const group = groupOf(models, rows, row.area)
    // The command tree (src/cli/commands.ts) nests groups one or two words deep.
    if (group.words.length < 1 || group.words.length > 2) throw new Error(`${row.id}: the group \`${group.words.join(" ")}\` is not one or two words`)
    const view = viewOf(models, row.response)
    const options = row.query.map((q) => ({ key: q.option, flag: kebabCase(q.option) }))
    for (const o of options) {
      if (globalFlags.includes(o.flag)) throw new Error(`${row.id}: the query flag --${o.flag} is one of the command line's own`)
    }
    return {
      id: row.id,
      path: [...group.words, commandName(group, row.id, view.kind === "list")],
      args: row.pathParams.map((p) => kebabCase(p.argument)),
      options,
      bodyModel: row.body === undefined ? undefined : models.exportNames.get(row.body.model) ?? row.body.model,
      bodyFields: bodyFieldsOf(models, row, new Set([...globalFlags, ...options.map((o) => o.flag)])),
      view
    }
  })
  const byPath = new Map<string, string>()
  for (const command of commands) {
    const key = command.path.join(" ")
    const other = byPath.get(key)
    if (other !== undefined) throw new Error(`commands collide: ${other} and ${command.id} are both \`${key}\``)
    byPath.set(key, command.id)
  }
  const groupPaths = new Map<string, ReadonlyArray<string>>()
  for (const command of commands) {
    for (let i = 1; i < command.path.length; i++) {
      const path = command.path.slice(0, i)
      groupPaths.set(path.join(" "), path)
      const clash = byPath.get(path.join(" "))
      if (clash !== undefined) throw new Error(`the command of ${clash} has the name of a group: \`${path.join(" ")}\``)
    }
  }
  const groups = [...groupPaths.values()].map((path): GroupRow => {
    const inside = commands.flatMap((c, i) => {
      const row = rows[i]
      return row !== undefined && path.every((w, j) => c.path[j] === w) ? [{ command: c, row }] : []
    })
    const own = [...new Set(inside.filter(({ command }) => command.path.length === path.length + 1).map(({ row }) => areaTitle(row.area)))]
    const children = [...new Set(inside.map(({ command }) => command.path[path.length] ?? ""))]
    const word = path[path.length - 1] ?? ""
    const title = own[0] ?? (word.length <= 3 ? word.toUpperCase() : word)
    return { path, description: `${title.replace(/`/g, "")} (${children.join(", ")})` }
  })
  return { commands, groups }
}

// ---------------------------------------------------------------------------------------------------------
// Emit

const stringList = (items: ReadonlyArray<string>): string => `[${items.map(literal).join(", ")}]`

const viewSource = (view: ViewRow): string => {
  switch (view.kind) {
    case "none":
      return '{ kind: "none" }'
    case "list":
      return `{ kind: "list", field: ${literal(view.field)}, columns: ${stringList(view.columns)} }`
    case "object": {
      const field = view.field === undefined ? "" : `, field: ${literal(view.field)}`
      const tables = view.tables.map(([name, columns]) => `${literal(name)}: ${stringList(columns)}`).join(", ")
      return `{ kind: "object"${field}, tables: {${tables.length === 0 ? "" : ` ${tables} `}} }`
    }
  }
}

const bodyFieldSource = (f: BodyFieldRow): string =>
  `{ field: ${literal(f.field)}, flag: ${literal(f.flag)}, type: ${literal(f.type)}` +
  (f.values === undefined ? "" : `, values: ${stringList(f.values)}`) +
  (f.description === undefined ? "" : `, description: ${literal(f.description)}`) +
  " }"

const commandSource = (command: CommandRow): string => {
  const options = command.options.map((o) => `{ key: ${literal(o.key)}, flag: ${literal(o.flag)} }`)
  const body = command.bodyFields.length === 0
    ? "[]"
    : `[\n${command.bodyFields.map((f) => `      ${bodyFieldSource(f)}`).join(",\n")}\n    ]`
  return [
    `  ${command.id}: {`,
    `    path: ${stringList(command.path)},`,
    `    args: ${stringList(command.args)},`,
    `    options: [${options.join(", ")}],`,
    ...(command.bodyModel === undefined ? [] : [`    bodyModel: ${literal(command.bodyModel)},`]),
    `    bodyFields: ${body},`,
    `    view: ${viewSource(command.view)}`,
    "  }"
  ].join("\n")
}

/** The source of `src/generated/cli.ts`. */
export const cliSource = (commands: ReadonlyArray<CommandRow>, groups: ReadonlyArray<GroupRow>): string =>
  [
    generatedHeader("The command line's table: the command of every operation, its flags and how its answer is shown."),
    [
      'import type { CommandSpec, GroupSpec } from "../cli/spec.js"',
      'import type { OperationId } from "./operations.js"'
    ].join("\n"),
    `${tsdoc(["The command of every operation, keyed by its operation id (naming rule: scripts/generator/cli.ts)."])}export const commands = {\n${
      commands.map(commandSource).join(",\n")
    }\n} as const satisfies Readonly<Record<OperationId, CommandSpec>>`,
    `${tsdoc(["Every group of commands, parents first, with its description for `--help`."])}export const groups: ReadonlyArray<GroupSpec> = [\n${
      [...groups].sort((a, b) => a.path.length - b.path.length || a.path.join(" ").localeCompare(b.path.join(" ")))
        .map((g) => `  { path: ${stringList(g.path)}, description: ${literal(g.description)} }`).join(",\n")
    }\n]`,
    `${tsdoc(["The flags of the command line itself, which no generated flag takes."])}export const globalFlags: ReadonlyArray<string> = ${stringList(globalFlags)}`
  ].join("\n\n") + "\n"
