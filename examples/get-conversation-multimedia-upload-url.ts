/**
 * getConversationMultimediaUploadUrl: a presigned URL to upload an attachment (here a .png) to, and the
 * key to refer to it by. The URL's query is its signature: it is not printed.
 *
 * Run: npx tsx examples/get-conversation-multimedia-upload-url.ts
 * (against the embedded MockServer; set ULTRACART_API_KEY or ULTRACART_OAUTH_TOKEN for UltraCart)
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const conversations = yield* ConversationService
  const { conversation_multimedia_upload_url: upload } = yield* conversations.getConversationMultimediaUploadUrl("png")
  const url = new URL(upload?.url ?? "https://invalid.example/")
  yield* Console.log(`key:        ${upload?.key ?? "?"}`)
  yield* Console.log(`upload to:  ${url.origin}${url.pathname} (PUT the file there; signature not shown)`)

  // An extension must be 1 to 10 letters or digits: anything else is refused before a request is sent.
  const refused = yield* Effect.flip(conversations.getConversationMultimediaUploadUrl("tar.gz"))
  yield* Console.log(`"tar.gz":   ${refused._tag}: ${refused.message}`)

  yield* ensure((upload?.key ?? "").endsWith(".png"), "expected a .png key")
  yield* ensure(refused._tag === "InvalidInputError", "expected an InvalidInputError for tar.gz")
})

runExample(program)
