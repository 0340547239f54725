/**
 * The table of the seven Conversation operations: method, path template, path parameter, query names,
 * request and response schemas, and whether an operation is safe to send twice. The client, the mock
 * layer and the embedded server are all driven by it.
 */
import type { Schema } from "effect"
import * as Models from "../Models.js"

/** The shape every row of the table has. */
export interface OperationShape {
  readonly id: string
  readonly method: "GET" | "PUT" | "DELETE"
  /** The path below the base URL, with `{name}` for the path parameter. */
  readonly path: string
  readonly pathParam: "conversation_uuid" | "extension" | undefined
  readonly query: ReadonlyArray<string>
  /** The request body schema; `bodyRequired` says whether a body must be given. */
  readonly requestBody: Schema.Schema.AnyNoContext | undefined
  readonly bodyRequired: boolean
  /** The response body schema, or `undefined` for operations that answer with no body. */
  readonly response: Schema.Schema.AnyNoContext | undefined
  /** Whether sending the request twice cannot create anything twice. */
  readonly idempotent: boolean
}

/** The Conversation operations, keyed by UltraCart's operation id. */
export const operations = {
  getAgentWebsocketAuthorization: {
    id: "getAgentWebsocketAuthorization",
    method: "PUT",
    path: "/conversation/agent/auth",
    pathParam: undefined,
    query: [],
    requestBody: undefined,
    bodyRequired: false,
    response: Models.ConversationAgentAuthResponse,
    idempotent: true
  },
  getConversation: {
    id: "getConversation",
    method: "GET",
    path: "/conversation/conversations/{conversation_uuid}",
    pathParam: "conversation_uuid",
    query: ["limit"],
    requestBody: undefined,
    bodyRequired: false,
    response: Models.ConversationResponse,
    idempotent: true
  },
  getConversationMultimediaUploadUrl: {
    id: "getConversationMultimediaUploadUrl",
    method: "GET",
    path: "/conversation/upload_url/{extension}",
    pathParam: "extension",
    query: [],
    requestBody: undefined,
    bodyRequired: false,
    response: Models.ConversationMultimediaUploadUrlResponse,
    idempotent: true
  },
  getConversations: {
    id: "getConversations",
    method: "GET",
    path: "/conversation/conversations",
    pathParam: undefined,
    query: ["_limit", "_offset", "medium", "before"],
    requestBody: undefined,
    bodyRequired: false,
    response: Models.ConversationsResponse,
    idempotent: true
  },
  joinConversation: {
    id: "joinConversation",
    method: "PUT",
    path: "/conversation/conversations/{conversation_uuid}/join",
    pathParam: "conversation_uuid",
    query: [],
    requestBody: Models.ConversationJoinRequest,
    bodyRequired: false,
    response: undefined,
    idempotent: true
  },
  leaveConversation: {
    id: "leaveConversation",
    method: "DELETE",
    path: "/conversation/conversations/{conversation_uuid}/leave",
    pathParam: "conversation_uuid",
    query: [],
    requestBody: undefined,
    bodyRequired: false,
    response: undefined,
    idempotent: true
  },
  startConversation: {
    id: "startConversation",
    method: "PUT",
    path: "/conversation/conversations",
    pathParam: undefined,
    query: [],
    requestBody: Models.ConversationStartRequest,
    bodyRequired: true,
    response: Models.ConversationStartResponse,
    idempotent: false
  }
} as const satisfies Record<string, OperationShape>

/** The operation ids. */
export type OperationId = keyof typeof operations

/** One row of the table. */
export type Operation = (typeof operations)[OperationId]

/** What a successful call of an operation returns: its decoded body, or nothing. */
export type OperationSuccess<Op extends OperationShape> = Op["response"] extends Schema.Schema<infer A, infer _I, never>
  ? A
  : void

/** Every row of the table, in a stable order. */
export const operationList: ReadonlyArray<Operation> = Object.values(operations)

/** The path template's parameter written as `:name`, for a router. */
export const routerPath = (operation: OperationShape): string => operation.path.replace(/\{(\w+)\}/g, ":$1")
