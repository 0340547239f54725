/**
 * The resource families and settings of the operation table, derived once when the testing entry is
 * loaded (they depend only on the generated table): every store and router shares them.
 *
 * @since 0.2.0
 */
import { operationList } from "../generated/operations.js"
import { deriveFamilies, deriveSettings, type Families, type Setting } from "./families.js"
import type { OperationId } from "../generated/operations.js"
import { ownBehaviour } from "./ownBehaviour.js"

/** The families of the table, outside the operations with a behaviour of their own. */
export const tableFamilies: Families = deriveFamilies(operationList, ownBehaviour)

/** The settings of the table (single objects with a get and an update). */
export const tableSettings: ReadonlyMap<OperationId, Setting> = deriveSettings(operationList, ownBehaviour, tableFamilies.list)
