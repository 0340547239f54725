/**
 * An `HttpClient` straight over undici's `Dispatcher.request`: no fetch `Request`/`Response` objects, no
 * web streams, one keep-alive connection pool per layer. It is built with `HttpClient.makeWith`, not
 * `HttpClient.make`, to keep its per-request cost low: it has the platform's `http.client` span (same
 * name, attributes, redaction and trace propagation, honouring `withTracerDisabledWhen`,
 * `withTracerPropagation` and `withSpanNameGenerator`), and interrupting a request or a body read aborts
 * it (the socket is closed); undici's errors stay in `cause`, so `ECONNREFUSED` remains detectable.
 * Differences from `HttpClient.make`: the span ends with `void` rather than the response, and
 * `HttpClient.withScope` does not extend a response's life (interruption still aborts).
 *
 * @since 0.1.0
 */
import {
  Cookies,
  Headers,
  type HttpBody,
  HttpClient,
  HttpClientError,
  HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  HttpTraceContext,
  UrlParams
} from "@effect/platform"
import {
  Context,
  Effect,
  Either,
  type Fiber,
  FiberRef,
  Inspectable,
  Layer,
  Option,
  Predicate,
  type Scope,
  Stream,
  type Tracer
} from "effect"
import { EventEmitter } from "node:events"
import { Readable } from "node:stream"
import { Agent, type Dispatcher } from "undici"
import { AttemptTimedOut, registerTimedSender } from "../internal/nativeTimeout.js"
import { withResultFreeSpan } from "../internal/span.js"

/** What undici accepts as a request body. */
type UndiciBody = Exclude<Dispatcher.DispatchOptions["body"], undefined>

/** The options of the connection pool `make` and `layer` create (undici's `Agent.Options`). */
export type AgentOptions = Agent.Options

/**
 * Timeouts are left to Effect (`Effect.timeout`, the client's per-attempt timeout), as
 * `NodeHttpClient.layerUndici` does; a user's own dispatcher keeps its own settings.
 */
const defaultAgentOptions: Agent.Options = { headersTimeout: 0, bodyTimeout: 0 }

/**
 * An `HttpClient` over a dispatcher the caller owns (an undici `Agent`, `Pool`, `MockAgent`, …); the
 * caller also closes it.
 */
export const fromDispatcher = (dispatcher: Dispatcher): HttpClient.HttpClient => {
  const send = (
    request: HttpClientRequest.HttpClientRequest,
    millis: number | undefined,
    parent: Tracer.AnySpan | undefined
  ) =>
    Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
      const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      if (Either.isLeft(url)) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
      }
      const traced = fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
        !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
      return traced
        ? inClientSpan(fiber, request, url.right, parent, (propagated) => dispatch(dispatcher, propagated, url.right, millis))
        : dispatch(dispatcher, request, url.right, millis)
    })
  const client = HttpClient.makeWith(
    (request: Effect.Effect<HttpClientRequest.HttpClientRequest>) =>
      Effect.flatMap(request, (resolved) => send(resolved, undefined, undefined)),
    Effect.succeed
  )
  registerTimedSender(client, send)
  return client
}

/** The `http.client` span of a request, as `HttpClient.make` records it. */
const inClientSpan = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  parent: Tracer.AnySpan | undefined,
  send: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<UndiciResponse, HttpClientError.RequestError>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const name = Context.get(fiber.currentContext, HttpClient.SpanNameGenerator)(request)
  const redactedNames = fiber.getFiberRef(Headers.currentRedactedNames)
  const options: Tracer.SpanOptions = parent === undefined
    ? { kind: "client", captureStackTrace: false }
    : { kind: "client", captureStackTrace: false, parent }
  return withResultFreeSpan(
    name,
    options,
    (span) => {
      span.attribute("http.request.method", request.method)
      span.attribute("server.address", url.origin)
      if (url.port !== "") span.attribute("server.port", Number(url.port))
      span.attribute("url.full", url.toString())
      span.attribute("url.path", url.pathname)
      span.attribute("url.scheme", url.protocol.slice(0, -1))
      const query = url.search.slice(1)
      if (query !== "") span.attribute("url.query", query)
      headerAttributes(span, "http.request.header.", request.headers, redactedNames)
      // Sending starts no span of its own, so the span is not put in the context (which costs a copy).
      return send(
        fiber.getFiberRef(HttpClient.currentTracerPropagation)
          ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span))
          : request
      )
    },
    (span, response) => {
      span.attribute("http.response.status_code", response.status)
      headerAttributes(span, "http.response.header.", response.headers, redactedNames)
    }
  )
}

const headerAttributes = (
  span: Tracer.Span,
  prefix: string,
  headers: Headers.Headers,
  redactedNames: ReadonlyArray<string | RegExp>
): void => {
  const redacted = Headers.redact(headers, redactedNames)
  for (const name in redacted) span.attribute(prefix + name, String(redacted[name]))
}

/** Sends a request with its body in a form undici takes. */
const dispatch = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  millis: number | undefined
): Effect.Effect<UndiciResponse, HttpClientError.RequestError> => {
  const send = (body: UndiciBody, headers: Headers.Headers = request.headers) =>
    undiciRequest(dispatcher, request, url, body, headers, millis)
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return send(null)
    case "Uint8Array":
      return send(body.body)
    case "FormData":
      // Encoded by the platform's own `Response` (multipart, with its boundary in the content type).
      return Effect.flatMap(
        Effect.tryPromise({
          try: async () => {
            const encoded = new Response(body.formData)
            return {
              bytes: new Uint8Array(await encoded.arrayBuffer()),
              contentType: encoded.headers.get("content-type") ?? "multipart/form-data"
            }
          },
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
        }),
        ({ bytes, contentType }) => send(bytes, Headers.set(request.headers, "content-type", contentType))
      )
    case "Raw": {
      const raw = rawBody(body)
      return raw === undefined
        ? Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "a Raw body must be a string, a Uint8Array, a Node Readable, a ReadableStream or an (async) iterable of bytes"
          })
        )
        : send(raw)
    }
    case "Stream":
      return Effect.flatMap(
        Stream.toAsyncIterableEffect(body.stream),
        (iterable) => send(Readable.from(iterable, { objectMode: false }))
      )
  }
}

/**
 * One undici request. Interruption aborts it; with `millis`, a timer bounds the request, the headers and
 * the body together (the body is destroyed with an `AttemptTimedOut` when it fires).
 */
const undiciRequest = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  body: UndiciBody,
  headers: Headers.Headers,
  millis: number | undefined
) =>
  Effect.async<UndiciResponse, HttpClientError.RequestError>((resume) => {
    // undici takes an EventEmitter as its signal: much cheaper to create than an AbortController.
    const abort = new EventEmitter()
    let response: UndiciResponse | undefined
    let timedOut: AttemptTimedOut | undefined
    const timer = millis === undefined ? undefined : setTimeout(() => {
      timedOut = new AttemptTimedOut(millis)
      if (response === undefined) abort.emit("abort")
      else response.source.body.destroy(timedOut)
    }, millis)
    const fail = (cause: unknown) => {
      clearTimeout(timer)
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: timedOut ?? cause })))
    }
    try {
      dispatcher.request(
        { origin: url.origin, path: url.pathname + url.search, method: request.method, headers, body, signal: abort },
        (cause, data) => {
          if (cause !== null) return fail(cause)
          response = new UndiciResponse(request, data)
          if (timer !== undefined) data.body.once("close", () => clearTimeout(timer))
          resume(Effect.succeed(response))
        }
      )
    } catch (cause) {
      // undici reports through the callback; a custom dispatcher might throw instead.
      fail(cause)
    }
    return Effect.sync(() => {
      clearTimeout(timer)
      abort.emit("abort")
    })
  })

/** A `Raw` body in a form undici can send, or `undefined` when it cannot be sent. */
const rawBody = (body: HttpBody.Raw): UndiciBody | undefined => {
  const value = body.body
  if (typeof value === "string" || value instanceof Uint8Array || value instanceof Readable) return value
  // Web `ReadableStream`s are async iterables too.
  if (Predicate.isIterable(value) || isAsyncIterable(value)) return Readable.from(value, { objectMode: false })
  return undefined
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  Predicate.hasProperty(value, Symbol.asyncIterator) && Predicate.isFunction(value[Symbol.asyncIterator])

/**
 * A scoped `HttpClient` over its own keep-alive undici `Agent`, destroyed when the scope closes.
 * Pass `AgentOptions` to size the pool (`connections`, `pipelining`, `keepAliveTimeout`, …).
 */
export const make = (options?: AgentOptions): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Agent({ ...defaultAgentOptions, ...options })),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    fromDispatcher
  )

/**
 * The `HttpClient` layer over its own undici connection pool, closed when the layer is released.
 *
 * @example
 * ConversationService.layer({ credentials }).pipe(Layer.provide(UndiciHttpClient.layer))
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(HttpClient.HttpClient, make())

/** Like `layer`, with options for the undici `Agent` it creates. */
export const layerWithOptions = (options: AgentOptions): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/** The `HttpClient` layer over a dispatcher the caller owns and closes. */
export const layerWithDispatcher = (dispatcher: Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, fromDispatcher(dispatcher))

/** Nobody may be reading the body when it is aborted; an unhandled 'error' event would crash the process. */
const ignoreError = (): void => {}

/** A response dropped without reading its body gives its connection back when it is collected (as with
 * `HttpClient.make`). A read takes the body out of the registry, which would otherwise hold it until then. */
const unreadBodies = new FinalizationRegistry<Dispatcher.ResponseData["body"]>((body) => {
  body.destroy()
})

const utf8 = new TextDecoder()

/** An `HttpClientResponse` over undici's response data. Each body reader reads the body at most once. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  private cachedHeaders: Headers.Headers | undefined
  private cachedCookies: Cookies.Cookies | undefined
  /** The body as read so far: a pending read, then its value. */
  private textRead: Promise<string> | undefined
  private textValue: string | undefined
  private bytesRead: Promise<ArrayBuffer> | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly source: Dispatcher.ResponseData
  ) {
    super()
    source.body.on("error", ignoreError)
    unreadBodies.register(this, source.body, this)
  }

  get status(): number {
    return this.source.statusCode
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source.headers["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  /** The body is being read: it no longer needs destroying when the response is dropped. */
  private claimBody(): void {
    unreadBodies.unregister(this)
  }

  /** Waits for a read of the body; interrupting the wait destroys the body (and closes its socket). */
  private awaitRead<A>(read: Promise<A>): Effect.Effect<A, HttpClientError.ResponseError> {
    this.claimBody()
    return Effect.async((resume) => {
      read.then(
        (value) => resume(Effect.succeed(value)),
        (cause: unknown) => resume(Effect.fail(this.decodeError(cause)))
      )
      return Effect.sync(() => {
        this.source.body.destroy()
      })
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      // Once read, the text is available synchronously (inspect and toJSON rely on that).
      if (this.textValue !== undefined) return Effect.succeed(this.textValue)
      this.textRead ??= (this.bytesRead === undefined
        ? this.source.body.text()
        : this.bytesRead.then((bytes) => utf8.decode(bytes))
      ).then((text) => this.textValue = text)
      return this.awaitRead(this.textRead)
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.tryMap(this.text, {
      try: (text): unknown => text === "" ? null : JSON.parse(text),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      this.bytesRead ??= this.textRead === undefined
        ? this.source.body.arrayBuffer()
        : this.textRead.then((text) => {
          const bytes = new TextEncoder().encode(text)
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        })
      return this.awaitRead(this.bytesRead)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.tryMap(this.text, {
      try: (text) => UrlParams.fromInput(new URLSearchParams(text)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  /** undici's body has no `formData()`; the bytes are parsed by the platform's `Response`. */
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.arrayBuffer, (bytes) =>
      Effect.tryPromise({
        try: () => {
          const contentType = this.headers["content-type"]
          const init = contentType === undefined ? {} : { headers: { "content-type": contentType } }
          return new Response(bytes, init).formData()
        },
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      this.claimBody()
      return Stream.fromAsyncIterable<Uint8Array, HttpClientError.ResponseError>(
        this.source.body,
        (cause) => this.decodeError(cause)
      )
    })
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
