/**
 * The command line's table against the operation table: every one of the 145 operations has exactly one
 * command, no two commands (or a command and a group) share a name, every command's flags are its own,
 * `@effect/cli` parses each command with its arguments, and help finds each one.
 */
import { CliConfig, CommandDescriptor } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { commandTree } from "../../src/cli/commands.js"
import { helpTarget } from "../../src/cli/help.js"
import type { CommandSpec } from "../../src/cli/spec.js"
import { commands, globalFlags, groups } from "../../src/generated/cli.js"
import { type OperationId, operationList } from "../../src/generated/operations.js"
import type { OperationSpec } from "../../src/internal/operation.js"

const commandOf = (id: OperationId): CommandSpec => commands[id]
const pathText = (path: ReadonlyArray<string>) => path.join(" ")

describe("one command per operation", () => {
  it("every operation of the table has a command, and only they do", () => {
    expect(Object.keys(commands).sort()).toEqual(operationList.map((o) => o.id).sort())
    expect(operationList).toHaveLength(145)
  })

  it("no two commands share a name, and no command is named like a group", () => {
    const paths = operationList.map((o) => pathText(commandOf(o.id).path))
    expect(new Set(paths).size).toBe(paths.length)
    const groupPaths = new Set(groups.map((g) => pathText(g.path)))
    for (const path of paths) expect(groupPaths.has(path), path).toBe(false)
    for (const o of operationList) {
      const path = commandOf(o.id).path
      for (let i = 1; i < path.length; i++) expect(groupPaths.has(pathText(path.slice(0, i))), o.id).toBe(true)
    }
  })

  it("names are kebab-case words, groups one or two deep", () => {
    for (const o of operationList) {
      const command = commandOf(o.id)
      for (const word of [...command.path, ...command.args]) expect(word, o.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
      expect(command.path.length, o.id).toBeGreaterThanOrEqual(2)
      expect(command.path.length, o.id).toBeLessThanOrEqual(3)
      expect(command.args, o.id).toHaveLength(o.pathParams.length)
      expect(command.options.map((q) => q.key), o.id).toEqual(o.query.map((q) => q.option))
    }
  })

  it("the issue's examples", () => {
    const named = (id: OperationId) => pathText(commandOf(id).path)
    expect(named("getConversations")).toBe("conversations list")
    expect(named("searchConversationCannedMessages")).toBe("canned-messages search")
    expect(named("getPbxAgents")).toBe("pbx agents list")
    expect(named("getPbxQueues")).toBe("pbx queues list")
    expect(named("getConversationMessages")).toBe("conversations messages")
    expect(named("markReadConversation")).toBe("conversations mark-read")
    expect(commandOf("searchConversationCannedMessages").bodyFields.map((f) => f.flag)).toContain("short-code")
  })

  it("a command's flags are its own: none repeats, none is one of the command line's", () => {
    for (const o of operationList) {
      const command = commandOf(o.id)
      const flags = [...command.options.map((q) => q.flag), ...command.bodyFields.map((f) => f.flag)]
      expect(new Set(flags).size, o.id).toBe(flags.length)
      for (const flag of flags) expect(globalFlags, `${o.id} --${flag}`).not.toContain(flag)
    }
  })

  it("help finds every command, with or without arguments after its words", () => {
    for (const o of operationList) {
      const path = commandOf(o.id).path
      expect(helpTarget([...path, "--help"]), o.id).toEqual({ _tag: "Command", id: o.id })
      expect(helpTarget(["--mock", ...path, "x", "-h"]), o.id).toEqual({ _tag: "Command", id: o.id })
      expect(helpTarget([...path]), o.id).toEqual({ _tag: "Other" })
    }
    for (const g of groups) expect(helpTarget([...g.path])).toEqual({ _tag: "Group", path: g.path, all: false })
    expect(helpTarget(["--help", "--all"])).toEqual({ _tag: "Group", path: [], all: true })
    expect(helpTarget(["--version"])).toEqual({ _tag: "Other" })
  })
})

/** A value `@effect/cli` accepts for a parameter of this type. */
const sample = (type: string, values?: ReadonlyArray<string>): string =>
  values?.[0] ?? (type === "boolean" ? "true" : type === "string" ? "x" : "7")

describe("@effect/cli parses every command", () => {
  it.live("with its arguments and every query flag given", () =>
    Effect.gen(function*() {
      const tree = yield* commandTree
      const config = CliConfig.defaultConfig
      for (const row of operationList) {
        const o: OperationSpec = row
        const command = commandOf(row.id)
        const args = [
          "ultracart-conversation",
          ...command.path,
          ...o.pathParams.map((p) => sample(p.type)),
          ...o.query.flatMap((q, i) => [`--${command.options[i]?.flag ?? ""}`, sample(q.type, q.enum)]),
          ...command.bodyFields.slice(0, 2).flatMap((f) => [`--${f.flag}`, sample(f.type, f.values)])
        ]
        const directive = yield* Effect.either(CommandDescriptor.parse(tree.descriptor, args, config))
        expect(directive._tag, `${o.id}: ${args.join(" ")}`).toBe("Right")
        if (directive._tag === "Right") expect(directive.right._tag, o.id).toBe("UserDefined")
      }
    }).pipe(Effect.provide(NodeContext.layer)))
})
