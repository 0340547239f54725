/**
 * Reading Effect's global metric registry in tests: the value of one metric with exactly the given
 * labels, and every label of every metric of the client. The registry is global to the process, so tests
 * compare values before and after a call.
 */
import { Effect, Metric, MetricState } from "effect"

/** One metric in the registry: its name, labels and state. */
export interface MetricEntry {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly state: MetricState.MetricState.Untyped
}

/** Every metric whose name starts with `prefix`. */
export const metricsNamed = (prefix: string): Effect.Effect<ReadonlyArray<MetricEntry>> =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs
      .filter((pair) => pair.metricKey.name.startsWith(prefix))
      .map((pair) => ({
        name: pair.metricKey.name,
        labels: Object.fromEntries(pair.metricKey.tags.map((label) => [label.key, label.value])),
        state: pair.metricState
      })))

const sameLabels = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

/** The count of a counter (0 when it was never touched). */
export const counterValue = (name: string, labels: Readonly<Record<string, string>>): Effect.Effect<number> =>
  Effect.map(metricsNamed(name), (entries) => {
    const entry = entries.find((candidate) => candidate.name === name && sameLabels(candidate.labels, labels))
    return entry !== undefined && MetricState.isCounterState(entry.state) ? Number(entry.state.count) : 0
  })

/** A histogram's count and sum (zeros when it was never touched). */
export const histogramValue = (
  name: string,
  labels: Readonly<Record<string, string>>
): Effect.Effect<{ readonly count: number; readonly sum: number }> =>
  Effect.map(metricsNamed(name), (entries) => {
    const entry = entries.find((candidate) => candidate.name === name && sameLabels(candidate.labels, labels))
    return entry !== undefined && MetricState.isHistogramState(entry.state)
      ? { count: entry.state.count, sum: entry.state.sum }
      : { count: 0, sum: 0 }
  })
