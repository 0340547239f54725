/**
 * Admin: departments and the engagements that route visitors to them. Create a department, an
 * engagement for it, rename the department, list both, and remove what was created. Against UltraCart
 * this runs only with ULTRACART_EXAMPLES_ALLOW_WRITES=1 (otherwise it only lists).
 *
 * Run: npx tsx examples/departments-and-engagements.ts
 */
import { Console, Effect } from "effect"
import { ConversationService } from "../src/index.js" // in your code: "effect-ultracart-conversation"
import { ensure, mayWrite, runExample } from "./support/environment.js"

const program = Effect.gen(function*() {
  const uc = yield* ConversationService
  const show = Effect.gen(function*() {
    const departments = (yield* uc.getConversationDepartments()).conversation_departments ?? []
    const engagements = (yield* uc.getConversationEngagements()).conversation_engagements ?? []
    yield* Console.log(`   departments: ${departments.map((d) => `${d.department_name ?? "?"} (#${d.conversation_department_oid ?? "?"})`).join(", ")}`)
    yield* Console.log(`   engagements: ${engagements.map((e) => `${e.engagement_name ?? "?"}${e.active === true ? "" : " (off)"}`).join(", ")}`)
    return { departments, engagements }
  })

  yield* Console.log("1. today:")
  yield* show
  if (!(yield* mayWrite("creating, renaming and deleting a department and an engagement"))) return

  // 2. a department, and an engagement that routes to it
  const department = (yield* uc.insertConversationDepartment({ department_name: "Returns" })).conversation_department
  const oid = department?.conversation_department_oid
  if (oid === undefined) return yield* Console.log("2. UltraCart gave the department no oid")
  const engagement = (yield* uc.insertConversationEngagement({
    engagement_name: "Returns page helper",
    active: true,
    customer_greeting: "Returning something? We can help.",
    department_oids: [oid],
    time_on_page: 30,
    visitor_type: "all"
  })).conversation_engagement
  yield* Console.log(`2. created department #${oid} and engagement #${engagement?.conversation_engagement_oid ?? "?"}`)

  // 3. rename the department
  yield* uc.updateConversationDepartment(oid, { ...department, department_name: "Returns & exchanges" })
  const { departments } = yield* show
  yield* ensure(departments.some((d) => d.department_name === "Returns & exchanges"), "the rename should show in the list")

  // 4. remove what was created
  if (engagement?.conversation_engagement_oid !== undefined) yield* uc.deleteEngagement(engagement.conversation_engagement_oid)
  yield* uc.deleteDepartment(oid)
  const gone = yield* Effect.flip(uc.getConversationEngagement(engagement?.conversation_engagement_oid ?? 0))
  yield* Console.log(`4. deleted both; fetching the engagement again: ${gone._tag}`)
  yield* ensure(gone._tag === "NotFoundError", "a deleted engagement should be NotFoundError")
})

runExample(program)
