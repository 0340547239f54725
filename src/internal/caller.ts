/**
 * The generic call and stream every generated method is bound to: the arguments are checked against the
 * operation's row (an `InvalidInputError` sends nothing), then the core sends the request in the
 * operation's span. Each operation's span options, path template and core call are built on its first
 * call and kept, so a service of 145 operations costs nothing until an operation is used.
 */
import { Chunk, Effect, Either, Option, Predicate, type Schema, Stream, type Tracer } from "effect"
import { type ConversationError, InvalidInputError } from "../Errors.js"
import type { Core } from "./client.js"
import type { Caller, OperationSpec } from "./operation.js"
import { withResultFreeSpan } from "./span.js"
import * as validate from "./validate.js"

/** A call with its arguments checked: what the core sends. */
interface Checked {
  readonly path: string | undefined
  readonly query: validate.QueryValues | undefined
  readonly body: validate.BodyText | undefined
}

/** A decoded answer: typed by the operation's row in the generated bindings. */
type Success = Schema.Schema.Type<Schema.Schema.AnyNoContext>

/** One operation, ready to be called: checks and sends in its span. */
interface Prepared {
  readonly template: validate.PathTemplate
  readonly run: (check: () => Either.Either<Checked, InvalidInputError>) => Effect.Effect<Success, ConversationError>
}

const defaultPageSize = 100

const resultSetOf = (page: unknown): { readonly more: unknown; readonly nextOffset: unknown } => {
  const metadata = Predicate.isRecord(page) ? page["metadata"] : undefined
  const resultSet = Predicate.isRecord(metadata) ? metadata["result_set"] : undefined
  return Predicate.isRecord(resultSet)
    ? { more: resultSet["more"], nextOffset: resultSet["next_offset"] }
    : { more: undefined, nextOffset: undefined }
}

/**
 * A page's items and the offset of the next page, if any: `result_set.more` decides when UltraCart sends
 * it; without it, a full page means there may be more and a short or empty one is the last. The next
 * offset is `next_offset` when it moves forward, else the offset after this page's items, so paging
 * never asks for the same offset twice.
 */
const nextPage = (
  page: Success,
  items: string,
  offset: number,
  pageSize: number
): readonly [Chunk.Chunk<Success>, Option.Option<number>] => {
  const list: unknown = Predicate.isRecord(page) ? page[items] : undefined
  const chunk: ReadonlyArray<Success> = Array.isArray(list) ? list : []
  const { more, nextOffset } = resultSetOf(page)
  const goesOn = chunk.length > 0 && (typeof more === "boolean" ? more : chunk.length >= pageSize)
  if (!goesOn) return [Chunk.unsafeFromArray(chunk), Option.none()]
  const next = typeof nextOffset === "number" && Number.isInteger(nextOffset) && nextOffset > offset
    ? nextOffset
    : offset + chunk.length
  return [Chunk.unsafeFromArray(chunk), Option.some(next)]
}

/**
 * Builds the `Caller` of a service over the core. `service` names the spans
 * (`ConversationService.getConversation`).
 */
export const makeCaller = (core: Core, service: string): Caller => {
  const prepared = new Map<string, Prepared>()

  const prepare = (operation: OperationSpec): Prepared => {
    const known = prepared.get(operation.id)
    if (known !== undefined) return known
    const { metrics, send } = core.prepare(operation)
    const tracker = metrics === undefined ? undefined : { started: metrics.callStarted, ended: metrics.callEnded }
    const name = `${service}.${operation.id}`
    const spanOptions: Tracer.SpanOptions = {
      attributes: { "http.request.method": operation.method, "url.template": operation.path },
      captureStackTrace: false
    }
    const made: Prepared = {
      template: validate.pathTemplate(operation),
      run: (check) =>
        withResultFreeSpan(name, spanOptions, (span) => {
          const checked = check()
          return Either.isLeft(checked) ? Effect.fail(checked.left) : send(checked.right, span)
        }, undefined, tracker)
    }
    prepared.set(operation.id, made)
    return made
  }

  /** Checks every argument of a call against the row. */
  const check = (
    operation: OperationSpec,
    template: validate.PathTemplate,
    pathArguments: ReadonlyArray<unknown>,
    body: unknown,
    options: unknown
  ): Either.Either<Checked, InvalidInputError> => {
    const id = operation.id
    const path = template.params.length === 0 ? Either.right(undefined) : validate.fillPath(id, template, pathArguments)
    if (Either.isLeft(path)) return Either.left(path.left)
    const sentBody = validate.body(id, operation.body, body)
    if (Either.isLeft(sentBody)) return Either.left(sentBody.left)
    const query = validate.query(id, operation.query, options)
    if (Either.isLeft(query)) return Either.left(query.left)
    return Either.right({ path: path.right, query: query.right, body: sentBody.right })
  }

  const call: Caller["call"] = (operation, pathArguments, body, options) => {
    const { run, template } = prepare(operation)
    return run(() => check(operation, template, pathArguments, body, options))
  }

  const stream: Caller["stream"] = (operation, pathArguments, body, options) =>
    Stream.unwrap(Effect.gen(function*() {
      const name = operation.paging?.stream ?? operation.id
      const given = yield* validate.optionsObject(name, options)
      const limit = operation.query.find((q) => q.name === "_limit")
      const pageSize =
        (yield* validate.optionalInteger(name, "pageSize", given.pageSize, limit?.minimum ?? 1, limit?.maximum ?? 200)) ??
          defaultPageSize
      const { limit: _limit, offset: _offset, pageSize: _pageSize, ...rest } = given
      const { run, template } = prepare(operation)
      // Every argument is checked once; each page only changes the offset (taken from the server's answers).
      const first = yield* Either.mapLeft(
        check(operation, template, pathArguments, body, { ...rest, limit: pageSize, offset: 0 }),
        (error) => new InvalidInputError({ operation: name, argument: error.argument, reason: error.reason })
      )
      const items = operation.paging?.items ?? ""
      return Stream.paginateChunkEffect(0, (offset) =>
        Effect.map(
          run(() => Either.right({ ...first, query: { ...first.query, _offset: offset } })),
          (page) => nextPage(page, items, offset, pageSize)
        ))
    }))

  return { call, stream }
}
