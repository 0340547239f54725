import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { decoderFor } from "../src/internal/fastCheck.js"
import * as Models from "../src/Models.js"


/** Both decoders on their own copy of the input (the fast path may remove null fields in place). */
const decodeBoth = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => ({
  fast: decoderFor(schema)(structuredClone(input)),
  full: Schema.decodeUnknownEither(schema)(structuredClone(input))
})

/** The fast path must agree with Schema decoding for this model. */
const agreesWithSchema = <A extends object, I>(name: string, schema: Schema.Schema<A, I>) => {
    it.prop(
      `${name}: agrees with Schema decoding on any wire value (nulls included)`,
      [Arbitrary.make(Schema.encodedSchema(schema))],
      ([wire]) => {
        const { fast, full } = decodeBoth(schema, wire)
        expect(Either.isRight(full)).toBe(true)
        expect(fast).toEqual(full)
      },
      { fastCheck: { numRuns: 200 } }
    )

    it.prop(
      `${name}: agrees with Schema decoding on arbitrary JSON`,
      [fc.jsonValue()],
      ([json]) => {
        const { fast, full } = decodeBoth(schema, json)
        expect(fast._tag).toBe(full._tag)
        if (Either.isRight(fast) && Either.isRight(full)) expect(fast.right).toMatchObject(full.right)
      },
      { fastCheck: { numRuns: 200 } }
    )
}

describe("the fast decoding path", () => {
  agreesWithSchema("ConversationAgentAuthResponse", Models.ConversationAgentAuthResponse)
  agreesWithSchema("ConversationResponse", Models.ConversationResponse)
  agreesWithSchema("ConversationsResponse", Models.ConversationsResponse)
  agreesWithSchema("ConversationMultimediaUploadUrlResponse", Models.ConversationMultimediaUploadUrlResponse)
  agreesWithSchema("ConversationStartResponse", Models.ConversationStartResponse)
  agreesWithSchema("ErrorResponse", Models.ErrorResponse)
  // Models that reach the one reference cycle of the description (Customer → Order → OrderAutoOrder → …)
  agreesWithSchema("ConversationPbxCustomerSnapshotResponse", Models.ConversationPbxCustomerSnapshotResponse)
  agreesWithSchema("ConversationDepartment (a field of any JSON value)", Models.ConversationDepartment)

  it("takes the fast path for suspended (lazily built) models: a valid answer is accepted in place", () => {
    const wire: unknown = JSON.parse('{"success":true,"conversation":{"conversation_uuid":"c-1","messages":[{"body":"hi"}]}}')
    const decoded = decoderFor(Models.ConversationResponse)(wire)
    expect(Either.isRight(decoded) && decoded.right).toBe(wire)
  })

  it("takes the fast path through the reference cycle", () => {
    const wire: unknown = JSON.parse('{"customers":[{"email":"a@b.c","orders":[{"order_id":"O-1","customer_profile":{"email":"a@b.c"}}]}]}')
    const decoded = decoderFor(Models.ConversationPbxCustomerSnapshotResponse)(wire)
    expect(Either.isRight(decoded) && decoded.right).toBe(wire)
  })

  it("removes null fields and keeps known values", () => {
    const decoded = decoderFor(Models.ConversationResponse)(
      JSON.parse('{"success":null,"conversation":{"medium":"sms","messages":[{"body":null,"type":"tool call"}]}}')
    )
    expect(decoded).toEqual(Either.right({ conversation: { medium: "sms", messages: [{ type: "tool call" }] } }))
  })

  it("falls back to Schema decoding for a value of the wrong shape and reports the path", () => {
    const decoded = decoderFor(Models.ConversationResponse)(JSON.parse('{"conversation":{"messages":[{"message_epoch":"soon"}]}}'))
    expect(Either.isLeft(decoded)).toBe(true)
    if (Either.isLeft(decoded)) expect(decoded.left.message).toContain("message_epoch")
  })

  it("refuses an array where an object is expected", () => {
    expect(Either.isLeft(decoderFor(Models.ConversationResponse)([]))).toBe(true)
  })
})
