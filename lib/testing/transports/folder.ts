// The simulator's folders, each made only when first needed: the unit's charm folder, which a
// hook run either way may write in, and beside it the tools' folder, which only a process needs:
// the tool executables (one script, linked under each tool's name), the port of the socket they
// call, the storage and the containers' Pebble sockets. A test whose runs are all in the test's
// process makes one empty folder and removes it: no other file written, no server.

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { JujuModel } from '../model.js';
import { ToolServer } from './socket.js';

/** A folder of a simulator's, named when it is made and made on first need. @internal */
export class ToolFolder {
  /** The tools' folder, chosen at once ({@link ToolFolder.path}) and made on first need. */
  readonly root: string;
  readonly bin: string;
  /**
   * The unit's charm folder (`JUJU_CHARM_DIR`; through `dispatch`, the unit's copy of the
   * charm: see `transports/dispatch.ts`), beside the tools' folder rather than in it, so that a
   * test run only in process makes and removes one folder (on ext4 here an rmdir is about
   * 80 µs, a tenth of a whole test).
   */
  readonly charm: string;
  /** Where the unit's storage instances live (the world's `storageRoot`). */
  readonly storage: string;
  readonly #model: JujuModel;
  /** The tools' socket, once made; its promise resolves once it listens and the port is written. */
  #open: { server: Promise<ToolServer>; names: Set<string> } | undefined;
  #closed = false;

  constructor(model: JujuModel, root: string) {
    this.#model = model;
    this.root = root;
    this.bin = join(root, 'bin');
    this.charm = `${root}-charm`;
    this.storage = join(root, 'storage');
  }

  /** A new folder's path, in the system's temporary folder; nothing is made yet. */
  static path(): string {
    return join(tmpdir(), `juju-hook-tools-${randomBytes(6).toString('hex')}`);
  }

  /**
   * Makes the folder of each storage instance in `locations` that lies in this folder (one a
   * test placed elsewhere is the test's to make), as Juju attaches storage before a hook.
   */
  attach(locations: readonly string[]): void {
    for (const location of locations) {
      if (!location.startsWith(`${this.storage}/`)) continue;
      this.#makeRoot();
      mkdirSync(location, { recursive: true });
    }
  }

  /** Whether the charm folder, and the tools' folder, were made. */
  #charmMade = false;
  #rootMade = false;

  /** Whether the tools were made. */
  get made(): boolean {
    return this.#open !== undefined;
  }

  /**
   * Makes the unit's charm folder, once: a hook run either way writes its unit's files there
   * (`reconcile()`'s mark of a failed hook, a charm's own state).
   */
  makeCharm(): void {
    if (this.#charmMade) return;
    if (this.#closed) throw new Error('the hook tools simulator has been cleaned up');
    mkdirSync(this.charm, { mode: 0o700 });
    this.#charmMade = true;
  }

  /** Makes the tools' folder, once, readable by this user only (the script holds the secret). */
  #makeRoot(): void {
    if (this.#rootMade) return;
    if (this.#closed) throw new Error('the hook tools simulator has been cleaned up');
    mkdirSync(this.root, { mode: 0o700 });
    this.#rootMade = true;
  }

  /**
   * Makes the folder and a tool executable for each of `names`, and starts the socket they
   * call; synchronous, so that `simulator.env` and `hookEnvironment()` can hand out a `PATH`
   * that works at once. Resolves once the socket listens (tools called before then wait for
   * the port it writes, or, if this process stays blocked, say so).
   */
  open(names: Iterable<string>): Promise<void> {
    if (this.#open === undefined) {
      this.makeCharm();
      this.#makeRoot();
      mkdirSync(this.bin);
      const server = new ToolServer(this.#model);
      const portFile = join(this.root, 'port');
      writeFileSync(join(this.bin, '.tool'), server.script(portFile), { mode: 0o700 });
      this.#open = {
        names: new Set(),
        server: server.listen().then(async () => {
          // Written whole, then renamed: a tool never reads half a port.
          await writeFile(`${portFile}.new`, `${String(server.port)}\n`);
          await rename(`${portFile}.new`, portFile);
          return server;
        }),
      };
    }
    for (const name of names) this.#link(name);
    return this.#open.server.then(() => undefined);
  }

  /** The loopback address the tools call, once the socket listens. */
  async address(): Promise<string> {
    const server = await this.#open?.server;
    return `127.0.0.1:${String(server?.port ?? 0)}`;
  }

  /** A tool executable named `name`, if the folder is made (else it is made with the folder). */
  link(name: string): void {
    if (this.#open !== undefined) this.#link(name);
  }

  #link(name: string): void {
    if (this.#open === undefined || this.#open.names.has(name)) return;
    linkSync(join(this.bin, '.tool'), join(this.bin, name));
    this.#open.names.add(name);
  }

  /** Ends the socket and every connection, and removes both folders. */
  async close(): Promise<void> {
    this.#closed = true;
    const open = this.#open;
    if (open !== undefined) await (await open.server.catch(() => undefined))?.close();
    // The common case, a unit whose runs left nothing in its charm folder, costs one rmdir;
    // anything else, a recursive removal.
    if (this.#charmMade) {
      try {
        rmdirSync(this.charm);
      } catch {
        await rm(this.charm, { recursive: true, force: true });
      }
    }
    if (this.#rootMade) await rm(this.root, { recursive: true, force: true });
  }
}
