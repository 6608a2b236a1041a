// What a hook pays to load the package, by Node line: `node -e 0`, an empty ES module (the
// ES module loader every ES module entry pays for, with no library), and a script that imports
// the package and runs one context, measured interleaved in the same run. The Node lines come
// from .ci/node-line's cache (CI fills it before the benchmark runs); this Node is always one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { median, record } from './figures.js';

const SECTION = 'importing the package, by Node line (side by side)';
const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The Node lines .ci/run tests besides the machine's own. */
const LINES = ['22.23.3', '24.21.0', '26.12.1'];

/** The issue's ceilings: Node 20's ES module loader alone costs about 1.2-1.3× `node -e 0`. */
const TARGET = (major: number): number => (major <= 20 ? 1.3 : 1.2);

function nodes(): string[] {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'charms-contextual-status');
  return [
    process.execPath,
    ...LINES.map((v) => join(cache, `node-${v}`, 'bin', 'node')).filter((p) => existsSync(p)),
  ];
}

async function time(node: string, args: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  // A clean environment: NODE_EXTRA_CA_CERTS alone doubles a start on some machines.
  await run(node, args, { env: { PATH: process.env.PATH ?? '' } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function imports(times: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ccs-bench-imports-'));
  try {
    const empty = join(work, 'empty.mjs');
    const one = join(work, 'one-context.mjs');
    await writeFile(empty, '');
    await writeFile(
      one,
      `import * as status from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};
await status.context(new status.MemoryUnit(), () => status.add(new status.MaintenanceStatus('Installing')));
`,
    );
    for (const node of nodes()) {
      const version = (await run(node, ['--version'])).stdout.trim();
      const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
      const samples = { bare: [] as number[], empty: [] as number[], one: [] as number[] };
      // Interleaved, so that the machine's drift falls on all three alike.
      for (let i = 0; i < Math.max(5, times * 2); i += 1) {
        samples.bare.push(await time(node, ['-e', '0']));
        samples.empty.push(await time(node, [empty]));
        samples.one.push(await time(node, [one]));
      }
      const bare = median(samples.bare);
      record(
        SECTION,
        `Node ${version}: import the package, run one context`,
        '× node -e 0',
        median(samples.one) / bare,
        {
          target: `≤ ${String(TARGET(major))}×`,
          limit: TARGET(major),
          compare: `${median(samples.one).toFixed(1)} ms; an empty ES module ${(median(samples.empty) / bare).toFixed(2)}×; node -e 0 ${bare.toFixed(1)} ms`,
        },
      );
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
