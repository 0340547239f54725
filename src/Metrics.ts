/**
 * The names and labels of the client's metrics (Effect `Metric`s, exported by `@effect/opentelemetry`
 * like any other): for dashboards, alerts and tests. `ClientOptions.metrics: false` turns them off.
 *
 * | metric | kind | labels |
 * |---|---|---|
 * | `ultracart.client.requests` | counter | `operation`, `http.request.method`, `outcome`, `error.type` (failures only) |
 * | `ultracart.client.request.duration` | histogram (seconds) | as `ultracart.client.requests` |
 * | `ultracart.client.retries` | counter | `operation`, `http.request.method`, `reason` |
 * | `ultracart.client.active_calls` | up-down counter | `operation`, `http.request.method` |
 *
 * @since 0.3.0
 */
import * as internal from "./internal/metrics.js"

/** The metric names. */
export const names: {
  /** Every HTTP request sent (each attempt), by outcome. */
  readonly requests: "ultracart.client.requests"
  /** Each HTTP request's duration in seconds: sent, answered, body read. */
  readonly requestDuration: "ultracart.client.request.duration"
  /** Attempts sent again after a retryable failure, by reason. */
  readonly retries: "ultracart.client.retries"
  /** Calls in progress (a call spans its attempts, backoffs and rate-limit waits). */
  readonly activeCalls: "ultracart.client.active_calls"
} = internal.metricNames

/**
 * The label names. `outcome` is the status class (`2xx`, `4xx`, `5xx`, …) when UltraCart answered, else
 * the error's tag (`TransportError`, `TimeoutError`); `error.type` and `reason` are error tags.
 */
export const labels: {
  readonly operation: "operation"
  readonly method: "http.request.method"
  readonly outcome: "outcome"
  readonly errorType: "error.type"
  readonly reason: "reason"
} = internal.labelNames

/** The bucket boundaries of `ultracart.client.request.duration`, in seconds. */
export const durationBoundaries: ReadonlyArray<number> = internal.durationBoundaries
