// The simulator's Pebble keeps Pebble's rules: layers combined by override, replan, service
// states, checks by level, files and their refusals, exec by the longest declared prefix,
// notices that repeat. Driven through the client, in a hook run in the test's process.
import { expect } from 'chai';

import { Container, PathError, PebbleError } from '../../lib/pebble/index.js';
import { HookToolsSimulator, type SimulatedContainer } from '../../lib/testing/index.js';

/** Runs `body` in a hook, with a Container for `web` declared as `container`. */
async function withWeb<T>(container: SimulatedContainer, body: (web: Container) => Promise<T>): Promise<T> {
  const simulator = await HookToolsSimulator.create({
    containers: { web: { canConnect: true, ...container } },
  });
  try {
    let value: T | undefined;
    let failed: unknown;
    await simulator.runHook(
      {
        reconcile: async () => {
          try {
            value = await body(new Container('web'));
          } catch (error) {
            failed = error;
          }
        },
        options: { log: false },
      },
      'config-changed',
    );
    if (failed !== undefined) throw failed;
    return value as T;
  } finally {
    await simulator.cleanup();
  }
}

async function refusal(call: Promise<unknown>): Promise<PebbleError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(PebbleError);
  return error as PebbleError;
}

describe("the simulator's Pebble", () => {
  it('combines layers as Pebble does: merge lays fields over, lists append, maps merge; replace takes the place', async () => {
    const plan = await withWeb(
      {
        layers: {
          base: {
            services: {
              web: { override: 'replace', command: 'web', after: ['db'], environment: { A: '1', B: '1' } },
              db: { override: 'replace', command: 'db', startup: 'enabled' },
            },
          },
        },
      },
      async (web) => {
        await web.addLayer('tune', {
          services: {
            web: { override: 'merge', after: ['cache'], environment: { B: '2' }, startup: 'enabled' },
            db: { override: 'replace', command: 'db --fast' },
          },
        });
        return web.plan();
      },
    );
    expect(plan.services.web).to.deep.include({
      command: 'web',
      after: ['db', 'cache'],
      environment: { A: '1', B: '2' },
      startup: 'enabled',
    });
    // Replaced whole: its startup is gone with the old definition.
    expect(plan.services.db).to.deep.equal({ override: 'replace', command: 'db --fast' });
  });

  it("refuses what Pebble refuses in a layer, with Pebble's words, adding nothing", async () => {
    const messages = await withWeb({}, async (web) => {
      const out: string[] = [];
      for (const [label, layer] of [
        ['a', { services: { web: { command: 'web' } } }],
        ['b', { services: { web: { override: 'sideways', command: 'web' } } }],
        ['c', { services: { web: { override: 'replace' } } }],
      ] as const) {
        out.push((await refusal(web.addLayer(label, layer as never))).message);
      }
      await web.addLayer('d', { services: { web: { override: 'replace', command: 'web' } } });
      out.push((await refusal(web.addLayer('d', {}))).message);
      await web.addLayer(
        'd',
        { services: { web: { override: 'merge', command: 'web2' } } },
        { combine: true },
      );
      out.push(String((await web.plan()).services.web?.command));
      return out;
    });
    expect(messages).to.deep.equal([
      'Pebble refused POST /v1/layers: layer "a" must define "override" for service "web"',
      'Pebble refused POST /v1/layers: layer "b" has invalid "override" value for service "web"',
      'Pebble refused POST /v1/layers: plan must define "command" for service "web"',
      'Pebble refused POST /v1/layers: layer "d" already exists',
      'web2',
    ]);
  });

  it('replans: starts what the plan starts, restarts what changed, leaves the rest', async () => {
    const states = await withWeb(
      {
        layers: {
          base: {
            services: {
              web: { override: 'replace', command: 'web', startup: 'enabled' },
              tool: { override: 'replace', command: 'tool' },
            },
          },
        },
      },
      async (web) => {
        await web.replan();
        const first = await web.services();
        const since = first.find((s) => s.name === 'web')?.currentSince;
        await new Promise((done) => setTimeout(done, 5));
        await web.replan(); // nothing changed: web keeps running since then
        const same = (await web.services('web'))[0]?.currentSince === since;
        await web.addLayer('v2', { services: { web: { override: 'merge', command: 'web --v2' } } });
        await new Promise((done) => setTimeout(done, 5));
        await web.replan();
        const restarted = (await web.services('web'))[0]?.currentSince !== since;
        await web.stop('web');
        return {
          first: first.map((s) => `${s.name} ${s.current}`),
          same,
          restarted,
          stopped: (await web.services('web'))[0]?.current,
        };
      },
    );
    expect(states).to.deep.equal({
      first: ['tool inactive', 'web active'],
      same: true,
      restarted: true,
      stopped: 'inactive',
    });
  });

  it('lists checks by level, and what Pebble leaves out stays out', async () => {
    const checks = await withWeb(
      {
        layers: {
          base: {
            checks: {
              alive: { override: 'replace', level: 'alive', tcp: { port: 80 } },
              ready: {
                override: 'replace',
                level: 'ready',
                threshold: 5,
                http: { url: 'http://localhost/' },
              },
              plain: { override: 'replace', exec: { command: 'true' } },
            },
          },
        },
        checks: { ready: { status: 'down', failures: 5 } },
      },
      async (web) => ({ all: await web.checks(), ready: await web.checks({ level: 'ready' }) }),
    );
    expect(checks.all.map((c) => [c.name, c.level, c.status, c.failures, c.threshold])).to.deep.equal([
      ['alive', 'alive', 'up', 0, 3],
      ['plain', undefined, 'up', 0, 3],
      ['ready', 'ready', 'down', 5, 5],
    ]);
    expect(checks.ready.map((c) => c.name)).to.deep.equal(['ready']);
  });

  it('keeps files with their permissions and owners, and refuses paths as the operating system does', async () => {
    const out = await withWeb(
      { files: { '/etc/web/web.conf': { content: 'x', permissions: 0o600, user: 'web', userId: 1000 } } },
      async (web) => {
        const listed = await web.listFiles('/etc/web');
        const itself = await web.listFiles('/etc/web', { itself: true });
        const errors: [string, string | undefined][] = [];
        for (const call of [
          () => web.push('/missing/dir/f', 'x'),
          () => web.makeDir('/etc/web'),
          () => web.remove('/etc'),
          () => web.pull('/etc/web'),
          () => web.listFiles('/nope'),
        ]) {
          const error = await refusal(call());
          expect(error).to.be.instanceOf(PathError);
          errors.push([error.message, error.kind]);
        }
        await web.makeDir('/etc/web', { makeParents: true });
        await web.remove('/etc', { recursive: true });
        return { listed, itself, errors, after: await web.listFiles('/') };
      },
    );
    expect(out.listed.map((f) => [f.path, f.type, f.permissions, f.user, f.userId, f.size])).to.deep.equal([
      ['/etc/web/web.conf', 'file', 0o600, 'web', 1000, 1],
    ]);
    expect(out.itself.map((f) => [f.path, f.type, f.permissions])).to.deep.equal([
      ['/etc/web', 'directory', 0o755],
    ]);
    expect(out.errors).to.deep.equal([
      ['Pebble refused /missing/dir/f: open /missing/dir/f: no such file or directory', 'not-found'],
      ['Pebble refused /etc/web: mkdir /etc/web: file exists', 'generic-file-error'],
      ['Pebble refused /etc: remove /etc: directory not empty', 'generic-file-error'],
      ['Pebble refused /etc/web: can only read a regular file: "/etc/web"', 'generic-file-error'],
      ['Pebble refused GET /v1/files: stat /nope: no such file or directory', 'not-found'],
    ]);
    expect(out.after).to.deep.equal([]);
  });

  it("answers exec with the declared command whose prefix is longest; 127 when no words match, and Pebble's error for a program it has not", async () => {
    const out = await withWeb(
      {
        execs: [
          { command: ['git'], stdout: 'git\n' },
          { command: ['git', 'status'], stdout: 'clean\n' },
          { command: ['web', '--check'], stdout: 'ok\n' },
        ],
      },
      async (web) => {
        const results = [
          (await web.exec(['git', 'status', '--short'])).stdout,
          (await web.exec(['git', 'log'])).stdout,
        ];
        const unmatched = await refusal(web.exec(['web', '--serve']));
        const missing = await refusal(web.exec(['curl', 'x']));
        return {
          results,
          unmatched: [unmatched.name, (unmatched as { exitCode?: number }).exitCode],
          missing: missing.message,
        };
      },
    );
    expect(out).to.deep.equal({
      results: ['clean\n', 'git\n'],
      unmatched: ['ExecError', 127],
      missing: 'Pebble refused POST /v1/exec: cannot find executable "curl"',
    });
  });

  it('records custom notices: a repeat counts an occurrence and keeps the last data; filters by key and type', async () => {
    const notices = await withWeb({ notices: [{ key: 'example.com/a' }] }, async (web) => {
      const id = await web.notify('example.com/b', { n: '1' });
      const again = await web.notify('example.com/b', { n: '2' });
      return {
        id,
        again,
        b: await web.notices({ keys: ['example.com/b'] }),
        custom: await web.notices({ types: ['custom'] }),
      };
    });
    expect(notices.again).to.equal(notices.id);
    expect(notices.b.map((n) => [n.key, n.occurrences, n.lastData])).to.deep.equal([
      ['example.com/b', 2, { n: '2' }],
    ]);
    expect(notices.custom.map((n) => n.key)).to.deep.equal(['example.com/a', 'example.com/b']);
  });
});
