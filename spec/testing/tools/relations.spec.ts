// relation-ids, relation-list, relation-get and relation-set on a peer relation, as Juju holds
// one: the remote application is this application, the remote units are its other units, and
// relation-list never lists this unit (jujuc/relation-list.go; the uniter's relation state).
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { agreed } from '../../support/both-ways.js';
import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

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

describe('simulated tools: relations, read and written, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('relation-get: -r takes database:7 or 7, refuses the rest, and needs --app for an application', async () => {
    const get = (...args: string[]) => tool(simulator(), 'relation-get', '--format=json', ...args);
    expect(JSON.parse((await get('-r', 'database:7', '-', 'postgresql/0')).stdout)).to.deep.equal({
      endpoint: 'db:5432',
    });
    expect(JSON.parse((await get('-r', '7', 'endpoint', 'postgresql/0')).stdout)).to.equal('db:5432');
    expect((await get('-r', 'database:x', '-', 'postgresql/0')).stderr).to.equal(
      'ERROR invalid value "database:x" for flag -r: invalid relation id\n',
    );
    expect((await get('-r', 'database:9', '-', 'postgresql/0')).stderr).to.equal(
      'ERROR invalid value "database:9" for flag -r: relation not found\n',
    );
    expect(await get('-r', '7')).to.deep.include({
      code: 2,
      stderr: 'ERROR no unit or application specified\n',
    });
    expect((await get('-r', '7', '-', 'postgresql')).stderr).to.equal(
      'ERROR expected unit name, got application name "postgresql"\n',
    );
    expect(JSON.parse((await get('-r', '7', '--app', '-', 'postgresql')).stdout)).to.deep.equal({
      version: '16',
    });
  });

  it("relation-list lists the remote units; relation-set writes this unit's bag", async () => {
    expect(
      JSON.parse((await tool(simulator(), 'relation-list', '-r', '7', '--format=json')).stdout),
    ).to.deep.equal(['postgresql/0', 'postgresql/1']);
    await tool(simulator(), 'relation-set', '-r', 'database:7', 'user=webapp');
    expect(
      JSON.parse(
        (await tool(simulator(), 'relation-get', '-r', '7', '--format=json', 'user', 'webapp/0')).stdout,
      ),
    ).to.equal('webapp');
  });
});
