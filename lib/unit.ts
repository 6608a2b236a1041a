import { describeValue } from './describe.js';
import { type SettableStatus, type StatusBase, UnknownStatus, isStatus, settable } from './status.js';

/** What a context tells a unit about a write, beside the status. */
export interface WriteOptions {
  /**
   * `true` for a context's final status, `false` for a progress update (maintenance or active
   * while the work runs). A unit may skip a progress update equal to what it shows; it must
   * write a final status, which is what the unit is left showing.
   */
  readonly final: boolean;
}

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
  /**
   * Publishes `status`; may return a promise that settles when it has been published.
   * Contexts pass `options`; a caller that does not is making a final write.
   */
  setStatus(status: StatusBase, options?: WriteOptions): void | Promise<void>;
  /**
   * What the unit shows now, when it can tell: read by a context with
   * `exitStatus: 'unchanged'` before its first write, to restore it at the end.
   */
  getStatus?(): StatusBase | Promise<StatusBase>;
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
 * `new MemoryUnit(initial)` starts showing `initial` (default `UnknownStatus`, as Juju shows a
 * unit nothing has set yet), which {@link MemoryUnit.getStatus} answers until the first write.
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
  readonly #initial: StatusBase;

  /** @throws TypeError when `initial` is not a status (any of the six, `unknown` and `error` included). */
  constructor(initial: StatusBase = new UnknownStatus()) {
    if (!isStatus(initial)) {
      throw new TypeError(
        `MemoryUnit initial status must be a status such as new BlockedStatus('…'), got ${describeValue(initial)}`,
      );
    }
    this.#initial = initial;
  }

  /** The last status written, or `undefined` before the first write. */
  get status(): SettableStatus | undefined {
    return this.history[this.history.length - 1];
  }

  /** What the unit shows: the last status written, else the initial one. */
  getStatus(): StatusBase {
    return this.status ?? this.#initial;
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
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
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
