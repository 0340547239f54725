/**
 * A fast path for decoding large responses. Effect Schema's general decoder allocates a result per node,
 * which makes a 10,000-message conversation cost ~15× its `JSON.parse`. For the plain JSON models of this
 * package (structs, arrays, strings, numbers, booleans, literals, unions, nullable optional fields, the
 * lazily built models and the one reference cycle among them) a check compiled once from the schema's
 * AST (each struct read from its wire side) can accept the parsed JSON in place: it verifies
 * the shape and drops `null` optional fields, which is all the models' decoding does. An object with such
 * a field is replaced by a copy without it (deleting the key would turn every such object into a slow
 * dictionary-mode object: 3.8× `JSON.parse` on 10,000 messages instead of 1.5×). Anything the check does
 * not accept goes through the full Schema decoder, which stays the authority (and produces the error).
 * Unknown fields are left on the object (the types do not show them).
 *
 * Hand-written because Effect Schema 3 has no compiled validator; test/fastCheck.test.ts checks that it
 * agrees with `Schema.decodeUnknownEither` on arbitrary input.
 */
import { Either, type ParseResult, Schema, SchemaAST } from "effect"

/** What a check returns for a value it does not accept. */
const refused: unique symbol = Symbol("refused")

/** Returns the accepted value (the input itself, or a copy without its `null` optional fields), or `refused`. */
type Check = (u: unknown) => unknown

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

/**
 * The checks compiled so far, by the model a suspension resolves to: each model is compiled once, and a
 * model that refers to itself (directly or through others) gets a forwarder to its own check.
 */
type Compiled = Map<SchemaAST.AST, Check>

const compileSuspended = (ast: SchemaAST.Suspend, compiled: Compiled): Check | undefined => {
  const target = ast.f()
  const known = compiled.get(target)
  if (known !== undefined) return known
  const cell: { check: Check | undefined } = { check: undefined }
  // Used by references met while `target` is compiled; refuses (so the full decoder decides) if it fails to.
  compiled.set(target, (u) => (cell.check === undefined ? refused : cell.check(u)))
  const check = compileWith(target, compiled)
  if (check === undefined) return undefined
  cell.check = check
  compiled.set(target, check)
  return check
}

const compile = (ast: SchemaAST.AST): Check | undefined => compileWith(ast, new Map())

/**
 * Whether a transformation only turns the wire object into the decoded one by dropping `null` optional
 * fields (what `Schema.optionalWith(X, { nullable: true })` in a struct does): its wire side can be
 * checked in place.
 */
const isNullDroppingStruct = (ast: SchemaAST.Transformation): boolean =>
  SchemaAST.isTypeLiteralTransformation(ast.transformation) &&
  ast.transformation.propertySignatureTransformations.every((t) => t.from === t.to)

const compileWith = (ast: SchemaAST.AST, compiled: Compiled): Check | undefined => {
  switch (ast._tag) {
    case "Suspend":
      return compileSuspended(ast, compiled)
    case "Transformation":
      // The wire side of a model's struct; any other transformation goes to the full decoder.
      return isNullDroppingStruct(ast) ? compileWith(ast.from, compiled) : undefined
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : refused)
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : refused)
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : refused)
    case "UndefinedKeyword":
      return (u) => (u === undefined ? u : refused)
    case "UnknownKeyword":
      return (u) => u
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : refused)
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
        const check = compileWith(member, compiled)
        if (check === undefined) return undefined
        checks.push(check)
      }
      if (checks.length === 0) return (u) => (typeof u === "string" ? u : refused)
      const [only] = checks
      if (!hasString && checks.length === 1 && only !== undefined) return only
      return (u) => {
        if (hasString && typeof u === "string") return u
        for (const check of checks) {
          const accepted = check(u)
          if (accepted !== refused) return accepted
        }
        return refused
      }
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const [rest] = ast.rest
      const item = rest === undefined ? undefined : compileWith(rest.type, compiled)
      if (item === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return refused
        for (let i = 0; i < u.length; i++) {
          const value: unknown = u[i]
          const accepted = item(value)
          if (accepted === refused) return refused
          if (accepted !== value) u[i] = accepted
        }
        return u
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length !== 0) return undefined
      const properties: Array<{ name: string; optional: boolean; dropNull: boolean; check: Check }> = []
      for (const property of ast.propertySignatures) {
        // Absent, undefined and null values are settled before the value's own check runs.
        const check = compileWith(property.isOptional ? withoutNullish(property.type) : property.type, compiled)
        if (check === undefined || typeof property.name !== "string") return undefined
        properties.push({
          name: property.name,
          optional: property.isOptional,
          dropNull: property.isOptional && acceptsNull(property.type),
          check
        })
      }
      const droppable: ReadonlySet<string> = new Set(properties.filter((p) => p.dropNull).map((p) => p.name))
      return (u) => {
        if (!isObject(u)) return refused
        let hasNull = false
        for (let i = 0; i < properties.length; i++) {
          const property = properties[i]
          if (property === undefined) continue
          const value = u[property.name]
          if (value === undefined) {
            if (property.optional) continue
            if (property.check(value) === refused) return refused
            continue
          }
          if (value === null && property.dropNull) {
            hasNull = true
            continue
          }
          const accepted = property.check(value)
          if (accepted === refused) return refused
          if (accepted !== value) u[property.name] = accepted
        }
        if (!hasNull) return u
        // Unknown fields are kept, as in place.
        const copy: Record<string, unknown> = {}
        for (const key in u) {
          const value = u[key]
          if (value !== null || !droppable.has(key)) copy[key] = value
        }
        return copy
      }
    }
    default:
      return undefined
  }
}

/**
 * A decoder for `schema` that takes the fast path when it can and falls back to
 * `Schema.decodeUnknownEither(schema)` otherwise. The input may be modified in place (objects inside it
 * replaced by their copies without null fields), so pass only values the caller owns, such as the
 * result of `JSON.parse`.
 */
export const decoderFor = <A, I>(
  schema: Schema.Schema<A, I>
): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const full = Schema.decodeUnknownEither(schema)
  // Compiled from the schema's own AST (whose suspensions resolve to the same nodes every time), its
  // struct transformations read from their wire side.
  const check = compile(schema.ast)
  if (check === undefined) return full
  const isAccepted = (value: unknown): value is A => value !== refused
  return (u) => {
    const accepted = check(u)
    return isAccepted(accepted) ? Either.right(accepted) : full(u)
  }
}
