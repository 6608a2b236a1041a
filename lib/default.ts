import { StatusBus } from './bus.js';
import type { StatusContext } from './context.js';
import type { ContextOptions } from './context-options.js';
import type { ErrorType, OnErrorWrapper } from './on-error.js';
import { shared } from './registry.js';
import type { StatusBase } from './status.js';
import type { Unit } from './unit.js';

/**
 * The process-wide status bus, shared by a charm and every library it loads, so that a library
 * can report status without being handed a bus. `add`, `context`, `open` and `onError` below
 * act on it, so `import * as status from 'charms-contextual-status'` reads like the Python
 * original. Every copy of the package loaded in the process has this same bus.
 */
export const bus: StatusBus = shared('default bus', () => new StatusBus());

/**
 * Reports a status condition on the default bus. Synchronous, never throws for a valid status.
 *
 * A maintenance or active status is written to the unit at once, so the charm shows
 * in-progress updates. A blocked or waiting status is kept by the context, to be published
 * when it closes. Outside any context: a `warning`, nothing else.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * status.add(new status.MaintenanceStatus('Installing packages'));
 * status.add(new status.BlockedStatus('Set the "port" option'));
 * ```
 */
export function add(status: StatusBase): void {
  bus.add(status);
}

/**
 * Runs `body` in a status context on `unit` and publishes its resolved final status when it
 * ends, whether it returns or throws: the first blocked status added, else the first waiting
 * one, else `exitStatus` (default `ActiveStatus('Ready')`). Resolves to what `body` returned;
 * rejects with the very error `body` threw.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const unit = new status.MemoryUnit();
 * await status.context(unit, async () => {
 *   status.add(new status.MaintenanceStatus('Configuring'));
 *   status.add(new status.WaitingStatus('Waiting for the database'));
 * });
 * String(unit.status); // 'waiting: Waiting for the database'
 * ```
 */
export function context<T>(
  unit: Unit,
  body: () => T | PromiseLike<T>,
  options?: ContextOptions,
): Promise<Awaited<T>> {
  return bus.context(unit, body, options);
}

/**
 * Opens a status context on `unit` that receives every status added on the default bus until
 * it is closed. Prefer {@link context}, which is scoped to its body; use `open()` where the
 * work has no single body, with `await using` to close it.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * await using ctx = status.open(new status.MemoryUnit(), {
 *   exitStatus: new status.ActiveStatus('Serving'),
 * });
 * ```
 */
export function open(unit: Unit, options?: ContextOptions): StatusContext {
  return bus.open(unit, options);
}

/**
 * Wraps a function, or decorates a method, so that an expected error becomes a status.
 *
 * When the function throws (or its promise rejects) with an error that is an instance of one
 * of `errorTypes` (any error when none are given), `status` is added on the default bus and a
 * `ReconcilerError` is thrown instead, with message `Found expected exception: <message>`
 * and the original error as `cause`. Any other error passes through untouched. This turns
 * "the database is not ready" into Waiting without a try/catch at every call.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * class ConnectionRefused extends Error {}
 * const connect = status.onError(
 *   new status.WaitingStatus('Waiting for the database'),
 *   ConnectionRefused,
 * )(async (url: string) => { throw new ConnectionRefused(url); });
 * ```
 */
export function onError(status: StatusBase, ...errorTypes: ErrorType[]): OnErrorWrapper {
  return bus.onError(status, ...errorTypes);
}
