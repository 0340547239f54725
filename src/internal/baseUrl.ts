/**
 * Checks a base URL: https, or http only to a loopback host, so a credential never crosses a network
 * in clear; no credentials, query or fragment inside it.
 */
import { Either } from "effect"

/** UltraCart's production base URL. */
export const defaultBaseUrl = "https://secure.ultracart.com/rest/v2"

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/** The base URL without a trailing slash, or why it is refused. */
export const checkBaseUrl = (input: string): Either.Either<string, string> => {
  if (typeof input !== "string" || !URL.canParse(input)) {
    return Either.left("base URL is not a valid absolute URL")
  }
  const url = new URL(input)
  if (url.username !== "" || url.password !== "") {
    return Either.left("base URL must not contain credentials")
  }
  if (url.search !== "" || url.hash !== "") {
    return Either.left("base URL must not contain a query or a fragment")
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return Either.left(`base URL must use https unless its host is loopback, got http://${url.host}`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Either.left(`base URL must use https, got ${url.protocol}`)
  }
  return Either.right(url.href.replace(/\/+$/, ""))
}
