// The secret functions against the simulator, both ways of running: content through a file
// only this user reads (never the command line), typed metadata, Juju's refusals.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { HookToolError } from '../../lib/index.js';
import { HookToolsSimulator, type SimulatorOptions } from '../../lib/testing/index.js';
import { eachWay, inHook } from '../support/both-ways.js';

const OWNED = 'd4ef5g6h7i8j9k0l1m2n';
const WORLD: SimulatorOptions = {
  leader: true,
  relations: [{ endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {} } }],
  secrets: [
    {
      id: OWNED,
      owner: 'application',
      label: 'db-password',
      content: { password: 'one' },
      expire: '2027-01-01T00:00:00Z',
    },
  ],
};

describe('hook-tools: secrets', function () {
  this.timeout(30_000);

  it('add, read, update, grant, describe and remove secrets, the content never on a command line', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const id = await tools.secretAdd(
        { token: 'hunter22', 'multi-line': 'a\nb' },
        { ...o, label: 'api', rotate: 'monthly', description: 'the API token' },
      );
      const read = await tools.secretGet({ ...o, id });
      const byLabel = await tools.secretGet({ ...o, label: 'db-password' });
      await tools.secretSet(`secret:${OWNED}`, {
        ...o,
        content: { password: 'two' },
        expire: new Date('2028-02-03T04:05:06Z'),
      });
      const tracked = await tools.secretGet({ ...o, id: OWNED });
      const peeked = await tools.secretGet({ ...o, id: OWNED, peek: true });
      await tools.secretGrant(OWNED, 'database:3', o);
      const info = await tools.secretInfoGet({ ...o, label: 'db-password' });
      await tools.secretRevoke(OWNED, { ...o, relationId: 3 });
      const ids = await tools.secretIds(o);
      await tools.secretRemove(OWNED, { ...o, revision: 1 });
      await tools.secretRemove(id, o);
      return {
        id: /^secret:[0-9a-v]{20}$/.test(id),
        read,
        byLabel,
        tracked,
        peeked,
        info,
        ids: ids.length,
        left: await tools.secretIds(o),
      };
    });
    expect(value).to.deep.equal({
      id: true,
      read: { token: 'hunter22', 'multi-line': 'a\nb' },
      byLabel: { password: 'one' },
      tracked: { password: 'one' },
      peeked: { password: 'two' },
      // Juju's metadata holds the revision it had when the hook began until the hook commits
      // (SecretMetadata does not take a pending update's revision).
      info: {
        id: OWNED,
        revision: 1,
        label: 'db-password',
        owner: 'application',
        expiry: new Date('2028-02-03T04:05:06Z'),
        access: [{ target: 'application-postgresql', scope: 'relation-3', role: 'view' }],
      },
      ids: 2,
      // A secret this hook asked to remove (a revision of it, or all) is gone from its metadata
      // for the rest of the hook (SecretMetadata skips pending deletes).
      left: [],
    });
  });

  it('sends content in a file named by --file, so that no argument holds it', async () => {
    const simulator = await HookToolsSimulator.create({ leader: true });
    try {
      const { run } = await inHook(simulator, () => tools.secretAdd({ password: 's3cret' }));
      const [call] = run.calls.filter((c) => c.tool === 'secret-add');
      expect(call?.args[0]).to.equal('--file');
      expect(call?.args.join(' ')).to.not.include('s3cret');
    } finally {
      await simulator.cleanup();
    }
  });

  it('fail with a HookToolError where Juju refuses in the hook: not the leader, unknown', async () => {
    const granted = {
      ...WORLD,
      leader: false,
      secrets: [...(WORLD.secrets ?? []), { id: 'c0ffee00c0ffee00c0ff', content: { token: 'theirs' } }],
    };
    const failures = await eachWay(granted, async (env) => {
      const o = env === undefined ? {} : { env };
      const reasons = await Promise.all([
        tools.secretAdd({ token: 'x' }, o).catch((e: unknown) => e),
        tools.secretGet({ ...o, id: 'aaaaaaaaaaaaaaaaaaaa' }).catch((e: unknown) => e),
        tools.secretInfoGet({ ...o, id: 'c0ffee00c0ffee00c0ff' }).catch((e: unknown) => e),
      ]);
      return reasons.map((r) =>
        r instanceof HookToolError ? r.stderr : `not a HookToolError: ${String(r)}`,
      );
    });
    expect(failures.value).to.deep.equal([
      'ERROR this unit is not the leader\n',
      'ERROR secret "aaaaaaaaaaaaaaaaaaaa" not found\n',
      'ERROR secret "c0ffee00c0ffee00c0ff" not found\n',
    ]);
  });

  it('refuse bad input with a TypeError naming what is accepted, before any tool runs', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const o = { env: { ...simulator.env } };
      const reasons = await Promise.all(
        [
          tools.secretAdd({ ab: 'x' }, o),
          tools.secretAdd({}, o),
          tools.secretAdd({ token: 7 } as never, o),
          tools.secretAdd({ token: 'x' }, { ...o, rotate: 'often' as never }),
          tools.secretAdd({ token: 'x' }, { ...o, owner: 'machine' as never }),
          tools.secretAdd({ token: 'x' }, { ...o, expire: new Date('nonsense') }),
          tools.secretGet({ ...o }),
          tools.secretGet({ ...o, id: OWNED, peek: true, refresh: true }),
          tools.secretGet({ ...o, id: 'secret:short' }),
          tools.secretSet('nope', { ...o, content: { token: 'x' } }),
          tools.secretRemove(OWNED, { ...o, revision: 0 }),
          tools.secretGrant(OWNED, 'database', o),
          tools.secretGrant(OWNED, 3, { ...o, unit: 'postgresql' }),
          tools.secretRevoke(OWNED, { ...o }),
          tools.secretRevoke(OWNED, { ...o, app: 'Bad App' }),
          tools.secretInfoGet({ ...o, id: OWNED, label: 'db-password' }),
        ].map((p) =>
          p.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      for (const reason of reasons) expect(reason, String(reason)).to.be.instanceOf(TypeError);
      expect(String(reasons[0])).to.match(/content key "ab" is one Juju refuses: 3 or more of a-z/);
      expect(String(reasons[8])).to.match(/a secret id such as "secret:/);
      expect(await simulator.calls()).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });

  it('revoke an { app } in a relation hook through the hook relation, as Juju takes -r there, and refuse another app', async () => {
    const simulator = await HookToolsSimulator.create({
      ...WORLD,
      secrets: [
        {
          id: OWNED,
          owner: 'application',
          content: { password: 'one' },
          grants: [{ relation: 3, target: 'postgresql' }],
        },
      ],
    });
    try {
      const { value, error, run } = await inHook(
        simulator,
        async () => {
          const other = await tools.secretRevoke(OWNED, { app: 'mysql' }).catch((e: unknown) => e);
          await tools.secretRevoke(OWNED, { app: 'postgresql' });
          return { other, info: await tools.secretInfoGet({ id: OWNED }) };
        },
        'database-relation-changed',
      );
      expect(error).to.equal(undefined);
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(value?.other).to.be.instanceOf(TypeError);
      expect(String(value?.other)).to.match(
        /revokes the hook's relation \(database:3, application postgresql\)/,
      );
      expect(value?.info).to.not.have.property('access');
      expect(run.calls.filter((c) => c.tool === 'secret-revoke').map((c) => c.args)).to.deep.equal([
        ['--', OWNED],
      ]);
    } finally {
      await simulator.cleanup();
    }
  });
});
