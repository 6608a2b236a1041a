// openPort, closePort and openedPorts against the simulator, both ways of running.
import { expect } from 'chai';

import { closePort, openPort, openedPorts, setPorts } from '../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { eachWay, inHook } from '../support/both-ways.js';

const PORTS_WORLD = {
  ports: [
    { protocol: 'tcp' as const, port: 80 },
    { protocol: 'udp' as const, port: 53 },
  ],
};

describe('hook-tools: ports', function () {
  this.timeout(30_000);

  it('open and close ports and ranges, and list them parsed, endpoints included', async () => {
    const { value } = await eachWay({ ports: [{ protocol: 'tcp', port: 22 }] }, async (env) => {
      const o = env === undefined ? {} : { env };
      await openPort({ port: 8080 }, o);
      await openPort({ protocol: 'udp', port: 5000, toPort: 5010, endpoints: ['metrics', 'admin'] }, o);
      await openPort({ protocol: 'icmp' }, o);
      await closePort({ port: 22 }, o);
      return [await openedPorts(o), await openedPorts({ ...o, endpoints: true })];
    });
    expect(value).to.deep.equal([
      [{ protocol: 'icmp' }, { protocol: 'tcp', port: 8080 }, { protocol: 'udp', port: 5000, toPort: 5010 }],
      [
        { protocol: 'icmp', endpoints: ['*'] },
        { protocol: 'tcp', port: 8080, endpoints: ['*'] },
        { protocol: 'udp', port: 5000, toPort: 5010, endpoints: ['admin', 'metrics'] },
      ],
    ]);
  });

  it('refuse a port Juju would refuse with a TypeError naming what it takes, before any tool runs', async () => {
    const simulator = await HookToolsSimulator.create({});
    try {
      const env = { ...simulator.env };
      const refusals = await Promise.all(
        [
          { port: 70000 },
          { port: -1 },
          { port: 1.5 },
          { protocol: 'sctp', port: 1 },
          { protocol: 'icmp', port: 1 },
          { protocol: 'udp' },
          { port: 10, toPort: 5 },
          { port: 80, endpoints: [] },
          { port: 80, endpoints: ['Bad Name'] },
          { port: 80, host: 'x' },
          '80/tcp',
        ].map((port) => openPort(port as never, { env }).catch((e: unknown) => e)),
      );
      for (const refused of refusals) expect(refused).to.be.instanceOf(TypeError);
      expect(refusals.map(String)).to.deep.include.members([
        'TypeError: openPort() port must be a whole number from 0 to 65535, got a number (70000)',
        "TypeError: openPort() protocol must be 'tcp', 'udp' or 'icmp' (as Juju knows them), got a string (\"sctp\")",
        'TypeError: openPort() toPort (5) must not be lower than port (10)',
      ]);
      expect(
        String(await closePort({ protocol: 'icmp', toPort: 3 } as never, { env }).catch((e: unknown) => e)),
      ).to.match(/icmp has no ports/);
      expect(await simulator.calls()).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });

  it('fail with a HookToolError where Juju refuses: a range overlapping an open one', async () => {
    const { error } = await eachWay({ ports: [{ protocol: 'tcp', port: 8000, toPort: 8100 }] }, (env) =>
      openPort({ port: 8080 }, env === undefined ? {} : { env }),
    );
    expect(String(error)).to.match(
      /open-port failed \(exit 1\): ERROR cannot open 8080\/tcp .* conflicts with 8000-8100\/tcp/,
    );
  });

  it('opens what is missing and closes the rest in one call, as ops set_ports', async () => {
    const { value } = await eachWay(PORTS_WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      await setPorts([{ port: 5672 }, { protocol: 'udp', port: 53 }], o);
      const first = await openedPorts(o);
      await setPorts([], o);
      return { first, then: await openedPorts(o) };
    });
    expect(value).to.deep.equal({
      first: [
        { protocol: 'tcp', port: 5672 },
        { protocol: 'udp', port: 53 },
      ],
      then: [],
    });
    const simulator = await HookToolsSimulator.create(PORTS_WORLD);
    try {
      const { error, run } = await inHook(simulator, () => setPorts([{ port: 99999 }]));
      expect(error).to.be.instanceOf(TypeError);
      expect(run.calls.filter((c) => c.tool !== 'state-set' && c.tool !== 'status-set')).to.deep.equal([]);
    } finally {
      await simulator.cleanup();
    }
  });
});
