/**
 * The value at `path` inside a parsed JSON payload (object keys and array indexes), or `undefined`
 * when any step is missing or not an object: for vendors whose delivery reports nest their fields
 * (`data.payload.to[0].status`), before `webhookFields` reads them. Own properties only.
 */
export function valueAt(value: unknown, ...path: readonly (string | number)[]): unknown {
  let inner = value;
  for (const key of path) {
    if (typeof inner !== 'object' || inner === null || !Object.hasOwn(inner, key)) return undefined;
    inner = (inner as Record<string | number, unknown>)[key];
  }
  return inner;
}
