/**
 * The baseline of the benchmark: the client as it was before it was generated from the whole description
 * (seven hand-written operations, commit `f72ead2`), checked out from git into `.scratch/` so that both are
 * measured side by side in the same run. `BENCH_BASELINE` names another commit; `none` skips it.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import type * as ServiceModule from "../src/ConversationService.js"
import type * as CredentialsModule from "../src/Credentials.js"
import type * as RetryPolicyModule from "../src/RetryPolicy.js"
import type * as UndiciModule from "../src/undici/index.js"

/** The commit the benchmark compares with, unless `BENCH_BASELINE` says otherwise. */
export const defaultBaselineRef = "f72ead2"

const root = path.resolve(import.meta.dirname, "..")

/** The baseline's source tree (`src/` of the commit) with the project's `node_modules`, or why there is none. */
export const baselineTree = (ref: string): { readonly dir: string } | { readonly skipped: string } => {
  if (ref === "none") return { skipped: "BENCH_BASELINE=none" }
  const dir = path.join(root, ".scratch", `bench-baseline-${ref}`)
  if (!fs.existsSync(path.join(dir, "src", "index.ts"))) {
    try {
      fs.mkdirSync(dir, { recursive: true })
      const archive = execFileSync("git", ["archive", ref, "src", "package.json", "tsconfig.json", "tsconfig.build.json"], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024
      })
      execFileSync("tar", ["-x", "-C", dir], { input: archive })
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true })
      return { skipped: `git archive ${ref} failed (${error instanceof Error ? error.message.split("\n")[0] : "unknown"})` }
    }
  }
  const modules = path.join(dir, "node_modules")
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(root, "node_modules"), modules, "dir")
  return { dir }
}

/** The baseline's `ConversationService` module and its `UndiciHttpClient`, loaded from its source. */
export const loadBaseline = async (dir: string) => {
  const service: typeof ServiceModule = await import(
    pathToFileURL(path.join(dir, "src", "ConversationService.ts")).href
  )
  const credentials: typeof CredentialsModule = await import(pathToFileURL(path.join(dir, "src", "Credentials.ts")).href)
  const retry: typeof RetryPolicyModule = await import(pathToFileURL(path.join(dir, "src", "RetryPolicy.ts")).href)
  const undici: typeof UndiciModule = await import(pathToFileURL(path.join(dir, "src", "undici", "index.ts")).href)
  return { ConversationService: service.ConversationService, Credentials: credentials, RetryPolicy: retry, UndiciHttpClient: undici.UndiciHttpClient }
}
