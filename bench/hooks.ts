// What users feel: a whole hook of the example charm, started through its dispatch as Juju
// starts it, against fast fake hook tools (bench/fake-tool.c, one exec and no fork, as Juju's
// real tools are a small compiled client), paired with its floor: a Node script with no
// library making the same tool calls in the same order and overlap. Each round runs each side
// once, the order rotating, and the figure is the median of the rounds' ratios.
import { build, type Plugin } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { HookToolsSimulator, SIMULATED_TOOLS } from 'charms-contextual-status/testing';

import { bundleOptions } from '../examples/webapp/build.mjs';
import { median, record } from './figures.js';
import { cleanEnv } from './juju.js';

const SECTION = 'whole hooks of the example charm (fast fake hook tools)';
const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The fake tools where no C compiler is: bash, recording the same line with bash's own clock
 * (no fork for it; one for the tool's name is avoided with parameter expansion).
 */
const FAKE = `#!/bin/bash
began=\${EPOCHREALTIME/./}000
tool=\${0##*/}
case "$tool" in
  config-get) case "$*" in *' port') echo 8080 ;; *) echo '{"port":8080}' ;; esac ;;
  relation-ids) echo '["database:1"]' ;;
  relation-list) echo '["postgresql/0"]' ;;
  relation-get) echo '{"endpoint":"10.0.0.7:5432","ready":"true","session-key":"k"}' ;;
  is-leader) echo true ;;
  state-get) cat "$FAKE_TOOLS_STATE" 2>/dev/null ;;
  state-set) case "$1" in *=true) echo true > "$FAKE_TOOLS_STATE" ;; *) : > "$FAKE_TOOLS_STATE" ;; esac ;;
esac
line="$began \${EPOCHREALTIME/./}000 $tool"
for arg in "$@"; do line+=$'\\x1f'"$arg"; done
printf '%s\\n' "$line" >> "$FAKE_TOOLS_LOG"
`;

/** Makes `bin/fake-tool`: compiled where the machine has a C compiler, else the bash fake. */
async function fakeTool(bin: string): Promise<'compiled' | 'bash'> {
  const file = join(bin, 'fake-tool');
  try {
    await run('cc', ['-O2', '-o', file, join(root, 'bench', 'fake-tool.c')]);
    return 'compiled';
  } catch {
    await writeFile(file, FAKE);
    await chmod(file, 0o755);
    return 'bash';
  }
}

/** One call as the fake logged it. */
interface LoggedCall {
  readonly began: bigint;
  readonly ended: bigint;
  readonly tool: string;
  readonly args: string[];
}

function callsIn(log: string): LoggedCall[] {
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [began = '0', ended = '0', ...rest] = line.split(' ');
      const [tool = '', ...args] = rest.join(' ').split('\x1f');
      return { began: BigInt(began), ended: BigInt(ended), tool, args };
    });
}

/**
 * The floor of a hook: a CommonJS script with no library that makes `calls` in the order they
 * began, each after every call that had ended before it began: the charm's own overlap.
 */
function floorScript(calls: readonly LoggedCall[]): string {
  const plan = calls.map((call, i) => [
    call.tool,
    call.args,
    calls.flatMap((other, j) => (j < i && other.ended <= call.began ? [j] : [])),
  ]);
  return `const { execFile } = require('node:child_process');
const plan = ${JSON.stringify(plan)};
const done = [];
for (const [tool, args, after] of plan) {
  done.push(Promise.all(after.map((j) => done[j])).then(() => new Promise((resolve) => execFile(tool, args, resolve))));
}
`;
}

/**
 * Prints the peak RSS of any Node process it is preloaded into, on stderr, at exit. CommonJS,
 * preloaded with --require: an ES module probe (--import) would start Node's ES module loader
 * in every process, a CommonJS charm's included, and hide what each format costs.
 */
const RSS = `process.on('exit', () => process.stderr.write(\`maxrss \${String(process.resourceUsage().maxRSS)}\\n\`));\n`;

/** Where the RSS probe is written, once per run. */
let probe = '';

interface Timing {
  ms: number;
  rssMiB: number;
}

/** One run of `file`, its wall time and peak RSS. */
async function once(file: string, args: string[], env: Record<string, string | undefined>): Promise<Timing> {
  const start = process.hrtime.bigint();
  const { stderr } = await run(file, args, {
    env: { ...env, NODE_OPTIONS: `--require=${probe}` },
    cwd: env.JUJU_CHARM_DIR,
  });
  const kib = /maxrss (\d+)/.exec(stderr)?.[1];
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, rssMiB: Number(kib ?? NaN) / 1024 };
}

/** Leaves `charms-contextual-status` to be loaded from the built package, file by file. */
const unbundled: Plugin = {
  name: 'package-unbundled',
  setup(context) {
    context.onResolve({ filter: /^charms-contextual-status(\/.*)?$/ }, ({ path }) => ({
      path: pathToFileURL(join(root, 'dist', path.slice('charms-contextual-status'.length), 'index.js')).href,
      external: true,
    }));
  },
};

export async function hooks(times: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ccs-bench-hooks-'));
  try {
    probe = join(work, 'rss.cjs');
    await writeFile(probe, RSS);
    const bin = join(work, 'bin');
    await mkdir(bin);
    const fake = await fakeTool(bin);
    for (const tool of SIMULATED_TOOLS) await symlink('fake-tool', join(bin, tool));
    const charms = {
      bundled: join(work, 'bundled'),
      esm: join(work, 'esm'),
      unbundled: join(work, 'unbundled'),
    };
    for (const [kind, dir] of Object.entries(charms)) {
      await mkdir(join(dir, 'dist'), { recursive: true });
      const options = bundleOptions(kind === 'unbundled' ? undefined : join(root, 'dist'));
      // The example ships CommonJS (a start without Node's ES module loader); the same bundle
      // as an ES module, and the charm unbundled (an ES module importing the package's files),
      // beside it.
      const file = kind === 'bundled' ? 'charm.cjs' : 'charm.mjs';
      const dispatch = await readFile(join(root, 'examples', 'webapp', 'dispatch'), 'utf8');
      await writeFile(join(dir, 'dispatch'), dispatch.replace('dist/charm.cjs', `dist/${file}`));
      await chmod(join(dir, 'dispatch'), 0o755);
      await build({
        ...options,
        outfile: join(dir, 'dist', file),
        ...(kind === 'bundled' ? {} : { format: 'esm' }),
        ...(kind === 'unbundled' ? { plugins: [unbundled] } : {}),
      });
    }
    const log = join(work, 'calls.log');
    const state = join(work, 'state');
    const env = (charm: string, hook: string): Record<string, string | undefined> => ({
      ...cleanEnv(process.env),
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      JUJU_CHARM_DIR: charm,
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_UNIT_NAME: 'webapp/0',
      FAKE_TOOLS_LOG: log,
      FAKE_TOOLS_STATE: state,
    });
    const tools = fake === 'compiled' ? 'bench/fake-tool.c, compiled' : 'a bash fake (no C compiler here)';

    for (const hook of ['update-status', 'config-changed']) {
      // update-status is quiet only once the unit is reconciled: the flag a config-changed leaves.
      const before = hook === 'update-status' ? 'true\n' : '';
      await writeFile(state, before);
      await writeFile(log, '');
      await once(join(charms.bundled, 'dispatch'), [], env(charms.bundled, hook));
      const calls = callsIn(await readFile(log, 'utf8'));
      // The floor is started as the charm is, by a dispatch of the same shape (a charm without
      // this library needs one too): only the library's work differs.
      const floorDir = join(work, `${hook}-floor`);
      await mkdir(join(floorDir, 'dist'), { recursive: true });
      await writeFile(join(floorDir, 'dist', 'charm.cjs'), floorScript(calls));
      await writeFile(
        join(floorDir, 'dispatch'),
        await readFile(join(root, 'examples', 'webapp', 'dispatch'), 'utf8'),
      );
      await chmod(join(floorDir, 'dispatch'), 0o755);
      const sides: [string, () => Promise<Timing>][] = [
        ['floor', () => once(join(floorDir, 'dispatch'), [], env(floorDir, hook))],
        ['bundled', () => once(join(charms.bundled, 'dispatch'), [], env(charms.bundled, hook))],
        ['esm', () => once(join(charms.esm, 'dispatch'), [], env(charms.esm, hook))],
        ['unbundled', () => once(join(charms.unbundled, 'dispatch'), [], env(charms.unbundled, hook))],
        ['bare', () => once(process.execPath, ['-e', '0'], env(work, hook))],
      ];
      const samples = new Map<string, Timing[]>(sides.map(([name]) => [name, []]));
      const ratios = new Map<string, number[]>();
      for (let round = 0; round < times; round += 1) {
        const taken = new Map<string, Timing>();
        const rotated = [...sides.slice(round % sides.length), ...sides.slice(0, round % sides.length)];
        for (const [name, side] of rotated) {
          await writeFile(state, before);
          const timing = await side();
          taken.set(name, timing);
          samples.get(name)?.push(timing);
        }
        const floor = taken.get('floor')?.ms ?? NaN;
        for (const [name, timing] of taken)
          ratios.set(name, [...(ratios.get(name) ?? []), timing.ms / floor]);
      }
      const of = (name: string): { ms: number; rss: number; ratio: number } => ({
        ms: median((samples.get(name) ?? []).map((t) => t.ms)),
        rss: median((samples.get(name) ?? []).map((t) => t.rssMiB)),
        ratio: median(ratios.get(name) ?? []),
      });
      const floor = of('floor');
      const bare = of('bare');
      record(SECTION, `${hook}: no-library floor, same calls and overlap`, 'ms', floor.ms, {
        compare: `${(floor.ms / bare.ms).toFixed(2)}× node -e 0 (${bare.ms.toFixed(0)} ms); peak RSS ${floor.rss.toFixed(0)} MiB; tools: ${tools}`,
      });
      const bundled = of('bundled');
      record(
        SECTION,
        `${hook}: bundled charm (CommonJS, as the example ships)`,
        '× floor, paired',
        bundled.ratio,
        {
          target: '≤ 1.1×',
          limit: 1.1,
          compare: `${bundled.ms.toFixed(0)} ms, peak RSS ${bundled.rss.toFixed(0)} MiB`,
        },
      );
      const esm = of('esm');
      record(SECTION, `${hook}: bundled charm, as an ES module`, '× floor, paired', esm.ratio, {
        compare: `${esm.ms.toFixed(0)} ms, peak RSS ${esm.rss.toFixed(0)} MiB`,
      });
      const unbundledHook = of('unbundled');
      record(SECTION, `${hook}: unbundled charm`, '× floor, paired', unbundledHook.ratio, {
        compare: `${unbundledHook.ms.toFixed(0)} ms, peak RSS ${unbundledHook.rss.toFixed(0)} MiB`,
      });
      const byTool = new Map<string, number>();
      for (const { tool } of calls) byTool.set(tool, (byTool.get(tool) ?? 0) + 1);
      const overlapping = calls.filter((call, i) =>
        calls.some((other, j) => j < i && other.ended > call.began),
      );
      record(SECTION, `${hook}: hook-tool calls`, 'calls', calls.length, {
        compare: `${[...byTool].map(([tool, count]) => `${tool} ${String(count)}`).join(', ')}; ${String(overlapping.length)} begun while another ran`,
      });
    }

    // The same hook as a charm's test runs it: runHook through the simulator's own tools.
    const simulator = await HookToolsSimulator.create({
      state: { 'charms-contextual-status.reconciled': 'true' },
    });
    try {
      const samples: number[] = [];
      for (let i = 0; i < times; i += 1) {
        const start = process.hrtime.bigint();
        const run = await simulator.runHook(charms.bundled, 'update-status');
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (run.exitCode !== 0) throw new Error(`update-status failed under runHook: ${run.stderr}`);
      }
      record(SECTION, 'update-status through runHook (simulated tools)', 'ms', median(samples), {
        compare: "what a charm test pays per hook, this machine's NODE_EXTRA_CA_CERTS included",
      });
    } finally {
      await simulator.cleanup();
    }

    // Importing the package alone, by Node line: bench/imports.ts.
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
