/**
 * Reads every operation of the description into plain rows (method, path template, typed path and query
 * parameters, body, response, retry class, paging, documentation) with the overrides applied. The
 * emitters (`tableSource`, `servicesSource`, `readmeTable`) write them out.
 */
import type { ModelSet } from "./models.js"
import {
  camelCase,
  type Description,
  type HttpMethod,
  type Operation,
  operationsOf,
  type Parameter,
  pascalCase,
  refName,
  type SchemaNode
} from "./openapi.js"
import type { ParameterType, RetryClass } from "../../src/internal/operation.js"
import type { Overrides, ParameterOverride } from "./overrides.js"

export type { ParameterType, RetryClass } from "../../src/internal/operation.js"

/** A path parameter, in the order it appears in the path. */
export interface PathParameterRow {
  readonly name: string
  readonly argument: string
  readonly type: ParameterType
  readonly description: string | undefined
  readonly pattern: string | undefined
  readonly patternText: string | undefined
}

/** A query parameter. */
export interface QueryParameterRow {
  readonly name: string
  readonly option: string
  readonly type: ParameterType
  readonly required: boolean
  readonly enum: ReadonlyArray<string> | undefined
  readonly minimum: number | undefined
  readonly maximum: number | undefined
  readonly description: string | undefined
}

/** The request body of an operation. */
export interface BodyRow {
  readonly argument: string
  readonly model: string
  readonly mediaType: string
  readonly required: boolean
}

/** A paged operation's lazy stream. */
export interface PagingRow {
  readonly stream: string
  readonly items: string
  readonly itemModel: string
}

/** One operation, everything the client, the mock and the docs need. */
export interface OperationRow {
  readonly id: string
  readonly service: "ConversationService" | "ConversationEmbedService"
  readonly method: HttpMethod
  readonly path: string
  readonly area: string
  readonly pathParams: ReadonlyArray<PathParameterRow>
  readonly query: ReadonlyArray<QueryParameterRow>
  readonly body: BodyRow | undefined
  readonly response: string | undefined
  readonly retry: RetryClass
  readonly paging: PagingRow | undefined
  readonly summary: string
  readonly description: string | undefined
  readonly unverified: boolean
}

const int32 = { minimum: -2147483648, maximum: 2147483647 }
const safe = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }

const parameterType = (schema: SchemaNode | undefined): ParameterType => {
  switch (schema?.type) {
    case "integer":
      return schema.format === "int32" ? "int32" : schema.format === "int64" ? "int64" : "integer"
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    default:
      return "string"
  }
}

const isInteger = (type: ParameterType): boolean => type === "int32" || type === "int64" || type === "integer"

/**
 * The area an operation belongs to, from its path: `/conversation/pbx/queue/{id}` → `pbx/queue`,
 * `/conversation/agent/status/config` → `agent/status`, `/conversation/canned_messages` → `canned_messages`.
 */
export const areaOf = (path: string): string => {
  const segments = path.split("/").filter((s) => s.length > 0 && !s.startsWith("{"))
  const [root, first, second] = segments
  if (root === "conversation_embed") return "embed"
  if (first === undefined) return "conversation"
  if ((first === "pbx" || first === "agent") && second !== undefined) {
    // The plural PBX queue routes (statistics, voicemails) belong with the queues.
    return `${first}/${second === "queues" ? "queue" : second === "profiles" ? "profile" : second}`
  }
  return first
}

/** The bounds a query integer gets from its name and description (`Max 200`), before overrides. */
const queryBounds = (name: string, type: ParameterType, description: string | undefined) => {
  if (!isInteger(type)) return { minimum: undefined, maximum: undefined }
  const range = type === "int32" ? int32 : safe
  if (name === "_offset") return { minimum: 0, maximum: range.maximum }
  const max = /\bmax(?:imum)?\.?\s+(\d+)/i.exec(description ?? "")
  if ((name === "_limit" || name === "limit") && max?.[1] !== undefined) return { minimum: 1, maximum: Number(max[1]) }
  return range
}

const findOverride = (overrides: Overrides, operation: string, place: "path" | "query", name: string) =>
  overrides.parameters.find((o) => o.operation === operation && o.in === place && o.name === name)

/** The parameters of an operation, a duplicated one (same name and place) counted once. */
const uniqueParameters = (operation: Operation): ReadonlyArray<Parameter> => {
  const seen = new Map<string, Parameter>()
  for (const parameter of operation.parameters ?? []) {
    const key = `${parameter.in}:${parameter.name}`
    const earlier = seen.get(key)
    // Keep the richer copy (with a description or `required`).
    if (earlier === undefined || (earlier.description === undefined && parameter.description !== undefined)) {
      seen.set(key, { ...parameter, required: (earlier?.required ?? false) || (parameter.required ?? false) })
    }
  }
  return [...seen.values()]
}

const successSchema = (operation: Operation): string | undefined => {
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith("2")) continue
    const schema = Object.values(response.content ?? {})[0]?.schema
    if (schema?.$ref !== undefined) return refName(schema.$ref)
  }
  return undefined
}

const bodyArgument = (operation: Operation): string => {
  const name = operation["x-codegen-request-body-name"]
  return name === undefined || name === "request" || name.endsWith("_request") ? "request" : camelCase(name)
}

/** The stream of a paged operation: `getConversations` → `streamConversations`, `searchPbxCalls` → `streamPbxCalls`. */
const streamName = (id: string): string => `stream${pascalCase(id.replace(/^(get|search|list)/, ""))}`

const applyOverride = <Row extends object>(
  row: Row,
  override: ParameterOverride | undefined
): Row => {
  if (override === undefined) return row
  return {
    ...row,
    ...(override.enum === undefined ? {} : { enum: override.enum }),
    ...(override.minimum === undefined ? {} : { minimum: override.minimum }),
    ...(override.maximum === undefined ? {} : { maximum: override.maximum }),
    ...(override.pattern === undefined ? {} : { pattern: override.pattern, patternText: override.patternText })
  }
}

/** Every operation as a row, in the description's order. */
export const readOperations = (
  description: Description,
  retryClasses: Readonly<Record<string, string>>,
  overrides: Overrides,
  models: ModelSet
): ReadonlyArray<OperationRow> => {
  const schemas = description.components.schemas
  const rows = operationsOf(description).map(({ method, operation, path }): OperationRow => {
    const id = operation.operationId
    const parameters = uniqueParameters(operation)
    const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match): PathParameterRow => {
      const name = match[1] ?? ""
      const parameter = parameters.find((p) => p.in === "path" && p.name === name)
      if (parameter === undefined) throw new Error(`${id}: path parameter {${name}} is not described`)
      return applyOverride(
        {
          name,
          argument: camelCase(name),
          type: parameterType(parameter.schema),
          description: parameter.description,
          pattern: undefined,
          patternText: undefined
        },
        findOverride(overrides, id, "path", name)
      )
    })
    const query = parameters.filter((p) => p.in === "query").map((parameter): QueryParameterRow => {
      const type = parameterType(parameter.schema)
      return applyOverride(
        {
          name: parameter.name,
          option: camelCase(parameter.name),
          type,
          required: parameter.required ?? false,
          enum: parameter.schema?.enum,
          ...queryBounds(parameter.name, type, parameter.description),
          description: parameter.description
        },
        findOverride(overrides, id, "query", parameter.name)
      )
    })
    const content = Object.entries(operation.requestBody?.content ?? {})[0]
    const bodyRef = content?.[1].schema?.$ref
    const body = content === undefined || bodyRef === undefined
      ? undefined
      : { argument: bodyArgument(operation), model: refName(bodyRef), mediaType: content[0], required: operation.requestBody?.required ?? false }
    const response = successSchema(operation)
    const retry = retryClasses[id]
    if (retry !== "read" && retry !== "idempotent-write" && retry !== "creates") {
      throw new Error(`${id}: no retry class in retry-classes.json (found ${String(retry)})`)
    }
    const paged = query.some((q) => q.name === "_limit") && query.some((q) => q.name === "_offset")
    let paging: PagingRow | undefined
    if (paged) {
      const arrays = Object.entries(schemas[response ?? ""]?.properties ?? {}).filter(([, node]) =>
        node.type === "array" && node.items?.$ref !== undefined
      )
      const [only] = arrays
      if (arrays.length !== 1 || only === undefined) throw new Error(`${id}: a paged response needs exactly one list field`)
      paging = { stream: streamName(id), items: only[0], itemModel: refName(only[1].items?.$ref ?? "") }
    }
    return {
      id,
      service: path.startsWith("/conversation_embed/") ? "ConversationEmbedService" : "ConversationService",
      method,
      path,
      area: areaOf(path),
      pathParams,
      query,
      body,
      response,
      retry,
      paging,
      summary: (operation.summary ?? id).trim(),
      description: operation.description?.trim(),
      unverified: operation["x-unverified"] === true
    }
  })
  for (const override of overrides.parameters) {
    const row = rows.find((r) => r.id === override.operation)
    const list: ReadonlyArray<{ readonly name: string }> = override.in === "path" ? row?.pathParams ?? [] : row?.query ?? []
    if (!list.some((p) => p.name === override.name)) {
      throw new Error(`overrides.json: ${override.operation} has no ${override.in} parameter ${override.name}`)
    }
  }
  for (const row of rows) {
    for (const name of [row.body?.model, row.response, row.paging?.itemModel]) {
      if (name !== undefined && !models.exportNames.has(name)) throw new Error(`${row.id}: unknown model ${name}`)
    }
  }
  return rows
}
