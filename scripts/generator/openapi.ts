/**
 * The subset of OpenAPI 3.0 that UltraCart's Conversation description uses, as TypeScript types, and
 * the small helpers the generator needs to read it (references, names, text).
 */

/** A schema node: a reference, an object, an array or a scalar (with optional enum and format). */
export interface SchemaNode {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<string>
  readonly items?: SchemaNode
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly required?: ReadonlyArray<string>
  readonly description?: string
  readonly title?: string
  readonly maxLength?: number
  readonly default?: unknown
  readonly "x-reconstructed-from"?: string
}

/** A path or query parameter. */
export interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header" | "cookie"
  readonly required?: boolean
  readonly description?: string
  readonly schema?: SchemaNode
}

/** A request body: one media type and its schema. */
export interface RequestBody {
  readonly content: Readonly<Record<string, { readonly schema?: SchemaNode }>>
  readonly required?: boolean
}

/** One documented response. */
export interface Response {
  readonly description?: string
  readonly content?: Readonly<Record<string, { readonly schema?: SchemaNode }>>
}

/** One operation of a path. */
export interface Operation {
  readonly operationId: string
  readonly summary?: string
  readonly description?: string
  readonly tags?: ReadonlyArray<string>
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: RequestBody
  readonly responses: Readonly<Record<string, Response>>
  readonly "x-codegen-request-body-name"?: string
  readonly "x-unverified"?: boolean
  readonly "x-verification-note"?: string
  readonly "x-upstream-duplicate-parameters"?: { readonly note?: string }
}

/** The HTTP methods the description uses. */
export const httpMethods = ["get", "put", "post", "delete", "patch"] as const

/** An HTTP method as written in a path item. */
export type HttpMethodKey = (typeof httpMethods)[number]

const upperMethod = { get: "GET", put: "PUT", post: "POST", delete: "DELETE", patch: "PATCH" } as const

/** An HTTP method as sent. */
export type HttpMethod = (typeof upperMethod)[HttpMethodKey]

/** A path item: its operations by method. */
export type PathItem = Partial<Readonly<Record<HttpMethodKey, Operation>>>

/** The whole description. */
export interface Description {
  readonly openapi: string
  readonly info?: { readonly title?: string; readonly version?: string }
  readonly paths: Readonly<Record<string, PathItem>>
  readonly components: { readonly schemas: Readonly<Record<string, SchemaNode>> }
}

/** The name a `#/components/schemas/<Name>` reference points to. */
export const refName = (ref: string): string => {
  const prefix = "#/components/schemas/"
  if (!ref.startsWith(prefix)) throw new Error(`unsupported reference ${ref}`)
  return ref.slice(prefix.length)
}

/** `conversation_uuid` → `conversationUuid`, `_limit` → `limit`, `conversationPbxAudioUuid` unchanged. */
export const camelCase = (name: string): string =>
  name.replace(/^_+/, "").replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())

/** `getConversation` → `GetConversation`. */
export const pascalCase = (name: string): string => {
  const camel = camelCase(name)
  return camel.charAt(0).toUpperCase() + camel.slice(1)
}

/** Every operation of the description, in path order and then method order, with its method and path. */
export const operationsOf = (
  description: Description
): ReadonlyArray<{ readonly method: HttpMethod; readonly path: string; readonly operation: Operation }> => {
  const out: Array<{ method: HttpMethod; path: string; operation: Operation }> = []
  for (const [path, item] of Object.entries(description.paths)) {
    for (const method of httpMethods) {
      const operation = item[method]
      if (operation !== undefined) out.push({ method: upperMethod[method], path, operation })
    }
  }
  return out
}
