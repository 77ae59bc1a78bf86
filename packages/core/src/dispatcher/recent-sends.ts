/** How many recent sends per provider `report()` can match to their dispatch id and reference, at least. */
export const RECENT_SENDS = 10_000;

type Entry = string | readonly [id: string, reference: string];

/**
 * The recent sends of each provider, by message id: the dispatch id, or the dispatch id and the
 * reference, for `report()` to put on `delivered` / `undelivered`. Two generations of `RECENT_SENDS`
 * instead of evicting one by one (deleting from the front of a Map is not O(1) in V8), so between 10 000
 * and 20 000 per provider; a send without a reference costs no object. Message ids are checked
 * (`isMessageId`: at most 128 characters) before they get here.
 */
export class RecentSends {
  readonly #byProvider = new Map<string, { current: Map<string, Entry>; older: Map<string, Entry> }>();

  remember(provider: string, messageId: string, id: string, reference: string | undefined): void {
    let recent = this.#byProvider.get(provider);
    if (recent === undefined) {
      recent = { current: new Map(), older: new Map() };
      this.#byProvider.set(provider, recent);
    } else if (recent.current.size >= RECENT_SENDS) {
      recent.older = recent.current;
      recent.current = new Map();
    }
    recent.current.set(messageId, reference === undefined ? id : [id, reference]);
  }

  /** The dispatch id and reference of a recent send, if the provider's message id is one. */
  find(provider: string, messageId: string): { id: string; reference?: string } | undefined {
    const recent = this.#byProvider.get(provider);
    const known = recent?.current.get(messageId) ?? recent?.older.get(messageId);
    if (known === undefined) return undefined;
    return typeof known === 'string' ? { id: known } : { id: known[0], reference: known[1] };
  }
}
