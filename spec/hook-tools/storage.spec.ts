// storageAdd, storageGet and storageList against the simulator, both ways of running.
import { expect } from 'chai';
import { tmpdir } from 'node:os';

import { storageAdd, storageGet, storageList } from '../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { eachWay, inHook, ownFolderless } from '../support/both-ways.js';

const WORLD = { storage: [{ name: 'data' }, { name: 'logs', kind: 'block' as const, location: '/dev/vdb' }] };

describe('hook-tools: storage', function () {
  this.timeout(30_000);

  it('list and describe the attached storage', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      return [
        await storageList(undefined, o),
        await storageList('logs', o),
        await storageGet('logs/0', o),
        await storageGet('data/0', o),
      ];
    });
    // An instance the test placed nowhere lives in the simulator's own folder.
    expect(JSON.parse(ownFolderless(JSON.stringify(value)))).to.deep.equal([
      ['data/0', 'logs/0'],
      ['logs/0'],
      { kind: 'block', location: '/dev/vdb' },
      { kind: 'filesystem', location: `${tmpdir()}/juju-hook-tools-…/storage/data/0` },
    ]);
  });

  it('add storage, attached once the hook succeeds', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const { run } = await inHook(simulator, () => storageAdd({ data: 2 }));
      expect(run.after.storage?.map((s) => `${s.name}/${String(s.index)}`)).to.deep.equal([
        'data/0',
        'logs/0',
        'data/1',
        'data/2',
      ]);
    } finally {
      await simulator.cleanup();
    }
  });

  it('answer a storage hook about its own instance when no id is given', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const { value } = await inHook(simulator, () => storageGet(), 'logs-storage-attached');
      expect(value).to.deep.equal({ kind: 'block', location: '/dev/vdb' });
    } finally {
      await simulator.cleanup();
    }
  });

  it('refuse bad input with a TypeError, before any tool runs', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const o = { env: { ...simulator.env } };
      const reasons = await Promise.all(
        [
          storageAdd({}, o),
          storageAdd({ data: 0 }, o),
          storageAdd({ 'Bad Name': 1 }, o),
          storageAdd([] as never, o),
          storageGet('data', o),
          storageList(7 as never, o),
        ].map((p) =>
          p.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      for (const reason of reasons) expect(reason, String(reason)).to.be.instanceOf(TypeError);
      expect(String(reasons[1])).to.match(/count of data must be a whole number from 1/);
      expect(String(reasons[4])).to.match(/a storage id such as "data\/0"/);
      expect(await simulator.calls()).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });
});
