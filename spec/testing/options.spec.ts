// What create() and the runs take: a world Juju could not hold is a TypeError that names what
// is wrong, never a value silently changed.
import { expect } from 'chai';

import { HookToolsSimulator } from '../../lib/testing/index.js';

describe('HookToolsSimulator, the world it is given', () => {
  it('refuses two relations with one id', async () => {
    const refused = await HookToolsSimulator.create({
      relations: [
        { endpoint: 'database', id: 3 },
        { endpoint: 'cache', id: 3 },
      ],
    }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(TypeError);
    expect(String(refused)).to.match(/declares relation id 3 twice/);
  });

  it('refuses NaN, Infinity and undefined in configuration and parameters instead of turning them into no value', async () => {
    for (const [options, why] of [
      [
        { config: { ratio: Number.NaN } },
        /config ratio is NaN, which Juju cannot hold: give a finite number/,
      ],
      [{ config: { nested: { limit: Infinity } } }, /config nested.limit is Infinity/],
      [{ actionParams: { list: [1, undefined] } }, /actionParams list\[1\] is undefined/],
    ] as const) {
      const refused = await HookToolsSimulator.create(options as never).catch((e: unknown) => e);
      expect(refused, JSON.stringify(options)).to.be.instanceOf(TypeError);
      expect(String(refused)).to.match(why);
    }
    const simulator = await HookToolsSimulator.create({ config: { unset: null } });
    try {
      const refused = await simulator.setConfig({ port: Number.NaN }).catch((e: unknown) => e);
      expect(String(refused)).to.match(/setConfig\(\) config port is NaN/);
    } finally {
      await simulator.cleanup();
    }
  });
});
