/**
 * Arguments for calling any operation against the mock's default seed, derived from the operation table
 * and the mock's families: an id of a seeded item wherever a family's id goes, the family's scope, a
 * seeded conversation, and a small body of the model's shape. A handful of parameters that name no
 * family get fixed values here.
 */
import type { Operation } from "../../src/generated/operations.js"
import { defaultScopes, defaultSeed, type Family, seedIds } from "../../src/testing/index.js"
import { sampleBody } from "../support/operationSamples.js"

const conversationUuid = defaultSeed[1]?.conversation_uuid ?? "missing"

/** Values for path parameters that belong to no family. */
const fixedPathValues: Readonly<Record<string, string | number>> = {
  conversation_uuid: conversationUuid,
  since: 0,
  queue_name: "Sales",
  extension: "png",
  merchant_item_id: "ITEM-1",
  agent_user_id: "1001",
  user_id: 1001,
  queue_uuid: seedIds.salesQueue
}

/** A valid value for each query parameter type (required options must be given). */
const optionValue = (type: string, name: string): string | number | boolean =>
  type === "boolean" ? true : type === "string" ? (name.startsWith("date") ? "2025-03-14" : "US") : 10

/** The first seeded item of each family, by family name. */
export type FirstItems = ReadonlyMap<string, Readonly<Record<string, unknown>>>

/** The family whose item an operation's path parameter names, if any. */
const familyOf = (operation: Operation, families: ReadonlyArray<Family>) =>
  families.find((f) => Object.values(f.operations).includes(operation.id) || f.actions.includes(operation.id))

/** The arguments of a call of `operation` that the default seed answers with a 2xx. */
export const mockArguments = (
  operation: Operation,
  families: ReadonlyArray<Family>,
  firstItems: FirstItems
): ReadonlyArray<unknown> => {
  const family = familyOf(operation, families)
  const path = operation.pathParams.map((parameter): string | number => {
    if (family !== undefined && parameter.name === family.idParam) {
      const id = firstItems.get(family.name)?.[family.idField]
      return typeof id === "number" || typeof id === "string" ? id : "missing"
    }
    const scoped = family === undefined ? undefined : defaultScopes[family.name]?.[parameter.name]
    const value = scoped ?? fixedPathValues[parameter.name] ?? "missing"
    return parameter.type === "string" ? String(value) : Number(value)
  })
  const args: Array<unknown> = [...path]
  if (operation.body !== undefined) {
    // A field naming another conversation (`conversation_arn`) would have to exist: leave such fields out.
    const body = sampleBody(operation.body.schema)
    args.push(Object.fromEntries(Object.entries(body).filter(([name]) => !name.endsWith("_arn"))))
  }
  if (operation.query.length > 0) {
    args.push(Object.fromEntries(operation.query.filter((q) => q.required).map((q) => [q.option, optionValue(q.type, q.name)])))
  }
  return args
}
