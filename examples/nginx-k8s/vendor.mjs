// `npm run vendor`: puts the library, packed from this repository, in vendor/, where
// package.json takes it from ("file:vendor/charms-contextual-status"), so that this folder
// holds everything `charmcraft pack` needs: charmcraft builds the charm from a copy of this
// folder alone, where a dependency on "../.." would resolve to nothing. Run it first, and again
// after changing the library. A charm of your own depends on the published package instead
// ("charms-contextual-status": "^0.1.0") and needs none of this.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repository = join(here, '..', '..');
const target = join(here, 'vendor', 'charms-contextual-status');
const work = mkdtempSync(join(tmpdir(), 'nginx-k8s-vendor-'));
try {
  // npm pack builds the package (its prepack script) and packs what npm would publish.
  const npm = process.env.npm_execpath;
  const [command, args] = npm === undefined ? ['npm', []] : [process.execPath, [npm]];
  execFileSync(command, [...args, 'pack', '--silent', '--pack-destination', work], {
    cwd: repository,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack left no tarball in ${work}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', target, '--strip-components=1']);
  // Installed from a folder, npm would run the package's `prepare` (a build from sources the
  // package does not ship); installed from the registry, it runs none of its scripts. Drop them.
  const manifest = join(target, 'package.json');
  const { scripts, ...published } = JSON.parse(readFileSync(manifest, 'utf8'));
  void scripts;
  writeFileSync(manifest, `${JSON.stringify(published, null, 2)}\n`);
  console.log(`vendor/charms-contextual-status: ${tarball}, packed from ${repository}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
