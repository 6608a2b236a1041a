// relation-ids, relation-list, relation-get and relation-set on a peer relation, as Juju holds
// one: the remote application is this application, the remote units are its other units, and
// relation-list never lists this unit (jujuc/relation-list.go; the uniter's relation state).
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { agreed } from '../../support/both-ways.js';

describe('simulated tools: relations', function () {
  this.timeout(30_000);
  let charm: string;
  before(async () => {
    charm = await mkdtemp(join(tmpdir(), 'peer-charm-'));
    await writeFile(
      join(charm, 'charmcraft.yaml'),
      'name: broker\npeers:\n  cluster:\n    interface: broker-peers\nrequires:\n  database:\n    interface: pgsql\n',
    );
  });
  after(async () => {
    await rm(charm, { recursive: true, force: true });
  });

  it('name the unit after the charm, and list the other units of this application on a peer relation', async () => {
    const world = {
      charmDir: charm,
      relations: [
        { endpoint: 'cluster', id: 1, remoteUnits: { 'broker/1': { ready: 'yes' }, 'broker/2': {} } },
      ],
    };
    const results = await agreed(world, [
      ['relation-list', '-r', '1', '--format=json'],
      ['relation-list', '-r', '1', '--app'],
      ['relation-get', '-r', '1', 'ready', 'broker/1'],
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
      [0, '["broker/1","broker/2"]\n', ''],
      [0, 'broker\n', ''],
      [0, 'yes\n', ''],
    ]);
    const simulator = await HookToolsSimulator.create(world);
    try {
      const run = await simulator.runHook(
        { reconcile: () => undefined, options: { log: false } },
        'cluster-relation-changed',
      );
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(run.after.unitName).to.equal('broker/0');
      expect(run.after.relations?.[0]?.remoteApp).to.equal('broker');
    } finally {
      await simulator.cleanup();
    }
  });

  it('refuse a peer relation of another application, or with this unit among its remote units', async () => {
    for (const [relation, why] of [
      [{ endpoint: 'cluster', remoteUnits: { 'broker/0': {} } }, /got "broker\/0"/],
      [
        { endpoint: 'cluster', remoteUnits: { 'other/1': {} } },
        /the other units of broker .* got "other\/1"/,
      ],
      [
        { endpoint: 'cluster', remoteApp: 'other' },
        /remote application is this one \(broker\), got remoteApp "other"/,
      ],
    ] as const) {
      const refused = await HookToolsSimulator.create({ charmDir: charm, relations: [relation] }).catch(
        (e: unknown) => e,
      );
      expect(refused, JSON.stringify(relation)).to.be.instanceOf(TypeError);
      expect(String(refused)).to.match(why);
    }
  });
});
