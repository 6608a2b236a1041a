// The package as users get it: packed by npm, installed into an empty project, loaded by plain
// Node (import and require) and type-checked by a strict TypeScript project.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the packed package', function () {
  this.timeout(180_000);
  let project: string;
  let files: string[];

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'ccs-consumer-'));
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', project], { cwd: root });
    files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    const [tarball] = (await readdir(project)).filter((name) => name.endsWith('.tgz'));
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await run(npm, ['install', `./${String(tarball)}`, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project,
    });
  });

  after(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('holds the built module, its types, and the docs, and no sources or specs', () => {
    expect(files).to.include.members([
      'dist/index.js',
      'dist/index.d.ts',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'package.json',
    ]);
    expect(
      files.filter(
        (f) =>
          !f.startsWith('dist/') && !['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json'].includes(f),
      ),
    ).to.deep.equal([]);
  });

  it('serves import * as status to plain Node', async () => {
    await writeFile(
      join(project, 'esm.mjs'),
      `import * as status from 'charms-contextual-status';
const unit = new status.MemoryUnit();
const value = await status.context(unit, async () => {
  status.add(new status.MaintenanceStatus('Installing'));
  status.add(new status.WaitingStatus('Waiting for the database'));
  return 'done';
});
console.log(JSON.stringify([value, unit.history.map(String), status.bus instanceof status.StatusBus]));
`,
    );
    const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal([
      'done',
      ['maintenance: Installing', 'waiting: Waiting for the database'],
      true,
    ]);
  });

  it('serves require() to CommonJS, the same single copy of the module', async () => {
    await writeFile(
      join(project, 'cjs.cjs'),
      `const status = require('charms-contextual-status');
import('charms-contextual-status').then(async (esm) => {
  const unit = new status.MemoryUnit();
  await status.context(unit, () => esm.add(new esm.BlockedStatus('one copy')));
  console.log(JSON.stringify([esm.bus === status.bus, String(unit.status)]));
});
`,
    );
    const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal([true, 'blocked: one copy']);
  });

  for (const lib of [undefined, ['esnext']]) {
    it(`type-checks in a strict nodenext project${lib ? ' with lib esnext' : ' with the default lib'}`, async () => {
      await writeFile(
        join(project, 'charm.ts'),
        `import * as status from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';
const unit: status.Unit = new status.MemoryUnit();
export const ready: Promise<number> = status.context(unit, () => {
  status.add(new status.BlockedStatus('Add a database'));
  return 1;
}, { exitStatus: new status.ActiveStatus('Serving') });
${
  lib
    ? `export async function scoped(): Promise<string> {
  await using ctx = status.open(unit);
  return String(ctx.resolve());
}
`
    : ''
}export const simulator: Promise<HookToolsSimulator> = HookToolsSimulator.create();
`,
      );
      const compilerOptions = {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        types: [],
        ...(lib ? { lib } : {}),
      };
      await writeFile(
        join(project, 'tsconfig.json'),
        JSON.stringify({ compilerOptions, files: ['charm.ts'] }),
      );
      const result = await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).catch(
        (error: unknown) => error,
      );
      expect(result).to.have.property('stdout', '');
    });
  }
});
