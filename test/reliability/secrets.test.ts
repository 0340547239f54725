/**
 * A sentinel key and a sentinel token sent over a real socket to the embedded MockServer, with both
 * transports, for every kind of error (made with injected faults, wrong credentials, a refused port and
 * a credential that cannot be sent at all): the secret appears nowhere an application or its tooling can
 * show it. Checked places: `Cause.pretty`, `util.inspect`, `String`, `JSON.stringify` and the message of
 * every error and exit; every log line at every level through a memory logger, `Logger.pretty` and
 * `Logger.json` (their console captured); every span's attributes, events and exit (the memory tracer
 * also sees the MockServer's own `http.server` spans); and the server's request record.
 * (test/secrets.test.ts covers the same over a scripted client.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Console, Effect, Exit, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { Console as NodeConsole } from "node:console"
import { Writable } from "node:stream"
import { inspect } from "node:util"
import {
  type ConversationError,
  ConversationService,
  type ConversationServiceShape,
  Credentials,
  RetryPolicy
} from "../../src/index.js"
import { Fault, MockServer, type MockServerOptions } from "../../src/testing/index.js"
import { makeMemoryLogger, makeMemoryTracer } from "../support/observe.js"
import { httpClients } from "../testing/support.js"
import { closedPort, seededConversation } from "./support.js"

const sentinelKey = "SENTINEL-SOCKET-KEY-5b2d0c"
const sentinelToken = "SENTINEL-SOCKET-TOKEN-8e41aa"
const wrongKey = "SENTINEL-WRONG-KEY-77f0e1"
/** A key with a character no HTTP header can carry (a bad paste): it can never be sent. */
const unsendableKey = "SENTINEL-UNSENDABLE\nKEY-3c7f99"

/** The texts that must never show: each secret, and each part of the unsendable one. */
const forbidden = [sentinelKey, sentinelToken, wrongKey, unsendableKey, ...unsendableKey.split("\n")]

const findSecret = (text: string): string | undefined => forbidden.find((secret) => text.includes(secret))

const credentialKinds = [
  {
    kind: "simple key",
    server: { credentials: { simpleKey: sentinelKey } },
    credentials: Credentials.simpleKey(sentinelKey),
    header: "x-ultracart-simple-key"
  },
  {
    kind: "bearer token",
    server: { credentials: { bearer: sentinelToken } },
    credentials: Credentials.bearer(Redacted.make(sentinelToken)),
    header: "authorization"
  }
] as const satisfies ReadonlyArray<{ readonly server: MockServerOptions } & Record<string, unknown>>

interface Scenario {
  readonly name: string
  readonly expected: ConversationError["_tag"] | "Success"
  readonly fault: Fault.Fault | undefined
  readonly call: (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>
}

const get = (service: ConversationServiceShape) => service.getConversation(seededConversation)

/** Every error kind a call on a working connection can give, one fault each. */
const scenarios: ReadonlyArray<Scenario> = [
  { name: "a successful call", expected: "Success", fault: undefined, call: get },
  { name: "refused input", expected: "InvalidInputError", fault: undefined, call: (service) => service.getConversation("..") },
  { name: "400", expected: "BadRequestError", fault: Fault.status(400), call: get },
  { name: "401 (injected)", expected: "UnauthorizedError", fault: Fault.status(401), call: get },
  { name: "403", expected: "ForbiddenError", fault: Fault.status(403), call: get },
  { name: "404", expected: "NotFoundError", fault: Fault.status(404), call: get },
  { name: "410", expected: "ApplicationDisabledError", fault: Fault.status(410), call: get },
  { name: "418", expected: "UnexpectedStatusError", fault: Fault.status(418), call: get },
  { name: "429 past the cap", expected: "RateLimitError", fault: Fault.rateLimited(600), call: get },
  { name: "503, retried until given up", expected: "ServerError", fault: Fault.status(503), call: get },
  { name: "reset before any response", expected: "TransportError", fault: Fault.dropBeforeProcessing, call: get },
  { name: "truncated body", expected: "TransportError", fault: Fault.truncatedBody, call: get },
  { name: "headers slower than the timeout", expected: "TimeoutError", fault: Fault.delay("5 seconds"), call: get },
  { name: "non-JSON body", expected: "DecodeError", fault: Fault.notJson, call: get },
  {
    name: "startConversation reset after processing",
    expected: "TransportError",
    fault: Fault.dropAfterProcessing,
    call: (service) => service.startConversation({ conversation_webchat_queue_uuid: "q-secret" })
  }
]

const policy = RetryPolicy.make({ maxRetries: 2, baseDelay: "2 millis", maxDelay: "5 millis" })
const timeout = "400 millis"

/** Where log lines and spans go during one test: memory, and the console of `Logger.pretty` / `Logger.json`. */
const makeObservers = () => {
  const tracer = makeMemoryTracer()
  const memory = makeMemoryLogger()
  const printed: Array<string> = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      printed.push(String(chunk))
      done()
    }
  })
  const captured = new NodeConsole({ stdout: sink, stderr: sink })
  const loggers = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ colors: false, mode: "tty" })),
    Logger.add(Logger.withConsoleLog(Logger.jsonLogger)),
    Logger.add(Logger.withConsoleLog(Logger.logfmtLogger)),
    Logger.add(memory.logger)
  )
  /** Runs an effect (layers included) under these observers, logging at every level. */
  const observe = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.consoleWith((current) =>
      effect.pipe(
        Effect.provide(loggers),
        Logger.withMinimumLogLevel(LogLevel.All),
        Effect.withTracer(tracer.tracer),
        Effect.withConsole(Console.Console.of({ ...current, unsafe: captured }))
      )
    )
  const texts = (): Record<string, string> => ({
    "memory logger (logfmt, json, structured)": memory.lines.join("\n"),
    "console of Logger.pretty / Logger.json / Logger.logFmt": printed.join(""),
    spans: tracer.spans.map((span) => span.dump()).join("\n")
  })
  return { tracer, memory, printed, observe, texts }
}

/** What an application does with an outcome: log it at every level, with its cause, and put it on a span. */
const report = (name: string, exit: Exit.Exit<unknown, unknown>) =>
  Effect.gen(function*() {
    const levels = [LogLevel.Trace, LogLevel.Debug, LogLevel.Info, LogLevel.Warning, LogLevel.Error, LogLevel.Fatal]
    for (const level of levels) yield* Effect.logWithLevel(level, `${name}: the call ended`, exit)
    if (Exit.isFailure(exit)) {
      const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
      yield* Effect.logError(`${name}: failed`, exit.cause)
      yield* Effect.annotateLogs(Effect.logWarning(`${name}: annotated`), { error, cause: exit.cause })
      yield* Effect.log(error)
      yield* Effect.annotateCurrentSpan({ error, exit })
      yield* Effect.withSpan(Effect.annotateCurrentSpan("error", error), "app.report.child")
    }
  }).pipe(Effect.withSpan(`app.report ${name}`))

/** The places an exit shows itself. */
const exitTexts = (exit: Exit.Exit<unknown, unknown>): Record<string, string> => {
  const texts: Record<string, string> = {
    "inspect(exit)": inspect(exit, { depth: 20 }),
    "JSON.stringify(exit)": JSON.stringify(exit) ?? "",
    "String(exit)": String(exit)
  }
  if (Exit.isFailure(exit)) {
    texts["Cause.pretty"] = Cause.pretty(exit.cause)
    texts["Cause.pretty (renderErrorCause)"] = Cause.pretty(exit.cause, { renderErrorCause: true })
    const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
    if (error !== undefined) {
      texts["String(error)"] = String(error)
      texts["JSON.stringify(error)"] = JSON.stringify(error) ?? ""
      texts["inspect(error)"] = inspect(error, { depth: 20 })
      texts["error.message"] = error instanceof Error ? error.message : ""
      texts["error.stack"] = error instanceof Error ? error.stack ?? "" : ""
    }
    const defect = Option.getOrUndefined(Cause.dieOption(exit.cause))
    if (defect !== undefined) texts["inspect(defect)"] = inspect(defect, { depth: 20 })
  }
  return texts
}

const expectNoSecret = (texts: Record<string, string>, where: string) => {
  for (const [place, text] of Object.entries(texts)) {
    expect(findSecret(text), `${where}: a secret appears in ${place}`).toBeUndefined()
  }
}

const tagOf = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return "Success"
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure) && typeof failure.value === "object" && failure.value !== null && "_tag" in failure.value) {
    return String(failure.value._tag)
  }
  return Cause.isDie(exit.cause) ? "Die" : "Other"
}

for (const [transportName, transport] of httpClients) {
  describe(`no secret shows anywhere, over a real socket with ${transportName}`, () => {
    for (const credentialKind of credentialKinds) {
      it.live(`${credentialKind.kind}: every error kind, the logs, the spans and the server's record`, () =>
        Effect.gen(function*() {
          const observers = makeObservers()
          const layer = MockServer.layerClient({ retry: policy, timeout, credentials: credentialKind.credentials }).pipe(
            Layer.provideMerge(MockServer.layer(credentialKind.server)),
            Layer.provide(transport)
          )
          const { outcomes, requests } = yield* observers.observe(
            Effect.gen(function*() {
              const server = yield* MockServer
              const service = yield* ConversationService
              const outcomes: Array<readonly [Scenario, Exit.Exit<unknown, ConversationError>]> = []
              for (const scenario of scenarios) {
                yield* server.clearFaults
                if (scenario.fault !== undefined) yield* server.injectFault(scenario.fault, { times: Infinity })
                const exit = yield* Effect.exit(scenario.call(service))
                yield* report(scenario.name, exit)
                outcomes.push([scenario, exit])
              }
              // The server's own 401: a client with a key the server does not accept.
              yield* server.clearFaults
              const wrong = yield* Effect.exit(Effect.flatMap(ConversationService, get).pipe(
                Effect.provide(MockServer.layerClient({ credentials: Credentials.simpleKey(wrongKey), retry: policy, timeout }).pipe(
                  Layer.provide(transport)
                ))
              ))
              yield* report("wrong key", wrong)
              outcomes.push([{ name: "wrong key (the server's own 401)", expected: "UnauthorizedError", fault: undefined, call: get }, wrong])
              return { outcomes, requests: yield* server.requests }
            }).pipe(Effect.provide(layer))
          )

          for (const [scenario, exit] of outcomes) {
            expect(tagOf(exit), scenario.name).toBe(scenario.expected)
            expectNoSecret(exitTexts(exit), scenario.name)
          }
          expectNoSecret(observers.texts(), credentialKind.kind)

          // The server's record: the credential header is there, redacted, on every request that reached it.
          const record = { json: JSON.stringify(requests), inspect: inspect(requests, { depth: 20 }) }
          expectNoSecret(record, "the server's request record")
          const withCredential = requests.filter((request) => request.headers[credentialKind.header] !== undefined)
          expect(withCredential.length).toBeGreaterThan(scenarios.length)
          for (const request of withCredential) expect(request.headers[credentialKind.header]).toBe("<redacted>")

          // The checks were not vacuous: the calls went out and were logged and traced, and the credential
          // was accepted (the successful call), so it did cross the socket.
          const logged = observers.texts()
          for (const [scenario] of outcomes) {
            if (scenario.expected === "Success") continue
            expect(logged["console of Logger.pretty / Logger.json / Logger.logFmt"], scenario.name).toContain(scenario.expected)
            expect(logged["memory logger (logfmt, json, structured)"], scenario.name).toContain(scenario.expected)
          }
          // Both the client's http.client spans and the MockServer's own http.server spans carry the request
          // headers: every credential header on them is redacted, and they were there to be checked.
          const credentialAttributes = (kind: "client" | "server") =>
            observers.tracer.spans
              .filter((span) => span.kind === kind)
              .flatMap((span) =>
                ["authorization", "x-ultracart-simple-key"].flatMap((name) => {
                  const value = span.attributes.get(`http.request.header.${name}`)
                  return value === undefined ? [] : [value]
                })
              )
          for (const kind of ["client", "server"] as const) {
            const values = credentialAttributes(kind)
            expect(values.length, `${kind} spans with a credential header`).toBeGreaterThanOrEqual(scenarios.length)
            expect(new Set(values), `${kind} spans`).toEqual(new Set(["<redacted>"]))
          }
        }))
    }

    it.live("a refused connection, carrying the sentinel key", () =>
      Effect.gen(function*() {
        const observers = makeObservers()
        const port = yield* closedPort
        const layer = ConversationService.layer({
          credentials: Credentials.simpleKey(sentinelKey),
          baseUrl: `http://127.0.0.1:${port}/rest/v2`,
          retry: policy,
          timeout
        }).pipe(Layer.provide(transport))
        const exit = yield* observers.observe(
          Effect.exit(Effect.flatMap(ConversationService, get).pipe(Effect.provide(layer))).pipe(
            Effect.tap((exit) => report("refused", exit))
          )
        )
        expect(tagOf(exit)).toBe("TransportError")
        expectNoSecret(exitTexts(exit), "refused")
        expectNoSecret(observers.texts(), "refused")
        expect(observers.printed.join("")).toContain("ConnectionRefused")
      }))

    it.live("a credential no HTTP header can carry: nothing is sent, and the key shows nowhere", () =>
      Effect.gen(function*() {
        const observers = makeObservers()
        const { exit, requests } = yield* observers.observe(
          Effect.gen(function*() {
            const server = yield* MockServer
            const exit = yield* Effect.exit(Effect.flatMap(ConversationService, get).pipe(
              Effect.provide(MockServer.layerClient({ credentials: Credentials.simpleKey(unsendableKey), retry: policy, timeout }).pipe(
                Layer.provide(transport)
              ))
            ))
            yield* report("unsendable key", exit)
            return { exit, requests: yield* server.requests }
          }).pipe(Effect.provide(MockServer.layer()))
        )
        expect(tagOf(exit)).not.toBe("Success")
        expect(requests).toHaveLength(0)
        expectNoSecret(exitTexts(exit), "unsendable key")
        expectNoSecret(observers.texts(), "unsendable key")

        // The same key read from the environment: a ConfigError that names the variable, not the value.
        const fromConfig = yield* observers.observe(
          Effect.exit(Effect.flatMap(ConversationService, get).pipe(
            Effect.provide(ConversationService.layerConfig({ retry: policy, timeout }).pipe(Layer.provide(transport))),
            Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["ULTRACART_API_KEY", unsendableKey]])))
          )).pipe(Effect.tap((exit) => report("unsendable key from the environment", exit)))
        )
        expect(tagOf(fromConfig)).not.toBe("Success")
        expect(Exit.isFailure(fromConfig) && Cause.pretty(fromConfig.cause)).toContain("ULTRACART_API_KEY")
        expectNoSecret(exitTexts(fromConfig), "unsendable key from the environment")
        expectNoSecret(observers.texts(), "unsendable key from the environment")
      }))
  })
}
