// An HTTP server of a spec's own (a fake Pebble) on a unix socket in a folder of its own,
// closed whole: every connection, the ones upgraded to websockets included (no longer the
// HTTP server's to close), and the folder.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Listens with `server` on a new socket; `close()` ends it and removes its folder. */
export async function onUnixSocket(
  server: Server,
  prefix: string,
): Promise<{ path: string; close: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  const path = join(folder, 'pebble.socket');
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await rm(folder, { recursive: true, force: true });
    },
  };
}
