/**
 * effect-ultracart-conversation/testing: an in-memory UltraCart (`layerMock`) and an embedded
 * UltraCart-compatible HTTP server with fault injection (`MockServer`), both over the same routes,
 * built from the same operation table as the client. `layerMock` needs no socket and no
 * `@effect/platform-node`; `MockServer` loads that optional peer when its layer is built.
 *
 * @since 0.1.0
 */
export {
  ConversationNotFound,
  defaultAgent,
  InvalidRequest,
  makeStore,
  type MockAgent,
  MockConversationStore,
  type MockConversationStoreShape,
  type MockListOptions,
  type MockSeed,
  type MockStoreOptions,
  type StartedConversation,
  toSummary
} from "./ConversationStore.js"
export type { OperationId } from "../generated/operations.js"
export { type Families, type Family, type FamilyRole, type IdKind, type Setting } from "./families.js"
export * as Fault from "./Fault.js"
export { inMemoryHttpClient, layerMock, type LayerMockOptions, mockBaseUrl } from "./layerMock.js"
export {
  type FaultRateOptions,
  type InjectFaultOptions,
  MockServer,
  type MockServerOptions,
  type MockServerShape,
  type RecordedRequest
} from "./MockServer.js"
export {
  type MockResourceSeed,
  type MockResourcesShape,
  type Resource,
  ResourceNotFound,
  type Scope,
  UnknownFamily
} from "./ResourceStore.js"
export { defaultResources, defaultScopes, defaultSingletons, mockAgentUserId, seedIds } from "./resourceSeed.js"
export { type Around, basePath, errorResponse, makeRouter, type MockCredentials, type RouteOptions } from "./routes.js"
export {
  agentArn,
  agentName,
  defaultSeed,
  demoMerchantId,
  seedConversations,
  type SeedConversationsOptions,
  seededUuid
} from "./seed.js"
