import { checkOptions } from './input.js';
import { type WriteQueue, finalWritten, queueOf, writeFailed } from './queue.js';
import {
  ActiveStatus,
  type BlockedStatus,
  type SettableStatus,
  type StatusBase,
  type WaitingStatus,
  settable,
} from './status.js';
import { type Unit, checkUnit } from './unit.js';

declare global {
  // Declared here as well as in TypeScript's esnext.disposable lib (and @types/node), so that a
  // project compiling against an older `lib` can still use these typings.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** How a context resolves when nothing blocked or waiting was added. */
export interface ContextOptions {
  /**
   * Published on close when nothing blocked or waiting was added.
   * Default: `new ActiveStatus('Ready')`, as in the Python original.
   */
  exitStatus?: StatusBase;
  /**
   * Published instead of `exitStatus` when the body of `context()` throws and nothing blocked
   * or waiting was added. Unset: `exitStatus`, as in the Python original, which reports a
   * failed hook as Active.
   */
  errorStatus?: StatusBase;
}

/**
 * What a context needs from the bus it belongs to.
 *
 * @internal
 */
export interface ContextHost {
  /** Announce a status added to this context alone, as the bus announces its own adds. */
  announce(status: SettableStatus, contexts: readonly StatusContext[]): void;
  /** The context stopped receiving: the bus stops sending to it. */
  release(context: StatusContext): void;
  /** The context published its final status. */
  resolved(status: StatusBase, context: StatusContext): void;
  /** A failure that must not break flow: the `error` event. */
  fail(error: unknown, context: StatusContext): void;
  /** Misuse that must not break flow: the `warning` event. */
  warn(message: string): void;
}

/** @internal Delivers a status added on the bus to a context. */
export const receive: unique symbol = Symbol('receive');
/**
 * @internal Begins closing (`failed`: the body threw, so `errorStatus` applies) and returns the
 * outcome of the final write if it is already known, as it is with a synchronous unit. Lets
 * `context()` finish without a promise per step.
 */
export const finish: unique symbol = Symbol('finish');

/** @internal How a context's final write went. */
export type Outcome = { readonly ok: true; readonly status: StatusBase } | { readonly ok: false; readonly error: unknown };

let opened = 0;

/**
 * A piece of work whose statuses end in one resolved final status on a unit.
 *
 * While open, it receives the statuses added on its bus. A maintenance or active status is
 * written to the unit at once, so that an operator watching `juju status` sees progress. A
 * blocked or waiting status is kept: it describes why the work cannot finish, and only the
 * most telling one should remain once the work is over. On close the context publishes the
 * first blocked status if any, else the first waiting one, else its exit status.
 *
 * Make one with `context()` (scoped to a body) or `open()` (open until closed), never with
 * `new`.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const unit = new status.MemoryUnit();
 * {
 *   await using ctx = status.open(unit);
 *   status.add(new status.WaitingStatus('Waiting for the database'));
 *   ctx.resolve(); // WaitingStatus('Waiting for the database')
 * } // closed here: the unit now shows it
 * ```
 */
export class StatusContext {
  /** The unit this context publishes to. */
  readonly unit: Unit;
  /** Published on close when nothing blocked or waiting was added. */
  readonly exitStatus: SettableStatus;
  /** Published instead of `exitStatus` when the body failed; see {@link ContextOptions}. */
  readonly errorStatus: SettableStatus | undefined;
  /** @internal Opening order on this process, for listing contexts outermost first. */
  readonly sequence: number;

  readonly #host: ContextHost;
  readonly #queue: WriteQueue;
  /** This context alone, for announcing its own adds without allocating. */
  readonly #self: readonly StatusContext[];
  #blocked: BlockedStatus | undefined;
  #waiting: WaitingStatus | undefined;
  #closed = false;
  #outcome: Outcome | undefined;
  #closing: Promise<StatusBase> | undefined;
  #settle: { resolve(status: StatusBase): void; reject(error: unknown): void } | undefined;

  /** @internal Use `context()` or `open()`. */
  constructor(host: ContextHost, unit: unknown, options: unknown) {
    this.unit = checkUnit(unit, 'the unit of a status context');
    const { exitStatus, errorStatus } = contextOptions(options);
    this.exitStatus = exitStatus;
    this.errorStatus = errorStatus;
    this.sequence = ++opened;
    this.#host = host;
    this.#queue = queueOf(this.unit);
    this.#self = Object.freeze([this]);
  }

  /** True once `close()` has begun: the context receives nothing more. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds a status to this context alone (not to the others on the bus), and announces it on
   * the bus as `bus.add()` does. After close, it emits a `warning` and does nothing else.
   *
   * @throws TypeError when `status` is not an active, blocked, maintenance or waiting status.
   */
  add(status: StatusBase): void {
    const value = settable(status, 'StatusContext.add() status');
    if (this.#closed) {
      this.#host.warn(`could not add status to a closed status context: ${String(value)}`);
      return;
    }
    this[receive](value);
    this.#host.announce(value, this.#self);
  }

  /** What `close()` would publish now: the first blocked, else the first waiting, else `exitStatus`. */
  resolve(): SettableStatus {
    return this.#blocked ?? this.#waiting ?? this.exitStatus;
  }

  /**
   * Stops receiving, waits for the unit's pending writes, writes the final status, emits
   * `resolved` and resolves to the final status. Idempotent: every call returns the same
   * promise. Rejects with the unit's error when the final write fails.
   */
  close(): Promise<StatusBase> {
    if (this.#closing !== undefined) return this.#closing;
    const outcome = this[finish](false);
    this.#closing =
      outcome === undefined
        ? new Promise<StatusBase>((resolve, reject) => {
            this.#settle = { resolve, reject };
          })
        : outcome.ok
          ? Promise.resolve(outcome.status)
          : Promise.reject(outcome.error);
    return this.#closing;
  }

  /** Closes the context, for `await using ctx = open(unit)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal */
  [finish](failed: boolean): Outcome | undefined {
    if (!this.#closed) {
      this.#closed = true;
      this.#host.release(this);
      const final =
        this.#blocked ??
        this.#waiting ??
        (failed && this.errorStatus !== undefined ? this.errorStatus : this.exitStatus);
      this.#queue.write(final, this, true);
    }
    return this.#outcome;
  }

  /** @internal */
  [receive](status: SettableStatus): void {
    switch (status.name) {
      case 'blocked':
        this.#blocked ??= status;
        return;
      case 'waiting':
        this.#waiting ??= status;
        return;
      default:
        this.#queue.write(status, this, false);
    }
  }

  /** @internal */
  [writeFailed](_status: StatusBase, error: unknown, final: boolean): void {
    if (!final) {
      this.#host.fail(error, this);
      return;
    }
    this.#outcome = { ok: false, error };
    this.#settle?.reject(error);
  }

  /** @internal */
  [finalWritten](status: StatusBase): void {
    this.#outcome = { ok: true, status };
    this.#host.resolved(status, this);
    this.#settle?.resolve(status);
  }

  /** `StatusContext(open)` or `StatusContext(closed)`, for logs. */
  toString(): string {
    return `StatusContext(${this.#closed ? 'closed' : 'open'})`;
  }
}

const READY = new ActiveStatus('Ready');

function contextOptions(options: unknown): {
  exitStatus: SettableStatus;
  errorStatus: SettableStatus | undefined;
} {
  if (options === undefined) return { exitStatus: READY, errorStatus: undefined };
  const { exitStatus, errorStatus } = checkOptions(options, 'status context options', ['exitStatus', 'errorStatus']);
  return {
    exitStatus:
      exitStatus === undefined ? READY : settable(exitStatus, 'the exitStatus option'),
    errorStatus:
      errorStatus === undefined ? undefined : settable(errorStatus, 'the errorStatus option'),
  };
}
