/**
 * The one async context an update is handled in, holding what each concern keeps per update
 * (the Redis round-trip count, the reply send slots) under a key of its own.
 *
 * One AsyncLocalStorage for all of them rather than one each: while any is in use, every
 * promise created gets a property per storage, and an update creates thousands of promises.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Values = Readonly<Record<symbol, unknown>>;

const scope = new AsyncLocalStorage<Values>();

/** One concern's value in the update scope. */
export class ScopeKey<T> {
  private readonly id: symbol;

  constructor(name: string) {
    this.id = Symbol(name);
  }

  /** Runs `work` with this key set to `value`; the other keys keep what the caller had. */
  run<R>(value: T, work: () => R): R {
    return scope.run({ ...scope.getStore(), [this.id]: value }, work);
  }

  /** This key's value where the caller runs, if any. */
  get(): T | undefined {
    return scope.getStore()?.[this.id] as T | undefined;
  }
}
