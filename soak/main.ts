/**
 * `npm run soak`: 100,000 calls at concurrency 64 against an embedded MockServer seeded with 500
 * conversations, 5% of answers spoiled by faults the retry policy should absorb. Prints the summary and
 * the heap before and after (forced GCs), and exits non-zero if a call was lost, a defect occurred, or the
 * heap grew by more than 10 MB.
 *
 * Options: `--requests N`, `--concurrency N`, `--fault-rate P`, `--conversations N`, `--seed N`,
 * `--transport undici|fetch|ours` (`NodeHttpClient.layerUndici`, the default; `FetchHttpClient.layer`; this
 * package's `UndiciHttpClient.layer`). Needs `--expose-gc`: without it, the script runs itself again under
 * `node --expose-gc --import tsx`.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { UndiciHttpClient } from "../src/undici/index.js"
import { formatSummary, problems, runSoak } from "./soak.js"

const heapLimitBytes = 10 * 1024 * 1024

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? undefined : process.argv[index + 1]
}

const numberArgument = (name: string, fallback: number): number => {
  const value = Number(argument(name))
  return argument(name) !== undefined && Number.isFinite(value) ? value : fallback
}

/** Runs this script again with `--expose-gc`, passing the arguments and the exit code through. */
const reexecWithGc = (): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      { stdio: "inherit", env: { ...process.env, SOAK_REEXEC: "1" } }
    )
    child.on("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)))
    child.on("error", (error) => {
      console.error(`soak: could not start node --expose-gc: ${error.message}`)
      resolve(1)
    })
  })

/** A few full collections with turns of the event loop between them, then the heap in use. */
const settledHeap = async (gc: () => void): Promise<number> => {
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return process.memoryUsage().heapUsed
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`

const main = async (gc: () => void): Promise<number> => {
  const requests = numberArgument("requests", 100_000)
  const concurrency = numberArgument("concurrency", 64)
  const faultRate = numberArgument("fault-rate", 0.05)
  const conversations = numberArgument("conversations", 500)
  const seed = numberArgument("seed", 1)
  const chosen = argument("transport")
  const [transportName, transport] = chosen === "fetch"
    ? ["FetchHttpClient", FetchHttpClient.layer] as const
    : chosen === "ours"
    ? ["UndiciHttpClient", UndiciHttpClient.layer] as const
    : ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici] as const

  console.log(
    `soak: ${requests} calls, concurrency ${concurrency}, fault rate ${(faultRate * 100).toFixed(1)}%, ` +
      `${conversations} seeded conversations, ${transportName}, seed ${seed}`
  )
  // A short warm-up first, so that code compiled and caches filled on first use do not count as growth.
  await Effect.runPromise(runSoak({ requests: 2_000, concurrency, faultRate, conversations, seed: seed + 1, transport }))
  const heapBefore = await settledHeap(gc)

  const started = performance.now()
  const summary = await Effect.runPromise(
    runSoak({
      requests,
      concurrency,
      faultRate,
      conversations,
      seed,
      transport,
      progressEvery: 10_000,
      onProgress: (completed) =>
        console.log(`  ${completed} calls done, ${((performance.now() - started) / 1000).toFixed(1)} s`)
    })
  )
  const heapAfter = await settledHeap(gc)
  const growth = heapAfter - heapBefore

  console.log(`\n${formatSummary(summary)}`)
  console.log(`heap used:                 ${mb(heapBefore)} before, ${mb(heapAfter)} after (growth ${mb(growth)}, limit ${mb(heapLimitBytes)})`)
  const found = [...problems(summary)]
  if (growth > heapLimitBytes) found.push(`the heap grew by ${mb(growth)}`)
  console.log(found.length === 0 ? "verdict:                   PASS" : `verdict:                   FAIL\n  ${found.join("\n  ")}`)
  return found.length === 0 ? 0 : 1
}

const exposedGc = globalThis.gc
if (exposedGc !== undefined) {
  main(exposedGc).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error("soak: crashed", error)
      process.exit(1)
    }
  )
} else if (process.env["SOAK_REEXEC"] === "1") {
  console.error("soak: --expose-gc did not take effect")
  process.exit(1)
} else {
  reexecWithGc().then((code) => process.exit(code))
}
