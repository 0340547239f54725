/**
 * What a person reads: a table for a list (the columns of the command's view), aligned `name  value`
 * lines for one object with its lists as tables, `--json` for the decoded answer as it is. Tables are
 * drawn by cli-table3 (widths, wide characters, borders); cells are kept to one line. Colours (bold
 * headers and names) only when the caller says the output is a terminal.
 */
import Table from "cli-table3"
import { Predicate } from "effect"
import { stripAnsi } from "./io.js"
import type { Columns, ViewSpec } from "./spec.js"

/** The fields of UltraCart's answer envelope, not shown in a view. */
const envelope: ReadonlySet<string> = new Set(["error", "metadata", "success", "warning"])

/** The longest cell of a table, in characters; longer text ends with `…` (`--json` has all of it). */
const maxCell = 48

/** Bold text on a terminal that wants colours. */
export const bold = (text: string, colors: boolean): string => (colors ? `\u001b[1m${text}\u001b[22m` : text)

const plain = { head: [], border: [] }

/** How output is drawn: colours, and the terminal's width when stdout is one (tables are fitted to it). */
export interface Look {
  readonly colors: boolean
  readonly width?: number | undefined
}

/** The narrowest a fitted column gets. */
const minColumn = 12

/**
 * How a table fits `width`: each column as wide as its widest text; the widest columns but the first
 * (the identifier a `get` takes) are cut down first, to no less than `minColumn`; then columns are left
 * out from the right. `undefined` when it fits as it is or no width is known; cli-table3 cuts the cells
 * with `…`.
 */
const fit = (
  texts: ReadonlyArray<ReadonlyArray<string>>,
  width: number | undefined
): { readonly widths: ReadonlyArray<number>; readonly columns: number } | undefined => {
  if (width === undefined || texts.length === 0) return undefined
  const widths = (texts[0] ?? []).map((_, i) => Math.max(...texts.map((row) => stripAnsi(row[i] ?? "").length)) + 2)
  const total = () => widths.reduce((sum, w) => sum + w, 0) + widths.length + 1
  if (total() <= width) return undefined
  for (;;) {
    if (total() <= width) break
    const candidates = widths.map((w, i) => (i === 0 || w <= minColumn ? -1 : w))
    const widest = candidates.indexOf(Math.max(...candidates))
    if ((candidates[widest] ?? -1) < 0) break
    widths[widest] = (widths[widest] ?? 0) - 1
  }
  while (total() > width && widths.length > 2) widths.pop()
  return { widths, columns: widths.length }
}

/** One value as one line of text: `yes`/`no`, numbers, strings without line breaks, `N items` for lists. */
export const cellText = (value: unknown, limit: number = maxCell): string => {
  if (value === undefined || value === null) return ""
  if (typeof value === "boolean") return value ? "yes" : "no"
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (typeof value === "string") {
    const line = value.replace(/\s*[\r\n]+\s*/g, " ⏎ ")
    return line.length > limit ? `${line.slice(0, limit - 1)}…` : line
  }
  if (Array.isArray(value)) {
    return value.every((v) => typeof v !== "object" || v === null)
      ? cellText(value.map((v) => cellText(v)).join(", "), limit)
      : `${value.length} item${value.length === 1 ? "" : "s"}`
  }
  return "{…}"
}

/** A table of `rows` with `columns` (wire names as headers), fitted to the terminal's width. */
export const table = (columns: Columns, rows: ReadonlyArray<unknown>, look: Look): string => {
  const cells = rows.map((row) => columns.map((c) => cellText(Predicate.isRecord(row) ? row[c] : undefined)))
  const fitted = fit([[...columns], ...cells], look.width)
  const shown = fitted?.columns ?? columns.length
  const drawn = new Table({
    head: columns.slice(0, shown).map((c) => bold(c, look.colors)),
    style: { ...plain, compact: true },
    ...(fitted === undefined ? {} : { colWidths: [...fitted.widths] })
  })
  for (const row of cells) drawn.push(row.slice(0, shown))
  return drawn.toString()
}

/** Columns for a list the generated table has none for: the first scalar fields of its items. */
const columnsFromItems = (items: ReadonlyArray<unknown>): Columns => {
  const columns: Array<string> = []
  for (const item of items) {
    if (!Predicate.isRecord(item)) continue
    for (const [key, value] of Object.entries(item)) {
      if (columns.length >= 5) return columns
      const scalar = value !== null && value !== undefined && typeof value !== "object"
      if (scalar && !columns.includes(key)) columns.push(key)
    }
  }
  return columns
}

const isObjectList = (value: unknown): value is ReadonlyArray<unknown> =>
  Array.isArray(value) && value.some((v) => Predicate.isRecord(v))

const noBorders = {
  top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "",
  "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: ""
}

/** Rows of two aligned columns without borders (`name  value`), each line indented by `indent` spaces. */
export const twoColumns = (rows: ReadonlyArray<readonly [string, string]>, indent = 0): string => {
  const drawn = new Table({ chars: noBorders, style: { ...plain, "padding-left": indent, "padding-right": 2 } })
  for (const [left, right] of rows) drawn.push([left, right])
  return drawn.toString().split("\n").map((line) => line.trimEnd()).join("\n")
}

/** `name  value` rows of an object: nested objects flattened (`sentiment.score`), lists of objects apart. */
const fieldRows = (
  value: Readonly<Record<string, unknown>>,
  prefix: string,
  depth: number,
  lists: Array<readonly [string, ReadonlyArray<unknown>]>
): Array<readonly [string, string]> =>
  Object.entries(value).flatMap(([key, field]): Array<readonly [string, string]> => {
    const name = `${prefix}${key}`
    if (field === undefined || field === null || (depth === 0 && envelope.has(key))) return []
    if (isObjectList(field)) {
      lists.push([name, field])
      return []
    }
    if (Predicate.isRecord(field) && !Array.isArray(field)) {
      return depth < 2 ? fieldRows(field, `${name}.`, depth + 1, lists) : [[name, "{…} (see --json)"]]
    }
    return [[name, cellText(field, 2000)]]
  })

/** One object as aligned `name  value` lines, then each of its lists of objects as a table. */
export const objectView = (
  value: unknown,
  tables: Readonly<Record<string, Columns>>,
  look: Look
): string => {
  const colors = look.colors
  if (!Predicate.isRecord(value)) return cellText(value, 2000)
  const lists: Array<readonly [string, ReadonlyArray<unknown>]> = []
  const rows = fieldRows(value, "", 0, lists)
  const parts: Array<string> = []
  if (rows.length > 0) parts.push(twoColumns(rows.map(([name, text]) => [bold(name, colors), text])))
  for (const [name, items] of lists) {
    const columns = tables[name] ?? columnsFromItems(items)
    parts.push(`${bold(name, colors)} (${items.length})\n${table(columns, items, look)}`)
  }
  return parts.length === 0 ? "(empty)" : parts.join("\n\n")
}

const humanName = (field: string): string => field.replace(/_/g, " ")

/** A list answer: the table of its items, then its other fields (a total, a range) if any. */
export const listView = (answer: unknown, field: string, columns: Columns, look: Look): string => {
  const items = Predicate.isRecord(answer) && Array.isArray(answer[field]) ? answer[field] : []
  const shown = items.length === 0 ? `No ${humanName(field)}.` : table(columns, items, look)
  if (!Predicate.isRecord(answer)) return shown
  const rest = Object.fromEntries(Object.entries(answer).filter(([key]) => key !== field && !envelope.has(key)))
  return Object.keys(rest).length === 0 ? shown : `${shown}\n${objectView(rest, {}, look)}`
}

/**
 * An answer as a person reads it, by the command's view; `summary` confirms an operation without an
 * answer body.
 */
export const humanView = (view: ViewSpec, answer: unknown, summary: string, look: Look): string => {
  switch (view.kind) {
    case "none":
      return `Done: ${summary.replace(/\.$/, "")}.`
    case "list":
      return listView(answer, view.field, view.columns, look)
    case "object": {
      const shown = view.field !== undefined && Predicate.isRecord(answer) ? answer[view.field] : answer
      return objectView(shown, view.tables, look)
    }
  }
}

/** The decoded answer as JSON, two-space indented (`null` for an operation without an answer body). */
export const jsonView = (answer: unknown): string => JSON.stringify(answer ?? null, null, 2)
