/**
 * Where the examples run. By default against the embedded `MockServer` (127.0.0.1, no credentials, no
 * network); against UltraCart itself when `ULTRACART_API_KEY` or `ULTRACART_OAUTH_TOKEN` is set (then
 * `ConversationService.layerConfig()` reads them, and `ULTRACART_BASE_URL` if set). Against UltraCart the
 * examples only read, unless `ULTRACART_EXAMPLES_ALLOW_WRITES=1` allows them to start, join or leave
 * conversations.
 *
 * The imports are relative (`../../src/...`) because the examples run from the repository; in your own
 * code they are `effect-ultracart-conversation` and `effect-ultracart-conversation/testing`.
 */
import { FetchHttpClient, type HttpClient, type HttpServerError } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { Config, type ConfigError, Console, Context, Data, type Duration, Effect, Layer, Option } from "effect"
import {
  type ClientOptions,
  ConversationService,
  defaultBaseUrl,
  optionsFromConfig,
  type RetryPolicy
} from "../../src/index.js"
import { MockServer, type MockSeed, type MockServerShape } from "../../src/testing/index.js"

/** What an example runs against. */
export interface ExampleEnvironmentShape {
  readonly target: "mock" | "ultracart"
  /** The embedded server when running against it: its store, fault injection and request record. */
  readonly mock: Option.Option<MockServerShape>
  /** Whether the example may create or change conversations (always against the mock). */
  readonly allowWrites: boolean
  /** Where the requests go. */
  readonly baseUrl: string
}

/** The environment an example runs in; see the module comment. */
export class ExampleEnvironment extends Context.Tag("examples/ExampleEnvironment")<
  ExampleEnvironment,
  ExampleEnvironmentShape
>() {}

/** How an example wants its client and mock server built. */
export interface ExampleOptions {
  /** The mock server's seed (default: the realistic five-conversation seed). */
  readonly seed?: MockSeed | undefined
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  readonly timeout?: Duration.DurationInput | undefined
  /** The transport (default `FetchHttpClient.layer`). */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
  /** The client's shared rate limit (`ClientOptions.rateLimit`), if any. */
  readonly rateLimit?: ClientOptions["rateLimit"]
}

/** A claim of an example that turned out false: the example exits non-zero. */
export class ExampleFailed extends Data.TaggedError("ExampleFailed")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/** Fails the example with `reason` unless `holds`. */
export const ensure = (holds: boolean, reason: string): Effect.Effect<void, ExampleFailed> =>
  holds ? Effect.void : Effect.fail(new ExampleFailed({ reason }))

const settings = Config.all({
  // The library's own reading of the credentials: none set (MissingData) means the mock.
  options: Config.option(optionsFromConfig),
  allowWrites: Config.boolean("ULTRACART_EXAMPLES_ALLOW_WRITES").pipe(Config.withDefault(false))
})

/** The `ConversationService` and `ExampleEnvironment` of an example: the mock unless credentials are set. */
export const layer = (
  options?: ExampleOptions
): Layer.Layer<ConversationService | ExampleEnvironment, ConfigError.ConfigError | HttpServerError.ServeError> =>
  Layer.unwrapEffect(Effect.map(settings, ({ allowWrites, options: fromEnvironment }): Layer.Layer<
    ConversationService | ExampleEnvironment,
    ConfigError.ConfigError | HttpServerError.ServeError
  > => {
    const client = { retry: options?.retry, timeout: options?.timeout, rateLimit: options?.rateLimit }
    const httpClient = options?.httpClient ?? FetchHttpClient.layer
    if (Option.isSome(fromEnvironment)) {
      const environment: ExampleEnvironmentShape = {
        target: "ultracart",
        mock: Option.none(),
        allowWrites,
        baseUrl: fromEnvironment.value.baseUrl ?? defaultBaseUrl
      }
      return Layer.merge(
        ConversationService.layer({ ...fromEnvironment.value, ...client }).pipe(Layer.provide(httpClient)),
        Layer.succeed(ExampleEnvironment, environment)
      )
    }
    const environment = Layer.effect(
      ExampleEnvironment,
      Effect.map(MockServer, (server): ExampleEnvironmentShape => ({
        target: "mock",
        mock: Option.some(server),
        allowWrites: true,
        baseUrl: server.baseUrl
      }))
    )
    return Layer.merge(MockServer.layerClient(client), environment).pipe(
      Layer.provide(MockServer.layer({ seed: options?.seed })),
      Layer.provide(httpClient)
    )
  }))

/** Says where the example runs, then runs it as the program's entry point (exit code 1 on failure). */
export const runExample = <A, E>(
  program: Effect.Effect<A, E, ConversationService | ExampleEnvironment>,
  options?: ExampleOptions
): void =>
  NodeRuntime.runMain(
    Effect.gen(function*() {
      const environment = yield* ExampleEnvironment
      yield* Option.match(environment.mock, {
        onNone: () =>
          Console.log(
            `Running against UltraCart at ${environment.baseUrl} (credentials from the environment); writes ${
              environment.allowWrites ? "allowed" : "skipped (set ULTRACART_EXAMPLES_ALLOW_WRITES=1 to allow them)"
            }.\n`
          ),
        onSome: (server) =>
          Console.log(
            `Running against the embedded MockServer at ${server.baseUrl} ` +
              "(set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN to run against UltraCart).\n"
          )
      })
      return yield* program
    }).pipe(Effect.provide(layer(options)))
  )

/**
 * Whether a write may go ahead; when it may not (against UltraCart without
 * `ULTRACART_EXAMPLES_ALLOW_WRITES=1`), says what was skipped.
 */
export const mayWrite = (what: string): Effect.Effect<boolean, never, ExampleEnvironment> =>
  Effect.flatMap(ExampleEnvironment, (environment) =>
    environment.allowWrites
      ? Effect.succeed(true)
      : Effect.as(
        Console.log(
          `Skipped: ${what} would change data on UltraCart. Set ULTRACART_EXAMPLES_ALLOW_WRITES=1 to let the example do it.`
        ),
        false
      ))

/** Runs `f` with the mock server when the example runs against it; does nothing against UltraCart. */
export const whenMock = <A, E, R>(
  f: (server: MockServerShape) => Effect.Effect<A, E, R>
): Effect.Effect<Option.Option<A>, E, R | ExampleEnvironment> =>
  Effect.flatMap(ExampleEnvironment, (environment) =>
    Option.match(environment.mock, {
      onNone: () => Effect.succeed(Option.none<A>()),
      onSome: (server) => Effect.map(f(server), Option.some)
    }))
