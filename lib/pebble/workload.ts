// A workload container's health as status conditions on the bus, so that a Kubernetes charm
// reports its workload as any library reports anything: Waiting while Pebble cannot be
// reached, a service the plan starts that is not running, a check that is down.

import { StatusBase, WaitingStatus, add } from '../index.js';
import { describeValue } from '../describe.js';
import type { Container } from './container.js';
import { ConnectionError, TimeoutError } from './errors.js';
import type { CheckInfo, ServiceInfo } from './types.js';

/** Options of {@link checkWorkload}. */
export interface WorkloadOptions {
  /**
   * Which checks count: `'ready'` (default) every check, as Pebble's readiness takes alive
   * checks and checks with no level too; `'alive'` only alive checks and those with no level.
   */
  level?: 'alive' | 'ready';
  /** The status for a service or check problem, from its message (default Waiting). */
  status?: (message: string) => StatusBase;
}

/** What {@link checkWorkload} found. */
export interface WorkloadHealth {
  /** Whether Pebble answered. */
  reachable: boolean;
  /** The services the plan starts (`startup: enabled`) that are not running. */
  stopped: ServiceInfo[];
  /** The checks that are down (failures at their threshold). */
  down: CheckInfo[];
}

/**
 * Adds the container's conditions to the status bus and resolves to what it found:
 * `WaitingStatus('Waiting for Pebble in <name>')` while Pebble cannot be reached; for each
 * service the plan starts that is not running (`backoff` included), and each check that is
 * down at the level asked, the status `options.status` makes (Waiting by default). A check
 * that has not run yet is up, not down (pebble#628): only Pebble's own `down`, which it sets
 * once failures reach the threshold, counts. A reachable, running, healthy container adds
 * nothing.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * import { Container, checkWorkload } from 'charms-contextual-status/pebble';
 *
 * await status.reconcile(async () => {
 *   const web = new Container('web');
 *   if (!(await checkWorkload(web)).reachable) return; // Waiting for Pebble in web
 *   // … configure the workload …
 * });
 * ```
 */
export async function checkWorkload(
  container: Container,
  options: WorkloadOptions = {},
): Promise<WorkloadHealth> {
  const { level = 'ready', status = (message: string) => new WaitingStatus(message) } = options;
  const given: unknown = level;
  if (given !== 'alive' && given !== 'ready') {
    throw new TypeError(`checkWorkload() level is "alive" or "ready", got ${describeValue(level)}`);
  }
  if (typeof status !== 'function') {
    throw new TypeError(
      `checkWorkload() status makes a status from a message, such as (m) => new BlockedStatus(m), got ${describeValue(status)}`,
    );
  }
  const unreachable = (): WorkloadHealth => {
    add(new WaitingStatus(`Waiting for Pebble in ${container.name}`));
    return { reachable: false, stopped: [], down: [] };
  };
  if (!(await container.canConnect())) return unreachable();
  let services: ServiceInfo[];
  let checks: CheckInfo[];
  try {
    [services, checks] = await Promise.all([container.services(), container.checks()]);
  } catch (error) {
    if (error instanceof ConnectionError || error instanceof TimeoutError) return unreachable();
    throw error;
  }
  const stopped = services.filter((s) => s.startup === 'enabled' && s.current !== 'active');
  const down = checks.filter((c) => c.status === 'down' && (level === 'ready' || c.level !== 'ready'));
  for (const service of stopped) {
    add(made(status, `Service ${service.name} in ${container.name} is not running (${service.current})`));
  }
  for (const check of down) {
    add(
      made(
        status,
        `Check ${check.name} in ${container.name} is down (${String(check.failures)}/${String(check.threshold)} failures)`,
      ),
    );
  }
  return { reachable: true, stopped, down };
}

function made(status: (message: string) => StatusBase, message: string): StatusBase {
  const value = status(message);
  if (!(value instanceof StatusBase)) {
    throw new TypeError(`checkWorkload() status must return a status, got ${describeValue(value)}`);
  }
  return value;
}
