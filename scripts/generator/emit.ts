/**
 * Writes the operation rows out: the runtime table (`src/generated/operations.ts`), the typed services
 * and their bindings (`src/generated/services.ts`) and the README's table of operations.
 */
import type { ModelSet } from "./models.js"
import type { OperationRow, QueryParameterRow } from "./operations.js"
import { pascalCase } from "./openapi.js"
import { generatedHeader, literal, propertyKey, tsdoc } from "./text.js"

const modelRef = (models: ModelSet, name: string): string => `Models.${models.exportNames.get(name) ?? name}`

const optionalLiteral = (value: string | undefined): string => (value === undefined ? "undefined" : literal(value))

const rowSource = (models: ModelSet, row: OperationRow): string => {
  const pathParams = row.pathParams.map((p) =>
    `{ name: ${literal(p.name)}, argument: ${literal(p.argument)}, type: ${literal(p.type)}` +
    (p.description === undefined ? "" : `, description: ${literal(p.description)}`) +
    (p.pattern === undefined ? "" : `, pattern: /${p.pattern}/, patternText: ${optionalLiteral(p.patternText)}`) +
    " }"
  )
  const query = row.query.map((q) =>
    `{ name: ${literal(q.name)}, option: ${literal(q.option)}, type: ${literal(q.type)}, required: ${q.required}` +
    (q.enum === undefined ? "" : `, enum: [${q.enum.map(literal).join(", ")}]`) +
    (q.minimum === undefined ? "" : `, minimum: ${q.minimum}`) +
    (q.maximum === undefined ? "" : `, maximum: ${q.maximum}`) +
    (q.description === undefined ? "" : `, description: ${literal(q.description.trim())}`) +
    " }"
  )
  const list = (items: ReadonlyArray<string>) =>
    items.length === 0 ? "[]" : `[\n${items.map((item) => `      ${item}`).join(",\n")}\n    ]`
  const body = row.body === undefined
    ? "undefined"
    : `{ argument: ${literal(row.body.argument)}, schema: ${modelRef(models, row.body.model)}, mediaType: ${literal(row.body.mediaType)}, required: ${row.body.required} }`
  const paging = row.paging === undefined
    ? "undefined"
    : `{ stream: ${literal(row.paging.stream)}, items: ${literal(row.paging.items)} }`
  return [
    `  ${row.id}: {`,
    `    id: ${literal(row.id)},`,
    `    service: ${literal(row.service)},`,
    `    method: ${literal(row.method)},`,
    `    path: ${literal(row.path)},`,
    `    area: ${literal(row.area)},`,
    `    pathParams: ${list(pathParams)},`,
    `    query: ${list(query)},`,
    `    body: ${body},`,
    `    response: ${row.response === undefined ? "undefined" : modelRef(models, row.response)},`,
    `    retry: ${literal(row.retry)},`,
    `    paging: ${paging},`,
    `    summary: ${literal(row.summary)},`,
    `    description: ${optionalLiteral(row.description)},`,
    `    unverified: ${row.unverified}`,
    "  }"
  ].join("\n")
}

/** The source of `src/generated/operations.ts`: the table every part of the package is driven by. */
export const tableSource = (models: ModelSet, rows: ReadonlyArray<OperationRow>): string =>
  [
    generatedHeader("The operation table of UltraCart's Conversation API: one row per operation."),
    'import type { OperationSpec } from "../internal/operation.js"',
    'import * as Models from "./Models.js"',
    `${tsdoc(["Every operation of the Conversation API, keyed by UltraCart's operation id."])}export const operations = {\n${
      rows.map((row) => rowSource(models, row)).join(",\n")
    }\n} as const satisfies Readonly<Record<string, OperationSpec>>`,
    `${tsdoc(["An operation id of the Conversation API."])}export type OperationId = keyof typeof operations`,
    `${tsdoc(["One row of the table."])}export type Operation = (typeof operations)[OperationId]`,
    `${tsdoc(["Every row of the table, in the description's order."])}export const operationList: ReadonlyArray<Operation> = Object.values(operations)`
  ].join("\n\n") + "\n"

const queryType = (q: QueryParameterRow): string => {
  if (q.enum !== undefined) return q.enum.map(literal).join(" | ")
  switch (q.type) {
    case "boolean":
      return "boolean"
    case "string":
      return "string"
    default:
      return "number"
  }
}

/** The documented range of a numeric option: `1 to 200`, `at least 0`, or only that it is whole. */
const boundsText = (q: QueryParameterRow): string | undefined => {
  if (q.type === "string" || q.type === "boolean") return undefined
  const whole = q.type === "number" ? "A number" : "A whole number"
  if (q.minimum !== undefined && q.maximum !== undefined && q.maximum < 2147483647) {
    return `${whole} from ${q.minimum} to ${q.maximum}.`
  }
  if (q.minimum !== undefined && q.minimum >= 0) return `${whole}, at least ${q.minimum}.`
  return `${whole}.`
}

/** A description as a sentence: trimmed, ending with a full stop. */
const sentence = (text: string | undefined): string | undefined => {
  const trimmed = text?.trim()
  if (trimmed === undefined || trimmed.length === 0) return undefined
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

const optionsName = (row: OperationRow): string => `${pascalCase(row.id)}Options`
const streamOptionsName = (row: OperationRow): string => `${pascalCase(row.paging?.stream ?? row.id)}Options`

const optionLines = (query: ReadonlyArray<QueryParameterRow>): string =>
  query
    .map((q) => `${tsdoc([sentence(q.description), boundsText(q), q.name === q.option ? undefined : `Sent as \`${q.name}\`.`].filter((p) => p !== undefined).join(" ").split("\n\n"), "  ")}  readonly ${propertyKey(q.option)}${q.required ? "" : "?"}: ${queryType(q)}${q.required ? "" : " | undefined"}`)
    .join("\n")

const optionsInterface = (row: OperationRow): string =>
  `${tsdoc([`Options of \`${row.id}\` (its query parameters).`])}export interface ${optionsName(row)} {\n${optionLines(row.query)}\n}`

const streamOptionsInterface = (row: OperationRow): string => {
  const limit = row.query.find((q) => q.name === "_limit")
  const rest = row.query.filter((q) => q.name !== "_limit" && q.name !== "_offset")
  const pageSize = `${tsdoc([`How many items each page request asks for (sent as \`_limit\`), ${limit?.minimum ?? 1} to ${limit?.maximum ?? 200}; default 100.`], "  ")}  readonly pageSize?: number | undefined`
  return `${tsdoc([`Options of \`${row.paging?.stream ?? ""}\`: those of \`${row.id}\` without the offset, \`limit\` as \`pageSize\`.`])}export interface ${streamOptionsName(row)} {\n${[pageSize, optionLines(rest)].filter((s) => s.length > 0).join("\n")}\n}`
}

const retryText: Record<OperationRow["retry"], string> = {
  read: "Retry class `read`: retried on transport failures, timeouts, 429 and 500/502/503/504.",
  "idempotent-write":
    "Retry class `idempotent-write`: sending it twice leaves the same state, so it is retried like a read.",
  creates:
    "Retry class `creates`: never sent again once UltraCart may have processed it; retried only after a 429 or a refused connection."
}

const methodDoc = (row: OperationRow): string =>
  tsdoc([
    row.summary.endsWith(".") ? row.summary : `${row.summary}.`,
    row.description !== undefined && row.description !== row.summary ? row.description : undefined,
    `\`${row.method} ${row.path}\`. ${retryText[row.retry]}`,
    row.unverified
      ? "Unverified: UltraCart's method and path are confirmed; the parameters were read from an older SDK."
      : undefined
  ], "  ")

const parameterList = (models: ModelSet, row: OperationRow, forStream: boolean): ReadonlyArray<string> => {
  const params = row.pathParams.map((p) => `${p.argument}: ${p.type === "string" ? "string" : "number"}`)
  if (row.body !== undefined) {
    params.push(`${row.body.argument}${row.body.required ? "" : "?"}: ${modelRef(models, row.body.model)}`)
  }
  if (forStream) {
    params.push(`options?: ${streamOptionsName(row)}`)
  } else if (row.query.length > 0) {
    params.push(`options${row.query.some((q) => q.required) ? "" : "?"}: ${optionsName(row)}`)
  }
  return params
}

const argumentNames = (row: OperationRow): { readonly names: ReadonlyArray<string>; readonly call: string } => {
  const names = [
    ...row.pathParams.map((p) => p.argument),
    ...(row.body === undefined ? [] : [row.body.argument]),
    ...(row.query.length > 0 ? ["options"] : [])
  ]
  const path = `[${row.pathParams.map((p) => p.argument).join(", ")}]`
  const body = row.body === undefined ? "undefined" : row.body.argument
  const options = names.includes("options") ? "options" : "undefined"
  return { names, call: `${path}, ${body}, ${options}` }
}

const serviceSource = (
  models: ModelSet,
  rows: ReadonlyArray<OperationRow>,
  service: OperationRow["service"],
  doc: string
): { readonly shape: string; readonly binding: string } => {
  const own = rows.filter((row) => row.service === service)
  const members: Array<string> = []
  const bindings: Array<string> = []
  for (const row of own) {
    const returns = row.response === undefined ? "void" : modelRef(models, row.response)
    members.push(
      `${methodDoc(row)}  readonly ${row.id}: (${parameterList(models, row, false).join(", ")}) => Effect.Effect<${returns}, ConversationError>`
    )
    const args = argumentNames(row)
    bindings.push(`  ${row.id}: (${args.names.join(", ")}) => call(operations.${row.id}, ${args.call})`)
  }
  for (const row of own) {
    if (row.paging === undefined) continue
    const doc = tsdoc([
      `Every item of \`${row.id}\`, fetched lazily page by page (one page in memory at a time).`,
      "Follows `result_set.more` / `next_offset`; without `more` it goes on while pages come back full. Each page gets the retries of a single call."
    ], "  ")
    members.push(
      `${doc}  readonly ${row.paging.stream}: (${parameterList(models, row, true).join(", ")}) => Stream.Stream<${modelRef(models, row.paging.itemModel)}, ConversationError>`
    )
    const pathArguments = row.pathParams.map((p) => p.argument)
    const names = [...pathArguments, ...(row.body === undefined ? [] : [row.body.argument]), "options"]
    const body = row.body?.argument ?? "undefined"
    bindings.push(`  ${row.paging.stream}: (${names.join(", ")}) => stream(operations.${row.id}, [${pathArguments.join(", ")}], ${body}, options)`)
  }
  return {
    shape: `${tsdoc([doc])}export interface ${service}Shape {\n${members.join("\n")}\n}`,
    binding: `${tsdoc([`Binds every method of \`${service}\` to the client core.`])}export const bind${service} = (${own.some((row) => row.paging !== undefined) ? "{ call, stream }" : "{ call }"}: Caller): ${service}Shape => ({\n${bindings.join(",\n")}\n})`
  }
}

const conversationDoc = "Every operation under `/conversation`, as an Effect with typed errors."
const embedDoc = "The operations under `/conversation_embed` (the embeddable widget)."

/** The source of `src/generated/services.ts`: the services' types with TSDoc (types only). */
export const servicesSource = (models: ModelSet, rows: ReadonlyArray<OperationRow>): string => {
  const withQuery = rows.filter((row) => row.query.length > 0)
  const paged = rows.filter((row) => row.paging !== undefined)
  return [
    generatedHeader("The methods of `ConversationService` and `ConversationEmbedService`, one per operation."),
    [
      `import type { Effect${paged.length > 0 ? ", Stream" : ""} } from "effect"`,
      'import type { ConversationError } from "../Errors.js"',
      'import type * as Models from "./Models.js"'
    ].join("\n"),
    ...withQuery.map(optionsInterface),
    ...paged.map(streamOptionsInterface),
    serviceSource(models, rows, "ConversationService", conversationDoc).shape,
    serviceSource(models, rows, "ConversationEmbedService", embedDoc).shape
  ].join("\n\n") + "\n"
}

/** The source of `src/generated/bindings.ts`: each method bound to the generic call of the core. */
export const bindingsSource = (models: ModelSet, rows: ReadonlyArray<OperationRow>): string =>
  [
    generatedHeader("Binds each method of the services to its row of the operation table."),
    [
      'import type { Caller } from "../internal/operation.js"',
      'import { operations } from "./operations.js"',
      'import type { ConversationEmbedServiceShape, ConversationServiceShape } from "./services.js"'
    ].join("\n"),
    serviceSource(models, rows, "ConversationService", conversationDoc).binding,
    serviceSource(models, rows, "ConversationEmbedService", embedDoc).binding
  ].join("\n\n") + "\n"

const areaTitles: Readonly<Record<string, string>> = {
  agent: "Agent",
  "agent/auth": "Agent",
  "agent/keepalive": "Agent",
  "agent/profile": "Agent profile, knowledge base and MCP servers",
  "agent/status": "Agent status",
  canned_messages: "Canned messages",
  conversations: "Conversations",
  department_members: "Departments",
  departments: "Departments",
  engagements: "Engagements",
  items: "Items and locations",
  locations: "Items and locations",
  permissions: "Permissions and uploads",
  upload_url: "Permissions and uploads",
  virtualagent: "Virtual agent",
  embed: "Embed widget (`ConversationEmbedService`)"
}

/** The title of an area in the README: PBX areas are grouped under "PBX". */
export const areaTitle = (area: string): string =>
  areaTitles[area] ?? (area.startsWith("pbx/") ? `PBX: ${area.slice(4).replace(/_/g, " ")}` : area)

/** The README's table of operations, grouped by area. */
export const readmeTable = (models: ModelSet, rows: ReadonlyArray<OperationRow>): string => {
  const groups = new Map<string, Array<OperationRow>>()
  for (const row of rows) {
    const title = areaTitle(row.area)
    groups.set(title, [...(groups.get(title) ?? []), row])
  }
  const name = (model: string) => models.exportNames.get(model) ?? model
  const out: Array<string> = []
  for (const [title, group] of groups) {
    out.push(`#### ${title}`, "", "| method | request | returns | retry |", "|---|---|---|---|")
    for (const row of group) {
      const args = parameterList(models, row, false).map((p) => p.replace(/Models\./g, ""))
      const returns = row.response === undefined ? "`void`" : `\`${name(row.response)}\``
      out.push(`| \`${row.id}(${args.join(", ")})\` | \`${row.method} ${row.path}\` | ${returns} | ${row.retry} |`)
      if (row.paging !== undefined) {
        const streamArgs = parameterList(models, row, true).map((p) => p.replace(/Models\./g, ""))
        out.push(`| \`${row.paging.stream}(${streamArgs.join(", ")})\` | pages of \`${row.method} ${row.path}\` | \`Stream<${name(row.paging.itemModel)}>\` | ${row.retry} |`)
      }
    }
    out.push("")
  }
  return out.join("\n")
}
