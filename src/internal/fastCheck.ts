/**
 * A fast path for decoding large responses. Effect Schema's general decoder allocates a result per node,
 * which makes a 10,000-message conversation cost ~15× its `JSON.parse`. For the plain JSON models of this
 * package (structs, arrays, strings, numbers, booleans, literals, unions, nullable optional fields) a
 * check compiled once from the schema's encoded AST can accept the parsed JSON in place: it verifies
 * the shape and removes `null` optional fields, which is all the models' decoding does. Anything the
 * check does not accept goes through the full Schema decoder, which stays the authority (and produces
 * the error). Unknown fields are left on the object (the types do not show them).
 *
 * Hand-written because Effect Schema 3 has no compiled validator; test/fastCheck.test.ts checks that it
 * agrees with `Schema.decodeUnknownEither` on arbitrary input.
 */
import { Either, type ParseResult, Schema, SchemaAST } from "effect"

type Check = (u: unknown) => boolean

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const acceptsNull = (ast: SchemaAST.AST): boolean =>
  (SchemaAST.isLiteral(ast) && ast.literal === null) || (SchemaAST.isUnion(ast) && ast.types.some(acceptsNull))

const isNullish = (ast: SchemaAST.AST): boolean =>
  ast._tag === "UndefinedKeyword" || (SchemaAST.isLiteral(ast) && ast.literal === null)

const withoutNullish = (ast: SchemaAST.AST): SchemaAST.AST => {
  if (!SchemaAST.isUnion(ast)) return ast
  const kept = ast.types.filter((member) => !isNullish(member))
  const [only] = kept
  return kept.length === 1 && only !== undefined ? only : SchemaAST.Union.make(kept)
}

const compile = (ast: SchemaAST.AST): Check | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => typeof u === "string"
    case "NumberKeyword":
      return (u) => typeof u === "number"
    case "BooleanKeyword":
      return (u) => typeof u === "boolean"
    case "UndefinedKeyword":
      return (u) => u === undefined
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "Union": {
      // A string keyword subsumes string literals (the open enums): check `typeof` once.
      const hasString = ast.types.some((member) => member._tag === "StringKeyword")
      const rest = hasString
        ? ast.types.filter((member) =>
          member._tag !== "StringKeyword" && !(SchemaAST.isLiteral(member) && typeof member.literal === "string")
        )
        : ast.types
      const checks: Array<Check> = []
      for (const member of rest) {
        const check = compile(member)
        if (check === undefined) return undefined
        checks.push(check)
      }
      if (checks.length === 0) return (u) => typeof u === "string"
      const [only] = checks
      if (!hasString && checks.length === 1 && only !== undefined) return only
      return (u) => (hasString && typeof u === "string") || checks.some((check) => check(u))
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const [rest] = ast.rest
      const item = rest === undefined ? undefined : compile(rest.type)
      if (item === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return false
        for (let i = 0; i < u.length; i++) {
          if (!item(u[i])) return false
        }
        return true
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length !== 0) return undefined
      const properties: Array<{ name: string; optional: boolean; dropNull: boolean; check: Check }> = []
      for (const property of ast.propertySignatures) {
        // Absent, undefined and null values are settled before the value's own check runs.
        const check = compile(property.isOptional ? withoutNullish(property.type) : property.type)
        if (check === undefined || typeof property.name !== "string") return undefined
        properties.push({
          name: property.name,
          optional: property.isOptional,
          dropNull: property.isOptional && acceptsNull(property.type),
          check
        })
      }
      return (u) => {
        if (!isObject(u)) return false
        for (let i = 0; i < properties.length; i++) {
          const property = properties[i]
          if (property === undefined) continue
          const value = u[property.name]
          if (value === undefined) {
            if (property.optional) continue
            if (!property.check(value)) return false
            continue
          }
          if (value === null && property.dropNull) {
            delete u[property.name]
            continue
          }
          if (!property.check(value)) return false
        }
        return true
      }
    }
    default:
      return undefined
  }
}

/**
 * A decoder for `schema` that takes the fast path when it can and falls back to
 * `Schema.decodeUnknownEither(schema)` otherwise. The input may be modified in place (null fields
 * removed), so pass only values the caller owns, such as the result of `JSON.parse`.
 */
export const decoderFor = <A, I>(
  schema: Schema.Schema<A, I>
): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const full = Schema.decodeUnknownEither(schema)
  const check = compile(Schema.encodedSchema(schema).ast)
  if (check === undefined) return full
  const accepts = (u: unknown): u is A => check(u)
  return (u) => (accepts(u) ? Either.right(u) : full(u))
}
