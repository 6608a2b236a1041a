// How every hook-tools function calls its tool (lib/hook-tools/call.ts): a refusal is the
// library's HookToolError, and the refusals charms handle are typed subclasses of it, both ways.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { ActiveStatus, HookToolError } from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { eachWay } from '../support/both-ways.js';

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

describe('hook-tools: calling a tool', function () {
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

  it('fail with the library’s HookToolError, Juju’s ERROR line in it', async () => {
    let caught: unknown;
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      await simulator.runHook(
        {
          reconcile: async () => {
            caught = await tools.relationSet(4, { k: 'v' }, { app: true }).catch((e: unknown) => e);
          },
        },
        'config-changed',
      );
    } finally {
      await simulator.cleanup();
    }
    expect(caught).to.be.instanceOf(HookToolError);
    expect(String(caught)).to.match(/relation-set failed \(exit 1\): ERROR cannot write relation settings/);
  });
});
