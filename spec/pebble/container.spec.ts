// The Pebble client against the simulator's Pebble across a real unix socket, and against
// faults injected on a socket of the spec's own: every failure a PebbleError of the right
// kind naming the request, nothing hangs, and bad arguments are refused before any request.
import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ChangeError,
  ConnectionError,
  Container,
  ExecError,
  PathError,
  PebbleError,
  TimeoutError,
} from '../../lib/pebble/index.js';
import { acceptKey, websocketOver } from '../../lib/pebble/websocket.js';
import { HookToolsSimulator, type SimulatedContainer } from '../../lib/testing/index.js';
import { onUnixSocket } from '../support/servers.js';

/** A socket of the spec's own, answering each request as `answer` says. */
async function fakePebble(
  answer: (url: string, response: import('node:http').ServerResponse) => void,
): Promise<{ socketPath: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      answer(request.url ?? '', response);
    });
  });
  const { path: socketPath, close } = await onUnixSocket(server, 'pebble-fault-');
  return { socketPath, close };
}

/** What a call rejected with: its class, and the fields a charm reads. */
async function failure(call: Promise<unknown>): Promise<PebbleError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(PebbleError);
  return error as PebbleError;
}

/** A Container on the simulator's own socket for `container`, as a dispatched charm finds it. */
async function served(container: SimulatedContainer): Promise<{ web: Container; done: () => Promise<void> }> {
  const simulator = await HookToolsSimulator.create({ containers: { web: container } });
  // A dispatch run serves the sockets; its environment says where they are.
  const folder = await mkdtemp(join(tmpdir(), 'pebble-charm-'));
  await writeFile(join(folder, 'dispatch'), '#!/bin/sh\necho "$CHARMS_CONTEXTUAL_STATUS_CONTAINERS"\n');
  await chmod(join(folder, 'dispatch'), 0o755);
  const run = await simulator.runHook(folder, 'update-status');
  const web = new Container('web', {
    socketPath: join(run.stdout.trim(), 'web', 'pebble.socket'),
    timeoutMs: 2000,
  });
  return {
    web,
    done: async () => {
      await simulator.cleanup();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

describe('the Pebble client', function () {
  this.timeout(30_000);

  it("talks to the simulator's Pebble over a real unix socket: layers, services, files, exec with stdin", async () => {
    const { web, done } = await served({
      canConnect: true,
      execs: [
        { command: ['cat'], stdout: 'echoed\n' },
        { command: ['false'], exitCode: 1, stderr: 'no\n' },
      ],
      serviceErrors: { broken: 'cannot start service: exited quickly with code 1' },
    });
    try {
      expect(await web.canConnect()).to.equal(true);
      await web.addLayer(
        'base',
        'services:\n  web:\n    override: replace\n    command: web\n    startup: enabled\n',
      );
      await web.addLayer('more', { services: { web: { override: 'merge', environment: { A: '1' } } } });
      expect((await web.plan()).services.web).to.deep.include({ command: 'web', environment: { A: '1' } });
      await web.replan();
      expect((await web.services('web'))[0]).to.deep.include({
        name: 'web',
        current: 'active',
        startup: 'enabled',
      });
      await web.push('/srv/a.txt', new Uint8Array([0, 1, 2, 255]), { makeDirs: true });
      expect(await web.pull('/srv/a.txt', { encoding: null })).to.deep.equal(new Uint8Array([0, 1, 2, 255]));
      expect((await web.listFiles('/srv', { pattern: '*.txt' })).map((f) => f.name)).to.deep.equal(['a.txt']);
      expect(await web.exec(['cat'], { stdin: 'hello' })).to.deep.equal({
        exitCode: 0,
        stdout: 'echoed\n',
        stderr: '',
      });
      const failed = await failure(web.exec(['false']));
      expect(failed).to.be.instanceOf(ExecError);
      expect(failed).to.deep.include({ exitCode: 1, stderr: 'no\n', stdout: '' });
      await web.addLayer('broken', { services: { broken: { override: 'replace', command: 'broken' } } });
      const change = await failure(web.start('broken'));
      expect(change).to.be.instanceOf(ChangeError);
      expect(change.message).to.equal(
        'cannot perform the following tasks:\n- Start service "broken" (cannot start service: exited quickly with code 1)',
      );
      const missing = await failure(web.pull('/nowhere'));
      expect(missing).to.be.instanceOf(PathError);
      expect(missing.kind).to.equal('not-found');
      const unknown = await failure(web.stop('nope'));
      expect(unknown).to.deep.include({ statusCode: 400, method: 'POST', path: '/v1/services' });
      expect(unknown.message).to.include('cannot stop services: service "nope" does not exist');
    } finally {
      await done();
    }
  });

  it('is a ConnectionError where Pebble is not there yet, and canConnect() is false', async () => {
    const web = new Container('web', { socketPath: '/nonexistent/pebble.socket', timeoutMs: 1000 });
    expect(await web.canConnect()).to.equal(false);
    const error = await failure(web.services());
    expect(error).to.be.instanceOf(ConnectionError);
    expect(error.message).to.include('Pebble in web (/nonexistent/pebble.socket) is not reachable');
    expect(error).to.deep.include({ method: 'GET', path: '/v1/services' });
  });

  it("turns Pebble's error body into a PebbleError with its status, message and kind", async () => {
    const fake = await fakePebble((_, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          type: 'error',
          'status-code': 403,
          result: { message: 'access denied', kind: 'permission-denied' },
        }),
      );
    });
    try {
      const error = await failure(new Container('web', { socketPath: fake.socketPath }).plan());
      expect(error).to.deep.include({
        statusCode: 403,
        kind: 'permission-denied',
        method: 'GET',
        path: '/v1/plan',
      });
      expect(error.message).to.equal('Pebble refused GET /v1/plan: access denied');
    } finally {
      await fake.close();
    }
  });

  it('says so when Pebble answers with something that is not JSON', async () => {
    const fake = await fakePebble((_, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
    });
    try {
      const error = await failure(new Container('web', { socketPath: fake.socketPath }).services());
      expect(error.constructor).to.equal(PebbleError);
      expect(error.message).to.equal(
        'Pebble answered GET /v1/services with status 502 and a body that is not JSON',
      );
    } finally {
      await fake.close();
    }
  });

  it('is a ConnectionError when the socket closes mid-call, and a TimeoutError when Pebble never answers', async () => {
    const fake = await fakePebble((url, response) => {
      if (url.startsWith('/v1/services')) response.socket?.destroy();
      // Anything else: never answered.
    });
    try {
      const web = new Container('web', { socketPath: fake.socketPath, timeoutMs: 200 });
      const closed = await failure(web.services());
      expect(closed).to.be.instanceOf(ConnectionError);
      expect(closed.message).to.include('closed the connection before answering GET /v1/services');
      const started = Date.now();
      const slow = await failure(web.checks());
      expect(slow).to.be.instanceOf(TimeoutError);
      expect(slow.message).to.include('did not answer GET /v1/checks within 200 ms');
      expect(Date.now() - started).to.be.lessThan(5000);
    } finally {
      await fake.close();
    }
  });

  it("runs exec over Pebble's websockets: what Pebble sends before the client listens is kept, and a text that is not a command ends nothing", async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const json = (body: unknown, status = 200): void => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        };
        if (request.url === '/v1/exec') {
          json({ type: 'async', 'status-code': 202, change: '7', result: { 'task-id': 't7' } }, 202);
        } else {
          json({
            type: 'sync',
            'status-code': 200,
            result: { id: '7', ready: true, status: 'Done', tasks: [{ id: 't7', data: { 'exit-code': 0 } }] },
          });
        }
      });
    });
    server.on('upgrade', (request, socket, head) => {
      const key = String(request.headers['sec-websocket-key']);
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
      );
      const end = websocketOver(socket, false, head);
      const stream = String(request.url).split('/').at(-1);
      if (stream === 'stdio') {
        end.onMessage((data) => {
          if (data !== '{"command":"end"}') return; // stdin ended: answer
          end.send('not a command');
          end.send(new TextEncoder().encode('out\n'));
          end.send('{"command":"end"}');
        });
      }
      if (stream === 'stderr') end.send('{"command":"end"}');
    });
    const pebble = await onUnixSocket(server, 'pebble-exec-');
    try {
      const result = await new Container('web', { socketPath: pebble.path, timeoutMs: 2000 }).exec([
        'echo',
        'out',
      ]);
      expect(result).to.deep.equal({ exitCode: 0, stdout: 'out\n', stderr: '' });
    } finally {
      await pebble.close();
    }
  });

  it('refuses bad arguments with a TypeError before any request', async () => {
    // No Pebble at all: a request would be a ConnectionError, not a TypeError.
    const web = new Container('web', { socketPath: '/nonexistent/pebble.socket' });
    const refusals: [() => Promise<unknown>, RegExp][] = [
      [
        () => web.addLayer('x', 42 as never),
        /a layer object such as \{ services: \{ … \} \} or its YAML, got a number/,
      ],
      [() => web.addLayer('x', '- a list'), /got YAML of an array/],
      [() => web.addLayer('', {}), /takes a label such as "web"/],
      [() => web.start(42 as never), /takes names as strings, such as "web", got a number/],
      [() => web.start(), /takes at least one service name/],
      [() => web.push('relative/path', 'x'), /an absolute path such as "\/etc\/app.conf"/],
      [() => web.push('/a', 'x', { permissions: -1 }), /permissions are bits from 0 to 0o777/],
      [() => web.makeDir('/a', { permissions: 0o1000 }), /permissions are bits from 0 to 0o777/],
      [() => web.exec([]), /a command as an array of strings/],
      [() => web.exec(['ls'], { stdin: 42 as never }), /stdin is a string or a Uint8Array/],
      [() => web.notify('not-a-key'), /Pebble's "example.com\/path" form/],
      [() => web.notify('example.com/ok', { a: 1 } as never), /data maps names to strings/],
      [() => web.checks({ level: 'sometimes' as never }), /level is "alive" or "ready"/],
      [() => web.notices({ after: new Date('nope') }), /after must be a valid Date/],
    ];
    for (const [call, message] of refusals) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, String(message)).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(message);
    }
    expect(() => new Container('Web')).to.throw(TypeError, /a container name such as "web"/);
    expect(() => new Container('web', { socketPath: 'relative' })).to.throw(TypeError, /absolute path/);
    expect(() => new Container('web', { timeoutMs: 0 })).to.throw(TypeError, /timeoutMs/);
  });
});
