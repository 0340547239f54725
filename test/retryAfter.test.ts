import { describe, expect, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import { parseRetryAfter } from "../src/internal/retryAfter.js"

const now = Date.parse("Sun, 06 Nov 1994 08:49:00 GMT")
const millis = (value: string) => Option.map(parseRetryAfter(value, now), Duration.toMillis)

describe("Retry-After parsing", () => {
  it("reads delay-seconds, whole or fractional", () => {
    expect(millis("120")).toEqual(Option.some(120_000))
    expect(millis(" 1.5 ")).toEqual(Option.some(1_500))
    expect(millis("0")).toEqual(Option.some(0))
  })

  it("reads the three HTTP-date forms relative to now", () => {
    expect(millis("Sun, 06 Nov 1994 08:49:37 GMT")).toEqual(Option.some(37_000))
    expect(millis("Sunday, 06-Nov-94 08:49:37 GMT")).toEqual(Option.some(37_000))
    expect(millis("Sun Nov  6 08:49:37 1994")).toEqual(Option.some(37_000))
  })

  it("treats a date in the past as no wait", () => {
    expect(millis("Sun, 06 Nov 1994 08:00:00 GMT")).toEqual(Option.some(0))
  })

  it("ignores values that are neither seconds nor an HTTP date", () => {
    for (const value of ["-1", "soon", "", "1e3", "2001-01-01", "Sun, 06 Nov 1994"]) {
      expect(parseRetryAfter(value, now)).toEqual(Option.none())
    }
    expect(parseRetryAfter(undefined, now)).toEqual(Option.none())
  })
})
