#!/usr/bin/env bash
# Consumer check: pack the package, install the tarball into a fresh project, import both entries from the
# built dist/ at run time, and type-check a consumer file against the shipped .d.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run build >/dev/null
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)

cd "$work"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "0.0.0", "private": true, "type": "module" }
JSON
# Peer versions as the package's own lock resolved them; --prefer-offline uses the npm cache `npm ci` filled.
versions=$(node -e '
  const lock = require(process.argv[1] + "/package-lock.json").packages
  const v = (n) => lock["node_modules/" + n].version
  console.log(["effect", "@effect/platform", "@effect/platform-node", "@effect/experimental", "ioredis", "typescript", "@types/node"].map((n) => n + "@" + v(n)).join(" "))
' "$root")
# shellcheck disable=SC2086
npm install --prefer-offline --no-audit --no-fund --loglevel=error "./$tarball" $versions >/dev/null

cat > consumer.ts <<'TS'
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationSummary,
  Credentials,
  RetryPolicy
} from "effect-ultracart-conversation"
import { layerMock, MockServer } from "effect-ultracart-conversation/testing"
import { RateLimitRedis } from "effect-ultracart-conversation/redis"

const live: Layer.Layer<ConversationService> = ConversationService.layer({
  credentials: Credentials.simpleKey("key"),
  retry: RetryPolicy.make({ maxRetries: 2 })
}).pipe(Layer.provide(FetchHttpClient.layer))

const firstPage: Effect.Effect<ReadonlyArray<ConversationSummary>, ConversationError, ConversationService> =
  Effect.flatMap(ConversationService, (service) => service.getConversations({ limit: 10 })).pipe(
    Effect.map((page) => page.conversations ?? [])
  )

// Metrics and a rate limit shared through Redis (the layer is only built, never run, here).
export const shared: Layer.Layer<ConversationService> = ConversationService.layer({
  credentials: Credentials.simpleKey("key"),
  metrics: true,
  rateLimit: { limit: 10, window: "1 second" }
}).pipe(Layer.provide(RateLimitRedis.layer({ host: "127.0.0.1", port: 6379 })), Layer.provide(FetchHttpClient.layer))

export const program = firstPage.pipe(Effect.provide(layerMock()))
export const server = MockServer
export const layer = live
TS
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
    "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": true, "types": ["node"],
    "lib": ["ES2023", "DOM"]
  },
  "files": ["consumer.ts"]
}
JSON
npx tsc -p tsconfig.json
node --input-type=module -e '
  const main = await import("effect-ultracart-conversation")
  const testing = await import("effect-ultracart-conversation/testing")
  for (const name of ["ConversationService", "Credentials", "RetryPolicy", "NotFoundError", "ConversationResponse", "Metrics", "RateLimit"]) {
    if (!(name in main)) throw new Error("main entry lacks " + name)
  }
  const redis = await import("effect-ultracart-conversation/redis")
  if (!("RateLimitRedis" in redis)) throw new Error("redis entry lacks RateLimitRedis")
  for (const name of ["layerMock", "MockServer"]) {
    if (!(name in testing)) throw new Error("testing entry lacks " + name)
  }
  const { Effect } = await import("effect")
  const page = await Effect.runPromise(
    Effect.flatMap(main.ConversationService, (s) => s.getConversations({ limit: 2 })).pipe(Effect.provide(testing.layerMock()))
  )
  console.log("consumer check: the entries import from dist; layerMock listed", page.conversations?.length ?? 0, "conversations")
'
