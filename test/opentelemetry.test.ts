/**
 * The client under the real OpenTelemetry SDK, through `@effect/opentelemetry`'s `NodeSdk.layer` with
 * in-memory exporters: one operation span with one `http.client` child per attempt, the retries as span
 * events, the metrics exported with their labels, and no secret in any attribute, event or label.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { describe, expect, it } from "@effect/vitest"
import { SpanKind } from "@opentelemetry/api"
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  InMemoryMetricExporter,
  type MetricData,
  PeriodicExportingMetricReader
} from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer } from "effect"
import { ConversationService, type ConversationServiceShape } from "../src/ConversationService.js"
import * as Credentials from "../src/Credentials.js"
import * as Metrics from "../src/Metrics.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { defaultSeed, Fault, MockServer } from "../src/testing/index.js"
import { UndiciHttpClient } from "../src/undici/index.js"
import { json, outcomeTag, run, testKey, ucError } from "./support/scriptedClient.js"

const uuid = "7a1c0b9e-0000-4000-8000-07e100000001"
const bearer = "test-bearer-token-otel"

/** An OpenTelemetry SDK whose spans and metrics stay in memory. */
const makeSdk = () => {
  const spans = new InMemorySpanExporter()
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  // Exports only when flushed (the interval is far beyond any test).
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
  const layer = NodeSdk.layer(() => ({
    resource: { serviceName: "effect-ultracart-conversation-test" },
    spanProcessor: new SimpleSpanProcessor(spans),
    metricReader: reader
  }))
  const exportedMetrics = Effect.promise(() => reader.forceFlush()).pipe(
    Effect.map(() => metrics.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics)))
  )
  /**
   * Runs `effect` under the SDK and returns what was exported meanwhile, read before the SDK shuts
   * down (its shutdown empties the span exporter).
   */
  const traced = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function*() {
      const result = yield* effect
      const metricData = yield* exportedMetrics
      return { result, spans: [...spans.getFinishedSpans()], metrics: metricData }
    }).pipe(Effect.provide(layer))
  return { traced }
}

const spanId = (span: ReadableSpan) => span.spanContext().spanId
const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId

/** Everything an exporter sends of a span, as text. */
const exported = (span: ReadableSpan): string =>
  JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
    links: span.links
  })

/** The last export of a metric, by name. */
const metricNamed = (metrics: ReadonlyArray<MetricData>, name: string): MetricData | undefined =>
  metrics.filter((metric) => metric.descriptor.name === name).at(-1)

/** The data point with exactly these attributes. */
const pointOf = <T>(points: ReadonlyArray<DataPoint<T>>, attributes: Readonly<Record<string, string>>) =>
  points.find((candidate) => {
    const keys = Object.keys(candidate.attributes)
    return keys.length === Object.keys(attributes).length && keys.every((key) => candidate.attributes[key] === attributes[key])
  })

/** The data point of `metric` with exactly these attributes. */
const point = (metric: MetricData | undefined, attributes: Readonly<Record<string, string>>) => {
  const points: ReadonlyArray<DataPoint<unknown>> = metric?.dataPoints ?? []
  return pointOf(points, attributes)
}

const get = { operation: "getConversation", "http.request.method": "GET" }

describe("OpenTelemetry SDK (NodeSdk.layer, in-memory exporters)", () => {
  it.effect("a retried call: one operation span, one http.client child per attempt, retries as events, metrics with labels", () =>
    Effect.gen(function*() {
      const { metrics, result, spans: finished } = yield* makeSdk().traced(run(
        [ucError(503), ucError(429, undefined, { "retry-after": "1" }), json(200, { conversation: { conversation_uuid: uuid } })],
        (service) => service.getConversation(uuid, { limit: 5 }),
        { advance: "1 minute", client: { retry: RetryPolicy.make({ jitter: false }) } }
      ))
      expect(outcomeTag(result.exit)).toBe("Success")

      const operations = finished.filter((span) => span.name === "ConversationService.getConversation")
      expect(operations).toHaveLength(1)
      const operation = operations[0]
      if (operation === undefined) return
      expect(operation.attributes["http.request.method"]).toBe("GET")
      expect(operation.attributes["url.template"]).toBe("/conversation/conversations/{conversation_uuid}")
      const attempts = finished.filter((span) => span.name === "http.client GET")
      expect(attempts).toHaveLength(3)
      for (const attempt of attempts) {
        expect(parentId(attempt)).toBe(spanId(operation))
        expect(attempt.kind).toBe(SpanKind.CLIENT)
        expect(attempt.spanContext().traceId).toBe(operation.spanContext().traceId)
      }
      expect(attempts.map((attempt) => attempt.attributes["http.response.status_code"])).toEqual([503, 429, 200])
      // The retries, in the trace.
      const retries = operation.events.filter((event) => event.name === "ultracart.retry")
      expect(retries.map((event) => event.attributes)).toEqual([
        {
          "ultracart.operation": "getConversation",
          "ultracart.attempt": 1,
          "error.type": "ServerError",
          "http.response.status_code": 503,
          "ultracart.retry.delay_ms": 250,
          "ultracart.retry.from_retry_after": false
        },
        {
          "ultracart.operation": "getConversation",
          "ultracart.attempt": 2,
          "error.type": "RateLimitError",
          "http.response.status_code": 429,
          "ultracart.retry.delay_ms": 1000,
          "ultracart.retry.from_retry_after": true
        }
      ])

      // The metrics, exported with their labels.
      const requests = metricNamed(metrics, Metrics.names.requests)
      expect(point(requests, { ...get, outcome: "2xx" })?.value).toBe(1)
      expect(point(requests, { ...get, outcome: "5xx", "error.type": "ServerError" })?.value).toBe(1)
      expect(point(requests, { ...get, outcome: "4xx", "error.type": "RateLimitError" })?.value).toBe(1)
      const retriesMetric = metricNamed(metrics, Metrics.names.retries)
      expect(point(retriesMetric, { ...get, reason: "ServerError" })?.value).toBe(1)
      expect(point(retriesMetric, { ...get, reason: "RateLimitError" })?.value).toBe(1)
      const duration = metricNamed(metrics, Metrics.names.requestDuration)
      expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM)
      const histogram = duration?.dataPointType === DataPointType.HISTOGRAM
        ? pointOf(duration.dataPoints, { ...get, outcome: "2xx" })?.value
        : undefined
      expect(histogram?.count).toBe(1)
      expect(histogram?.buckets.boundaries).toEqual([...Metrics.durationBoundaries])
      const active = metricNamed(metrics, Metrics.names.activeCalls)
      expect(point(active, get)?.value).toBe(0)
      // An up-down counter: a non-monotonic sum, not a gauge.
      expect(active?.dataPointType).toBe(DataPointType.SUM)
      expect(active?.dataPointType === DataPointType.SUM && active.isMonotonic).toBe(false)
    }))

  it.effect("no credential or uuid in any span attribute, event or metric label, with either credential", () =>
    Effect.gen(function*() {
      for (const credentials of [Credentials.simpleKey(testKey), Credentials.bearer(bearer)]) {
        const { metrics, spans: finished } = yield* makeSdk().traced(run(
          [ucError(503), json(200, {}), ucError(404), ucError(401)],
          (service: ConversationServiceShape) =>
            Effect.all([
              Effect.either(service.getConversation(uuid)),
              Effect.either(service.leaveConversation(uuid)),
              Effect.either(service.joinConversation(uuid))
            ]),
          { advance: "1 minute", client: { credentials } }
        ))
        expect(finished.length).toBeGreaterThan(3)
        const everything = [...finished.map(exported), JSON.stringify(metrics)].join("\n")
        expect(everything).not.toContain(testKey)
        expect(everything).not.toContain(bearer)
        // The uuid may be in the http.client span's url.full (a filled path), never in a label or the operation span.
        expect(JSON.stringify(metrics)).not.toContain(uuid)
        for (const span of finished.filter((candidate) => candidate.name.startsWith("ConversationService."))) {
          expect(exported(span)).not.toContain(uuid)
        }
        // The simple-key header is on the http.client spans only as <redacted>.
        if (credentials._tag === "SimpleKey") {
          const headers = finished.flatMap((span) =>
            Object.entries(span.attributes).filter(([name]) => name.includes("x-ultracart-simple-key")))
          expect(headers.length).toBeGreaterThan(0)
          expect(headers.every(([, value]) => value === "<redacted>")).toBe(true)
        }
      }
    }))

  it.live("over a real socket (MockServer, UndiciHttpClient): attempts are children, and traceparent names them", () =>
    Effect.gen(function*() {
      const seeded = defaultSeed[0]?.conversation_uuid ?? "missing"
      const { result: requests, spans: finished } = yield* makeSdk().traced(Effect.gen(function*() {
        const server = yield* MockServer
        yield* server.injectFault(Fault.status(503), { operation: "getConversation" })
        const service = yield* ConversationService
        yield* service.getConversation(seeded)
        return yield* server.requests
      }).pipe(
        Effect.provide(
          MockServer.layerClient({ retry: RetryPolicy.make({ baseDelay: "5 millis", jitter: false }) }).pipe(
            Layer.provideMerge(MockServer.layer()),
            Layer.provide(UndiciHttpClient.layer)
          )
        )
      ))
      const operation = finished.find((span) => span.name === "ConversationService.getConversation")
      const attempts = finished.filter((span) => span.name === "http.client GET")
      expect(attempts).toHaveLength(2)
      expect(attempts.every((attempt) => parentId(attempt) === (operation && spanId(operation)))).toBe(true)
      expect(operation?.events.map((event) => event.name)).toEqual(["ultracart.retry"])
      // Each request carried its own attempt's span as traceparent.
      const sent = requests.map((request) => request.headers["traceparent"]?.split("-")[2])
      expect(new Set(sent)).toEqual(new Set(attempts.map(spanId)))
    }))
})
