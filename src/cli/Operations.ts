/**
 * `Operations`: the command line's way to call any row of the operation table. It is the very `Caller`
 * the generated methods of `ConversationService` and `ConversationEmbedService` are one-line bindings to
 * (`service.getConversation(uuid, options)` is `call(operations.getConversation, [uuid], undefined,
 * options)`), built by the same `makeServiceCaller`: the same checks of every argument before anything
 * is sent (`InvalidInputError`), retries, timeouts, redaction and spans named after the service. It
 * takes the arguments as the command line parsed them, untyped, which the typed methods cannot.
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, type Stream } from "effect"
import type { ConversationError } from "../Errors.js"
import type { OperationSpec } from "../internal/operation.js"
import { redactCredentialHeaders } from "../internal/redaction.js"
import { type ClientOptions, makeServiceCaller } from "../internal/service.js"

/** The arguments of one call, as the command line parsed them (checked by the caller against the row). */
export interface CallInput {
  /** One value per path parameter, in path order. */
  readonly path: ReadonlyArray<unknown>
  readonly body: unknown
  /** The options by their keys (`limit`, `dateStart`), or `undefined` for none. */
  readonly options: Readonly<Record<string, unknown>> | undefined
}

/** Calls and pages any operation of the table. */
export interface OperationsShape {
  /** One call: the decoded answer (`undefined` for an operation without a body). */
  readonly call: (operation: OperationSpec, input: CallInput) => Effect.Effect<unknown, ConversationError>
  /**
   * Every item of a paged operation, a page per chunk; `options` as the operation's stream takes them
   * (`pageSize` for the page size, no offset).
   */
  readonly stream: (operation: OperationSpec, input: CallInput) => Stream.Stream<unknown, ConversationError>
}

/** The service tag of `Operations`. */
export class Operations extends Context.Tag("effect-ultracart-conversation/cli/Operations")<
  Operations,
  OperationsShape
>() {
  /**
   * Talks to UltraCart (or to whatever `baseUrl` says) through the `HttpClient` in context, as
   * `ConversationService.layer(options)` and `ConversationEmbedService.layer(options)` do.
   */
  static readonly layer = (options: ClientOptions): Layer.Layer<Operations, never, HttpClient.HttpClient> =>
    Layer.merge(
      Layer.effect(
        Operations,
        Effect.gen(function*() {
          const conversation = yield* makeServiceCaller("ConversationService", options)
          const embed = yield* makeServiceCaller("ConversationEmbedService", options)
          const callerOf = (operation: OperationSpec) => (operation.service === "ConversationEmbedService" ? embed : conversation)
          return Operations.of({
            call: (operation, input) => callerOf(operation).call(operation, input.path, input.body, input.options),
            stream: (operation, input) => callerOf(operation).stream(operation, input.path, input.body, input.options)
          })
        })
      ),
      redactCredentialHeaders
    )
}
