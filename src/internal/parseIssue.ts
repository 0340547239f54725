/**
 * One line from a Schema `ParseError`, for a refused argument: each issue as the field's path (prefixed by
 * the argument's name) and what was expected, e.g.
 * `request.add_conversation_participant_arns: expected an array of strings, got "arn:x"`.
 */
import { Array as Arr, Either, Option, ParseResult, SchemaAST as AST } from "effect"

/** The longest line `formatParseError` returns. */
export const maxIssueLength = 500

/** The longest rendering of a refused value. */
const maxValueLength = 60

type Segment = PropertyKey

/** One failed leaf of the issue tree, where it is. */
interface Leaf {
  readonly path: ReadonlyArray<Segment>
  readonly issue: ParseResult.ParseIssue
}

/** Plural nouns of the kinds an array commonly holds. */
const plural = (ast: AST.AST): string | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return "strings"
    case "NumberKeyword":
      return "numbers"
    case "BooleanKeyword":
      return "booleans"
    case "TypeLiteral":
    case "ObjectKeyword":
      return "objects"
    case "Suspend":
      return plural(ast.f())
    case "Transformation":
      return plural(ast.from)
    default:
      return undefined
  }
}

/** Whether a union member only says "absent" (`null`, `undefined`), as an optional nullable field adds. */
const isAbsent = (ast: AST.AST): boolean =>
  ast._tag === "UndefinedKeyword" || ast._tag === "VoidKeyword" || (ast._tag === "Literal" && ast.literal === null)

const listed = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? (items[0] ?? "nothing") : `${items.slice(0, -1).join(", ")} or ${items.at(-1) ?? ""}`

/** What a schema accepts, in words: `a string`, `an array of strings`, `"sms" or "websocket"`. */
export const describeExpected = (ast: AST.AST): string => {
  switch (ast._tag) {
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "a boolean"
    case "BigIntKeyword":
      return "a bigint"
    case "SymbolKeyword":
      return "a symbol"
    case "ObjectKeyword":
    case "TypeLiteral":
      return "an object"
    case "UndefinedKeyword":
    case "VoidKeyword":
      return "undefined"
    case "NeverKeyword":
      return "nothing (no value is allowed)"
    case "UnknownKeyword":
    case "AnyKeyword":
      return "any value"
    case "Literal":
      return ast.literal === null ? "null" : JSON.stringify(typeof ast.literal === "bigint" ? String(ast.literal) : ast.literal)
    case "UniqueSymbol":
      return String(ast.symbol)
    case "Enums":
      return `one of ${listed(ast.enums.map(([, value]) => JSON.stringify(value)))}`
    case "TemplateLiteral":
      return `a string of the form ${String(ast)}`
    case "TupleType": {
      const [rest] = ast.rest
      if (ast.elements.length === 0 && ast.rest.length === 1 && rest !== undefined) {
        const items = plural(rest.type)
        return items === undefined ? `an array of which each item is ${describeExpected(rest.type)}` : `an array of ${items}`
      }
      return "an array"
    }
    case "Union": {
      const present = ast.types.filter((member) => !isAbsent(member))
      const members = present.length === 0 ? ast.types : present
      // A plain string subsumes the known values of an open enum.
      const anyString = members.some((member) => member._tag === "StringKeyword")
      const kept = anyString ? members.filter((member) => !(member._tag === "Literal" && typeof member.literal === "string")) : members
      return listed(Arr.dedupe(kept.map(describeExpected)))
    }
    case "Refinement":
      return described(ast) ?? describeExpected(ast.from)
    case "Transformation":
      return describeExpected(ast.from)
    case "Suspend":
      return describeExpected(ast.f())
    case "Declaration":
      return described(ast) ?? "a value of the declared type"
  }
}

/** A schema's own words for what it accepts (`Schema.Int`: "an integer"), if it has them. */
const described = (ast: AST.Annotated): string | undefined => Option.getOrUndefined(AST.getDescriptionAnnotation(ast))

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/** A refused value, short: `"arn:x"`, `5`, `null`, `undefined`, `{"a":1}`. */
export const describeActual = (value: unknown): string => {
  switch (typeof value) {
    case "undefined":
      return "undefined"
    case "function":
      return "a function"
    case "symbol":
      return String(value)
    case "bigint":
      return `${value}n`
    case "number":
      return String(value)
    default: {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : value.toISOString()
      const json = Either.try(() => JSON.stringify(value))
      return Either.isRight(json) && json.right !== undefined
        ? truncate(json.right, maxValueLength)
        : Array.isArray(value) ? "an array" : "an object"
    }
  }
}

const pointerPath = (path: ParseResult.Path): ReadonlyArray<Segment> => (typeof path === "object" ? path : [path])

const isIssueList = (
  issues: ParseResult.Composite["issues"]
): issues is Arr.NonEmptyReadonlyArray<ParseResult.ParseIssue> => Array.isArray(issues)

/** Whether an issue reports something deeper than "the whole value has the wrong type". */
const isDeeper = (issue: ParseResult.ParseIssue): boolean => issue._tag !== "Type"

/** The failed leaves under an issue, with their paths. */
const leaves = (issue: ParseResult.ParseIssue, path: ReadonlyArray<Segment>): ReadonlyArray<Leaf> => {
  switch (issue._tag) {
    case "Pointer":
      return leaves(issue.issue, [...path, ...pointerPath(issue.path)])
    case "Refinement":
    case "Transformation":
      return leaves(issue.issue, path)
    case "Composite": {
      const issues = isIssueList(issue.issues) ? issue.issues : [issue.issues]
      if (issue.ast._tag === "Union") {
        // A member that got further than "wrong type" says more than the union does (a bad array item);
        // otherwise the union says it once: `expected an array of strings`, not one line per member.
        const deeper = issues.filter(isDeeper)
        const [only] = deeper
        if (deeper.length === 1 && only !== undefined) return leaves(only, path)
        return [{ path, issue: new ParseResult.Type(issue.ast, issue.actual) }]
      }
      return issues.flatMap((inner) => leaves(inner, path))
    }
    case "Type":
    case "Missing":
    case "Unexpected":
    case "Forbidden":
      return [{ path, issue }]
  }
}

/** One leaf's text: our words for a plain type mismatch, Effect's `ArrayFormatter` message otherwise. */
const leafText = (leaf: Leaf): string => {
  const issue = leaf.issue
  if (issue._tag === "Type" && issue.message === undefined && Option.isNone(AST.getMessageAnnotation(issue.ast))) {
    return `expected ${describeExpected(issue.ast)}, got ${describeActual(issue.actual)}`
  }
  if (issue._tag === "Missing") return "is missing"
  const [first] = ParseResult.ArrayFormatter.formatIssueSync(issue)
  return first?.message ?? "is invalid"
}

/**
 * One line for a refused argument, `<argument>.<path>: <what was wrong>`, several issues joined with
 * `; ` and the whole at most `maxIssueLength` characters.
 *
 * @example
 * formatParseError("request", error)
 * // request.add_conversation_participant_arns: expected an array of strings, got "arn:x"
 */
export const formatParseError = (argument: string, error: ParseResult.ParseError): string => {
  const lines = leaves(error.issue, []).map((leaf) =>
    `${[argument, ...leaf.path.map(String)].join(".")}: ${leafText(leaf)}`.replace(/\s+/g, " ")
  )
  return truncate(Arr.dedupe(lines).join("; "), maxIssueLength)
}
