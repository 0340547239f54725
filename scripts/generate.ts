/**
 * `npm run generate`: turns the project's copy of UltraCart's description (spec/) into the models, the
 * operation table, the typed services and the README's table of operations. `--check` writes nothing and
 * fails when a generated file differs from what is committed (CI runs it).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { generate, type GeneratedFile } from "./generator/generate.js"

const root = path.resolve(import.meta.dirname, "..")
const read = (file: string): string => fs.readFileSync(path.join(root, file), "utf8")

const files: ReadonlyArray<GeneratedFile> = generate({
  description: JSON.parse(read("spec/conversation-full.openapi.json")),
  retryClasses: JSON.parse(read("spec/retry-classes.json")).classes,
  overrides: JSON.parse(read("spec/overrides.json")),
  readme: read("README.md")
})

const check = process.argv.includes("--check")
const stale = files.filter((file) => {
  const target = path.join(root, file.path)
  return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== file.content
})
if (check) {
  if (stale.length > 0) {
    console.error(`generated files are out of date (run npm run generate): ${stale.map((f) => f.path).join(", ")}`)
    process.exit(1)
  }
  console.log(`generated files are up to date (${files.length} files)`)
} else {
  for (const file of stale) {
    fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true })
    fs.writeFileSync(path.join(root, file.path), file.content)
  }
  console.log(`generated ${files.length} files, ${stale.length} changed${stale.length > 0 ? `: ${stale.map((f) => f.path).join(", ")}` : ""}`)
}
