// status-get, status-set and juju-log, one call each. A charm reporting its status through
// the main entry (a context, reconcile(), HookToolUnit) gets ordering, coalescing and the
// final status; these are the tools themselves, for what those do not cover.

import {
  type HookToolOptions,
  JUJU_LOG_LEVELS as LOG_LEVELS,
  type LogLevel,
  type SettableStatus,
  StatusBase,
  type StatusName,
  settable,
} from '../index.js';
import { describeValue } from '../describe.js';
import { json, run, text } from './call.js';

/** Options of {@link statusGet} and {@link statusSet}. */
export interface StatusOptions extends HookToolOptions {
  /** The application's status instead of the unit's (the leader only). */
  app?: boolean;
}

/** A status as `status-get` reports it, with its data. */
export interface StatusInfo {
  /** The status, such as `new BlockedStatus('Add a database')`. */
  status: StatusBase;
  /** The status's data (`status-data`). */
  data: Record<string, unknown>;
}

/** The application's status and its units', as `status-get --application` reports them. */
export interface ApplicationStatusInfo extends StatusInfo {
  /** Each unit's status, by name. */
  units: Record<string, StatusInfo>;
}

function infoOf(raw: unknown): StatusInfo {
  const r = (raw ?? {}) as { status?: string; message?: string; 'status-data'?: Record<string, unknown> };
  return {
    status: StatusBase.fromName((r.status ?? 'unknown') as StatusName, r.message ?? ''),
    data: r['status-data'] ?? {},
  };
}

/**
 * The unit's status (`status-get --include-data`), or with `{ app: true }` the application's
 * and its units' (the leader only). Within one hook Juju answers the unit's status as the
 * hook's first read found it.
 *
 * @example
 * ```ts
 * const { status } = await statusGet();
 * if (status.name === 'blocked') return;
 * ```
 */
export async function statusGet(options?: StatusOptions & { app?: false }): Promise<StatusInfo>;
export async function statusGet(options: StatusOptions & { app: true }): Promise<ApplicationStatusInfo>;
export async function statusGet(options: StatusOptions = {}): Promise<StatusInfo | ApplicationStatusInfo> {
  const { app = false, ...tool } = options;
  const raw = await json('status-get', ['--include-data', `--application=${String(app)}`], tool);
  if (!app) return infoOf(raw);
  const all = ((raw ?? {}) as { 'application-status'?: Record<string, unknown> })['application-status'] ?? {};
  const units = (all.units ?? {}) as Record<string, unknown>;
  return {
    ...infoOf(all),
    units: Object.fromEntries(Object.entries(units).map(([name, unit]) => [name, infoOf(unit)])),
  };
}

/**
 * Sets the unit's status (`status-set -- <name> <message>`), or with `{ app: true }` the
 * application's (the leader only): at once, one call, whatever the hook does next.
 *
 * @example
 * ```ts
 * await statusSet(new BlockedStatus('Add a database'));
 * ```
 */
export async function statusSet(status: SettableStatus, options: StatusOptions = {}): Promise<void> {
  const { app = false, ...tool } = options;
  const checked = settable(status, 'statusSet() status');
  await run('status-set', [`--application=${String(app)}`, '--', checked.name, checked.message], tool);
}

/** Options of {@link jujuLogMessage}. */
export interface LogMessageOptions extends HookToolOptions {
  /** The level (default `'INFO'`). */
  level?: LogLevel;
}

/**
 * Writes one line to the unit's log (`juju-log --log-level <level> -- <message>`), seen in
 * `juju debug-log`. (The main entry's `jujuLog(bus)` forwards a bus's events instead.)
 *
 * @example
 * ```ts
 * await jujuLogMessage('Migrating the schema', { level: 'DEBUG' });
 * ```
 */
export async function jujuLogMessage(message: string, options: LogMessageOptions = {}): Promise<void> {
  const { level = 'INFO', ...tool } = options;
  if (!(LOG_LEVELS as readonly unknown[]).includes(level)) {
    throw new TypeError(
      `jujuLogMessage() level must be one of ${LOG_LEVELS.join(', ')}, got ${describeValue(level)}`,
    );
  }
  await run('juju-log', ['--log-level', level, '--', text(message, 'jujuLogMessage() message')], tool);
}
