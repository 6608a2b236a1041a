// open-port, close-port and opened-ports as Juju's (jujuc/ports.go, opened-ports.go,
// core/network/portrange.go, runner/context/ports.go), the same both ways of running.
import { expect } from 'chai';

import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { SHELL_CHARM, agreed, inProcess } from '../../support/both-ways.js';

describe('simulated tools: ports', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0' });
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  const CALLS = [
    ['open-port', '8080'],
    ['open-port', '5000-5010/UDP', '--endpoints', 'metrics, admin'],
    ['open-port', 'icmp'],
    ['open-port', '8080/tcp'],
    ['opened-ports', '--format=json'],
    ['opened-ports', '--endpoints'],
    ['close-port', '8080'],
    ['close-port', '9999/udp'],
    ['opened-ports'],
  ];
  const ANSWERS = [
    '',
    '',
    '',
    '',
    '["icmp","8080/tcp","5000-5010/udp"]\n',
    'icmp (*)\n8080/tcp (*)\n5000-5010/udp (admin, metrics)\n',
    '',
    '',
    'icmp\n5000-5010/udp\n',
  ];

  it('open, list (sorted by protocol name, then port) and close ranges, alike both ways', async () => {
    const { results, run } = await inProcess(simulator, CALLS);
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(results.map((r) => r.stdout)).to.deep.equal(ANSWERS);
    expect(run.after.ports).to.deep.equal([
      { protocol: 'udp', port: 5000, toPort: 5010, endpoints: ['metrics', 'admin'] },
      { protocol: 'icmp' },
    ]);
    expect((await agreed({ unitName: 'webapp/0' }, CALLS)).map((r) => r.stdout)).to.deep.equal(ANSWERS);
  });

  it('refuse what ParsePortRange and Validate refuse (exit 2), and a conflicting range (exit 1)', async () => {
    const calls = [
      ['open-port'],
      ['open-port', '99999'],
      ['open-port', '80/sctp'],
      ['open-port', '90-80'],
      ['open-port', 'http'],
      ['open-port', '1-2-3'],
      ['close-port', '80', '81'],
      ['opened-ports', 'extra'],
      ['open-port', '8000-8100'],
      ['open-port', '8080'],
    ];
    // Closing part of a range that was open when the hook began is refused (ClosePortRange's
    // checkForConflict against the unit's open ranges).
    const closing = await agreed(
      { unitName: 'webapp/0', ports: [{ protocol: 'tcp', port: 80, toPort: 100 }] },
      [
        ['close-port', '80-90'],
        ['close-port', '80-100'],
      ],
    );
    expect(closing.map((r) => [r.code, r.stderr])).to.deep.equal([
      [
        1,
        'ERROR cannot close 80-90/tcp (unit "webapp/0"): port range conflicts with 80-100/tcp (unit "webapp/0")\n',
      ],
      [0, ''],
    ]);
    const expected = [
      [2, 'ERROR no port or range specified\n'],
      [2, 'ERROR port range bounds must be between 0 and 65535, got 99999-99999\n'],
      [2, 'ERROR invalid protocol "sctp", expected "tcp", "udp", or "icmp"\n'],
      [2, 'ERROR invalid port range 90-80/tcp\n'],
      [2, 'ERROR invalid port "http": strconv.Atoi: parsing "http": invalid syntax\n'],
      [2, 'ERROR invalid port range "1-2-3"\n'],
      [2, 'ERROR unrecognized args: ["81"]\n'],
      [2, 'ERROR unrecognized args: ["extra"]\n'],
      [0, ''],
      [
        1,
        'ERROR cannot open 8080/tcp (unit "webapp/0"): port range conflicts with 8000-8100/tcp (unit "webapp/0")\n',
      ],
    ];
    const results = await agreed({ unitName: 'webapp/0' }, calls);
    expect(results.map((r) => [r.code, r.stderr])).to.deep.equal(expected);
  });

  it('keep no port a failed hook opened or closed, as Juju commits them only when it succeeds', async () => {
    const declared = await HookToolsSimulator.create({ ports: [{ protocol: 'tcp', port: 22 }] });
    try {
      const run = await declared.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: 'open-port 8080 && close-port 22 && opened-ports && exit 1' },
      });
      expect(run.exitCode).to.equal(1);
      expect(run.stdout).to.equal('8080/tcp\n');
      expect(run.after.ports).to.deep.equal([{ protocol: 'tcp', port: 22 }]);
      const kept = await declared.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: 'open-port 8080 && close-port 22' },
      });
      expect(kept.exitCode, kept.stderr).to.equal(0);
      expect(kept.after.ports).to.deep.equal([{ protocol: 'tcp', port: 8080 }]);
    } finally {
      await declared.cleanup();
    }
  });

  it('refuse, in create(), a port range Juju would not hold', async () => {
    for (const ports of [
      [{ protocol: 'tcp', port: 70000 }],
      [{ protocol: 'sctp', port: 1 }],
      [{ protocol: 'icmp', port: 1 }],
      [{ protocol: 'tcp' }],
    ]) {
      const refused = await HookToolsSimulator.create({ ports } as never).catch((e: unknown) => e);
      expect(refused, JSON.stringify(ports)).to.be.instanceOf(TypeError);
      expect(String(refused)).to.match(/port ranges such as \{ protocol: "tcp", port: 8080 \}/);
    }
  });
});
