/**
 * The shape of one row of the generated operation table (`src/generated/operations.ts`): everything the
 * client core, the mock layer, the embedded server and the command line need to know about an operation.
 * The core reads rows; it knows no operation by name.
 */
import type { Effect, Schema, Stream } from "effect"
import type { ConversationError } from "../Errors.js"

/** How an operation may be retried: `creates` is never sent again once the server may have processed it. */
export type RetryClass = "read" | "idempotent-write" | "creates"

/** The value type of a path or query parameter (`int32` / `int64` / `integer` are whole numbers). */
export type ParameterType = "string" | "int32" | "int64" | "integer" | "number" | "boolean"

/** A path parameter, in the order it appears in the path template. */
export interface PathParameterSpec {
  /** The name in the template, e.g. `conversation_uuid`. */
  readonly name: string
  /** The method's argument name, e.g. `conversationUuid`. */
  readonly argument: string
  readonly type: ParameterType
  readonly description?: string | undefined
  /** A stricter check from spec/overrides.json: the whole value must match. */
  readonly pattern?: RegExp | undefined
  readonly patternText?: string | undefined
}

/** A query parameter and how its option is checked. */
export interface QueryParameterSpec {
  /** The wire name, e.g. `_limit`. */
  readonly name: string
  /** The key in the method's `options`, e.g. `limit`. */
  readonly option: string
  readonly type: ParameterType
  readonly required: boolean
  readonly enum?: ReadonlyArray<string> | undefined
  readonly minimum?: number | undefined
  readonly maximum?: number | undefined
  readonly description?: string | undefined
}

/** A request body: its argument name, model and media type. */
export interface RequestBodySpec {
  readonly argument: string
  readonly schema: Schema.Schema.AnyNoContext
  /** `application/json` (with or without a charset) or `application/x-www-form-urlencoded`. */
  readonly mediaType: string
  readonly required: boolean
}

/** A paged operation (`_limit` / `_offset`): the name of its lazy stream and the list field of a page. */
export interface PagingSpec {
  readonly stream: string
  readonly items: string
}

/** The service an operation belongs to. */
export type ServiceName = "ConversationService" | "ConversationEmbedService"

/** One operation. */
export interface OperationSpec {
  readonly id: string
  readonly service: ServiceName
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH"
  /** The path below the base URL, with `{name}` for each path parameter. */
  readonly path: string
  /** The area of the API it belongs to, from its path (`conversations`, `pbx/queue`, `agent/status`, …). */
  readonly area: string
  readonly pathParams: ReadonlyArray<PathParameterSpec>
  readonly query: ReadonlyArray<QueryParameterSpec>
  readonly body: RequestBodySpec | undefined
  /** The success body's schema, or `undefined` when any 2xx (with or without a body) is success. */
  readonly response: Schema.Schema.AnyNoContext | undefined
  readonly retry: RetryClass
  readonly paging: PagingSpec | undefined
  readonly summary: string
  readonly description?: string | undefined
  /** Method and path confirmed; parameters read from an older SDK (`x-unverified` in the description). */
  readonly unverified: boolean
}

/** What a successful call of an operation returns: its response model, or `void`. */
export type SuccessOf<O extends OperationSpec> = O["response"] extends Schema.Schema<infer A, infer _I, never> ? A : void

/** The item type of a paged operation's stream. */
export type ItemOf<O extends OperationSpec> = O["paging"] extends { readonly items: infer K extends string }
  ? SuccessOf<O> extends { readonly [key in K]?: ReadonlyArray<infer Item> | undefined } ? Item : never
  : never

/** Whether sending the operation twice cannot create anything twice. */
export const isIdempotent = (operation: OperationSpec): boolean => operation.retry !== "creates"

/** The path template with `:name` for each parameter, for a router. */
export const routerPath = (operation: OperationSpec): string => operation.path.replace(/\{([^}]+)\}/g, ":$1")

/**
 * What the generated service bindings call: one generic call and one generic stream, each given its row.
 * The arguments arrive as the caller passed them and are checked against the row before anything is sent.
 */
export interface Caller {
  readonly call: <O extends OperationSpec>(
    operation: O,
    pathArguments: ReadonlyArray<unknown>,
    body: unknown,
    options: unknown
  ) => Effect.Effect<SuccessOf<O>, ConversationError>
  readonly stream: <O extends OperationSpec>(
    operation: O,
    pathArguments: ReadonlyArray<unknown>,
    body: unknown,
    options: unknown
  ) => Stream.Stream<ItemOf<O>, ConversationError>
}
