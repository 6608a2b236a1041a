// The hook's environment, for the charm: what Juju set for this hook (JUJU_RELATION_ID,
// JUJU_REMOTE_UNIT, JUJU_ACTION_NAME, …).

import { charmEnv } from '../hook.js';

/**
 * The environment Juju gave this hook: `process.env` in a hook's process, and in a hook a
 * test runs in its own process, that run's (where `process.env` is the test's). Read the
 * hook's variables through it, and a charm runs both ways unchanged. A process the charm starts
 * with it finds the hook tools on its `PATH` either way.
 *
 * @example
 * ```ts
 * import { hookEnvironment, relationList } from 'charms-contextual-status/hook-tools';
 * const { JUJU_RELATION_ID: id, JUJU_REMOTE_UNIT: unit } = hookEnvironment();
 * ```
 */
export function hookEnvironment(): Readonly<Record<string, string | undefined>> {
  return charmEnv();
}
