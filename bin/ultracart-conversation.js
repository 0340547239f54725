#!/usr/bin/env node
// The `ultracart-conversation` executable (package.json "bin").
//
// A built package (dist/, as every published one is: `prepack` builds it) runs dist/cli/main.js.
// A clone without a build runs the TypeScript source: esbuild (a devDependency) bundles
// src/cli/main.ts (dependencies left as imports) into node_modules/.cache/ultracart-conversation/,
// keyed by the sources' sizes and times, so `npx ultracart-conversation` works right after `npm ci`
// and always runs the current source. A bundle starts about as fast as dist/; tsx's loader hooks, which
// see every one of the ~700 modules the command line loads, cost about twice the CPU per start.
// ULTRACART_CLI_FROM_SOURCE=1 runs the source even when dist/ exists (the tests do: a stale build must
// not stand in for the code under test).
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = new URL("../", import.meta.url)
const compiled = new URL("dist/cli/main.js", root)
const fromSource = process.env.ULTRACART_CLI_FROM_SOURCE === "1" || !existsSync(compiled)

const fail = (message) => {
  process.stderr.write(`ultracart-conversation: ${message}\n`)
  process.exitCode = 1
}

/** A key that changes whenever a file under src/ (or this launcher) changes. */
const sourceKey = () => {
  const hash = createHash("sha256")
  const files = readdirSync(new URL("src/", root), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`)
    .sort()
  for (const file of [...files, fileURLToPath(import.meta.url)]) {
    const { mtimeMs, size } = statSync(file)
    hash.update(`${file}:${size}:${mtimeMs}\n`)
  }
  return hash.digest("hex").slice(0, 16)
}

/** The bundle of the current source, built when the sources changed since the last one. */
const sourceBundle = async () => {
  const cache = new URL("node_modules/.cache/ultracart-conversation/", root)
  const bundle = new URL(`cli-${sourceKey()}.mjs`, cache)
  if (existsSync(bundle)) return bundle
  const esbuild = await import("esbuild").catch(() => undefined)
  if (esbuild === undefined) return undefined
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("src/cli/main.ts", root))],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent"
  })
  mkdirSync(cache, { recursive: true })
  // Written aside and renamed: a run started at the same moment never sees half a file.
  const partial = new URL(`${bundle.pathname.split("/").pop()}.${process.pid}.partial`, cache)
  writeFileSync(partial, result.outputFiles[0].contents)
  renameSync(partial, bundle)
  return bundle
}

if (fromSource) {
  const bundle = await sourceBundle()
  if (bundle === undefined) fail("dist/ is not built and esbuild is not installed: run `npm ci` or `npm run build`")
  else await import(bundle.href)
} else {
  await import(compiled.href).catch((error) => {
    const missing = error?.code === "ERR_MODULE_NOT_FOUND" && /@effect\/platform-node/.test(String(error.message))
    if (!missing) throw error
    fail("the command line needs @effect/platform-node: npm install @effect/platform-node")
  })
}
