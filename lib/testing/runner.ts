// The runs of one unit: each hook or action run one way or the other (in the test's process,
// or its dispatch in a process of its own), once the uniter gives it its turn, stopped on a
// time-out or at cleanup, and read back as the run's view. The simulator's verbs delegate here.

import { join, resolve } from 'node:path';

import type { JujuModel, RecordedCall } from './model.js';
import type { Charm } from './options.js';
import { type HookRun, afterOf, callsOf, logsOf, statusesOf } from './run.js';
import type { SimulatedCredential } from './state/index.js';
import { SIMULATED_TOOLS } from './tools/index.js';
import { runDispatch, unitCharm } from './transports/dispatch.js';
import type { ToolFolder } from './transports/folder.js';
import { type Ran, runInProcess } from './transports/in-process.js';
import { Workloads } from './transports/pebble.js';
import { type Exit, Uniter } from './uniter.js';
import type { HookState } from './world.js';

/** The default time a run may take; see `RunActionOptions.timeoutMs`. */
const RUN_TIMEOUT_MS = 60_000;

/**
 * What `cleanup()` says of a hook it ended.
 *
 * @internal
 */
export const CLEANED_UP = 'the simulator was cleaned up while the hook ran, and ended it';

/** @internal */
export class Runner {
  readonly #model: JujuModel;
  readonly #uniter: Uniter;
  readonly #folder: ToolFolder;
  /** The variables every hook of the unit has, the socket's address added once it listens. */
  readonly #env: Record<string, string>;
  readonly #credential: SimulatedCredential | undefined;
  /** Ends the runs in progress (their processes, and in-process runs), for {@link stopAll}. */
  readonly #stops = new Set<(why: string) => void>();
  /** Ends a running hook now, by `JUJU_CONTEXT_ID` (`juju-reboot --now`). */
  readonly #kills = new Map<string, (why: string) => void>();
  /** The containers' Pebbles: answered in process, or served on sockets for dispatch. */
  readonly #workloads: Workloads;
  #stopped = false;

  constructor(
    model: JujuModel,
    folder: ToolFolder,
    env: Record<string, string>,
    credential: SimulatedCredential | undefined,
  ) {
    this.#model = model;
    this.#uniter = new Uniter(model);
    this.#folder = folder;
    this.#env = env;
    this.#credential = credential;
    this.#workloads = new Workloads(() => model.world.containers);
  }

  /** The unit's hook environment, its tools made (the simulator's `env`). */
  get env(): Record<string, string> {
    this.openFolder().catch(() => undefined); // a tool then says why it cannot answer
    return this.#env;
  }

  /** Ends every run in progress, and any later one at once. */
  stopAll(why: string): void {
    this.#stopped = true;
    for (const stop of this.#stops) stop(why);
  }

  /** Stops serving the containers' Pebbles. */
  async close(): Promise<void> {
    await this.#workloads.close();
  }

  /** Runs one hook or action, either way, once the unit's hook before it has ended. */
  async run(
    charm: string | Charm,
    id: string,
    hook: HookState,
    timeoutMs = RUN_TIMEOUT_MS,
    extra: Record<string, string>,
  ): Promise<HookRun> {
    if (this.#stopped) throw new Error(`${hook.hook} was not run: the simulator has been cleaned up`);
    const state: HookState = { ...hook, kill: (why) => this.#kills.get(id)?.(why) };
    // The charm folder and tools a dispatch run needs, made before its turn begins.
    const dir = typeof charm === 'string' ? await this.#dispatchFolder(charm) : undefined;
    const [exited, held] = await this.#uniter.run(id, state, () =>
      this.#runCharm(charm, dir, id, extra, timeoutMs),
    );
    // A hook whose changes the controller refused at commit failed, though its process exited
    // 0: Juju marks it failed and keeps none of them (the uniter's Flush returns the error).
    const refusals = exited.exitCode === 0 ? (held.refusals ?? []) : [];
    const ran =
      refusals.length === 0
        ? exited
        : {
            ...exited,
            exitCode: 1,
            stderr: `${exited.stderr}${refusals.map((why) => `ERROR the hook exited 0, but Juju refused its changes when it committed them: ${why}\n`).join('')}`,
          };
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
      after: afterOf(this.#model.world, this.#credential),
      statuses: statusesOf(records, false),
      applicationStatuses: statusesOf(records, true),
      logs,
      calls: callsOf(records),
      ...(held.reboot === undefined ? {} : { reboot: held.reboot }),
    };
  }

  /** Runs the charm, one way or the other, until it ends or is stopped. */
  async #runCharm(
    charm: string | Charm,
    dir: string | undefined,
    id: string,
    extra: Record<string, string>,
    timeoutMs: number,
  ): Promise<Ran & Exit> {
    if (this.#stopped) return { exitCode: null, stdout: '', stderr: `${CLEANED_UP}\n` };
    let stop: (why: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const timer = setTimeout(() => {
      stop(
        `the hook did not end within ${String(timeoutMs)} ms, and was ${typeof charm === 'string' ? 'stopped (SIGKILL)' : 'ended'}`,
      );
    }, timeoutMs);
    this.#kills.set(id, stop);
    this.#stops.add(stop);
    try {
      // The unit's folder, and its storage attached, as Juju attaches it before a hook.
      this.#folder.makeCharm();
      this.#folder.attach(this.#model.world.storage.map((s) => s.location));
      if (typeof charm !== 'string' || dir === undefined) {
        const env: Record<string, string> = { ...this.#env, JUJU_CONTEXT_ID: id, ...extra };
        // The environment the charm reads (hookEnvironment()): the tool executables are made
        // when it reads PATH, to run one of them (a spread, or execFile's env, reads it), not
        // when it only reads the unit's name.
        const lazy = { ...env };
        const path = env.PATH ?? '';
        Object.defineProperty(lazy, 'PATH', {
          enumerable: true,
          get: () => {
            this.openFolder().catch(() => undefined); // a tool then says why it cannot answer
            return path;
          },
        });
        const tools = (): Record<string, string> => lazy;
        return await runInProcess(this.#model, charm as Charm, env, tools, stopped, (name) =>
          this.#workloads.inProcess(name),
        );
      }
      const containers = join(this.#folder.root, 'containers');
      if (Object.keys(this.#model.world.containers).length > 0) await this.#workloads.serve(containers);
      const env = {
        ...this.env,
        JUJU_CHARM_DIR: dir,
        JUJU_CONTEXT_ID: id,
        // Where the charm's Pebble client finds the containers' sockets (`/charm/containers` in Juju).
        CHARMS_CONTEXTUAL_STATUS_CONTAINERS: containers,
        ...extra,
      };
      return await runDispatch(dir, env, (kill) => {
        void stopped.then(kill);
      });
    } finally {
      clearTimeout(timer);
      this.#kills.delete(id);
      this.#stops.delete(stop);
    }
  }

  /** The unit's copy of the charm folder `charm`, with the tools it calls made and listening. */
  async #dispatchFolder(charm: string): Promise<string> {
    await this.openFolder();
    return unitCharm(resolve(charm), this.#folder.charm);
  }

  /** Makes the tools' folder and socket, once; resolves when they answer. */
  async openFolder(): Promise<void> {
    const made = this.#folder.made;
    await this.#folder.open([...SIMULATED_TOOLS, ...this.#model.addedNames()]);
    if (!made) {
      this.#env.JUJU_AGENT_SOCKET_NETWORK = 'tcp';
      this.#env.JUJU_AGENT_SOCKET_ADDRESS = await this.#folder.address();
    }
  }

  #records(id: string): RecordedCall[] {
    return this.#model.records.filter((call) => call.hook === id);
  }
}
