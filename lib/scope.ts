import { AsyncLocalStorage } from 'node:async_hooks';

import { shared } from './registry.js';

/**
 * One link of the async scope: the contexts of one bus, or the hook a test runs in its own
 * process, and the frame it was set in.
 */
interface Frame {
  readonly owner: object;
  /** The live contexts of `owner` the code in this frame runs inside, outermost first. */
  readonly contexts: readonly Scoped[];
  readonly outer: Frame | undefined;
  /**
   * Set on the frame of a hook run in the test's process: an opaque key here, which only
   * `lib/hook.ts` knows the shape of.
   */
  readonly hook?: object;
}

/** What the scope needs of a context. */
interface Scoped {
  readonly closed: boolean;
  /** When it was opened, counted in the process: bus-wide and scoped ones are listed in this order. */
  readonly opened: number;
}

/**
 * One storage for the whole process, and for every copy of this package in it. Node propagates
 * every `AsyncLocalStorage` instance on every promise it creates, so a storage per bus would
 * make every promise in the charm slower for each bus made.
 */
const storage = shared('async scope', () => new AsyncLocalStorage<Frame>());

const NONE: readonly never[] = Object.freeze([]);

/** The owner of hook frames: no bus's, so that a bus's walk up the frames passes them by. */
const HOOK_FRAMES = Object.freeze({});

/**
 * Runs `fn` as the hook `hook`: everything it starts, across every `await`, sees `hook` from
 * {@link scopeHook}. The hook's frame links to nothing outside it: a hook run in the test's
 * process is a process of its own, and the test's own `context()` bodies around the run are
 * not the hook's (an `add()` in the charm never reaches them).
 *
 * @internal
 */
export function runInHook<R>(hook: object, fn: () => R): R {
  return storage.run({ owner: HOOK_FRAMES, contexts: NONE, outer: undefined, hook }, fn);
}

/**
 * The key of the hook run in the test's process that the caller belongs to, if any.
 *
 * @internal
 */
export function scopeHook(): object | undefined {
  return hookIn(storage.getStore());
}

function hookIn(from: Frame | undefined): object | undefined {
  let frame = from;
  while (frame !== undefined && frame.hook === undefined) frame = frame.outer;
  return frame?.hook;
}

/**
 * Which contexts an `add()` made from here reaches: one per bus.
 *
 * Python's original keeps one global stack of contexts, so two pieces of work running at the
 * same time mix their statuses. Here each `context()` body runs in a frame of an
 * `AsyncLocalStorage` that follows it across every `await`, timer and promise, and only there;
 * and each `open()` context is bus-wide, as in the original, until it closes. An `add()`
 * reaches both kinds, outermost first.
 *
 * Opening and closing cost O(1) whatever the number of open contexts: frames are linked, not
 * copied, bus-wide contexts sit in a set, and each context carries its opening number. Nothing
 * is counted, so no count can drift when a listener opens or closes contexts in the middle of
 * an event: a closed context is simply skipped. Looking up what an `add()` reaches allocates
 * nothing in the common case.
 *
 * A hook the testing entry runs in the test's process is a process of its own, as far as
 * contexts go: a bus-wide context opened there reaches only the `add()` calls of that hook, as
 * one opened in a hook's process reaches only that process's.
 *
 *
 * @internal
 */
export class Reach<C extends Scoped> {
  /** Bus-wide contexts (`open()`), in opening order. */
  readonly #global = new Set<C>();
  /** A copy of `#global` to deliver to, made when first needed after a change. */
  #globalView: readonly C[] | undefined = NONE;
  /** The hook each bus-wide context was opened in, for those opened in a test's hook run. */
  readonly #hookOf = new Map<C, object>();
  /**
   * How many bus-wide contexts are open in each hook run (`undefined`: outside any), so that
   * counting them, as every open() does, never lists them (bench/core.ts, "open()+close()").
   */
  readonly #perHook = new Map<object | undefined, number>();
  /**
   * The contexts last shown to a listener, as a frozen copy, and the array it copies: the adds
   * of one body show listeners one copy, made once (freezing a copy per add doubled the cost of
   * an add with a listener; bench/core.ts, "+ 1 listener"). Forgotten when a context closes, so
   * that it keeps no closed context alive.
   */
  #shown: { of: readonly C[]; copy: readonly C[] } | undefined;

  /** Runs `fn` inside `context`, and inside every scoped context the caller is inside. */
  run<R>(context: C, fn: () => R): R {
    const outer = storage.getStore();
    const around = this.#scoped(outer);
    const contexts = around.length === 0 ? [context] : [...around, context];
    return storage.run({ owner: this, contexts, outer }, fn);
  }

  /** Makes `context` reach every `add()` on the bus until it closes. */
  open(context: C): void {
    this.#global.add(context);
    this.#globalView = undefined;
    const hook = hookIn(storage.getStore());
    if (hook !== undefined) this.#hookOf.set(context, hook);
    this.#perHook.set(hook, (this.#perHook.get(hook) ?? 0) + 1);
  }

  /** Stops `context` receiving, from wherever it was opened. */
  close(context: C): void {
    this.#shown = undefined;
    if (!this.#global.delete(context)) return; // a scoped context: its frames skip it once closed
    this.#globalView = undefined;
    const hook = this.#hookOf.get(context);
    this.#hookOf.delete(context);
    const left = (this.#perHook.get(hook) ?? 1) - 1;
    if (left === 0) this.#perHook.delete(hook);
    else this.#perHook.set(hook, left);
  }

  /**
   * The live contexts an `add()` from the caller reaches, outermost first. Never changed once
   * made, and never frozen: V8 reads the elements of a frozen array through a generic lookup
   * (a call per element), which was a third of an add() (bench/instructions.ts). Listeners are
   * shown a frozen copy ({@link Reach.shown}).
   */
  reached(): readonly C[] {
    const from = storage.getStore();
    // The common case first (bench/core.ts, "add(blocked), context() body"): the caller is in a
    // frame of one live context of this bus's, and no open() context is about.
    if (from?.owner === this && from.contexts.length === 1 && this.#global.size === 0) {
      const contexts = from.contexts as readonly C[];
      if (contexts[0]?.closed === false) return contexts;
    }
    return this.#reachedFrom(from);
  }

  /** `contexts`, as {@link Reach.reached} made it, frozen for a listener to see. */
  shown(contexts: readonly C[]): readonly C[] {
    if (this.#shown?.of !== contexts) this.#shown = { of: contexts, copy: Object.freeze(contexts.slice()) };
    return this.#shown.copy;
  }

  #reachedFrom(from: Frame | undefined): readonly C[] {
    const scoped = this.#scoped(from);
    if (this.#global.size === 0) return scoped;
    const global = this.#globalFrom(from);
    if (scoped.length === 0) return global;
    return [...global, ...scoped].sort((a, b) => a.opened - b.opened);
  }

  /** The bus-wide contexts an `add()` from `from` reaches: those of its hook, if in one. */
  #globalFrom(from: Frame | undefined): readonly C[] {
    const all = (this.#globalView ??= [...this.#global]);
    const hook = hookIn(from);
    if (this.#hookOf.size === 0 && hook === undefined) return all;
    return all.filter((c) => this.#hookOf.get(c) === hook);
  }

  /** How many live contexts an `add()` from the caller reaches, without listing them. */
  count(): number {
    const from = storage.getStore();
    const global = this.#global.size === 0 ? 0 : (this.#perHook.get(hookIn(from)) ?? 0);
    return global + this.#scoped(from).length;
  }

  /**
   * The innermost scoped context the caller was inside, now closed: the one to name when a
   * late `add()` (from a timer its body started, say) reaches nothing.
   */
  closedScope(): C | undefined {
    const frame = this.#frame(storage.getStore());
    return frame?.contexts[frame.contexts.length - 1] as C | undefined;
  }

  #frame(from: Frame | undefined): Frame | undefined {
    let frame = from;
    while (frame !== undefined && frame.owner !== this) frame = frame.outer;
    return frame;
  }

  #scoped(from: Frame | undefined): readonly C[] {
    const frame = this.#frame(from);
    if (frame === undefined) return NONE;
    const contexts = frame.contexts as readonly C[];
    return contexts.some((c) => c.closed) ? contexts.filter((c) => !c.closed) : contexts;
  }
}
