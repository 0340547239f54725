/**
 * effect-ultracart-conversation/undici: an `HttpClient` layer straight over undici, the fastest way to
 * run the client on Node.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
