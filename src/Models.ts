/**
 * Schemas for every model of UltraCart's Conversation API (412, generated from its description), named
 * and shaped as in the description. Field names are the wire names; every field is optional, `null`
 * reads as absent, unknown fields are ignored and enum values UltraCart adds later still decode as
 * strings. Each model `X` comes with its type `X` and its wire type `XEncoded`; a schema is built on
 * first use.
 *
 * @since 0.1.0
 */
export * from "./generated/Models.js"
