import { EventEmitter } from 'eventemitter3';

import {
  type ContextHost,
  type ContextOptions,
  type Outcome,
  StatusContext,
  finish,
  receive,
} from './context.js';
import { describeValue, isThenable, messageOf } from './input.js';
import { type OnErrorWrapper, type ErrorType, wrapOnError } from './on-error.js';
import { Scope } from './scope.js';
import type {
  ActiveStatus,
  BlockedStatus,
  MaintenanceStatus,
  SettableStatus,
  StatusBase,
  WaitingStatus,
} from './status.js';
import { settable } from './status.js';
import type { Unit } from './unit.js';

/**
 * The events of a {@link StatusBus}, with their arguments. The compiler rejects any other
 * event name, and listeners whose parameters do not fit.
 */
export interface StatusBusEvents {
  /** A maintenance status was added; `contexts` are the open contexts it reached (maybe none). */
  maintenance: (status: MaintenanceStatus, contexts: readonly StatusContext[]) => void;
  /** A blocked status was added; `contexts` are the open contexts it reached (maybe none). */
  blocked: (status: BlockedStatus, contexts: readonly StatusContext[]) => void;
  /** A waiting status was added; `contexts` are the open contexts it reached (maybe none). */
  waiting: (status: WaitingStatus, contexts: readonly StatusContext[]) => void;
  /** An active status was added; `contexts` are the open contexts it reached (maybe none). */
  active: (status: ActiveStatus, contexts: readonly StatusContext[]) => void;
  /** A context opened. */
  open: (context: StatusContext) => void;
  /** A context closed and published `status`, its final status. */
  resolved: (status: StatusBase, context: StatusContext) => void;
  /** Misuse that must not break flow: an add outside any context, a nested context, an add to a closed context. */
  warning: (message: string) => void;
  /** A failure that must not break flow: a listener failed, a maintenance write failed. */
  error: (error: Error, context?: StatusContext) => void;
}

/** The name of a {@link StatusBus} event. */
export type StatusBusEvent = keyof StatusBusEvents;

/**
 * A listener for event `E`. It may be async: a promise it returns that rejects is an `error`
 * event, as a throw is. What it returns is otherwise ignored.
 */
export type StatusBusListener<E extends StatusBusEvent> = (...args: EventEmitter.ArgumentMap<StatusBusEvents>[E]) => unknown;
/** The listener type eventemitter3 stores. */
type Stored<E extends StatusBusEvent> = EventEmitter.EventListener<StatusBusEvents, E>;

/** What a guard remembers of the listener it protects. */
const LISTENER: unique symbol = Symbol('listener');
type Guard = ((this: unknown, a: unknown, b: unknown) => void) & { [LISTENER]: AnyListener };
type AnyListener = (this: unknown, a?: unknown, b?: unknown) => unknown;

/**
 * A set of contexts an `add()` reaches, outermost first: `list` to deliver to, and `view`, a
 * frozen copy of it for listeners (who must not be able to change what later adds reach).
 * Kept as a pair because V8 iterates a frozen array far slower than a plain one, and this is
 * the `add()` path.
 */
interface Reach {
  readonly list: readonly StatusContext[];
  readonly view: readonly StatusContext[];
}

function reach(list: readonly StatusContext[]): Reach {
  return { list, view: Object.freeze([...list]) };
}

const NOWHERE: Reach = reach([]);

/**
 * The status bus: where code reports status conditions, and where contexts and listeners
 * hear them.
 *
 * Code inside a charm, or a library it uses, calls `add()` with a status and goes on: it
 * never throws, whoever listens and whatever they do. The bus delivers the status to every
 * context it reaches (see {@link StatusBus.add}) and emits it as an event named by its Juju
 * word. It is an eventemitter3 `EventEmitter` with a typed event map, so `on()`, `once()` and
 * `off()` work as there, with one difference that keeps a charm alive: a listener that throws
 * or returns a rejected promise does not reach the caller and does not stop the other
 * listeners; its failure becomes one `error` event (or, with no `error` listener, a line on
 * stderr, which Juju keeps in `juju debug-log`).
 *
 * @example
 * ```ts
 * import { StatusBus, MemoryUnit, BlockedStatus } from 'charms-contextual-status';
 * const bus = new StatusBus();
 * bus.on('blocked', (s, contexts) => console.info(`blocked: ${s.message} (${contexts.length} contexts)`));
 * const unit = new MemoryUnit();
 * await bus.context(unit, () => bus.add(new BlockedStatus('Add a database')));
 * String(unit.status); // 'blocked: Add a database'
 * ```
 */
export class StatusBus extends EventEmitter<StatusBusEvents> {
  readonly #scope = new Scope<Reach>();
  /** Contexts made with `open()` and not yet closed, in opening order. Replaced, never mutated. */
  #global: Reach = NOWHERE;
  /** How many `context()` contexts are open: while none is, `add()` skips the scope lookup. */
  #scoped = 0;
  readonly #host: ContextHost;
  /**
   * How many listeners each event has, kept by the methods that add and remove them, so that
   * `add()` skips emitting an event nobody listens to: the emitter's dispatch is shared by
   * every emitter in the process, and calling it is most of what an unheard `add()` costs.
   */
  readonly #listening: Record<StatusBusEvent, number> = {
    maintenance: 0,
    blocked: 0,
    waiting: 0,
    active: 0,
    open: 0,
    resolved: 0,
    warning: 0,
    error: 0,
  };

  constructor() {
    super();
    this.#host = {
      announce: (status, contexts) => {
        this.#announce(status, contexts);
      },
      release: (context) => {
        if (this.#global.list.includes(context)) {
          this.#global = reach(this.#global.list.filter((c) => c !== context));
        } else {
          this.#scoped -= 1;
        }
      },
      resolved: (status, context) => {
        this.emit('resolved', status, context);
      },
      fail: (error, context) => {
        this.#fail(error, context);
      },
      warn: (message) => {
        this.#warn(message);
      },
    };
  }

  /**
   * Reports a status condition. Synchronous; never throws for a valid status.
   *
   * The status reaches every context opened with `context()` whose body the caller is running
   * in (across any number of awaits and timers), and every context opened with `open()` on
   * this bus and not yet closed. Each writes a maintenance or active status to its unit at
   * once (with a synchronous unit, before `add()` returns) and keeps a blocked or waiting one
   * for its final status. Then the status is emitted as the event of its name. Reaching no
   * context is a `warning`, not an error: a library may report status whether or not its
   * caller keeps a context.
   *
   * @throws TypeError when `status` is not an active, blocked, maintenance or waiting status.
   */
  add(status: StatusBase): void {
    const value = settable(status, 'add() status');
    const { list, view } = this.#reached();
    if (list.length === 0) {
      this.#warn(`could not add status outside of a status context: ${String(value)}`);
    }
    // An indexed loop: for-of would allocate an iterator on every add.
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let i = 0; i < list.length; i += 1) list[i]?.[receive](value);
    this.#announce(value, view);
  }

  /**
   * Opens a context on `unit`, runs `body` in it and closes it, whether `body` returns or
   * throws. Resolves to what `body` returned; rejects with the very error `body` threw.
   *
   * The context receives the statuses added by `body` and by everything `body` starts, and
   * nothing from work running beside it: two `context()` calls running at once never see each
   * other's statuses. If the final write fails, the promise rejects with that failure, unless
   * `body` threw, in which case `body`'s error wins and the write failure is emitted as `error`.
   *
   * @example
   * ```ts
   * import { StatusBus, MemoryUnit, MaintenanceStatus } from 'charms-contextual-status';
   * const bus = new StatusBus();
   * const unit = new MemoryUnit();
   * const port = await bus.context(unit, async () => {
   *   bus.add(new MaintenanceStatus('Opening the port'));
   *   return 8080;
   * });
   * ```
   */
  context<T>(unit: Unit, body: () => T | Promise<T>, options?: ContextOptions): Promise<Awaited<T>> {
    let context: StatusContext;
    let result: T | Promise<T>;
    try {
      if (typeof body !== 'function') {
        throw new TypeError(`the body of a status context must be a function, got ${describeValue(body)}`);
      }
      context = new StatusContext(this.#host, unit, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const frame = this.#open(context);
    this.#scoped += 1;
    try {
      result = this.#scope.run(frame, body);
    } catch (error) {
      return this.#failed(context, error);
    }
    // A synchronous body on a synchronous unit finishes here, with one promise in all: each
    // promise costs more than the rest of a context while AsyncLocalStorage is in use.
    if (!isThenable(result)) return this.#returned(context, result as Awaited<T>);
    return Promise.resolve(result).then(
      (value) => this.#returned(context, value),
      (error: unknown) => this.#failed(context, error),
    );
  }

  /** Closes `context` after its body returned `value`; rejects if the final write failed. */
  #returned<V>(context: StatusContext, value: V): Promise<V> {
    const outcome: Outcome | undefined = context[finish](false);
    if (outcome === undefined) return context.close().then(() => value);
    return outcome.ok ? Promise.resolve(value) : Promise.reject(outcome.error);
  }

  /** Closes `context` after its body threw `error`, and rethrows it; a write failure is an `error` event. */
  #failed(context: StatusContext, error: unknown): Promise<never> {
    const outcome: Outcome | undefined = context[finish](true);
    if (outcome === undefined) {
      return context.close().then(
        () => Promise.reject(error),
        (writeError: unknown) => {
          this.#fail(writeError, context);
          return Promise.reject(error);
        },
      );
    }
    if (!outcome.ok) this.#fail(outcome.error, context);
    return Promise.reject(error);
  }

  /**
   * Opens a context on `unit` that receives every status added on this bus until it is
   * closed, from wherever it is added (as in the Python original). Close it with
   * `await ctx.close()`, or let `await using` do so.
   *
   * @example
   * ```ts
   * import { StatusBus, MemoryUnit } from 'charms-contextual-status';
   * const bus = new StatusBus();
   * await using ctx = bus.open(new MemoryUnit());
   * ```
   */
  open(unit: Unit, options?: ContextOptions): StatusContext {
    const context = new StatusContext(this.#host, unit, options);
    this.#open(context);
    this.#global = reach([...this.#global.list, context]);
    return context;
  }

  /**
   * Wraps a function (or decorates a method) so that an error it throws adds `status` on this
   * bus and becomes a `ReconcilerError`. See the module-level `onError`.
   */
  onError(status: StatusBase, ...errorTypes: ErrorType[]): OnErrorWrapper {
    return wrapOnError(this, status, errorTypes);
  }

  /**
   * Adds a listener for `event`. A listener that throws or rejects does not reach the caller
   * of `add()`: its failure becomes one `error` event.
   *
   * @throws TypeError for an event the bus does not have, or a listener that is not a function.
   */
  override on<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>, context?: unknown): this {
    super.on(event, this.#guard(event, fn), context);
    return this.#counted(event);
  }

  /** The same as {@link StatusBus.on}. */
  override addListener<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>, context?: unknown): this {
    return this.on(event, fn, context);
  }

  /** Adds a listener that is removed after its first call; guarded as {@link StatusBus.on}. */
  override once<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>, context?: unknown): this {
    super.once(event, this.#guard(event, fn), context);
    return this.#counted(event);
  }

  /**
   * Removes the listeners of `event` that are `fn` (all of them when `fn` is absent), with
   * eventemitter3's `context` and `once` filters.
   */
  override removeListener<E extends StatusBusEvent>(
    event: E,
    fn?: StatusBusListener<E>,
    context?: unknown,
    once?: boolean,
  ): this {
    if (fn === undefined || LISTENER in fn) {
      super.removeListener(event, fn, context, once);
    } else {
      for (const guard of super.listeners(event) as unknown as Guard[]) {
        if (guard[LISTENER] === fn) super.removeListener(event, guard as unknown as Stored<E>, context, once);
      }
    }
    return this.#counted(event);
  }

  /** The same as {@link StatusBus.removeListener}. */
  override off<E extends StatusBusEvent>(event: E, fn?: StatusBusListener<E>, context?: unknown, once?: boolean): this {
    return this.removeListener(event, fn, context, once);
  }

  /** Removes every listener of `event`, or of every event. */
  override removeAllListeners(event?: StatusBusEvent): this {
    super.removeAllListeners(event);
    for (const name of Object.keys(this.#listening) as StatusBusEvent[]) this.#counted(name);
    return this;
  }

  /** The listeners of `event`, as they were registered. */
  override listeners<E extends StatusBusEvent>(event: E): StatusBusListener<E>[] {
    return (super.listeners(event) as unknown as Guard[]).map((guard) => guard[LISTENER] as StatusBusListener<E>);
  }

  /** Registers `context` and returns the scope frame its body runs in. */
  #open(context: StatusContext): Reach {
    const reached = this.#reached().list;
    if (reached.length > 0) {
      this.#warn(
        `already in a status context (${String(reached.length)} open): opening another one anyway; both receive every status added`,
      );
    }
    const frame = reach([...this.#liveScoped().list, context]);
    this.emit('open', context);
    return frame;
  }

  /** The contexts an `add()` from the caller reaches, outermost first. */
  #reached(): Reach {
    const global = this.#global;
    const scoped = this.#liveScoped();
    if (global.list.length === 0) return scoped;
    if (scoped.list.length === 0) return global;
    return reach([...global.list, ...scoped.list].sort((a, b) => a.sequence - b.sequence));
  }

  /** The caller's `context()` frame, without the contexts that have closed since. */
  #liveScoped(): Reach {
    if (this.#scoped === 0) return NOWHERE;
    const scoped = this.#scope.current();
    if (scoped === undefined) return NOWHERE;
    const list = scoped.list;
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- no iterator on the add() path
    for (let i = 0; i < list.length; i += 1) {
      if (list[i]?.closed === true) return reach(list.filter((c) => !c.closed));
    }
    return scoped;
  }

  #counted(event: StatusBusEvent): this {
    if (event in this.#listening) this.#listening[event] = super.listenerCount(event);
    return this;
  }

  #announce(status: SettableStatus, contexts: readonly StatusContext[]): void {
    if (this.#listening[status.name] === 0) return;
    // A cast, because the compiler cannot pair a union of names with a union of statuses.
    (this.emit as (event: string, status: StatusBase, contexts: readonly StatusContext[]) => boolean)(
      status.name,
      status,
      contexts,
    );
  }

  #warn(message: string): void {
    if (this.#listening.warning === 0) console.warn(`charms-contextual-status: ${message}`);
    else this.emit('warning', message);
  }

  #fail(failure: unknown, context?: StatusContext, what = 'a status write failed'): void {
    const error = asError(failure);
    if (this.#listening.error === 0) {
      console.error(`charms-contextual-status: ${what}:`, error);
    } else if (context === undefined) {
      this.emit('error', error);
    } else {
      this.emit('error', error, context);
    }
  }

  /**
   * Wraps a listener so that its failure, thrown or rejected, becomes an `error` event instead
   * of reaching the caller of `emit()`; the failure of an `error` listener goes to stderr.
   */
  #guard<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>): Stored<E> {
    if (typeof event !== 'string' || !Object.hasOwn(this.#listening, event)) {
      throw new TypeError(
        `a status bus has no ${describeValue(event)} event: listen to one of ${Object.keys(this.#listening).join(', ')}`,
      );
    }
    if (typeof fn !== 'function') {
      throw new TypeError(`a listener for the ${event} event must be a function, got ${describeValue(fn)}`);
    }
    const listener = fn as unknown as AnyListener;
    const failed =
      event === 'error'
        ? (failure: unknown, original: unknown) => {
            console.error(
              `charms-contextual-status: an error listener failed (${messageOf(failure)}) while handling:`,
              original,
            );
          }
        : (failure: unknown) => {
            this.#fail(failure, undefined, `a ${event} listener failed`);
          };
    const settle = (result: unknown, a: unknown): void => {
      if (isThenable(result)) {
        result.then(undefined, (failure: unknown) => {
          failed(failure, a);
        });
      }
    };
    // One guard per arity, so that a listener sees exactly its event's arguments without the
    // guard reading `arguments` on every call; only `error` is emitted with one or two.
    const guard = (
      event === 'error'
        ? function (this: unknown, a: unknown, b: unknown): void {
            try {
              const result = arguments.length < 2 ? listener.call(this, a) : listener.call(this, a, b);
              if (result !== undefined) settle(result, a);
            } catch (failure) {
              failed(failure, a);
            }
          }
        : event === 'open' || event === 'warning'
          ? function (this: unknown, a: unknown): void {
              try {
                const result = listener.call(this, a);
                if (result !== undefined) settle(result, a);
              } catch (failure) {
                failed(failure, a);
              }
            }
          : function (this: unknown, a: unknown, b: unknown): void {
              try {
                const result = listener.call(this, a, b);
                if (result !== undefined) settle(result, a);
              } catch (failure) {
                failed(failure, a);
              }
            }
    ) as Guard;
    guard[LISTENER] = listener;
    return guard as unknown as Stored<E>;
  }
}


function asError(failure: unknown): Error {
  if (failure instanceof Error) return failure;
  return new Error(`non-Error value thrown: ${describeValue(failure)}`, { cause: failure });
}
