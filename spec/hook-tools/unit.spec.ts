// applicationVersionSet, goalState, credentialGet, resourceGet, jujuReboot, networkGet,
// relationModelGet, statusGet, statusSet and jujuLogMessage against the simulator, both ways.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { ActiveStatus, BlockedStatus, HookToolError, UnknownStatus } from '../../lib/index.js';
import { HookToolsSimulator, type SimulatorOptions } from '../../lib/testing/index.js';
import { eachWay, inHook } from '../support/both-ways.js';

const WORLD: SimulatorOptions = {
  unitName: 'webapp/0',
  leader: true,
  unitStatus: new BlockedStatus('Add a database'),
  relations: [
    {
      endpoint: 'database',
      id: 3,
      remoteUnits: { 'postgresql/0': {} },
      remoteModelUuid: '9a0f3c1e-0000-4000-8000-000000000001',
    },
  ],
  networks: {
    website: {
      bindAddresses: [{ interfaceName: 'ens3', addresses: [{ value: '192.0.2.5', cidr: '192.0.2.0/24' }] }],
      ingressAddresses: ['203.0.113.9'],
    },
  },
  resources: { bundle: '/srv/bundle.tgz' },
  credential: {
    type: 'openstack',
    name: 'home',
    region: 'r1',
    identityEndpoint: 'https://keystone',
    credential: { authType: 'userpass', attributes: { username: 'u' } },
    skipTlsVerify: true,
  },
};

describe('hook-tools: the unit and its surroundings', function () {
  this.timeout(30_000);

  it('read the network, goal state, cloud, resources and a relation’s model, parsed into camelCase', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const goal = await tools.goalState(o);
      return {
        website: await tools.networkGet('website', o),
        database: await tools.networkGet('database', { ...o, relationId: 'database:3' }),
        units: Object.keys(goal.units),
        related: Object.keys(goal.relations.database ?? {}),
        cloud: await tools.credentialGet(o),
        bundle: await tools.resourceGet('bundle', o),
        model: await tools.relationModelGet(3, o),
      };
    });
    expect(value).to.deep.equal({
      website: {
        bindAddresses: [
          {
            macAddress: '',
            interfaceName: 'ens3',
            addresses: [{ hostname: '', value: '192.0.2.5', cidr: '192.0.2.0/24' }],
          },
        ],
        ingressAddresses: ['203.0.113.9'],
      },
      database: {
        bindAddresses: [
          {
            macAddress: '00:16:3e:00:00:01',
            interfaceName: 'eth0',
            addresses: [{ hostname: '', value: '10.0.0.10', cidr: '10.0.0.0/24' }],
          },
        ],
        ingressAddresses: ['10.0.0.10'],
        egressSubnets: ['10.0.0.10/32'],
      },
      units: ['webapp/0'],
      related: ['postgresql', 'postgresql/0'],
      cloud: {
        type: 'openstack',
        name: 'home',
        region: 'r1',
        identityEndpoint: 'https://keystone',
        credential: { authType: 'userpass', attributes: { username: 'u' } },
        skipTlsVerify: true,
      },
      bundle: '/srv/bundle.tgz',
      model: { uuid: '9a0f3c1e-0000-4000-8000-000000000001' },
    });
  });

  it('read and set statuses as single calls, and log a line', async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const before = await tools.statusGet(o);
      await tools.statusSet(new ActiveStatus('-ready'), o);
      await tools.statusSet(new BlockedStatus('app blocked'), { ...o, app: true });
      const app = await tools.statusGet({ ...o, app: true });
      await tools.jujuLogMessage('-starting', { ...o, level: 'DEBUG' });
      return {
        before: String(before.status),
        app: String(app.status),
        units: Object.keys(app.units),
        data: before.data,
      };
    });
    expect(value).to.deep.equal({
      before: 'blocked: Add a database',
      app: 'blocked: app blocked',
      units: ['webapp/0'],
      data: {},
    });
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const { run } = await inHook(simulator, async () => {
        await tools.statusSet(new ActiveStatus('-ready'));
        await tools.jujuLogMessage('-starting', { level: 'WARNING' });
      });
      expect(run.statuses.map(String)).to.include('active: -ready');
      expect(run.logs).to.deep.include({ level: 'WARNING', message: '-starting' });
    } finally {
      await simulator.cleanup();
    }
  });

  it('set the workload version, and ask for a reboot after the hook', async () => {
    const simulator = await HookToolsSimulator.create({});
    try {
      const { run } = await inHook(simulator, async () => {
        await tools.applicationVersionSet('-2.4.1');
        await tools.jujuReboot();
      });
      expect(run).to.deep.include({ exitCode: 0, reboot: 'after-hook' });
      expect(run.after.workloadVersion).to.equal('-2.4.1');
      const { run: now } = await inHook(simulator, () => tools.jujuReboot({ now: true }));
      expect(now).to.deep.include({ exitCode: null, reboot: 'now' });
    } finally {
      await simulator.cleanup();
    }
  });

  it('fail with a HookToolError where Juju refuses', async () => {
    const { value } = await eachWay({ leader: false }, async (env) => {
      const o = env === undefined ? {} : { env };
      const reasons = await Promise.all([
        tools.credentialGet(o).catch((e: unknown) => e),
        tools.resourceGet('nope', o).catch((e: unknown) => e),
        tools.statusGet({ ...o, app: true }).catch((e: unknown) => e),
        tools.statusSet(new ActiveStatus(), { ...o, app: true }).catch((e: unknown) => e),
        tools.networkGet('website', { ...o, relationId: 9 }).catch((e: unknown) => e),
      ]);
      return reasons.map((r) =>
        r instanceof HookToolError ? `${String(r.exitCode)} ${r.stderr}` : String(r),
      );
    });
    expect(value).to.deep.equal([
      '1 ERROR cannot access cloud credentials: permission denied\n',
      '1 ERROR could not download resource: resource "nope" not found\n',
      '1 ERROR finding application status: this unit is not the leader\n',
      '1 ERROR this unit is not the leader\n',
      '2 ERROR invalid value "9" for flag -r: relation not found\n',
    ]);
  });

  it('refuse bad input with a TypeError naming what is accepted, before any tool runs', async () => {
    const simulator = await HookToolsSimulator.create({});
    try {
      const o = { env: { ...simulator.env } };
      const reasons = await Promise.all(
        [
          tools.applicationVersionSet(7 as never, o),
          tools.resourceGet('nul\0', o),
          tools.networkGet('website', { ...o, relationId: 'website' }),
          tools.relationModelGet(-1, o),
          tools.statusSet(new UnknownStatus() as never, o),
          tools.statusSet('active' as never, o),
          tools.jujuLogMessage('x', { ...o, level: 'LOUD' as never }),
        ].map((p) =>
          p.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      for (const reason of reasons) expect(reason, String(reason)).to.be.instanceOf(TypeError);
      expect(String(reasons[4])).to.match(/cannot be unknown: a charm can set only/);
      expect(String(reasons[6])).to.match(
        /level must be one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL/,
      );
      expect(await simulator.calls()).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });

  it("names this unit's application and a relation's remote application without parsing unit names", async () => {
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      return { mine: tools.applicationName(o), theirs: await tools.remoteApplication('database:3', o) };
    });
    expect(value).to.deep.equal({ mine: 'webapp', theirs: 'postgresql' });
    expect(() => tools.applicationName({ env: {} })).to.throw(TypeError, /JUJU_UNIT_NAME/);
  });
});
