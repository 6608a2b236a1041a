// What a test declares and passes: the options of `create()`, of a run and of the switches,
// each with its documentation, and the rules that check them (a top-level shape check with a
// clear message; the refusals Juju itself makes live with each part of the world). Relations
// are normalized here to the model's shape.

import { describeValue, messageOf } from '../describe.js';
import { BOOLEAN, ENV, type Rule, TIMEOUT_MS, checkOptions, isPlainObject, rule } from '../options.js';
import { APPLICATION, MODEL_UUID as UUID, RELATION_ID, UNIT } from '../juju/names.js';
import { type ReconcileOptions, type StatusBase, isStatus } from '../index.js';
import { DECLARED_OPTIONS, type Declared } from './state/index.js';
import type { Relation } from './world.js';

/** The signals `failNext` can kill a tool with. */
export const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGABRT', 'SIGSEGV'] as const;

/** How the next call of a tool fails. */
export interface InjectedFailure {
  /** Exit with this code (default 1). */
  exitCode?: number;
  /** Write this on stderr (default `ERROR injected failure`), as Juju writes `ERROR <why>`. */
  stderr?: string;
  /** Kill the tool with this signal instead, as the OOM killer or an operator might. */
  signal?: (typeof SIGNALS)[number];
  /** Never finish (for time-outs); the tool still ends with the simulator or its caller. */
  hang?: boolean;
}

/** A relation, as it stands before the hook. */
export interface SimulatedRelation {
  /** The charm's endpoint, such as `'database'`. */
  endpoint: string;
  /** The relation id (default: the next free one from 1). `database:7` has id 7. */
  id?: number;
  /** The remote application (default: the first remote unit's application, else `'remote'`). */
  remoteApp?: string;
  /** The data each remote unit has set, by unit name, such as `{ 'postgresql/0': {} }`. */
  remoteUnits?: Record<string, Record<string, string>>;
  /** The data the remote application's leader has set. */
  remoteAppData?: Record<string, string>;
  /** The data this unit has set. */
  localUnitData?: Record<string, string>;
  /** The data this application has set (its leader). */
  localAppData?: Record<string, string>;
  /** The remote application's model, when it is in another one (`relation-model-get`). */
  remoteModelUuid?: string;
}

/** Options of {@link HookToolsSimulator.create}: the world before the hook. */
export interface SimulatorOptions extends Declared {
  /** Whether the unit is the leader (default `false`, as in ops' testing tools). */
  leader?: boolean;
  /** The unit's name (default `'app/0'`). */
  unitName?: string;
  /** Charm configuration served by `config-get`; a `null` option has no value and no default. */
  config?: Record<string, unknown>;
  /** The relations, served by `relation-ids`, `relation-list`, `relation-get`, `relation-set`. */
  relations?: SimulatedRelation[];
  /** What the unit shows (default: as Juju starts it: `unknown`, or during `install`, `maintenance`). */
  unitStatus?: StatusBase;
  /** What the application shows (default: derived from its units, as Juju derives it). */
  applicationStatus?: StatusBase;
  /** The unit's server-side state (`state-get`, `state-set`), kept across hooks. */
  state?: Record<string, string>;
  /** The parameters `runAction` gives an action when it is given none. */
  actionParams?: Record<string, unknown>;
  /**
   * The charm's folder: its `charmcraft.yaml` (or `metadata.yaml`, `config.yaml`,
   * `actions.yaml`) declares what the simulator then holds it to, as Juju does: `config-get`
   * serves the declared defaults; an undeclared option, a value of the wrong type, a relation
   * or relation hook on an undeclared endpoint, an undeclared action, or action parameters its
   * schema refuses are a `TypeError` naming what is declared. `runHook()` of a charm folder
   * reads it too, when the simulator has none.
   */
  charmDir?: string;
}

/** A canned answer of a tool added with {@link HookToolsSimulator.addTool}. */
export interface CannedAnswer {
  /** Printed on stdout. */
  stdout?: string;
  /** Printed on stderr. */
  stderr?: string;
  /** The exit code (default 0). */
  exitCode?: number;
}

/**
 * A charm run in the test's own process: the reconcile function and options its entry point
 * passes to `reconcile()`.
 */
export interface Charm {
  /** The charm's reconcile function, called with the hook's name. */
  readonly reconcile: (hook: string) => unknown;
  /** Its `reconcile()` options (all but `env`: the run gives the hook its environment). */
  readonly options?: Omit<ReconcileOptions, 'env'>;
}

/** Options of {@link HookToolsSimulator.runAction}. */
export interface RunActionOptions {
  /** More environment variables for the action. */
  env?: Record<string, string>;
  /**
   * Milliseconds the run may take (default 60 000): past them, a `dispatch` process is killed
   * and an in-process run is ended, and the run says so in `stderr` with `exitCode: null`.
   */
  timeoutMs?: number;
}

/** Options of {@link HookToolsSimulator.runHook}. */
export interface RunHookOptions extends RunActionOptions {
  /**
   * For a relation hook (`<endpoint>-relation-…`): which relation, and the remote unit the
   * hook is about (default: the relation's first remote unit). Default: the first relation on
   * the hook's endpoint.
   */
  relation?: HookRelation;
  /** For `<container>-pebble-check-failed` and `-check-recovered`: the check (`JUJU_PEBBLE_CHECK_NAME`). */
  check?: string;
  /**
   * For `<container>-pebble-custom-notice`: the key of a custom notice recorded in the
   * container (declared, or recorded with `notify()`), which sets `JUJU_NOTICE_ID`,
   * `JUJU_NOTICE_TYPE` and `JUJU_NOTICE_KEY`.
   */
  notice?: string;
}

/** The relation a relation hook is about. */
export interface HookRelation {
  /** The relation's id: `'database:7'`, or `7`. */
  id: string | number;
  /** The remote unit the hook is about, such as `'postgresql/1'` (default: the relation's first). */
  remoteUnit?: string;
}

/** @internal */
export const STRING_MAP = rule<Record<string, string>>(
  'an object of names to strings',
  (v) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string'),
);
/** @internal */
export const NAME = APPLICATION;
/** @internal */
export const UNIT_NAME = UNIT;
/** @internal */
export const RELATION_OPTIONS = {
  endpoint: rule<string>('an endpoint name such as "database"', (v) => typeof v === 'string' && NAME.test(v)),
  id: rule<number>(
    'a whole number, 0 or more',
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  ),
  remoteApp: rule<string>(
    'an application name such as "postgresql"',
    (v) => typeof v === 'string' && NAME.test(v),
  ),
  remoteUnits: rule<Record<string, Record<string, string>>>(
    'an object of unit names (such as "postgresql/0") to their data (names to strings)',
    (v) =>
      isPlainObject(v) &&
      Object.entries(v).every(([unit, data]) => UNIT_NAME.test(unit) && STRING_MAP.test(data)),
  ),
  remoteAppData: STRING_MAP,
  localUnitData: STRING_MAP,
  localAppData: STRING_MAP,
  remoteModelUuid: rule<string>(
    'a model UUID such as "9a0f3c1e-0000-4000-8000-000000000000"',
    (v) => typeof v === 'string' && UUID.test(v),
  ),
};
const relationsRule = rule<SimulatedRelation[]>(
  'an array of relations such as { endpoint: "database", remoteUnits: { "postgresql/0": {} } }',
  (v) =>
    Array.isArray(v) &&
    v.every((r: unknown) => {
      try {
        return checkOptions(r, 'relation', RELATION_OPTIONS).endpoint !== undefined;
      } catch {
        return false;
      }
    }),
);
const STATUS: Rule<StatusBase> = rule('a status such as new BlockedStatus("…")', isStatus);
/** @internal */
export const SIMULATOR_OPTIONS = {
  leader: BOOLEAN,
  unitName: rule<string>('a unit name such as "app/0"', (v) => typeof v === 'string' && UNIT_NAME.test(v)),
  config: rule<Record<string, unknown>>('an object of option values', isPlainObject),
  relations: relationsRule,
  unitStatus: STATUS,
  applicationStatus: STATUS,
  state: STRING_MAP,
  actionParams: rule<Record<string, unknown>>('an object of parameter values', isPlainObject),
  charmDir: rule<string>('the path of a charm folder', (v) => typeof v === 'string' && v !== ''),
  ...DECLARED_OPTIONS,
};
/** @internal */
export const FAILURE_OPTIONS = {
  exitCode: rule<number>(
    'a whole number from 1 to 255',
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255,
  ),
  stderr: rule<string>('a string such as "ERROR …"', (v) => typeof v === 'string'),
  signal: rule<(typeof SIGNALS)[number]>(`one of ${SIGNALS.join(', ')}`, (v) =>
    (SIGNALS as readonly unknown[]).includes(v),
  ),
  hang: BOOLEAN,
};
/** @internal */
export const CANNED_OPTIONS = {
  stdout: rule<string>('a string', (v) => typeof v === 'string'),
  stderr: rule<string>('a string', (v) => typeof v === 'string'),
  exitCode: rule<number>(
    'a whole number from 0 to 255',
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255,
  ),
};
/** @internal */
export const ACTION_RUN_OPTIONS = { env: ENV, timeoutMs: TIMEOUT_MS };
/** @internal */
export const RUN_OPTIONS = {
  ...ACTION_RUN_OPTIONS,
  relation: rule<HookRelation>(
    'a relation such as { id: "database:7" (or 7), remoteUnit: "postgresql/0" }',
    (v) =>
      isPlainObject(v) &&
      relationNumber(v.id) !== undefined &&
      Object.keys(v).every((k) => k === 'id' || k === 'remoteUnit') &&
      (v.remoteUnit === undefined || (typeof v.remoteUnit === 'string' && UNIT_NAME.test(v.remoteUnit))),
  ),
  check: rule<string>('a check name such as "ready"', (v) => typeof v === 'string' && v !== ''),
  notice: rule<string>('a notice key such as "example.com/db"', (v) => typeof v === 'string' && v !== ''),
};

/** The number of a relation id, `'database:7'` or `7`; `undefined` for anything else. */
/** @internal */
export function relationNumber(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isInteger(id) && id >= 0 ? id : undefined;
  const match = typeof id === 'string' ? RELATION_ID.exec(id) : null;
  return match === null ? undefined : Number(match[2]);
}

/** The charm a run takes: a folder, or `{ reconcile, options }`; a TypeError for anything else. */
/** @internal */
export function checkCharm(charm: unknown, where: string): string | Charm {
  if (typeof charm === 'string') return charm;
  const accepted = `${where} takes the charm's folder (a string) or the charm itself, { reconcile, options? } (the function and options its entry point passes to reconcile())`;
  if (!isPlainObject(charm) || typeof charm.reconcile !== 'function') {
    throw new TypeError(`${accepted}, got ${describeValue(charm)}`);
  }
  const extra = Object.keys(charm).filter((key) => key !== 'reconcile' && key !== 'options');
  if (extra.length > 0) throw new TypeError(`${accepted}, got one with ${extra.join(', ')} as well`);
  const options = charm.options;
  if (options !== undefined && !isPlainObject(options)) {
    throw new TypeError(`${where} charm options must be reconcile() options, got ${describeValue(options)}`);
  }
  if (options !== undefined && Object.hasOwn(options, 'env')) {
    throw new TypeError(
      `${where} runs the charm in this process with the hook's own environment: its options must not set env`,
    );
  }
  return charm as unknown as Charm;
}

/** A copy of values a test declared, refused with a TypeError where JSON cannot hold them. */
/** @internal */
export function cloned(values: Record<string, unknown>, what: string): Record<string, unknown> {
  // JSON would turn NaN and Infinity into null (no value) and drop undefined, a function or a
  // symbol without a word: each is refused instead, by name.
  const check = (value: unknown, path: string): void => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(
        `${what} ${path} is ${String(value)}, which Juju cannot hold: give a finite number`,
      );
    }
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(
        `${what} ${path} is ${describeValue(value)}, which Juju cannot hold: give a string, number, boolean, null, array or object`,
      );
    }
    if (Array.isArray(value))
      value.forEach((item, i) => {
        check(item, `${path}[${String(i)}]`);
      });
    else if (isPlainObject(value))
      for (const [key, item] of Object.entries(value)) check(item, `${path}.${key}`);
  };
  for (const [key, value] of Object.entries(values)) check(value, key);
  try {
    return JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  } catch (error) {
    throw new TypeError(`${what} must hold only what JSON can (${messageOf(error)})`);
  }
}

/** @internal */
export function normalize(relations: readonly SimulatedRelation[]): Relation[] {
  const used = new Set<number>();
  for (const r of relations) {
    if (r.id === undefined) continue;
    // Juju numbers each relation of a model once: two with one id cannot be.
    if (used.has(r.id)) throw new TypeError(`create() relations declares relation id ${String(r.id)} twice`);
    used.add(r.id);
  }
  let next = 1;
  return relations.map((r) => {
    let id = r.id;
    if (id === undefined) {
      while (used.has(next)) next += 1;
      id = next;
      used.add(id);
    }
    const units = structuredClone(r.remoteUnits ?? {});
    const first = Object.keys(units).sort()[0];
    return {
      endpoint: r.endpoint,
      id,
      remoteApp: r.remoteApp ?? first?.split('/')[0] ?? 'remote',
      remoteUnits: units,
      remoteAppData: { ...(r.remoteAppData ?? {}) },
      localUnitData: { ...(r.localUnitData ?? {}) },
      localAppData: { ...(r.localAppData ?? {}) },
      ...(r.remoteModelUuid === undefined ? {} : { remoteModelUuid: r.remoteModelUuid }),
    };
  });
}
