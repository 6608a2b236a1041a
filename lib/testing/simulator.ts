import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import {
  access,
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

import { describeValue, messageOf, unpublishedReport } from '../describe.js';
import type { HookContext, InProcessHook, ToolReply } from '../hook.js';
import { BOOLEAN, ENV, type Rule, TIMEOUT_MS, checkOptions, isPlainObject, rule } from '../options.js';
import { APPLICATION, MODEL_UUID as UUID, UNIT } from '../juju/names.js';
import { runInHook } from '../scope.js';
// From the package's main entry, not its modules: the published testing entry is a bundle of
// its own, and statuses must be the main entry's classes (`instanceof BlockedStatus` in a test).
import { type ReconcileOptions, StatusBase, type StatusName, isStatus, reconcile } from '../index.js';
import { type AddedTool, JujuModel, type RecordedCall, ended } from './model.js';
import { type Metadata, actionParamsOf, checkEndpoint, configOf, readMetadata } from './metadata.js';
import {
  DECLARED_OPTIONS,
  type Declared,
  type SimulatedCredential,
  declaredOf,
  declaredWorld,
} from './declared.js';
import { ToolServer } from './server.js';
import { SIMULATED_TOOLS, type SimulatedTool } from './tools/index.js';
import { ToolExit } from './tools/tool.js';
import type { HookState, Relation, World } from './world.js';

export { SIMULATED_TOOLS, type SimulatedTool };

/** The signals `failNext` can kill a tool with. */
const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGABRT', 'SIGSEGV'] as const;

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
}

/** The relation a relation hook is about. */
export interface HookRelation {
  /** The relation's id: `'database:7'`, or `7`. */
  id: string | number;
  /** The remote unit the hook is about, such as `'postgresql/1'` (default: the relation's first). */
  remoteUnit?: string;
}

/** What one hook did, and nothing from before it. */
export interface HookRun {
  /** The exit code of `dispatch` (`null` if a signal stopped it). */
  readonly exitCode: number | null;
  /** What the charm printed on stdout. */
  readonly stdout: string;
  /**
   * What the charm printed on stderr (in the test's process: what the library would have);
   * for a hook that failed, followed by the `ERROR` lines it logged with `juju-log`, so that
   * `expect(run.exitCode, run.stderr)` says why.
   */
  readonly stderr: string;
  /** The unit statuses the hook set, oldest first. */
  readonly statuses: readonly StatusBase[];
  /** The application statuses the hook set, oldest first. */
  readonly applicationStatuses: readonly StatusBase[];
  /** The lines the hook logged with `juju-log`. */
  readonly logs: readonly LogLine[];
  /** Every hook tool call the hook made. */
  readonly calls: readonly HookToolCall[];
  /**
   * The world after the hook, as Juju holds it (a failed hook's unit state and relation
   * settings discarded), in the shape {@link HookToolsSimulator.create} takes: read what the
   * charm wrote from it, or start the next test there with `HookToolsSimulator.create(run.after)`.
   */
  readonly after: SimulatorOptions;
  /**
   * What `juju-reboot` asked for: `'after-hook'` (the machine reboots once the hook has
   * succeeded) or `'now'` (Juju stopped the hook, which keeps none of its changes and runs again
   * after the reboot: `exitCode` is `null`).
   */
  readonly reboot?: 'after-hook' | 'now';
}

/** What one action did: its hook run, and what it told Juju of its result. */
export interface ActionRun extends HookRun {
  /** The results set with `action-set`, dotted keys as nested objects. */
  readonly results: Readonly<Record<string, unknown>>;
  /** Whether the action failed: it called `action-fail`, or exited non-zero. */
  readonly failed: boolean;
  /**
   * Why, as Juju reports it: the message given to `action-fail`; for an action that exited
   * non-zero, `exit status <code>` (`signal: killed` when it was stopped), whatever
   * `action-fail` said.
   */
  readonly message: string | undefined;
}

const STRING_MAP = rule<Record<string, string>>(
  'an object of names to strings',
  (v) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string'),
);
const NAME = APPLICATION;
const UNIT_NAME = UNIT;
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
const SIMULATOR_OPTIONS = {
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
const ACTION_RUN_OPTIONS = { env: ENV, timeoutMs: TIMEOUT_MS };
const RUN_OPTIONS = {
  ...ACTION_RUN_OPTIONS,
  relation: rule<HookRelation>(
    'a relation such as { id: "database:7" (or 7), remoteUnit: "postgresql/0" }',
    (v) =>
      isPlainObject(v) &&
      relationNumber(v.id) !== undefined &&
      Object.keys(v).every((k) => k === 'id' || k === 'remoteUnit') &&
      (v.remoteUnit === undefined || (typeof v.remoteUnit === 'string' && UNIT_NAME.test(v.remoteUnit))),
  ),
};

/** The simulated model's UUID (`JUJU_MODEL_UUID`). */
const MODEL_UUID = '00000000-0000-4000-8000-000000000000';
/** The default time a run may take; see {@link RunActionOptions.timeoutMs}. */
const RUN_TIMEOUT_MS = 60_000;
const HOOK_NAME = /^[a-z][a-z0-9-]*$/;
/** What `cleanup()` says of a hook it ended. */
const CLEANED_UP = 'the simulator was cleaned up while the hook ran, and ended it';

let runs = 0;
/** `dispatch` processes running now, in every simulator: ended with the test process. */
const running = new Set<ChildProcess>();
let exitHook = false;

/**
 * A fake Juju for one unit: the world before the hook (declared with
 * {@link HookToolsSimulator.create}), hook tools that behave like Juju's and record every
 * call, and two ways to run a charm's hook against them. This is what ops' testing `Context`
 * and `State` are to Python charms.
 *
 * - **In the test's process** ({@link runHook} and {@link runAction} with the charm itself,
 *   `{ reconcile, options }`): the charm's reconcile function runs here, and every hook tool
 *   the library calls for it is answered by the simulator, with no process started. A hook
 *   takes a millisecond or two. Use it for the charm's logic: most tests.
 * - **Across processes** ({@link runHook} and {@link runAction} with the charm's folder): its
 *   `dispatch` runs in a new process, as Juju runs it, and the tools on its `PATH` hand each
 *   call to the simulator over a loopback socket (no Node process per call). Use it for what
 *   only the packed charm shows: its bundle, `dispatch`, shebang, executable bits.
 *
 * Both answer from one model of the unit, with one implementation of each tool, so for the
 * same charm and world they record the same statuses, log lines and calls. The tools take the
 * arguments Juju's take and refuse what they refuse, with Juju's exit code and `ERROR` line,
 * and print what Juju prints in each `--format`. Where Juju surprises, they keep it:
 * `--application=False` is false, and within one hook `status-get` answers the unit's status
 * as the hook's first read found it.
 *
 * @example
 * ```ts
 * import { HookToolsSimulator } from 'charms-contextual-status/testing';
 * import { charm } from '../src/charm.js'; // { reconcile, options }, as its entry point passes them
 *
 * const simulator = await HookToolsSimulator.create({ leader: true, config: { port: 8080 } });
 * try {
 *   const run = await simulator.runHook(charm, 'config-changed');
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
   * The environment of a hook run against the simulator, for calling its tools from a test
   * (with `HookToolUnit({ env })`, say). Tools called with it outside `runHook`/`runAction`
   * change the world at once: there is no hook end at which to commit or discard.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly #root: string;
  readonly #model: JujuModel;
  readonly #server: ToolServer;
  /** Ends the runs in progress (their processes, and in-process runs), for {@link cleanup}. */
  readonly #stops = new Set<() => void>();
  #cleaned = false;
  /** What the charm declares, once read; `undefined` while the simulator knows no charm. */
  #metadata: Metadata | undefined;
  /** The cloud credential as declared, for `run.after` (the world holds Juju's JSON of it). */
  readonly #credential: SimulatedCredential | undefined;
  /** Ends a running hook's process now, by `JUJU_CONTEXT_ID` (`juju-reboot --now`). */
  readonly #kills = new Map<string, (why: string) => void>();

  private constructor(
    root: string,
    env: Record<string, string>,
    model: JujuModel,
    server: ToolServer,
    metadata: Metadata | undefined,
    credential: SimulatedCredential | undefined,
  ) {
    this.#metadata = metadata;
    this.#credential = credential;
    this.#root = root;
    this.dir = join(root, 'bin');
    // Not frozen: Node writes NODE_V8_COVERAGE into an env it is given when coverage is on.
    this.env = env;
    this.#model = model;
    this.#server = server;
  }

  /**
   * Makes a simulator in a new temporary folder, holding the world before the hook. Call
   * {@link cleanup} when done.
   *
   * @throws TypeError (as a rejection) for options of the wrong shape.
   */
  static async create(options: SimulatorOptions = {}): Promise<HookToolsSimulator> {
    const checked = checkOptions(options, 'simulator options', SIMULATOR_OPTIONS);
    const metadata =
      checked.charmDir === undefined ? undefined : await readMetadata(resolve(checked.charmDir));
    if (checked.charmDir !== undefined && metadata === undefined) {
      throw new TypeError(
        `create() charmDir ${checked.charmDir} holds neither charmcraft.yaml nor metadata.yaml`,
      );
    }
    const {
      leader = false,
      unitName = 'app/0',
      config = {},
      relations = [],
      state = {},
      actionParams = {},
    } = checked;
    const world: World = {
      leader,
      unitName,
      unit: checked.unitStatus === undefined ? null : record(checked.unitStatus),
      application: checked.applicationStatus === undefined ? null : record(checked.applicationStatus),
      config:
        metadata === undefined ? cloned(config, 'config') : configOf(metadata, cloned(config, 'config')),
      relations: normalize(relations).map((r) => {
        if (metadata !== undefined) checkEndpoint(metadata, r.endpoint, 'create() relations');
        return r;
      }),
      charmState: { ...state },
      actionParams: cloned(actionParams, 'actionParams'),
      ...declaredWorld(checked, metadata),
      modelUuid: MODEL_UUID,
      since: new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z'),
    };
    const model = new JujuModel(world);
    const root = await mkdtemp(join(tmpdir(), 'juju-hook-tools-'));
    let server: ToolServer | undefined;
    try {
      const bin = join(root, 'bin');
      await mkdir(bin);
      await mkdir(join(root, 'charm'));
      server = await ToolServer.start(model);
      for (const name of SIMULATED_TOOLS) await writeTool(bin, name, server);
      const charm = join(root, 'charm');
      // Built from scratch, as Juju builds a hook's: HookVars (uniter runner/context/context.go)
      // and, on Ubuntu, ubuntuEnv (env.go): the tools first on the agent's own PATH (here the
      // test's), and nothing else of the process that runs the hook.
      const env: Record<string, string> = {
        CHARM_DIR: charm,
        JUJU_CHARM_DIR: charm,
        JUJU_CONTEXT_ID: `${unitName}-simulated`,
        JUJU_HOOK_NAME: '',
        JUJU_AGENT_SOCKET_ADDRESS: `127.0.0.1:${String(server.port)}`,
        JUJU_AGENT_SOCKET_NETWORK: 'tcp',
        JUJU_UNIT_NAME: unitName,
        JUJU_MODEL_UUID: MODEL_UUID,
        JUJU_MODEL_NAME: 'simulated',
        JUJU_API_ADDRESSES: '',
        JUJU_SLA: 'unsupported',
        JUJU_MACHINE_ID: '0',
        JUJU_PRINCIPAL_UNIT: '',
        JUJU_AVAILABILITY_ZONE: '',
        JUJU_VERSION: '3.6.0',
        CLOUD_API_VERSION: '',
        JUJU_CHARM_HTTP_PROXY: '',
        JUJU_CHARM_HTTPS_PROXY: '',
        JUJU_CHARM_FTP_PROXY: '',
        JUJU_CHARM_NO_PROXY: '',
        APT_LISTCHANGES_FRONTEND: 'none',
        DEBIAN_FRONTEND: 'noninteractive',
        LANG: 'C.UTF-8',
        TERM: 'tmux-256color',
        PATH: [bin, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
      };
      return new HookToolsSimulator(root, env, model, server, metadata, checked.credential);
    } catch (error) {
      await server?.close();
      await rm(root, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Runs one hook and resolves to what it did, and nothing from before it.
   *
   * - `charm` a folder (a string): its `dispatch` runs in a new process as Juju runs it, in the
   *   unit's own charm folder (the entries of `charm` linked into it, as Juju deploys a copy of
   *   the charm per unit), with the hook's environment (`JUJU_DISPATCH_PATH=hooks/<hook>`,
   *   `JUJU_HOOK_NAME`, `JUJU_CHARM_DIR` naming that folder, `JUJU_UNIT_NAME`,
   *   `JUJU_MODEL_NAME`, `JUJU_VERSION`, a new `JUJU_CONTEXT_ID`, the relation's variables for
   *   a relation hook) and the tools first on `PATH`.
   * - `charm` the charm itself, `{ reconcile, options }`: `reconcile(charm.reconcile,
   *   charm.options)` runs in this process, in the same environment, and every hook tool the
   *   library calls is answered here. Its `stdout` is empty (the charm's own `console` output
   *   goes to the test's); its `stderr` holds what the library would write there: a failed
   *   hook's reason, contexts left open when the hook ended.
   *
   * A hook that exits non-zero keeps none of its unit state or relation settings, as Juju
   * commits a hook only when it succeeds (`Flush`); its statuses stand. A run past `timeoutMs`
   * is ended (`exitCode: null`, and `stderr` says so).
   *
   * @throws TypeError (as a rejection) for a charm, hook name or options of the wrong shape,
   *   or charm options `reconcile()` refuses, before anything runs.
   */
  async runHook(charm: string | Charm, hook: string, options: RunHookOptions = {}): Promise<HookRun> {
    const target = checkCharm(charm, 'runHook()');
    await this.#learn(target);
    if (typeof hook !== 'string' || !HOOK_NAME.test(hook)) {
      throw new TypeError(`runHook() takes a hook name such as "config-changed", got ${describeValue(hook)}`);
    }
    const { env = {}, relation, timeoutMs } = checkOptions(options, 'runHook() options', RUN_OPTIONS);
    const endpoint = /^(.+)-relation-(?:created|joined|changed|departed|broken)$/.exec(hook)?.[1];
    if (endpoint !== undefined && this.#metadata !== undefined)
      checkEndpoint(this.#metadata, endpoint, `runHook() ${hook}`);
    const relationEnv = this.#relationEnv(hook, relation);
    const storageEnv = this.#storageEnv(hook);
    const id = nextContext(hook);
    const departing =
      relationEnv.JUJU_DEPARTING_UNIT === undefined
        ? {}
        : {
            departing: {
              id: Number(relationEnv.JUJU_RELATION_ID?.split(':')[1]),
              unit: relationEnv.JUJU_DEPARTING_UNIT,
            },
          };
    const broken = hook.endsWith('-relation-broken') && relationEnv.JUJU_RELATION_ID !== undefined;
    return this.#run(
      target,
      id,
      {
        hook,
        ...departing,
        ...(broken ? { broken: Number(relationEnv.JUJU_RELATION_ID?.split(':')[1]) } : {}),
      },
      timeoutMs,
      {
        ...relationEnv,
        ...storageEnv,
        ...env,
        JUJU_DISPATCH_PATH: `hooks/${hook}`,
        JUJU_HOOK_NAME: hook,
      },
    );
  }

  /**
   * Runs one action as Juju runs it (`JUJU_DISPATCH_PATH=actions/<action>`,
   * `JUJU_ACTION_NAME`, `JUJU_ACTION_UUID`), the charm's folder or the charm itself as for
   * {@link runHook}, with `params` served by `action-get` (default: the `actionParams` the
   * simulator was made with). Resolves to what the action did, with the results of
   * `action-set` and whether it called `action-fail`.
   *
   * @throws TypeError (as a rejection) for a charm, action name, parameters or options of the
   *   wrong shape, before anything runs.
   */
  async runAction(
    charm: string | Charm,
    action: string,
    params?: Record<string, unknown>,
    options: RunActionOptions = {},
  ): Promise<ActionRun> {
    const target = checkCharm(charm, 'runAction()');
    await this.#learn(target);
    if (typeof action !== 'string' || !HOOK_NAME.test(action)) {
      throw new TypeError(`runAction() takes an action name such as "restart", got ${describeValue(action)}`);
    }
    if (params !== undefined && !isPlainObject(params)) {
      throw new TypeError(
        `runAction() params must be an object of parameter values, got ${describeValue(params)}`,
      );
    }
    const { env = {}, timeoutMs } = checkOptions(options, 'runAction() options', ACTION_RUN_OPTIONS);
    const id = nextContext(action);
    const given = cloned(params ?? this.#model.world.actionParams, 'runAction() params');
    const actionParams = this.#metadata === undefined ? given : actionParamsOf(this.#metadata, action, given);
    const uuid = `00000000-0000-4000-8000-${String(runs).padStart(12, '0')}`;
    const run = await this.#run(target, id, { hook: action, actionParams }, timeoutMs, {
      ...env,
      JUJU_DISPATCH_PATH: `actions/${action}`,
      JUJU_ACTION_NAME: action,
      JUJU_ACTION_UUID: uuid,
    });
    const results: Record<string, unknown> = {};
    let message: string | undefined;
    for (const call of this.#records(id)) {
      for (const [keys, value] of call.actionResults ?? []) setDeep(results, keys, value);
      if (call.actionFailed !== undefined) message = call.actionFailed;
    }
    // An action that exits non-zero is failed with Go's message for its exit, whatever
    // action-fail said (uniter runner/context/context.go, finalizeAction: message = err.Error()).
    if (run.exitCode !== 0)
      message = run.exitCode === null ? 'signal: killed' : `exit status ${String(run.exitCode)}`;
    return { ...run, results, failed: message !== undefined, message };
  }

  /**
   * Adds a hook tool the simulator does not provide (`open-port`, `secret-get`, …), first on
   * `PATH` like the others, its calls recorded in {@link calls}. `answer` is a canned
   * `{ stdout?, stderr?, exitCode? }`, or the path of an executable of yours that runs with the
   * call's arguments, environment and stdin. Replaces a tool of that name, even a simulated one.
   *
   * @throws TypeError (as a rejection) for a name or answer of the wrong shape, or a path that
   *   is not an executable file.
   */
  async addTool(name: string, answer: CannedAnswer | string): Promise<void> {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(`addTool() takes a tool name such as "open-port", got ${describeValue(name)}`);
    }
    let added: AddedTool;
    if (typeof answer === 'string') {
      const executable = resolve(answer);
      if (!(await isExecutable(executable)) || executable.includes('\n')) {
        throw new TypeError(
          `addTool() takes a canned answer { stdout?, stderr?, exitCode? } or the path of an executable file, got ${JSON.stringify(answer)}, which is not an executable file`,
        );
      }
      added = { executable };
    } else {
      added = checkOptions(answer, 'addTool() answer', CANNED_OPTIONS);
    }
    await writeTool(this.dir, name, this.#server);
    this.#model.add(name, added);
  }

  /**
   * The statuses set with `status-set`, oldest first: the unit's, or the application's with
   * `{ application: true }`. Failed calls set nothing and are not listed.
   */
  async statusHistory(options: { application?: boolean } = {}): Promise<StatusBase[]> {
    return Promise.resolve(statusesOf(this.#model.records, options.application === true));
  }

  /** The unit's current status (the application's with `{ application: true }`), as Juju holds it. */
  async status(options: { application?: boolean } = {}): Promise<StatusBase> {
    const world = this.#model.world;
    const found = options.application === true ? (world.application ?? world.unit) : world.unit;
    return Promise.resolve(
      StatusBase.fromName((found?.status ?? 'unknown') as StatusName, found?.message ?? ''),
    );
  }

  /** The unit's server-side state, as `state-set` left it. */
  async state(): Promise<Record<string, string>> {
    return Promise.resolve({ ...this.#model.world.charmState });
  }

  /** Every tool call so far, oldest first: tool, arguments, exit code. */
  async calls(tool?: string): Promise<HookToolCall[]> {
    return Promise.resolve(
      callsOf(this.#model.records.filter((call) => tool === undefined || call.tool === tool)),
    );
  }

  /** The lines logged with `juju-log`, oldest first. */
  async logs(): Promise<LogLine[]> {
    return Promise.resolve(logsOf(this.#model.records));
  }

  /** Makes the unit the leader, or not: `is-leader`, and whether `--application` is allowed. */
  async setLeader(leader: boolean): Promise<void> {
    if (typeof leader !== 'boolean')
      throw new TypeError(`setLeader() takes true or false, got ${describeValue(leader)}`);
    this.#model.world.leader = leader;
    return Promise.resolve();
  }

  /**
   * Sets the charm configuration that `config-get` serves (with the declared defaults, when the
   * simulator knows the charm's metadata).
   *
   * @throws TypeError for an undeclared option or a value of the wrong type.
   */
  async setConfig(config: Record<string, unknown>): Promise<void> {
    const checked = checkOptions({ config }, 'simulator options', SIMULATOR_OPTIONS).config ?? {};
    const values = cloned(checked, 'setConfig() config');
    this.#model.world.config = this.#metadata === undefined ? values : configOf(this.#metadata, values);
    return Promise.resolve();
  }

  /**
   * Adds or replaces a relation: `id` such as `'database:1'`, the data each remote unit has
   * set, by unit name, and, as in `create({ relations })`, the remote application, its data,
   * and this unit's and application's (kept from the relation it replaces when not given).
   *
   * @throws TypeError (as a rejection) for what `create({ relations })` refuses.
   */
  async setRelation(
    id: string,
    remoteUnits: Record<string, Record<string, string>> = {},
    more: Omit<SimulatedRelation, 'endpoint' | 'id' | 'remoteUnits'> = {},
  ): Promise<void> {
    const match = typeof id === 'string' ? /^([a-z][a-z0-9-]*):(\d+)$/.exec(id) : null;
    if (match === null) {
      throw new TypeError(`setRelation() takes a relation id such as "database:1", got ${describeValue(id)}`);
    }
    if (!isPlainObject(more)) {
      throw new TypeError(
        `setRelation() takes, third, { remoteApp?, remoteAppData?, localUnitData?, localAppData? }, got ${describeValue(more)}`,
      );
    }
    const declared = checkOptions(
      { endpoint: match[1], id: Number(match[2]), remoteUnits, ...more },
      'setRelation() relation',
      RELATION_OPTIONS,
    );
    if (this.#metadata !== undefined) checkEndpoint(this.#metadata, match[1] ?? '', 'setRelation()');
    const [relation] = normalize([{ ...declared, endpoint: match[1] ?? '' }]);
    if (relation === undefined) return Promise.resolve();
    const world = this.#model.world;
    const kept = world.relations.find((r) => r.id === relation.id);
    world.relations = [
      ...world.relations.filter((r) => r.id !== relation.id),
      {
        ...relation,
        localUnitData: more.localUnitData === undefined && kept ? kept.localUnitData : relation.localUnitData,
        localAppData: more.localAppData === undefined && kept ? kept.localAppData : relation.localAppData,
      },
    ];
    return Promise.resolve();
  }

  /**
   * Removes a relation, as when it is broken: `'database:1'`, or `1`.
   *
   * @throws TypeError (as a rejection) for an id in neither form, or of no relation here.
   */
  async removeRelation(id: string | number): Promise<void> {
    const number = relationNumber(id);
    const world = this.#model.world;
    const found = world.relations.find(
      (r) => r.id === number && (typeof id === 'number' || id === `${r.endpoint}:${String(r.id)}`),
    );
    if (found === undefined) {
      const ids = world.relations.map((r) => `${r.endpoint}:${String(r.id)}`);
      throw new TypeError(
        `removeRelation() takes the id of a relation here, such as "database:1" or 1, got ${describeValue(id)}: the relations are ${ids.length === 0 ? 'none' : ids.join(', ')}`,
      );
    }
    world.relations = world.relations.filter((r) => r !== found);
    return Promise.resolve();
  }

  /**
   * Makes the next call of `tool` (a simulated one, or one added with {@link addTool}) fail as
   * described, instead of doing its work.
   */
  async failNext(tool: SimulatedTool | (string & {}), failure: InjectedFailure = {}): Promise<void> {
    if (typeof tool !== 'string' || !this.#model.has(tool)) {
      throw new TypeError(
        `failNext() takes one of ${SIMULATED_TOOLS.join(', ')}, or a tool added with addTool(), got ${describeValue(tool)}`,
      );
    }
    const { exitCode, stderr, signal, hang } = checkOptions(failure, 'failNext() failure', FAILURE_OPTIONS);
    this.#model.failNext(tool, {
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(stderr === undefined ? {} : { stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` }),
      ...(signal === undefined ? {} : { signal }),
      ...(hang === undefined ? {} : { hang }),
    });
    return Promise.resolve();
  }

  /** Makes every tool take `ms` milliseconds before it answers, as a busy controller would. */
  async setDelay(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`setDelay() takes a number of milliseconds, 0 or more, got ${describeValue(ms)}`);
    }
    this.#model.delayMs = ms;
    return Promise.resolve();
  }

  /**
   * Ends everything the simulator started: a hook running now (its `dispatch` and every process
   * it started, or an in-process run), tools told to hang, the tools' socket; then removes its
   * folder. Tools called after it fail with an `ERROR` line and exit 1.
   */
  async cleanup(): Promise<void> {
    this.#cleaned = true;
    for (const stop of this.#stops) stop();
    this.#model.close();
    await this.#server.close();
    await rm(this.#root, { recursive: true, force: true });
  }

  /**
   * Reads the declarations of a charm folder run through `dispatch`, when the simulator has
   * none yet: from then on it holds the charm to them, its configuration's defaults served.
   */
  async #learn(charm: string | Charm): Promise<void> {
    if (this.#metadata !== undefined || typeof charm !== 'string') return;
    const metadata = await readMetadata(resolve(charm));
    if (metadata === undefined) return;
    const world = this.#model.world;
    world.config = configOf(metadata, world.config);
    for (const r of world.relations) checkEndpoint(metadata, r.endpoint, 'the relations');
    world.bindings = [...Object.keys(metadata.endpoints), ...metadata.extraBindings];
    world.storageTypes = { ...metadata.storage };
    this.#metadata = metadata;
  }

  /** Runs one hook or action, either way, and collects what it did. */
  async #run(
    charm: string | Charm,
    id: string,
    hook: Omit<HookState, 'unitRead'>,
    timeoutMs = RUN_TIMEOUT_MS,
    extra: Record<string, string>,
  ): Promise<HookRun> {
    if (this.#cleaned) throw new Error(`${hook.hook} was not run: the simulator has been cleaned up`);
    this.#model.begin(id, { ...hook, kill: (why) => this.#kills.get(id)?.(why) });
    let held: HookState | undefined;
    let ran: { exitCode: number | null; stdout: string; stderr: string } = {
      exitCode: null,
      stdout: '',
      stderr: '',
    };
    try {
      ran =
        typeof charm === 'string'
          ? await this.#dispatch(charm, id, extra, timeoutMs)
          : await this.#inProcess(charm, id, extra, timeoutMs);
    } finally {
      held = this.#model.end(id, ran.exitCode);
      this.#kills.delete(id);
    }
    const records = this.#records(id);
    const logs = logsOf(records);
    // A failed run says why where a test looks (expect(run.exitCode, run.stderr)): after what
    // the charm wrote on stderr, the ERROR lines it logged, as `juju debug-log` shows both.
    const errors =
      ran.exitCode === 0 ? [] : logs.filter((l) => l.level === 'ERROR' || l.level === 'CRITICAL');
    const stderr = ran.stderr + errors.map((l) => `juju-log ${l.level}: ${l.message}\n`).join('');
    return {
      ...ran,
      stderr,
      after: this.#after(),
      statuses: statusesOf(records, false),
      applicationStatuses: statusesOf(records, true),
      logs,
      calls: callsOf(records),
      ...(held?.reboot === undefined ? {} : { reboot: held.reboot }),
    };
  }

  async #dispatch(
    charmDir: string,
    id: string,
    extra: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
    const dir = await this.#unitCharm(resolve(charmDir));
    const env = { ...this.env, JUJU_CHARM_DIR: dir, JUJU_CONTEXT_ID: id, ...extra };
    return new Promise((done) => {
      let why = '';
      let stdout = '';
      let stderr = '';
      let unrun = '';
      // Its own process group, so that ending it ends every process the hook started. Juju
      // gives a hook no stdin.
      const child = spawn(join(dir, 'dispatch'), [], {
        cwd: dir,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        unrun = `dispatch could not be run (${String(error.code)}): ${error.message}\n`;
      });
      const stop = (reason = CLEANED_UP): void => {
        why ||= `${reason}\n`;
        killGroup(child);
      };
      this.#kills.set(id, stop);
      const timer = setTimeout(() => {
        stop(`the hook did not end within ${String(timeoutMs)} ms, and was stopped (SIGKILL)`);
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        running.delete(child);
        this.#stops.delete(stop);
        done({
          exitCode: unrun !== '' ? 127 : why === '' ? code : null,
          stdout,
          stderr: unrun + stderr + why,
        });
      });
      running.add(child);
      this.#stops.add(stop);
      endWithTheTestProcess();
    });
  }

  /** Runs the charm in this process, its hook tools answered by the model. */
  async #inProcess(
    charm: Charm,
    id: string,
    extra: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
    const env = { ...this.env, JUJU_CONTEXT_ID: id, ...extra };
    const hook = new InProcessRun(this.#model, env);
    let timer: NodeJS.Timeout | undefined;
    let stop: ((why?: string) => void) | undefined;
    const ended = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        resolve(`the hook did not end within ${String(timeoutMs)} ms, and was ended`);
      }, timeoutMs);
      stop = (why = CLEANED_UP) => {
        resolve(why);
      };
      this.#kills.set(id, stop);
      this.#stops.add(stop);
    });
    const work = runInHook(hook, () => reconcile(charm.reconcile, charm.options ?? {}));
    let outcome: { done: true } | { failed: unknown } | { ended: string };
    try {
      outcome = await Promise.race([
        work.then(
          () => ({ done: true as const }),
          (failed: unknown) => ({ failed }),
        ),
        ended.then((why) => ({ ended: why })),
      ]);
    } finally {
      clearTimeout(timer);
      if (stop !== undefined) this.#stops.delete(stop);
    }
    const left = hook.end();
    // reconcile() catches what the charm throws: what reaches here is its refusal of the
    // charm's options, before it ran anything.
    if ('failed' in outcome && outcome.failed instanceof TypeError) throw outcome.failed;
    if ('failed' in outcome) hook.output += `${stackOf(outcome.failed)}\n`;
    if ('ended' in outcome) hook.output += `${outcome.ended}\n`;
    if (left.length > 0) hook.output += `${unpublishedReport(left, 'when the hook ended')}\n`;
    const exitCode = 'ended' in outcome ? null : 'failed' in outcome ? 1 : hook.exitCode;
    return { exitCode, stdout: '', stderr: hook.output };
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

  /**
   * A storage hook's variables (HookVars: `JUJU_STORAGE_ID`, `_LOCATION`, `_KIND`), for the
   * first instance of the hook's storage the unit has.
   */
  #storageEnv(hook: string): Record<string, string> {
    const name = /^(.+)-storage-(?:attached|detaching)$/.exec(hook)?.[1];
    if (name === undefined) return {};
    const storage = this.#model.world.storage.find((s) => s.name === name);
    if (storage === undefined) {
      throw new TypeError(
        `runHook() ${hook} is about storage ${name}, which the unit has none of: declare it in create({ storage })`,
      );
    }
    return {
      JUJU_STORAGE_ID: `${storage.name}/${String(storage.index)}`,
      JUJU_STORAGE_LOCATION: storage.location,
      JUJU_STORAGE_KIND: storage.kind,
    };
  }

  #relationEnv(hook: string, relation: HookRelation | undefined): Record<string, string> {
    const endpoint = /^(.+)-relation-(?:created|joined|changed|departed|broken)$/.exec(hook)?.[1];
    if (endpoint === undefined) {
      if (relation !== undefined)
        throw new TypeError(`runHook() relation is for relation hooks (<endpoint>-relation-…), not ${hook}`);
      return {};
    }
    const relations = this.#model.world.relations;
    const found =
      relation === undefined
        ? relations.find((r) => r.endpoint === endpoint)
        : relations.find((r) => r.id === relationNumber(relation.id));
    if (found === undefined) {
      if (relation === undefined) return { JUJU_RELATION: endpoint };
      throw new TypeError(
        `runHook() relation ${String(relation.id)} was not declared: declare it in create({ relations }) or setRelation()`,
      );
    }
    // HookVars (uniter runner/context/context.go) exports JUJU_REMOTE_UNIT in every relation
    // hook, empty where the hook is about no unit (relation-created, relation-broken), and
    // JUJU_DEPARTING_UNIT in relation-departed.
    const kind = /-relation-([a-z]+)$/.exec(hook)?.[1];
    const unitless = kind === 'created' || kind === 'broken';
    if (unitless && relation?.remoteUnit !== undefined) {
      throw new TypeError(`runHook() relation.remoteUnit: a relation-${kind} hook is about no remote unit`);
    }
    const remoteUnit = unitless
      ? ''
      : (relation?.remoteUnit ?? Object.keys(found.remoteUnits).sort()[0] ?? '');
    return {
      JUJU_RELATION: found.endpoint,
      JUJU_RELATION_ID: `${found.endpoint}:${String(found.id)}`,
      JUJU_REMOTE_APP: found.remoteApp,
      JUJU_REMOTE_UNIT: remoteUnit,
      ...(kind === 'departed' && remoteUnit !== '' ? { JUJU_DEPARTING_UNIT: remoteUnit } : {}),
    };
  }

  /** The world as `create()` takes it, copied. */
  #after(): SimulatorOptions {
    const world = structuredClone(this.#model.world);
    return {
      leader: world.leader,
      unitName: world.unitName,
      config: world.config,
      relations: world.relations.map((r) => ({ ...r })),
      ...(world.unit === null
        ? {}
        : { unitStatus: StatusBase.fromName(world.unit.status as StatusName, world.unit.message) }),
      ...(world.application === null
        ? {}
        : {
            applicationStatus: StatusBase.fromName(
              world.application.status as StatusName,
              world.application.message,
            ),
          }),
      state: world.charmState,
      actionParams: world.actionParams,
      ...declaredOf(world, this.#credential),
    };
  }

  #records(id: string): RecordedCall[] {
    return this.#model.records.filter((call) => call.hook === id);
  }
}

/**
 * One hook run in the test's process, as the library inside it sees it (`lib/hook.ts`): its
 * environment, its hook tools answered by the model, its stderr and exit code, and the
 * contexts opened in it. Once it ends, its tools answer nothing: a charm still running after
 * its time-out changes nothing a later run could see.
 */
class InProcessRun implements InProcessHook {
  readonly env: Readonly<Record<string, string>>;
  readonly contexts = new Set<HookContext>();
  exitCode = 0;
  output = '';
  readonly #model: JujuModel;
  #ended = false;

  constructor(model: JujuModel, env: Record<string, string>) {
    this.#model = model;
    // Not frozen: Node writes NODE_V8_COVERAGE into an env it is given when coverage is on.
    this.env = env;
  }

  async call(
    tool: string,
    args: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    abort: AbortSignal,
    input?: string,
  ): Promise<ToolReply> {
    if (this.#ended) return ended(tool);
    // What --file names: the call's input for `-`, else a file from the charm's folder, where
    // Juju runs a hook.
    const read = async (path: string): Promise<string> => {
      if (path === '-') return input ?? '';
      try {
        return await readFile(resolve(env.JUJU_CHARM_DIR ?? '.', path), 'utf8');
      } catch {
        throw new ToolExit(1, `open ${path}: no such file or directory`);
      }
    };
    const decision = await this.#model.decide(tool, args, env, abort, read);
    switch (decision.kind) {
      case 'reply':
        return decision.reply;
      case 'signal':
        return { exitCode: null, signal: decision.signal, stdout: '', stderr: '' };
      case 'hang':
        await this.#model.hang(abort);
        return { exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '' };
      case 'exec': {
        const reply = await runExecutable(decision.executable, args, env, abort);
        this.#model.ran(decision.id, reply.exitCode, reply.signal ?? undefined);
        return reply;
      }
    }
  }

  stderr(text: string): void {
    if (!this.#ended) this.output += text;
  }

  exit(code: number): void {
    if (!this.#ended) this.exitCode = code;
  }

  /** Ends the run: its tools answer no more; the contexts left open are ended and returned. */
  end(): { readonly unit: unknown; readonly closed: boolean }[] {
    this.#ended = true;
    const left = [...this.contexts].map((context) => ({
      context,
      unit: context.unit,
      closed: context.closed,
    }));
    for (const { context } of left) context.abandon();
    return left;
  }
}

/** An added executable, run for a call in the test's process, with the call's environment. */
function runExecutable(
  executable: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  abort: AbortSignal,
): Promise<ToolReply> {
  return new Promise((done) => {
    const child = spawn(executable, [...args], { env: { ...env }, signal: abort, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end();
    child.on('error', (error) => {
      stderr += `${messageOf(error)}\n`;
    });
    child.on('close', (code, signal) => {
      done({ exitCode: code, signal, stdout, stderr });
    });
  });
}

/** The number of a relation id, `'database:7'` or `7`; `undefined` for anything else. */
function relationNumber(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isInteger(id) && id >= 0 ? id : undefined;
  const match = typeof id === 'string' ? /^[a-z][a-z0-9-]*:(\d+)$/.exec(id) : null;
  return match === null ? undefined : Number(match[1]);
}

/** The charm a run takes: a folder, or `{ reconcile, options }`; a TypeError for anything else. */
function checkCharm(charm: unknown, where: string): string | Charm {
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

/** Ends a `dispatch` process and everything it started (its process group). */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone; the process may not be
  }
}

/** A hook still running when the test process exits would outlive it: end it with it. */
function endWithTheTestProcess(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child);
  });
}

/** Writes the executable of tool `name` into `bin`. */
async function writeTool(bin: string, name: string, server: ToolServer): Promise<void> {
  const file = join(bin, name);
  await writeFile(file, server.script(name));
  await chmod(file, 0o700);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function nextContext(what: string): string {
  runs += 1;
  return `${what}-${String(process.pid)}-${String(runs)}`;
}

function record(status: StatusBase): { status: string; message: string } {
  return { status: status.name, message: status.message };
}

/** A copy of values a test declared, refused with a TypeError where JSON cannot hold them. */
function cloned(values: Record<string, unknown>, what: string): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  } catch (error) {
    throw new TypeError(`${what} must hold only what JSON can (${messageOf(error)})`);
  }
}

function normalize(relations: readonly SimulatedRelation[]): Relation[] {
  const used = new Set(relations.flatMap((r) => (r.id === undefined ? [] : [r.id])));
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

function stackOf(error: unknown): string {
  return error instanceof Error && typeof error.stack === 'string' ? error.stack : messageOf(error);
}
