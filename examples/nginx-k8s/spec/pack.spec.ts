// `charmcraft pack`, emulated as craft-parts lays it out: the project folder copied alone (no
// node_modules, nothing above it), the `charm` part's own override-build (read from
// charmcraft.yaml) run in parts/charm/build with the `node` part's Node staged first on PATH,
// then the prime step (the node part primes bin/node only; the charm part everything it
// installed); the primed charm's hooks then run from that folder, nothing else beside it. What
// it proves: the charm builds from its own folder, and the primed charm runs on its own.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { HookToolsSimulator } from 'charms-contextual-status/testing';
import { parse } from 'yaml';

const run = promisify(execFile);
const project = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under `dir`, relative to it, sorted. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('the nginx-k8s charm, packed as craft-parts lays it out', function () {
  // npm ci in the part's build folder: the devDependencies come from npm's cache when warm.
  this.timeout(240_000);
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'nginx-k8s-craft-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds in parts/charm/build from the project folder alone, and its primed charm runs its hooks', async () => {
    const yaml = parse(await readFile(join(project, 'charmcraft.yaml'), 'utf8')) as {
      parts: Record<string, { 'override-build'?: string; prime?: string[]; 'npm-node-version'?: string }>;
    };
    const overrideBuild = yaml.parts.charm?.['override-build'];
    expect(overrideBuild, 'the charm part builds with override-build').to.be.a('string');
    expect(yaml.parts.node?.['npm-node-version'], 'Node pinned to one release').to.match(/^\d+\.\d+\.\d+$/);
    expect(yaml.parts.node?.prime).to.deep.equal(['bin/node']);

    // The project as charmcraft sees a clean checkout of it: no node_modules, no dist.
    const build = join(root, 'parts', 'charm', 'build');
    await cp(project, build, {
      recursive: true,
      filter: (source) => !/^(node_modules|dist)(\/|$)/.test(relative(project, source)),
    });
    // The node part's install, staged: Node, and the npm its tarball ships.
    const stageBin = join(root, 'stage', 'bin');
    await mkdir(stageBin, { recursive: true });
    await symlink(process.execPath, join(stageBin, 'node'));
    const npmCli = process.env.npm_execpath;
    expect(npmCli, 'run under npm (npm test), which says where its CLI is').to.be.a('string');
    await writeFile(
      join(stageBin, 'npm'),
      `#!/bin/sh\nexec "${join(stageBin, 'node')}" "${String(npmCli)}" "$@"\n`,
    );
    await chmod(join(stageBin, 'npm'), 0o755);
    const install = join(root, 'parts', 'charm', 'install');
    await mkdir(install, { recursive: true });
    await run('bash', ['-euo', 'pipefail', '-c', String(overrideBuild)], {
      cwd: build,
      env: {
        PATH: '/usr/bin:/bin',
        HOME: process.env.HOME ?? root,
        CRAFT_STAGE: join(root, 'stage'),
        CRAFT_PART_INSTALL: install,
        CRAFT_PART_BUILD: build,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
      maxBuffer: 64 * 1024 * 1024,
    });

    // Prime: the charm part's install, and bin/node from the node part; charmcraft adds the
    // metadata.
    const prime = join(root, 'prime');
    await cp(install, prime, { recursive: true });
    await mkdir(join(prime, 'bin'));
    await symlink(process.execPath, join(prime, 'bin', 'node'));
    await cp(join(project, 'charmcraft.yaml'), join(prime, 'charmcraft.yaml'));
    expect(await files(prime)).to.deep.equal(['bin/node', 'charmcraft.yaml', 'dispatch', 'dist/charm.cjs']);

    const simulator = await HookToolsSimulator.create({
      unitName: 'nginx-k8s/0',
      leader: true,
      containers: {
        nginx: { canConnect: true, execs: [{ command: ['nginx', '-t'] }] },
      },
    });
    try {
      const ready = await simulator.runHook(prime, 'nginx-pebble-ready');
      expect(ready.exitCode, ready.stderr).to.equal(0);
      expect(ready.statuses.map(String)).to.deep.equal([
        'maintenance: Configuring nginx on :8080',
        'active: Serving on :8080',
      ]);
      expect(ready.after.containers?.nginx?.serviceStatuses).to.deep.equal({ nginx: 'active' });
    } finally {
      await simulator.cleanup();
    }
  });
});
