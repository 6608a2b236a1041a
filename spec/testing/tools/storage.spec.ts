// storage-get, storage-list and storage-add as Juju's (jujuc/storage-get.go, storage-list.go,
// storage-add.go; doFlush's AddStorage), the same both ways of running.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hookEnvironment } from '../../../lib/hook-tools/index.js';
import { HookToolsSimulator, type SimulatorOptions } from '../../../lib/testing/index.js';
import { SHELL_CHARM, agreed, inProcess } from '../../support/both-ways.js';

const WORLD: SimulatorOptions = {
  storage: [
    { name: 'data' },
    { name: 'data', location: '/srv/data-1' },
    { name: 'logs', kind: 'block', location: '/dev/vdb' },
  ],
};

describe('simulated tools: storage', function () {
  this.timeout(30_000);

  it('list and describe the attached instances, alike both ways', async () => {
    const calls = [
      ['storage-list', '--format=json'],
      ['storage-list', 'data'],
      ['storage-get', '-s', 'data/1', '--format=json'],
      ['storage-get', '-s', 'logs/0', 'kind'],
      ['storage-get', '-s', 'data/0', 'location'],
      ['storage-get', '-s', 'data/9'],
      ['storage-get', '-s', 'Data'],
      ['storage-get'],
      ['storage-get', '-s', 'data/0', 'size'],
    ];
    const expected = [
      [0, '["data/0","data/1","logs/0"]\n', ''],
      [0, 'data/0\ndata/1\n', ''],
      [0, '{"kind":"filesystem","location":"/srv/data-1"}\n', ''],
      [0, 'block\n', ''],
      [0, `${tmpdir()}/juju-hook-tools-…/storage/data/0\n`, ''],
      [2, '', 'ERROR invalid value "data/9" for flag -s: storage not found\n'],
      [2, '', 'ERROR invalid value "Data" for flag -s: invalid storage ID "Data"\n'],
      [2, '', 'ERROR no storage instance specified\n'],
      [1, '', 'ERROR invalid storage attribute "size"\n'],
    ];
    const results = await agreed(WORLD, calls);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal(expected);
  });

  it('answer a storage hook about its own instance (JUJU_STORAGE_ID)', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const run = await simulator.runHook(SHELL_CHARM, 'logs-storage-attached', {
        env: {
          SCRIPT: 'echo "$JUJU_STORAGE_ID $JUJU_STORAGE_KIND $JUJU_STORAGE_LOCATION"; storage-get location',
        },
      });
      expect(run.stdout).to.equal('logs/0 block /dev/vdb\n/dev/vdb\n');
      const refused = await simulator.runHook(SHELL_CHARM, 'cache-storage-attached').catch((e: unknown) => e);
      expect(String(refused)).to.match(/storage cache, which the unit has none of/);
    } finally {
      await simulator.cleanup();
    }
  });

  it('add instances when the hook succeeds, none when it fails, only of storage the charm declares', async () => {
    const charm = await mkdtemp(join(tmpdir(), 'storage-charm-'));
    try {
      await writeFile(
        join(charm, 'charmcraft.yaml'),
        'name: app\nstorage:\n  data:\n    type: filesystem\n    location: /srv/data\n  cache:\n    type: filesystem\n',
      );
      const simulator = await HookToolsSimulator.create({ charmDir: charm, storage: [{ name: 'data' }] });
      try {
        const calls = [
          ['storage-add', 'cache=2', 'data'],
          ['storage-list', '--format=json'],
          ['storage-add', 'cache=ebs,10G'],
          ['storage-add', 'cache=0'],
          ['storage-add'],
          ['storage-add', 'data', 'data=2'],
          ['storage-add', 'a=b=c'],
        ];
        const { results, run } = await inProcess(simulator, calls);
        expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
          [0, '', ''],
          [0, '["data/0"]\n', ''],
          [2, '', 'ERROR only count can be specified for "cache"\n'],
          [
            2,
            '',
            'ERROR cannot parse directive for storage "cache": cannot parse count: count must be greater than zero, got "0"\n',
          ],
          [2, '', 'ERROR storage add requires a storage directive\n'],
          [2, '', 'ERROR storage "data" specified more than once\n'],
          [2, '', 'ERROR expected "name=directive" or "name", got "a=b=c"\n'],
        ]);
        // Storage the charm does not declare is recorded, and refused when the hook commits.
        const undeclaredAdd = await simulator.runHook(SHELL_CHARM, 'config-changed', {
          env: { SCRIPT: 'storage-add nope && echo recorded' },
        });
        expect(undeclaredAdd.stdout).to.equal('recorded\n');
        expect(undeclaredAdd.exitCode).to.equal(1);
        expect(undeclaredAdd.stderr).to.include(
          'storage-add: adding storage nope: charm storage "nope" not found',
        );
        expect(run.after.storage).to.deep.equal([
          // In the simulator's own folder, never the charm's declared /srv/data on this machine.
          { name: 'data', index: 0, kind: 'filesystem' },
          { name: 'cache', index: 0, kind: 'filesystem' },
          { name: 'cache', index: 1, kind: 'filesystem' },
          { name: 'data', index: 1, kind: 'filesystem' },
        ]);
        const failed = await simulator.runHook(SHELL_CHARM, 'config-changed', {
          env: { SCRIPT: 'storage-add cache && exit 1' },
        });
        expect(failed.exitCode).to.equal(1);
        expect(failed.after.storage).to.have.length(4);
        const undeclared = await HookToolsSimulator.create({
          charmDir: charm,
          storage: [{ name: 'nope' }],
        }).catch((e: unknown) => e);
        expect(String(undeclared)).to.match(
          /storage nope is not declared by the charm .* declares data, cache/,
        );
      } finally {
        await simulator.cleanup();
      }
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });

  it('keep storage in the simulator folder, never at the charm declared location on the test machine', async () => {
    const charm = await mkdtemp(join(tmpdir(), 'storage-charm-'));
    const declared = join(charm, 'declared-location');
    try {
      await writeFile(
        join(charm, 'charmcraft.yaml'),
        `name: app\nstorage:\n  data:\n    type: filesystem\n    location: ${declared}\n`,
      );
      const simulator = await HookToolsSimulator.create({ charmDir: charm, storage: [{ name: 'data' }] });
      let where = '';
      const run = await simulator.runHook(
        {
          reconcile: async () => {
            where = hookEnvironment().JUJU_STORAGE_LOCATION ?? '';
            await writeFile(join(where, 'db'), 'written');
          },
        },
        'data-storage-attached',
      );
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(where.startsWith(join(tmpdir(), 'juju-hook-tools-'))).to.equal(true);
      expect(await readFile(join(where, 'db'), 'utf8')).to.equal('written');
      expect(existsSync(declared)).to.equal(false);
      await simulator.cleanup();
      expect(existsSync(where)).to.equal(false);
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });
});
