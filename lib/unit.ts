import { describeValue } from './input.js';
import { type SettableStatus, type StatusBase, settable } from './status.js';

/**
 * Whatever has a status that a context publishes to: a Juju unit, an application, a test double.
 *
 * Any object with a `setStatus` method is a unit, so a charm framework adapts its own unit
 * object in one line. A unit whose `setStatus` returns a promise is *asynchronous*: its writes
 * are serialized (the next starts when the previous settled) and, while one is in flight, a
 * queued status that a later one supersedes is never written, unless `coalesce` is `false`.
 *
 * @example
 * ```ts
 * import { type Unit, type StatusBase } from 'charms-contextual-status';
 * declare const frameworkUnit: { status: StatusBase };
 * const unit: Unit = { setStatus: (s) => { frameworkUnit.status = s; } };
 * ```
 */
export interface Unit {
  /** Publishes `status`; may return a promise that settles when it has been published. */
  setStatus(status: StatusBase): void | Promise<void>;
  /**
   * `false` to have every status written even while an earlier write is in flight.
   * Absent or `true`: statuses superseded while queued are skipped (the latest wins).
   */
  readonly coalesce?: boolean;
}

/**
 * A unit that keeps its statuses in memory: every write in {@link MemoryUnit.history}, oldest
 * first, and the last one as {@link MemoryUnit.status}. Synchronous, so a context writes to it
 * before `add()` returns. For tests, and as the unit of code that runs outside Juju.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const unit = new status.MemoryUnit();
 * await status.context(unit, () => status.add(new status.MaintenanceStatus('Installing')));
 * unit.history.map(String); // ['maintenance: Installing', 'active: Ready']
 * ```
 */
export class MemoryUnit implements Unit {
  /** Every status written, oldest first. */
  readonly history: SettableStatus[] = [];

  /** The last status written, or `undefined` before the first write. */
  get status(): SettableStatus | undefined {
    return this.history[this.history.length - 1];
  }

  /** @throws TypeError for anything but an active, blocked, maintenance or waiting status. */
  setStatus(status: StatusBase): void {
    this.history.push(settable(status, 'MemoryUnit.setStatus() status'));
  }
}

/**
 * Checks that `value` can serve as a unit.
 *
 * @throws TypeError naming what was passed and what is accepted.
 * @internal
 */
export function checkUnit(value: unknown, what: string): Unit {
  if (
    (typeof value === 'object' && value !== null) || typeof value === 'function'
  ) {
    let setStatus: unknown;
    try {
      setStatus = (value as { setStatus?: unknown }).setStatus;
    } catch {
      setStatus = undefined;
    }
    if (typeof setStatus === 'function') return value as Unit;
  }
  throw new TypeError(
    `${what} must be a unit: an object with a setStatus(status) method (a MemoryUnit, a HookToolUnit, or your framework's unit), got ${describeValue(value)}`,
  );
}
