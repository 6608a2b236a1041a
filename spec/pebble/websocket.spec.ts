// The client's own WebSocket framing (RFC 6455), as exec uses it over a unix socket: the
// handshake checked, messages of every size both ways, fragments joined, pings answered,
// a close answered and the stream ended.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { type Socket, connect as dial, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { PebbleSocket } from '../../lib/pebble/transport.js';
import { acceptKey, connect, websocketOver } from '../../lib/pebble/websocket.js';
import { onUnixSocket } from '../support/servers.js';

/** A server's raw end and a client's websocket end, over a real unix socket. */
async function pair(): Promise<{ server: Socket; client: PebbleSocket; done: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'ws-frames-'));
  const path = join(folder, 'sock');
  let accepted: (socket: Socket) => void = () => undefined;
  const arrived = new Promise<Socket>((resolve) => (accepted = resolve));
  const listener = createNetServer(accepted);
  await new Promise<void>((resolve) => listener.listen(path, resolve));
  const raw = dial(path);
  const server = await arrived;
  return {
    server,
    client: websocketOver(raw, true),
    done: async () => {
      raw.destroy();
      server.destroy();
      await new Promise<void>((resolve) =>
        listener.close(() => {
          resolve();
        }),
      );
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** An unmasked server frame. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const size = payload.length < 126 ? 0 : payload.length < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + size);
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = size === 0 ? payload.length : size === 2 ? 126 : 127;
  if (size === 2) head.writeUInt16BE(payload.length, 2);
  if (size === 8) head.writeBigUInt64BE(BigInt(payload.length), 2);
  return Buffer.concat([head, payload]);
}

/** The client's frames as the server reads them: opcode and unmasked payload. */
function frames(bytes: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let at = 0;
  while (at < bytes.length) {
    const opcode = (bytes[at] ?? 0) & 0x0f;
    const second = bytes[at + 1] ?? 0;
    expect(second & 0x80, 'a client masks every frame').to.equal(0x80);
    let length = second & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    const mask = bytes.subarray(offset, offset + 4);
    const payload = Buffer.from(bytes.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    out.push([opcode, payload]);
    at = offset + 4 + length;
  }
  return out;
}

async function until<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error('timed out');
}

describe("exec's websocket client", () => {
  it("sends masked text and binary messages of every length, and reads the server's, fragments joined", async () => {
    const { server, client, done } = await pair();
    try {
      let received = Buffer.alloc(0);
      server.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
      const big = Buffer.alloc(70_000, 7);
      client.send('{"command":"end"}');
      client.send(new Uint8Array(300).fill(1));
      client.send(big);
      const sent = await until(() => {
        const all = frames(received);
        return all.length === 3 && all[2]?.[1].length === big.length ? all : undefined;
      });
      expect(sent.map(([op, p]) => [op, p.length])).to.deep.equal([
        [1, 17],
        [2, 300],
        [2, 70_000],
      ]);
      expect(sent[0]?.[1].toString()).to.equal('{"command":"end"}');
      const messages: (string | Uint8Array)[] = [];
      client.onMessage((m) => messages.push(m));
      server.write(serverFrame(2, Buffer.from('hel'), false));
      server.write(serverFrame(0, Buffer.from('lo'), true));
      server.write(
        Buffer.concat([serverFrame(1, Buffer.from('text')), serverFrame(2, Buffer.alloc(200, 9))]),
      );
      await until(() => (messages.length === 3 ? true : undefined));
      expect(Buffer.from(messages[0] as Uint8Array).toString()).to.equal('hello');
      expect(messages[1]).to.equal('text');
      expect((messages[2] as Uint8Array).length).to.equal(200);
    } finally {
      await done();
    }
  });

  it('answers a ping with a pong, and a close with a close, then ends', async () => {
    const { server, client, done } = await pair();
    try {
      let received = Buffer.alloc(0);
      server.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
      let closed = false;
      client.onClose(() => (closed = true));
      server.write(serverFrame(9, Buffer.from('beat')));
      server.write(serverFrame(8, Buffer.from([0x03, 0xe8])));
      const sent = await until(() => (frames(received).length === 2 ? frames(received) : undefined));
      expect(sent.map(([op, p]) => [op, p.toString('hex')])).to.deep.equal([
        [10, Buffer.from('beat').toString('hex')],
        [8, '03e8'],
      ]);
      server.end();
      await until(() => (closed ? true : undefined));
    } finally {
      await done();
    }
  });

  it('checks the handshake: a server that answers with the wrong key, or no upgrade, is refused', async () => {
    const server = createServer((_, response) => {
      response.writeHead(404);
      response.end();
    });
    server.on('upgrade', (request, socket) => {
      const key = String(request.headers['sec-websocket-key']);
      const accept = request.url === '/wrong' ? 'nope' : acceptKey(key);
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
    const { path, close } = await onUnixSocket(server, 'ws-handshake-');
    try {
      const good = await connect(path, '/right', 1000);
      good.close();
      const wrong = await connect(path, '/wrong', 1000).catch((e: unknown) => e);
      expect(String(wrong)).to.include('wrong Sec-WebSocket-Accept');
      server.removeAllListeners('upgrade');
      server.on('upgrade', (_, socket) => {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      });
      const refused = await connect(path, '/gone', 1000).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(Error);
    } finally {
      await close();
    }
  });
});
