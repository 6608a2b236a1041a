// The secret tools as Juju's (jujuc/secret-*.go, core/secrets createsecret.go and ParseURI,
// runner/context/context.go's secret calls), the same both ways of running.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HookToolsSimulator, type SimulatorOptions } from '../../../lib/testing/index.js';
import {
  SHELL_CHARM,
  agreed,
  inProcess,
  throughDispatch,
  throughExecutables,
} from '../../support/both-ways.js';

const OWNED = 'd4ef5g6h7i8j9k0l1m2n';
const GRANTED = 'c0ffee00c0ffee00c0ff';
const WORLD: SimulatorOptions = {
  unitName: 'webapp/0',
  leader: true,
  relations: [{ endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {}, 'postgresql/1': {} } }],
  secrets: [
    { id: `secret:${OWNED}`, owner: 'application', label: 'db-password', content: { password: 'one' } },
    {
      id: GRANTED,
      label: 'their-token',
      content: { token: 'v2' },
      revision: 2,
      revisions: { '1': { token: 'v1' } },
      tracked: 1,
    },
  ],
};

describe('simulated tools: secrets', function () {
  this.timeout(30_000);

  it('read the tracked revision, the latest with --peek, and track it with --refresh', async () => {
    const results = await agreed(WORLD, [
      ['secret-get', GRANTED, '--format=json'],
      ['secret-get', `secret:${GRANTED}`, '--peek', '--format=json'],
      ['secret-get', '--label', 'their-token', '--format=json'],
      ['secret-get', GRANTED, '--refresh', '--format=json'],
      ['secret-get', GRANTED, 'token#base64'],
      ['secret-get', `secret://00000000-0000-4000-8000-000000000000/${OWNED}`, 'password'],
    ]);
    expect(results.map((r) => r.stdout)).to.deep.equal([
      '{"token":"v1"}\n',
      '{"token":"v2"}\n',
      '{"token":"v1"}\n',
      '{"token":"v2"}\n',
      `${Buffer.from('v2').toString('base64')}\n`,
      'one\n',
    ]);
  });

  it('let the owner set content (a new revision, none for the same content), label and metadata', async () => {
    const results = await agreed(WORLD, [
      ['secret-set', OWNED, 'password=one'],
      ['secret-info-get', OWNED, '--format=json'],
      ['secret-set', OWNED, 'password=two', '--label', 'db', '--description', 'the db', '--rotate', 'daily'],
      ['secret-info-get', '--label', 'db', '--format=json'],
      ['secret-get', OWNED, '--format=json'],
      ['secret-get', OWNED, '--peek', '--format=json'],
      ['secret-ids', '--format=json'],
      ['secret-remove', OWNED, '--revision', '1'],
      ['secret-remove', OWNED],
      ['secret-ids', '--format=json'],
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
      [0, '', ''],
      [0, `{"${OWNED}":{"revision":1,"label":"db-password","owner":"application"}}\n`, ''],
      [0, '', ''],
      // The new label and metadata at once, the revision Juju holds until the hook commits
      // (SecretMetadata merges a pending update's metadata, not its revision).
      [
        0,
        `{"${OWNED}":{"revision":1,"label":"db","owner":"application","description":"the db","rotation":"daily"}}\n`,
        '',
      ],
      [0, '{"password":"one"}\n', ''],
      [0, '{"password":"two"}\n', ''],
      [0, `["${OWNED}"]\n`, ''],
      [0, '', ''],
      [0, '', ''],
      [0, '[]\n', ''],
    ]);
  });

  it('grant and revoke on a relation, as GrantSecret and RevokeSecret allow', async () => {
    const results = await agreed(WORLD, [
      ['secret-grant', OWNED, '-r', 'database:3', '--unit', 'postgresql/1'],
      ['secret-grant', OWNED, '-r', '3'],
      ['secret-revoke', OWNED, '--unit', 'postgresql/1'],
      ['secret-grant', OWNED, '-r', '3'],
      ['secret-grant', OWNED, '-r', '3', '--unit', 'postgresql/0'],
      ['secret-info-get', OWNED, '--format=json'],
      ['secret-revoke', OWNED, '-r', '3'],
      ['secret-info-get', OWNED, '--format=json'],
    ]);
    expect(results.map((r) => [r.code, r.stderr])).to.deep.equal([
      [0, ''],
      [
        1,
        'ERROR any unit level grants need to be revoked before granting access to the corresponding application\n',
      ],
      [0, ''],
      [0, ''],
      [0, ''],
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect(JSON.parse(results[5]?.stdout ?? '')).to.deep.equal({
      [OWNED]: {
        revision: 1,
        label: 'db-password',
        owner: 'application',
        access: [{ target: 'application-postgresql', scope: 'relation-3', role: 'view' }],
      },
    });
    const revoked = JSON.parse(results[7]?.stdout ?? '') as Record<string, object>;
    expect(revoked[OWNED]).to.not.have.property('access');
  });

  it('refuse what Juju refuses, with its exit code and ERROR line', async () => {
    const results = await agreed({ ...WORLD, leader: false }, [
      ['secret-add', 'token=x'],
      ['secret-add', '--owner', 'unit', 'ab=x'],
      ['secret-add', '--owner', 'machine', 'token=x'],
      ['secret-add', '--rotate', 'often', 'token=x'],
      ['secret-add', '--expire', 'soon', 'token=x'],
      ['secret-add'],
      ['secret-get', 'not-a-secret'],
      ['secret-get'],
      ['secret-get', GRANTED, '--peek', '--refresh'],
      ['secret-get', 'aaaaaaaaaaaaaaaaaaaa'],
      ['secret-get', GRANTED, 'missing'],
      ['secret-set', GRANTED, 'token=mine'],
      ['secret-set', OWNED, 'password=x'],
      ['secret-info-get', GRANTED],
      ['secret-info-get', OWNED, '--label', 'db-password'],
      ['secret-grant', OWNED],
      ['secret-grant', OWNED, '-r', '3', '--unit', 'mysql/0'],
      ['secret-revoke', OWNED],
      ['secret-remove'],
    ]);
    expect(results.map((r) => [r.code, r.stderr])).to.deep.equal([
      [1, 'ERROR this unit is not the leader\n'],
      [2, 'ERROR key "ab" not valid\n'],
      [2, 'ERROR secret owner "machine" not valid\n'],
      [2, 'ERROR rotate policy "often" not valid\n'],
      [2, 'ERROR expire time or duration "soon" not valid\n'],
      [2, 'ERROR missing secret value or filename\n'],
      [2, 'ERROR secret URI "not-a-secret" not valid\n'],
      [2, 'ERROR require either a secret URI or label\n'],
      [2, 'ERROR specify one of --peek or --refresh but not both\n'],
      [1, 'ERROR secret "aaaaaaaaaaaaaaaaaaaa" not found\n'],
      [1, 'ERROR secret key "missing" not found\n'],
      // Recorded without complaint: UpdateSecret knows neither (a granted secret; the
      // application's on a unit that is not the leader), and the commit refuses them.
      [0, ''],
      [0, ''],
      [1, `ERROR secret "${GRANTED}" not found\n`],
      [2, 'ERROR specify either a secret URI or label but not both\n'],
      [2, 'ERROR no relation id specified\n'],
      [2, 'ERROR cannot specify unit "mysql/0" in relation to application "postgresql"\n'],
      [2, 'ERROR missing relation or application or unit\n'],
      [2, 'ERROR missing secret URI\n'],
    ]);
  });

  it('add a secret from arguments, key#file= files and --file, read where the tool runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secret-spec-'));
    try {
      await writeFile(join(dir, 'cert'), '-----BEGIN-----\nline\n');
      await writeFile(join(dir, 'content.yaml'), 'api-key: k3y\n');
      const add = [
        'secret-add',
        '--owner',
        'unit',
        '--file',
        join(dir, 'content.yaml'),
        `cert#file=${join(dir, 'cert')}`,
        `raw#base64=${Buffer.from('bytes').toString('base64')}`,
      ];
      const here = await HookToolsSimulator.create({});
      const there = await HookToolsSimulator.create({});
      try {
        for (const [way, results] of [
          ['in process', (await inProcess(here, [add])).results],
          ['executables', await throughExecutables(there, [add])],
        ] as const) {
          const [added] = results;
          expect(added?.stdout, way).to.match(/^secret:[0-9a-v]{20}\n$/);
          const id = added?.stdout.trim() ?? '';
          const [read] = await throughExecutables(way === 'in process' ? here : there, [
            ['secret-get', id, '--format=json'],
          ]);
          expect(JSON.parse(read?.stdout ?? ''), way).to.deep.equal({
            'api-key': 'k3y',
            cert: '-----BEGIN-----\nline\n',
            raw: 'bytes',
          });
        }
        const [missing] = await throughExecutables(there, [['secret-add', `cert#file=${join(dir, 'gone')}`]]);
        expect(missing?.code).to.equal(2);
        expect(missing?.stderr).to.match(/reading content for secret key "cert"/);
      } finally {
        await here.cleanup();
        await there.cleanup();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keep no secret change of a failed hook (Flush commits them only when it succeeds)', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const script = `secret-add --label new token=x >/dev/null && secret-set ${OWNED} password=changed && secret-grant ${OWNED} -r 3 && exit 1`;
      const failed = await simulator.runHook(SHELL_CHARM, 'config-changed', { env: { SCRIPT: script } });
      expect(failed.exitCode).to.equal(1);
      expect(failed.after.secrets).to.deep.equal(
        await HookToolsSimulator.create(WORLD).then(async (s) => {
          const after = (await s.runHook(SHELL_CHARM, 'config-changed', { env: { SCRIPT: 'true' } })).after
            .secrets;
          await s.cleanup();
          return after;
        }),
      );
      const kept = await simulator.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: script.replace(' && exit 1', '') },
      });
      expect(kept.exitCode, kept.stderr).to.equal(0);
      const owned = kept.after.secrets?.find((s) => s.id === `secret:${OWNED}`);
      expect(owned).to.deep.include({
        content: { password: 'changed' },
        revision: 2,
        grants: [{ relation: 3, target: 'postgresql' }],
      });
      expect(kept.after.secrets?.some((s) => s.label === 'new')).to.equal(true);
    } finally {
      await simulator.cleanup();
    }
  });

  it('show a unit that is not the leader none of its application secrets metadata, and still read them (GetSecretMetadata)', async () => {
    const results = await agreed({ ...WORLD, leader: false }, [
      ['secret-ids'],
      ['secret-info-get', OWNED],
      ['secret-info-get', '--label', 'db-password'],
      ['secret-get', '--label', 'db-password', '--format=json'],
      ['secret-grant', OWNED, '-r', '3'],
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
      [0, '', ''],
      [1, '', `ERROR secret "${OWNED}" not found\n`],
      [1, '', 'ERROR secret "db-password" not found\n'],
      [0, '{"password":"one"}\n', ''],
      [1, '', `ERROR secret "${OWNED}" not found\n`],
    ]);
    const leader = await agreed(WORLD, [['secret-ids']]);
    expect(leader.map((r) => r.stdout)).to.deep.equal([`${OWNED}\n`]);
  });

  it('list ids one per line by default (smart), and hide a secret this hook removes while still reading it', async () => {
    const mine = 'e5f6g7h8i9j0k1l2m3n4';
    const world = {
      ...WORLD,
      secrets: [...(WORLD.secrets ?? []), { id: mine, owner: 'unit' as const, content: { token: 'x' } }],
    };
    const results = await agreed(world, [
      ['secret-ids', '--format=smart'],
      ['secret-remove', OWNED, '--revision', '1'],
      ['secret-ids'],
      ['secret-info-get', OWNED],
      ['secret-get', OWNED, 'password'],
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
      [0, `${OWNED}\n${mine}\n`, ''],
      [0, '', ''],
      [0, `${mine}\n`, ''],
      [1, '', `ERROR secret "${OWNED}" not found\n`],
      [0, 'one\n', ''],
    ]);
  });

  it('fail a hook at commit for the changes Juju records and the controller refuses, both ways', async () => {
    const cases = [
      [`secret-set ${GRANTED} token=mine`, `secret-set of secret:${GRANTED}: permission denied`],
      [
        'secret-remove aaaaaaaaaaaaaaaaaaaa',
        'secret-remove of secret:aaaaaaaaaaaaaaaaaaaa: secret "aaaaaaaaaaaaaaaaaaaa" not found',
      ],
      [
        `secret-revoke bbbbbbbbbbbbbbbbbbbb --app postgresql`,
        'secret-revoke of secret:bbbbbbbbbbbbbbbbbbbb: secret "bbbbbbbbbbbbbbbbbbbb" not found',
      ],
      [
        'secret-add --label db-password token=x',
        'secret-add: a secret with label "db-password" already exists',
      ],
    ] as const;
    for (const [command, why] of cases) {
      const simulator = await HookToolsSimulator.create({ ...WORLD, state: { kept: 'yes' } });
      try {
        const script = `state-set kept=no && ${command} >/dev/null && echo recorded`;
        const through = await simulator.runHook(SHELL_CHARM, 'config-changed', { env: { SCRIPT: script } });
        expect(through.stdout, command).to.equal('recorded\n');
        expect(through.exitCode, command).to.equal(1);
        expect(through.stderr, command).to.include(
          `ERROR the hook exited 0, but Juju refused its changes when it committed them: ${why}`,
        );
        expect(through.after.state, command).to.deep.equal({ kept: 'yes' });
        const [tool = '', ...args] = command.split(' ');
        const { results, run } = await inProcess(simulator, [
          ['state-set', 'kept=no'],
          [tool, ...args],
        ]);
        expect(
          results.map((r) => r.code),
          command,
        ).to.deep.equal([0, 0]);
        expect(run.exitCode, command).to.equal(1);
        expect(run.stderr, command).to.include(why);
        expect(run.after.state, command).to.deep.equal({ kept: 'yes' });
      } finally {
        await simulator.cleanup();
      }
    }
  });

  it('grant and revoke on the hook relation by default in a relation hook, and refuse --app there (NewRelationIdValue)', async () => {
    const here = await HookToolsSimulator.create(WORLD);
    try {
      const calls = [
        ['secret-revoke', OWNED, '--app', 'postgresql'],
        ['secret-grant', OWNED],
        ['secret-info-get', OWNED, '--format=json'],
        ['secret-revoke', OWNED],
        ['secret-info-get', OWNED, '--format=json'],
      ];
      const { results, run } = await inProcess(here, calls, 'database-relation-changed');
      const through = (await throughDispatch(here, calls, 'database-relation-changed')).results;
      expect(through).to.deep.equal(results);
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(results.map((r) => [r.code, r.stderr])).to.deep.equal([
        [2, 'ERROR do not specify both relation and app\n'],
        [0, ''],
        [0, ''],
        [0, ''],
        [0, ''],
      ]);
      expect(JSON.parse(results[2]?.stdout ?? '')).to.have.nested.property(
        `${OWNED}.access[0].target`,
        'application-postgresql',
      );
      expect((JSON.parse(results[4]?.stdout ?? '') as Record<string, object>)[OWNED]).to.not.have.property(
        'access',
      );
    } finally {
      await here.cleanup();
    }
  });
});
