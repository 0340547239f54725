/**
 * What the package costs its users, beside the baseline (see `baseline.ts`): the import time of the
 * main entry (built `dist/`) with `effect` and `@effect/platform` already loaded, the type-check time of
 * a consumer file that calls ten operations, and the packed tarball. Each measurement runs in child
 * processes; medians of `rounds`.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

const root = path.resolve(import.meta.dirname, "..")

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] ?? NaN : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2
}

const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")

/** Builds `dir`'s `dist/` with its own tsconfig.build.json; the seconds it took. */
const build = (dir: string): number => {
  const started = performance.now()
  execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.build.json")], { cwd: dir, stdio: "inherit" })
  return (performance.now() - started) / 1000
}

/** Milliseconds to import `entry` in a fresh Node process that has already imported effect and the platform. */
const importMillis = (entry: string): number => {
  const script = `
    await import("effect"); await import("@effect/platform")
    const started = performance.now()
    await import(${JSON.stringify(pathToFileURL(entry).href)})
    console.log(performance.now() - started)
  `
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }).trim())
}

const consumerSource = `import { Effect } from "effect"
import { ConversationService } from "effect-ultracart-conversation"

export const shift = Effect.gen(function* () {
  const uc = yield* ConversationService
  const page = yield* uc.getConversations({ limit: 10, medium: "sms" })
  const one = yield* uc.getConversation("uuid", { limit: 5 })
  yield* uc.joinConversation("uuid", { participant_language_iso_code: "en" })
  const messages = yield* uc.getConversationMessages("uuid", 0, { limit: 20 })
  yield* uc.markReadConversation("uuid")
  const canned = yield* uc.searchConversationCannedMessages({ short_code: "hi" })
  const queues = yield* uc.getConversationWebchatQueueStatuses()
  const agents = yield* uc.getPbxAgents()
  const calls = yield* uc.searchPbxCalls({ customer_name: "Lee" }, { limit: 20 })
  yield* uc.leaveConversation("uuid")
  return [page.conversations?.length, one.conversation?.conversation_uuid, messages.conversation_messages?.length,
    canned.conversation_canned_messages?.length, queues.queue_statuses?.length, agents.agents?.length, calls.calls?.length]
})
`

/** Type-checks the ten-operation consumer against `dist` (its .d.ts); the `Total time` tsc reports, in seconds. */
const consumerTypecheck = (dist: string): number => {
  const dir = path.join(root, ".scratch", "bench-consumer")
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, "consumer.ts"), consumerSource)
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      lib: ["ES2023"],
      paths: { "effect-ultracart-conversation": [path.join(dist, "index.d.ts")] }
    },
    files: ["consumer.ts"]
  }))
  const modules = path.join(dir, "node_modules")
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(root, "node_modules"), modules, "dir")
  const output = execFileSync(process.execPath, [tsc, "-p", dir, "--extendedDiagnostics"], { cwd: dir, encoding: "utf8" })
  const total = /Total time:\s+([\d.]+)s/.exec(output)?.[1]
  return Number(total)
}

/** The packed tarball: bytes packed and unpacked, and files. */
const tarball = () => {
  const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })
  const parsed: unknown = JSON.parse(output)
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined
  const field = (name: string) =>
    typeof first === "object" && first !== null && name in first ? Number(Reflect.get(first, name)) : NaN
  return { size: field("size"), unpackedSize: field("unpackedSize"), files: field("entryCount") }
}

/** The package's measurements, the baseline's beside them when there is one. */
export interface PackageResult {
  readonly buildSeconds: number
  readonly importMillis: number
  readonly baselineImportMillis: number | undefined
  readonly typecheckSeconds: number
  readonly tarball: { readonly size: number; readonly unpackedSize: number; readonly files: number }
}

/** Builds the package (and the baseline), then measures import, type-check and tarball. */
export const benchPackage = (rounds: number, baselineDir: string | undefined): PackageResult => {
  const buildSeconds = build(root)
  if (baselineDir !== undefined) build(baselineDir)
  const current: Array<number> = []
  const baseline: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    current.push(importMillis(path.join(root, "dist", "index.js")))
    if (baselineDir !== undefined) baseline.push(importMillis(path.join(baselineDir, "dist", "index.js")))
  }
  const typecheck = Array.from({ length: Math.max(1, Math.min(rounds, 3)) }, () => consumerTypecheck(path.join(root, "dist")))
  return {
    buildSeconds,
    importMillis: median(current),
    baselineImportMillis: baseline.length === 0 ? undefined : median(baseline),
    typecheckSeconds: median(typecheck),
    tarball: tarball()
  }
}
