import { AsyncLocalStorage } from 'node:async_hooks';

const NONE: readonly never[] = Object.freeze([]);

/**
 * The async scope of `context()` bodies: which of them the running code is inside.
 *
 * Python's original keeps one global stack of contexts, so two pieces of work running at the
 * same time mix their statuses. Here each `context()` body runs inside an `AsyncLocalStorage`
 * frame that follows it across every `await`, timer and promise, and only there. A frame is a
 * frozen array (outermost first) so that reading it costs no allocation on the `add()` path.
 *
 * @internal
 */
export class Scope<T> {
  readonly #storage = new AsyncLocalStorage<readonly T[]>();

  /** The frame the caller runs in: the entries of every enclosing `run()`, outermost first. */
  current(): readonly T[] {
    return this.#storage.getStore() ?? NONE;
  }

  /** Runs `fn` in a frame holding `entries`, visible to everything `fn` starts. */
  run<R>(entries: readonly T[], fn: () => R): R {
    return this.#storage.run(Object.freeze(entries), fn);
  }
}
