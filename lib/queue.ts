import { isThenable } from './input.js';
import type { StatusBase } from './status.js';
import type { Unit } from './unit.js';

/** @internal */
export const writeFailed: unique symbol = Symbol('writeFailed');
/** @internal */
export const finalWritten: unique symbol = Symbol('finalWritten');

/**
 * Who asked for a write, told how it went. The queue knows nothing else about its writers.
 * The methods are symbol-keyed so that a writer's public face stays its own.
 *
 * @internal
 */
export interface Writer {
  /** The write of `status` failed with `error` (whatever the unit threw or rejected with). */
  [writeFailed](status: StatusBase, error: unknown, final: boolean): void;
  /** The final write of `status` has landed. */
  [finalWritten](status: StatusBase): void;
}

interface Pending {
  readonly status: StatusBase;
  readonly writer: Writer;
  readonly final: boolean;
}

/**
 * The ordered stream of writes to one unit, shared by every context that writes to it.
 *
 * Writes keep the order in which they were made. A synchronous unit is written at once, on the
 * caller's stack, with no promise made. An asynchronous unit gets one write at a time: the next
 * starts when the previous settled. While one is in flight, a queued write that a later one
 * supersedes is dropped (the latest wins), because a status nobody will see is not worth a
 * `status-set` call; a final write is never dropped, so every context's final status lands, in
 * order. A unit with `coalesce: false` has every write made.
 *
 * @internal
 */
export class WriteQueue {
  readonly #unit: Unit;
  readonly #pending: Pending[] = [];
  /** A write is being made or awaited: new writes queue behind it. */
  #busy = false;
  /** An asynchronous write is awaited: queued writes may be coalesced. */
  #inFlight = false;

  constructor(unit: Unit) {
    this.#unit = unit;
  }

  /** Writes `status` now if the unit is idle, else after every write queued before it. */
  write(status: StatusBase, writer: Writer, final: boolean): void {
    if (!this.#busy) {
      this.#busy = true;
      this.#drain(status, writer, final);
      return;
    }
    const pending = this.#pending;
    if (this.#inFlight && this.#unit.coalesce !== false) {
      const last = pending[pending.length - 1];
      if (last !== undefined && !last.final) pending.pop();
    }
    pending.push({ status, writer, final });
  }

  /**
   * Makes one write and then the queued ones, for as long as they complete synchronously.
   * Runs with `#busy` set, so a writer that writes again from a callback queues behind.
   */
  #drain(status: StatusBase, writer: Writer, final: boolean): void {
    for (;;) {
      let failure: { error: unknown } | undefined;
      try {
        const result = this.#unit.setStatus(status);
        if (isThenable(result)) {
          this.#inFlight = true;
          result.then(
            () => {
              this.#landed(status, writer, final);
            },
            (error: unknown) => {
              this.#failed(status, writer, final, error);
            },
          );
          return;
        }
      } catch (error) {
        this.#inFlight = false;
        failure = { error };
      }
      if (failure !== undefined) writer[writeFailed](status, failure.error, final);
      else if (final) writer[finalWritten](status);
      const next = this.#pending.shift();
      if (next === undefined) {
        this.#busy = false;
        return;
      }
      ({ status, writer, final } = next);
    }
  }

  #landed(status: StatusBase, writer: Writer, final: boolean): void {
    this.#inFlight = false;
    if (final) writer[finalWritten](status);
    this.#continue();
  }

  #failed(status: StatusBase, writer: Writer, final: boolean, error: unknown): void {
    this.#inFlight = false;
    writer[writeFailed](status, error, final);
    this.#continue();
  }

  #continue(): void {
    const next = this.#pending.shift();
    if (next === undefined) this.#busy = false;
    else this.#drain(next.status, next.writer, next.final);
  }
}


const queues = new WeakMap<Unit, WriteQueue>();

/**
 * The one write queue of `unit`, made on first use and dropped with the unit.
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
