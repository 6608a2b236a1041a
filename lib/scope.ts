import { AsyncLocalStorage } from 'node:async_hooks';

/** One link of the async scope: a value set by one `Scope`, and the frame it was set in. */
interface Frame {
  readonly owner: Scope<unknown>;
  readonly value: unknown;
  readonly outer: Frame | undefined;
}

/**
 * One storage for the whole process. Node propagates every `AsyncLocalStorage` instance on
 * every promise it creates, and a lookup keyed by a different instance each time defeats V8's
 * caches, so a storage per bus would make every promise in the charm slower for each bus made.
 */
const storage = new AsyncLocalStorage<Frame>();

/**
 * The async scope of `context()` bodies: which of them the running code is inside.
 *
 * Python's original keeps one global stack of contexts, so two pieces of work running at the
 * same time mix their statuses. Here each `context()` body runs in a frame of an
 * `AsyncLocalStorage` that follows it across every `await`, timer and promise, and only there.
 * Each bus has its own `Scope`; its frames chain through those of other buses. Reading the
 * scope allocates nothing, so it can sit on the `add()` path.
 *
 * @internal
 */
export class Scope<T> {
  /** The value of the innermost `run()` of this scope the caller is in, or `undefined`. */
  current(): T | undefined {
    for (let frame = storage.getStore(); frame !== undefined; frame = frame.outer) {
      if (frame.owner === this) return frame.value as T;
    }
    return undefined;
  }

  /** Runs `fn` with `value` as this scope's current value, for everything `fn` starts. */
  run<R>(value: T, fn: () => R): R {
    return storage.run({ owner: this, value, outer: storage.getStore() }, fn);
  }
}
