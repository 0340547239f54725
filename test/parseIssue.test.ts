import { describe, expect, it } from "@effect/vitest"
import { Either, type ParseResult, Schema } from "effect"
import { describeActual, formatParseError, maxIssueLength } from "../src/internal/parseIssue.js"
import { ConversationStartRequest } from "../src/Models.js"

/** The one line for `value` refused by `schema` (all errors, as Effect collects them). */
const line = <A, I>(schema: Schema.Schema<A, I>, value: unknown, argument = "request"): string => {
  const result = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "preserve" })(value)
  if (Either.isRight(result)) throw new Error("the value was accepted")
  const error: ParseResult.ParseError = result.left
  return formatParseError(argument, error)
}

describe("formatParseError: one line per refused value", () => {
  it("a nullable optional array given a string: the path and 'an array of strings', not one line per union member", () => {
    expect(line(ConversationStartRequest, { add_conversation_participant_arns: "arn:x" })).toBe(
      "request.add_conversation_participant_arns: expected an array of strings, got \"arn:x\""
    )
  })

  it("a bad item of an array is named by its index", () => {
    expect(line(ConversationStartRequest, { add_conversation_participant_arns: ["a", 5] })).toBe(
      "request.add_conversation_participant_arns.1: expected a string, got 5"
    )
  })

  it("nested objects join their path with dots", () => {
    const schema = Schema.Struct({ items: Schema.Array(Schema.Struct({ count: Schema.Number })) })
    expect(line(schema, { items: [{ count: 1 }, { count: "2" }] })).toBe("request.items.1.count: expected a number, got \"2\"")
  })

  it("literals, open enums, refinements and missing fields say what was expected", () => {
    expect(line(Schema.Struct({ medium: Schema.Literal("sms", "websocket") }), { medium: "fax" })).toBe(
      "request.medium: expected \"sms\" or \"websocket\", got \"fax\""
    )
    expect(line(Schema.Struct({ type: Schema.Union(Schema.Literal("message"), Schema.String) }), { type: 5 })).toBe(
      "request.type: expected a string, got 5"
    )
    expect(line(Schema.Struct({ limit: Schema.Int }), { limit: 1.5 })).toBe("request.limit: expected an integer, got 1.5")
    expect(line(Schema.Struct({ name: Schema.String }), {})).toBe("request.name: is missing")
  })

  it("several issues are joined with '; '", () => {
    const schema = Schema.Struct({ a: Schema.String, b: Schema.Number })
    expect(line(schema, { a: 1, b: "x" })).toBe("request.a: expected a string, got 1; request.b: expected a number, got \"x\"")
  })

  it("an issue at the root is named by the argument alone", () => {
    expect(line(Schema.Struct({ a: Schema.String }), "text")).toBe("request: expected an object, got \"text\"")
  })

  it("a schema's own message annotation is kept (Effect's ArrayFormatter message)", () => {
    const schema = Schema.Struct({ code: Schema.String.annotations({ message: () => "must be an ISO code" }) })
    expect(line(schema, { code: 5 })).toBe("request.code: must be an ISO code")
  })

  it("is one line, and capped however many issues there are", () => {
    const schema = Schema.Struct(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field_${i}`, Schema.String])))
    const text = line(schema, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field_${i}`, i])))
    expect(text.length).toBeLessThanOrEqual(maxIssueLength)
    expect(text.endsWith("…")).toBe(true)
    const multiline = Schema.Struct({ a: Schema.String.annotations({ message: () => "line one\nline two" }) })
    expect(line(multiline, { a: 1 })).toBe("request.a: line one line two")
  })

  it("a refused value is shown short", () => {
    expect(describeActual("x".repeat(200)).length).toBeLessThanOrEqual(60)
    expect(describeActual(undefined)).toBe("undefined")
    expect(describeActual(null)).toBe("null")
    expect(describeActual(10n)).toBe("10n")
    expect(describeActual(() => 1)).toBe("a function")
    expect(describeActual(new Date(Number.NaN))).toBe("an invalid Date")
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(describeActual(cyclic)).toBe("an object")
  })
})

describe("formatParseError with issues that carry their own message", () => {
  it("a body that is not JSON keeps the JSON parser's message", () => {
    const text = line(Schema.parseJson(Schema.Struct({ a: Schema.String })), "{not json", "body")
    expect(text.startsWith("body: ")).toBe(true)
    expect(text).toMatch(/JSON/)
  })
})
