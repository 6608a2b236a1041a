// The hot path, side by side with a bare eventemitter3 emit in one process: what an add(),
// a write-through and a whole context cost, what one context keeps, and how opening and
// closing scale with the number of contexts open.
import { execFileSync } from 'node:child_process';

import {
  BlockedStatus,
  MaintenanceStatus,
  StatusBus,
  type StatusBase,
  type Unit,
} from 'charms-contextual-status';

import { bareEmit } from './baseline.js';
import { record } from './figures.js';

const SECTION = 'the hot path (ratios to a bare eventemitter3 emit to one listener)';
const blocked = new BlockedStatus('Add a database');
const maintenance = new MaintenanceStatus('Installing');

/** ns per iteration of `loop(n)`. */
function nsPerOp(n: number, loop: (n: number) => void): number {
  const start = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - start) / n;
}

/** A synchronous unit that keeps only its last status: writes cost what the library costs. */
function lastOnly(): Unit & { last: StatusBase | undefined } {
  return {
    last: undefined,
    setStatus(status) {
      this.last = status;
    },
  };
}

const loopAdd =
  (target: StatusBus, status: StatusBase) =>
  (n: number): void => {
    for (let i = 0; i < n; i += 1) target.add(status);
  };

/**
 * The limit in a process of its own, a cross-check of the one measured beside each round, and
 * beside it what Node's AsyncLocalStorage `getStore()` costs: every add() pays it to find the
 * caller's context() body, and no code of ours can make it cheaper.
 */
export function limitAlone(size: number): void {
  const script = new URL('./baseline.ts', import.meta.url).pathname;
  const alone = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', script, String(size), '9'], { encoding: 'utf8' }),
  ) as { emit: number; getStore: number };
  record(SECTION, 'bare eventemitter3 emit, own process (cross-check)', 'ns', alone.emit);
  record(SECTION, "Node's AsyncLocalStorage getStore(), own process", '×', alone.getStore / alone.emit, {
    compare: 'part of every add() in a context() body',
  });
}

/**
 * One round of every micro figure, `size` operations each, as ratios to the limit (bench/baseline.ts)
 * measured right before and right after them, so that each ratio divides figures taken under the
 * same load.
 */
export async function round(size: number, contexts: number): Promise<void> {
  const before = bareEmit(size);
  const ns = { open: 0, body: 0, listener: 0, maintenance: 0 };

  const bus = new StatusBus();
  const opened = bus.open(lastOnly());
  ns.open = nsPerOp(size, loopAdd(bus, blocked));
  await opened.close();
  await bus.context(lastOnly(), () => {
    ns.body = nsPerOp(size, loopAdd(bus, blocked));
  });

  const logged = new StatusBus();
  let lines = 0;
  logged.on('blocked', () => {
    lines += 1;
  });
  await logged.context(lastOnly(), () => {
    ns.listener = nsPerOp(size, loopAdd(logged, blocked));
  });
  if (lines === 0) throw new Error('the logging listener never ran');

  const unit = lastOnly();
  await bus.context(unit, () => {
    ns.maintenance = nsPerOp(size, loopAdd(bus, maintenance));
  });
  if (unit.last?.name !== 'active') throw new Error('the context did not close');

  const quiet = new StatusBus();
  quiet.on('warning', () => undefined);
  const whole = lastOnly();
  const start = process.hrtime.bigint();
  for (let i = 0; i < contexts; i += 1) {
    await quiet.context(whole, () => {
      quiet.add(blocked);
    });
  }
  const wholeUs = Number(process.hrtime.bigint() - start) / contexts / 1000;

  const emit = (before + bareEmit(size)) / 2;
  const ratio = (name: string, value: number, extra: Parameters<typeof record>[4] = {}): void => {
    record(SECTION, name, '×', value / emit, extra);
  };
  record(SECTION, 'bare eventemitter3 emit (the limit, beside each round)', 'ns', emit);
  ratio('add(blocked), open() context', ns.open, { target: '≤ 2.5×', limit: 2.5, compare: 'Python: 239 ns' });
  ratio('add(blocked), context() body', ns.body, { target: '≤ 2.5×', limit: 2.5 });
  // No floor: the listener's own call, and the guard that isolates it, come on top.
  ratio('+ 1 listener, context() body', ns.listener);
  ratio('add(maintenance) → sync unit', ns.maintenance, {
    target: '≤ 5.0×',
    limit: 5,
    compare: 'Python: 2.4 µs',
  });
  record(SECTION, 'context(unit, body) with one add', 'µs', wholeUs, {
    target: '≤ 1 µs',
    limit: 1,
    compare: 'Python: 7.2 µs',
  });
}

/** µs per context to open `count` contexts with open() and close them all. */
async function openClose(count: number): Promise<number> {
  const bus = new StatusBus();
  bus.on('warning', () => undefined); // each open() after the first warns: already in a context
  const unit = lastOnly();
  const start = process.hrtime.bigint();
  const contexts = Array.from({ length: count }, () => bus.open(unit));
  await Promise.all(contexts.map((c) => c.close()));
  return Number(process.hrtime.bigint() - start) / count / 1000;
}

/**
 * Opening and closing N contexts: time per context at the large size over the small one, in
 * interleaved pairs (one sample of each was at the mercy of the collector's debt from the
 * sections before: 2.2-2.5x in a full run where this alone gave 1.0-1.6x), each size after a
 * full collection.
 */
export async function scaling(small: number, large: number, pairs = 5): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  await openClose(small); // warm
  for (let i = 0; i < pairs; i += 1) {
    gc();
    const big = await openClose(large);
    gc();
    const ratio = big / (await openClose(small));
    record(
      SECTION,
      `open()+close() per context, ${String(large / 1000)}k over ${String(small / 1000)}k open`,
      '×',
      ratio,
      {
        target: '≤ 2×',
        limit: 2,
      },
    );
  }
}

/** Heap kept by one context after `adds` blocked adds of distinct messages: its conditions are bounded. */
export async function retained(adds: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the benchmark with node --expose-gc');
  const bus = new StatusBus();
  gc();
  const before = process.memoryUsage().heapUsed;
  let after = before;
  await bus.context(lastOnly(), () => {
    for (let i = 0; i < adds; i += 1) bus.add(new BlockedStatus(`Add database ${String(i)}`));
    gc();
    after = process.memoryUsage().heapUsed;
  });
  // May come out below zero: the collector freed more than the context kept.
  record(
    SECTION,
    `heap kept by a context, ${String(adds / 1e6)}M distinct blocked adds`,
    'KiB',
    (after - before) / 1024,
    {
      target: '< 1024 KiB',
      limit: 1024,
      strict: true,
      compare: 'Python: 88 MB',
    },
  );
}
