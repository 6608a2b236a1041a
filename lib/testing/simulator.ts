// The simulator's public verbs: the world declared, switches set, hooks and actions run either
// way, what happened read back. Each verb delegates: to the model (the world and its tools), the
// uniter (one hook as Juju runs it), the transports (in process, dispatch, the tools' folder)
// and the run's view.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { describeValue } from '../describe.js';
import { checkOptions, isPlainObject } from '../options.js';
// From the package's main entry, not its modules: the published testing entry is a bundle of
// its own, and statuses must be the main entry's classes (`instanceof BlockedStatus` in a test).
import { StatusBase, type StatusName } from '../index.js';
import { type AddedTool, JujuModel, type RecordedCall } from './model.js';
import { type Metadata, actionParamsOf, configOf, readMetadata } from './metadata.js';
import { checkEndpoint } from './state/relations.js';
import { type SimulatedContainer, type SimulatedCredential } from './state/index.js';
import { checkContainer, containerOf } from './state/containers.js';
import {
  relationEndpoint,
  relationEnvironment,
  storageEnvironment,
  unitEnvironment,
  workloadEnvironment,
} from './environment.js';
import {
  ACTION_RUN_OPTIONS,
  CANNED_OPTIONS,
  type CannedAnswer,
  type Charm,
  FAILURE_OPTIONS,
  type InjectedFailure,
  NAME,
  RUN_OPTIONS,
  type RunActionOptions,
  type RunHookOptions,
  SIMULATOR_OPTIONS,
  type SimulatedRelation,
  type SimulatorOptions,
  checkCharm,
  cloned,
  relationNumber,
} from './options.js';
import {
  type ActionRun,
  type HookRun,
  type HookToolCall,
  type LogLine,
  callsOf,
  logsOf,
  setDeep,
  statusesOf,
} from './run.js';
import { SIMULATED_TOOLS, type SimulatedTool } from './tools/index.js';
import { ToolFolder } from './transports/folder.js';
import { CLEANED_UP, Runner } from './runner.js';
import type { HookState, World } from './world.js';
import { dropRelation, learnMetadata, replaceRelation, worldOf } from './declare.js';

export { SIMULATED_TOOLS, type SimulatedTool };

const HOOK_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * What an application of several units (`application.ts`) reaches of each unit's simulator:
 * its model, and a run of a hook Juju queued, with the variables the application worked out.
 *
 * @internal
 */
export interface UnitInternals {
  readonly model: JujuModel;
  run(
    charm: string | Charm,
    hook: string,
    state: Omit<HookState, 'hook'>,
    env: Record<string, string>,
  ): Promise<HookRun>;
}

/** @internal */
export const INTERNALS = new WeakMap<HookToolsSimulator, UnitInternals>();

let runs = 0;

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
  readonly #model: JujuModel;
  /** The tool executables, their socket and the unit's charm folder, made on first need. */
  readonly #folder: ToolFolder;
  /** The unit's runs, one at a time. */
  readonly #runner: Runner;
  /** What the charm declares, once read; `undefined` while the simulator knows no charm. */
  #metadata: Metadata | undefined;

  private constructor(
    root: string,
    world: World,
    metadata: Metadata | undefined,
    credential: SimulatedCredential | undefined,
  ) {
    this.#model = new JujuModel(world);
    this.#folder = new ToolFolder(this.#model, root);
    const env = unitEnvironment(world.unitName, this.#folder.charm, this.#folder.bin);
    this.#runner = new Runner(this.#model, this.#folder, env, credential);
    this.#metadata = metadata;
    INTERNALS.set(this, {
      model: this.#model,
      run: async (charm, hook, state, extra) => {
        const target = checkCharm(charm, 'settle()');
        await this.#learn(target);
        return this.#runner.run(target, nextContext(hook), { ...state, hook }, undefined, {
          ...extra,
          JUJU_DISPATCH_PATH: `hooks/${hook}`,
          JUJU_HOOK_NAME: hook,
        });
      },
    });
  }

  /**
   * The folder holding the tool executables; first on `PATH` in {@link env}. Reading it makes
   * them.
   */
  get dir(): string {
    this.#runner.openFolder().catch(() => undefined); // a tool then says why it cannot answer
    return this.#folder.bin;
  }

  /**
   * The environment of a hook run against the simulator, for calling its tools from a test
   * (with `HookToolUnit({ env })`, say). Reading it makes the tool executables, first on its
   * `PATH`. Tools called with it outside `runHook`/`runAction` change the world at once: there
   * is no hook end at which to commit or discard. Call them asynchronously (`execFile`, not
   * `execFileSync`): the simulator answers from this process, which a synchronous call blocks
   * (the tool then fails within seconds and says so).
   */
  get env(): Readonly<Record<string, string>> {
    // Not frozen: Node writes NODE_V8_COVERAGE into an env it is given when coverage is on.
    return this.#runner.env;
  }

  /**
   * Makes a simulator holding the world before the hook. It writes no file and starts no
   * server until a run through `dispatch`, or a read of {@link env} or {@link dir}, needs its
   * tool executables. Call {@link cleanup} when done.
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
    const root = ToolFolder.path();
    const world = worldOf(checked, metadata, root);
    return new HookToolsSimulator(root, world, metadata, checked.credential);
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
    const {
      env = {},
      relation,
      timeoutMs,
      check,
      notice,
    } = checkOptions(options, 'runHook() options', RUN_OPTIONS);
    const endpoint = relationEndpoint(hook);
    if (endpoint !== undefined && this.#metadata !== undefined)
      checkEndpoint(this.#metadata, endpoint, `runHook() ${hook}`);
    const world = this.#model.world;
    const relationEnv = relationEnvironment(world, hook, relation);
    const storageEnv = storageEnvironment(world, hook);
    const workloadEnv = workloadEnvironment(world, hook, { check, notice });
    const id = nextContext(hook);
    const relationId = relationNumber(relationEnv.JUJU_RELATION_ID);
    const departing = relationEnv.JUJU_DEPARTING_UNIT;
    const state: HookState = {
      hook,
      ...(departing === undefined || relationId === undefined
        ? {}
        : { departing: { id: relationId, unit: departing } }),
      ...(hook.endsWith('-relation-broken') && relationId !== undefined ? { broken: relationId } : {}),
    };
    return this.#runner.run(target, id, state, timeoutMs, {
      ...relationEnv,
      ...storageEnv,
      ...workloadEnv,
      ...env,
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_HOOK_NAME: hook,
    });
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
    const run = await this.#runner.run(target, id, { hook: action, actionParams }, timeoutMs, {
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
    this.#model.add(name, added);
    this.#folder.link(name);
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
    replaceRelation(this.#model.world, this.#metadata, id, remoteUnits, more);
    return Promise.resolve();
  }

  /**
   * Removes a relation, as when it is broken: `'database:1'`, or `1`.
   *
   * @throws TypeError (as a rejection) for an id in neither form, or of no relation here.
   */
  async removeRelation(id: string | number): Promise<void> {
    dropRelation(this.#model.world, id);
    return Promise.resolve();
  }

  /**
   * Declares a workload container anew, as the next hook finds it: its Pebble reachable or not,
   * its layers, services, checks, files, execs and notices. It is the container as it comes
   * back from a restart: what the charm added over the API (layers, files, notices) is gone
   * unless declared here (`run.after.containers` has it, to carry over).
   *
   * @throws TypeError (as a rejection) for a container of the wrong shape, or one the charm
   *   does not declare.
   */
  async setContainer(name: string, container: SimulatedContainer = {}): Promise<void> {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(`setContainer() takes a container name such as "web", got ${describeValue(name)}`);
    }
    const checked = checkOptions({ containers: { [name]: container } }, 'setContainer()', SIMULATOR_OPTIONS);
    const declared = checked.containers?.[name] ?? {};
    checkContainer(name, this.#metadata, 'setContainer()');
    this.#model.world.containers[name] = containerOf(declared);
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
    this.#runner.stopAll(CLEANED_UP);
    this.#model.close();
    await this.#runner.close();
    await this.#folder.close();
  }

  /**
   * Reads the declarations of a charm folder run through `dispatch`, when the simulator has
   * none yet: from then on it holds the charm to them, its configuration's defaults served.
   */
  async #learn(charm: string | Charm): Promise<void> {
    if (this.#metadata !== undefined || typeof charm !== 'string') return;
    const metadata = await readMetadata(resolve(charm));
    if (metadata === undefined) return;
    learnMetadata(this.#model.world, metadata);
    this.#metadata = metadata;
  }

  #records(id: string): RecordedCall[] {
    return this.#model.records.filter((call) => call.hook === id);
  }
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
