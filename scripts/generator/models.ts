/**
 * Emits `src/generated/Models.ts`: one `Schema.Struct` per schema of the description, in dependency order,
 * with wire field names, every field optional and tolerant (`null` reads as absent) and open enums as
 * named exports. Each model has explicit interfaces (decoded and wire side) and a schema built on first use.
 */
import { type Description, pascalCase, refName, type SchemaNode } from "./openapi.js"
import type { Overrides } from "./overrides.js"
import { generatedHeader, literal, propertyKey, tsdoc } from "./text.js"

/** A field's value kind, resolved from its schema node. */
export type FieldType =
  | { readonly _tag: "string"; readonly dateTime: boolean; readonly maxLength: number | undefined }
  | { readonly _tag: "number"; readonly integer: "int32" | "int64" | "integer" | undefined }
  | { readonly _tag: "boolean" }
  | { readonly _tag: "unknown" }
  | { readonly _tag: "enum"; readonly name: string; readonly values: ReadonlyArray<string> }
  | { readonly _tag: "ref"; readonly name: string }
  | { readonly _tag: "array"; readonly item: FieldType }

/** One field of a model. */
export interface Field {
  readonly name: string
  readonly type: FieldType
  readonly required: boolean
  readonly description: string | undefined
}

/** One model: its spec name, the name it is exported under, its fields. */
export interface Model {
  readonly name: string
  readonly exportName: string
  readonly description: string | undefined
  readonly reconstructed: boolean
  readonly fields: ReadonlyArray<Field>
}

/** One open enum found inline on a field. */
export interface EnumModel {
  readonly name: string
  readonly values: ReadonlyArray<string>
  readonly owner: string
  readonly field: string
  readonly description: string | undefined
}

/** The resolved models of a description. */
export interface ModelSet {
  readonly models: ReadonlyArray<Model>
  readonly enums: ReadonlyArray<EnumModel>
  /** Spec name → exported name. */
  readonly exportNames: ReadonlyMap<string, string>
}

/**
 * The name of an inline enum: `Conversation.medium` → `ConversationMedium`; when the owner's name already
 * ends with the field (`ConversationSentiment.sentiment`) → `ConversationSentimentValue`; a name taken by a
 * schema gets `Enum` appended.
 */
const enumName = (owner: string, field: string, taken: ReadonlySet<string>): string => {
  const tail = pascalCase(field)
  const base = owner.endsWith(tail) ? `${owner}Value` : `${owner}${tail}`
  return taken.has(base) ? `${base}Enum` : base
}

const integerFormat = (format: string | undefined): "int32" | "int64" | undefined =>
  format === "int32" || format === "int64" ? format : undefined

/** Reads the models of a description. */
export const readModels = (description: Description, overrides: Overrides): ModelSet => {
  const schemas = description.components.schemas
  const names = Object.keys(schemas).sort()
  const exportNames = new Map(names.map((name) => [name, overrides.schemaNames[name]?.export ?? name]))
  const taken = new Set(exportNames.values())
  const enums: Array<EnumModel> = []

  const resolve = (node: SchemaNode, owner: string, field: string): FieldType => {
    if (node.$ref !== undefined) {
      const name = refName(node.$ref)
      if (schemas[name] === undefined) throw new Error(`${owner}.${field}: unknown schema ${name}`)
      return { _tag: "ref", name }
    }
    if (node.enum !== undefined && node.enum.length > 0) {
      const name = enumName(owner, field, taken)
      taken.add(name)
      enums.push({ name, values: node.enum, owner, field, description: node.description })
      return { _tag: "enum", name, values: node.enum }
    }
    switch (node.type) {
      case "string":
        return { _tag: "string", dateTime: node.format === "dateTime" || node.format === "date-time", maxLength: node.maxLength }
      case "integer":
        return { _tag: "number", integer: integerFormat(node.format) ?? "integer" }
      case "number":
        return { _tag: "number", integer: undefined }
      case "boolean":
        return { _tag: "boolean" }
      case "array":
        return { _tag: "array", item: node.items === undefined ? { _tag: "unknown" } : resolve(node.items, owner, field) }
      default:
        // `type: object` without properties, or no type at all: any JSON value (the Java SDK's `Object`).
        return { _tag: "unknown" }
    }
  }

  const models: Array<Model> = names.map((name) => {
    const schema = schemas[name] ?? {}
    const required = new Set(schema.required ?? [])
    const fields = Object.entries(schema.properties ?? {}).map(([field, node]): Field => ({
      name: field,
      type: resolve(node, exportNames.get(name) ?? name, field),
      required: required.has(field),
      description: node.description
    }))
    return {
      name,
      exportName: exportNames.get(name) ?? name,
      description: schema.description ?? schema.title,
      reconstructed: schema["x-reconstructed-from"] !== undefined,
      fields
    }
  })

  return { models, enums, exportNames }
}

/** The Schema expression of a field type. */
const schemaExpression = (set: ModelSet, type: FieldType): string => {
  switch (type._tag) {
    case "string":
      return type.dateTime ? "DateTime" : "Schema.String"
    case "number":
      return "Schema.Number"
    case "boolean":
      return "Schema.Boolean"
    case "unknown":
      return "Schema.Unknown"
    case "enum":
      return type.name
    case "array":
      return `Schema.Array(${schemaExpression(set, type.item)})`
    case "ref":
      return set.exportNames.get(type.name) ?? type.name
  }
}

/** The TypeScript type of a field type, on the decoded (`Type`) or wire (`Encoded`) side. */
const typeText = (set: ModelSet, type: FieldType, side: "Type" | "Encoded"): string => {
  switch (type._tag) {
    case "string":
      return "string"
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    case "unknown":
      return "unknown"
    case "enum":
      return side === "Type" ? type.name : "string"
    case "array":
      return `ReadonlyArray<${typeText(set, type.item, side)}>`
    case "ref": {
      const name = set.exportNames.get(type.name) ?? type.name
      return side === "Type" ? name : `${name}Encoded`
    }
  }
}

const fieldDoc = (field: Field): ReadonlyArray<string | undefined> => {
  const notes: Array<string> = []
  const base = field.type._tag === "array" ? field.type.item : field.type
  if (base._tag === "string" && base.dateTime) notes.push("A date-time string (ISO 8601), kept as UltraCart sends it.")
  if (base._tag === "string" && base.maxLength !== undefined) notes.push(`At most ${base.maxLength} characters.`)
  if (base._tag === "number" && base.integer !== undefined) notes.push(`A whole number (${base.integer}).`)
  return [field.description, notes.join(" ")]
}

const modelDoc = (model: Model): ReadonlyArray<string | undefined> => [
  model.description ?? `UltraCart's \`${model.name}\` model.`,
  model.exportName !== model.name ? `The description calls it \`${model.name}\`.` : undefined
]

const emitStruct = (set: ModelSet, model: Model): string => {
  const lines = model.fields.map((field) => {
    const schema = schemaExpression(set, field.type)
    const value = field.required ? schema : field.type._tag === "unknown" ? "anyValue" : `field(${schema})`
    return `    ${propertyKey(field.name)}: ${value}`
  })
  const body = lines.length === 0 ? "{}" : `{\n${lines.join(",\n")}\n  }`
  return `Schema.Struct(${body}).annotations({ identifier: ${literal(model.name)} })`
}

const emitInterface = (set: ModelSet, model: Model, side: "Type" | "Encoded"): string => {
  const name = side === "Type" ? model.exportName : `${model.exportName}Encoded`
  const lines = model.fields.map((field) => {
    const type = typeText(set, field.type, side)
    const optional = field.required ? "" : "?"
    const nullable = field.required || field.type._tag === "unknown" ? "" : side === "Type" ? " | undefined" : " | null | undefined"
    return `${side === "Type" ? tsdoc(fieldDoc(field), "  ") : ""}  readonly ${propertyKey(field.name)}${optional}: ${type}${nullable}`
  })
  const doc = side === "Type" ? tsdoc(modelDoc(model)) : tsdoc([`\`${model.exportName}\` as it is sent on the wire.`])
  return `${doc}export interface ${name} {\n${lines.join("\n")}\n}`
}

/**
 * A model: its interfaces (decoded and wire side) and its schema, built on first use (`Schema.suspend`),
 * so that importing 400 models costs next to nothing and reference cycles need no special order.
 */
const emitModel = (set: ModelSet, model: Model): string => {
  const name = model.exportName
  return [
    emitInterface(set, model, "Type"),
    emitInterface(set, model, "Encoded"),
    `${tsdoc(modelDoc(model))}export const ${name}: Schema.Schema<${name}, ${name}Encoded> = Schema.suspend(() =>\n  ${emitStruct(set, model)}\n)`
  ].join("\n\n")
}

const emitEnum = (entry: EnumModel): string => {
  const doc = tsdoc([
    entry.description ?? `The values of \`${entry.owner}.${entry.field}\`.`,
    "An open enum: a value UltraCart adds later still decodes, as a plain string."
  ])
  const union = [...entry.values.map(literal), "(string & {})"].join(" | ")
  return [
    `${doc}export type ${entry.name} = ${union}`,
    `${doc}export const ${entry.name}: Schema.Schema<${entry.name}, string> = openEnum(${entry.values.map(literal).join(", ")})`
  ].join("\n")
}

/** The source of `src/generated/Models.ts`. */
export const emitModels = (set: ModelSet): string => {
  const parts = [
    generatedHeader("Every model of UltraCart's Conversation API as an Effect Schema."),
    'import { Schema } from "effect"',
    'import { anyValue, DateTime, field, openEnum } from "../internal/modelKit.js"',
    ...set.enums.map(emitEnum),
    ...set.models.map((model) => emitModel(set, model))
  ]
  return `${parts.join("\n\n")}\n`
}
