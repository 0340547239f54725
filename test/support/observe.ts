/**
 * In-memory observers for tests: a `Tracer` that records every span (name, attributes, events, exit)
 * and a `Logger` that records every log line as the standard loggers would print it.
 */
import { Cause, type Context, Effect, Exit, Logger, LogLevel, Option, Tracer } from "effect"
import { inspect } from "node:util"

/** One event recorded on a span. */
export interface RecordedEvent {
  readonly name: string
  readonly attributes: Readonly<Record<string, unknown>> | undefined
}

/** A span as the memory tracer recorded it. */
export class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<RecordedEvent> = []
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus
  /**
   * The exit as an exporter records it when the span ends: "Success", or the failure's `Cause.pretty`
   * (OpenTelemetry exporters record the pretty errors of a failed span as exceptions).
   */
  exitText: string | undefined

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    readonly spanId: string,
    readonly traceId: string
  ) {
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
    this.exitText = undefined
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.exitText = Exit.isSuccess(exit) ? "Success" : Cause.pretty(exit.cause)
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes })
  }

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }

  /** The parent span's id, when the parent is a span. */
  get parentSpanId(): string | undefined {
    return Option.getOrUndefined(Option.map(this.parent, (parent) => parent.spanId))
  }

  /** Everything an exporter would export of the span, printed: name, attributes, events and how it ended. */
  dump(): string {
    const exit = this.exitText ?? "running"
    return [
      this.name,
      inspect(Object.fromEntries(this.attributes), { depth: 10 }),
      inspect(this.events, { depth: 10 }),
      exit
    ].join("\n")
  }
}

/** A tracer that keeps every span it starts, in start order. */
export interface MemoryTracer {
  readonly tracer: Tracer.Tracer
  readonly spans: ReadonlyArray<RecordedSpan>
}

/** Makes a fresh memory tracer; provide it with `Effect.withTracer(tracer)` or `Layer.setTracer`. */
export const makeMemoryTracer = (): MemoryTracer => {
  const spans: Array<RecordedSpan> = []
  let next = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      next += 1
      const traceId = Option.match(parent, { onNone: () => `trace-${next}`, onSome: (span) => span.traceId })
      const span = new RecordedSpan(name, parent, context, links, startTime, kind, `span-${next}`, traceId)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

/** A logger that keeps every line as logfmt, JSON and structured output (inspected) would show it. */
export interface MemoryLogger {
  readonly logger: Logger.Logger<unknown, void>
  readonly lines: ReadonlyArray<string>
}

/** Makes a fresh memory logger. */
export const makeMemoryLogger = (): MemoryLogger => {
  const lines: Array<string> = []
  const logger = Logger.make<unknown, void>((options) => {
    lines.push(Logger.logfmtLogger.log(options))
    lines.push(Logger.jsonLogger.log(options))
    lines.push(inspect(Logger.structuredLogger.log(options), { depth: 10 }))
  })
  return { logger, lines }
}

/** Runs an effect with the memory logger added at `LogLevel.All`. */
export const withMemoryLogger = (memory: MemoryLogger) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.provide(Logger.add(memory.logger)),
    Logger.withMinimumLogLevel(LogLevel.All)
  )
