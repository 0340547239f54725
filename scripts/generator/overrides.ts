/**
 * Our decisions on top of UltraCart's description (spec/overrides.json): each one names what it changes
 * and why. The generator applies them; generated code is never edited by hand.
 */

/** A schema exported under another name. */
export interface SchemaNameOverride {
  readonly export: string
  readonly reason: string
}

/** A stricter or corrected check of one parameter. */
export interface ParameterOverride {
  readonly operation: string
  readonly in: "path" | "query"
  readonly name: string
  /** The values the parameter may take (a closed enum for what is sent). */
  readonly enum?: ReadonlyArray<string>
  /** The smallest whole number allowed. */
  readonly minimum?: number
  /** The largest whole number allowed. */
  readonly maximum?: number
  /** A regular expression the whole value must match, and how to say it to a person. */
  readonly pattern?: string
  readonly patternText?: string
  readonly reason: string
}

/** The overrides file. */
export interface Overrides {
  readonly schemaNames: Readonly<Record<string, SchemaNameOverride>>
  readonly parameters: ReadonlyArray<ParameterOverride>
}

/** No overrides (for tests of the generator). */
export const noOverrides: Overrides = { schemaNames: {}, parameters: [] }
