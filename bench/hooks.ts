// What users feel: a whole hook of the example charm, started through its dispatch as Juju
// starts it, against fast fake hook tools (a few lines of shell that record their arguments,
// as Juju's real tools are a small compiled client), side by side with its floors: a bare
// Node start, and a Node script with no library making the same tool calls.
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

/** One shell script for every tool: records `tool args…` and answers what the charm reads. */
const FAKE = `#!/bin/sh
tool=$(basename "$0")
printf '%s\\n' "$tool $*" >> "$FAKE_TOOLS_LOG"
case "$tool" in
  config-get) case "$*" in *' port') echo 8080 ;; *) echo '{"port":8080}' ;; esac ;;
  relation-ids) echo '["database:1"]' ;;
  relation-list) echo '["postgresql/0"]' ;;
  relation-get) echo '{"endpoint":"10.0.0.7:5432","ready":"true"}' ;;
  is-leader) echo true ;;
  state-get) cat "$FAKE_TOOLS_STATE" 2>/dev/null ;;
  state-set) case "$1" in *=true) echo true > "$FAKE_TOOLS_STATE" ;; *) : > "$FAKE_TOOLS_STATE" ;; esac ;;
esac
`;

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

async function timed(
  times: number,
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Timing> {
  const samples: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = process.hrtime.bigint();
    const { stderr } = await run(file, args, {
      env: { ...env, NODE_OPTIONS: `--require=${probe}` },
      cwd: env.JUJU_CHARM_DIR,
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    const kib = /maxrss (\d+)/.exec(stderr)?.[1];
    if (kib !== undefined) rss.push(Number(kib) / 1024);
  }
  return { ms: median(samples), rssMiB: median(rss) };
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
    await writeFile(join(bin, 'fake-tool'), FAKE);
    await chmod(join(bin, 'fake-tool'), 0o755);
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
    const bare = await timed(times, process.execPath, ['-e', '0'], env(work, 'none'));
    record(SECTION, 'node -e 0, beside the hooks', 'ms', bare.ms, {
      compare: `peak RSS ${bare.rssMiB.toFixed(0)} MiB`,
    });

    for (const hook of ['update-status', 'config-changed']) {
      // update-status is quiet only once the unit is reconciled: the flag a config-changed leaves.
      await writeFile(state, hook === 'update-status' ? 'true\n' : '');
      await writeFile(log, '');
      const bundled = await timed(times, join(charms.bundled, 'dispatch'), [], env(charms.bundled, hook));
      const lines = (await readFile(log, 'utf8')).trim().split('\n');
      const calls = lines.slice(0, lines.length / times).map((line) => line.split(' '));
      const esm = await timed(times, join(charms.esm, 'dispatch'), [], env(charms.esm, hook));
      const unbundledHook = await timed(
        times,
        join(charms.unbundled, 'dispatch'),
        [],
        env(charms.unbundled, hook),
      );
      // The floor: the same tool calls, one after another, from a script with no library, in
      // the cheaper format to start (CommonJS, as the example's bundle).
      const script = join(work, `${hook}-floor.cjs`);
      await writeFile(
        script,
        `const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const run = promisify(execFile);
(async () => {
  for (const [tool, ...args] of ${JSON.stringify(calls)}) await run(tool, args);
})();
`,
      );
      const floor = await timed(times, process.execPath, [script], env(work, hook));
      record(SECTION, `${hook}: no-library script, same calls`, 'ms', floor.ms, {
        compare: `peak RSS ${floor.rssMiB.toFixed(0)} MiB`,
      });
      record(
        SECTION,
        `${hook}: bundled charm (CommonJS, as the example ships)`,
        '× no-library',
        bundled.ms / floor.ms,
        {
          target: '≤ 1.1×',
          limit: 1.1,
          compare: `${bundled.ms.toFixed(0)} ms, peak RSS ${bundled.rssMiB.toFixed(0)} MiB`,
        },
      );
      record(SECTION, `${hook}: bundled charm, as an ES module`, '× no-library', esm.ms / floor.ms, {
        compare: `${esm.ms.toFixed(0)} ms, peak RSS ${esm.rssMiB.toFixed(0)} MiB`,
      });
      record(SECTION, `${hook}: unbundled charm`, '× no-library', unbundledHook.ms / floor.ms, {
        compare: `${unbundledHook.ms.toFixed(0)} ms, peak RSS ${unbundledHook.rssMiB.toFixed(0)} MiB`,
      });
      const byTool = new Map<string, number>();
      for (const [tool] of calls) byTool.set(tool ?? '', (byTool.get(tool ?? '') ?? 0) + 1);
      record(SECTION, `${hook}: hook-tool calls`, 'calls', calls.length, {
        compare: [...byTool].map(([tool, count]) => `${tool} ${String(count)}`).join(', '),
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
