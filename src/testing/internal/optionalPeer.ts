/**
 * Loads a module that needs an optional peer dependency, on first use. When the peer is not installed
 * the failure is a defect whose message names the package to install, rather than Node's bare
 * `ERR_MODULE_NOT_FOUND`.
 */
import { Effect, Predicate } from "effect"

/** The versions of the optional peers this package supports, as its `peerDependencies` declare them. */
export const optionalPeerRanges: Readonly<Record<string, string>> = {
  "@effect/platform-node": "^0.108.2"
}

/** Whether `cause` says that `peer` itself (not some other module) could not be found, from ESM or CommonJS. */
export const isMissingPeer = (cause: unknown, peer: string): boolean =>
  Predicate.hasProperty(cause, "code") &&
  (cause.code === "ERR_MODULE_NOT_FOUND" || cause.code === "MODULE_NOT_FOUND") &&
  Predicate.hasProperty(cause, "message") &&
  typeof cause.message === "string" &&
  (cause.message.includes(`'${peer}'`) || cause.message.includes(`"${peer}"`))

/** The message of the defect when `user` needs `peer` and it is not installed. */
export const missingPeerMessage = (peer: string, user: string): string => {
  const range = optionalPeerRanges[peer]
  const install = range === undefined ? peer : `${peer}@${range}`
  return `${user} needs the optional peer dependency ${peer}, which is not installed: npm i -D ${install}` +
    ` (layerMock needs no socket and works without it)`
}

/** What to load and who needs it. */
export interface OptionalPeerImport<M> {
  /** The package that may be missing, e.g. `@effect/platform-node`. */
  readonly peer: string
  /** Who needs it, for the message, e.g. `MockServer`. */
  readonly user: string
  /** The dynamic import of the module that imports the peer. */
  readonly load: () => Promise<M>
}

/**
 * The module, imported when the effect runs (Node caches it after the first time). A missing peer is a
 * defect naming it; any other failure to load is a defect with its own cause.
 */
export const importOptionalPeer = <M>(options: OptionalPeerImport<M>): Effect.Effect<M> =>
  Effect.catchAll(
    Effect.tryPromise({ try: options.load, catch: (cause) => cause }),
    (cause) =>
      isMissingPeer(cause, options.peer)
        ? Effect.dieMessage(missingPeerMessage(options.peer, options.user))
        : Effect.die(cause)
  )
