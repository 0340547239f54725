/**
 * The fault matrix: every fault the embedded server can inject (and a refused connection) against all
 * seven operations, over a real socket, through two transports: `NodeHttpClient.layerUndici` (a platform
 * layer: the attempt timeout runs the attempt in a child fiber) and this package's `UndiciHttpClient`
 * (the attempt timeout is the transport's own timer). Each cell checks the outcome's
 * `_tag` (or Success), how many requests the client sent and the server saw, and that the outcome is a
 * typed failure or a success, never a defect. The expected values come from a few rules written here,
 * independently of the client's retry code. The matrix is printed at the end (nothing is written to disk).
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { type ConversationError, ConversationService, Credentials } from "../../src/index.js"
import { Fault, MockServer } from "../../src/testing/index.js"
import { UndiciHttpClient } from "../../src/undici/index.js"
import { Agent, type Dispatcher } from "undici"
import {
  type AttemptCounter,
  type Classified,
  classifiedTag,
  classify,
  closedPort,
  counting,
  fastRetry,
  maxRetries,
  type OperationCase,
  operationCases,
  operationIds
} from "./support.js"

/** An undici pool that counts the requests it is given (so the client itself stays unwrapped). */
class CountingAgent extends Agent {
  constructor(private readonly counter: AttemptCounter) {
    super({ headersTimeout: 0, bodyTimeout: 0 })
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.counter.count += 1
    return super.dispatch(options, handler)
  }
}

/** A transport of the matrix, counting the requests the client sends. */
interface MatrixTransport {
  readonly name: string
  readonly counted: (counter: AttemptCounter) => Layer.Layer<HttpClient.HttpClient>
}

const matrixTransports: ReadonlyArray<MatrixTransport> = [
  { name: "NodeHttpClient.layerUndici", counted: (counter) => counting(NodeHttpClient.layerUndici, counter) },
  {
    name: "UndiciHttpClient",
    counted: (counter) =>
      Layer.scoped(
        HttpClient.HttpClient,
        Effect.map(
          Effect.acquireRelease(
            Effect.sync(() => new CountingAgent(counter)),
            (agent) => Effect.promise(() => agent.destroy())
          ),
          UndiciHttpClient.fromDispatcher
        )
      )
  }
]

/** Generous, so that a loaded machine never turns a fault into a timeout. */
const normalTimeout: Duration.DurationInput = "10 seconds"
/** The per-attempt timeout of the rows whose fault is a stall. */
const shortTimeout: Duration.DurationInput = "500 millis"
/** A stall far longer than `shortTimeout`. */
const stall: Duration.DurationInput = "10 seconds"

/**
 * Which operations retry a failure, from the README's rules:
 * - `never`: a final answer (4xx, 501, a body that is not what was promised, a Retry-After past the cap);
 * - `unlessCreating`: the server may have processed the request (5xx, timeouts, a connection that broke
 *   after it was made), so only operations that create nothing retry it;
 * - `always`: the server surely did not process it (429 within the cap, a refused connection).
 */
type RetryRule = "never" | "unlessCreating" | "always"

interface Row {
  readonly name: string
  /** The fault, `"refused"` for a port with nothing listening, `"none"` for the baseline. */
  readonly fault: Fault.Fault | "refused" | "none"
  /** `always`: every request gets the fault; `once`: only the first. */
  readonly times: "always" | "once"
  /** The failure's `_tag` when the fault is the last thing the client saw. */
  readonly tag: ConversationError["_tag"] | "Success"
  readonly retry: RetryRule
  /** The fault spoils a 2xx body: operations that answer with no body of interest succeed. */
  readonly bodyOnly?: boolean
  /** Use `shortTimeout` for each attempt. */
  readonly stalls?: boolean
  /** More checks on the error of a failed cell. */
  readonly check?: (error: ConversationError) => void
  /** The least time a retried cell may take (a Retry-After that must be honoured). */
  readonly minMillis?: number
}

const status = (code: number): ((error: ConversationError) => void) => (error) =>
  expect("status" in error ? error.status : undefined).toBe(code)

const retryAfterSeconds = (expected: number | undefined, tolerance = 0) => (error: ConversationError) => {
  const retryAfter = error._tag === "RateLimitError" ? error.retryAfter : undefined
  if (expected === undefined) return expect(retryAfter).toBeUndefined()
  expect(retryAfter).toBeDefined()
  const seconds = retryAfter === undefined ? Number.NaN : Duration.toSeconds(retryAfter)
  expect(Math.abs(seconds - expected)).toBeLessThanOrEqual(tolerance)
}

/** A transport failure the server may have seen must not claim the connection was refused. */
const mayHaveBeenSeen = (error: ConversationError) =>
  expect(error._tag === "TransportError" ? error.reason : "not a TransportError").not.toBe("ConnectionRefused")

const pastDate = new Date(Date.now() - 60_000).toUTCString()
/** An HTTP date ten minutes ahead: past the 60 s cap. The test runs well within a minute of this. */
const futureDate = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000).toUTCString()

const baseline: Row = { name: "no fault (baseline)", fault: "none", times: "always", tag: "Success", retry: "never" }

const rows: ReadonlyArray<Row> = [
  baseline,
  { name: "400", fault: Fault.status(400), times: "always", tag: "BadRequestError", retry: "never", check: status(400) },
  { name: "401", fault: Fault.status(401), times: "always", tag: "UnauthorizedError", retry: "never", check: status(401) },
  { name: "403", fault: Fault.status(403, { body: "text" }), times: "always", tag: "ForbiddenError", retry: "never", check: status(403) },
  { name: "404", fault: Fault.status(404), times: "always", tag: "NotFoundError", retry: "never", check: status(404) },
  { name: "410", fault: Fault.status(410), times: "always", tag: "ApplicationDisabledError", retry: "never", check: status(410) },
  { name: "418", fault: Fault.status(418, { body: "none" }), times: "always", tag: "UnexpectedStatusError", retry: "never", check: status(418) },
  { name: "429, no Retry-After", fault: Fault.rateLimited(), times: "always", tag: "RateLimitError", retry: "always", check: retryAfterSeconds(undefined) },
  { name: "429, Retry-After: 0", fault: Fault.rateLimited(0), times: "always", tag: "RateLimitError", retry: "always", check: retryAfterSeconds(0) },
  { name: "429, Retry-After: past HTTP date", fault: Fault.rateLimited(pastDate), times: "always", tag: "RateLimitError", retry: "always", check: retryAfterSeconds(0) },
  { name: "429, Retry-After: 120 (over the cap)", fault: Fault.rateLimited(120), times: "always", tag: "RateLimitError", retry: "never", check: retryAfterSeconds(120) },
  { name: "429, Retry-After: HTTP date +10 min", fault: Fault.rateLimited(futureDate), times: "always", tag: "RateLimitError", retry: "never", check: retryAfterSeconds(570, 40) },
  { name: "429, Retry-After: 1, once", fault: Fault.rateLimited(1), times: "once", tag: "RateLimitError", retry: "always", minMillis: 950 },
  { name: "500", fault: Fault.status(500), times: "always", tag: "ServerError", retry: "unlessCreating", check: status(500) },
  { name: "501", fault: Fault.status(501), times: "always", tag: "ServerError", retry: "never", check: status(501) },
  { name: "502", fault: Fault.status(502, { body: "text" }), times: "always", tag: "ServerError", retry: "unlessCreating", check: status(502) },
  { name: "503", fault: Fault.status(503), times: "always", tag: "ServerError", retry: "unlessCreating", check: status(503) },
  { name: "503, once", fault: Fault.status(503), times: "once", tag: "ServerError", retry: "unlessCreating", check: status(503) },
  { name: "504", fault: Fault.status(504, { body: "none" }), times: "always", tag: "ServerError", retry: "unlessCreating", check: status(504) },
  {
    name: "connection refused",
    fault: "refused",
    times: "always",
    tag: "TransportError",
    retry: "always",
    check: (error) => expect(error._tag === "TransportError" && error.reason).toBe("ConnectionRefused")
  },
  { name: "reset before any response", fault: Fault.dropBeforeProcessing, times: "always", tag: "TransportError", retry: "unlessCreating", check: mayHaveBeenSeen },
  { name: "reset after the body was read", fault: Fault.dropAfterProcessing, times: "always", tag: "TransportError", retry: "unlessCreating", check: mayHaveBeenSeen },
  { name: "reset after the body was read, once", fault: Fault.dropAfterProcessing, times: "once", tag: "TransportError", retry: "unlessCreating", check: mayHaveBeenSeen },
  { name: "headers slower than the timeout", fault: Fault.delay(stall), times: "always", tag: "TimeoutError", retry: "unlessCreating", stalls: true },
  { name: "body stalls past the timeout", fault: Fault.delayBody(stall), times: "always", tag: "TimeoutError", retry: "unlessCreating", stalls: true },
  { name: "truncated body", fault: Fault.truncatedBody, times: "always", tag: "TransportError", retry: "unlessCreating", check: mayHaveBeenSeen },
  { name: "non-JSON 200 body", fault: Fault.notJson, times: "always", tag: "DecodeError", retry: "never", bodyOnly: true },
  { name: "JSON of the wrong shape", fault: Fault.wrongShape, times: "always", tag: "DecodeError", retry: "never", bodyOnly: true },
  { name: "empty 200 body", fault: Fault.emptyBody, times: "always", tag: "DecodeError", retry: "never", bodyOnly: true }
]

interface Expected {
  readonly tag: string
  /** Requests the client sends. */
  readonly attempts: number
  /** Requests the server sees. */
  readonly seen: number
}

/** The rules: what one cell must give. */
const expectedCell = (row: Row, operation: OperationCase): Expected => {
  const seen = (attempts: number): Expected["seen"] => (row.fault === "refused" ? 0 : attempts)
  if (row.fault === "none" || (row.bodyOnly === true && !operation.returnsJson)) {
    return { tag: "Success", attempts: 1, seen: 1 }
  }
  const retried = row.retry === "always" || (row.retry === "unlessCreating" && !operation.creates)
  if (!retried) return { tag: row.tag, attempts: 1, seen: seen(1) }
  const attempts = row.times === "always" ? 1 + maxRetries : 2
  return { tag: row.times === "always" ? row.tag : "Success", attempts, seen: seen(attempts) }
}

interface Observed {
  readonly outcome: Classified
  readonly attempts: number
  readonly seen: number
  readonly millis: number
}

/** Runs one cell against a fresh server (or a closed port) and reports what happened. */
const runCell = (
  transport: MatrixTransport,
  row: Row,
  operation: OperationCase,
  refusedPort: number
): Effect.Effect<Observed> =>
  Effect.gen(function*() {
    const counter = { count: 0 }
    const client = transport.counted(counter)
    const timeout = row.stalls === true ? shortTimeout : normalTimeout
    const start = performance.now()
    if (row.fault === "refused") {
      const layer = ConversationService.layer({
        credentials: Credentials.simpleKey("matrix-key"),
        baseUrl: `http://127.0.0.1:${refusedPort}/rest/v2`,
        retry: fastRetry,
        timeout
      }).pipe(Layer.provide(client))
      const exit = yield* Effect.exit(Effect.flatMap(ConversationService, operation.call).pipe(Effect.provide(layer)))
      return { outcome: classify(exit), attempts: counter.count, seen: 0, millis: performance.now() - start }
    }
    const fault = row.fault
    const layer = MockServer.layerClient({ retry: fastRetry, timeout }).pipe(
      Layer.provideMerge(MockServer.layer({ joinLeaveStatus: 200 })),
      Layer.provide(client)
    )
    return yield* Effect.gen(function*() {
      const server = yield* MockServer
      if (fault !== "none") {
        yield* server.injectFault(fault, { times: row.times === "always" ? Infinity : 1 })
      }
      const exit = yield* Effect.exit(Effect.flatMap(ConversationService, operation.call))
      const millis = performance.now() - start
      const seen = (yield* server.requests).length
      return { outcome: classify(exit), attempts: counter.count, seen, millis }
    }).pipe(Effect.provide(layer), Effect.orDie)
  })

/** Observed cells, by transport, row name and operation id, for the printed matrices. */
const observed = new Map<string, Map<string, Map<string, Observed>>>()

let refusedPort = 0
beforeAll(async () => {
  refusedPort = await Effect.runPromise(closedPort)
  // Load the HTTP client once so that no cell measures module loading.
  await Effect.runPromise(Effect.forEach(
    matrixTransports,
    (transport) => Effect.forEach(operationCases, (operation) => runCell(transport, baseline, operation, refusedPort))
  ))
})

const cellText = (cell: Observed | undefined): string =>
  cell === undefined ? "(not run)" : `${classifiedTag(cell.outcome)}×${cell.attempts}`

/** The matrix as a Markdown table: rows = faults, columns = operations, cell = `Tag×requests`. */
const renderMatrix = (transport: MatrixTransport): string => {
  const header = `| fault | ${operationIds.join(" | ")} |`
  const rule = `|---|${operationIds.map(() => "---").join("|")}|`
  const lines = rows.map((row) => {
    const cells = observed.get(transport.name)?.get(row.name)
    return `| ${row.name} | ${operationIds.map((id) => cellText(cells?.get(id))).join(" | ")} |`
  })
  return [header, rule, ...lines].join("\n")
}

afterAll(() => {
  for (const transport of matrixTransports) {
    console.log(
      `Fault matrix over ${transport.name} (cell = outcome×requests sent; the server saw the same number, ` +
        `except "connection refused" where nothing listens):\n\n${renderMatrix(transport)}\n`
    )
  }
})

/** The expectations of a row in a few words, e.g. `ServerError×1 for startConversation, ServerError×5 otherwise`. */
const summary = (row: Row): string => {
  const groups = new Map<string, Array<string>>()
  for (const operation of operationCases) {
    const expected = expectedCell(row, operation)
    const key = `${expected.tag}×${expected.attempts}`
    groups.set(key, [...(groups.get(key) ?? []), operation.id])
  }
  const sorted = [...groups].sort(([, a], [, b]) => a.length - b.length)
  if (sorted.length === 1) return `${sorted[0]?.[0] ?? ""} for all seven`
  return sorted.map(([key, ids], i) => (i === sorted.length - 1 ? `${key} otherwise` : `${key} for ${ids.join(", ")}`)).join(", ")
}

for (const transport of matrixTransports) {
describe.concurrent(`fault matrix: every fault against all seven operations over a real socket (${transport.name})`, () => {
  for (const row of rows) {
    it.live(`${row.name}: ${summary(row)}`, () =>
      Effect.gen(function*() {
        const results = yield* Effect.forEach(
          operationCases,
          (operation) =>
            Effect.map(runCell(transport, row, operation, refusedPort), (cell) => [operation, cell] as const),
          { concurrency: "unbounded" }
        )
        const byOperation = new Map<string, Observed>()
        for (const [operation, cell] of results) byOperation.set(operation.id, cell)
        const byRow = observed.get(transport.name) ?? new Map<string, Map<string, Observed>>()
        byRow.set(row.name, byOperation)
        observed.set(transport.name, byRow)

        for (const [operation, cell] of results) {
          const expected = expectedCell(row, operation)
          const where = `${row.name} / ${operation.id}`
          if (cell.outcome._tag === "Defect") expect.fail(`${where}: a defect, not a typed outcome:\n${cell.outcome.cause}`)
          expect(classifiedTag(cell.outcome), where).toBe(expected.tag)
          expect(cell.attempts, `${where}: requests sent`).toBe(expected.attempts)
          if (row.stalls === true) {
            // On a loaded machine the client may give up on an attempt before the server has read it;
            // the server cannot have seen more than was sent.
            expect(cell.seen, `${where}: requests the server saw`).toBeLessThanOrEqual(expected.seen)
          } else {
            expect(cell.seen, `${where}: requests the server saw`).toBe(expected.seen)
          }
          if (cell.outcome._tag === "Failure") {
            expect(cell.outcome.error.message.length, where).toBeGreaterThan(0)
            row.check?.(cell.outcome.error)
          }
          if (row.minMillis !== undefined && expected.attempts > 1) {
            expect(cell.millis, `${where}: the Retry-After was honoured`).toBeGreaterThanOrEqual(row.minMillis)
          }
        }
      }))
  }
})
}

describe("the matrix's own rules", () => {
  it("cover every operation and give a defect nowhere", () => {
    expect(operationCases.map((operation) => operation.id)).toEqual([...operationIds])
    const cells = rows.flatMap((row) => operationCases.map((operation) => expectedCell(row, operation)))
    expect(cells).toHaveLength(rows.length * 7)
    expect(cells.some((cell) => cell.tag === "Defect")).toBe(false)
  })

  it.live("a cell that breaks a rule is reported (the check can fail)", () =>
    Effect.gen(function*() {
      // Under a persistent 503, getConversation must be retried: claiming it is not would fail the cell.
      const row = rows.find((r) => r.name === "503")
      const operation = operationCases.find((o) => o.id === "getConversation")
      if (row === undefined || operation === undefined) return expect.fail("the 503 row or getConversation is missing")
      const transport = matrixTransports[0]
      if (transport === undefined) return expect.fail("no transport")
      const cell = yield* runCell(transport, row, operation, refusedPort)
      expect(cell.attempts).toBe(expectedCell(row, operation).attempts)
      expect(cell.attempts).not.toBe(expectedCell({ ...row, retry: "never" }, operation).attempts)
    }))
})
