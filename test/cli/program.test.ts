/**
 * The command line in this process (`runCli`, what the executable runs) against the embedded MockServer
 * on 127.0.0.1: every operation the mock answers through its command (a row each: covering another
 * operation is one more row), the exit code of every kind of failure, and what the flags do. The
 * executable itself is tested in bin.test.ts.
 */
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ExitCode } from "../../src/cli/errors.js"
import type { CommandSpec } from "../../src/cli/spec.js"
import { commands, groups } from "../../src/generated/cli.js"
import { type OperationId, operations } from "../../src/generated/operations.js"
import {
  defaultSeed,
  Fault,
  MockServer,
  type MockServerOptions,
  type MockServerShape,
  seedConversations
} from "../../src/testing/index.js"
import { linesOf, runInProcess, runInProcessAgainst, secretKey } from "./support.js"

const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"

const withServer = (options?: MockServerOptions) => Layer.merge(MockServer.layer(options), NodeContext.layer)

const commandOf = (id: OperationId): CommandSpec => commands[id]

/** What a person sees for an answer, by the command's view: its columns, its fields, or a confirmation. */
const expectView = (id: OperationId, stdout: string) => {
  const view = commandOf(id).view
  switch (view.kind) {
    case "list":
      expect(stdout).toMatch(/^┌/)
      for (const column of view.columns) expect(stdout).toContain(column)
      return
    case "object":
      expect(stdout).toMatch(/^\w[\w.]*\s{2,}\S/m)
      return
    case "none":
      expect(stdout).toBe(`Done: ${operations[id].summary.replace(/\.$/, "")}.\n`)
  }
}

interface AnsweredCase {
  readonly id: OperationId
  /** What follows the command's words: arguments the default seed accepts, flags. */
  readonly args: ReadonlyArray<string>
  readonly stdin?: string
  /** The request the server must have received. */
  readonly method: string
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
}

/** The operations MockServer answers today, each with arguments its default seed accepts. */
const answered: ReadonlyArray<AnsweredCase> = [
  {
    id: "getConversations",
    args: ["--medium", "sms", "--limit", "20", "--offset", "0", "--before", "2030-01-01T00:00:00Z"],
    method: "GET",
    path: "/rest/v2/conversation/conversations",
    query: { medium: "sms", _limit: "20", _offset: "0", before: "2030-01-01T00:00:00Z" }
  },
  {
    id: "getConversation",
    args: [seededSms, "--limit", "2"],
    method: "GET",
    path: `/rest/v2/conversation/conversations/${seededSms}`,
    query: { limit: "2" }
  },
  {
    id: "startConversation",
    args: ["--body", "-"],
    stdin: JSON.stringify({ add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:user-2002"] }),
    method: "PUT",
    path: "/rest/v2/conversation/conversations"
  },
  { id: "joinConversation", args: [waiting], method: "PUT", path: `/rest/v2/conversation/conversations/${waiting}/join` },
  { id: "leaveConversation", args: [seededSms], method: "DELETE", path: `/rest/v2/conversation/conversations/${seededSms}/leave` },
  { id: "getAgentWebsocketAuthorization", args: [], method: "PUT", path: "/rest/v2/conversation/agent/auth" },
  { id: "getConversationMultimediaUploadUrl", args: ["png"], method: "GET", path: "/rest/v2/conversation/upload_url/png" }
]

const requestsOf = (server: MockServerShape, id: OperationId) =>
  Effect.map(server.requests, (requests) => requests.filter((r) => r.operationId === id))

describe("every operation the mock answers, through its command", () => {
  for (const row of answered) {
    it.scopedLive(`${commandOf(row.id).path.join(" ")} (${row.id}): its view, the request, then --json`, () =>
      Effect.gen(function*() {
        const server = yield* MockServer
        const words = [...commandOf(row.id).path, ...row.args]
        const result = yield* runInProcessAgainst(server, words, { stdin: row.stdin })
        expect(result.stderr).toBe("")
        expect(result.code).toBe(ExitCode.ok)
        expectView(row.id, result.stdout)
        const [request] = yield* requestsOf(server, row.id)
        expect([request?.method, request?.path]).toEqual([row.method, row.path])
        expect(request?.query).toEqual(row.query ?? {})
        expect(request?.headers["x-ultracart-simple-key"]).toBe("<redacted>")
        if (row.stdin !== undefined) expect(JSON.parse(request?.body ?? "")).toEqual(JSON.parse(row.stdin))
        const json = yield* runInProcessAgainst(server, [...words, "--json"], { stdin: row.stdin })
        expect(json.code).toBe(ExitCode.ok)
        const answer: unknown = JSON.parse(json.stdout)
        expect(answer === null).toBe(commandOf(row.id).view.kind === "none")
      }).pipe(Effect.provide(withServer())))
  }
})

interface FailureCase {
  readonly name: string
  readonly fault?: Fault.Fault
  readonly args: ReadonlyArray<string>
  readonly code: number
  readonly stderr: RegExp
}

/** One row per kind of failure: its exit code and its one line. */
const failures: ReadonlyArray<FailureCase> = [
  { name: "400", fault: Fault.status(400), args: ["conversations", "list"], code: ExitCode.usage, stderr: /answered 400 / },
  { name: "403", fault: Fault.status(403), args: ["conversations", "list"], code: ExitCode.unauthorized, stderr: /answered 403 / },
  { name: "404", args: ["conversations", "get", "no-such-uuid"], code: ExitCode.notFound, stderr: /answered 404 .*no-such-uuid was not found/ },
  { name: "410", fault: Fault.status(410), args: ["conversations", "list"], code: ExitCode.unauthorized, stderr: /answered 410 / },
  {
    name: "429 past the longest wait",
    fault: Fault.rateLimited("3600"),
    args: ["conversations", "list"],
    code: ExitCode.rateLimited,
    stderr: /answered 429 .*\(retry after 1h\)/
  },
  { name: "501", fault: Fault.status(501), args: ["conversations", "list"], code: ExitCode.unavailable, stderr: /answered 501 / },
  {
    name: "a dropped connection (a start is not sent again)",
    fault: Fault.dropAfterProcessing,
    args: ["conversations", "start", "--body", "-"],
    code: ExitCode.unavailable,
    stderr: /startConversation: PUT \/conversation\/conversations failed \(/
  },
  { name: "an answer of the wrong shape", fault: Fault.wrongShape, args: ["conversations", "list"], code: ExitCode.decode, stderr: /could not be decoded/ },
  { name: "418", fault: Fault.status(418), args: ["conversations", "list"], code: ExitCode.unexpected, stderr: /answered 418 / }
]

describe("every kind of failure: one line on stderr and its exit code", () => {
  for (const row of failures) {
    it.scopedLive(`${row.name} → ${row.code}`, () =>
      Effect.gen(function*() {
        const server = yield* MockServer
        if (row.fault !== undefined) yield* server.injectFault(row.fault, { times: Infinity })
        const result = yield* runInProcessAgainst(server, row.args, { stdin: "{}" })
        expect(result.code).toBe(row.code)
        expect(result.stdout).toBe("")
        expect(linesOf(result.stderr)).toHaveLength(2)
        expect(result.stderr).toMatch(/^error: /)
        expect(result.stderr).toMatch(row.stderr)
      }).pipe(Effect.provide(withServer())))
  }
})

describe("arguments and flags", () => {
  it.scopedLive("--all --json writes one JSON array of every item, page by page", () =>
    Effect.gen(function*() {
      const result = yield* runInProcessAgainst(yield* MockServer, ["conversations", "list", "--all", "--json", "--limit", "40"])
      expect(result.code).toBe(ExitCode.ok)
      const items: ReadonlyArray<{ readonly conversation_uuid: string }> = JSON.parse(result.stdout)
      expect(new Set(items.map((i) => i.conversation_uuid)).size).toBe(90)
      expect(linesOf(result.stderr).at(-2)).toBe("fetched 90 conversations in 3 pages")
    }).pipe(Effect.provide(withServer({ seed: seedConversations(90) }))))

  it.scopedLive("--all of an empty list prints an empty table note, and an empty JSON array", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const table = yield* runInProcessAgainst(server, ["conversations", "list", "--all"])
      expect(table.stdout).toBe("No conversations.\n")
      const json = yield* runInProcessAgainst(server, ["conversations", "list", "--all", "--json"])
      expect(json.stdout).toBe("[]\n")
    }).pipe(Effect.provide(withServer({ seed: "empty" }))))

  it.scopedLive("--all starts from the first page: --offset is refused", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const result = yield* runInProcessAgainst(server, ["conversations", "list", "--all", "--offset", "5"])
      expect(result.code).toBe(ExitCode.usage)
      expect(result.stderr).toBe("error: --all fetches every page from the first: leave out --offset\n")
      expect(yield* server.requests).toEqual([])
    }).pipe(Effect.provide(withServer())))

  it.scopedLive("--body FILE: read from the file; field flags override its fields; bad JSON or no file is refused", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), "uc-cli-"))
      const file = path.join(directory, "join.json")
      fs.writeFileSync(file, JSON.stringify({ participant_language_iso_code: "es" }))
      const fromFile = yield* runInProcessAgainst(server, ["conversations", "join", waiting, "--body", file])
      const flagged = yield* runInProcessAgainst(server, ["conversations", "join", waiting, "--body", file, "--participant-language-iso-code", "fr"])
      expect([fromFile.code, flagged.code]).toEqual([ExitCode.ok, ExitCode.ok])
      const bodies = (yield* requestsOf(server, "joinConversation")).map((r) => JSON.parse(r.body ?? ""))
      expect(bodies).toEqual([{ participant_language_iso_code: "es" }, { participant_language_iso_code: "fr" }])
      fs.writeFileSync(file, "{ not json")
      const notJson = yield* runInProcessAgainst(server, ["conversations", "join", waiting, "--body", file])
      expect(notJson.code).toBe(ExitCode.usage)
      expect(notJson.stderr).toMatch(new RegExp(`^error: invalid --body: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not JSON \\(.+\\)\\n$`))
      const missing = yield* runInProcessAgainst(server, ["conversations", "join", waiting, "--body", path.join(directory, "none.json")])
      expect(missing.code).toBe(ExitCode.usage)
      expect(missing.stderr).toMatch(/^error: invalid --body: .*none\.json could not be read \(no such file\)\n$/)
      fs.rmSync(directory, { recursive: true })
      expect(yield* requestsOf(server, "joinConversation")).toHaveLength(2)
    }).pipe(Effect.provide(withServer())))

  it.scopedLive("a body of the wrong shape is refused by the client in one line, and nothing is sent", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const wrongType = yield* runInProcessAgainst(server, ["conversations", "join", waiting, "--body", "-"], {
        stdin: JSON.stringify({ participant_language_iso_code: 5 })
      })
      expect(wrongType.code).toBe(ExitCode.usage)
      expect(wrongType.stderr).toBe("error: joinConversation: invalid request: participant_language_iso_code: Expected string, actual 5\n")
      const notObject = yield* runInProcessAgainst(server, ["conversations", "start", "--body", "-"], { stdin: "[1]" })
      expect(notObject.stderr).toBe("error: startConversation: invalid request: must be an object, got an array\n")
      const noBody = yield* runInProcessAgainst(server, ["conversations", "start"])
      expect(noBody.stderr).toBe("error: startConversation: invalid request: is required\n")
      const dotDot = yield* runInProcessAgainst(server, ["conversations", "get", ".."])
      expect(dotDot.stderr).toBe("error: getConversation: invalid conversationUuid: \"..\" cannot be sent as a path segment\n")
      const extension = yield* runInProcessAgainst(server, ["conversations", "multimedia-upload-url", "x.y"])
      expect(extension.stderr).toBe("error: getConversationMultimediaUploadUrl: invalid extension: must be 1 to 10 letters or digits, e.g. png, jpeg, mp4\n")
      expect([wrongType, notObject, noBody, dotDot, extension].map((r) => r.code)).toEqual(Array(5).fill(ExitCode.usage))
      expect(yield* server.requests).toEqual([])
    }).pipe(Effect.provide(withServer())))

  it.live("usage errors from the parser: one line each, exit code 2", () =>
    Effect.gen(function*() {
      const runs = yield* Effect.forEach([
        ["conversations", "get"],
        ["conversations", "list", "--medium", "fax"],
        ["conversations", "list", "--nope"],
        ["agent", "status", "timeline", "agent-7"],
        ["no-such-group"]
      ], (args) => runInProcess(args))
      for (const run of runs) {
        expect(run.code).toBe(ExitCode.usage)
        expect(linesOf(run.stderr)).toHaveLength(2)
        expect(run.stderr).toMatch(/^error: .+ \(see --help\)\n$/)
      }
      expect(runs[0]?.stderr).toContain("Missing argument <conversation-uuid>")
      expect(runs[3]?.stderr).toContain("'--date'")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.live("where to connect: no credentials, a refused --base-url, --mock with --base-url", () =>
    Effect.gen(function*() {
      const none = yield* runInProcess(["conversations", "list"])
      expect(none.stderr).toBe("error: set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN (or try --mock, the embedded server)\n")
      const plain = yield* runInProcess(["conversations", "list", "--base-url", "http://example.com/rest/v2"], {
        env: { ULTRACART_API_KEY: secretKey }
      })
      expect(plain.stderr).toBe("error: invalid --base-url: base URL must use https unless its host is loopback, got http://example.com\n")
      const both = yield* runInProcess(["--mock", "conversations", "list", "--base-url", "http://127.0.0.1:1/rest/v2"])
      expect(both.stderr).toBe("error: --mock and --base-url cannot be used together\n")
      expect([none.code, plain.code, both.code]).toEqual([ExitCode.usage, ExitCode.usage, ExitCode.usage])
    }).pipe(Effect.provide(NodeContext.layer)))

  it.live("--mock before or after the command; ULTRACART_BASE_URL is read like layerConfig reads it", () =>
    Effect.gen(function*() {
      const before = yield* runInProcess(["--mock", "conversations", "list", "--json"])
      const after = yield* runInProcess(["conversations", "get", seededSms, "--mock", "--json"])
      expect([before.code, after.code]).toEqual([ExitCode.ok, ExitCode.ok])
      expect(JSON.parse(before.stdout).conversations).toHaveLength(defaultSeed.length)
      expect(JSON.parse(after.stdout).conversation.conversation_uuid).toBe(seededSms)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("ULTRACART_BASE_URL and ULTRACART_OAUTH_TOKEN from the environment", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const result = yield* runInProcess(["conversations", "list", "--json"], {
        env: { ULTRACART_BASE_URL: server.baseUrl, ULTRACART_OAUTH_TOKEN: "token-1" }
      })
      expect(result.code).toBe(ExitCode.ok)
      const [request] = yield* server.requests
      expect(request?.headers["authorization"]).toBe("<redacted>")
    }).pipe(Effect.provide(withServer({ credentials: { bearer: "token-1" } }))))
})

describe("help", () => {
  it.live.each(groups.map((g) => [g.path.join(" "), g] as const))("%s --help lists its commands", ([, group]) =>
    Effect.gen(function*() {
      const [asked, bare] = yield* Effect.all([runInProcess([...group.path, "--help"]), runInProcess([...group.path])])
      expect([asked.code, bare.code]).toEqual([ExitCode.ok, ExitCode.ok])
      expect(bare.stdout).toBe(asked.stdout)
      expect(asked.stdout).toContain(`$ ultracart-conversation [--mock] [--base-url URL] ${group.path.join(" ")} <command>`)
      const inside = Object.values(commands).filter((c) => group.path.every((w, i) => c.path[i] === w))
      for (const command of inside) expect(asked.stdout).toMatch(new RegExp(`^  ${command.path[group.path.length]}\\b`, "m"))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.live("--help anywhere after a command's words is that command's help", () =>
    Effect.gen(function*() {
      const [first, last] = yield* Effect.all([
        runInProcess(["--help", "pbx", "queues", "get"]),
        runInProcess(["pbx", "queues", "get", "q-1", "-h"])
      ])
      expect(first.stdout).toBe(last.stdout)
      expect(first.stdout).toContain("$ ultracart-conversation pbx queues get <conversation-pbx-queue-uuid> [flags]")
    }).pipe(Effect.provide(NodeContext.layer)))
})
