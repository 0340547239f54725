/**
 * A real `redis-server` for the tests of the shared rate limit: started on 127.0.0.1 and a free port for
 * a scope, with no persistence, and stopped when the scope closes. Debian's `redis-server` package
 * provides the binary (`.ci/run` installs it when missing). A missing binary fails the test, saying so:
 * these tests are never skipped.
 */
import { Data, Duration, Effect, Option, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { accessSync, constants } from "node:fs"
import { createServer } from "node:net"
import { delimiter, join } from "node:path"

/** Why a Redis server could not be started. */
export class RedisUnavailable extends Data.TaggedError("RedisUnavailable")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/** A running server. */
export interface RedisServer {
  readonly port: number
  /** Stops it before the scope closes (to see what clients do without it). */
  readonly stop: Effect.Effect<void>
}

const isExecutable = (path: string): boolean =>
  Option.isSome(Option.liftThrowable(() => accessSync(path, constants.X_OK))())

/** The `redis-server` binary: `REDIS_SERVER`, else the first on `PATH` or in the usual Debian places. */
export const findRedisServer = (): Option.Option<string> => {
  const fromEnvironment = process.env["REDIS_SERVER"]
  const candidates = [
    ...(fromEnvironment === undefined ? [] : [fromEnvironment]),
    ...(process.env["PATH"] ?? "").split(delimiter).filter((dir) => dir.length > 0).map((dir) => join(dir, "redis-server")),
    "/usr/bin/redis-server",
    "/usr/sbin/redis-server",
    "/usr/local/bin/redis-server"
  ]
  return Option.fromNullable(candidates.find(isExecutable))
}

/** A port that was free a moment ago (redis-server cannot listen on port 0 and tell which port it got). */
const freePort: Effect.Effect<number, RedisUnavailable> = Effect.async((resume) => {
  const server = createServer()
  server.once("error", (error) => resume(Effect.fail(new RedisUnavailable({ reason: `no free port: ${error.message}` }))))
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(port > 0 ? Effect.succeed(port) : Effect.fail(new RedisUnavailable({ reason: "no free port" }))))
  })
})

/** Waits until the process says it accepts connections, or fails with its output when it exits first. */
const ready = (child: ChildProcess, port: number): Effect.Effect<void, RedisUnavailable> =>
  Effect.async<void, RedisUnavailable>((resume) => {
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("Ready to accept connections")) {
        cleanup()
        resume(Effect.void)
      }
    }
    const onExit = (code: number | null) => {
      cleanup()
      resume(Effect.fail(new RedisUnavailable({ reason: `redis-server exited (${code}) on port ${port}:\n${output.slice(-2000)}` })))
    }
    const cleanup = () => {
      child.stdout?.off("data", onData)
      child.off("exit", onExit)
    }
    child.stdout?.on("data", onData)
    child.once("exit", onExit)
    return Effect.sync(cleanup)
  }).pipe(
    Effect.timeoutFail({
      duration: Duration.seconds(20),
      onTimeout: () => new RedisUnavailable({ reason: `redis-server did not become ready on port ${port} within 20 s` })
    })
  )

const stop = (child: ChildProcess): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    const force = setTimeout(() => child.kill("SIGKILL"), 5000)
    child.once("exit", () => {
      clearTimeout(force)
      resume(Effect.void)
    })
    child.kill("SIGTERM")
  })

const startOnce = (binary: string): Effect.Effect<RedisServer, RedisUnavailable, Scope.Scope> =>
  Effect.gen(function*() {
    const port = yield* freePort
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(binary, [
          "--port", String(port),
          "--bind", "127.0.0.1",
          "--save", "",
          "--appendonly", "no",
          "--daemonize", "no",
          "--loglevel", "notice"
        ], { stdio: ["ignore", "pipe", "inherit"] })
      ),
      stop
    )
    yield* ready(child, port)
    return { port, stop: stop(child) }
  })

/**
 * A `redis-server` on 127.0.0.1 for the scope's lifetime; a port taken between choosing and binding it
 * is tried again (three times).
 */
export const startRedis: Effect.Effect<RedisServer, RedisUnavailable, Scope.Scope> = Effect.flatMap(
  Option.match(findRedisServer(), {
    onNone: () =>
      Effect.fail(
        new RedisUnavailable({
          reason: "redis-server not found (PATH, /usr/bin, /usr/sbin, /usr/local/bin or REDIS_SERVER): " +
            "install Debian's redis-server package (apt-get install -y redis-server); .ci/run does so when it is missing"
        })
      ),
    onSome: Effect.succeed
  }),
  (binary) => Effect.retry(startOnce(binary), { times: 2 })
)
