// application-version-set, goal-state, credential-get, resource-get, juju-reboot, network-get
// and relation-model-get as Juju's (jujuc/application-version-set.go, goal-state.go,
// credential-get.go, resource-get.go, reboot.go, network-get.go, relation-model-get.go), the
// same both ways of running.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HookToolsSimulator, type SimulatorOptions } from '../../../lib/testing/index.js';
import { SHELL_CHARM, agreed, inProcess } from '../../support/both-ways.js';

const OTHER_MODEL = '9a0f3c1e-0000-4000-8000-000000000001';
const WORLD: SimulatorOptions = {
  unitName: 'webapp/0',
  relations: [
    { endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {} }, remoteModelUuid: OTHER_MODEL },
    { endpoint: 'peers', id: 4, remoteApp: 'webapp', remoteUnits: { 'webapp/1': {} } },
  ],
  networks: {
    website: {
      bindAddresses: [
        {
          macAddress: 'aa:bb',
          interfaceName: 'ens3',
          addresses: [{ value: '192.0.2.5', cidr: '192.0.2.0/24' }],
        },
      ],
      ingressAddresses: ['203.0.113.9'],
    },
  },
  resources: { bundle: '/var/lib/juju/agents/unit-webapp-0/resources/bundle/bundle.tgz' },
  credential: {
    type: 'lxd',
    name: 'localhost',
    region: 'default',
    credential: { authType: 'certificate', attributes: { 'client-cert': 'PEM' } },
  },
};

/** goal-state's `since` is when each simulator was made: the two may be a second apart. */
const sinceless = (stdout: string): string => stdout.replace(/"since":"[^"]*"/g, '"since":"…"');

/** The answers as [exit code, stdout, stderr], the same both ways. */
async function bothWays(world: SimulatorOptions, calls: string[][]): Promise<[number, string, string][]> {
  return (await agreed(world, calls, sinceless)).map((r) => [r.code, r.stdout, r.stderr]);
}

describe('simulated tools: the unit and its surroundings', function () {
  this.timeout(30_000);

  it('answer network-get with the declared binding, or one address for any other, and its single values', async () => {
    const results = await bothWays(WORLD, [
      ['network-get', 'website', '--format=json'],
      ['network-get', 'website', '--ingress-address'],
      ['network-get', 'website', '--bind-address', '--egress-subnets', '--format=json'],
      ['network-get', 'database', '-r', '3', '--primary-address'],
      ['network-get'],
      ['network-get', 'website', '--primary-address', '--bind-address'],
      ['network-get', 'website', '-r', '99'],
      ['network-get', 'website', '--format=yaml'],
    ]);
    expect(results).to.deep.equal([
      [
        0,
        '{"bind-addresses":[{"mac-address":"aa:bb","interface-name":"ens3","addresses":[{"hostname":"","value":"192.0.2.5","cidr":"192.0.2.0/24"}]}],"ingress-addresses":["203.0.113.9"]}\n',
        '',
      ],
      [0, '203.0.113.9\n', ''],
      [0, '{"bind-address":"192.0.2.5","egress-subnets":[]}\n', ''],
      [0, '10.0.0.10\n', ''],
      [2, '', 'ERROR no arguments specified\n'],
      [1, '', 'ERROR --primary-address must be the only flag specified\n'],
      [2, '', 'ERROR invalid value "99" for flag -r: relation not found\n'],
      // YAML keeps the copies older agents read (networkInfoDisplay's macaddress and
      // interfacename, interfaceAddressDisplay's address), which JSON leaves out.
      [
        0,
        [
          'bind-addresses:',
          '- mac-address: aa:bb',
          '  interface-name: ens3',
          '  addresses:',
          '  - hostname: ""',
          '    value: 192.0.2.5',
          '    cidr: 192.0.2.0/24',
          '    address: 192.0.2.5',
          '  macaddress: aa:bb',
          '  interfacename: ens3',
          'ingress-addresses:',
          '- 203.0.113.9',
          '',
        ].join('\n'),
        '',
      ],
    ]);
  });

  it('refuse network-get of a binding the charm does not declare, when the simulator knows the charm', async () => {
    const charm = await mkdtemp(join(tmpdir(), 'network-charm-'));
    try {
      await writeFile(
        join(charm, 'charmcraft.yaml'),
        'name: webapp\nprovides:\n  website: {interface: http}\nextra-bindings:\n  admin:\n',
      );
      const simulator = await HookToolsSimulator.create({ charmDir: charm });
      try {
        const { results } = await inProcess(simulator, [
          ['network-get', 'admin', '--ingress-address'],
          ['network-get', 'nope'],
        ]);
        expect(results.map((r) => [r.code, r.stdout, r.stderr])).to.deep.equal([
          [0, '10.0.0.10\n', ''],
          [1, '', 'ERROR no network config found for binding "nope"\n'],
        ]);
      } finally {
        await simulator.cleanup();
      }
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });

  it('answer goal-state, relation-model-get, resource-get and credential-get from the world', async () => {
    const [goal, ...rest] = await bothWays(WORLD, [
      ['goal-state', '--format=json'],
      ['relation-model-get', '-r', '3', '--format=json'],
      ['relation-model-get', '-r', 'peers:4'],
      ['relation-model-get'],
      ['resource-get', 'bundle'],
      ['resource-get', 'missing'],
      ['resource-get'],
      ['credential-get', '--format=json'],
      ['goal-state', '--format=smart'],
    ]);
    const state = JSON.parse(goal?.[1] ?? '') as {
      units: Record<string, { status: string; since: string }>;
      relations: Record<string, Record<string, { status: string }>>;
    };
    expect(Object.keys(state.units)).to.deep.equal(['webapp/0', 'webapp/1']);
    expect(state.units['webapp/0']?.since).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(state.relations.database?.postgresql?.status).to.equal('joined');
    expect(state.relations.database?.['postgresql/0']?.status).to.equal('active');
    expect(rest).to.deep.equal([
      [0, `{"uuid":"${OTHER_MODEL}"}\n`, ''],
      [0, 'uuid: 00000000-0000-4000-8000-000000000000\n', ''],
      [2, '', 'ERROR no relation id specified\n'],
      [0, '/var/lib/juju/agents/unit-webapp-0/resources/bundle/bundle.tgz', ''],
      [1, '', 'ERROR could not download resource: resource "missing" not found\n'],
      [2, '', 'ERROR missing required resource name\n'],
      [
        0,
        '{"type":"lxd","name":"localhost","region":"default","credential":{"auth-type":"certificate","attrs":{"client-cert":"PEM"}}}\n',
        '',
      ],
      [2, '', 'ERROR invalid value "smart" for flag --format: unknown format "smart"\n'],
    ]);
    const untrusted = await bothWays({}, [['credential-get']]);
    expect(untrusted).to.deep.equal([[1, '', 'ERROR cannot access cloud credentials: permission denied\n']]);
  });

  it('set the workload version at once, kept even by a failed hook', async () => {
    const simulator = await HookToolsSimulator.create({});
    try {
      const run = await simulator.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: 'application-version-set -- -rc1 && exit 1' },
      });
      expect(run.exitCode).to.equal(1);
      expect(run.after.workloadVersion).to.equal('-rc1');
      const { results } = await inProcess(simulator, [
        ['application-version-set'],
        ['application-version-set', '1', '2'],
      ]);
      expect(results.map((r) => r.stderr)).to.deep.equal([
        'ERROR no version specified\n',
        'ERROR unrecognized args: ["2"]\n',
      ]);
    } finally {
      await simulator.cleanup();
    }
  });

  it('reboot after a hook that succeeds; with --now stop the hook, keeping none of its changes', async () => {
    for (const charm of ['folder', 'in process'] as const) {
      const simulator = await HookToolsSimulator.create({});
      try {
        const later = await simulator.runHook(SHELL_CHARM, 'config-changed', {
          env: { SCRIPT: 'juju-reboot && state-set a=1' },
        });
        expect(later).to.deep.include({ exitCode: 0, reboot: 'after-hook' });
        const now =
          charm === 'folder'
            ? await simulator.runHook(SHELL_CHARM, 'config-changed', {
                env: { SCRIPT: 'state-set b=2; juju-reboot --now; sleep 5; state-set c=3' },
              })
            : (await inProcess(simulator, [['state-set', 'b=2'], ['juju-reboot', '--now'], ['is-leader']]))
                .run;
        expect(now, charm).to.deep.include({ exitCode: null, reboot: 'now' });
        expect(now.stderr).to.match(/juju-reboot --now: Juju stopped the hook to reboot the machine/);
        expect(now.after.state, charm).to.deep.include({ a: '1' });
        expect(now.after.state, charm).to.not.have.property('b');
        expect(now.after.state, charm).to.not.have.property('c');
        const action = await simulator.runAction(
          SHELL_CHARM,
          'reboot',
          {},
          { env: { SCRIPT: 'juju-reboot' } },
        );
        expect(action.stderr).to.match(/juju-reboot is not supported when running an action/);
      } finally {
        await simulator.cleanup();
      }
    }
  });
});
