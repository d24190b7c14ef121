/** A JSON value as stored in the store's JSON columns; its own module because every record type uses it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
