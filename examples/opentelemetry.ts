/**
 * OpenTelemetry: the client's traces and metrics through `@effect/opentelemetry` and the OpenTelemetry
 * SDK, and its retries in the Debug log. Against the MockServer the first list request is answered 503
 * and the second 429 with `Retry-After: 1`, so the trace shows one operation span with three attempts
 * and two retry events, the metrics count them by outcome and reason, and the log has two retry lines.
 *
 * Here the exporters keep everything in memory and the example prints it. In production, swap them for
 * OTLP exporters, e.g. `new BatchSpanProcessor(new OTLPTraceExporter())` and
 * `new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })`
 * (`@opentelemetry/exporter-trace-otlp-http`, `@opentelemetry/exporter-metrics-otlp-http`).
 *
 * Run: npx tsx examples/opentelemetry.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  type MetricData,
  PeriodicExportingMetricReader
} from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Console, Effect, Logger, LogLevel, Option } from "effect"
import { ConversationService, Metrics, RetryPolicy } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { Fault } from "../src/testing/index.js" // in your code: "effect-ultracart-conversation/testing"
import { UndiciHttpClient } from "../src/undici/index.js" // in your code: "effect-ultracart-conversation/undici"
import { ensure, runExample, whenMock } from "./support/environment.js"

const spanExporter = new InMemorySpanExporter()
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 })

/** The OpenTelemetry SDK as a layer: Effect's spans and metrics go to it. */
const OtelLive = NodeSdk.layer(() => ({
  resource: { serviceName: "agent-console" },
  spanProcessor: new SimpleSpanProcessor(spanExporter),
  metricReader
}))

const millis = (span: ReadableSpan) => span.duration[0] * 1000 + span.duration[1] / 1e6

/** Prints the spans as a tree: each operation with its attempts and retry events. */
const printTrace = (spans: ReadonlyArray<ReadableSpan>) =>
  Effect.gen(function*() {
    const children = (id: string) => spans.filter((span) => span.parentSpanContext?.spanId === id)
    for (const operation of spans.filter((span) => span.name.startsWith("ConversationService."))) {
      yield* Console.log(`${operation.name} ${operation.attributes["url.template"]} (${millis(operation).toFixed(1)} ms)`)
      // (With Debug logging on, Effect also records each log line as an event of the current span.)
      for (const event of operation.events.filter((e) => e.name === "ultracart.retry")) {
        const a = event.attributes ?? {}
        yield* Console.log(
          `  event ${event.name}: attempt ${a["ultracart.attempt"]} ${a["error.type"]} ${a["http.response.status_code"] ?? ""}, ` +
            `next in ${a["ultracart.retry.delay_ms"]} ms${a["ultracart.retry.from_retry_after"] === true ? " (Retry-After)" : ""}`
        )
      }
      for (const attempt of children(operation.spanContext().spanId)) {
        yield* Console.log(`  ${attempt.name} → ${attempt.attributes["http.response.status_code"] ?? "no answer"} (${millis(attempt).toFixed(1)} ms)`)
      }
    }
  })

/** Prints every data point of the client's metrics with its labels. */
const printMetrics = (metrics: ReadonlyArray<MetricData>) =>
  Effect.forEach(metrics.filter((metric) => metric.descriptor.name.startsWith("ultracart.")), (metric) =>
    Effect.forEach(metric.dataPoints, (point) => {
      const labels = Object.entries(point.attributes).map(([k, v]) => `${k}=${String(v)}`).join(" ")
      const value = metric.dataPointType === DataPointType.HISTOGRAM && typeof point.value === "object"
        ? `count ${point.value.count}, sum ${(point.value.sum ?? 0).toFixed(4)} s`
        : String(point.value)
      return Console.log(`${metric.descriptor.name} {${labels}} ${value}`)
    }), { discard: true })

const program = Effect.gen(function*() {
  yield* whenMock((server) =>
    Effect.all([
      server.injectFault(Fault.status(503), { operation: "getConversations" }),
      server.injectFault(Fault.rateLimited(1), { operation: "getConversations" })
    ]))
  const conversations = yield* ConversationService
  yield* Console.log("Calling getConversations (retries appear as Debug lines):")
  const page = yield* conversations.getConversations({ limit: 3 })
  const first = page.conversations?.[0]?.conversation_uuid
  if (first !== undefined) yield* conversations.getConversation(first, { limit: 2 })

  yield* Effect.promise(() => metricReader.forceFlush())
  const spans = spanExporter.getFinishedSpans()
  const metrics = metricExporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
  yield* Console.log("\nThe trace:")
  yield* printTrace(spans)
  yield* Console.log("\nThe metrics:")
  yield* printMetrics(metrics)

  const mock = yield* whenMock(() => Effect.void)
  if (Option.isSome(mock)) {
    const list = spans.find((span) => span.name === "ConversationService.getConversations")
    const attempts = spans.filter((span) => span.parentSpanContext?.spanId === list?.spanContext().spanId)
    yield* ensure(attempts.length === 3, "the list call is one span with three http.client attempts")
    yield* ensure(list?.events.filter((event) => event.name === "ultracart.retry").length === 2, "two retry events")
    const names = new Set(metrics.map((metric) => metric.descriptor.name))
    yield* ensure(Object.values(Metrics.names).every((name) => names.has(name)), "every metric of the client is exported")
  }
})

runExample(
  program.pipe(
    Effect.provide(OtelLive),
    // Show the client's Debug lines (one per retry); Info is the default minimum.
    Logger.withMinimumLogLevel(LogLevel.Debug)
  ),
  {
    retry: RetryPolicy.make({ baseDelay: "100 millis" }),
    httpClient: UndiciHttpClient.layer,
    rateLimit: { limit: 10, window: "1 second" }
  }
)
