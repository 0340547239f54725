/**
 * The generic call and stream every generated method is bound to: the arguments are checked against the
 * operation's row (an `InvalidInputError` sends nothing), then the core sends the request in the
 * operation's span. Each operation's span options, path template and core call are built on its first
 * call and kept, so a service of 145 operations costs nothing until an operation is used.
 */
import { Effect, Either, Predicate, type Schema, Stream, type Tracer } from "effect"
import { type ConversationError, InvalidInputError } from "../Errors.js"
import type { Core } from "./client.js"
import type { Caller, OperationSpec } from "./operation.js"
import { pageThrough, type PagingResultSet } from "./paging.js"
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

/** A page's `metadata.result_set`, read from the decoded answer of any paged operation. */
const resultSetOf = (page: Success): PagingResultSet | undefined => {
  const metadata: unknown = Predicate.isRecord(page) ? page["metadata"] : undefined
  const resultSet: unknown = Predicate.isRecord(metadata) ? metadata["result_set"] : undefined
  if (!Predicate.isRecord(resultSet)) return undefined
  const more = resultSet["more"]
  const next = resultSet["next_offset"]
  return { more: typeof more === "boolean" ? more : undefined, next_offset: typeof next === "number" ? next : undefined }
}

/** A page's items: the operation's list field. */
const itemsOf = (page: Success, field: string): ReadonlyArray<Success> => {
  const list: unknown = Predicate.isRecord(page) ? page[field] : undefined
  return Array.isArray(list) ? list : []
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
      const field = operation.paging?.items ?? ""
      return pageThrough({
        fetchPage: (offset) => run(() => Either.right({ ...first, query: { ...first.query, _offset: offset } })),
        items: (page) => itemsOf(page, field),
        resultSet: resultSetOf,
        pageSize
      })
    }))

  return { call, stream }
}
