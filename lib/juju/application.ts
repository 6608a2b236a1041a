// An application's status from its units' statuses, as Juju derives one for `juju status`
// (core/status/status.go `DeriveStatus` and `statusSeverities`: the most severe wins), with
// ties going to the leader, then to the lowest-numbered unit (Juju 4, juju#23239; Juju 3.6
// picks among equals by map order, and 4.0.0 derived none at all, juju#21424).

import { cut } from '../describe.js';
import { StatusBase } from '../status.js';

/** One unit's status, as the leader reads it with `status-get --application --include-data`. */
export interface UnitStatus {
  /** The unit's name, such as `'webapp/2'`. */
  readonly unit: string;
  /** What it shows. */
  readonly status: StatusBase;
}

/** Juju's severities (`statusSeverities`): the higher wins. */
const SEVERITY: Readonly<Record<string, number>> = {
  error: 100,
  blocked: 90,
  maintenance: 80,
  waiting: 70,
  active: 60,
  terminated: 50,
  unknown: 40,
};

/**
 * A status's severity by Juju's ranking (`statusSeverities`): the higher wins; 0 for a word
 * Juju does not rank.
 *
 * @internal
 */
export function severityOf(name: string): number {
  return SEVERITY[name] ?? 0;
}

/** `juju status` shows at most this much of a message. */
const MESSAGE_MAX = 120;

/**
 * `units` in the order ties are broken in: the leader first, then by unit number.
 *
 * @internal
 */
export function inTieOrder(units: readonly UnitStatus[], leader: string): UnitStatus[] {
  const number = (name: string): number => Number(name.slice(name.lastIndexOf('/') + 1));
  return [...units].sort((a, b) =>
    a.unit === leader ? -1 : b.unit === leader ? 1 : number(a.unit) - number(b.unit),
  );
}

/**
 * The status to publish for the application: the most severe of the units' statuses a charm may
 * set (a unit in `error` or `unknown` is Juju's to show, and `status-set` refuses both), ties to
 * the first of `ordered` ({@link inTieOrder}). With several units its message says how many
 * share that status, and which unit it comes from when that is not the leader, within what
 * `juju status` shows: `2/3 units: webapp/2: Waiting for the database`.
 *
 * @internal
 */
export function aggregate(ordered: readonly UnitStatus[], leader: string): StatusBase | undefined {
  let chosen: UnitStatus | undefined;
  for (const entry of ordered) {
    if (entry.status.name === 'error' || entry.status.name === 'unknown') continue;
    if (chosen === undefined || (SEVERITY[entry.status.name] ?? 0) > (SEVERITY[chosen.status.name] ?? 0)) {
      chosen = entry;
    }
  }
  if (chosen === undefined) return undefined;
  if (ordered.length === 1) return chosen.status;
  const sharing = ordered.filter((u) => u.status.name === chosen.status.name).length;
  const from = chosen.unit === leader ? '' : `${chosen.unit}: `;
  const message = `${String(sharing)}/${String(ordered.length)} units: ${from}${chosen.status.message}`;
  const whole = message.replace(/: $/, '');
  const text = Array.from(whole).length <= MESSAGE_MAX ? whole : `${cut(whole, MESSAGE_MAX - 1)}…`;
  return StatusBase.fromName(chosen.status.name, text);
}
