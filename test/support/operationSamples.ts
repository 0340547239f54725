/**
 * Samples for the table-driven tests over every operation, derived from the operation table and the
 * models (never written per operation): the arguments of a call by DESIGN.md's convention, the request
 * it must put on the wire, answers generated from the response schema, and a way to call a service's
 * method by its operation id.
 */
import { Arbitrary, Effect, FastCheck as fc, Schema, SchemaAST } from "effect"
import type { ConversationError } from "../../src/Errors.js"
import { type DescribedOperation, optionName } from "./description.js"

/** A path value with a space and a slash, so that encoding into one segment shows on the wire. */
export const samplePathString = "id 1/ü"

/** The declared properties of a (possibly suspended) struct schema, on its wire side. */
export const wireProperties = (schema: Schema.Schema.AnyNoContext): ReadonlyArray<SchemaAST.PropertySignature> => {
  let ast = Schema.encodedSchema(schema).ast
  while (SchemaAST.isSuspend(ast)) ast = ast.f()
  return SchemaAST.isTypeLiteral(ast) ? ast.propertySignatures : []
}

const members = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => (SchemaAST.isUnion(ast) ? ast.types : [ast])

/** What kind of JSON value a property takes (nullable unions looked through). */
export const valueKind = (property: SchemaAST.PropertySignature): "string" | "number" | "boolean" | "array" | "object" | "other" => {
  const kinds = members(property.type).filter((m) => !(SchemaAST.isLiteral(m) && m.literal === null) && !SchemaAST.isUndefinedKeyword(m))
  if (kinds.some(SchemaAST.isStringKeyword)) return "string"
  if (kinds.some(SchemaAST.isNumberKeyword)) return "number"
  if (kinds.some(SchemaAST.isBooleanKeyword)) return "boolean"
  if (kinds.some(SchemaAST.isTupleType)) return "array"
  if (kinds.some((m) => SchemaAST.isTypeLiteral(m) || SchemaAST.isSuspend(m))) return "object"
  return "other"
}

/** A small body of the model's shape: its scalar fields filled, nested models left out. */
export const sampleBody = (schema: Schema.Schema.AnyNoContext): Record<string, string | number | boolean> => {
  const body: Record<string, string | number | boolean> = {}
  for (const property of wireProperties(schema)) {
    if (typeof property.name !== "string") continue
    const kind = valueKind(property)
    if (kind === "string") body[property.name] = `v-${property.name}`
    else if (kind === "number") body[property.name] = 7
    else if (kind === "boolean") body[property.name] = true
  }
  return body
}

/** A call by the convention: path parameters, then the body, then the options; and what it must send. */
export interface SampleCall {
  readonly args: ReadonlyArray<unknown>
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  /** The body the server must receive: parsed JSON, form pairs, or none. */
  readonly body: { readonly json: unknown } | { readonly form: ReadonlyArray<readonly [string, string]> } | undefined
  readonly contentType: string | undefined
}

/**
 * The sample call of a described operation, every query option given, built from UltraCart's
 * description and DESIGN.md's naming rule (not from the generated table). `bodySchema` is the model the
 * description names for the body.
 */
export const sampleCall = (operation: DescribedOperation, bodySchema: Schema.Schema.AnyNoContext | undefined): SampleCall => {
  const pathValues = operation.pathParams.map((p): string | number =>
    p.integer ? 5 : p.name === "extension" ? "png" : samplePathString
  )
  let path = operation.path
  operation.pathParams.forEach((p, i) => {
    path = path.replace(`{${p.name}}`, encodeURIComponent(String(pathValues[i])))
  })
  const options: Record<string, string | number | boolean> = {}
  const query: Array<readonly [string, string]> = []
  for (const q of operation.query) {
    const value = q.name === "medium" ? "sms" : q.type === "boolean" ? true : q.type === "integer" ? 5 : `q-${q.name}`
    options[optionName(q.name)] = value
    query.push([q.name, String(value)])
  }
  const args: Array<unknown> = [...pathValues]
  let body: SampleCall["body"] = undefined
  if (operation.body !== undefined && bodySchema !== undefined) {
    const value = sampleBody(bodySchema)
    args.push(value)
    body = operation.body.mediaType.startsWith("application/x-www-form-urlencoded")
      ? { form: Object.entries(value).map(([k, v]) => [k, String(v)] as const) }
      : { json: value }
  }
  if (operation.query.length > 0) args.push(options)
  return { args, path, query, body, contentType: operation.body?.mediaType }
}

/** Whether JSON text carries a value unchanged (no NaN, infinities, -0 or holes). */
const jsonSafe = (value: unknown): boolean => {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0)
  if (Array.isArray(value)) return value.every((item) => item !== undefined && jsonSafe(item))
  if (typeof value === "object" && value !== null) return Object.values(value).every(jsonSafe)
  return true
}

/** An answer generated from the response schema's wire side (deterministic for a seed). */
export const sampleAnswer = (schema: Schema.Schema.AnyNoContext, seed = 42): unknown => {
  const arbitrary = Arbitrary.make(Schema.encodedSchema(schema)).filter(jsonSafe)
  const [value] = fc.sample(arbitrary, { seed, numRuns: 1 })
  return value
}

/** An answer with every field of the response model `null`. */
export const allNullAnswer = (schema: Schema.Schema.AnyNoContext): Record<string, null> =>
  Object.fromEntries(wireProperties(schema).flatMap((p) => (typeof p.name === "string" ? [[p.name, null]] : [])))

/** An answer whose first typed field has a value of the wrong JSON type, or `undefined` when none can. */
export const wrongTypedAnswer = (schema: Schema.Schema.AnyNoContext): Record<string, unknown> | undefined => {
  for (const property of wireProperties(schema)) {
    if (typeof property.name !== "string") continue
    switch (valueKind(property)) {
      case "string":
        return { [property.name]: 12345 }
      case "number":
      case "boolean":
      case "array":
      case "object":
        return { [property.name]: "not the right type" }
      default:
        continue
    }
  }
  return undefined
}

/** Calls a service's method by its name with the given arguments. */
export const invoke = (
  service: object,
  name: string,
  args: ReadonlyArray<unknown>
): Effect.Effect<unknown, ConversationError> => {
  const method: unknown = Reflect.get(service, name)
  if (typeof method !== "function") return Effect.dieMessage(`the service has no method ${name}`)
  const result: Effect.Effect<unknown, ConversationError> = Reflect.apply(method, service, args)
  return result
}
