/**
 * The real `ultracart-conversation` executable (bin/, as npm links it) in child processes against the
 * embedded MockServer started here on 127.0.0.1: a list as a table and as `--json`, one object, `--all`
 * with its progress line, a body from stdin, `--help` at every level and for every operation, the
 * message and exit code of a 401 and of invalid arguments, and that no output holds the key. Every
 * run is also checked for the key and for colours (stdout and stderr are pipes). Each child costs
 * about 2 s of CPU here, so what a child process adds nothing to is tested in process
 * (program.test.ts).
 */
import { NodeContext } from "@effect/platform-node"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ExitCode } from "../../src/cli/errors.js"
import type { CommandSpec } from "../../src/cli/spec.js"
import { commands } from "../../src/generated/cli.js"
import { type Operation, type OperationId, operationList } from "../../src/generated/operations.js"
import { defaultSeed, MockServer, type MockServerOptions, seedConversations } from "../../src/testing/index.js"
import { type BinResult, hasAnsi, linesOf, runAgainst, runBin, secretKey } from "./support.js"

const waiting = defaultSeed[0]?.conversation_uuid ?? "missing"
const seededSms = defaultSeed[1]?.conversation_uuid ?? "missing"

/** A child process starts in 2 to 5 s on this 2-core machine when other work runs beside it. */
const timeout = 60_000

const withServer = (options?: MockServerOptions) => Layer.merge(MockServer.layer(options), NodeContext.layer)

const clean = (result: BinResult): BinResult => {
  expect(result.stdout).not.toContain(secretKey)
  expect(result.stderr).not.toContain(secretKey)
  expect(hasAnsi(result.stdout) || hasAnsi(result.stderr)).toBe(false)
  return result
}

const commandOf = (id: OperationId): CommandSpec => commands[id]

const uuidRows = (stdout: string) => linesOf(stdout).filter((line) => /^│ [0-9a-f]{8}-/.test(line))

describe.concurrent("ultracart-conversation against MockServer", () => {
  it.scopedLive("a list is a table: the columns of its model, one row per item, newest first", () =>
    Effect.gen(function*() {
      const result = clean(yield* runAgainst(yield* MockServer, ["conversations", "list"]))
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stderr).toBe("")
      const lines = linesOf(result.stdout)
      expect(lines[0]).toMatch(/^┌─+┬/)
      expect(lines[1]).toMatch(
        /^│ conversation_uuid +│ medium +│ last_conversation_participant_name +│ last_conversation_message_body +│ last_message_dts +│ closed +│$/
      )
      const rows = uuidRows(result.stdout)
      expect(rows.map((line) => line.split("│")[1]?.trim())).toEqual(defaultSeed.map((c) => c.conversation_uuid))
      expect(rows[1]).toMatch(/│ sms +│ \+15555550123 +│ Great, thanks! +│ 2025-03-14T14:05:30.000Z │ no +│$/)
    }).pipe(Effect.provide(withServer())), timeout)

  it.scopedLive("--json prints the decoded answer, filtered by a query option", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const result = clean(yield* runAgainst(server, ["conversations", "list", "--json", "--medium", "sms", "--limit", "20"]))
      expect(result.code).toBe(ExitCode.ok)
      const answer = JSON.parse(result.stdout)
      expect(answer.success).toBe(true)
      expect(answer.conversations.map((c: { medium: string }) => c.medium)).toEqual(["sms", "sms"])
      expect(answer.conversations[0].conversation_uuid).toBe(seededSms)
      expect((yield* server.requests).map((r) => r.query)).toEqual([{ medium: "sms", _limit: "20" }])
    }).pipe(Effect.provide(withServer())), timeout)

  it.scopedLive("one object is a view of its fields, its lists of objects as tables", () =>
    Effect.gen(function*() {
      const result = clean(yield* runAgainst(yield* MockServer, ["conversations", "get", seededSms]))
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stdout).toMatch(new RegExp(`^conversation_uuid +${seededSms}$`, "m"))
      expect(result.stdout).toMatch(/^medium +sms$/m)
      expect(result.stdout).toMatch(/^sentiment\.sentiment +POSITIVE$/m)
      expect(result.stdout).toContain("messages (5)")
      expect(result.stdout).toMatch(/│ message_dts +│ author_conversation_participant_name +│ type +│ body +│/)
      expect(result.stdout).toMatch(/│ 2025-03-14T14:02:11.000Z │ \+15555550123 +│ message +│ Hi, where is my order DEMO-0001234\? +│/)
      expect(result.stdout).toContain("participants (2)")
    }).pipe(Effect.provide(withServer())), timeout)

  it.scopedLive("--all fetches every page with a progress line per page on stderr", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const result = clean(yield* runAgainst(server, ["conversations", "list", "--all", "--limit", "100"]))
      expect(result.code).toBe(ExitCode.ok)
      expect(linesOf(result.stderr)).toEqual([
        "page 1: 100 conversations so far (+100)",
        "page 2: 200 conversations so far (+100)",
        "page 3: 250 conversations so far (+50)",
        "fetched 250 conversations in 3 pages",
        ""
      ])
      expect(uuidRows(result.stdout)).toHaveLength(250)
      expect((yield* server.requests).map((r) => [r.query["_offset"], r.query["_limit"]])).toEqual([
        ["0", "100"],
        ["100", "100"],
        ["200", "100"]
      ])
    }).pipe(Effect.provide(withServer({ seed: seedConversations(250) }))), timeout)

  it.scopedLive("a body from stdin is sent as it was given", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const body = { add_conversation_participant_arns: ["arn:ultracart:conversation-participant:DEMO:user-2002"] }
      const result = clean(yield* runAgainst(server, ["conversations", "start", "--body", "-"], { stdin: JSON.stringify(body) }))
      expect(result.code).toBe(ExitCode.ok)
      const [start] = yield* server.requests
      expect([start?.method, start?.path]).toEqual(["PUT", "/rest/v2/conversation/conversations"])
      expect(JSON.parse(start?.body ?? "")).toEqual(body)
      const [started] = yield* server.store.started
      expect(result.stdout).toMatch(new RegExp(`^conversation_uuid +${started?.conversation_uuid}$`, "m"))
      expect(result.stdout).toContain("Conversation started")
    }).pipe(Effect.provide(withServer())), timeout)

  it.scopedLive("a refused key (401): one line on stderr, exit code 3", () =>
    Effect.gen(function*() {
      const result = clean(yield* runAgainst(yield* MockServer, ["conversations", "list"]))
      expect(result.code).toBe(ExitCode.unauthorized)
      expect(result.stdout).toBe("")
      expect(result.stderr).toBe(
        "error: getConversations: UltraCart answered 401 to GET /conversation/conversations: Invalid credentials supplied [error code 401] (check ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN)\n"
      )
    }).pipe(Effect.provide(withServer({ credentials: { simpleKey: "another-key" } }))), timeout)

  it.scopedLive("an invalid argument: one line saying which and why, exit code 2, nothing sent", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const [limit, notInteger] = yield* Effect.all([
        runAgainst(server, ["conversations", "list", "--limit", "500"]),
        runAgainst(server, ["conversations", "list", "--limit", "ten"])
      ], { concurrency: 2 })
      expect(clean(limit).code).toBe(ExitCode.usage)
      expect(limit.stdout).toBe("")
      expect(limit.stderr).toBe("error: getConversations: invalid limit: must be a whole number from 1 to 200, got 500\n")
      expect(clean(notInteger).code).toBe(ExitCode.usage)
      expect(notInteger.stderr).toBe("error: 'ten' is not a integer (see --help)\n")
      expect(yield* server.requests).toEqual([])
    }).pipe(Effect.provide(withServer())), timeout)

  it.scopedLive("no output holds the key or the token, on success or failure", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const token = `${secretKey}-bearer`
      const runs = yield* Effect.all([
        runAgainst(server, ["conversations", "get", seededSms, "--json"], { env: { ULTRACART_API_KEY: "", ULTRACART_OAUTH_TOKEN: token } }),
        runAgainst(server, ["agent", "websocket-authorization"], { env: { ULTRACART_API_KEY: `${secretKey}-wrong` } }),
        runAgainst(server, ["conversations", "join", waiting], { env: { ULTRACART_OAUTH_TOKEN: token } })
      ], { concurrency: 2 })
      expect(runs.map((r) => r.code)).toEqual([ExitCode.ok, ExitCode.unauthorized, ExitCode.usage])
      expect(runs[2]?.stderr).toBe(
        "error: set only one of ULTRACART_API_KEY and ULTRACART_OAUTH_TOKEN, not both (or try --mock, the embedded server)\n"
      )
      for (const run of runs) {
        expect(run.stdout).not.toContain(secretKey)
        expect(run.stderr).not.toContain(secretKey)
      }
    }).pipe(Effect.provide(withServer({ credentials: { simpleKey: secretKey, bearer: `${secretKey}-bearer` } }))), timeout)
})

describe.concurrent("ultracart-conversation on its own", () => {
  it.live("--mock runs against the embedded server with its default seed and no credentials", () =>
    Effect.gen(function*() {
      const result = clean(yield* runBin(["--mock", "conversations", "list", "--json"]))
      expect(result.code).toBe(ExitCode.ok)
      expect(JSON.parse(result.stdout).conversations).toHaveLength(defaultSeed.length)
    }).pipe(Effect.provide(NodeContext.layer)), timeout)

  it.live("--help lists the groups, the flags, the environment and the exit codes", () =>
    Effect.gen(function*() {
      const result = clean(yield* runBin(["--help"]))
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stdout).toMatch(/^ultracart-conversation \d+\.\d+\.\d+ -- /)
      for (const group of new Set(operationList.map((o) => commandOf(o.id).path[0]))) {
        expect(result.stdout).toMatch(new RegExp(`^  ${group} …`, "m"))
      }
      for (const flag of ["--mock", "--base-url URL", "--json", "--all", "--body FILE|-", "--completions SHELL"]) {
        expect(result.stdout).toContain(`  ${flag} `)
      }
      for (const code of Object.values(ExitCode)) expect(result.stdout).toMatch(new RegExp(`^  ${code} +\\S`, "m"))
    }).pipe(Effect.provide(NodeContext.layer)), timeout)

  it.live("a command's --help: usage with its arguments, description, flags with their types", () =>
    Effect.gen(function*() {
      const result = clean(yield* runBin(["conversations", "list", "--help"]))
      expect(result.code).toBe(ExitCode.ok)
      expect(result.stdout).toContain("$ ultracart-conversation conversations list [flags]")
      expect(result.stdout).toContain("UltraCart: GET /conversation/conversations (getConversations)")
      expect(result.stdout).toMatch(/^  --medium sms\|websocket +/m)
      expect(result.stdout).toMatch(/^  --limit N +The maximum number of records .* A whole number from 1 to 200\. Sent as `_limit`\.$/m)
      expect(result.stdout).toMatch(/^  --all +Fetch every page/m)
    }).pipe(Effect.provide(NodeContext.layer)), timeout)
})

/** The help of every command, from one run of `--help --all` (the manual), split at its rules. */
describe("every operation's command has its --help: usage, request, arguments and flags", () => {
  let sections: ReadonlyMap<string, string> = new Map()
  beforeAll(async () => {
    const manual = clean(await Effect.runPromise(runBin(["--help", "--all"]).pipe(Effect.provide(NodeContext.layer))))
    expect(manual.code).toBe(ExitCode.ok)
    sections = new Map(manual.stdout.split(/^─{72}$/m).slice(1).map((section) =>
      [/^ultracart-conversation (.*?) -- /m.exec(section)?.[1] ?? "", section] as const
    ))
  }, timeout)

  it("one section per operation", () => {
    expect(sections.size).toBe(operationList.length)
  })

  it.each(operationList.map((o) => [o.id, o] as const))("%s", (_, operation: Operation) => {
    const command = commandOf(operation.id)
    const section = sections.get(command.path.join(" ")) ?? ""
    const usage = ["$ ultracart-conversation", ...command.path, ...command.args.map((a) => `<${a}>`), "[flags]"].join(" ")
    expect(section).toContain(usage)
    expect(section).toContain(`UltraCart: ${operation.method} ${operation.path} (${operation.id})`)
    for (const flag of [...command.options.map((o) => o.flag), ...command.bodyFields.map((f) => f.flag)]) {
      expect(section, `--${flag}`).toMatch(new RegExp(`^  --${flag} `, "m"))
    }
    expect(section.includes("  --body FILE|-")).toBe(command.bodyModel !== undefined)
    expect(/^ {2}--all /m.test(section)).toBe(operation.paging !== undefined)
  })
})
