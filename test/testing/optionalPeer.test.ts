import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { readFileSync } from "node:fs"
import {
  importOptionalPeer,
  isMissingPeer,
  missingPeerMessage,
  optionalPeerRanges
} from "../../src/testing/internal/optionalPeer.js"

const peer = "@effect/platform-node"

/** Node's errors for a package that is not installed, from `import()` and from `require()`. */
const esmMissing = (name: string) =>
  Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/x/dist/testing/internal/nodeServer.js`), {
    code: "ERR_MODULE_NOT_FOUND"
  })
const cjsMissing = (name: string) =>
  Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/node_modules/x/dist/cjs/testing/internal/nodeServer.js`), {
    code: "MODULE_NOT_FOUND"
  })

const defectOf = <A>(exit: Exit.Exit<A>): unknown =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.dieOption(exit.cause)) : undefined

describe("MockServer's optional peer (@effect/platform-node) is loaded on use", () => {
  for (const [name, error] of [["import()", esmMissing(peer)], ["require()", cjsMissing(peer)]] as const) {
    it.effect(`when ${name} cannot find it, the defect names the package and the version to install`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(importOptionalPeer({ peer, user: "MockServer", load: () => Promise.reject(error) }))
        const defect = defectOf(exit)
        expect(defect).toBeInstanceOf(Error)
        const message = defect instanceof Error ? defect.message : ""
        expect(message).toContain("MockServer needs the optional peer dependency @effect/platform-node")
        expect(message).toContain(`npm i -D @effect/platform-node@${optionalPeerRanges[peer]}`)
        expect(message).toContain("layerMock")
      }))
  }

  it.effect("another module missing is not blamed on the peer: the original error is the defect", () =>
    Effect.gen(function*() {
      const other = esmMissing("ws")
      const exit = yield* Effect.exit(importOptionalPeer({ peer, user: "MockServer", load: () => Promise.reject(other) }))
      expect(defectOf(exit)).toBe(other)
      expect(isMissingPeer(other, peer)).toBe(false)
      expect(isMissingPeer(new Error(`Cannot find package '${peer}'`), peer)).toBe(false)
    }))

  it.effect("when the peer is there, the module is returned", () =>
    Effect.gen(function*() {
      const module = yield* importOptionalPeer({ peer, user: "MockServer", load: () => Promise.resolve({ make: 1 }) })
      expect(module).toEqual({ make: 1 })
    }))

  it("the version in the message is the one package.json declares", () => {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
    expect(pkg).toMatchObject({ peerDependencies: optionalPeerRanges, peerDependenciesMeta: { [peer]: { optional: true } } })
    expect(missingPeerMessage(peer, "MockServer")).toContain(optionalPeerRanges[peer])
  })
})
