import { mkdtemp, readFile, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { BOOLEAN, checkOptions, describeValue, isPlainObject, rule } from '../input.js';
import { StatusBase, type StatusName } from '../status.js';

/** The hook tools a simulator provides. */
export const SIMULATED_TOOLS = [
  'status-set',
  'status-get',
  'juju-log',
  'is-leader',
  'config-get',
  'relation-ids',
  'relation-get',
] as const;

/** The signals `failNext` can kill a tool with. */
const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGABRT', 'SIGSEGV'] as const;

/** A hook tool the simulator provides. */
export type SimulatedTool = (typeof SIMULATED_TOOLS)[number];

/** One recorded invocation of a simulated hook tool. */
export interface HookToolCall {
  /** The tool's name, such as `'status-set'`. */
  readonly tool: SimulatedTool;
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
  /** Never finish: for time-outs. */
  hang?: boolean;
}

/** Options of {@link HookToolsSimulator.create}. */
export interface SimulatorOptions {
  /** Whether the unit is the leader (default `false`, as in ops' testing tools). */
  leader?: boolean;
  /** The unit's name (default `'app/0'`). */
  unitName?: string;
  /** Charm configuration served by `config-get`. */
  config?: Record<string, unknown>;
}

interface RecordedCall extends HookToolCall {
  readonly sequence: number;
  readonly status?: { status: string; message: string; application: boolean };
  readonly log?: LogLine;
}

const TOOL_SCRIPT = fileURLToPath(new URL('./hook-tool.js', import.meta.url));

type Tool = typeof import('./hook-tool.js');
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

/**
 * A folder of fake Juju hook tools that behave like Juju's and record every call: run a hook,
 * or a `HookToolUnit`, against it by passing {@link HookToolsSimulator.env} as the
 * process environment. Charm authors test their charms with it across a real process
 * boundary, the way Python authors use ops' testing harness.
 *
 * The tools are `status-set`, `status-get`, `juju-log`, `is-leader`, `config-get`,
 * `relation-ids` and `relation-get`. They take GNU-style flags, answer bad arguments with
 * `ERROR …` and exit 2, refuse application status on a non-leader with exit 1, and print
 * what Juju prints (`status-get --format=json` shapes included).
 *
 * @example
 * ```ts
 * import { HookToolUnit, MaintenanceStatus, context, add } from 'charms-contextual-status';
 * import { HookToolsSimulator } from 'charms-contextual-status/testing';
 *
 * const simulator = await HookToolsSimulator.create();
 * try {
 *   const unit = new HookToolUnit({ env: simulator.env });
 *   await context(unit, () => add(new MaintenanceStatus('Installing')));
 *   (await simulator.statusHistory()).map(String); // ['maintenance: Installing', 'active: Ready']
 * } finally {
 *   await simulator.cleanup();
 * }
 * ```
 */
export class HookToolsSimulator {
  /** The folder holding the tool executables; first on `PATH` in {@link env}. */
  readonly dir: string;
  /** The environment of a hook run against the simulator. */
  readonly env: Readonly<Record<string, string>>;
  readonly #root: string;

  private constructor(root: string, env: Record<string, string>) {
    this.#root = root;
    this.dir = join(root, 'bin');
    this.env = Object.freeze(env);
  }

  /**
   * Makes a simulator in a new temporary folder. Call {@link cleanup} when done.
   *
   * @throws TypeError for options of the wrong shape.
   */
  static async create(options: SimulatorOptions = {}): Promise<HookToolsSimulator> {
    const { leader = false, unitName = 'app/0', config = {} } = simulatorOptions(options);
    const root = await mkdtemp(join(tmpdir(), 'juju-hook-tools-'));
    const bin = join(root, 'bin');
    await mkdir(bin);
    const state = {
      leader,
      unitName,
      unit: { status: 'unknown', message: '' },
      application: { status: 'unknown', message: '' },
      config,
      relations: {},
      delayMs: 0,
      failures: [],
      sequence: 0,
    };
    await writeFile(join(root, 'state.json'), JSON.stringify(state));
    await writeFile(join(root, 'calls.jsonl'), '');
    const url = pathToFileURL(TOOL_SCRIPT).href;
    for (const tool of SIMULATED_TOOLS) {
      // A Node script run by this very Node: no shell, no PATH lookup for `node`.
      const script = `#!${process.execPath}\nimport(${JSON.stringify(url)}).then((tool) => tool.run(${JSON.stringify(tool)}, ${JSON.stringify(root)}, process.argv.slice(2)));\n`;
      const file = join(bin, tool);
      await writeFile(file, script);
      await chmod(file, 0o755);
    }
    const app = unitName.split('/')[0] ?? unitName;
    const env: Record<string, string> = {
      ...stringEntries(process.env),
      PATH: [bin, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
      JUJU_UNIT_NAME: unitName,
      JUJU_APPLICATION_NAME: app,
      JUJU_MODEL_NAME: 'simulated',
      JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
      JUJU_VERSION: '3.6.0',
      JUJU_CHARM_DIR: process.cwd(),
      JUJU_CONTEXT_ID: `${unitName}-simulated`,
      JUJU_HOOK_TOOLS_SIMULATOR: root,
    };
    return new HookToolsSimulator(root, env);
  }

  /**
   * The statuses set with `status-set`, oldest first: the unit's, or the application's with
   * `{ application: true }`. Failed calls set nothing and are not listed.
   */
  async statusHistory(options: { application?: boolean } = {}): Promise<StatusBase[]> {
    const application = options.application === true;
    return (await this.#records())
      .filter((call) => call.status?.application === application)
      .map((call) => StatusBase.fromName(call.status?.status as StatusName, call.status?.message ?? ''));
  }

  /** The unit's current status (the application's with `{ application: true }`), as `status-get` sees it. */
  async status(options: { application?: boolean } = {}): Promise<StatusBase> {
    const state = await this.#state();
    const record = options.application === true ? state.application : state.unit;
    return StatusBase.fromName(record.status as StatusName, record.message);
  }

  /** Every tool call so far, oldest first: tool, arguments, exit code. */
  async calls(tool?: SimulatedTool): Promise<HookToolCall[]> {
    return (await this.#records())
      .filter((call) => tool === undefined || call.tool === tool)
      .map(({ tool: name, args, exitCode, signal }) => ({
        tool: name,
        args,
        exitCode,
        ...(signal === undefined ? {} : { signal }),
      }));
  }

  /** The lines logged with `juju-log`, oldest first. */
  async logs(): Promise<LogLine[]> {
    return (await this.#records()).flatMap((call) => (call.log === undefined ? [] : [call.log]));
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
    const checked = simulatorOptions({ config }).config ?? {};
    await this.#update((state) => {
      state.config = checked;
    });
  }

  /**
   * Adds or replaces a relation for `relation-ids` and `relation-get`: `id` such as
   * `'database:1'`, and the data each remote unit or application has set.
   */
  async setRelation(id: string, data: Record<string, Record<string, string>> = {}): Promise<void> {
    const endpoint = typeof id === 'string' ? /^([^:]+):\d+$/.exec(id)?.[1] : undefined;
    if (endpoint === undefined) {
      throw new TypeError(`setRelation() takes a relation id such as "database:1", got ${describeValue(id)}`);
    }
    await this.#update((state) => {
      state.relations[endpoint] = { ...state.relations[endpoint], [id]: data };
    });
  }

  /** Removes a relation, as when it is broken. */
  async removeRelation(id: string): Promise<void> {
    await this.#update((state) => {
      for (const [endpoint, relations] of Object.entries(state.relations)) {
        state.relations[endpoint] = Object.fromEntries(
          Object.entries(relations).filter(([key]) => key !== id),
        );
      }
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
    await this.#update((state) => {
      state.delayMs = ms;
    });
  }

  /** Removes the simulator's folder. */
  async cleanup(): Promise<void> {
    await rm(this.#root, { recursive: true, force: true });
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

function stringEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

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

const SIMULATOR_OPTIONS = {
  leader: BOOLEAN,
  unitName: rule<string>(
    'a unit name such as "app/0"',
    (v) => typeof v === 'string' && /^[a-z][a-z0-9-]*\/\d+$/.test(v),
  ),
  config: rule<Record<string, unknown>>('an object of option values', isPlainObject),
};

function simulatorOptions(options: unknown): SimulatorOptions {
  const { leader, unitName, config } = checkOptions(options, 'simulator options', SIMULATOR_OPTIONS);
  return {
    ...(leader === undefined ? {} : { leader }),
    ...(unitName === undefined ? {} : { unitName }),
    ...(config === undefined ? {} : { config }),
  };
}
