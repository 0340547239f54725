/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by origin (our code,
 * effect, @effect/platform, undici, node internals, GC, idle).
 *
 * Usage: tsx bench/cpuprofile.ts <file.cpuprofile> [top=40] [callers-of-substring]
 * With a third argument, also prints the heaviest call paths (5 frames up) into functions whose
 * "name  file:line" contains it.
 */
import { readFileSync } from "node:fs"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}
interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: ReadonlyArray<number>
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const isProfile = (u: unknown): u is Profile =>
  typeof u === "object" && u !== null && "nodes" in u && Array.isArray(u.nodes) && "samples" in u &&
  Array.isArray(u.samples) && "timeDeltas" in u && Array.isArray(u.timeDeltas)

const origin = (frame: CallFrame): string => {
  const url = frame.url
  if (url === "") {
    if (frame.functionName === "(garbage collector)") return "gc"
    if (frame.functionName === "(idle)") return "idle"
    if (frame.functionName === "(program)") return "program"
    return "native/builtin"
  }
  if (url.includes("/node_modules/effect/")) return "effect"
  if (url.includes("/node_modules/@effect/platform-node")) return "@effect/platform-node"
  if (url.includes("/node_modules/@effect/platform/")) return "@effect/platform"
  if (url.includes("/node_modules/undici/")) return "undici (npm)"
  if (url.includes("/node_modules/")) return "other node_modules"
  if (url.startsWith("node:")) return url.includes("undici") ? "undici (node's fetch)" : "node internals"
  if (url.includes("/src/")) return "our src"
  if (url.includes("/bench/")) return "bench"
  return "other"
}

const short = (url: string) => url.replace(/^file:\/\/.*?\/node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench)\//, "$1/")

const [file, topArg, callersOf] = process.argv.slice(2)
if (file === undefined) {
  console.error("usage: tsx bench/cpuprofile.ts <file.cpuprofile> [top]")
  process.exit(2)
}
const parsed: unknown = JSON.parse(readFileSync(file, "utf8"))
if (!isProfile(parsed)) throw new Error("not a .cpuprofile")
const top = Number(topArg ?? 40)

const byId = new Map(parsed.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of parsed.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
const keyOf = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"}  ${short(frame.url)}:${frame.lineNumber + 1}  [${origin(frame)}]`
const inclusive = new Map<string, number>()
const paths = new Map<string, number>()
const selfByFunction = new Map<string, number>()
const selfByOrigin = new Map<string, number>()
let total = 0
parsed.samples.forEach((id, i) => {
  const node = byId.get(id)
  const delta = parsed.timeDeltas[i] ?? 0
  if (node === undefined) return
  total += delta
  const frame = node.callFrame
  const key = keyOf(frame)
  const seen = new Set<string>()
  const stack: Array<string> = []
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const here = byId.get(at)
    if (here === undefined) break
    const k = keyOf(here.callFrame)
    stack.push(k)
    if (!seen.has(k)) {
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + delta)
    }
  }
  if (callersOf !== undefined) {
    const index = stack.findIndex((k) => k.includes(callersOf))
    if (index >= 0) {
      const path = stack.slice(index, index + 6).join("\n      ← ")
      paths.set(path, (paths.get(path) ?? 0) + delta)
    }
  }
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta)
  selfByOrigin.set(origin(frame), (selfByOrigin.get(origin(frame)) ?? 0) + delta)
})

const busy = total - (selfByOrigin.get("idle") ?? 0)
const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`
console.log(`total ${(total / 1000).toFixed(0)} ms, busy (not idle) ${(busy / 1000).toFixed(0)} ms; % of busy time\n`)
console.log("self time by origin")
for (const [name, micros] of [...selfByOrigin].sort((a, b) => b[1] - a[1])) {
  if (name !== "idle") console.log(`  ${pct(micros)}  ${name}`)
}
console.log(`\ntop ${top} functions by self time`)
for (const [name, micros] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  if (!name.includes("[idle]")) console.log(`  ${pct(micros)}  ${name}`)
}

const interesting = (name: string) =>
  name.includes("[our src]") || name.includes("[@effect/platform]") || name.includes("[undici (npm)]")
console.log(`\ntop ${top} functions of our src, @effect/platform and undici by inclusive time`)
for (const [name, micros] of [...inclusive].filter(([name]) => interesting(name)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${pct(micros)}  ${name}`)
}
if (callersOf !== undefined) {
  console.log(`\nheaviest call paths into "${callersOf}"`)
  for (const [path, micros] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${pct(micros)}  ${path}`)
  }
}
