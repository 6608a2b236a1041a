// Hook tools run both ways against one simulator's model: inside a hook run in the test's
// process (answered by the model, no process started), and through the tool executables on
// the simulator's PATH; the same calls must give the same answers.
import { HookToolError, runHookTool } from '../../lib/index.js';
import { hookEnvironment } from '../../lib/hook-tools/index.js';
import { type HookRun, HookToolsSimulator, type SimulatorOptions } from '../../lib/testing/index.js';

/** What one tool call ended with, the same shape both ways. */
export interface Ended {
  code: number;
  stdout: string;
  stderr: string;
}

async function ended(call: Promise<string>): Promise<Ended> {
  try {
    return { code: 0, stdout: await call, stderr: '' };
  } catch (error) {
    if (!(error instanceof HookToolError)) throw error;
    return { code: error.exitCode ?? -1, stdout: '', stderr: error.stderr };
  }
}

/** Runs each `[tool, ...args]` in order, in one hook run in the test's process. */
export async function inProcess(
  simulator: HookToolsSimulator,
  calls: readonly (readonly string[])[],
  hook = 'config-changed',
): Promise<{ results: Ended[]; run: HookRun }> {
  const results: Ended[] = [];
  const run = await simulator.runHook(
    {
      reconcile: async () => {
        for (const [tool = '', ...args] of calls) results.push(await ended(runHookTool(tool, args)));
      },
      options: { log: false },
    },
    hook,
  );
  return { results, run };
}

/** Runs each `[tool, ...args]` in order, through the tool executables (the simulator's env). */
export async function throughExecutables(
  simulator: HookToolsSimulator,
  calls: readonly (readonly string[])[],
): Promise<Ended[]> {
  const results: Ended[] = [];
  for (const [tool = '', ...args] of calls) {
    results.push(await ended(runHookTool(tool, args, { env: { ...simulator.env } })));
  }
  return results;
}

/** Runs `body` as a charm's hook in the test's process; its value, or what it threw. */
export async function inHook<T>(
  simulator: HookToolsSimulator,
  body: () => Promise<T>,
  hook = 'config-changed',
): Promise<{ value?: T; error?: unknown; run: HookRun }> {
  const out: { value?: T; error?: unknown } = {};
  const run = await simulator.runHook(
    {
      reconcile: async () => {
        try {
          out.value = await body();
        } catch (error) {
          out.error = error;
        }
      },
      options: { log: false },
    },
    hook,
  );
  return { ...out, run };
}

/** The shell charm's folder: `SCRIPT` in its env runs those commands through dispatch. */
export const SHELL_CHARM = new URL('./shell-charm', import.meta.url).pathname;

const quoted = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs each `[tool, ...args]` in order inside one hook run through the shell charm's
 * `dispatch` (a new process; the tool executables on its PATH), each call's exit code, stdout
 * and stderr reported back whole.
 */
export async function throughDispatch(
  simulator: HookToolsSimulator,
  calls: readonly (readonly string[])[],
  hook = 'config-changed',
): Promise<{ results: Ended[]; run: HookRun }> {
  const script = [
    'set +e',
    'd=$(mktemp -d)',
    ...calls.map(
      (call) =>
        `${call.map(quoted).join(' ')} >"$d/o" 2>"$d/e"; echo "$? $(base64 -w0 <"$d/o") $(base64 -w0 <"$d/e")"`,
    ),
    'rm -r "$d"',
  ].join('\n');
  const run = await simulator.runHook(SHELL_CHARM, hook, { env: { SCRIPT: script } });
  const decode = (text = ''): string => Buffer.from(text, 'base64').toString();
  const results = run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [code = '', out, err] = line.split(' ');
      return { code: Number(code), stdout: decode(out), stderr: decode(err) };
    });
  return { results, run };
}

/**
 * Runs `body` both ways on simulators made from `world`, each inside a hook: in the test's
 * process (`env` undefined: the hook's own), and through the tool executables (`env` the hook's
 * environment, the tools first on its PATH); resolves to what it returned (or threw) the first
 * way, after checking the second agrees.
 */
export async function eachWay<T>(
  world: SimulatorOptions,
  body: (env: Record<string, string> | undefined) => Promise<T>,
): Promise<{ value?: T; error?: unknown }> {
  const outcomes: { value?: T; error?: unknown }[] = [];
  const here = await HookToolsSimulator.create(world);
  try {
    const { run, ...outcome } = await inHook(here, () => body(undefined));
    if (run.exitCode !== 0) throw new Error(`the in-process hook failed: ${run.stderr}`);
    outcomes.push(outcome);
  } finally {
    await here.cleanup();
  }
  const there = await HookToolsSimulator.create(world);
  try {
    // A hook run that waits while the test, outside it, calls the tool executables with its
    // environment: each call crosses a process boundary and is answered as part of that hook.
    let release = (): void => undefined;
    let started = (_env: Record<string, string>): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hookEnv = new Promise<Record<string, string>>((resolve) => (started = resolve));
    const running = there.runHook(
      {
        reconcile: async () => {
          started({ ...hookEnvironment() } as Record<string, string>);
          await gate;
        },
        options: { log: false },
      },
      'config-changed',
    );
    const env = await hookEnv;
    const outcome = await body(env).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    release();
    const run = await running;
    if (run.exitCode !== 0) throw new Error(`the hook through the tool executables failed: ${run.stderr}`);
    outcomes.push(outcome);
  } finally {
    await there.cleanup();
  }
  const [first = {}, second = {}] = outcomes;
  const shown = (o: { value?: T; error?: unknown }): unknown =>
    JSON.parse(ownFolderless(JSON.stringify('error' in o ? { error: String(o.error) } : { value: o.value })));
  if (JSON.stringify(shown(first)) !== JSON.stringify(shown(second))) {
    throw new Error(
      `the two ways disagree: ${JSON.stringify(shown(first))} and ${JSON.stringify(shown(second))}`,
    );
  }
  return first;
}

/**
 * The same calls in one hook, both ways, each on a simulator of its own made from `world`:
 * in the test's process, and through `dispatch`. Checks the two agree (after `same`, for what
 * differs between two simulators, such as when each was made) and resolves to the answers.
 */
export async function agreed(
  world: SimulatorOptions,
  calls: readonly (readonly string[])[],
  same: (stdout: string) => string = (stdout) => stdout,
): Promise<Ended[]> {
  const here = await HookToolsSimulator.create(world);
  const there = await HookToolsSimulator.create(world);
  try {
    const { results } = await inProcess(here, calls);
    const through = (await throughDispatch(there, calls)).results;
    const shown = (all: Ended[]): Ended[] =>
      all.map((r) => ({ ...r, stdout: ownFolderless(same(r.stdout)) }));
    if (JSON.stringify(shown(through)) !== JSON.stringify(shown(results))) {
      throw new Error(
        `in process and through dispatch disagree:\n${JSON.stringify(results)}\n${JSON.stringify(through)}`,
      );
    }
    return results.map((r) => ({ ...r, stdout: ownFolderless(r.stdout) }));
  } finally {
    await here.cleanup();
    await there.cleanup();
  }
}

/** `text` with each simulator's own folder (where its storage lives) named alike. */
export function ownFolderless(text: string): string {
  return text.replace(/juju-hook-tools-[0-9a-f]+/g, 'juju-hook-tools-…');
}
