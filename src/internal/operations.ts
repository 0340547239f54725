/**
 * The table of the seven Conversation operations: method, path template, path parameter, request and
 * response schemas, and whether an operation is safe to send twice. The client, the mock layer and the
 * embedded server are all driven by it.
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
  /** The request body schema, for the operations that take one. */
  readonly requestBody: Schema.Schema.AnyNoContext | undefined
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
    requestBody: undefined,
    response: Models.ConversationAgentAuthResponse,
    idempotent: true
  },
  getConversation: {
    id: "getConversation",
    method: "GET",
    path: "/conversation/conversations/{conversation_uuid}",
    pathParam: "conversation_uuid",
    requestBody: undefined,
    response: Models.ConversationResponse,
    idempotent: true
  },
  getConversationMultimediaUploadUrl: {
    id: "getConversationMultimediaUploadUrl",
    method: "GET",
    path: "/conversation/upload_url/{extension}",
    pathParam: "extension",
    requestBody: undefined,
    response: Models.ConversationMultimediaUploadUrlResponse,
    idempotent: true
  },
  getConversations: {
    id: "getConversations",
    method: "GET",
    path: "/conversation/conversations",
    pathParam: undefined,
    requestBody: undefined,
    response: Models.ConversationsResponse,
    idempotent: true
  },
  joinConversation: {
    id: "joinConversation",
    method: "PUT",
    path: "/conversation/conversations/{conversation_uuid}/join",
    pathParam: "conversation_uuid",
    requestBody: Models.ConversationJoinRequest,
    response: undefined,
    idempotent: true
  },
  leaveConversation: {
    id: "leaveConversation",
    method: "DELETE",
    path: "/conversation/conversations/{conversation_uuid}/leave",
    pathParam: "conversation_uuid",
    requestBody: undefined,
    response: undefined,
    idempotent: true
  },
  startConversation: {
    id: "startConversation",
    method: "PUT",
    path: "/conversation/conversations",
    pathParam: undefined,
    requestBody: Models.ConversationStartRequest,
    response: Models.ConversationStartResponse,
    idempotent: false
  }
} as const satisfies Record<string, OperationShape>

/** The operation ids. */
export type OperationId = keyof typeof operations

/** One row of the table. */
export type Operation = (typeof operations)[OperationId]

/** Every row of the table, in a stable order. */
export const operationList: ReadonlyArray<Operation> = Object.values(operations)

/** The path template's parameter written as `:name`, for a router. */
export const routerPath = (operation: OperationShape): string => operation.path.replace(/\{(\w+)\}/g, ":$1")
