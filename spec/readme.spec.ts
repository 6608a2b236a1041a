// The README and the guides teach the API: every ```ts block in README.md and docs/*.md must
// compile against the library's own types, in a strict charm project (blocks that open with
// `// src/<file>` are its sources; the README's first charm is `src/charm.ts` for every block
// that imports it). And the README's first charm ships as shown: its files, taken from the
// README, are bundled by its build.mjs and run through its dispatch against the simulator.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { HookToolsSimulator, SIMULATED_TOOLS } from '../lib/testing/index.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const folder = join(root, '.readme-check');

/** The fenced blocks of `language` in a Markdown text. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

/** A block's file, where its first line names one (`// src/charm.ts`, `# dispatch`). */
function fileOf(block: string): string | undefined {
  return /^(?:\/\/|#) ([\w./-]+)$/m.exec(block.split('\n').find((l) => !l.startsWith('#!')) ?? '')?.[1];
}

describe('the README and the guides', function () {
  this.timeout(120_000);
  after(() => rm(folder, { recursive: true, force: true }));

  it('have ts examples, and every one of them type-checks', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const guides = (await readdir(join(root, 'docs'))).filter((f) => f.endsWith('.md')).sort();
    const texts = [
      readme,
      ...(await Promise.all(guides.map((g) => readFile(join(root, 'docs', g), 'utf8')))),
    ];
    expect(guides.length).to.be.greaterThan(5);
    await rm(folder, { recursive: true, force: true });
    await mkdir(join(folder, 'spec'), { recursive: true });
    await mkdir(join(folder, 'src'));
    let n = 0;
    for (const text of texts) {
      for (const code of blocks(text, 'ts')) {
        const file = fileOf(code);
        n += 1;
        const path = file?.startsWith('src/') === true ? file : `spec/block-${String(n)}.ts`;
        await writeFile(join(folder, path), code);
      }
    }
    expect(n).to.be.greaterThan(10);
    await writeFile(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noUnusedLocals: false },
        include: ['spec/*.ts', 'src/*.ts'],
      }),
    );
    const result = await run(process.execPath, [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      folder,
    ]).catch((error: unknown) => error as { stdout: string });
    expect(result.stdout).to.equal('');
  });

  it('start a charm of your own from an example with the commands the guide gives, the name changed everywhere', async () => {
    const guide = await readFile(join(root, 'docs', 'writing-a-charm.md'), 'utf8');
    const [commands = ''] = blocks(guide, 'sh');
    const lines = commands.split('\n').filter((l) => l.trim() !== '');
    // All but installing and testing, which need the published package.
    expect(lines.at(-1)).to.match(/^npm install && npm test/);
    const work = await mkdtemp(join(tmpdir(), 'start-from-'));
    try {
      await mkdir(join(work, 'examples'));
      await run('cp', ['-r', join(root, 'examples', 'webapp'), join(work, 'examples', 'webapp')]);
      await run('bash', ['-euo', 'pipefail', '-c', lines.slice(0, -1).join('\n')], { cwd: work });
      const project = join(work, 'my-charm');
      const left = await run('grep', ['-rl', 'webapp', '.'], { cwd: project }).catch(
        (e: unknown) => e as { stdout: string },
      );
      expect(left.stdout).to.equal('');
      expect(await readFile(join(project, 'charmcraft.yaml'), 'utf8')).to.match(/^name: my-charm$/m);
      const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
        name: string;
        dependencies: Record<string, string>;
        scripts: Record<string, string>;
      };
      expect(manifest.name).to.equal('my-charm-charm');
      expect(manifest.dependencies['charms-contextual-status']).to.equal('^0.1.0');
      expect(manifest.scripts.vendor).to.equal(undefined);
      expect(await readdir(project)).to.not.include.members(['node_modules', 'vendor', 'vendor.mjs']);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('list in the testing guide every tool the simulator answers, and no other', async () => {
    const guide = await readFile(join(root, 'docs', 'testing.md'), 'utf8');
    const table = /^\| family \| tools \|\n\| --- \| --- \|\n((?:\|.*\|\n)+)/m.exec(guide)?.[1] ?? '';
    const listed = [...table.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect([...listed].sort()).to.deep.equal([...SIMULATED_TOOLS].sort());
    expect(guide).to.include(`The ${String(SIMULATED_TOOLS.length)} simulated tools`);
  });

  it("ship the README's first charm as shown: built by its build.mjs, run through its dispatch", async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const project = await mkdtemp(join(tmpdir(), 'readme-charm-'));
    try {
      const files = new Map<string, string>();
      for (const language of ['ts', 'js', 'sh', 'yaml']) {
        for (const code of blocks(readme, language)) {
          const file = fileOf(code);
          if (file !== undefined && !file.startsWith('spec/')) files.set(file, code);
        }
      }
      expect([...files.keys()].sort()).to.deep.equal([
        'build.mjs',
        'charmcraft.yaml',
        'dispatch',
        'src/charm.ts',
        'src/main.ts',
      ]);
      for (const [file, code] of files) {
        await mkdir(dirname(join(project, file)), { recursive: true });
        await writeFile(join(project, file), code);
      }
      await chmod(join(project, 'dispatch'), 0o755);
      // The charm's node_modules: the package as published (this repository, built) and esbuild.
      await run(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
      await mkdir(join(project, 'node_modules'));
      await symlink(root, join(project, 'node_modules', 'charms-contextual-status'));
      await symlink(join(root, 'node_modules', 'esbuild'), join(project, 'node_modules', 'esbuild'));
      await run(process.execPath, ['build.mjs'], { cwd: project });
      // Packed as shipped: no node_modules beside the bundle.
      await rm(join(project, 'node_modules'), { recursive: true });
      const simulator = await HookToolsSimulator.create({ charmDir: project });
      try {
        const first = await simulator.runHook(project, 'install');
        expect(first.exitCode, first.stderr).to.equal(0);
        expect(first.statuses.map(String)).to.deep.equal([
          'maintenance: Configuring',
          'blocked: Set "port": juju config hello port=8080',
        ]);
        await simulator.setConfig({ port: 8080 });
        const ready = await simulator.runHook(project, 'config-changed');
        expect(String(ready.statuses.at(-1))).to.equal('active: Serving on :8080');
        expect(ready.after.ports).to.deep.equal([{ protocol: 'tcp', port: 8080 }]);
      } finally {
        await simulator.cleanup();
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
