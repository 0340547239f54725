import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, Ref, TestClock } from "effect"
import { timeoutFail, type Timer, timeoutWithTimer } from "../src/internal/timeout.js"

/** A timer fired by hand: the test decides when time is up, nothing sleeps. */
const manualTimer = () => {
  const pending = new Map<number, () => void>()
  let next = 0
  const timer: Timer = (task, _millis) => {
    const id = next++
    pending.set(id, task)
    return () => pending.delete(id)
  }
  const fireAll = () => {
    const tasks = [...pending.values()]
    pending.clear()
    for (const task of tasks) task()
  }
  return { timer, fireAll, pending: () => pending.size }
}

/** An attempt that never ends on its own: it says when it started, and records its interruption. */
const stalledAttempt = Effect.gen(function*() {
  const finalized = yield* Ref.make(false)
  const started = yield* Deferred.make<void>()
  const attempt = Deferred.succeed(started, undefined).pipe(
    Effect.zipRight(Effect.never),
    Effect.onInterrupt(() => Ref.set(finalized, true))
  )
  return { attempt, finalized, started }
})

describe("timeoutWithTimer (the per-attempt timeout under the live clock)", () => {
  it.effect("a result before the timer fires is returned, and the timer is cancelled", () =>
    Effect.gen(function*() {
      const manual = manualTimer()
      const result = yield* timeoutWithTimer(Effect.succeed(42), 1000, () => "late" as const, manual.timer)
      expect(result).toBe(42)
      expect(manual.pending()).toBe(0)
    }))

  it.effect("a failure before the timer fires is returned as it is", () =>
    Effect.gen(function*() {
      const manual = manualTimer()
      const exit = yield* Effect.exit(timeoutWithTimer(Effect.fail("boom" as const), 1000, () => "late" as const, manual.timer))
      expect(exit).toStrictEqual(Exit.fail("boom"))
      expect(manual.pending()).toBe(0)
    }))

  it.effect("when the timer fires, the attempt is interrupted and its finalizer has run before the error", () =>
    Effect.gen(function*() {
      const manual = manualTimer()
      const { attempt, finalized, started } = yield* stalledAttempt
      const fiber = yield* Effect.fork(Effect.exit(timeoutWithTimer(attempt, 1000, () => "late" as const, manual.timer)))
      yield* Deferred.await(started)
      expect(manual.pending()).toBe(1)
      manual.fireAll()
      const exit = yield* Fiber.join(fiber)
      expect(exit).toStrictEqual(Exit.fail("late"))
      expect(yield* Ref.get(finalized)).toBe(true)
    }))

  it.effect("interrupting the caller interrupts the attempt and cancels the timer", () =>
    Effect.gen(function*() {
      const manual = manualTimer()
      const { attempt, finalized, started } = yield* stalledAttempt
      const fiber = yield* Effect.fork(timeoutWithTimer(attempt, 1000, () => "late" as const, manual.timer))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(finalized)).toBe(true)
      expect(manual.pending()).toBe(0)
    }))

  it.effect("a result that comes after the timer fired is not returned", () =>
    Effect.gen(function*() {
      const manual = manualTimer()
      const release = yield* Deferred.make<void>()
      const started = yield* Deferred.make<void>()
      const attempt = Deferred.succeed(started, undefined).pipe(
        Effect.zipRight(Deferred.await(release)),
        Effect.as("value")
      )
      const fiber = yield* Effect.fork(Effect.exit(timeoutWithTimer(attempt, 1000, () => "late" as const, manual.timer)))
      yield* Deferred.await(started)
      manual.fireAll()
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(fiber)).toStrictEqual(Exit.fail("late"))
    }))
})

describe("timeoutFail", () => {
  it.effect("under the TestClock it is driven by virtual time", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(
        Effect.exit(timeoutFail(Effect.never, Duration.seconds(3), 3000, () => "late" as const))
      )
      yield* TestClock.adjust(Duration.millis(2999))
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Fiber.join(fiber)).toStrictEqual(Exit.fail("late"))
    }))

  it.live("under the live clock a quick result is returned (no timer left behind)", () =>
    Effect.gen(function*() {
      const before = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
      const result = yield* timeoutFail(Effect.succeed("ok"), Duration.seconds(30), 30_000, () => "late" as const)
      expect(result).toBe("ok")
      const after = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
      expect(after).toBeLessThanOrEqual(before)
    }))
})
