/**
 * What the services share: their options, the checks of a base URL and credential (before anything is
 * sent), the client core and the `Caller` their generated methods are bound to.
 */
import type { HttpClient } from "@effect/platform"
import { HttpClient as HttpClientTag } from "@effect/platform"
import { Duration, Effect, Either, Option } from "effect"
import type * as Credentials from "../Credentials.js"
import { type RateLimitOptions, RateLimitStore } from "../RateLimit.js"
import * as RetryPolicy from "../RetryPolicy.js"
import { checkBaseUrl, defaultBaseUrl } from "./baseUrl.js"
import { makeCaller } from "./caller.js"
import { makeCore } from "./client.js"
import type { Caller } from "./operation.js"
import { type Limiter, makeLimiter, settleRateLimit } from "./rateLimit.js"
import { makeMemory } from "./rateLimitStore.js"
import * as validate from "./validate.js"

/** How to reach UltraCart. */
export interface ClientOptions {
  readonly credentials: Credentials.Credentials
  /** Defaults to `https://secure.ultracart.com/rest/v2`; plain http is refused unless the host is loopback. */
  readonly baseUrl?: string | undefined
  /**
   * The timeout of each attempt: request, headers and body (default 30 seconds). `UndiciHttpClient`
   * enforces it with its own timer; over any other `HttpClient` each attempt runs in a child fiber.
   * `Duration.infinity` turns it off, e.g. when the HTTP client enforces its own timeouts.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Defaults to `RetryPolicy.default`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /**
   * Whether calls record the client's metrics (`ultracart.client.*`, see the README); default `true`.
   * `false` costs nothing per call.
   */
  readonly metrics?: boolean | undefined
  /**
   * A budget every attempt waits for, e.g. `{ limit: 10, window: "1 second" }`, shared by the clients
   * that use the same `RateLimitStore`: the one in the layer's context (`RateLimit.layerMemory`, or
   * `RateLimitRedis.layer` to share it between processes), else a memory store of this layer's own. A
   * 429 with `Retry-After` pauses it for all of them. Off by default.
   */
  readonly rateLimit?: RateLimitOptions | undefined
}

/**
 * The rate limit of a service: over the `RateLimitStore` in context, else a memory store of its own. A
 * refused `rateLimit` is a defect, as a refused base URL is.
 */
const limiterOf = (
  service: string,
  options: RateLimitOptions,
  maxWait: Duration.Duration
): Effect.Effect<Limiter> =>
  Effect.gen(function*() {
    const settled = settleRateLimit(options)
    if (Either.isLeft(settled)) return yield* Effect.dieMessage(`${service}: ${settled.left}`)
    const shared = yield* Effect.serviceOption(RateLimitStore)
    const store = Option.isSome(shared) ? shared.value : yield* makeMemory
    return makeLimiter(store, settled.right, maxWait)
  })

/**
 * The `Caller` of a service over the `HttpClient` in context. A base URL that is refused (not https and
 * not loopback) or malformed, or a credential no HTTP header can carry, is a defect: the layer fails to
 * build and nothing is ever sent with it.
 */
export const makeServiceCaller = (
  service: string,
  options: ClientOptions
): Effect.Effect<Caller, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = checkBaseUrl(options.baseUrl ?? defaultBaseUrl)
    if (Either.isLeft(baseUrl)) return yield* Effect.dieMessage(`${service}: ${baseUrl.left}`)
    const credentialProblem = validate.credentialProblem(options.credentials)
    if (credentialProblem !== undefined) return yield* Effect.dieMessage(`${service}: ${credentialProblem}`)
    const client = yield* HttpClientTag.HttpClient
    const retry = options.retry ?? RetryPolicy.default
    const limiter = options.rateLimit === undefined
      ? undefined
      : yield* limiterOf(service, options.rateLimit, retry.maxRetryAfter)
    const core = makeCore(client, {
      baseUrl: baseUrl.right,
      credentials: options.credentials,
      timeout: Duration.decode(options.timeout ?? Duration.seconds(30)),
      retry,
      metrics: options.metrics ?? true,
      limiter
    })
    return makeCaller(core, service)
  })
