/**
 * Problems only the operator can fix (e.g. the LWA client secret was rejected), under a stable key per problem:
 * raised once, shown by /health until cleared by the fix.
 */
export class OperatorAlarms {
  readonly #active = new Map<string, { message: string; since: Date }>();

  raise(key: string, message: string, at: Date): boolean {
    if (this.#active.has(key)) return false;
    this.#active.set(key, { message, since: at });
    return true;
  }

  clear(key: string): void {
    this.#active.delete(key);
  }

  list() {
    return [...this.#active.entries()].map(([key, alarm]) => ({
      key,
      message: alarm.message,
      since: alarm.since.toISOString(),
    }));
  }
}
