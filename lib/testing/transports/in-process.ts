// The in-process door: a charm's hook run in the test's own process. The library inside it
// finds the run through `lib/hook.ts` and hands it every hook tool call, which the model answers
// with no process started. The test process is the host and the run its guest: what the charm
// does to its "process" (exit, an exit code) ends or fails that run alone.

import type { PebbleTransport } from '../../pebble/transport.js';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { messageOf, stackOf, unpublishedReport } from '../../describe.js';
import { type HookContext, type InProcessHook, type ToolReply, currentHook } from '../../hook.js';
import { reconcile } from '../../index.js';
import { runInHook } from '../../scope.js';
import type { JujuModel } from '../model.js';
import type { Charm } from '../options.js';
import { ToolExit } from '../tools/tool.js';

/** How a run ended, as its process would have. */
export interface Ran {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One hook run in the test's process, as the library inside it sees it (`lib/hook.ts`): its
 * environment, its hook tools answered by the model, its stderr and exit code, and the
 * contexts opened in it. Once it ends, its tools answer nothing: a charm still running after
 * its time-out, or after it exited, changes nothing a later run could see.
 */
class InProcessRun implements InProcessHook {
  readonly env: Readonly<Record<string, string>>;
  readonly contexts = new Set<HookContext>();
  exitCode = 0;
  output = '';
  /** Ends the run now with an exit code: `process.exit()` called in it. */
  exited: ((code: number) => void) | undefined;
  /** `process.exitCode` when the run began: a change to it is the run's. */
  codeBefore: unknown;
  readonly #model: JujuModel;
  readonly #tools: () => Readonly<Record<string, string>>;
  readonly #pebble: ((name: string) => PebbleTransport) | undefined;
  #ended = false;

  constructor(
    model: JujuModel,
    env: Record<string, string>,
    tools: () => Readonly<Record<string, string>>,
    pebble?: (name: string) => PebbleTransport,
  ) {
    this.#model = model;
    // Not frozen: Node writes NODE_V8_COVERAGE into an env it is given when coverage is on.
    this.env = env;
    this.#tools = tools;
    this.#pebble = pebble;
  }

  /** A container's Pebble, answered by the model; none once the run ended. */
  pebble(name: string): PebbleTransport {
    const transport = this.#pebble?.(name);
    const gone = (): Promise<never> =>
      Promise.reject(
        Object.assign(new Error(`the hook run has ended: its containers answer no more`), {
          code: 'ECONNREFUSED',
        }),
      );
    if (transport === undefined) return { request: gone, websocket: gone };
    return {
      request: (request, timeoutMs) => (this.#ended ? gone() : transport.request(request, timeoutMs)),
      websocket: (url, timeoutMs) => (this.#ended ? gone() : transport.websocket(url, timeoutMs)),
    };
  }

  /** The hook's environment with the tool executables made and first on `PATH`. */
  environment(): Readonly<Record<string, string>> {
    return this.#tools();
  }

  async call(
    tool: string,
    args: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    abort: AbortSignal,
    input?: string,
  ): Promise<ToolReply> {
    if (this.#ended) return late(tool);
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
        const reply = await runExecutable(decision.executable, args, env, abort, input);
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

/**
 * Runs `charm` as one hook in this process, in `env`, until it returns, exits, or `stop` is
 * called (a time-out, `cleanup()`, `juju-reboot --now`), and says how it ended.
 *
 * @throws TypeError for charm options `reconcile()` refuses, before the charm runs.
 * @internal
 */
export async function runInProcess(
  model: JujuModel,
  charm: Charm,
  env: Record<string, string>,
  tools: () => Readonly<Record<string, string>>,
  stopped: Promise<string>,
  pebble?: (name: string) => PebbleTransport,
): Promise<Ran> {
  const hook = new InProcessRun(model, env, tools, pebble);
  guardTheHost();
  const exited = new Promise<number>((resolve) => (hook.exited = resolve));
  const codeBefore = process.exitCode;
  hook.codeBefore = codeBefore;
  const work = runInHook(hook, () => reconcile(charm.reconcile, charm.options ?? {}));
  let outcome: { done: true } | { failed: unknown } | { ended: string } | { exit: number };
  try {
    outcome = await Promise.race([
      work.then(
        () => ({ done: true as const }),
        (failed: unknown) => ({ failed }),
      ),
      stopped.then((why) => ({ ended: why })),
      exited.then((code) => ({ exit: code })),
    ]);
  } finally {
    hook.exited = undefined;
  }
  // `process.exitCode` set by the charm is its run's exit code, never the test process's: Node
  // does not let it be intercepted (its accessor is not configurable), so it is taken back here.
  const codeSet: unknown = process.exitCode;
  if (codeSet !== codeBefore) {
    process.exitCode = codeBefore;
    const code = Number(codeSet);
    if (Number.isInteger(code) && code !== 0) hook.exit(code);
  }
  const left = hook.end();
  // reconcile() catches what the charm throws: what reaches here is its refusal of the
  // charm's options, before it ran anything.
  if ('failed' in outcome && outcome.failed instanceof TypeError) throw outcome.failed;
  if ('failed' in outcome) hook.output += `${stackOf(outcome.failed)}\n`;
  if ('ended' in outcome) hook.output += `${outcome.ended}\n`;
  if (left.length > 0 && !('exit' in outcome))
    hook.output += `${unpublishedReport(left, 'when the hook ended')}\n`;
  const exitCode =
    'ended' in outcome ? null : 'exit' in outcome ? outcome.exit : 'failed' in outcome ? 1 : hook.exitCode;
  return { exitCode, stdout: '', stderr: hook.output };
}

let guarded = false;

/**
 * Makes `process.exit()` called in a hook run in this process end that run, with that code, as
 * its own process would end, and leave the test process alone. Installed once, at the first
 * run, and kept: a timer a charm left behind may call it long after its run ended, and must
 * not end the test run then either. Outside any run it is Node's own.
 */
function guardTheHost(): void {
  if (guarded) return;
  guarded = true;
  const exit = process.exit.bind(process);
  process.exit = function exitTheHook(code?: number | string | null): never {
    const hook = currentHook();
    if (!(hook instanceof InProcessRun)) return exit(code);
    // A run that ended already ends no more: the call is the charm's leftover, and harmless.
    const set: unknown = process.exitCode;
    const given =
      code !== undefined && code !== null
        ? Number(code)
        : set !== hook.codeBefore
          ? Number(set)
          : hook.exitCode;
    hook.exited?.(Number.isInteger(given) ? given : 1);
    return undefined as never;
  };
}

/** The answer to a call made after its run ended, from a timer or promise the charm left. */
function late(tool: string): ToolReply {
  return {
    exitCode: 1,
    signal: null,
    stdout: '',
    stderr: `ERROR ${tool} was called after its hook had ended (from a timer or promise the charm left running); Juju answers no hook tool outside a hook\n`,
  };
}

/** An added executable, run for a call in the test's process, with the call's environment and stdin. */
function runExecutable(
  executable: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  abort: AbortSignal,
  input: string | undefined,
): Promise<ToolReply> {
  return new Promise((done) => {
    const child = spawn(executable, [...args], { env: { ...env }, signal: abort, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined); // an executable that exits before reading it
    child.stdin.end(input ?? '');
    child.on('error', (error) => {
      stderr += `${messageOf(error)}\n`;
    });
    child.on('close', (code, signal) => {
      done({ exitCode: code, signal, stdout, stderr });
    });
  });
}
