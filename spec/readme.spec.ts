// Every ```ts block in README.md must compile, against the library's own types, in a strict
// project: a README whose examples do not compile teaches the wrong API.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const folder = join(root, '.readme-check');

describe('README.md', function () {
  this.timeout(120_000);
  after(() => rm(folder, { recursive: true, force: true }));

  it('has ts examples, and every one of them type-checks', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
    expect(blocks.length).to.be.greaterThan(5);
    await rm(folder, { recursive: true, force: true });
    // Each block as a spec of a charm project: `../src/charm.js` is the charm, as a test
    // imports it (the charm's `{ reconcile, options }`).
    await mkdir(join(folder, 'spec'), { recursive: true });
    await mkdir(join(folder, 'src'));
    await writeFile(
      join(folder, 'src', 'charm.ts'),
      "import type { Charm } from 'charms-contextual-status/testing';\nexport declare const charm: Charm;\n",
    );
    await Promise.all(
      blocks.map((code, i) => writeFile(join(folder, 'spec', `block-${String(i + 1)}.ts`), code)),
    );
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
});
