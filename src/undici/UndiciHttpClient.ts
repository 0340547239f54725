/**
 * An `HttpClient` straight over undici's `Dispatcher.request`: no fetch `Request`/`Response` objects, no
 * web streams, one keep-alive connection pool per layer. Interrupting a request aborts it (the socket is
 * closed); undici's errors stay in `cause`, so `ECONNREFUSED` remains detectable.
 *
 * @since 0.1.0
 */
import {
  Cookies,
  Headers,
  type HttpBody,
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import { Effect, Inspectable, Layer, Option, Predicate, type Scope, Stream } from "effect"
import { Readable } from "node:stream"
import { Agent, type Dispatcher } from "undici"

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
export const fromDispatcher = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    const send = (body: UndiciBody, headers: Headers.Headers = request.headers) =>
      Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
        const fail = (cause: unknown) =>
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
        try {
          dispatcher.request(
            { origin: url.origin, path: url.pathname + url.search, method: request.method, headers, body, signal },
            (cause, data) => cause === null ? resume(Effect.succeed(new UndiciResponse(request, data))) : fail(cause)
          )
        } catch (cause) {
          // undici reports through the callback; a custom dispatcher might throw instead.
          fail(cause)
        }
      })
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
    private readonly source: Dispatcher.ResponseData
  ) {
    super()
    source.body.on("error", ignoreError)
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

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      // Once read, the text is available synchronously (inspect and toJSON rely on that).
      if (this.textValue !== undefined) return Effect.succeed(this.textValue)
      this.textRead ??= (this.bytesRead === undefined
        ? this.source.body.text()
        : this.bytesRead.then((bytes) => utf8.decode(bytes))
      ).then((text) => this.textValue = text)
      const read = this.textRead
      return Effect.tryPromise({ try: () => read, catch: (cause) => this.decodeError(cause) })
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => text === "" ? null : JSON.parse(text),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      this.bytesRead ??= this.textRead === undefined
        ? this.source.body.arrayBuffer()
        : this.textRead.then((text) => {
          const bytes = new TextEncoder().encode(text)
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        })
      const read = this.bytesRead
      return Effect.tryPromise({ try: () => read, catch: (cause) => this.decodeError(cause) })
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
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
    return Stream.fromAsyncIterable<Uint8Array, HttpClientError.ResponseError>(
      this.source.body,
      (cause) => this.decodeError(cause)
    )
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
