/**
 * Runs an effect with the credential headers added to the names the platform redacts (in its client and
 * server spans and in inspect output); by default it redacts `authorization` but not the simple key.
 */
import { Headers } from "@effect/platform"
import { Effect, Layer } from "effect"
import * as Credentials from "../Credentials.js"

/** The redacted names, with the credential headers added. */
export const withCredentialHeaders = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> => [
  ...names,
  ...Credentials.headerNames.filter((name) => !names.includes(name))
]

const coversCredentials = (names: ReadonlyArray<string | RegExp>): boolean =>
  Credentials.headerNames.every((name) => names.includes(name))

/**
 * `effect`, with every credential header redacted wherever the platform prints headers. When the fiber
 * already redacts them (the service's layer sets this for the fibers it is provided to), nothing is
 * changed.
 */
export const redactingCredentials = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    coversCredentials(fiber.getFiberRef(Headers.currentRedactedNames))
      ? effect
      : Effect.locallyWith(effect, Headers.currentRedactedNames, withCredentialHeaders)
  )

/**
 * For the fibers a service layer is provided to: the credential headers added to the names the platform
 * redacts. Every service layer merges it in.
 */
export const redactCredentialHeaders: Layer.Layer<never> = Layer.fiberRefLocallyScopedWith(
  Headers.currentRedactedNames,
  withCredentialHeaders
)
