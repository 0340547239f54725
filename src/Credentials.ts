/**
 * How the client authenticates: an UltraCart simple API key or an OAuth bearer token. Both are kept
 * `Redacted` and only unwrapped where the header is set.
 *
 * @since 0.1.0
 */
import { Data, Redacted } from "effect"

/** Credentials for UltraCart: a simple API key (`x-ultracart-simple-key`) or an OAuth access token. */
export type Credentials = SimpleKey | Bearer

/** An UltraCart simple API key, sent as `x-ultracart-simple-key`. */
export interface SimpleKey {
  readonly _tag: "SimpleKey"
  readonly key: Redacted.Redacted<string>
}

/** An OAuth 2 access token, sent as `Authorization: Bearer <token>`. */
export interface Bearer {
  readonly _tag: "Bearer"
  readonly token: Redacted.Redacted<string>
}

const SimpleKey = Data.tagged<SimpleKey>("SimpleKey")
const Bearer = Data.tagged<Bearer>("Bearer")

const redact = (secret: string | Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.isRedacted(secret) ? secret : Redacted.make(secret)

/**
 * Authenticate with an UltraCart simple API key.
 *
 * An empty or blank key is refused when `ConversationService.layer` is built: nothing is ever sent with it.
 * To read the key from the environment, use `ConversationService.layerConfig()`.
 *
 * @example
 * Credentials.simpleKey(Redacted.make(keyFromYourSecretStore))
 */
export const simpleKey = (key: string | Redacted.Redacted<string>): Credentials => SimpleKey({ key: redact(key) })

/**
 * Authenticate with an OAuth 2 access token (without the `Bearer ` prefix). An empty or blank token is
 * refused as an empty key is.
 */
export const bearer = (token: string | Redacted.Redacted<string>): Credentials => Bearer({ token: redact(token) })

/** The header names that carry a credential, for redaction in spans, logs and records. */
export const headerNames: ReadonlyArray<string> = ["authorization", "x-ultracart-simple-key"]
