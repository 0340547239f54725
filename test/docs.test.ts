/**
 * What a new user reads and installs: package.json's entries and scripts, the LICENSE, and the README's
 * Install and Testing sections, kept in step with the code (a member added to the testing surface must be
 * documented; a peer range changed in package.json must be changed in the install line).
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type {
  FaultRateOptions,
  InjectFaultOptions,
  LayerMockOptions,
  MockConversationStoreShape,
  MockResourcesShape,
  MockServerOptions,
  MockServerShape,
  OperationId,
  RecordedRequest
} from "../src/testing/index.js"
import * as Fault from "../src/testing/Fault.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const read = (file: string) => readFileSync(resolve(root, file), "utf8")

interface PackageJson {
  readonly license: string
  readonly engines: { readonly node: string }
  readonly main: string
  readonly types: string
  readonly files: ReadonlyArray<string>
  readonly scripts: Readonly<Record<string, string>>
  readonly exports: Readonly<Record<string, unknown>>
  readonly peerDependencies: Readonly<Record<string, string>>
  readonly peerDependenciesMeta: Readonly<Record<string, { readonly optional?: boolean }>>
}
const pkg: PackageJson = JSON.parse(read("package.json"))
const readme = read("README.md")

/** The README section under `heading`, up to the next heading of the same level. */
const section = (heading: string): string => {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start === -1) throw new Error(`README has no section ${heading}`)
  const level = heading.split(" ")[0] ?? "##"
  const next = readme.indexOf(`\n${level} `, start + heading.length + 2)
  return readme.slice(start, next === -1 ? undefined : next)
}

describe("package.json: ESM and CommonJS consumers, types for every resolution", () => {
  const entries = [".", "./testing", "./undici"]
  for (const entry of entries) {
    it(`"${entry}" has import and require conditions, each with its own types`, () => {
      const dir = entry === "." ? "" : `${entry.slice(2)}/`
      expect(pkg.exports[entry]).toEqual({
        import: { types: `./dist/${dir}index.d.ts`, default: `./dist/${dir}index.js` },
        require: { types: `./dist/cjs/${dir}index.d.ts`, default: `./dist/cjs/${dir}index.js` },
        default: `./dist/${dir}index.js`
      })
    })
  }

  it("main and types (node10) point at the CommonJS build", () => {
    expect(pkg.main).toBe("./dist/cjs/index.js")
    expect(pkg.types).toBe("./dist/cjs/index.d.ts")
  })

  it("the build writes both formats, marks dist/cjs as CommonJS, and npm pack builds first", () => {
    expect(pkg.scripts.build).toContain("build:esm")
    expect(pkg.scripts.build).toContain("build:cjs")
    expect(pkg.scripts["build:cjs"]).toContain("tsconfig.cjs.json")
    expect(pkg.scripts["build:cjs"]).toContain("dist/cjs/package.json")
    expect(pkg.scripts["build:cjs"]).toContain("commonjs")
    expect(pkg.scripts.prepack).toBe("npm run build")
    expect(JSON.parse(read("tsconfig.cjs.json"))).toMatchObject({
      compilerOptions: { module: "CommonJS", outDir: "dist/cjs" }
    })
  })

  it("LICENSE is MIT, as package.json says, and ships in the tarball", () => {
    expect(pkg.license).toBe("MIT")
    expect(read("LICENSE")).toMatch(/^MIT License\n/)
    expect(read("LICENSE")).toContain("Permission is hereby granted, free of charge")
    expect(pkg.files).toContain("LICENSE")
  })
})

describe("README: Install", () => {
  const install = section("## Install")
  const required = Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta[name]?.optional !== true)
  const optional = Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta[name]?.optional === true)

  it("gives the npm i line with the required peers at their declared ranges", () => {
    const line = install.split("\n").find((text) => text.startsWith("npm i effect-ultracart-conversation "))
    const packages = (line ?? "").split(" ").slice(3)
    expect([...packages].sort()).toEqual(required.map((name) => `${name}@${pkg.peerDependencies[name]}`).sort())
  })

  it("names the optional peers with their ranges and what needs them (MockServer, not layerMock; the /redis entry)", () => {
    expect(optional).toEqual(["@effect/platform-node", "ioredis"])
    expect(install).toContain(`npm i -D @effect/platform-node@${pkg.peerDependencies["@effect/platform-node"]}`)
    expect(install).toContain(`npm i ioredis@${pkg.peerDependencies["ioredis"]}`)
    expect(install).toMatch(/`effect-ultracart-conversation\/redis` \| `RateLimitRedis`[^\n]*\| `ioredis` \|/)
    expect(install).toMatch(/`MockServer\.layer`: `@effect\/platform-node`/)
    expect(install).toMatch(/`layerMock` and the store: nothing more/)
  })

  it("says which Node, and that the package is ESM with a CommonJS build", () => {
    expect(pkg.engines.node).toBe(">=20.18.1")
    expect(install).toContain("Node ≥ 20.18.1")
    expect(install).toContain("ESM")
    expect(install).toContain("CommonJS")
  })

  it("no README example passes an empty credential", () => {
    expect(readme).not.toMatch(/simpleKey\([^)]*\?\? ""\)/)
    expect(readme).not.toMatch(/(simpleKey|bearer)\(""\)/)
    expect(read("src/Credentials.ts")).not.toContain("?? \"\"")
  })
})

/** Every key of `T`, listed once: adding a key to the type fails the type check until it is listed here. */
const keysOf = <T>() => <const K extends Record<keyof T, true>>(keys: K & Record<Exclude<keyof K, keyof T>, never>) =>
  Object.keys(keys)

describe("README: Testing documents every member of the testing surface", () => {
  const testing = section("## Testing your code: `effect-ultracart-conversation/testing`")
  const documented = (names: ReadonlyArray<string>) => names.filter((name) => !testing.includes(`\`${name}`))

  it("every member of the store and of its resources", () => {
    const members = keysOf<MockConversationStoreShape>()({
      merchantId: true, agent: true, start: true, get: true, list: true, join: true, leave: true, agentAuth: true,
      uploadUrl: true, snapshot: true, find: true, started: true, seed: true, reset: true, clear: true, size: true,
      markRead: true, messagesSince: true, search: true, resources: true
    })
    const resources = keysOf<MockResourcesShape>()({
      families: true, list: true, get: true, insert: true, update: true, remove: true, seed: true, settings: true,
      updateSettings: true, agentStatusEvents: true, seedAgentStatusEvents: true, queueStatuses: true,
      updateQueueAgent: true, reset: true
    })
    expect(documented([...members, ...resources])).toEqual([])
  })

  it("every member of MockServer, and layer / layerClient", () => {
    const members = keysOf<MockServerShape>()({
      baseUrl: true, port: true, credentials: true, store: true, injectFault: true, setFaultRate: true,
      clearFaults: true, pendingFaults: true, requests: true, clearRequests: true, reset: true
    })
    expect(documented([...members, "MockServer.layer", "MockServer.layerClient"])).toEqual([])
  })

  it("every option of injectFault, setFaultRate, MockServer.layer and layerMock", () => {
    const inject = keysOf<InjectFaultOptions>()({ operation: true, times: true })
    const rate = keysOf<FaultRateOptions>()({ probability: true, faults: true, seed: true, operations: true })
    const server = keysOf<MockServerOptions>()({
      seed: true, merchantId: true, agent: true, credentials: true, joinLeaveStatus: true, maxRecorded: true,
      resources: true
    })
    const mock = keysOf<LayerMockOptions>()({
      merchantId: true, agent: true, joinLeaveStatus: true, retry: true, timeout: true, resources: true
    })
    expect(documented([...inject, ...rate, ...server, ...mock])).toEqual([])
    expect(testing).toContain("injectFault(fault, { operation?, times? })")
    expect(testing).toContain("setFaultRate({ probability, faults, seed?, operations? })")
  })

  it("every field of a recorded request, and OperationId", () => {
    const fields = keysOf<RecordedRequest>()({
      method: true, path: true, query: true, headers: true, body: true, operationId: true, fault: true,
      receivedAtMillis: true
    })
    expect(documented([...fields, "OperationId"])).toEqual([])
    // OperationId is exported from /testing: the type of injectFault's `operation`
    const operation: OperationId = "startConversation"
    const options: InjectFaultOptions = { operation, times: 2 }
    expect(testing).toContain(`"${options.operation}"`)
  })

  it("every fault constructor, and the seeds", () => {
    const constructors = Object.keys(Fault).filter((name) => !name.startsWith("$") && name !== "describe")
    expect(constructors.length).toBe(10)
    expect(documented(constructors.map((name) => `Fault.${name}`))).toEqual([])
    expect(documented(["\"default\"", "\"empty\"", "ReadonlyArray<Conversation>", "seedConversations(", "seededUuid("])).toEqual([])
  })
})
