/**
 * The in-memory store of the resource families (canned messages, departments, engagements, PBX queues,
 * …) and of the other state the mock keeps beside conversations: the agent's settings, webchat queue
 * statuses and agent status history. Generic over the families derived from the operation table; its
 * state lives in a `Ref` each store makes for itself.
 *
 * @since 0.2.0
 */
import { Data, Effect, Ref } from "effect"
import type { Family } from "./families.js"
import {
  defaultResources,
  defaultScopes,
  defaultSingletons,
  type Resource,
  seedAgentStatusEvents,
  seedCalls,
  seedQueueStatuses
} from "./resourceSeed.js"

export type { Resource } from "./resourceSeed.js"

/** The values of a family's scope parameters, e.g. `{ user_id: "1001" }` for an agent's MCP servers. */
export type Scope = Readonly<Record<string, string>>

/** No item with this id in the family (the server answers 404). */
export class ResourceNotFound extends Data.TaggedError("ResourceNotFound")<{
  readonly family: string
  readonly id: string
}> {
  override get message(): string {
    return `no ${this.family} item ${this.id}`
  }
}

/** No family by this name (see `families` for the names). */
export class UnknownFamily extends Data.TaggedError("UnknownFamily")<{ readonly family: string }> {
  override get message(): string {
    return `no resource family ${this.family}`
  }
}

/** What the resources start with. */
export type MockResourceSeed = "default" | "empty"

/** The resource families and the other state of the mock, to seed and inspect from a test. */
export interface MockResourcesShape {
  /** The families, derived from the operation table (name, id field, operations). */
  readonly families: ReadonlyArray<Family>
  /** The items of a family, in insertion order (within a scope for scoped families). */
  readonly list: (family: string, scope?: Scope) => Effect.Effect<ReadonlyArray<Resource>, UnknownFamily>
  /** One item by its id. */
  readonly get: (family: string, id: string | number, scope?: Scope) => Effect.Effect<Resource, ResourceNotFound | UnknownFamily>
  /** Adds an item; the store assigns its id (a whole number for `…_oid`, a uuid for `…_uuid`). */
  readonly insert: (family: string, fields: Resource, scope?: Scope) => Effect.Effect<Resource, UnknownFamily>
  /** Merges `fields` into an item (its id stays). */
  readonly update: (
    family: string,
    id: string | number,
    fields: Resource,
    scope?: Scope
  ) => Effect.Effect<Resource, ResourceNotFound | UnknownFamily>
  /** Removes an item and returns it. */
  readonly remove: (family: string, id: string | number, scope?: Scope) => Effect.Effect<Resource, ResourceNotFound | UnknownFamily>
  /** Adds items as given (an item without an id gets one); an item with the id of another replaces it. */
  readonly seed: (family: string, items: ReadonlyArray<Resource>, scope?: Scope) => Effect.Effect<void, UnknownFamily>
  /** A single-object setting by its path below `/conversation/` (`agent/profile`, `virtualagent/budget`, …). */
  readonly settings: (name: string) => Effect.Effect<Resource>
  /** Merges `fields` into a setting and returns it. */
  readonly updateSettings: (name: string, fields: Resource) => Effect.Effect<Resource>
  /** The agent status history, newest first. */
  readonly agentStatusEvents: Effect.Effect<ReadonlyArray<Resource>>
  /** Replaces the agent status history. */
  readonly seedAgentStatusEvents: (events: ReadonlyArray<Resource>) => Effect.Effect<void>
  /** The webchat queues and the agents in them. */
  readonly queueStatuses: Effect.Effect<ReadonlyArray<Resource>>
  /** Sets the mock agent's status fields in one webchat queue. */
  readonly updateQueueAgent: (
    queueName: string,
    agentUserId: string,
    fields: Resource
  ) => Effect.Effect<void, ResourceNotFound>
  /** Back to the seed the store was built with. */
  readonly reset: Effect.Effect<void>
}

interface State {
  /** Items by `family|scope`, then by id (insertion order kept). */
  readonly collections: ReadonlyMap<string, ReadonlyMap<string, Resource>>
  readonly lastOid: number
  readonly settings: ReadonlyMap<string, Resource>
  readonly statusEvents: ReadonlyArray<Resource>
  readonly queueStatuses: ReadonlyArray<Resource>
}

const scopeKey = (family: Family, scope: Scope | undefined): string =>
  `${family.name}|${family.scope.map((name) => `${name}=${scope?.[name] ?? ""}`).join("&")}`

const idOf = (family: Family, item: Resource): string | undefined => {
  const id = item[family.idField]
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined
}

const hex = (text: string): string => text.replace(/-/g, "")

/** Builds a store over `families`, seeded with the default resources unless told `"empty"`. */
export const makeResourceStore = (
  families: ReadonlyArray<Family>,
  seed: MockResourceSeed = "default"
): Effect.Effect<MockResourcesShape> =>
  Effect.gen(function*() {
    const byName = new Map(families.map((family) => [family.name, family]))
    const familyOf = (name: string) => {
      const family = byName.get(name)
      return family === undefined ? Effect.fail(new UnknownFamily({ family: name })) : Effect.succeed(family)
    }

    const withItems = (
      state: State,
      family: Family,
      scope: Scope | undefined,
      f: (items: ReadonlyMap<string, Resource>) => ReadonlyMap<string, Resource>
    ): State => {
      const key = scopeKey(family, scope)
      const collections = new Map(state.collections)
      collections.set(key, f(state.collections.get(key) ?? new Map()))
      return { ...state, collections }
    }

    /** Gives an item without an id a fresh one of the family's kind. */
    const withId = (state: State, family: Family, item: Resource): readonly [Resource, State] => {
      if (idOf(family, item) !== undefined) {
        const given = item[family.idField]
        return [item, typeof given === "number" ? { ...state, lastOid: Math.max(state.lastOid, given) } : state]
      }
      switch (family.idKind) {
        case "integer": {
          const oid = state.lastOid + 1
          return [{ ...item, [family.idField]: oid }, { ...state, lastOid: oid }]
        }
        case "uuid":
          return [{ ...item, [family.idField]: crypto.randomUUID() }, state]
        case "string":
          return [{ ...item, [family.idField]: `RE${hex(crypto.randomUUID())}` }, state]
      }
    }

    const add = (state: State, family: Family, items: ReadonlyArray<Resource>, scope: Scope | undefined) => {
      let next = state
      const added: Array<Resource> = []
      for (const item of items) {
        const [complete, withOid] = withId(next, family, item)
        added.push(complete)
        next = withItems(withOid, family, scope, (current) => new Map(current).set(idOf(family, complete) ?? "", complete))
      }
      return [added, next] as const
    }

    const seeded = (): State => {
      let state: State = {
        collections: new Map(),
        lastOid: 0,
        settings: new Map(Object.entries(defaultSingletons)),
        statusEvents: seed === "default" ? seedAgentStatusEvents(250) : [],
        queueStatuses: seedQueueStatuses
      }
      if (seed === "empty") return state
      for (const family of families) {
        const items = family.name === "pbx/call" ? seedCalls(120) : defaultResources[family.name] ?? []
        state = add(state, family, items, defaultScopes[family.name])[1]
      }
      return state
    }

    const initial = seeded()
    const state = yield* Ref.make(initial)

    const find = (current: State, family: Family, id: string | number, scope: Scope | undefined) => {
      const item = current.collections.get(scopeKey(family, scope))?.get(String(id))
      return item === undefined ? Effect.fail(new ResourceNotFound({ family: family.name, id: String(id) })) : Effect.succeed(item)
    }

    /** Applies `f` to one item atomically; fails when there is none. */
    const modify = (
      family: Family,
      id: string | number,
      scope: Scope | undefined,
      f: (item: Resource) => Resource | undefined
    ) =>
      Effect.flatten(Ref.modify(state, (current): [Effect.Effect<Resource, ResourceNotFound>, State] => {
        const item = current.collections.get(scopeKey(family, scope))?.get(String(id))
        if (item === undefined) return [Effect.fail(new ResourceNotFound({ family: family.name, id: String(id) })), current]
        const next = f(item)
        const updated = withItems(current, family, scope, (items) => {
          const copy = new Map(items)
          if (next === undefined) copy.delete(String(id))
          else copy.set(String(id), next)
          return copy
        })
        return [Effect.succeed(next ?? item), updated]
      }))

    return {
      families,
      list: (name, scope) =>
        Effect.flatMap(familyOf(name), (family) =>
          Effect.map(Ref.get(state), (current) => [...(current.collections.get(scopeKey(family, scope))?.values() ?? [])])),
      get: (name, id, scope) =>
        Effect.flatMap(familyOf(name), (family) => Effect.flatMap(Ref.get(state), (current) => find(current, family, id, scope))),
      insert: (name, fields, scope) =>
        Effect.flatMap(familyOf(name), (family) =>
          Ref.modify(state, (current) => {
            const { [family.idField]: _ignored, ...rest } = fields
            const [[added], next] = add(current, family, [rest], scope)
            return [added ?? rest, next]
          })),
      update: (name, id, fields, scope) =>
        Effect.flatMap(familyOf(name), (family) =>
          modify(family, id, scope, (item) => ({ ...item, ...fields, [family.idField]: item[family.idField] }))),
      remove: (name, id, scope) => Effect.flatMap(familyOf(name), (family) => modify(family, id, scope, () => undefined)),
      seed: (name, items, scope) =>
        Effect.flatMap(familyOf(name), (family) => Ref.update(state, (current) => add(current, family, items, scope)[1])),
      settings: (name) => Effect.map(Ref.get(state), (current) => current.settings.get(name) ?? {}),
      updateSettings: (name, fields) =>
        Ref.modify(state, (current) => {
          const merged = { ...current.settings.get(name), ...fields }
          return [merged, { ...current, settings: new Map(current.settings).set(name, merged) }]
        }),
      agentStatusEvents: Effect.map(Ref.get(state), (current) => current.statusEvents),
      seedAgentStatusEvents: (events) => Ref.update(state, (current) => ({ ...current, statusEvents: events })),
      queueStatuses: Effect.map(Ref.get(state), (current) => current.queueStatuses),
      updateQueueAgent: (queueName, agentUserId, fields) =>
        Effect.flatten(Ref.modify(state, (current): [Effect.Effect<void, ResourceNotFound>, State] => {
          const index = current.queueStatuses.findIndex((queue) => queue["queue_name"] === queueName)
          const queue = current.queueStatuses[index]
          if (queue === undefined) return [Effect.fail(new ResourceNotFound({ family: "webchat queue", id: queueName })), current]
          const agents: ReadonlyArray<unknown> = Array.isArray(queue["agents"]) ? queue["agents"] : []
          const isAgent = (agent: unknown) =>
            typeof agent === "object" && agent !== null && "agent_user_id" in agent && agent.agent_user_id === agentUserId
          const updatedAgents = agents.some(isAgent)
            ? agents.map((agent) => (isAgent(agent) && typeof agent === "object" ? { ...agent, ...fields } : agent))
            : [...agents, { agent_user_id: agentUserId, ...fields }]
          const queueStatuses = current.queueStatuses.map((q, i) => (i === index ? { ...queue, agents: updatedAgents } : q))
          return [Effect.void, { ...current, queueStatuses }]
        })),
      reset: Ref.set(state, initial)
    }
  })
