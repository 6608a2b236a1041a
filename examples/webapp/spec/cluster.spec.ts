// The webapp charm as an application of three units, tested whole: the leader shares the
// session key in the peer relation, the others wait for it, and settle() runs the hooks Juju
// would queue on each unit until the cluster has formed; then the leader is removed and the
// cluster settles again around the next one. In the test's process, and as packed (each hook
// through dispatch, a process of its own): the two agree.
import { expect } from 'chai';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type SettledRun, SimulatedApplication } from 'charms-contextual-status/testing';

import { charm as inProcess } from '../src/charm.js';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATABASE = { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } };

/** The charm as packed: dispatch, the bundle, the metadata and Node, in an empty folder. */
async function packed(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'webapp-cluster-'));
  for (const file of ['dispatch', 'dist/charm.cjs', 'charmcraft.yaml']) {
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await copyFile(join(project, file), join(folder, file));
  }
  await chmod(join(folder, 'dispatch'), 0o755);
  await mkdir(join(folder, 'bin'));
  await symlink(process.execPath, join(folder, 'bin', 'node'));
  return folder;
}

/** What a cluster did and shows, as both ways must agree on it. */
interface Story {
  formed: string[];
  statuses: string[];
  application: string;
  afterRemoval: string[];
  statusesAfter: string[];
  applicationAfter: string;
}

async function story(charm: typeof inProcess | string): Promise<Story> {
  const app = await SimulatedApplication.create({
    units: 3,
    charmDir: project,
    config: { port: 8080 },
    relations: [{ endpoint: 'database', remoteUnits: DATABASE }],
  });
  const hooks = (runs: readonly SettledRun[]): string[] => {
    for (const run of runs) expect(run.exitCode, `${run.unit} ${run.hook}: ${run.stderr}`).to.equal(0);
    return runs.map((r) => `${r.unit} ${r.hook}`);
  };
  const shown = (): Promise<string[]> =>
    Promise.all(app.units.map(async (u) => `${u} ${String(await app.unit(u).status())}`));
  try {
    // Juju runs install and config-changed on each unit as it comes up, in no set order: here
    // the leader comes up last, so the others wait for its session key until settle().
    for (const unit of [...app.units].reverse()) {
      await app.unit(unit).runHook(charm, 'install');
      const configured = await app.unit(unit).runHook(charm, 'config-changed');
      expect(String(configured.statuses.at(-1))).to.equal(
        unit === app.leader
          ? 'active: Serving on :8080'
          : 'waiting: Waiting for the leader to share the session key',
      );
    }
    const formed = hooks(await app.settle(charm));
    const statuses = await shown();
    const application = String(await app.status());
    await app.removeUnit(app.leader ?? '');
    const afterRemoval = hooks(await app.settle(charm));
    return {
      formed,
      statuses,
      application,
      afterRemoval,
      statusesAfter: await shown(),
      applicationAfter: String(await app.status()),
    };
  } finally {
    await app.cleanup();
  }
}

describe('the webapp charm, three units', function () {
  this.timeout(120_000);

  it('forms a cluster around the leader, and again when the leader is removed, both ways alike', async () => {
    const folder = await packed();
    try {
      const here = await story(inProcess);
      // The leader's application data reaches every unit (the leader too); each then serves.
      expect(here.formed).to.deep.equal([
        'webapp/0 replicas-relation-changed',
        'webapp/1 replicas-relation-changed',
        'webapp/2 replicas-relation-changed',
      ]);
      expect(here.statuses).to.deep.equal([
        'webapp/0 active: Serving on :8080',
        'webapp/1 active: Serving on :8080',
        'webapp/2 active: Serving on :8080',
      ]);
      expect(here.application).to.equal('active: Serving on :8080');
      // webapp/0 leaves: it departs its peers, stops and is removed; webapp/1 now leads.
      expect(here.afterRemoval).to.deep.equal([
        'webapp/0 replicas-relation-departed',
        'webapp/1 leader-elected',
        'webapp/2 replicas-relation-departed',
        'webapp/0 replicas-relation-departed',
        'webapp/1 replicas-relation-departed',
        'webapp/0 database-relation-departed',
        'webapp/0 database-relation-broken',
        'webapp/0 stop',
        'webapp/0 remove',
      ]);
      expect(here.statusesAfter).to.deep.equal([
        'webapp/1 active: Serving on :8080',
        'webapp/2 active: Serving on :8080',
      ]);
      expect(await story(folder)).to.deep.equal(here);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
