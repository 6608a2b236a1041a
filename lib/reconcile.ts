import { join } from 'node:path';

/**
 * `node:fs`, taken when a hook first needs it: importing it as an ES module builds its facade,
 * which loads every stream class fs exports (a few milliseconds of each hook's start).
 */
const fs = (): typeof import('node:fs') => process.getBuiltinModule('node:fs');

import type { StatusBus } from './bus.js';
import type { StatusContext } from './context.js';
import { CONTEXT_OPTIONS, type ContextOptions } from './context-options.js';
import { bus as defaultBus } from './default.js';
import { describeValue, messageOf, stackOf } from './describe.js';
import { failHook, hookEnv } from './hook.js';
import { ENV, TIMEOUT_MS, checkOptions, isPlainObject, oneOf, rule } from './options.js';
import { type HookToolOptions, runTool } from './juju/hook-tool.js';
import { JUJU_LOG_OPTIONS, type JujuLogOptions, LogSink, forward, isBus } from './juju/log.js';
import { HookToolUnit } from './juju/unit.js';
import { type UnitStatus, aggregate, inTieOrder } from './juju/application.js';
import { ReconcilerError } from './on-error.js';
import { type SettableStatus, StatusBase, type StatusName, isStatus } from './status.js';

/** How `update-status` is handled; see {@link ReconcileOptions.updateStatus}. */
const UPDATE_STATUS = ['skip-when-reconciled', 'always'] as const;

/**
 * Options of {@link reconcile}: the hook's context's own (`exitStatus`, `errorStatus` when `fn`
 * fails with anything but a `ReconcilerError`, `summary`), and the reconciler's.
 */
export interface ReconcileOptions extends ContextOptions {
  /**
   * On the leader, also publish a status as the application's (`status-set --application`):
   * `true`, its own final status; `'aggregate'`, the most severe among all the application's
   * units by Juju's ranking (its own fresh final status standing for itself, the others read
   * with `status-get --application --include-data`), ties to the leader then the lowest-numbered
   * unit, its message saying how many units share it and from which unit; or a function of the
   * leader's final status and every unit's (leader first, then by number) that returns the
   * status to publish. With `'aggregate'` or a function, `update-status` is never skipped on the
   * leader: that is when the other units' statuses are read again. The view lags until the
   * leader's next hook.
   */
  application?: boolean | 'aggregate' | ((own: StatusBase, units: readonly UnitStatus[]) => StatusBase);
  /** The charm's actions: a handler per action name, run instead of `fn` for that action. */
  actions?: Record<string, (action: string) => unknown>;
  /**
   * `'skip-when-reconciled'` (default): skip `update-status` while the last reconcile of this
   * unit succeeded, as charm-lib-reconciler does, so that an idle unit never flips to
   * maintenance and back. `'always'`: run it every time.
   */
  updateStatus?: (typeof UPDATE_STATUS)[number];
  /** Forward the bus's events to `juju-log` for the hook's duration (default `true`), or how. */
  log?: boolean | JujuLogOptions;
  /** The bus the hook's context is opened on (default: the default bus). */
  bus?: StatusBus;
  /** The hook's environment (default `process.env`; in a test's in-process run, that run's). */
  env?: Record<string, string | undefined>;
  /** Milliseconds before a hook tool is stopped (default 60 000). */
  timeoutMs?: number;
}

/** What one run of {@link reconcile} did. */
export interface ReconcileOutcome {
  /** The hook or action name, such as `'config-changed'` or `'restart'`. */
  hook: string;
  /** `'hook'`, `'action'`, or `'skipped'` (a reconciled `update-status`, or a restricted hook). */
  kind: 'hook' | 'action' | 'skipped';
  /** The status the unit was left showing, when a context ran. */
  status?: StatusBase;
  /** What `fn` or the action handler threw, when it did (a `ReconcilerError` included). */
  error?: unknown;
}

const OPTIONS = {
  ...CONTEXT_OPTIONS,
  application: rule<NonNullable<ReconcileOptions['application']>>(
    'true, false, "aggregate", or a function (own, units) => status',
    (v) => typeof v === 'boolean' || v === 'aggregate' || typeof v === 'function',
  ),
  actions: rule<Record<string, (action: string) => unknown>>(
    'an object of action names to handler functions, such as { restart: () => … }',
    (v) => isPlainObject(v) && Object.values(v).every((handler) => typeof handler === 'function'),
  ),
  updateStatus: oneOf(UPDATE_STATUS),
  log: rule<boolean | JujuLogOptions>(
    'true, false, or jujuLog() options such as { levels: { … } }',
    (v) => typeof v === 'boolean' || isPlainObject(v),
  ),
  bus: rule<StatusBus>('a StatusBus, such as status.bus', isBus),
  env: ENV,
  timeoutMs: TIMEOUT_MS,
};

/** Hooks in which Juju refuses most hook tools: nothing runs there. */
const RESTRICTED = new Set(['collect-metrics', 'meter-status-changed']);

/** The unit-state key that says the last reconcile of this unit succeeded. */
const RECONCILED = 'charms-contextual-status.reconciled';

/**
 * A file in the charm's folder that says a hook failed after the last reconcile that
 * succeeded, or that this unit's flag could not be written: the next `update-status` runs.
 *
 * Why a file as well as the flag: Juju commits a hook's `state-set` only when the hook
 * succeeds (`Flush` in the uniter's `runner/context/context.go` runs `doFlush` only when the
 * hook returned no error), so a failed hook cannot clear the flag. If the operator then skips
 * the hook (`juju resolved --no-retry`), the flag still says `true` from the last success, and
 * the unit would keep whatever the failed hook left. The charm's folder belongs to the unit and
 * is not rolled back, as ops' own `.unit-state.db` there relies on.
 */
const UNRECONCILED = '.charms-contextual-status.unreconciled';

/**
 * The charm's entry point: runs one hook, start to finish, the way charm-lib-reconciler runs a
 * Python charm. Call it once from the charm's `dispatch` entry with the charm's one reconcile
 * function.
 *
 * - For every hook, `fn(hook)` runs in a status context on the unit (a `HookToolUnit`), with
 *   the bus's events logged to `juju debug-log`. A `ReconcilerError` (from `onError`) is an
 *   expected condition, already a status: it is logged and the hook succeeds. Any other error
 *   is published (`errorStatus`, if set), logged with its stack, and fails the hook
 *   (`process.exitCode = 1`), so that Juju retries it.
 * - `update-status` is skipped while the last reconcile of this unit succeeded (kept across
 *   hook processes with Juju's `state-get`/`state-set`): no context, no `status-set`, and a
 *   Blocked unit stays Blocked. `updateStatus: 'always'` runs it every time.
 * - An action runs its handler from `actions` instead of `fn`, in a context with
 *   `exitStatus: 'unchanged'`, so an action never resets a Blocked unit to Active. A handler
 *   that throws, or a missing one, fails the action with `action-fail`.
 * - `collect-metrics` and `meter-status-changed`, where Juju refuses most hook tools, are
 *   left alone.
 * - With `application: true`, the leader also publishes the final status as the application's.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 *
 * await status.reconcile(
 *   async () => {
 *     status.add(new status.MaintenanceStatus('Configuring'));
 *     // … converge the unit on its configuration and relations …
 *   },
 *   { application: true, actions: { restart: async () => { /* … *\/ } } },
 * );
 * ```
 * @returns what the hook did, for tests and logs; the hook's failure is `process.exitCode`.
 * @throws TypeError (as a rejection) outside a hook, or for options of the wrong shape.
 */
export async function reconcile(
  fn: (hook: string) => unknown,
  options: ReconcileOptions = {},
): Promise<ReconcileOutcome> {
  if (typeof fn !== 'function') {
    throw new TypeError(`reconcile() needs the charm's reconcile function, got ${describeValue(fn)}`);
  }
  const checked = checkOptions(options, 'reconcile() options', OPTIONS);
  const env = checked.env ?? hookEnv();
  const tools: HookToolOptions = {
    env,
    ...(checked.timeoutMs === undefined ? {} : { timeoutMs: checked.timeoutMs }),
  };
  const { kind, name } = dispatched(env);
  if (kind === 'hook' && RESTRICTED.has(name)) return { hook: name, kind: 'skipped' };
  const bus = checked.bus ?? defaultBus;
  const log = checked.log ?? true;
  const logging =
    typeof log === 'object' ? checkOptions(log, 'reconcile() log option', JUJU_LOG_OPTIONS) : {};
  const sink = new LogSink({
    ...tools,
    ...(logging.env === undefined ? {} : { env: logging.env }),
    ...(logging.timeoutMs === undefined ? {} : { timeoutMs: logging.timeoutMs }),
  });
  // Without forwarding, the reconciler's own lines (failures above all) still reach juju-log.
  const detach = log === false ? () => sink.idle() : forward(bus, sink, logging.levels);
  try {
    const run: Run = { bus, sink, tools, charmDir: env.JUJU_CHARM_DIR ?? process.cwd() };
    if (kind === 'action') return await runAction(name, checked, run);
    if (
      name === 'update-status' &&
      checked.updateStatus !== 'always' &&
      !(await aggregatesHere(checked, run)) &&
      (await reconciled(run))
    ) {
      sink.log(
        'DEBUG',
        'update-status skipped: the last reconcile of this unit succeeded, its status stands',
      );
      return { hook: name, kind: 'skipped' };
    }
    return await runHook(name, fn, checked, run);
  } finally {
    await detach();
  }
}

interface Run {
  readonly bus: StatusBus;
  readonly sink: LogSink;
  readonly tools: HookToolOptions;
  /** The charm's folder, where the unit's failure mark is kept. */
  readonly charmDir: string;
}

type Checked = ReturnType<typeof checkOptions<typeof OPTIONS>>;

/**
 * The context options among `reconcile()`'s, read off the one table that defines them
 * ({@link CONTEXT_OPTIONS}): a context option added there reaches every hook's context.
 */
function contextOptionsOf(options: Checked, ...left: (keyof ContextOptions)[]): ContextOptions {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(CONTEXT_OPTIONS)) {
    const value = (left as string[]).includes(key) ? undefined : (options as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

async function runHook(
  hook: string,
  fn: (hook: string) => unknown,
  options: Checked,
  run: Run,
): Promise<ReconcileOutcome> {
  const { bus, sink, tools } = run;
  const { status, error } = await inContext(
    bus,
    new HookToolUnit(tools),
    () => fn(hook),
    contextOptionsOf(options),
  );
  const outcome: ReconcileOutcome = { hook, kind: 'hook', ...(status === undefined ? {} : { status }) };
  if (error === undefined) {
    await remember(true, run);
  } else {
    outcome.error = error;
    if (error instanceof ReconcilerError) {
      await remember(false, run);
      sink.log(
        'WARNING',
        `the ${hook} hook ended early on an expected error: ${error.message}\n${stackOf(error.cause)}`,
      );
    } else {
      // Juju discards this hook's state-set: only the file can say it failed.
      unreconciled(run, 'this hook failed');
      sink.log('ERROR', `the ${hook} hook failed, and Juju will retry it: ${stackOf(error)}`);
      failHook(1);
    }
  }
  if (options.application !== undefined && options.application !== false && status !== undefined) {
    await publishToApplication(status, options.application, sink, tools);
  }
  return outcome;
}

async function runAction(action: string, options: Checked, run: Run): Promise<ReconcileOutcome> {
  const { bus, sink, tools } = run;
  const handlers = options.actions ?? {};
  const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
  if (handler === undefined) {
    const names = Object.keys(handlers);
    const message = `this charm has no handler for the ${action} action: it handles ${names.length === 0 ? 'no actions' : names.join(', ')}`;
    sink.log('ERROR', message);
    await fail(message, run);
    return { hook: action, kind: 'action', error: new TypeError(message) };
  }
  // An action never resets a Blocked unit to Active; its failure is action-fail's to report.
  const { status, error } = await inContext(bus, new HookToolUnit(tools), () => handler(action), {
    ...contextOptionsOf(options, 'exitStatus', 'errorStatus'),
    exitStatus: 'unchanged',
  });
  const outcome: ReconcileOutcome = {
    hook: action,
    kind: 'action',
    ...(status === undefined ? {} : { status }),
  };
  if (error !== undefined) {
    outcome.error = error;
    const expected = error instanceof ReconcilerError;
    sink.log(
      expected ? 'WARNING' : 'ERROR',
      `the ${action} action failed: ${stackOf(expected ? error.cause : error)}`,
    );
    await fail(messageOf(error), run);
  }
  if (
    options.application !== undefined &&
    options.application !== false &&
    status !== undefined &&
    isSettable(status)
  ) {
    await publishToApplication(status, options.application, sink, tools);
  }
  return outcome;
}

/** Runs `body` in a context on `unit`; resolves to the final status and what was thrown. */
async function inContext(
  bus: StatusBus,
  unit: HookToolUnit,
  body: () => unknown,
  options: ContextOptions,
): Promise<{ status?: StatusBase; error?: unknown }> {
  let status: StatusBase | undefined;
  const resolved = (final: StatusBase, context: StatusContext): void => {
    if (context.unit === unit) status = final;
  };
  bus.on('resolved', resolved);
  try {
    await bus.context(unit, body, options);
    return status === undefined ? {} : { status };
  } catch (error) {
    return {
      ...(status === undefined ? {} : { status }),
      error: error ?? new Error('a hook threw undefined'),
    };
  } finally {
    bus.off('resolved', resolved);
  }
}

/** The hook or action this process runs, from Juju's environment. */
function dispatched(env: Record<string, string | undefined>): { kind: 'hook' | 'action'; name: string } {
  const path = env.JUJU_DISPATCH_PATH ?? '';
  const match = /^(hooks|actions)\/([^/]+)$/.exec(path);
  if (match !== null) return { kind: match[1] === 'actions' ? 'action' : 'hook', name: match[2] ?? '' };
  const action = env.JUJU_ACTION_NAME;
  if (action !== undefined && action !== '') return { kind: 'action', name: action };
  throw new TypeError(
    path === ''
      ? "reconcile() runs inside a Juju hook or action, and neither JUJU_DISPATCH_PATH nor JUJU_ACTION_NAME is set: run it from the charm's dispatch (in tests, with HookToolsSimulator.runHook)"
      : `reconcile() cannot tell the hook from JUJU_DISPATCH_PATH=${JSON.stringify(path)}: expected hooks/<name> or actions/<name>`,
  );
}

/**
 * Whether the last reconcile succeeded and no hook failed since; `false` when that cannot be
 * read (a skip needs a known-good flag).
 */
async function reconciled({ sink, tools, charmDir }: Run): Promise<boolean> {
  if (fs().existsSync(join(charmDir, UNRECONCILED))) {
    sink.log(
      'DEBUG',
      'update-status runs: a hook failed, or its flag was not kept, since the last reconcile',
    );
    return false;
  }
  try {
    return (await runTool('state-get', [RECONCILED], tools)).trim() === 'true';
  } catch (error) {
    sink.log(
      'ERROR',
      `could not read whether this unit is reconciled, so update-status runs: ${messageOf(error)}`,
    );
    return false;
  }
}

/**
 * Keeps whether this reconcile succeeded, for the next `update-status`, in a hook that will
 * succeed (Juju commits its `state-set`). Where the flag cannot be written, the failure mark
 * makes the next `update-status` run.
 */
async function remember(success: boolean, run: Run): Promise<void> {
  try {
    await runTool('state-set', [`${RECONCILED}=${success ? 'true' : ''}`], run.tools);
  } catch (error) {
    run.sink.log('ERROR', `could not record whether this unit is reconciled: ${messageOf(error)}`);
    unreconciled(run, 'the flag could not be written');
    return;
  }
  if (!success) return;
  try {
    fs().rmSync(join(run.charmDir, UNRECONCILED), { force: true });
  } catch (error) {
    run.sink.log('ERROR', `could not clear the mark of an earlier failed hook: ${messageOf(error)}`);
  }
}

/** Marks the unit as not reconciled where no Juju commit can undo it: the charm's folder. */
function unreconciled(run: Run, why: string): void {
  try {
    fs().writeFileSync(join(run.charmDir, UNRECONCILED), `${why}\n`);
  } catch (error) {
    run.sink.log(
      'ERROR',
      `${why}, and this unit could not be marked unreconciled in ${run.charmDir} (${messageOf(error)}): the next update-status may be skipped`,
    );
  }
}

async function publishToApplication(
  status: StatusBase,
  mode: Exclude<NonNullable<ReconcileOptions['application']>, false>,
  sink: LogSink,
  tools: HookToolOptions,
): Promise<void> {
  try {
    const leader = (await runTool('is-leader', ['--format=json'], tools)).trim() === 'true';
    if (!leader) return;
    const published = mode === true ? status : await derived(status, mode, tools);
    if (published === undefined) return;
    if (!isStatus(published) || !isSettable(published)) {
      throw new TypeError(
        `the application option's function must return a status a charm may set (active, blocked, maintenance, waiting), got ${describeValue(published)}`,
      );
    }
    await new HookToolUnit({ ...tools, application: true }).setStatus(published);
  } catch (error) {
    sink.log('ERROR', `could not publish the application status (${String(status)}): ${messageOf(error)}`);
  }
}

/**
 * The application status `mode` makes of the leader's final status `own` and the units'
 * statuses Juju holds (`status-get --application --include-data`), the leader's own standing
 * for itself.
 */
async function derived(
  own: StatusBase,
  mode: 'aggregate' | ((own: StatusBase, units: readonly UnitStatus[]) => StatusBase),
  tools: HookToolOptions,
): Promise<StatusBase | undefined> {
  const leader = (tools.env ?? hookEnv()).JUJU_UNIT_NAME ?? '';
  const raw = JSON.parse(
    await runTool('status-get', ['--format=json', '--include-data', '--application=true'], tools),
  ) as { 'application-status'?: { units?: Record<string, { status?: string; message?: string }> } };
  const units = Object.entries(raw['application-status']?.units ?? {}).map(([unit, info]) => ({
    unit,
    status:
      unit === leader
        ? own
        : StatusBase.fromName((info.status ?? 'unknown') as StatusName, info.message ?? ''),
  }));
  if (!units.some((u) => u.unit === leader)) units.push({ unit: leader, status: own });
  const ordered = inTieOrder(units, leader);
  return mode === 'aggregate' ? aggregate(ordered, leader) : mode(own, Object.freeze(ordered));
}

/** Whether this hook aggregates the application's status here: a leader with such a mode. */
async function aggregatesHere(options: Checked, run: Run): Promise<boolean> {
  if (options.application !== 'aggregate' && typeof options.application !== 'function') return false;
  try {
    return (await runTool('is-leader', ['--format=json'], run.tools)).trim() === 'true';
  } catch {
    return false;
  }
}

async function fail(message: string, { sink, tools }: Run): Promise<void> {
  try {
    await runTool('action-fail', ['--', message], tools);
  } catch (error) {
    sink.log('ERROR', `could not fail the action with action-fail: ${messageOf(error)}`);
  }
}

function isSettable(status: StatusBase): status is SettableStatus {
  return isStatus(status) && status.name !== 'unknown' && status.name !== 'error';
}
