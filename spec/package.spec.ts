// The package as users get it: packed by npm, installed into an empty project, loaded by plain
// Node (import and require) and type-checked by a strict TypeScript project.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
/** TypeScript 6.0 (what typescript-eslint and typedoc support) and 7 (the native compiler, typescript@latest). */
const compilers = {
  'TypeScript 6.0': join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  'TypeScript 7': join(root, 'node_modules', 'typescript-7', 'bin', 'tsc'),
};
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

  it("ships one file per entry point, the testing entry sharing the main one's status classes", async () => {
    const js = files.filter((f) => f.endsWith('.js') || f.endsWith('.cjs'));
    expect(js.sort()).to.deep.equal([
      'dist/hook-tools/index.js',
      'dist/index.js',
      'dist/pebble/index.js',
      'dist/testing/index.js',
    ]);
    // A machine charm loads no yaml; the Pebble entry loads it only to read a plan or a layer
    // given as YAML, and speaks exec's websockets with a client of its own.
    const text = (file: string): Promise<string> => readFile(join(root, file), 'utf8');
    for (const file of ['dist/index.js', 'dist/hook-tools/index.js']) {
      expect(await text(file), file).to.not.match(/from ["']yaml["']|import\(["']yaml["']\)/);
    }
    const pebble = await text('dist/pebble/index.js');
    expect(pebble).to.not.match(/from ["']yaml["']|["']ws["']/);
    expect(pebble).to.match(/import\(["']yaml["']\)/);
    await writeFile(
      join(project, 'testing.mjs'),
      `import * as status from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';
const simulator = await HookToolsSimulator.create({ unitStatus: new status.BlockedStatus('b') });
const shown = await simulator.status();
await simulator.cleanup();
console.log(JSON.stringify([shown instanceof status.BlockedStatus, String(shown)]));
`,
    );
    const { stdout } = await run(process.execPath, ['testing.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).to.deep.equal([true, 'blocked: b']);
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

  for (const [compiler, tsc] of Object.entries(compilers)) {
    for (const lib of [undefined, ['esnext']]) {
      it(`type-checks in a strict nodenext project under ${compiler}${lib ? ' with lib esnext' : ' with the default lib'}`, async () => {
        await writeFile(
          join(project, 'charm.ts'),
          `import * as status from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';
const unit: status.Unit = new status.MemoryUnit();
export const ready: Promise<number> = status.context(unit, () => {
  status.add(new status.BlockedStatus('Add a database'));
  return 1;
}, { exitStatus: new status.ActiveStatus('Serving') });
export const outcome: Promise<status.ReconcileOutcome> = status.reconcile(() => undefined, { application: true });
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
        await writeFile(
          join(project, 'tsconfig.json'),
          JSON.stringify({ compilerOptions: strict(lib), files: ['charm.ts'] }),
        );
        const result = await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).catch(
          (error: unknown) => error,
        );
        expect(result).to.have.property('stdout', '');
      });
    }

    it(`decorates methods under experimentalDecorators (legacy decorators) with ${compiler}, and runs`, async () => {
      await writeFile(
        join(project, 'legacy.ts'),
        `import * as status from 'charms-contextual-status';
class ConnectionRefused extends Error {}
class Database {
  @status.onError(new status.WaitingStatus('Waiting for the database'), ConnectionRefused)
  async connect(): Promise<void> {
    throw new ConnectionRefused('refused');
  }
}
const unit = new status.MemoryUnit();
const caught = await status.context(unit, () => new Database().connect()).catch((e: unknown) => e);
console.log(JSON.stringify([caught instanceof status.ReconcilerError, String(unit.status)]));
`,
      );
      const compilerOptions = {
        ...strict(undefined),
        noEmit: false,
        experimentalDecorators: true,
        outDir: 'out-legacy',
      };
      await writeFile(
        join(project, 'tsconfig.json'),
        JSON.stringify({ compilerOptions, files: ['legacy.ts'] }),
      );
      const result = await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).catch(
        (error: unknown) => error,
      );
      expect(result).to.have.property('stdout', '');
      await writeFile(join(project, 'out-legacy', 'package.json'), '{"type":"module"}');
      const { stdout } = await run(process.execPath, [join('out-legacy', 'legacy.js')], { cwd: project });
      expect(JSON.parse(stdout)).to.deep.equal([true, 'waiting: Waiting for the database']);
    });
  }

  it('publishes the public API only in its .d.ts files: no internal member, symbol or helper', async () => {
    const dist = join(project, 'node_modules', 'charms-contextual-status', 'dist');
    const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.d.ts'));
    const text = (await Promise.all(files.map((f) => readFile(join(dist, f), 'utf8')))).join('\n');
    const leaks = [
      /@internal/,
      /\bsequence\b/,
      /\bContextHost\b/,
      /\breceive\(/,
      /\breleased\(/,
      /\bannounce\(/,
      /\bWriteQueue\b/,
      /\bReach\b/,
      /\bLogSink\b/,
      /\bshared\(/,
      /\bcheckOptions\b/,
      /static create\(bus/,
    ];
    for (const leak of leaks) expect(text, String(leak)).not.to.match(leak);
    expect(text).to.include('private constructor();');
  });

  it('a CommonJS file that require()s it under tsx meets the ESM copy on one bus and one scope', async function () {
    // Node 20 itself fails there ("request for './status.js' is not in cache"): require(esm)
    // under a module loader works from Node 22 on, the lines CI runs this on.
    if (Number(process.versions.node.split('.')[0]) < 22) this.skip();
    await writeFile(
      join(project, 'under-tsx.cts'),
      `const required = require('charms-contextual-status');
import('charms-contextual-status').then(async (imported) => {
  const unit = new imported.MemoryUnit();
  await imported.context(unit, async () => {
    await Promise.resolve();
    required.add(new required.WaitingStatus('through require'));
  });
  console.log(JSON.stringify([required.bus === imported.bus, required.StatusBus === imported.StatusBus, String(unit.status)]));
});
`,
    );
    const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, 'under-tsx.cts'], { cwd: project });
    const [sameBus, , final] = JSON.parse(stdout) as [boolean, boolean, string];
    expect([sameBus, final]).to.deep.equal([true, 'waiting: through require']);
  });
});

function strict(lib: string[] | undefined): Record<string, unknown> {
  return {
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
}

describe('the sources', () => {
  it('import one way: no module of lib/ reaches itself through the modules it imports', async () => {
    const root = resolve(import.meta.dirname, '..', 'lib');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const imports = new Map<string, string[]>();
    for (const file of files) {
      const source = await readFile(join(root, file), 'utf8');
      // Value imports only: `import type` is erased, and cannot make a module wait for another.
      const found = [...source.matchAll(/^(import|export) (?!type )[^;]*? from '(\.[^']+)\.js';/gms)].map(
        (m) => join(file, '..', m[2] ?? '') + '.ts',
      );
      imports.set(file, found);
    }
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, path: string[]): void => {
      if (path.includes(file)) {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      if (done.has(file)) return;
      for (const next of imports.get(file) ?? []) visit(next, [...path, file]);
      done.add(file);
    };
    for (const file of imports.keys()) visit(file, []);
    expect(files.length).to.be.greaterThan(50);
    expect(cycles).to.deep.equal([]);
  });
});
