/**
 * The building blocks the generated models are written with: a tolerant optional field, an open enum and
 * the date-time string. Kept by hand so that the generated file is nothing but models.
 */
import { Schema } from "effect"

/** An optional wire field: absent, `undefined` or `null` (read as absent). */
export const field = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/**
 * An enum UltraCart may extend without notice: the known values keep their literal types (and editor
 * completion), an unknown value still decodes as a plain string.
 */
export const openEnum = <const Known extends readonly [string, ...Array<string>]>(
  ...known: Known
): Schema.Schema<Known[number] | (string & {}), string> => Schema.Union(Schema.Literal(...known), Schema.String)

/** A date-time string as UltraCart sends it (ISO 8601, kept verbatim; the description's `format: dateTime`). */
export const DateTime = Schema.String

/**
 * A field of any JSON value (the description's `type: object` without properties): absent, or any value
 * kept as it is, `null` included.
 */
export const anyValue = Schema.optional(Schema.Unknown)
