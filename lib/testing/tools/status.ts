// status-set and status-get, after juju/juju internal/worker/uniter/runner/jujuc/status-set.go
// and status-get.go.

import { severityOf } from '../../juju/application.js';
import { render, formatOf } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';
import type { StatusRecord, World } from '../world.js';

/** Settable statuses, in the order Juju lists them in its error (status-set.go, `Init`). */
const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'];

/**
 * What the unit shows: set by the charm or by Juju around hooks (the model sets those), else
 * `unknown`, as Juju starts a unit.
 *
 * @internal
 */
export function unitStatus(world: World): StatusRecord {
  return world.unit ?? { status: 'unknown', message: '' };
}

/**
 * What the application shows: the status its leader set, or, until it sets one, its units'
 * derived as Juju derives it (core/status/status.go, `DeriveStatus`: the most severe by
 * `statusSeverities`), ties to the first of `units` (the leader, then the lowest-numbered unit:
 * Juju 4's rule, juju#23239).
 *
 * @internal
 */
export function applicationStatus(
  world: World,
  units: readonly { readonly status: StatusRecord }[],
): StatusRecord {
  if (world.application) return world.application;
  let chosen: StatusRecord = { status: 'unknown', message: '' };
  for (const { status } of units) if (severityOf(status.status) > severityOf(chosen.status)) chosen = status;
  return { ...chosen };
}

/** @internal */
export const STATUS_TOOLS = {
  'status-set': {
    usage: 'status-set [options] <maintenance | blocked | waiting | active> [message]',
    purpose: 'Set status information.',
    flags: {
      application: {
        type: 'boolean',
        usage: 'set this status for the application to which the unit belongs if the unit is the leader',
      },
    },
    run({ parsed, world }) {
      const [status, message = '', ...extra] = parsed.args;
      if (status === undefined) throw new ToolExit(2, 'invalid args, require <status> [message] [data]');
      if (!SETTABLE.includes(status))
        throw new ToolExit(2, `invalid status "${status}", expected one of [${SETTABLE.join(' ')}]`);
      checkEmpty(extra);
      const application = parsed.flags.application === true;
      if (application && !world.leader) throw new ToolExit(1, 'this unit is not the leader');
      world[application ? 'application' : 'unit'] = { status, message };
      return { effect: { status: { status, message, application } } };
    },
  },

  'status-get': {
    usage: 'status-get [options] [--include-data] [--application]',
    purpose: 'Print status information.',
    format: true,
    flags: {
      'include-data': { type: 'boolean', usage: 'print all status data' },
      application: {
        type: 'boolean',
        usage: 'print status for all units of this application if this unit is the leader',
      },
    },
    run({ parsed, world, hook, units }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      const data = parsed.flags['include-data'] === true;
      const details = (s: StatusRecord): object =>
        data ? { message: s.message, status: s.status, 'status-data': {} } : { status: s.status };
      if (parsed.flags.application === true) {
        if (!world.leader) throw new ToolExit(1, 'finding application status: this unit is not the leader');
        // status-get.go, ApplicationStatus: the application's status, and every unit's.
        const all = units();
        const app = applicationStatus(world, all);
        const value =
          !data && format === 'smart'
            ? app.status
            : {
                'application-status': {
                  ...details(app),
                  units: Object.fromEntries(all.map((u) => [u.unit, details(u.status)])),
                },
              };
        return { stdout: render(value, format) };
      }
      // Juju reads the unit's status once per hook (the hook context caches it) and answers the
      // same after a status-set.
      const unit = (hook.unitRead ??= unitStatus(world));
      return { stdout: render(!data && format === 'smart' ? unit.status : details(unit), format) };
    },
  },
} satisfies Record<string, Tool>;
