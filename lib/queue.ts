import { adopt } from './thenable.js';
import { shared } from './registry.js';
import type { SettableStatus } from './status.js';
import type { Unit } from './unit.js';

interface Pending {
  readonly status: SettableStatus;
  readonly final: boolean;
  readonly settle: (error?: { error: unknown }) => void;
}

/**
 * The ordered stream of writes to one unit, shared by everything in the process that writes
 * to it through a context.
 *
 * It speaks the unit's own language: a write returns `void` when the unit took the status at
 * once, and a promise when it takes it later. Writes keep the order in which they were made.
 * A synchronous unit is written on the caller's stack, with no promise made. An asynchronous
 * unit gets one write at a time: the next starts when the previous settled, because two
 * `status-set` calls racing each other could leave the older status showing. While one is in
 * flight, a queued progress write that a later write supersedes is skipped (the latest wins):
 * a status nobody will see is not worth a `status-set` call. A final write is never skipped. A
 * unit with `coalesce: false` has every write made.
 *
 * @internal
 */
export class WriteQueue {
  readonly #unit: Unit;
  readonly #coalesce: boolean;
  readonly #pending: Pending[] = [];
  /** A write is being made or awaited: new writes queue behind it. */
  #busy = false;
  /** An asynchronous write is awaited: queued writes may be coalesced. */
  #inFlight = false;
  /** The last status the unit took through this queue. */
  #last: SettableStatus | undefined;
  /** Callers of {@link idle} waiting for the queue to empty. */
  #idle: (() => void)[] = [];

  constructor(unit: Unit) {
    this.#unit = unit;
    let coalesce: unknown;
    try {
      coalesce = unit.coalesce;
    } catch {
      coalesce = undefined; // a getter that throws cannot opt out: the default holds
    }
    this.#coalesce = coalesce !== false;
  }

  /** Settles once every write made so far has settled, whether it landed or failed. */
  idle(): Promise<void> {
    if (!this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** The last status the unit took through this queue, if any. */
  get last(): SettableStatus | undefined {
    return this.#last;
  }

  /**
   * Writes `status` now if the unit is idle, else after every write queued before it.
   * `final` marks a context's final status, which is never skipped.
   *
   * @returns `undefined` when the unit took the status before this returned; else a promise
   *   that settles when it did (or when a later write superseded it), and rejects with the
   *   unit's error when the write failed.
   * @throws whatever a synchronous unit threw.
   */
  write(status: SettableStatus, final: boolean): void | Promise<void> {
    if (this.#busy) return this.#enqueue(status, final);
    this.#busy = true;
    let landed: Promise<unknown> | undefined;
    try {
      landed = this.#call(status, final);
    } catch (error) {
      this.#next();
      throw error;
    }
    if (landed === undefined) {
      this.#next();
      return undefined;
    }
    return landed.then(
      () => {
        this.#landed(status);
      },
      (error: unknown) => {
        this.#inFlight = false;
        this.#next();
        throw error;
      },
    );
  }

  /** Calls the unit; a promise while it is in flight, `undefined` once it took the status. */
  #call(status: SettableStatus, final: boolean): Promise<unknown> | undefined {
    const landed = adopt(this.#unit.setStatus(status, { final }));
    if (landed === undefined) this.#last = status;
    else this.#inFlight = true;
    return landed;
  }

  #landed(status: SettableStatus): void {
    this.#inFlight = false;
    this.#last = status;
    this.#next();
  }

  #enqueue(status: SettableStatus, final: boolean): Promise<void> {
    const pending = this.#pending;
    if (this.#inFlight && this.#coalesce) {
      const last = pending[pending.length - 1];
      if (last !== undefined && !last.final) {
        pending.pop();
        last.settle(); // superseded: nobody would have seen it
      }
    }
    return new Promise<void>((resolve, reject) => {
      pending.push({
        status,
        final,
        settle: (failure) => {
          if (failure === undefined) resolve();
          else reject(failure.error);
        },
      });
    });
  }

  /** Makes the queued writes, for as long as they complete synchronously. */
  #next(): void {
    for (;;) {
      const next = this.#pending.shift();
      if (next === undefined) {
        this.#busy = false;
        const waiting = this.#idle;
        this.#idle = [];
        for (const resume of waiting) resume();
        return;
      }
      let landed: Promise<unknown> | undefined;
      try {
        landed = this.#call(next.status, next.final);
      } catch (error) {
        next.settle({ error });
        continue;
      }
      if (landed === undefined) {
        next.settle();
        continue;
      }
      landed.then(
        () => {
          next.settle();
          this.#landed(next.status);
        },
        (error: unknown) => {
          next.settle({ error });
          this.#inFlight = false;
          this.#next();
        },
      );
      return;
    }
  }
}

const queues = shared('write queues', () => new WeakMap<Unit, WriteQueue>());

/**
 * The one write queue of `unit` in this process, made on first use and dropped with the unit.
 *
 * @internal
 */
export function queueOf(unit: Unit): WriteQueue {
  let queue = queues.get(unit);
  if (queue === undefined) {
    queue = new WriteQueue(unit);
    queues.set(unit, queue);
  }
  return queue;
}
