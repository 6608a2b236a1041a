// The limit the hot path is measured against: a bare eventemitter3 emit to one listener, on an
// emitter nothing else has used.
//
// The library's own buses emit through eventemitter3's `emit`; once V8 has seen several kinds
// of receiver there, it compiles that function for all of them (polymorphic, about twice as
// slow), and a limit measured through it would halve every ratio. So the limit runs on a copy of
// eventemitter3 compiled afresh from its own source: the same code, with feedback of its own.
// It is measured in the benchmark's process, right before and after each round of the library's
// figures, so that a ratio divides two figures taken under the same load. Run as a script, it
// prints the limit measured in a process of its own, as a cross-check of the in-process one,
// and what Node's AsyncLocalStorage getStore() costs there.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';

import type { EventEmitter } from 'eventemitter3';

interface Emitter {
  on(event: 'blocked', fn: (status: object) => void): unknown;
  emit(event: 'blocked', status: object): boolean;
}

/** A fresh copy of eventemitter3's EventEmitter, with one listener on `blocked`. */
function freshEmitter(): Emitter {
  const file = createRequire(import.meta.url).resolve('eventemitter3'); // its CommonJS source
  const module: { exports: unknown } = { exports: {} };
  const load = runInThisContext(`(function (module, exports) {${readFileSync(file, 'utf8')}\n})`, {
    filename: `${file} (a fresh copy)`,
  }) as (module: { exports: unknown }, exports: unknown) => void;
  load(module, module.exports);
  const Fresh = module.exports as typeof EventEmitter;
  return new Fresh();
}

const blocked = Object.freeze({ name: 'blocked', message: 'Add a database' });
let emitter: Emitter | undefined;
let heard: object | undefined;

/** Median ns per emit of `rounds` rounds of `size` emits, on the one fresh emitter. */
export function bareEmit(size: number, rounds = 3): number {
  if (emitter === undefined) {
    emitter = freshEmitter();
    emitter.on('blocked', (status) => {
      heard ??= status;
    });
  }
  const samples: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < size; i += 1) emitter.emit('blocked', blocked);
    samples.push(Number(process.hrtime.bigint() - start) / size);
  }
  if (heard === undefined) throw new Error("the limit's listener never ran");
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}

/** ns per `getStore()` inside `run()`: what finding the caller's scope costs on this Node line. */
function getStoreNs(size: number, rounds: number): number {
  const storage = new AsyncLocalStorage<object>();
  const samples: number[] = [];
  let found = 0;
  storage.run({}, () => {
    for (let r = 0; r < rounds; r += 1) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < size; i += 1) if (storage.getStore() !== undefined) found += 1;
      samples.push(Number(process.hrtime.bigint() - start) / size);
    }
  });
  if (found !== size * rounds) throw new Error('getStore() found no store');
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}

// Run as a script: the limit, and what getStore() costs, in a process of their own (another
// AsyncLocalStorage in the benchmark's process would slow every promise and getStore() there).
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [size = 2_000_000, rounds = 9] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify({ emit: bareEmit(size, rounds), getStore: getStoreNs(size, rounds) }));
}
