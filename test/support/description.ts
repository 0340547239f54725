/**
 * UltraCart's description and retry classes as the tests read them, independently of the generator:
 * each operation's method, path, parameters, body media type, response and retry class, straight from
 * spec/. Tests compare what the client sends with this, so a generator bug cannot hide behind its own
 * table.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..", "..")
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"))

/** One operation as the description says it. */
export interface DescribedOperation {
  readonly id: string
  readonly method: string
  readonly path: string
  readonly embed: boolean
  readonly pathParams: ReadonlyArray<{ readonly name: string; readonly integer: boolean }>
  /** Query parameters, a duplicate counted once, in the description's order. */
  readonly query: ReadonlyArray<{ readonly name: string; readonly type: string; readonly required: boolean }>
  readonly body: { readonly model: string; readonly mediaType: string; readonly required: boolean } | undefined
  /** The model of the success answer, or `undefined` when no 2xx has a body. */
  readonly response: string | undefined
  readonly retry: string
}

const record = (u: unknown): Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? Object.fromEntries(Object.entries(u)) : {}
const list = (u: unknown): ReadonlyArray<unknown> => (Array.isArray(u) ? u : [])
const text = (u: unknown): string => (typeof u === "string" ? u : "")
const refName = (u: unknown): string => text(record(u)["$ref"]).replace("#/components/schemas/", "")

const description = record(readJson("spec/conversation-full.openapi.json"))
const retryClasses = record(record(readJson("spec/retry-classes.json"))["classes"])

/** DESIGN.md's rule for an option's key: a leading `_` dropped, snake_case to camelCase. */
export const optionName = (name: string): string => name.replace(/^_+/, "").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** Every operation of the description. */
export const describedOperations: ReadonlyArray<DescribedOperation> = Object.entries(record(description["paths"])).flatMap(
  ([pathTemplate, item]) =>
    Object.entries(record(item)).map(([method, value]): DescribedOperation => {
      const operation = record(value)
      const parameters = list(operation["parameters"]).map(record)
      const seen = new Set<string>()
      const query = parameters.filter((p) => p["in"] === "query").flatMap((p) => {
        const name = text(p["name"])
        if (seen.has(name)) return []
        seen.add(name)
        return [{ name, type: text(record(p["schema"])["type"]), required: p["required"] === true }]
      })
      const pathParams = [...pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => {
        const name = m[1] ?? ""
        const parameter = parameters.find((p) => p["in"] === "path" && p["name"] === name)
        return { name, integer: record(parameter?.["schema"])["type"] === "integer" }
      })
      const requestBody = record(operation["requestBody"])
      const [mediaType, content] = Object.entries(record(requestBody["content"]))[0] ?? []
      const success = Object.entries(record(operation["responses"])).find(([status, response]) =>
        status.startsWith("2") && Object.keys(record(record(response)["content"])).length > 0
      )
      const successContent = Object.values(record(record(success?.[1])["content"]))[0]
      const id = text(operation["operationId"])
      return {
        id,
        method: method.toUpperCase(),
        path: pathTemplate,
        embed: pathTemplate.startsWith("/conversation_embed/"),
        pathParams,
        query,
        body: mediaType === undefined
          ? undefined
          : { model: refName(record(content)["schema"]), mediaType, required: requestBody["required"] === true },
        response: success === undefined ? undefined : refName(record(successContent)["schema"]),
        retry: text(retryClasses[id])
      }
    })
)
