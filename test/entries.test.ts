/**
 * What each entry loads: `"."` and `"./testing"` must load (and type-check) without the optional peer
 * `@effect/platform-node`, so nothing they reach through static imports, types included, may import it.
 * The consumer check (`.ci/consumer-check.sh`) proves the same from the packed tarball.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/**
 * Every module specifier a file imports or re-exports statically: import and export declarations
 * (`import type` included) and `import("x")` types, but not `import()` calls, which load on use.
 */
const staticImports = (file: string): ReadonlyArray<string> => {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
  const specifiers: Array<string> = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return specifiers
}

/** The files reachable from `entry` by static imports, and the packages they import. */
const graph = (entry: string) => {
  const files = new Set<string>()
  const packages = new Map<string, string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))
      else packages.set(specifier, file)
    }
  }
  visit(resolve(root, entry))
  return { files, packages }
}

describe("the entries load without @effect/platform-node", () => {
  for (const entry of ["src/index.ts", "src/testing/index.ts"]) {
    it(`${entry} reaches no import of @effect/platform-node, not even a type`, () => {
      const { files, packages } = graph(entry)
      expect(files.size).toBeGreaterThan(3)
      const offenders = [...packages].filter(([name]) => name.startsWith("@effect/platform-node"))
      expect(offenders).toEqual([])
    })
  }

  it("MockServer's socket half is the only module that imports it, and /testing reaches it only through import()", () => {
    const { files } = graph("src/testing/index.ts")
    const nodeServer = resolve(root, "src/testing/internal/nodeServer.ts")
    expect(files.has(nodeServer)).toBe(false)
    expect(staticImports(nodeServer)).toContain("@effect/platform-node")
    expect(readFileSync(resolve(root, "src/testing/MockServer.ts"), "utf8")).toContain("import(\"./internal/nodeServer.js\")")
  })

  it("the static import scan sees imports, type imports and re-exports", () => {
    const { packages } = graph("src/testing/internal/nodeServer.ts")
    expect([...packages.keys()]).toEqual(expect.arrayContaining(["@effect/platform", "@effect/platform-node", "effect", "node:http"]))
  })
})
