#!/usr/bin/env bash
# Consumer check: what a new user meets. `npm pack` from a tree without dist/ (prepack builds it), then an
# ESM project and a CommonJS project (`"type": "commonjs"`, as `npm init -y` makes it) install the tarball
# with only the required peers (no @effect/platform-node): each imports "." and "./testing" at run time,
# runs a layerMock call, sees MockServer.layer fail naming the missing package, and type-checks a consumer
# file under node16, nodenext and bundler resolution (the CommonJS one under node10 too). Then both add
# @effect/platform-node and run a call against MockServer over a real socket, load the ./redis entry
# with its optional peer ioredis, and the installed
# `ultracart-conversation` executable lists conversations from its embedded mock server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "consumer check: $*"; }

# --- the tarball: built by prepack, with LICENSE and both module formats
rm -rf dist
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
listing=$(tar -tzf "$work/$tarball")
for file in LICENSE README.md package.json \
  dist/index.js dist/index.d.ts dist/testing/index.js dist/testing/index.d.ts dist/undici/index.js dist/redis/index.js \
  dist/cjs/package.json dist/cjs/index.js dist/cjs/index.d.ts dist/cjs/testing/index.js dist/cjs/testing/index.d.ts \
  dist/cjs/undici/index.js dist/cjs/redis/index.js dist/cli/main.js; do
  grep -qx "package/${file}" <<<"$listing" || { echo "the tarball lacks ${file}"; exit 1; }
done
tar -xzOf "$work/$tarball" package/LICENSE | grep -q "MIT License" || { echo "LICENSE is not MIT"; exit 1; }
[ "$(tar -xzOf "$work/$tarball" package/dist/cjs/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).type')" = commonjs ]
say "npm pack built dist/ (ESM and CommonJS) and ships LICENSE"

# Versions as the package's own lock resolved them; --prefer-offline uses the npm cache `npm ci` filled.
version() {
  node -e 'console.log(process.argv[2] + "@" + require(process.argv[1] + "/package-lock.json").packages["node_modules/" + process.argv[2]].version)' "$root" "$1"
}
required_peers="$(version effect) $(version @effect/platform) $(version @effect/experimental)"
tools="$(version typescript) $(version @types/node)"

install() { # project dir, packages...
  local dir=$1; shift
  (cd "$dir" && npm install --prefer-offline --no-audit --no-fund --loglevel=error "$@" >/dev/null)
}

# --- the consumer file both projects type-check: every public name a first test reaches for
consumer_ts='
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import {
  type ConversationError,
  ConversationService,
  type ConversationSummary,
  Credentials,
  RetryPolicy,
  type TransportFailure
} from "effect-ultracart-conversation"
import {
  Fault,
  layerMock,
  MockConversationStore,
  MockServer,
  type OperationId,
  type RecordedRequest,
  seedConversations
} from "effect-ultracart-conversation/testing"

const live: Layer.Layer<ConversationService> = ConversationService.layer({
  credentials: Credentials.simpleKey("key"),
  retry: RetryPolicy.make({ maxRetries: 2 })
}).pipe(Layer.provide(FetchHttpClient.layer))

const firstPage: Effect.Effect<ReadonlyArray<ConversationSummary>, ConversationError, ConversationService> =
  Effect.flatMap(ConversationService, (service) => service.getConversations({ limit: 10 })).pipe(
    Effect.map((page) => page.conversations ?? [])
  )

const seeded = Effect.flatMap(MockConversationStore, (store) => store.seed(seedConversations(3)))
export const program = Effect.zipRight(seeded, firstPage).pipe(Effect.provide(layerMock("empty")))

const operation: OperationId = "startConversation"
export const faulty = Effect.flatMap(MockServer, (server) =>
  Effect.zipRight(server.injectFault(Fault.status(503), { operation, times: 2 }), server.requests)
).pipe(Effect.map((requests: ReadonlyArray<RecordedRequest>) => requests.map((r) => r.operationId)))
export const reason: TransportFailure = "DnsLookupFailed"
export const layer = live
'

# skipLibCheck false (once per project) also checks the package's .d.ts files: an import there of a package
# that is not installed is an error only then.
typecheck() { # project dir, label, module, moduleResolution, skipLibCheck
  local dir=$1 label=$2 module=$3 resolution=$4 skip=${5:-true}
  cat >"$dir/tsconfig.$label.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "$module", "moduleResolution": "$resolution", "strict": true,
    "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": $skip, "types": ["node"],
    "lib": ["ES2023", "DOM"], "esModuleInterop": true
  },
  "files": ["consumer.ts"]
}
JSON
  (cd "$dir" && npx tsc -p "tsconfig.$label.json") || { echo "type-check failed: $(basename "$dir") under $label"; return 1; }
}

# A program that must not find @effect/platform-node, use layerMock, and see MockServer.layer name the peer.
without_peer='
  const assert = (ok, what) => { if (!ok) throw new Error("consumer check: " + what) }
  for (const name of ["ConversationService", "Credentials", "RetryPolicy", "NotFoundError", "ConversationResponse"]) {
    assert(name in main, "main entry lacks " + name)
  }
  for (const name of ["layerMock", "MockServer", "MockConversationStore", "Fault", "seedConversations"]) {
    assert(name in testing, "testing entry lacks " + name)
  }
  const page = await Effect.runPromise(
    Effect.flatMap(main.ConversationService, (s) => s.getConversations({ limit: 2 })).pipe(Effect.provide(testing.layerMock()))
  )
  assert(page.conversations?.length === 2, "layerMock listed " + page.conversations?.length)
  const exit = await Effect.runPromiseExit(Effect.scoped(Layer.build(testing.MockServer.layer())))
  assert(Exit.isFailure(exit), "MockServer.layer was built without @effect/platform-node")
  const text = Cause.pretty(exit.cause)
  assert(text.includes("MockServer needs the optional peer dependency @effect/platform-node"), "the failure does not name the peer: " + text)
  console.log("consumer check: " + FORMAT + ": layerMock listed 2 conversations; MockServer.layer says: " + text.split("\n")[0].slice(0, 110) + "…")
'

# A call against MockServer over a socket, once the peer is installed.
with_peer='
  const { FetchHttpClient } = PLATFORM
  const layer = testing.MockServer.layerClient().pipe(
    Layer.provideMerge(testing.MockServer.layer({ seed: "empty" })),
    Layer.provide(FetchHttpClient.layer)
  )
  const seen = await Effect.runPromise(Effect.gen(function*() {
    const service = yield* main.ConversationService
    const server = yield* testing.MockServer
    yield* server.store.seed(testing.seedConversations(3))
    const page = yield* service.getConversations({ limit: 10 })
    const requests = yield* server.requests
    return { count: page.conversations?.length, url: server.baseUrl, requests: requests.length }
  }).pipe(Effect.provide(layer)))
  if (seen.count !== 3 || seen.requests !== 1) throw new Error("consumer check: MockServer round trip: " + JSON.stringify(seen))
  console.log("consumer check: " + FORMAT + ": MockServer at " + seen.url + " listed " + seen.count + " conversations")
'

# --- the ESM project
esm="$work/esm"
mkdir -p "$esm"
cat >"$esm/package.json" <<'JSON'
{ "name": "consumer-esm", "version": "1.0.0", "private": true, "type": "module" }
JSON
# shellcheck disable=SC2086
install "$esm" "$work/$tarball" $required_peers $tools
[ ! -e "$esm/node_modules/@effect/platform-node" ] || { echo "@effect/platform-node was installed"; exit 1; }
printf '%s' "$consumer_ts" >"$esm/consumer.ts"
typecheck "$esm" nodenext NodeNext NodeNext false
typecheck "$esm" node16 Node16 Node16
typecheck "$esm" bundler ESNext Bundler
say "ESM project type-checks under nodenext, node16 and bundler without @effect/platform-node"
cat >"$esm/main.js" <<JS
import * as main from "effect-ultracart-conversation"
import * as testing from "effect-ultracart-conversation/testing"
import { Cause, Effect, Exit, Layer } from "effect"
const FORMAT = "ESM"
const resolved = import.meta.resolve("effect-ultracart-conversation")
if (resolved.includes("/cjs/")) throw new Error("ESM resolved the CommonJS build: " + resolved)
const peer = await import("@effect/platform-node").then(() => "present", () => "absent")
if (peer !== "absent") throw new Error("@effect/platform-node is installed")
${without_peer}
JS
(cd "$esm" && node main.js)

# --- the CommonJS project
cjs="$work/cjs"
mkdir -p "$cjs"
(cd "$cjs" && npm init -y >/dev/null)
node -e 'const f = process.argv[1] + "/package.json"; const p = require(f); if (p.type !== "commonjs") throw new Error("npm init -y made type " + p.type)' "$cjs"
# shellcheck disable=SC2086
install "$cjs" "$work/$tarball" $required_peers $tools
[ ! -e "$cjs/node_modules/@effect/platform-node" ] || { echo "@effect/platform-node was installed"; exit 1; }
printf '%s' "$consumer_ts" >"$cjs/consumer.ts"
typecheck "$cjs" nodenext NodeNext NodeNext
typecheck "$cjs" node16 Node16 Node16 false
typecheck "$cjs" bundler ESNext Bundler
typecheck "$cjs" node10 CommonJS Node10
say "CommonJS project type-checks under nodenext, node16, bundler and node10 without @effect/platform-node"
cat >"$cjs/main.js" <<JS
const main = require("effect-ultracart-conversation")
const testing = require("effect-ultracart-conversation/testing")
const { Cause, Effect, Exit, Layer } = require("effect")
const FORMAT = "CommonJS"
const resolved = require.resolve("effect-ultracart-conversation")
if (!resolved.includes("/dist/cjs/")) throw new Error("require resolved " + resolved)
let peer = "present"
try { require("@effect/platform-node") } catch { peer = "absent" }
if (peer !== "absent") throw new Error("@effect/platform-node is installed")
async function run() {
${without_peer}
}
run().catch((error) => { console.error(error); process.exit(1) })
JS
# Without require(esm) (Node 20.18 has it off): the CommonJS build must not need it.
(cd "$cjs" && node --no-experimental-require-module main.js)

# --- with the optional peer: MockServer over a real socket, from both builds
platform_node=$(version @effect/platform-node)
install "$esm" "$platform_node"
install "$cjs" "$platform_node"
cat >"$esm/server.js" <<JS
import * as main from "effect-ultracart-conversation"
import * as testing from "effect-ultracart-conversation/testing"
import * as PLATFORM from "@effect/platform"
import { Effect, Layer } from "effect"
const FORMAT = "ESM"
${with_peer}
JS
(cd "$esm" && node server.js)
cat >"$cjs/server.js" <<JS
const main = require("effect-ultracart-conversation")
const testing = require("effect-ultracart-conversation/testing")
const PLATFORM = require("@effect/platform")
const { Effect, Layer } = require("effect")
const FORMAT = "CommonJS"
async function run() {
${with_peer}
}
run().catch((error) => { console.error(error); process.exit(1) })
JS
(cd "$cjs" && node --no-experimental-require-module server.js)
typecheck "$esm" nodenext-with-peer NodeNext NodeNext

# --- the Redis store of the shared rate limit, with its optional peer ioredis (built, never connected)
install "$esm" "$(version ioredis)"
install "$cjs" "$(version ioredis)"
(cd "$esm" && node --input-type=module -e '
  const { RateLimitRedis } = await import("effect-ultracart-conversation/redis")
  if (typeof RateLimitRedis.layer !== "function") throw new Error("redis entry lacks RateLimitRedis.layer")
')
(cd "$cjs" && node --no-experimental-require-module -e '
  const { RateLimitRedis } = require("effect-ultracart-conversation/redis")
  if (typeof RateLimitRedis.layer !== "function") throw new Error("redis entry lacks RateLimitRedis.layer")
')
say "the ./redis entry loads from both builds with ioredis installed"

# --- the installed executable against its embedded mock server (built dist/, as npx runs it after npm i)
listed=$(cd "$esm" && npx --no-install ultracart-conversation --mock conversations list --json | node -e '
  let text = ""
  process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => console.log(JSON.parse(text).conversations.length))
')
[ "$listed" -gt 0 ] || { echo "the installed executable listed no conversations"; exit 1; }
say "the installed ultracart-conversation executable listed ${listed} conversations from --mock"
say "ok"
