/**
 * Unit tests of the generator (scripts/generator) on a small fixture description that has each quirk of
 * UltraCart's: a duplicated query parameter, snake_case and camelCase path parameters, an operation with
 * no 2xx documented, a form body, an inline enum, a self-reference, `type: object` without properties,
 * the `Error` schema, `Max N` in a description, `*\/` in a summary and an `x-unverified` operation; and
 * the command line's table generated from them.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { idWords, kebabCase, plural, readCommands, singular } from "../../scripts/generator/cli.js"
import { generate, readmeMarkers } from "../../scripts/generator/generate.js"
import { readModels } from "../../scripts/generator/models.js"
import { type Description, camelCase } from "../../scripts/generator/openapi.js"
import { readOperations } from "../../scripts/generator/operations.js"
import type { Overrides } from "../../scripts/generator/overrides.js"

const fixture: Description = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixture.openapi.json"), "utf8"))
const retryClasses = { getWidgets: "read", insertWidget: "creates", deleteWidgetPart: "idempotent-write", embedToken: "creates" }
const overrides: Overrides = {
  schemaNames: { Error: { export: "ErrorDetail", reason: "shadows the global" } },
  parameters: [{ operation: "getWidgets", in: "query", name: "color_name", enum: ["red", "blue"], reason: "closed for the test" }]
}

const rows = () => readOperations(fixture, retryClasses, overrides, readModels(fixture, overrides))
const row = (id: string) => {
  const found = rows().find((r) => r.id === id)
  if (found === undefined) throw new Error(`no row ${id}`)
  return found
}
const files = () => generate({ description: fixture, retryClasses, overrides, readme: `# R\n${readmeMarkers.start}\nold\n${readmeMarkers.end}\ntail\n` })
const file = (name: string) => files().find((f) => f.path === name)?.content ?? ""

describe("the generator reads operations into rows", () => {
  it("names options and arguments by the convention", () => {
    expect(camelCase("_limit")).toBe("limit")
    expect(camelCase("date_start")).toBe("dateStart")
    expect(camelCase("conversationPbxAudioUuid")).toBe("conversationPbxAudioUuid")
    expect(row("deleteWidgetPart").pathParams.map((p) => [p.argument, p.type])).toEqual([["widgetOid", "int32"], ["partUuid", "string"]])
  })

  it("counts a duplicated query parameter once, keeping the described copy, and applies overrides", () => {
    const query = row("getWidgets").query
    expect(query.map((q) => q.name)).toEqual(["_limit", "_offset", "color_name"])
    expect(query[2]).toMatchObject({ option: "colorName", required: true, enum: ["red", "blue"] })
  })

  it("bounds _limit by its description's Max and _offset at 0", () => {
    const [limit, offset] = row("getWidgets").query
    expect(limit).toMatchObject({ minimum: 1, maximum: 50 })
    expect(offset).toMatchObject({ minimum: 0 })
  })

  it("an operation without a documented 2xx answers void; a form body keeps its media type", () => {
    expect(row("deleteWidgetPart").response).toBeUndefined()
    expect(row("deleteWidgetPart").unverified).toBe(true)
    expect(row("embedToken")).toMatchObject({ service: "ConversationEmbedService", response: undefined, body: { mediaType: "application/x-www-form-urlencoded", required: true } })
    expect(row("insertWidget").body).toMatchObject({ argument: "widget", model: "Widget", required: true })
  })

  it("a paged operation gets a stream over its list field, and each operation its retry class", () => {
    expect(row("getWidgets").paging).toEqual({ stream: "streamWidgets", items: "widgets", itemModel: "Widget" })
    expect(rows().map((r) => r.retry)).toEqual(["read", "creates", "idempotent-write", "creates"])
  })

  it("refuses an operation without a retry class, and an override of a parameter that does not exist", () => {
    const models = readModels(fixture, overrides)
    expect(() => readOperations(fixture, { ...retryClasses, getWidgets: "sometimes" }, overrides, models)).toThrow(/retry class/)
    const wrong: Overrides = { ...overrides, parameters: [{ operation: "getWidgets", in: "query", name: "nope", reason: "x" }] }
    expect(() => readOperations(fixture, retryClasses, wrong, models)).toThrow(/no query parameter nope/)
  })
})

describe("the generator writes models", () => {
  it("every schema exported, Error renamed, an inline enum named after its field, types explicit", () => {
    const models = file("src/generated/Models.ts")
    expect(models).toContain("export const ErrorDetail: Schema.Schema<ErrorDetail, ErrorDetailEncoded>")
    expect(models).toContain('identifier: "Error"')
    expect(models).toContain('export const WidgetKind: Schema.Schema<WidgetKind, string> = openEnum("round", "square")')
    expect(models).toContain("readonly parent?: Widget | undefined")
    expect(models).toContain("readonly parent?: WidgetEncoded | null | undefined")
    expect(models).toContain("readonly extra?: unknown\n")
    expect(models).toContain("extra: anyValue")
    expect(models).toContain("created_dts: field(DateTime)")
    expect(models).toContain("At most 20 characters.")
    expect(models).toContain("readonly client_id: string\n")
    expect(models).toMatch(/GENERATED by `npm run generate`/)
  })
})

describe("the generator writes the table, the services and the README section", () => {
  it("the table holds each row as data; the services type each method by the convention", () => {
    const table = file("src/generated/operations.ts")
    expect(table).toContain('path: "/conversation/widgets/{widget_oid}/parts/{partUuid}"')
    expect(table).toContain('retry: "creates"')
    const services = file("src/generated/services.ts")
    expect(services).toContain("readonly deleteWidgetPart: (widgetOid: number, partUuid: string) => Effect.Effect<void, ConversationError>")
    expect(services).toContain("readonly getWidgets: (options: GetWidgetsOptions) => Effect.Effect<Models.WidgetsResponse, ConversationError>")
    expect(services).toContain('readonly colorName: "red" | "blue"')
    expect(services).toContain("readonly streamWidgets: (options?: StreamWidgetsOptions) => Stream.Stream<Models.Widget, ConversationError>")
    expect(services).toContain("Insert a *\\/ widget")
    expect(services).toContain("Unverified:")
    expect(file("src/generated/bindings.ts")).toContain("deleteWidgetPart: (widgetOid, partUuid) => call(operations.deleteWidgetPart, [widgetOid, partUuid], undefined, undefined)")
  })

  it("replaces only the README's section between the markers", () => {
    const readme = file("README.md")
    expect(readme.startsWith("# R\n")).toBe(true)
    expect(readme.endsWith(`${readmeMarkers.end}\ntail\n`)).toBe(true)
    expect(readme).not.toContain("old")
    expect(readme).toContain("| `insertWidget(widget: Widget)` | `POST /conversation/widgets` | `Widget` | creates |")
  })

  it("is deterministic: the same input gives the same files", () => {
    expect(files()).toEqual(files())
  })
})

describe("the generator writes the command line's table", () => {
  const models = () => readModels(fixture, overrides)
  const cli = () => readCommands(models(), rows(), (area) => `Area ${area}`)
  const command = (id: string) => {
    const found = cli().commands.find((c) => c.id === id)
    if (found === undefined) throw new Error(`no command ${id}`)
    return found
  }

  it("names each command by the rule: the area's group, the verb, the words the noun leaves", () => {
    expect(cli().commands.map((c) => c.path.join(" "))).toEqual([
      "widgets list",
      "widgets insert",
      "widgets delete-part",
      "embed token"
    ])
    expect(command("deleteWidgetPart").args).toEqual(["widget-oid", "part-uuid"])
    expect(cli().groups).toEqual([
      { path: ["widgets"], description: "Area widgets (list, insert, delete-part)" },
      { path: ["embed"], description: "Area embed (token)" }
    ])
  })

  it("the word rules", () => {
    expect(idWords("getPbxCosAuditLogs")).toEqual(["get", "Pbx", "Cos", "Audit", "Logs"])
    expect(kebabCase("dateStart")).toBe("date-start")
    expect(kebabCase("_limit")).toBe("limit")
    expect(["address", "agent", "mailbox", "policy"].map(plural)).toEqual(["addresses", "agents", "mailboxes", "policies"])
    expect(["messages", "addresses", "status", "queues", "policies"].map(singular)).toEqual(["message", "address", "status", "queue", "policy"])
  })

  it("flags for the query and for the body's scalar fields; a view with the column rule's columns", () => {
    expect(command("getWidgets").options).toEqual([
      { key: "limit", flag: "limit" },
      { key: "offset", flag: "offset" },
      { key: "colorName", flag: "color-name" }
    ])
    expect(command("insertWidget")).toMatchObject({
      bodyModel: "Widget",
      bodyFields: [
        { field: "widget_oid", flag: "widget-oid", type: "integer" },
        { field: "name", flag: "name", type: "string" },
        { field: "created_dts", flag: "created-dts", type: "string" },
        { field: "kind", flag: "kind", type: "string", values: ["round", "square"] }
      ],
      view: { kind: "object", field: undefined }
    })
    expect(command("embedToken").bodyFields.map((f) => f.flag)).toEqual(["client-id", "scope"])
    expect(command("getWidgets").view).toEqual({ kind: "list", field: "widgets", columns: ["widget_oid", "name", "created_dts", "kind"] })
    expect(command("deleteWidgetPart").view).toEqual({ kind: "none" })
  })

  it("refuses two operations with one command name", () => {
    const twin = { ...row("getWidgets"), id: "listWidgets" }
    expect(() => readCommands(models(), [...rows(), twin], String)).toThrow(/commands collide: getWidgets and listWidgets are both `widgets list`/)
  })

  it("emits the table as data, with its header", () => {
    const source = file("src/generated/cli.ts")
    expect(source).toMatch(/GENERATED by `npm run generate`/)
    expect(source).toContain('path: ["widgets", "delete-part"],')
    expect(source).toContain("} as const satisfies Readonly<Record<OperationId, CommandSpec>>")
  })
})
