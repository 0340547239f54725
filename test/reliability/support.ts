/**
 * Helpers shared by the reliability tests: the seven operations as the tests call them, an `HttpClient`
 * that counts the attempts it sends, a port with nothing listening, and checks on an `Exit`.
 */
import { HttpClient } from "@effect/platform"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import * as Net from "node:net"
import {
  type ConversationError,
  type ConversationServiceShape,
  isConversationError,
  RetryPolicy
} from "../../src/index.js"
import { defaultSeed } from "../../src/testing/index.js"

/** A seeded conversation every store built with the default seed holds. */
export const seededConversation = defaultSeed[1]?.conversation_uuid ?? "missing-seed"

/**
 * The default policy's shape (4 retries, exponential backoff with jitter, Retry-After up to 60 s) with
 * delays short enough for real sockets.
 */
export const fastRetry = RetryPolicy.make({ baseDelay: "5 millis", maxDelay: "20 millis" })

/** The retries `fastRetry` allows, written out here rather than read from the implementation. */
export const maxRetries = 4

/** The operation ids, in the order the matrix prints them. */
export const operationIds = [
  "getAgentWebsocketAuthorization",
  "getConversation",
  "getConversationMultimediaUploadUrl",
  "getConversations",
  "joinConversation",
  "leaveConversation",
  "startConversation"
] as const

/** One of the seven operation ids. */
export type OperationId = (typeof operationIds)[number]

/** What the tests know of an operation, independently of the client's own operation table. */
export interface OperationCase {
  readonly id: OperationId
  /** Whether a call can create something on the server (only startConversation can). */
  readonly creates: boolean
  /** Whether a successful answer must carry a JSON body (join and leave accept any 2xx). */
  readonly returnsJson: boolean
  /** One call of the operation with valid arguments. */
  readonly call: (service: ConversationServiceShape) => Effect.Effect<unknown, ConversationError>
}

/** The seven operations with valid arguments against the default seed. */
export const operationCases: ReadonlyArray<OperationCase> = [
  {
    id: "getAgentWebsocketAuthorization",
    creates: false,
    returnsJson: true,
    call: (service) => service.getAgentWebsocketAuthorization()
  },
  {
    id: "getConversation",
    creates: false,
    returnsJson: true,
    call: (service) => service.getConversation(seededConversation, { limit: 10 })
  },
  {
    id: "getConversationMultimediaUploadUrl",
    creates: false,
    returnsJson: true,
    call: (service) => service.getConversationMultimediaUploadUrl("png")
  },
  {
    id: "getConversations",
    creates: false,
    returnsJson: true,
    call: (service) => service.getConversations({ limit: 5 })
  },
  {
    id: "joinConversation",
    creates: false,
    returnsJson: false,
    call: (service) => service.joinConversation(seededConversation, { participant_language_iso_code: "en" })
  },
  {
    id: "leaveConversation",
    creates: false,
    returnsJson: false,
    call: (service) => service.leaveConversation(seededConversation)
  },
  {
    id: "startConversation",
    creates: true,
    returnsJson: true,
    call: (service) => service.startConversation({ conversation_webchat_queue_uuid: "queue-matrix" })
  }
]

/** A mutable count of the HTTP requests a client sent (attempts, retries included). */
export interface AttemptCounter {
  count: number
}

/** Wraps an `HttpClient` layer so that every request it sends bumps `counter`. */
export const counting = (
  base: Layer.Layer<HttpClient.HttpClient>,
  counter: AttemptCounter
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.tapRequest(client, () =>
        Effect.sync(() => {
          counter.count += 1
        })))
  ).pipe(Layer.provide(base))

/** A loopback port that was free a moment ago and has nothing listening now: connecting is refused. */
export const closedPort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = address !== null && typeof address === "object" ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** How a call ended, as the reliability tests classify it. */
export type Classified =
  | { readonly _tag: "Success" }
  | { readonly _tag: "Failure"; readonly error: ConversationError }
  | { readonly _tag: "Defect"; readonly cause: string }

/**
 * `Success`, a typed `ConversationError` failure, or `Defect` for anything else (a die, an
 * interruption, or a failure value that is not one of the package's errors).
 */
export const classify = <A>(exit: Exit.Exit<A, unknown>): Classified => {
  if (Exit.isSuccess(exit)) return { _tag: "Success" }
  if (Cause.isDie(exit.cause) || Cause.isInterrupted(exit.cause)) {
    return { _tag: "Defect", cause: Cause.pretty(exit.cause) }
  }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure) && isConversationError(failure.value)) return { _tag: "Failure", error: failure.value }
  return { _tag: "Defect", cause: Cause.pretty(exit.cause) }
}

/** `"Success"`, the failure's `_tag`, or `"Defect"`. */
export const classifiedTag = (classified: Classified): string =>
  classified._tag === "Failure" ? classified.error._tag : classified._tag
