/**
 * The resource families of the Conversation API, derived from the operation table rather than listed by
 * hand: a collection path with a list (`GET /x`) and an insert (`POST /x`, retry class `creates`) or item
 * operations (`GET|PUT|POST|DELETE /x/{id}`), or at least a get and an update of one item. The item's id
 * field is the field of its model that matches the path parameter (`conversationPbxAddressUuid` ↔
 * `conversation_pbx_address_uuid`, `classOfServiceUuid` ↔ `conversation_pbx_class_of_service_uuid`);
 * path parameters before the collection (`/agent/profiles/{user_id}/mcps`) scope it.
 *
 * @since 0.2.0
 */
import { Schema, SchemaAST } from "effect"
import type { Operation, OperationId } from "../generated/operations.js"

/** The role an operation plays in its family. */
export type FamilyRole = "list" | "insert" | "get" | "update" | "delete"

/** How a family's ids are made: whole numbers (`…_oid`), uuids, or other strings (`recording_sid`). */
export type IdKind = "integer" | "uuid" | "string"

/** A family of resources around one id. */
export interface Family {
  /** The collection path below `/conversation/`, e.g. `canned_messages`, `pbx/queue`, `agent/profiles/{user_id}/mcps`. */
  readonly name: string
  /** The collection path, e.g. `/conversation/pbx/queue`. */
  readonly path: string
  /** Path parameters of the collection itself (their values scope the items). */
  readonly scope: ReadonlyArray<string>
  /** The item's path parameter, e.g. `conversationPbxQueueUuid`. */
  readonly idParam: string
  /** The item model's id field, e.g. `conversation_pbx_queue_uuid`. */
  readonly idField: string
  readonly idKind: IdKind
  /** The item model's field names (wire names). */
  readonly fields: ReadonlyArray<string>
  /** The operation of each role. */
  readonly operations: Readonly<Partial<Record<FamilyRole, OperationId>>>
  /** Operations on one item below its path (`/x/{id}/usage`): an unknown id is a 404. */
  readonly actions: ReadonlyArray<OperationId>
}

/** The families and, per operation, its family and role. */
export interface Families {
  readonly list: ReadonlyArray<Family>
  readonly byOperation: ReadonlyMap<OperationId, { readonly family: Family; readonly role: FamilyRole | "action" }>
}

const envelope: ReadonlySet<string> = new Set(["error", "metadata", "success", "warning"])

/** The wire-side AST of a schema, suspensions and nullable unions looked through. */
const resolve = (ast: SchemaAST.AST): SchemaAST.AST => {
  let current = ast
  for (;;) {
    if (SchemaAST.isSuspend(current)) current = current.f()
    else if (SchemaAST.isUnion(current)) {
      const kept = current.types.filter((t) => !SchemaAST.isUndefinedKeyword(t) && !(SchemaAST.isLiteral(t) && t.literal === null))
      const [only] = kept
      if (kept.length !== 1 || only === undefined) return current
      current = only
    } else return current
  }
}

/** The properties of a struct schema (wire side). */
export const propertiesOf = (schema: Schema.Schema.AnyNoContext): ReadonlyArray<SchemaAST.PropertySignature> => {
  const ast = resolve(Schema.encodedSchema(schema).ast)
  return SchemaAST.isTypeLiteral(ast) ? ast.propertySignatures : []
}

/** A response model's payload: the field holding a list of items or one item, and the item's fields. */
export const payloadOf = (
  schema: Schema.Schema.AnyNoContext | undefined,
  shape: "list" | "item"
): { readonly field: string; readonly itemFields: ReadonlyArray<string> } | undefined => {
  if (schema === undefined) return undefined
  for (const property of propertiesOf(schema)) {
    if (typeof property.name !== "string" || envelope.has(property.name)) continue
    const type = resolve(property.type)
    if (shape === "list" && SchemaAST.isTupleType(type)) {
      const item = type.rest[0]?.type
      const itemType = item === undefined ? undefined : resolve(item)
      if (itemType !== undefined && SchemaAST.isTypeLiteral(itemType)) {
        return { field: property.name, itemFields: itemType.propertySignatures.map((p) => String(p.name)) }
      }
    }
    if (shape === "item" && SchemaAST.isTypeLiteral(type)) {
      return { field: property.name, itemFields: type.propertySignatures.map((p) => String(p.name)) }
    }
  }
  return undefined
}

const normalized = (name: string): string => name.replace(/_/g, "").toLowerCase()

const lastParam = (path: string): string | undefined => /\/\{([^}]+)\}$/.exec(path)?.[1]

/**
 * Derives the families of the table. Operations in `excluded` (those with their own behaviour in the
 * mock, such as the conversations) belong to no family.
 */
export const deriveFamilies = (operations: ReadonlyArray<Operation>, excluded: ReadonlySet<OperationId>): Families => {
  const collections = new Map<string, Array<Operation>>()
  for (const operation of operations) {
    if (excluded.has(operation.id) || operation.service !== "ConversationService") continue
    const collection = operation.path.replace(/\/\{[^}]+\}$/, "")
    collections.set(collection, [...(collections.get(collection) ?? []), operation])
  }
  const list: Array<Family> = []
  for (const [path, members] of collections) {
    const onCollection = members.filter((o) => o.path === path)
    const onItem = members.filter((o) => o.path !== path)
    const roles: Readonly<Record<FamilyRole, Operation | undefined>> = {
      list: onCollection.find((o) => o.method === "GET" && o.response !== undefined),
      insert: onCollection.find((o) => o.method !== "GET" && o.retry === "creates" && o.body !== undefined),
      get: onItem.find((o) => o.method === "GET" && o.response !== undefined),
      update: onItem.find((o) => (o.method === "PUT" || o.method === "POST") && o.body !== undefined),
      delete: onItem.find((o) => o.method === "DELETE")
    }
    const idParam = onItem.map((o) => lastParam(o.path)).find((p) => p !== undefined)
    const isFamily = (roles.list !== undefined && (roles.insert !== undefined || onItem.length > 0)) ||
      (roles.get !== undefined && roles.update !== undefined)
    if (!isFamily || idParam === undefined) continue
    const item = payloadOf(roles.get?.response, "item") ?? payloadOf(roles.list?.response, "list") ??
      payloadOf(roles.update?.response, "item")
    const idField = item?.itemFields.find((f) => normalized(f) === normalized(idParam)) ??
      item?.itemFields.find((f) => normalized(f).endsWith(normalized(idParam)))
    const idOperation = onItem[0]
    if (item === undefined || idField === undefined || idOperation === undefined) continue
    const idType = idOperation.pathParams.find((p) => p.name === idParam)?.type
    const family: Family = {
      name: path.replace(/^\/conversation\//, ""),
      path,
      scope: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ""),
      idParam,
      idField,
      idKind: idType === "string" ? (idField.endsWith("uuid") ? "uuid" : "string") : "integer",
      fields: item.itemFields,
      operations: Object.fromEntries(
        Object.entries(roles).flatMap(([role, operation]) => (operation === undefined ? [] : [[role, operation.id]]))
      ),
      actions: []
    }
    list.push(family)
  }
  // Operations below one item of a family (`/pbx/audio/{id}/usage`): the family's item must exist.
  const claimed = new Set(list.flatMap((family) => Object.values(family.operations)))
  const complete = list.map((family): Family => ({
    ...family,
    actions: operations
      .filter((o) => !excluded.has(o.id) && !claimed.has(o.id) && o.path.startsWith(`${family.path}/{${family.idParam}}/`))
      .map((o) => o.id)
  }))
  return { list: complete, byOperation: familyRoles(complete) }
}

const roles: ReadonlyArray<string> = ["list", "insert", "get", "update", "delete"]
const isRole = (role: string): role is FamilyRole => roles.includes(role)

/** A single-object setting: a get and an update of one path without parameters (`/conversation/agent/profile`). */
export interface Setting {
  /** The path below `/conversation/`, e.g. `agent/profile`, `virtualagent/budget`. */
  readonly name: string
  readonly role: "get" | "update"
}

/**
 * The settings of the table: paths without parameters that have both a `GET` with an answer and a
 * `PUT`/`POST` with a body (that creates nothing), outside the families and `excluded`.
 */
export const deriveSettings = (
  operations: ReadonlyArray<Operation>,
  excluded: ReadonlySet<OperationId>,
  families: ReadonlyArray<Family>
): ReadonlyMap<OperationId, Setting> => {
  const inFamily = new Set(families.flatMap((f) => [...Object.values(f.operations), ...f.actions]))
  const candidates = operations.filter((o) =>
    !excluded.has(o.id) && !inFamily.has(o.id) && o.pathParams.length === 0 && o.service === "ConversationService"
  )
  const settings = new Map<OperationId, Setting>()
  for (const get of candidates.filter((o) => o.method === "GET" && o.response !== undefined)) {
    const update = candidates.find((o) =>
      o.path === get.path && (o.method === "PUT" || o.method === "POST") && o.body !== undefined && o.retry !== "creates"
    )
    if (update === undefined) continue
    const name = get.path.replace(/^\/conversation\//, "")
    settings.set(get.id, { name, role: "get" })
    settings.set(update.id, { name, role: "update" })
  }
  return settings
}

/** Each operation of the families, with its family and role. */
export const familyRoles = (
  families: ReadonlyArray<Family>
): ReadonlyMap<OperationId, { readonly family: Family; readonly role: FamilyRole | "action" }> => {
  const roles = new Map<OperationId, { readonly family: Family; readonly role: FamilyRole | "action" }>()
  for (const family of families) {
    for (const [role, id] of Object.entries(family.operations)) {
      if (id !== undefined && isRole(role)) roles.set(id, { family, role })
    }
    for (const id of family.actions) roles.set(id, { family, role: "action" })
  }
  return roles
}
