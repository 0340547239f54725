/**
 * The client's metrics: Effect `Metric`s in the global registry, which `@effect/opentelemetry` (or any
 * other reader of `Metric.snapshot`) exports. Names follow OpenTelemetry's HTTP client conventions where
 * they fit (`http.request.method`, `error.type`, durations in seconds with its bucket boundaries).
 *
 * Every label value is bounded: an operation id, an HTTP method, a status class, an error tag or a
 * retry reason; never a path, a uuid, a header or a credential. Each metric with its labels is made
 * once per operation and outcome, so recording is a registry-free update of an already resolved hook.
 */
import { Cause, Clock, Context, DefaultServices, Effect, FiberRef, Metric, MetricBoundaries, MetricKey, MetricLabel, Option } from "effect"
import type { ConversationError } from "../Errors.js"
import type { OperationSpec } from "./operation.js"

/** The metric names, as exported. */
export const metricNames = {
  requests: "ultracart.client.requests",
  requestDuration: "ultracart.client.request.duration",
  retries: "ultracart.client.retries",
  activeCalls: "ultracart.client.active_calls"
} as const

/** The label names. */
export const labelNames = {
  operation: "operation",
  method: "http.request.method",
  outcome: "outcome",
  errorType: "error.type",
  reason: "reason"
} as const

/**
 * The bucket boundaries of `ultracart.client.request.duration`, in seconds: OpenTelemetry's advice for
 * `http.client.request.duration`, and 30 s (the default per-attempt timeout).
 */
export const durationBoundaries: ReadonlyArray<number> = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30
]

const descriptions = {
  requests: "HTTP requests sent to UltraCart (every attempt), by operation and outcome",
  requestDuration: "Duration of each HTTP request to UltraCart (one attempt: sent, answered, body read), in seconds",
  retries: "Attempts sent again after a retryable failure, by operation and reason",
  activeCalls: "Operation calls in progress (from the call to its result, retries and rate-limit waits included)"
} as const

const boundaries = MetricBoundaries.fromIterable(durationBoundaries)

/** What one attempt came to: the status class when UltraCart answered, else the error tag. */
export const outcomeOf = (error: ConversationError): string =>
  "status" in error ? `${Math.floor(error.status / 100)}xx` : error._tag

/** What an operation records, bound to its labels. */
export interface OperationMetrics {
  /**
   * Measures one attempt: its duration on the fiber's `Clock` and its outcome are recorded when it
   * ends (an interrupted attempt records nothing).
   */
  readonly measure: <A>(attempt: Effect.Effect<A, ConversationError>) => Effect.Effect<A, ConversationError>
  /** Counts a retry caused by `error`. */
  readonly retried: (error: ConversationError, extraTags: ReadonlyArray<MetricLabel.MetricLabel>) => void
  /** A call started / ended (the active-calls counter, up and down). */
  readonly callStarted: (extraTags: ReadonlyArray<MetricLabel.MetricLabel>) => void
  readonly callEnded: (extraTags: ReadonlyArray<MetricLabel.MetricLabel>) => void
}

interface AttemptMetrics {
  readonly requests: Metric.Metric.Counter<number>
  readonly duration: Metric.Metric.Histogram<number>
}

type Labels = ReadonlyArray<MetricLabel.MetricLabel>

const counter = (name: string, description: string, labels: Labels, incremental: boolean) =>
  Metric.fromMetricKey(MetricKey.taggedWithLabels(MetricKey.counter(name, { description, incremental }), labels))

/** The metrics of one operation; metrics for a new outcome or retry reason are made on first use. */
export const operationMetrics = (operation: OperationSpec): OperationMetrics => {
  const base: Labels = [
    MetricLabel.make(labelNames.operation, operation.id),
    MetricLabel.make(labelNames.method, operation.method)
  ]
  const attemptMetrics = (outcome: string, errorType: string | undefined): AttemptMetrics => {
    const labels = errorType === undefined
      ? [...base, MetricLabel.make(labelNames.outcome, outcome)]
      : [...base, MetricLabel.make(labelNames.outcome, outcome), MetricLabel.make(labelNames.errorType, errorType)]
    return {
      requests: counter(metricNames.requests, descriptions.requests, labels, true),
      duration: Metric.fromMetricKey(
        MetricKey.taggedWithLabels(
          MetricKey.histogram(metricNames.requestDuration, boundaries, descriptions.requestDuration),
          labels
        )
      )
    }
  }
  const succeeded = attemptMetrics("2xx", undefined)
  const failed = new Map<string, AttemptMetrics>()
  const failedMetrics = (error: ConversationError): AttemptMetrics => {
    const outcome = outcomeOf(error)
    const key = `${outcome} ${error._tag}`
    let metrics = failed.get(key)
    if (metrics === undefined) {
      metrics = attemptMetrics(outcome, error._tag)
      failed.set(key, metrics)
    }
    return metrics
  }
  const retries = new Map<string, Metric.Metric.Counter<number>>()
  const active = counter(metricNames.activeCalls, descriptions.activeCalls, base, false)

  const record = (metrics: AttemptMetrics, seconds: number, tags: Labels) => {
    metrics.requests.unsafeUpdate(1, tags)
    metrics.duration.unsafeUpdate(seconds, tags)
  }

  return {
    measure: (attempt) =>
      Effect.withFiberRuntime((fiber) => {
        const clock = Context.get(fiber.getFiberRef(DefaultServices.currentServices), Clock.Clock)
        const tags = fiber.getFiberRef(FiberRef.currentMetricLabels)
        const started = clock.unsafeCurrentTimeNanos()
        const seconds = () => Number(clock.unsafeCurrentTimeNanos() - started) / 1e9
        return Effect.matchCauseEffect(attempt, {
          onSuccess: (value) => {
            record(succeeded, seconds(), tags)
            return Effect.succeed(value)
          },
          onFailure: (cause) => {
            const failure = Cause.failureOption(cause)
            if (Option.isSome(failure)) record(failedMetrics(failure.value), seconds(), tags)
            return Effect.failCause(cause)
          }
        })
      }),
    retried: (error, tags) => {
      let metric = retries.get(error._tag)
      if (metric === undefined) {
        metric = counter(metricNames.retries, descriptions.retries, [...base, MetricLabel.make(labelNames.reason, error._tag)], true)
        retries.set(error._tag, metric)
      }
      metric.unsafeUpdate(1, tags)
    },
    callStarted: (tags) => active.unsafeUpdate(1, tags),
    callEnded: (tags) => active.unsafeUpdate(-1, tags)
  }
}
