/**
 * What a person reads: cells kept to one line, tables fitted to a terminal's width (the identifier
 * column last to be cut, columns left out from the right), objects as aligned lines, colours only when
 * asked for.
 */
import { describe, expect, it } from "@effect/vitest"
import { stripAnsi } from "../../src/cli/io.js"
import { cellText, humanView, objectView, table } from "../../src/cli/render.js"

const rows = [
  { id: "4c1e6a52-9b0e-4f7a-8a51-2f0c3b7d9e01", name: "Sam Rivera", body: "Do you ship to Canada? And to Mexico?", closed: false },
  { id: "a3f2c8e1-5d4b-4c3a-9e2f-1b0a9c8d7e61", name: "+15555550123", body: "Great,\nthanks!", closed: true }
]
const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length))

describe("render", () => {
  it("a cell is one line: yes/no, no line breaks, long text cut with …, lists counted", () => {
    expect([cellText(true), cellText(false), cellText(undefined), cellText(7)]).toEqual(["yes", "no", "", "7"])
    expect(cellText("Great,\nthanks!")).toBe("Great, ⏎ thanks!")
    expect(cellText("x".repeat(60))).toBe(`${"x".repeat(47)}…`)
    expect(cellText(["a", "b"])).toBe("a, b")
    expect(cellText([{ a: 1 }, { a: 2 }])).toBe("2 items")
  })

  it("a table without a width keeps every column whole; with one, it fits and keeps the identifier", () => {
    const full = table(["id", "name", "body", "closed"], rows, { colors: false })
    expect(full).toContain("4c1e6a52-9b0e-4f7a-8a51-2f0c3b7d9e01")
    expect(full).toContain("Do you ship to Canada? And to Mexico?")
    const fitted = table(["id", "name", "body", "closed"], rows, { colors: false, width: 80 })
    expect(widest(fitted)).toBeLessThanOrEqual(80)
    expect(fitted).toContain("4c1e6a52-9b0e-4f7a-8a51-2f0c3b7d9e01")
    expect(fitted).toContain("…")
    const narrow = table(["id", "name", "body", "closed"], rows, { colors: false, width: 60 })
    expect(widest(narrow)).toBeLessThanOrEqual(60)
    expect(narrow).not.toContain("closed")
  })

  it("an object: aligned names and values, nested objects flattened, lists of objects as tables", () => {
    const text = objectView({ uuid: "c-1", sentiment: { score: 0.8 }, messages: [{ body: "hi", type: "message" }], absent: undefined }, {}, { colors: false })
    expect(text.split("\n").slice(0, 2)).toEqual(["uuid             c-1", "sentiment.score  0.8"])
    expect(text).toContain("messages (1)")
    expect(text).toMatch(/│ body +│ type +│/)
    expect(text).not.toContain("absent")
  })

  it("colours only when asked for", () => {
    const coloured = table(["id"], rows, { colors: true })
    expect(coloured).toContain("\u001b[1m")
    expect(stripAnsi(coloured)).toBe(table(["id"], rows, { colors: false }))
    expect(table(["id"], rows, { colors: false })).not.toContain("\u001b[")
  })

  it("an answer without a body is a confirmation; an empty list says so", () => {
    expect(humanView({ kind: "none" }, undefined, "Join a conversation", { colors: false })).toBe("Done: Join a conversation.")
    expect(humanView({ kind: "list", field: "conversations", columns: ["id"] }, { conversations: [] }, "", { colors: false }))
      .toBe("No conversations.")
  })
})
