// The one model of Juju behind a simulator: the unit's world, what Juju holds for each running
// hook, every call made, and the switches a test sets (failures, delays, added tools). Both
// ways of running a charm ask it to answer a call: a hook run in the test's process (through
// `lib/hook.ts`), and the tool executables on a hook's PATH (through `transports/socket.ts`).
// Which hook runs, and what it keeps when it ends, is the uniter's (`uniter.ts`). Each tool's
// rules are in `tools/`, once.

import type { ToolReply } from '../hook.js';
import { flagsOf, help, parse } from './tools/flags.js';
import { TOOLS } from './tools/index.js';
import { unitStatus } from './tools/status.js';
import { type Call, type Effect, HOOK_VARIABLES, ToolExit } from './tools/tool.js';
import type { HookState, StatusRecord, World } from './world.js';

/**
 * How the next call of a tool fails, as `failNext` set it.
 *
 * @internal
 */
export interface Failure {
  readonly exitCode?: number;
  readonly stderr?: string;
  readonly signal?: string;
  readonly hang?: boolean;
}

/**
 * A tool added with `addTool`: a canned answer, or an executable of the test author's.
 *
 * @internal
 */
export type AddedTool =
  | { readonly stdout?: string; readonly stderr?: string; readonly exitCode?: number }
  | { readonly executable: string };

/**
 * One call, as recorded.
 *
 * @internal
 */
export interface RecordedCall extends Effect {
  readonly sequence: number;
  readonly tool: string;
  readonly args: readonly string[];
  /** The `JUJU_CONTEXT_ID` of the hook that made it. */
  readonly hook: string;
  readonly exitCode: number | null;
  readonly signal?: string;
}

/**
 * What the model decided for a call: an answer; an executable for the caller to run with the
 * call's own arguments, environment and stdin (then {@link JujuModel.ran} records it); a signal
 * to die of; or never to answer (`hang`).
 *
 * @internal
 */
export type Decision =
  | { readonly kind: 'reply'; readonly reply: ToolReply }
  | { readonly kind: 'exec'; readonly executable: string; readonly id: number }
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'hang' };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a unit of an application of several units reaches of the others, through the
 * application that links them (`cluster.ts`).
 *
 * @internal
 */
export interface ApplicationLink {
  /** Every unit with its status, the leader first, then by unit number. */
  units(): { unit: string; status: StatusRecord }[];
  /** The leader set the application's status (at once, as Juju's `status-set` does). */
  applicationSet(status: StatusRecord): void;
  /** A hook of this unit ended, committed or rolled back: what it committed is published. */
  committed(): void;
}

/** @internal */
export class JujuModel {
  world: World;
  /** The application this unit belongs to, where it models several units. */
  link: ApplicationLink | undefined;
  /** What Juju holds for each hook running now, by `JUJU_CONTEXT_ID`. */
  readonly #hooks = new Map<string, HookState>();
  /** What Juju holds for calls from no run of this simulator's, by `JUJU_CONTEXT_ID`. */
  readonly #loose = new Map<string, HookState>();
  readonly #records: RecordedCall[] = [];
  readonly #failures: ({ readonly tool: string } & Failure)[] = [];
  readonly #added = new Map<string, AddedTool>();
  /** Calls of added executables being run by their caller, to record when they end. */
  readonly #running = new Map<number, { tool: string; args: readonly string[]; hook: string }>();
  /** Timers of delayed answers, and hung calls: all end with the simulator. */
  readonly #pending = new Set<() => void>();
  #delayMs = 0;
  #sequence = 0;
  #execs = 0;
  #ended = false;
  /** Whether the charm ever set the unit's status (Juju's `StatusSet`, kept across hooks). */
  #statusSet: boolean;

  constructor(world: World) {
    this.world = world;
    this.link = undefined;
    this.#statusSet = world.unit !== null;
  }

  /** Every call so far, oldest first. */
  get records(): readonly RecordedCall[] {
    return this.#records;
  }

  /** Whether `name` is a tool of this model's: simulated or added. */
  has(name: string): boolean {
    return Object.hasOwn(TOOLS, name) || this.#added.has(name);
  }

  /** The names of the tools added with `addTool`. */
  addedNames(): string[] {
    return [...this.#added.keys()];
  }

  add(name: string, tool: AddedTool): void {
    this.#added.set(name, tool);
  }

  failNext(tool: string, failure: Failure): void {
    this.#failures.push({ tool, ...failure });
  }

  set delayMs(ms: number) {
    this.#delayMs = ms;
  }

  /** Whether the charm ever set the unit's status (Juju's `StatusSet`, kept across hooks). */
  get statusSet(): boolean {
    return this.#statusSet;
  }

  /** A hook begins: calls with its `JUJU_CONTEXT_ID` are answered with what Juju holds for it. */
  enter(id: string, hook: HookState): void {
    this.#hooks.set(id, hook);
  }

  /** The hook `id` ended: its calls are answered as from no hook from now on. */
  leave(id: string): void {
    this.#hooks.delete(id);
  }

  /**
   * Decides one call: waits the simulated delay, then takes a failure `failNext` set, or runs
   * an added tool, or applies the simulated tool's rules to the world; records the call (an
   * added executable's when {@link ran} reports it).
   */
  async decide(
    tool: string,
    args: readonly string[],
    given: Env,
    abort?: AbortSignal,
    read: FileReader = noFiles,
  ): Promise<Decision> {
    const env: { -readonly [K in keyof Call['env']]: string } = {};
    for (const name of HOOK_VARIABLES) {
      const value = given[name];
      if (value !== undefined) env[name] = value;
    }
    if (this.#delayMs > 0) await this.#wait(this.#delayMs, abort);
    if (this.#ended) return { kind: 'reply', reply: ended(tool) };
    const hook = env.JUJU_CONTEXT_ID ?? '';
    const at = this.#failures.findIndex((f) => f.tool === tool);
    if (at >= 0) {
      const [failure = {} as Failure] = this.#failures.splice(at, 1);
      if (failure.signal !== undefined || failure.hang === true) {
        this.#record(tool, args, hook, null, failure.signal);
        return failure.signal === undefined ? { kind: 'hang' } : { kind: 'signal', signal: failure.signal };
      }
      const code = failure.exitCode ?? 1;
      this.#record(tool, args, hook, code);
      return { kind: 'reply', reply: reply(code, '', failure.stderr ?? 'ERROR injected failure\n') };
    }
    const added = this.#added.get(tool);
    if (added !== undefined && 'executable' in added) {
      const id = (this.#execs += 1);
      this.#running.set(id, { tool, args, hook });
      return { kind: 'exec', executable: added.executable, id };
    }
    if (added !== undefined) {
      const code = added.exitCode ?? 0;
      this.#record(tool, args, hook, code);
      return { kind: 'reply', reply: reply(code, added.stdout ?? '', added.stderr ?? '') };
    }
    const simulated = Object.hasOwn(TOOLS, tool) ? TOOLS[tool as keyof typeof TOOLS] : undefined;
    if (simulated === undefined) {
      return { kind: 'reply', reply: { ...reply(127, '', `${tool}: not found\n`), missing: true } };
    }
    try {
      const parsed = parse(args, flagsOf(simulated));
      if (parsed.flags.help === true) {
        this.#record(tool, args, hook, 0);
        return { kind: 'reply', reply: reply(0, help(simulated), '') };
      }
      // `--file <path>` (`-`: stdin), read where the call was made: the tool's working folder
      // and stdin, through the transport (cmd.FileVar, which state-set and relation-set take).
      const path = parsed.flags.file;
      const file = typeof path === 'string' && path !== '' ? await read(path) : undefined;
      // The other files a call names (secret-add's key#file=<path>), read the same way; one
      // that cannot be read is the tool's to report.
      const files = new Map<string, string | undefined>();
      for (const named of simulated.reads?.(parsed) ?? []) {
        files.set(named, await read(named).catch(() => undefined));
      }
      const outcome = simulated.run({
        parsed,
        env,
        world: this.world,
        hook: this.#hookState(hook),
        files,
        units: () => this.link?.units() ?? [{ unit: this.world.unitName, status: unitStatus(this.world) }],
        ...(file === undefined ? {} : { file }),
      });
      this.#record(tool, args, hook, 0, undefined, outcome.effect);
      const status = outcome.effect?.status;
      if (status?.application === false) this.#statusSet = true;
      if (status?.application === true)
        this.link?.applicationSet({ status: status.status, message: status.message });
      return { kind: 'reply', reply: reply(0, outcome.stdout ?? '', outcome.stderr ?? '') };
    } catch (error) {
      if (!(error instanceof ToolExit)) throw error;
      this.#record(tool, args, hook, error.code);
      return { kind: 'reply', reply: reply(error.code, '', `ERROR ${error.message}\n`) };
    }
  }

  /**
   * What Juju holds for the hook `id`. Calls made with the simulator's own `env`, outside any
   * run, share one hook that never ends (what `status-get` read first, for one).
   */
  #hookState(id: string): HookState {
    const running = this.#hooks.get(id);
    if (running !== undefined) return running;
    let loose = this.#loose.get(id);
    if (loose === undefined) this.#loose.set(id, (loose = { hook: '' }));
    return loose;
  }

  /** An added executable's call ended with `exitCode`: record it. */
  ran(id: number, exitCode: number | null, signal?: string): void {
    const call = this.#running.get(id);
    if (call === undefined) return;
    this.#running.delete(id);
    this.#record(call.tool, call.args, call.hook, exitCode, signal);
  }

  /** Resolves when `abort` fires or the simulator ends: a hung call's answer, never given. */
  hang(abort?: AbortSignal): Promise<void> {
    return this.#wait(Infinity, abort);
  }

  /** Ends every delayed and hung call; later calls fail at once. */
  close(): void {
    this.#ended = true;
    for (const finish of this.#pending) finish();
    this.#pending.clear();
  }

  #wait(ms: number, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (this.#ended || abort?.aborted === true) {
        resolve();
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        this.#pending.delete(finish);
        abort?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(finish, ms) : undefined;
      this.#pending.add(finish);
      abort?.addEventListener('abort', finish, { once: true });
    });
  }

  #record(
    tool: string,
    args: readonly string[],
    hook: string,
    exitCode: number | null,
    signal?: string,
    effect?: Effect,
  ): void {
    this.#sequence += 1;
    this.#records.push({
      sequence: this.#sequence,
      tool,
      args: Object.freeze([...args]),
      hook,
      exitCode,
      ...(signal === undefined ? {} : { signal }),
      ...(exitCode === 0 ? effect : {}),
    });
  }
}

/**
 * Reads what `--file <path>` names for a call (`-`: its stdin), as the caller sees it; throws
 * a {@link ToolExit} where it cannot.
 *
 * @internal
 */
export type FileReader = (path: string) => Promise<string>;

/** For a call that can hand over no file. */
const noFiles: FileReader = (path) =>
  Promise.reject(new ToolExit(1, `open ${path}: no such file or directory`));

function reply(exitCode: number, stdout: string, stderr: string): ToolReply {
  return { exitCode, signal: null, stdout, stderr };
}

/**
 * The answer to a call that reaches a simulator after `cleanup()`.
 *
 * @internal
 */
export function ended(tool: string): ToolReply {
  return reply(1, '', `ERROR ${tool}: the hook tools simulator has been cleaned up\n`);
}
