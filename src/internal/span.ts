/**
 * Spans that end without keeping the call's result. `Effect.useSpan` ends a span with the effect's exit,
 * so every span would hold its response (conversation content, and for the platform's `http.client` span
 * the request with its headers) for as long as a tracer keeps it; measured, that retention also costs
 * the garbage collector more than everything else a span does. A success ends the span with `void`; a
 * failure ends it with its cause, as `useSpan` does.
 */
import { Effect, Exit, FiberRef, type MetricLabel, type Tracer } from "effect"

/**
 * Told when a span starts and when it ends, with the fiber's metric labels (`Effect.tagMetrics`): the
 * calls-in-progress metric. `ended` runs for every `started`, whatever the exit.
 */
export interface SpanTracker {
  readonly started: (tags: ReadonlyArray<MetricLabel.MetricLabel>) => void
  readonly ended: (tags: ReadonlyArray<MetricLabel.MetricLabel>) => void
}

/**
 * Runs `use` in a new span (not put in the context: pass it as `parent` to child spans), then ends the
 * span, after `onSuccess` could add attributes from the result.
 */
export const withResultFreeSpan = <A, E, R>(
  name: string,
  options: Tracer.SpanOptions,
  use: (span: Tracer.Span) => Effect.Effect<A, E, R>,
  onSuccess?: (span: Tracer.Span, value: A) => void,
  tracker?: SpanTracker
): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    tracker === undefined
      ? Effect.makeSpan(name, options)
      : Effect.withFiberRuntime<Tracer.Span>((fiber) => {
        tracker.started(fiber.getFiberRef(FiberRef.currentMetricLabels))
        return Effect.makeSpan(name, options)
      }),
    use,
    (span, exit) =>
      Effect.withFiberRuntime((fiber) => {
        const timing = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
        tracker?.ended(fiber.getFiberRef(FiberRef.currentMetricLabels))
        return Effect.clockWith((clock) =>
          Effect.sync(() => {
            if (Exit.isSuccess(exit)) onSuccess?.(span, exit.value)
            span.end(timing ? clock.unsafeCurrentTimeNanos() : BigInt(0), Exit.isSuccess(exit) ? Exit.void : exit)
          })
        )
      })
  )
