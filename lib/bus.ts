import { EventEmitter } from 'eventemitter3';

import { StatusContext } from './context.js';
import type { ContextOptions } from './context-options.js';
import { describeValue, messageOf } from './describe.js';
import { hookStderr } from './hook.js';
import { adopt } from './thenable.js';
import { type Guard, LISTENER, guard, isGuard } from './listeners.js';
import { type ErrorType, type OnErrorWrapper, type ReconcilerError, wrapOnError } from './on-error.js';
import { Reach } from './scope.js';
import {
  type ActiveStatus,
  type BlockedStatus,
  type MaintenanceStatus,
  SETTABLE_NAMES,
  type SettableStatus,
  type StatusBase,
  type WaitingStatus,
  settable,
} from './status.js';
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
  /** `onError` turned an expected error into a status: `.cause` is the error, `.status` the status. */
  expected: (error: ReconcilerError) => void;
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
export type StatusBusListener<E extends StatusBusEvent> = (
  ...args: EventEmitter.ArgumentMap<StatusBusEvents>[E]
) => unknown;

/** How many arguments each event is emitted with: the one list of event names at run time. */
const ARITY: Readonly<Record<StatusBusEvent, 1 | 2 | 'error'>> = {
  maintenance: 2,
  blocked: 2,
  waiting: 2,
  active: 2,
  open: 1,
  resolved: 2,
  expected: 1,
  warning: 1,
  error: 'error',
};

/** The listener type eventemitter3 stores. */
type Stored<E extends StatusBusEvent> = EventEmitter.EventListener<StatusBusEvents, E>;
/** `emit` for a status event, whose name and status the compiler cannot pair. */
type EmitStatus = (event: string, status: StatusBase, contexts: readonly StatusContext[]) => boolean;

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
  /** Which contexts an `add()` reaches, from wherever it is made. */
  readonly #reach = new Reach<StatusContext>();
  /** An `add()` is being delivered: one made meanwhile (by a unit or listener) waits its turn. */
  #delivering = false;
  /** Adds made while one was being delivered, as status and contexts pairs, in order. */
  readonly #backlog: (SettableStatus | readonly StatusContext[])[] = [];
  /**
   * Which events the hot path emits have a listener, kept by the methods that add and remove
   * listeners, so that an event nobody hears is not emitted: `emit()` finding no listener was a
   * fifth of an add() and a tenth of a whole context on Node 20 (bench/core.ts).
   */
  readonly #heard = { status: false, open: false, resolved: false };

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
   * An `add()` made while another is being delivered (from a unit's `setStatus` or a listener)
   * is delivered right after it, so that every unit and listener sees statuses in one order.
   *
   * @throws TypeError when `status` is not an active, blocked, maintenance or waiting status.
   */
  add(status: StatusBase): void {
    const value = settable(status, 'add() status');
    const contexts = this.#reach.reached();
    if (contexts.length === 0) this.#outside(value);
    if (this.#delivering) {
      this.#backlog.push(value, contexts);
      return;
    }
    this.#delivering = true;
    try {
      this.#deliver(value, contexts);
      if (this.#backlog.length > 0) this.#deliverBacklog();
    } finally {
      this.#delivering = false;
    }
  }

  /**
   * Opens a context on `unit`, runs `body` in it and closes it, whether `body` returns or
   * throws. Resolves to what `body` returned; rejects with the very error `body` threw.
   *
   * The context receives the statuses added by `body` and by everything `body` starts, and
   * nothing from work running beside it: two `context()` calls running at once never see each
   * other's statuses. A thenable `body` returns is adopted inside the body's scope, so the work
   * it does when awaited reaches the context too. If the final write fails, the promise
   * rejects with that failure, unless `body` threw, in which case `body`'s error wins and the
   * write failure is emitted as `error`.
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
  context<T>(unit: Unit, body: () => T | PromiseLike<T>, options?: ContextOptions): Promise<Awaited<T>> {
    let context: StatusContext;
    try {
      if (typeof body !== 'function') {
        throw new TypeError(`the body of a status context must be a function, got ${describeValue(body)}`);
      }
      context = this.#open(unit, options);
    } catch (error) {
      return Promise.reject(error);
    }
    let value: unknown;
    let later: Promise<unknown> | undefined;
    try {
      this.#reach.run(context, () => {
        value = body();
        later = adopt(value); // inside the scope: the thenable's own work reaches the context
      });
    } catch (error) {
      return this.#failed(context, error);
    }
    if (later === undefined) return this.#returned(context, value as Awaited<T>);
    return later.then(
      (result) => this.#returned(context, result as Awaited<T>),
      (error: unknown) => this.#failed(context, error),
    );
  }

  /**
   * Opens a context on `unit` that receives every status added on this bus until it is
   * closed, from wherever it is added (as in the Python original). Close it with
   * `await ctx.close()` (`{ failed: true }` when the work failed), or let `await using` do so.
   *
   * @example
   * ```ts
   * import { StatusBus, MemoryUnit } from 'charms-contextual-status';
   * const bus = new StatusBus();
   * await using ctx = bus.open(new MemoryUnit());
   * ```
   */
  open(unit: Unit, options?: ContextOptions): StatusContext {
    return this.#open(unit, options, true);
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
    return this.#recount();
  }

  /** The same as {@link StatusBus.on}. */
  override addListener<E extends StatusBusEvent>(
    event: E,
    fn: StatusBusListener<E>,
    context?: unknown,
  ): this {
    return this.on(event, fn, context);
  }

  /** Adds a listener that is removed after its first call; guarded as {@link StatusBus.on}. */
  override once<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>, context?: unknown): this {
    super.once(event, this.#guard(event, fn), context);
    return this.#recount();
  }

  /**
   * Removes the listeners of `event` that are `fn` (all of them when `fn` is absent), with
   * eventemitter3's `context` and `once` filters.
   *
   * @throws TypeError for an event the bus does not have, or a listener that is not a function.
   */
  override removeListener<E extends StatusBusEvent>(
    event: E,
    fn?: StatusBusListener<E>,
    context?: unknown,
    once?: boolean,
  ): this {
    checkEvent(event);
    // eventemitter3 removes a `once` listener by its guard: see lib/listeners.ts.
    if (fn === undefined || isGuard(fn)) return super.removeListener(event, fn, context, once).#recount();
    if (typeof fn !== 'function') {
      throw new TypeError(`off() takes the listener to remove, a function, got ${describeValue(fn)}`);
    }
    for (const stored of super.listeners(event) as unknown as Guard[]) {
      if (stored[LISTENER] === fn) super.removeListener(event, stored, context, once);
    }
    return this.#recount();
  }

  /** Removes every listener of `event`, or of every event. */
  override removeAllListeners(event?: StatusBusEvent): this {
    super.removeAllListeners(event);
    return this.#recount();
  }

  /** The same as {@link StatusBus.removeListener}. */
  override off<E extends StatusBusEvent>(
    event: E,
    fn?: StatusBusListener<E>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.removeListener(event, fn, context, once);
  }

  /** The listeners of `event`, as they were registered. */
  override listeners<E extends StatusBusEvent>(event: E): StatusBusListener<E>[] {
    return (super.listeners(event) as unknown as Guard[]).map(
      (stored) => stored[LISTENER] as StatusBusListener<E>,
    );
  }

  /**
   * Emits a status event for statuses a context added to itself alone.
   *
   * @internal
   */
  announce(status: SettableStatus, contexts: readonly StatusContext[]): void {
    (this.emit as EmitStatus)(status.name, status, contexts);
  }

  /**
   * A context published its final status: the `resolved` event.
   *
   * @internal
   */
  resolved(status: StatusBase, context: StatusContext): void {
    if (this.#heard.resolved) this.emit('resolved', status, context);
  }

  /**
   * A context began closing: it is reached no more.
   *
   * @internal
   */
  released(context: StatusContext): void {
    this.#reach.close(context);
  }

  /**
   * A failure that must not break flow: the `error` event, or stderr when nobody listens.
   *
   * @internal
   */
  failed(failure: unknown, context?: StatusContext, what = 'a status write failed'): void {
    const error = asError(failure);
    if (this.listenerCount('error') === 0) hookStderr('error', `charms-contextual-status: ${what}:`, error);
    else if (context === undefined) this.emit('error', error);
    else this.emit('error', error, context);
  }

  /**
   * Misuse that must not break flow: the `warning` event, or stderr when nobody listens.
   *
   * @internal
   */
  warned(message: string): void {
    if (this.listenerCount('warning') === 0) hookStderr('warn', `charms-contextual-status: ${message}`);
    else this.emit('warning', message);
  }

  /** Makes a context, warns if it nests in another, makes it reachable, emits `open`. */
  #open(unit: unknown, options: unknown, global = false): StatusContext {
    const context = StatusContext.create(this, unit, options);
    const around = this.#reach.count(); // not reached(): that would copy the open contexts each time
    if (around > 0) {
      this.warned(
        `already in a status context (${String(around)} open): opening another one anyway; both receive every status added`,
      );
    }
    if (global) this.#reach.open(context);
    if (this.#heard.open) this.emit('open', context);
    return context;
  }

  /** Closes `context` after its body returned `value`; rejects if the final write failed. */
  #returned<V>(context: StatusContext, value: V): Promise<V> {
    const closing = context.close();
    // A final status a synchronous unit took needs no wait: one promise and one turn fewer,
    // a tenth of a whole context (bench/core.ts, "context(unit, body)").
    return context.published ? Promise.resolve(value) : closing.then(() => value);
  }

  /** Closes `context` after its body threw `error`, and rethrows it; a write failure is an `error` event. */
  #failed(context: StatusContext, error: unknown): Promise<never> {
    return context.close({ failed: true }).then(
      () => Promise.reject(error as Error),
      (writeError: unknown) => {
        this.failed(writeError, context);
        return Promise.reject(error);
      },
    );
  }

  /** Delivers the adds made while one was being delivered, and those they make, in order. */
  #deliverBacklog(): void {
    const backlog = this.#backlog;
    try {
      for (let i = 0; i < backlog.length; i += 2) {
        this.#deliver(backlog[i] as SettableStatus, backlog[i + 1] as readonly StatusContext[]);
      }
    } finally {
      backlog.length = 0;
    }
  }

  #recount(): this {
    const heard = (event: StatusBusEvent): boolean => super.listenerCount(event) > 0;
    this.#heard.status = SETTABLE_NAMES.some(heard);
    this.#heard.open = heard('open');
    this.#heard.resolved = heard('resolved');
    return this;
  }

  #deliver(status: SettableStatus, contexts: readonly StatusContext[]): void {
    // An indexed loop: for-of cost a tenth of an add() on Node 20 (counted as
    // bench/instructions.ts counts: 284 instructions an add against 256).
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let i = 0; i < contexts.length; i += 1) contexts[i]?.receive(status);
    if (this.#heard.status) (this.emit as EmitStatus)(status.name, status, this.#reach.shown(contexts));
  }

  #outside(status: SettableStatus): void {
    const closed = this.#reach.closedScope();
    this.warned(
      closed === undefined
        ? `could not add status outside of a status context: ${String(status)}`
        : `could not add status: its status context has closed (${String(closed)}), so nothing receives ${String(status)}`,
    );
  }

  /**
   * Wraps a listener so that its failure, thrown or rejected, becomes an `error` event instead
   * of reaching the caller of `emit()`; the failure of an `error` listener goes to stderr.
   */
  #guard<E extends StatusBusEvent>(event: E, fn: StatusBusListener<E>): Stored<E> {
    checkEvent(event);
    if (typeof fn !== 'function') {
      throw new TypeError(`a listener for the ${event} event must be a function, got ${describeValue(fn)}`);
    }
    const failed =
      event === 'error'
        ? (failure: unknown, original: unknown) => {
            hookStderr(
              'error',
              `charms-contextual-status: an error listener failed (${messageOf(failure)}) while handling:`,
              original,
            );
          }
        : (failure: unknown) => {
            this.failed(failure, undefined, `a ${event} listener failed`);
          };
    return guard(fn as (this: unknown, ...args: unknown[]) => unknown, ARITY[event], failed);
  }
}

function checkEvent(event: unknown): asserts event is StatusBusEvent {
  if (typeof event !== 'string' || !Object.hasOwn(ARITY, event)) {
    const name = typeof event === 'string' ? JSON.stringify(event) : describeValue(event);
    throw new TypeError(
      `a status bus has no ${name} event: listen to one of ${Object.keys(ARITY).join(', ')}`,
    );
  }
}

function asError(failure: unknown): Error {
  if (failure instanceof Error) return failure;
  return new Error(`non-Error value thrown: ${describeValue(failure)}`, { cause: failure });
}
