// What every charm would otherwise hand-write, answered by the simulator both ways: the typed
// refusals charms handle, the application's own name and a relation's remote application,
// setPorts(), and configuration and parameters typed by the charm.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { ActiveStatus, HookToolError } from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { eachWay, inHook } from '../support/both-ways.js';

const WORLD = {
  unitName: 'broker/1',
  leader: false,
  config: { port: 5672, 'log-level': 'info' },
  relations: [{ endpoint: 'certificates', id: 4, remoteApp: 'vault' }],
  secrets: [
    { id: 'd4ef5g6h7i8j9k0l1m2n', owner: 'application' as const, label: 'shared', content: { token: 't' } },
  ],
  ports: [
    { protocol: 'tcp' as const, port: 80 },
    { protocol: 'udp' as const, port: 53 },
  ],
};

describe('hook-tools: what a charm would otherwise hand-write', function () {
  this.timeout(30_000);

  it('throws typed refusals a charm tests with instanceof: a secret not found, not the leader', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const missing = await tools.secretGet({ ...o, id: 'aaaaaaaaaaaaaaaaaaaa' }).catch((e: unknown) => e);
      const hidden = await tools.secretInfoGet({ ...o, label: 'shared' }).catch((e: unknown) => e);
      const notLeader = await tools.relationSet(4, { k: 'v' }, { ...o, app: true }).catch((e: unknown) => e);
      const status = await tools
        .statusSet(new ActiveStatus('Ready'), { ...o, app: true })
        .catch((e: unknown) => e);
      return [missing, hidden, notLeader, status].map((e) => [
        e instanceof tools.SecretNotFoundError,
        e instanceof tools.NotLeaderError,
        e instanceof HookToolError,
        (e as Error).name,
      ]);
    });
    expect(value).to.deep.equal([
      [true, false, true, 'SecretNotFoundError'],
      [true, false, true, 'SecretNotFoundError'],
      [false, true, true, 'NotLeaderError'],
      [false, true, true, 'NotLeaderError'],
    ]);
  });

  it("names this unit's application and a relation's remote application without parsing unit names", async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      return { mine: tools.applicationName(o), theirs: await tools.remoteApplication('certificates:4', o) };
    });
    expect(value).to.deep.equal({ mine: 'broker', theirs: 'vault' });
    expect(() => tools.applicationName({ env: {} })).to.throw(TypeError, /JUJU_UNIT_NAME/);
  });

  it('opens what is missing and closes the rest in one call, as ops set_ports', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      await tools.setPorts([{ port: 5672 }, { protocol: 'udp', port: 53 }], o);
      const first = await tools.openedPorts(o);
      await tools.setPorts([], o);
      return { first, then: await tools.openedPorts(o) };
    });
    expect(value).to.deep.equal({
      first: [
        { protocol: 'tcp', port: 5672 },
        { protocol: 'udp', port: 53 },
      ],
      then: [],
    });
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const { error, run } = await inHook(simulator, () => tools.setPorts([{ port: 99999 }]));
      expect(error).to.be.instanceOf(TypeError);
      expect(run.calls.filter((c) => c.tool !== 'state-set' && c.tool !== 'status-set')).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });

  it('types configuration and parameters once, as the charm declares them', async () => {
    interface Config {
      port: number;
      'log-level'?: string;
    }
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const config = await tools.configGet<Config>(o);
      const level = await tools.configGet<Config, 'log-level'>('log-level', o);
      // The compiler holds the charm to its declared shape.
      const port: number = config.port;
      // @ts-expect-error: a key the charm's configuration does not declare
      await tools.configGet<Config>('colour', o).catch(() => undefined);
      return { port, level };
    });
    expect(value).to.deep.equal({ port: 5672, level: 'info' });
  });
});
