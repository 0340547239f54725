/**
 * A short soak in `npm test`: 5,000 calls at concurrency 64 against MockServer with 5% random faults the
 * retry policy should absorb. No call is lost, none ends in a defect, every failure is typed, and the
 * faults were really there. (`npm run soak` runs 100,000 calls and also checks the heap.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { conversationErrorTags } from "../../src/index.js"
import { formatSummary, problems, runSoak } from "../../soak/soak.js"

describe("soak (short)", () => {
  it.live("5,000 calls at concurrency 64 with 5% faults: none lost, no defect, every failure typed", () =>
    Effect.gen(function*() {
      const summary = yield* runSoak({ requests: 5_000, concurrency: 64, faultRate: 0.05, seed: 7 })
      console.log(`Short soak:\n${formatSummary(summary)}`)

      expect(problems(summary)).toEqual([])
      expect(summary.lost).toBe(0)
      expect(summary.defects).toBe(0)
      const knownTags: ReadonlyArray<string> = conversationErrorTags
      for (const tag of Object.keys(summary.failures)) expect(knownTags).toContain(tag)

      // The faults were there and the retries absorbed them: only startConversation, which must not
      // resend after a 503 or a dropped connection, may fail now and then.
      const injected = Object.values(summary.faultsInjected).reduce((sum, n) => sum + n, 0)
      expect(injected).toBeGreaterThan(summary.calls * 0.02)
      expect(summary.retries).toBeGreaterThan(0)
      expect(summary.successes / summary.calls).toBeGreaterThan(0.99)
      // Every request the client sent reached the server's record, and no more.
      expect(summary.serverCountExact).toBe(true)
      expect(summary.serverRequests).toBe(summary.attempts)
    }), 180_000)
})
