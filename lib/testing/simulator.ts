import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describeValue } from '../describe.js';
import { BOOLEAN, ENV, type Rule, checkOptions, isPlainObject, rule } from '../options.js';
// From the package's main entry, not its modules: the published testing entry is a bundle of
// its own, and statuses must be the main entry's classes (`instanceof BlockedStatus` in a test).
import { StatusBase, type StatusName, isStatus } from '../index.js';

/** The hook tools a simulator provides. */
export const SIMULATED_TOOLS = [
  'status-set',
  'status-get',
  'juju-log',
  'is-leader',
  'config-get',
  'relation-ids',
  'relation-list',
  'relation-get',
  'relation-set',
  'state-get',
  'state-set',
  'action-get',
  'action-set',
  'action-log',
  'action-fail',
] as const;

/** The signals `failNext` can kill a tool with. */
const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGABRT', 'SIGSEGV'] as const;

/** A hook tool the simulator provides. */
export type SimulatedTool = (typeof SIMULATED_TOOLS)[number];

/** One recorded invocation of a hook tool. */
export interface HookToolCall {
  /** The tool's name, such as `'status-set'` (or one added with `addTool`). */
  readonly tool: string;
  /** Its arguments, exactly as the process received them. */
  readonly args: readonly string[];
  /** Its exit code; `null` when it was killed by a signal or made to hang. */
  readonly exitCode: number | null;
  /** The signal it was killed by, when `failNext` asked for one. */
  readonly signal?: string;
}

/** One line a charm logged with `juju-log`. */
export interface LogLine {
  /** `TRACE`, `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`. */
  readonly level: string;
  /** The line, its words joined by spaces as `juju-log` joins them. */
  readonly message: string;
}

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
}

/** Options of {@link HookToolsSimulator.create}: the world before the hook. */
export interface SimulatorOptions {
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

/** Options of {@link HookToolsSimulator.runHook}. */
export interface RunHookOptions {
  /** More environment variables for the hook. */
  env?: Record<string, string>;
  /**
   * For a relation hook (`<endpoint>-relation-…`): which relation, and the remote unit the
   * hook is about (default: the relation's first remote unit). Default: the first relation on
   * the hook's endpoint.
   */
  relation?: HookRelation;
}

/** The relation a relation hook is about. */
export interface HookRelation {
  /** The relation's id: `7` for `database:7`. */
  id: number;
  /** The remote unit the hook is about, such as `'postgresql/1'` (default: the relation's first). */
  remoteUnit?: string;
}

/** What one hook did, and nothing from before it. */
export interface HookRun {
  /** The exit code of `dispatch` (`null` if a signal stopped it). */
  readonly exitCode: number | null;
  /** What the charm printed on stdout. */
  readonly stdout: string;
  /** What the charm printed on stderr. */
  readonly stderr: string;
  /** The unit statuses the hook set, oldest first. */
  readonly statuses: readonly StatusBase[];
  /** The application statuses the hook set, oldest first. */
  readonly applicationStatuses: readonly StatusBase[];
  /** The lines the hook logged with `juju-log`. */
  readonly logs: readonly LogLine[];
  /** Every hook tool call the hook made. */
  readonly calls: readonly HookToolCall[];
}

/** What one action did: its hook run, and what it told Juju of its result. */
export interface ActionRun extends HookRun {
  /** The results set with `action-set`, dotted keys as nested objects. */
  readonly results: Readonly<Record<string, unknown>>;
  /** Whether the action called `action-fail`. */
  readonly failed: boolean;
  /** The message given to `action-fail`, if it was called. */
  readonly message: string | undefined;
}

interface RecordedCall extends HookToolCall {
  readonly sequence: number;
  readonly hook: string;
  readonly status?: { status: string; message: string; application: boolean };
  readonly log?: LogLine;
  readonly actionResults?: [string[], string][];
  readonly actionFailed?: string;
}

const TOOL_SCRIPT = fileURLToPath(new URL('./hook-tool.cjs', import.meta.url));

type Tool = typeof import('./hook-tool.cjs');
type State = ReturnType<Tool['readState']>;

/**
 * The tool module's state helpers, for this process. Loaded under a URL of its own (the query)
 * so that this process's copy and the tool processes' copies stay apart: tools that a loader
 * or a coverage tool sees twice under one name would be measured wrong.
 */
let helpers: Promise<Tool> | undefined;
function tool(): Promise<Tool> {
  return (helpers ??= import(`${pathToFileURL(TOOL_SCRIPT).href}?in-process`) as Promise<Tool>);
}

const STRING_MAP = rule<Record<string, string>>(
  'an object of names to strings',
  (v) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string'),
);
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const UNIT_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
const RELATION_OPTIONS = {
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
const SIMULATOR_OPTIONS = {
  leader: BOOLEAN,
  unitName: rule<string>('a unit name such as "app/0"', (v) => typeof v === 'string' && UNIT_NAME.test(v)),
  config: rule<Record<string, unknown>>('an object of option values', isPlainObject),
  relations: relationsRule,
  unitStatus: STATUS,
  applicationStatus: STATUS,
  state: STRING_MAP,
  actionParams: rule<Record<string, unknown>>('an object of parameter values', isPlainObject),
};
const FAILURE_OPTIONS = {
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
const CANNED_OPTIONS = {
  stdout: rule<string>('a string', (v) => typeof v === 'string'),
  stderr: rule<string>('a string', (v) => typeof v === 'string'),
  exitCode: rule<number>(
    'a whole number from 0 to 255',
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255,
  ),
};
const RUN_OPTIONS = {
  env: ENV,
  relation: rule<{ id: number; remoteUnit?: string }>(
    'a relation such as { id: 7, remoteUnit: "postgresql/0" }',
    (v) =>
      isPlainObject(v) &&
      typeof v.id === 'number' &&
      Object.keys(v).every((k) => k === 'id' || k === 'remoteUnit') &&
      (v.remoteUnit === undefined || (typeof v.remoteUnit === 'string' && UNIT_NAME.test(v.remoteUnit))),
  ),
};

let runs = 0;

/**
 * A folder of fake Juju hook tools that behave like Juju's and record every call, and the
 * harness to run a charm's hooks against them: declare the world before the hook
 * ({@link HookToolsSimulator.create}), run one hook or action through the charm's `dispatch`
 * in a new process, as Juju runs it ({@link HookToolsSimulator.runHook},
 * {@link HookToolsSimulator.runAction}), and assert on what it did. This is what ops' testing
 * `Context` and `State` are to Python charms, across a real process boundary.
 *
 * The tools take the arguments Juju's take and refuse what they refuse, with Juju's exit code
 * and `ERROR` line, and print what Juju prints in each `--format`. Where Juju surprises, they
 * keep it: `--application=False` is false, and within one hook `status-get` answers the unit's
 * status as the hook's first read found it.
 *
 * @example
 * ```ts
 * import { HookToolsSimulator } from 'charms-contextual-status/testing';
 *
 * const simulator = await HookToolsSimulator.create({ leader: true, config: { port: 8080 } });
 * try {
 *   const run = await simulator.runHook('./my-charm', 'config-changed');
 *   run.statuses.map(String); // ['maintenance: Configuring', 'active: Serving on :8080']
 * } finally {
 *   await simulator.cleanup();
 * }
 * ```
 */
export class HookToolsSimulator {
  /** The folder holding the tool executables; first on `PATH` in {@link env}. */
  readonly dir: string;
  /**
   * The environment of a hook run against the simulator (one hook context, for in-process use).
   * Tools called with it outside `runHook`/`runAction` change the world at once: there is no
   * hook end at which to commit or discard.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly #root: string;

  private constructor(root: string, env: Record<string, string>) {
    this.#root = root;
    this.dir = join(root, 'bin');
    this.env = Object.freeze(env);
  }

  /**
   * Makes a simulator in a new temporary folder, holding the world before the hook. Call
   * {@link cleanup} when done.
   *
   * @throws TypeError (as a rejection) for options of the wrong shape.
   */
  static async create(options: SimulatorOptions = {}): Promise<HookToolsSimulator> {
    const checked = checkOptions(options, 'simulator options', SIMULATOR_OPTIONS);
    const {
      leader = false,
      unitName = 'app/0',
      config = {},
      relations = [],
      state = {},
      actionParams = {},
    } = checked;
    const root = await mkdtemp(join(tmpdir(), 'juju-hook-tools-'));
    const bin = join(root, 'bin');
    await mkdir(bin);
    await mkdir(join(root, 'charm'));
    const initial: State = {
      leader,
      unitName,
      unit: checked.unitStatus === undefined ? null : record(checked.unitStatus),
      application: checked.applicationStatus === undefined ? null : record(checked.applicationStatus),
      config: { ...config },
      relations: normalize(relations),
      charmState: { ...state },
      committed: {},
      actionParams: { '': { ...actionParams } },
      unitReads: {},
      custom: {},
      delayMs: 0,
      failures: [],
      sequence: 0,
    };
    await writeFile(join(root, 'state.json'), JSON.stringify(initial));
    await writeFile(join(root, 'calls.jsonl'), '');
    await writeFile(join(root, 'delay'), '0');
    for (const name of SIMULATED_TOOLS) await writeTool(root, name);
    const app = unitName.split('/')[0] ?? unitName;
    const env: Record<string, string> = {
      ...stringEntries(process.env),
      PATH: [bin, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
      JUJU_UNIT_NAME: unitName,
      JUJU_APPLICATION_NAME: app,
      JUJU_MODEL_NAME: 'simulated',
      JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
      JUJU_VERSION: '3.6.0',
      JUJU_CHARM_DIR: join(root, 'charm'),
      JUJU_CONTEXT_ID: `${unitName}-simulated`,
      JUJU_HOOK_TOOLS_SIMULATOR: root,
    };
    return new HookToolsSimulator(root, env);
  }

  /**
   * Runs one hook as Juju runs it: `dispatch` in a new process, in the unit's own charm
   * folder (the entries of `charmDir` linked into it, as Juju deploys a copy of the charm per
   * unit), with the hook's environment (`JUJU_DISPATCH_PATH=hooks/<hook>`, `JUJU_HOOK_NAME`,
   * `JUJU_CHARM_DIR` naming that folder, `JUJU_UNIT_NAME`, `JUJU_MODEL_NAME`, `JUJU_VERSION`,
   * a new `JUJU_CONTEXT_ID`, the relation's variables for a relation hook) and the tools first
   * on `PATH`. Resolves to what that hook did, and nothing from before it. A hook that exits
   * non-zero keeps none of its unit state or relation settings, as Juju commits a hook only
   * when it succeeds (`Flush`); its statuses stand.
   *
   * @throws TypeError (as a rejection) for a hook name or options of the wrong shape.
   */
  async runHook(charmDir: string, hook: string, options: RunHookOptions = {}): Promise<HookRun> {
    if (typeof hook !== 'string' || !/^[a-z][a-z0-9-]*$/.test(hook)) {
      throw new TypeError(`runHook() takes a hook name such as "config-changed", got ${describeValue(hook)}`);
    }
    const { env = {}, relation } = checkOptions(options, 'runHook() options', RUN_OPTIONS);
    const relationEnv = await this.#relationEnv(hook, relation);
    return this.#dispatch(charmDir, {
      ...relationEnv,
      ...env,
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_HOOK_NAME: hook,
    });
  }

  /**
   * Runs one action as Juju runs it (`JUJU_DISPATCH_PATH=actions/<action>`,
   * `JUJU_ACTION_NAME`, `JUJU_ACTION_UUID`), with `params` served by `action-get` (default:
   * the `actionParams` the simulator was made with). Resolves to what the action did,
   * with the results of `action-set` and whether it called `action-fail`.
   *
   * @throws TypeError (as a rejection) for an action name or parameters of the wrong shape.
   */
  async runAction(charmDir: string, action: string, params?: Record<string, unknown>): Promise<ActionRun> {
    if (typeof action !== 'string' || !/^[a-z][a-z0-9-]*$/.test(action)) {
      throw new TypeError(`runAction() takes an action name such as "restart", got ${describeValue(action)}`);
    }
    if (params !== undefined && !isPlainObject(params)) {
      throw new TypeError(
        `runAction() params must be an object of parameter values, got ${describeValue(params)}`,
      );
    }
    const id = nextContext(action);
    await this.#update((state) => {
      state.actionParams[id] = { ...(params ?? state.actionParams[''] ?? {}) };
    });
    const uuid = `00000000-0000-4000-8000-${String(runs).padStart(12, '0')}`;
    const run = await this.#dispatch(
      charmDir,
      { JUJU_DISPATCH_PATH: `actions/${action}`, JUJU_ACTION_NAME: action, JUJU_ACTION_UUID: uuid },
      id,
    );
    const records = (await this.#records()).filter((call) => call.hook === id);
    const results: Record<string, unknown> = {};
    let message: string | undefined;
    for (const call of records) {
      for (const [keys, value] of call.actionResults ?? []) setDeep(results, keys, value);
      if (call.actionFailed !== undefined) message = call.actionFailed;
    }
    return { ...run, results, failed: message !== undefined, message };
  }

  /**
   * Adds a hook tool the simulator does not provide (`open-port`, `secret-get`, …), first on
   * `PATH` like the others, its calls recorded in {@link calls}. `answer` is a canned
   * `{ stdout?, stderr?, exitCode? }`, or the path of an executable of yours that runs with the
   * call's arguments and environment. Replaces a tool of that name, even a simulated one.
   *
   * @throws TypeError (as a rejection) for a name or answer of the wrong shape.
   */
  async addTool(name: string, answer: CannedAnswer | string): Promise<void> {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(`addTool() takes a tool name such as "open-port", got ${describeValue(name)}`);
    }
    const custom =
      typeof answer === 'string'
        ? { executable: resolve(answer) }
        : checkOptions(answer, 'addTool() answer', CANNED_OPTIONS);
    await writeTool(this.#root, name);
    await this.#update((state) => {
      state.custom[name] = custom;
    });
  }

  /**
   * The statuses set with `status-set`, oldest first: the unit's, or the application's with
   * `{ application: true }`. Failed calls set nothing and are not listed.
   */
  async statusHistory(options: { application?: boolean } = {}): Promise<StatusBase[]> {
    return statusesOf(await this.#records(), options.application === true);
  }

  /** The unit's current status (the application's with `{ application: true }`), as Juju holds it. */
  async status(options: { application?: boolean } = {}): Promise<StatusBase> {
    const state = await this.#state();
    const found = options.application === true ? (state.application ?? state.unit) : state.unit;
    return StatusBase.fromName((found?.status ?? 'unknown') as StatusName, found?.message ?? '');
  }

  /** The unit's server-side state, as `state-set` left it. */
  async state(): Promise<Record<string, string>> {
    return { ...(await this.#state()).charmState };
  }

  /** Every tool call so far, oldest first: tool, arguments, exit code. */
  async calls(tool?: string): Promise<HookToolCall[]> {
    return callsOf((await this.#records()).filter((call) => tool === undefined || call.tool === tool));
  }

  /** The lines logged with `juju-log`, oldest first. */
  async logs(): Promise<LogLine[]> {
    return logsOf(await this.#records());
  }

  /** Makes the unit the leader, or not: `is-leader`, and whether `--application` is allowed. */
  async setLeader(leader: boolean): Promise<void> {
    if (typeof leader !== 'boolean')
      throw new TypeError(`setLeader() takes true or false, got ${describeValue(leader)}`);
    await this.#update((state) => {
      state.leader = leader;
    });
  }

  /** Sets the charm configuration that `config-get` serves. */
  async setConfig(config: Record<string, unknown>): Promise<void> {
    const checked = checkOptions({ config }, 'simulator options', SIMULATOR_OPTIONS).config ?? {};
    await this.#update((state) => {
      state.config = { ...checked };
    });
  }

  /**
   * Adds or replaces a relation: `id` such as `'database:1'`, and the data each remote unit
   * has set, by unit name.
   */
  async setRelation(id: string, remoteUnits: Record<string, Record<string, string>> = {}): Promise<void> {
    const match = typeof id === 'string' ? /^([a-z][a-z0-9-]*):(\d+)$/.exec(id) : null;
    if (match === null) {
      throw new TypeError(`setRelation() takes a relation id such as "database:1", got ${describeValue(id)}`);
    }
    const [relation] = normalize([{ endpoint: match[1] ?? '', id: Number(match[2]), remoteUnits }]);
    await this.#update((state) => {
      const kept = state.relations.find((r) => r.id === relation?.id);
      state.relations = [
        ...state.relations.filter((r) => r.id !== relation?.id),
        ...(relation === undefined
          ? []
          : [
              {
                ...relation,
                ...(kept ? { localUnitData: kept.localUnitData, localAppData: kept.localAppData } : {}),
              },
            ]),
      ];
    });
  }

  /** Removes a relation, as when it is broken. */
  async removeRelation(id: string): Promise<void> {
    await this.#update((state) => {
      state.relations = state.relations.filter((r) => `${r.endpoint}:${String(r.id)}` !== id);
    });
  }

  /** Makes the next call of `tool` fail as described, instead of doing its work. */
  async failNext(tool: SimulatedTool, failure: InjectedFailure = {}): Promise<void> {
    if (!(SIMULATED_TOOLS as readonly unknown[]).includes(tool)) {
      throw new TypeError(
        `failNext() takes one of ${SIMULATED_TOOLS.join(', ')}, got ${describeValue(tool)}`,
      );
    }
    const { exitCode, stderr, signal, hang } = checkOptions(failure, 'failNext() failure', FAILURE_OPTIONS);
    await this.#update((state) => {
      state.failures.push({
        tool,
        ...(exitCode === undefined ? {} : { exitCode }),
        ...(stderr === undefined ? {} : { stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` }),
        ...(signal === undefined ? {} : { signal }),
        ...(hang === undefined ? {} : { hang }),
      });
    });
  }

  /** Makes every tool take `ms` milliseconds before it answers, as a busy controller would. */
  async setDelay(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`setDelay() takes a number of milliseconds, 0 or more, got ${describeValue(ms)}`);
    }
    await writeFile(join(this.#root, 'delay'), String(ms));
  }

  /** Removes the simulator's folder; a tool told to hang ends with it. */
  async cleanup(): Promise<void> {
    await rm(this.#root, { recursive: true, force: true });
  }

  async #dispatch(
    charmDir: string,
    extra: Record<string, string>,
    id = nextContext(extra.JUJU_HOOK_NAME ?? 'hook'),
  ): Promise<HookRun> {
    const dir = await this.#unitCharm(resolve(charmDir));
    const env = { ...this.env, JUJU_CHARM_DIR: dir, JUJU_CONTEXT_ID: id, ...extra };
    // What Juju holds before the hook, to put back if it fails: see below.
    await this.#update((state) => {
      state.committed[id] = structuredClone({ charmState: state.charmState, relations: state.relations });
    });
    const { exitCode, stdout, stderr } = await new Promise<{
      exitCode: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      execFile(
        join(dir, 'dispatch'),
        [],
        { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          const why =
            error !== null && typeof error.code === 'string'
              ? `dispatch could not be run (${error.code}): ${error.message}\n`
              : '';
          done({
            exitCode: error !== null && typeof error.code === 'string' ? 127 : code,
            stdout: out,
            stderr: why + err,
          });
        },
      );
    });
    // Juju commits a hook's unit state and relation settings only when it succeeded
    // (internal/worker/uniter/runner/context/context.go, Flush: doFlush, which writes them,
    // runs only when the hook returned no error); status-set took effect at once.
    await this.#update((state) => {
      const before = state.committed[id];
      if (exitCode !== 0 && before !== undefined) {
        state.charmState = before.charmState;
        for (const relation of state.relations) {
          const was = before.relations.find((r) => r.id === relation.id);
          if (was === undefined) continue;
          relation.localUnitData = was.localUnitData;
          relation.localAppData = was.localAppData;
        }
      }
      Reflect.deleteProperty(state.committed, id);
    });
    const records = (await this.#records()).filter((call) => call.hook === id);
    return {
      exitCode,
      stdout,
      stderr,
      statuses: statusesOf(records, false),
      applicationStatuses: statusesOf(records, true),
      logs: logsOf(records),
      calls: callsOf(records),
    };
  }

  /**
   * The unit's own charm folder, as Juju deploys a copy of the charm for each unit: the
   * charm's top-level entries linked into the simulator's `charm` folder, so that a file the
   * charm writes at its top level (ops' `.unit-state.db`, the mark `reconcile()` leaves after
   * a failed hook) belongs to this unit and is gone with {@link cleanup}.
   */
  async #unitCharm(source: string): Promise<string> {
    const dir = join(this.#root, 'charm');
    let entries: string[];
    try {
      entries = await readdir(source);
    } catch {
      return source; // not a folder: running its dispatch fails, and says why
    }
    for (const name of await readdir(dir)) {
      if ((await lstat(join(dir, name))).isSymbolicLink()) await rm(join(dir, name));
    }
    for (const name of entries) {
      await rm(join(dir, name), { recursive: true, force: true });
      await symlink(join(source, name), join(dir, name));
    }
    return dir;
  }

  async #relationEnv(
    hook: string,
    relation: { id: number; remoteUnit?: string } | undefined,
  ): Promise<Record<string, string>> {
    const endpoint = /^(.+)-relation-(?:created|joined|changed|departed|broken)$/.exec(hook)?.[1];
    if (endpoint === undefined) {
      if (relation !== undefined)
        throw new TypeError(`runHook() relation is for relation hooks (<endpoint>-relation-…), not ${hook}`);
      return {};
    }
    const relations = (await this.#state()).relations;
    const found =
      relation === undefined
        ? relations.find((r) => r.endpoint === endpoint)
        : relations.find((r) => r.id === relation.id);
    if (found === undefined) {
      if (relation === undefined) return { JUJU_RELATION: endpoint };
      throw new TypeError(
        `runHook() relation ${String(relation.id)} was not declared: declare it in create({ relations }) or setRelation()`,
      );
    }
    const remoteUnit = relation?.remoteUnit ?? Object.keys(found.remoteUnits).sort()[0];
    return {
      JUJU_RELATION: found.endpoint,
      JUJU_RELATION_ID: `${found.endpoint}:${String(found.id)}`,
      JUJU_REMOTE_APP: found.remoteApp,
      ...(remoteUnit === undefined ? {} : { JUJU_REMOTE_UNIT: remoteUnit }),
    };
  }

  async #records(): Promise<RecordedCall[]> {
    const text = await readFile(join(this.#root, 'calls.jsonl'), 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as RecordedCall)
      .sort((a, b) => a.sequence - b.sequence);
  }

  async #state(): Promise<State> {
    const { withLock, readState } = await tool();
    return withLock(this.#root, () => readState(this.#root));
  }

  async #update(change: (state: State) => void): Promise<void> {
    const { withLock, readState, writeState } = await tool();
    withLock(this.#root, () => {
      const state = readState(this.#root);
      change(state);
      writeState(this.#root, state);
    });
  }
}

/**
 * Writes the executable of tool `name`: a two-line shell script that runs the tool script with
 * this very Node (no PATH lookup). It drops NODE_EXTRA_CA_CERTS, which a tool has no use for
 * (it makes no TLS connection) and which alone makes every Node start several times slower on
 * some machines; the charm under test keeps its environment whole.
 */
async function writeTool(root: string, name: string): Promise<void> {
  const words = [process.execPath, TOOL_SCRIPT, name, root].map(shellQuote).join(' ');
  const script = `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS\nexec ${words} "$@"\n`;
  const file = join(root, 'bin', name);
  await writeFile(file, script);
  await chmod(file, 0o755);
}

/** `'it'\''s'`: a word the shell takes verbatim. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

function nextContext(what: string): string {
  runs += 1;
  return `${what}-${String(process.pid)}-${String(runs)}`;
}

function record(status: StatusBase): { status: string; message: string } {
  return { status: status.name, message: status.message };
}

function normalize(relations: readonly SimulatedRelation[]): State['relations'] {
  const used = new Set(relations.flatMap((r) => (r.id === undefined ? [] : [r.id])));
  let next = 1;
  return relations.map((r) => {
    let id = r.id;
    if (id === undefined) {
      while (used.has(next)) next += 1;
      id = next;
      used.add(id);
    }
    const units = { ...(r.remoteUnits ?? {}) };
    const first = Object.keys(units).sort()[0];
    return {
      endpoint: r.endpoint,
      id,
      remoteApp: r.remoteApp ?? first?.split('/')[0] ?? 'remote',
      remoteUnits: units,
      remoteAppData: { ...(r.remoteAppData ?? {}) },
      localUnitData: { ...(r.localUnitData ?? {}) },
      localAppData: { ...(r.localAppData ?? {}) },
    };
  });
}

function statusesOf(records: readonly RecordedCall[], application: boolean): StatusBase[] {
  return records
    .filter((call) => call.status?.application === application)
    .map((call) => StatusBase.fromName(call.status?.status as StatusName, call.status?.message ?? ''));
}

function callsOf(records: readonly RecordedCall[]): HookToolCall[] {
  return records.map(({ tool: name, args, exitCode, signal }) => ({
    tool: name,
    args,
    exitCode,
    ...(signal === undefined ? {} : { signal }),
  }));
}

function logsOf(records: readonly RecordedCall[]): LogLine[] {
  return records.flatMap((call) => (call.log === undefined ? [] : [call.log]));
}

function setDeep(target: Record<string, unknown>, keys: readonly string[], value: string): void {
  let node = target;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    node = node[key] = isPlainObject(next) ? next : {};
  });
  node[keys[keys.length - 1] ?? ''] = value;
}

function stringEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
