// The simulator holds a charm to what its charmcraft.yaml declares, as Juju does: the declared
// configuration defaults, types and options; the declared endpoints; the declared actions and
// their parameters' schema. Each refusal names what is declared.
import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { actionGet, configGet } from '../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';
import { agreed } from '../support/both-ways.js';

const CHARMCRAFT = `name: shop
type: charm
config:
  options:
    port: { type: int, default: 8080, description: The port. }
    tls: { type: boolean, default: false }
    ratio: { type: float, default: 0.5 }
    name: { type: string }
requires:
  database: { interface: postgresql_client }
provides:
  website: { interface: http }
peers:
  cluster: { interface: shop_peers }
actions:
  restart:
    params:
      force: { type: boolean, default: false }
  backup:
    params:
      target: { type: string }
      mode: { type: string, enum: [full, incremental] }
      copies: { type: integer }
    required: [target]
    additionalProperties: false
`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const reason = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(reason).to.be.instanceOf(TypeError);
  return String(reason);
}

describe('HookToolsSimulator, the charm’s metadata', () => {
  let folder: string;
  let simulator: HookToolsSimulator;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'shop-charm-'));
    await writeFile(join(folder, 'charmcraft.yaml'), CHARMCRAFT);
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ charmDir: folder, config: { tls: true } });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('serves the declared defaults with config-get, an option with none and no value left out', async () => {
    let config: unknown;
    await simulator.runHook({ reconcile: async () => (config = await configGet()) }, 'config-changed');
    expect(config).to.deep.equal({ port: 8080, tls: true, ratio: 0.5 });
  });

  it('refuses an undeclared option or a value of the wrong type, naming what is declared', async () => {
    expect(await refusal(simulator.setConfig({ tls: 'yes' }))).to.match(
      /config option tls is declared boolean .* got a string \("yes"\)/,
    );
    expect(await refusal(simulator.setConfig({ port: 80.5 }))).to.match(/declared int/);
    expect(await refusal(simulator.setConfig({ colour: 'red' }))).to.match(
      /config option colour is not declared in .*charmcraft\.yaml: it declares port \(int\), tls \(boolean\), ratio \(float\), name \(string\)/,
    );
    expect(await refusal(HookToolsSimulator.create({ charmDir: folder, config: { port: '80' } }))).to.match(
      /declared int/,
    );
  });

  it('has the peer relation Juju makes at deploy, with no other unit in it, unless the test declares one', async () => {
    const found = await agreed({ charmDir: folder }, [
      ['relation-ids', 'cluster', '--format=json'],
      ['relation-list', '-r', 'cluster:0', '--format=json'],
      ['relation-list', '-r', 'cluster:0', '--app', '--format=json'],
    ]);
    // Juju numbers a model's relations from 0: the peer relation, made at deploy, comes first.
    expect(found.map((r) => r.stdout.trim())).to.deep.equal(['["cluster:0"]', '[]', '"shop"']);
    const [ids] = await agreed(
      { charmDir: folder, relations: [{ endpoint: 'cluster', id: 7, remoteUnits: { 'shop/1': {} } }] },
      [['relation-ids', 'cluster', '--format=json']],
    );
    expect(ids?.stdout.trim()).to.equal('["cluster:7"]');
  });

  it('refuses a relation or relation hook on an undeclared endpoint, naming the declared ones', async () => {
    const declared = /it declares website \(provides\), database \(requires\), cluster \(peers\)/;
    expect(
      await refusal(simulator.runHook({ reconcile: () => undefined }, 'cache-relation-joined')),
    ).to.match(declared);
    expect(await refusal(simulator.setRelation('cache:1'))).to.match(declared);
    expect(
      await refusal(HookToolsSimulator.create({ charmDir: folder, relations: [{ endpoint: 'cache' }] })),
    ).to.match(declared);
    await simulator.setRelation('database:1', { 'postgresql/0': {} });
    const run = await simulator.runHook({ reconcile: () => undefined }, 'database-relation-joined');
    expect(run.exitCode, run.stderr).to.equal(0);
  });

  it('runs an action with its declared defaults, and refuses what its schema refuses', async () => {
    let params: unknown;
    const charm = {
      reconcile: () => undefined,
      options: {
        actions: {
          restart: async () => (params = await actionGet()),
          backup: async () => (params = await actionGet()),
        },
      },
    };
    await simulator.runAction(charm, 'restart');
    expect(params).to.deep.equal({ force: false });
    await simulator.runAction(charm, 'backup', { target: '/srv', mode: 'full' });
    expect(params).to.deep.equal({ target: '/srv', mode: 'full' });
    expect(await refusal(simulator.runAction(charm, 'explode'))).to.match(
      /action explode is not declared .*: it declares restart, backup/,
    );
    expect(await refusal(simulator.runAction(charm, 'backup', {}))).to.match(/action backup needs target/);
    expect(await refusal(simulator.runAction(charm, 'backup', { target: 7 }))).to.match(
      /parameter target is declared string/,
    );
    expect(await refusal(simulator.runAction(charm, 'backup', { target: '/', mode: 'lazy' }))).to.match(
      /takes one of "full", "incremental"/,
    );
    expect(await refusal(simulator.runAction(charm, 'backup', { target: '/', copies: 1.5 }))).to.match(
      /declared integer/,
    );
    expect(await refusal(simulator.runAction(charm, 'backup', { target: '/', extra: 1 }))).to.match(
      /takes no parameter extra .*additionalProperties: false/,
    );
    expect(await simulator.calls()).to.have.length.greaterThan(0);
  });

  it('learns the metadata of a charm folder run through dispatch, when it was made without it', async () => {
    const charm = await mkdtemp(join(tmpdir(), 'legacy-charm-'));
    try {
      await writeFile(join(charm, 'metadata.yaml'), 'name: legacy\nrequires:\n  db: { interface: pgsql }\n');
      await writeFile(join(charm, 'config.yaml'), 'options:\n  level: { type: string, default: info }\n');
      await writeFile(join(charm, 'dispatch'), '#!/bin/sh\nconfig-get --format=json\n');
      await chmod(join(charm, 'dispatch'), 0o755);
      const fresh = await HookToolsSimulator.create();
      try {
        const run = await fresh.runHook(charm, 'config-changed');
        expect(JSON.parse(run.stdout)).to.deep.equal({ level: 'info' });
        expect(await refusal(fresh.setConfig({ level: 3 }))).to.match(/declared string/);
      } finally {
        await fresh.cleanup();
      }
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });

  it('refuses a charm folder whose metadata is not YAML, or that has none', async () => {
    const charm = await mkdtemp(join(tmpdir(), 'broken-charm-'));
    try {
      expect(await refusal(HookToolsSimulator.create({ charmDir: charm }))).to.match(
        /neither charmcraft.yaml nor metadata.yaml/,
      );
      await writeFile(join(charm, 'charmcraft.yaml'), 'name: [unclosed\n');
      expect(await refusal(HookToolsSimulator.create({ charmDir: charm }))).to.match(
        /is not YAML the simulator can read/,
      );
      await writeFile(join(charm, 'charmcraft.yaml'), 'config:\n  options:\n    x: { type: integer }\n');
      expect(await refusal(HookToolsSimulator.create({ charmDir: charm }))).to.match(
        /config option x has type a string \("integer"\): Juju takes string, int, float, boolean or secret/,
      );
    } finally {
      await rm(charm, { recursive: true, force: true });
    }
  });

  it('looks names up as data: constructor, toString and __proto__ are names like any other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proto-charm-'));
    try {
      await writeFile(
        join(dir, 'charmcraft.yaml'),
        'name: proto\nconfig:\n  options:\n    constructor: { type: string, default: built }\nactions:\n  backup:\n    params:\n      valueOf: { type: string }\n    additionalProperties: false\n',
      );
      const undeclared = await HookToolsSimulator.create({ charmDir: dir, config: { toString: 'x' } }).catch(
        (e: unknown) => e,
      );
      expect(undeclared).to.be.instanceOf(TypeError);
      expect(String(undeclared)).to.match(
        /config option toString is not declared .* it declares constructor \(string\)/,
      );
      const simulator = await HookToolsSimulator.create({ charmDir: dir });
      try {
        let config: unknown;
        await simulator.runHook({ reconcile: async () => (config = await configGet()) }, 'config-changed');
        expect(config).to.deep.equal({ constructor: 'built' });
        const action = await simulator
          .runAction({ reconcile: () => undefined }, 'constructor')
          .catch((e: unknown) => e);
        expect(action).to.be.instanceOf(TypeError);
        expect(String(action)).to.match(/action constructor is not declared .* it declares backup/);
        const params = await simulator
          .runAction({ reconcile: () => undefined }, 'backup', { constructor: 'x' })
          .catch((e: unknown) => e);
        expect(params).to.be.instanceOf(TypeError);
        expect(String(params)).to.match(/action backup takes no parameter constructor .* it takes valueOf/);
      } finally {
        await simulator.cleanup();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads charm YAML as Juju does, YAML 1.1 with each default coerced to its option type, both ways', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yaml11-charm-'));
    try {
      await writeFile(
        join(dir, 'charmcraft.yaml'),
        [
          'name: legacy',
          'config:',
          '  options:',
          '    debug: { type: boolean, default: no }',
          '    verbose: { type: boolean, default: "True" }',
          '    mode: { type: int, default: 0755 }',
          '    port: { type: int, default: "8080" }',
          '    hex: { type: int, default: "0x1F" }',
          '    note: { default: plain }',
          '    ratio: { type: float, default: 0.5 }',
          '',
        ].join('\n'),
      );
      const expected = {
        debug: false,
        hex: 31,
        mode: 493,
        note: 'plain',
        port: 8080,
        ratio: 0.5,
        verbose: true,
      };
      const results = await agreed({ charmDir: dir }, [['config-get', '--format=json']]);
      expect(JSON.parse(results[0]?.stdout ?? '')).to.deep.equal(expected);
      for (const [option, why] of [
        ['name: { type: string, default: yes }', /option "name" expected string, got true/],
        ['count: { type: int, default: "ten" }', /option "count" expected int, got "ten"/],
        ['ratio: { type: float, default: 1 }', /option "ratio" expected float, got 1/],
        ['flag: { type: boolean, default: "maybe" }', /option "flag" expected bool, got "maybe"/],
      ] as const) {
        await writeFile(join(dir, 'charmcraft.yaml'), `name: legacy\nconfig:\n  options:\n    ${option}\n`);
        const refused = await HookToolsSimulator.create({ charmDir: dir }).catch((e: unknown) => e);
        expect(refused, option).to.be.instanceOf(TypeError);
        expect(String(refused)).to.match(why);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('holds action parameters to JSON Schema: a union of types, an enum of objects compared by content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'schema-charm-'));
    try {
      await writeFile(
        join(dir, 'charmcraft.yaml'),
        [
          'name: schema',
          'actions:',
          '  tune:',
          '    params:',
          '      limit: { type: [integer, "null"] }',
          '      target: { enum: [{ host: a, port: 1 }, [1, 2], plain] }',
          '',
        ].join('\n'),
      );
      const simulator = await HookToolsSimulator.create({ charmDir: dir });
      try {
        const charm = { reconcile: () => undefined, options: { actions: { tune: () => undefined } } };
        for (const params of [
          { limit: 3 },
          { limit: null },
          { target: { port: 1, host: 'a' } },
          { target: [1, 2] },
        ]) {
          const run = await simulator.runAction(charm, 'tune', params);
          expect(run.exitCode, JSON.stringify(params)).to.equal(0);
        }
        for (const [params, why] of [
          [{ limit: 'x' }, /limit is declared integer or null, got a string \("x"\)/],
          [{ target: { host: 'a', port: 2 } }, /target takes one of .*got/],
        ] as const) {
          const refused = await simulator.runAction(charm, 'tune', params).catch((e: unknown) => e);
          expect(refused, JSON.stringify(params)).to.be.instanceOf(TypeError);
          expect(String(refused)).to.match(why);
        }
      } finally {
        await simulator.cleanup();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
