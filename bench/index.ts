// `npm run bench`: what charms-contextual-status costs on the hot path, measured side by side
// with a bare eventemitter3 emit in one process, several interleaved rounds per figure. It
// reports ratios wherever a ratio exists (these machines are shared and noisy) and never fails
// on time: the targets are shown beside the figures, not asserted.
//
// It measures the built package (`dist/`, as users run it). `--quick` runs every case once at
// small sizes, so CI can keep the benchmark from rotting.
import { EventEmitter } from 'eventemitter3';

import {
  ActiveStatus,
  BlockedStatus,
  HookToolUnit,
  MaintenanceStatus,
  StatusBus,
  type StatusBase,
  type Unit,
} from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : 9;
const size = quick ? 10_000 : 2_000_000;
const contextSize = quick ? 1_000 : 100_000;
const heapAdds = quick ? 10_000 : 1_000_000;

interface Figure {
  name: string;
  unit: string;
  samples: number[];
  target?: string;
  ratioTo?: string;
  limit?: number;
}

const figures = new Map<string, Figure>();
function record(name: string, unit: string, value: number, extra: Partial<Figure> = {}): void {
  const figure = figures.get(name) ?? { name, unit, samples: [], ...extra };
  figure.samples.push(value);
  figures.set(name, figure);
}

const blocked = new BlockedStatus('Add a database');
const maintenance = new MaintenanceStatus('Installing');
const quiet = new StatusBus();
quiet.on('warning', () => undefined);

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

// 1. The limit: a bare eventemitter3 emit to one listener that keeps the first value.
const emitter = new EventEmitter<{ blocked: (status: BlockedStatus) => void }>();
let kept: BlockedStatus | undefined;
emitter.on('blocked', (status) => {
  kept ??= status;
});
const bareEmit = (n: number): void => {
  for (let i = 0; i < n; i += 1) emitter.emit('blocked', blocked);
};

async function round(): Promise<void> {
  const limit = nsPerOp(size, bareEmit);
  record('emit', 'ns/op', limit);

  // 2. add(blocked) inside an open context: one from open() (bus-wide, as in Python), and one
  //    from a context() body, which also looks up the caller's async scope.
  const bus = new StatusBus();
  const loopAdd =
    (target: StatusBus, status: StatusBase) =>
    (n: number): void => {
      for (let i = 0; i < n; i += 1) target.add(status);
    };
  const opened = bus.open(lastOnly());
  record('add(blocked), open() context', '× emit', nsPerOp(size, loopAdd(bus, blocked)) / limit, {
    target: '≤ 2.0×',
    limit: 2,
  });
  await opened.close();
  await bus.context(lastOnly(), () => {
    record('add(blocked), context() body', '× emit', nsPerOp(size, loopAdd(bus, blocked)) / limit, {
      target: '≤ 2.0×',
      limit: 2,
    });
  });

  // 3. The same with one logging listener on the bus. It does as little as the limit's
  //    listener does, so that the ratio shows what the bus costs.
  const logged = new StatusBus();
  let lines = 0;
  logged.on('blocked', () => {
    lines += 1;
  });
  const loggedOpen = logged.open(lastOnly());
  record('+ 1 listener, open() context', '× emit', nsPerOp(size, loopAdd(logged, blocked)) / limit, {
    target: '≤ 3.0×',
    limit: 3,
  });
  await loggedOpen.close();
  await logged.context(lastOnly(), () => {
    record('+ 1 listener, context() body', '× emit', nsPerOp(size, loopAdd(logged, blocked)) / limit, {
      target: '≤ 3.0×',
      limit: 3,
    });
  });
  if (lines === 0) throw new Error('the logging listener never ran');

  // 4. add(maintenance) written through to a synchronous unit.
  const unit = lastOnly();
  await bus.context(unit, () => {
    record('add(maintenance) → sync unit', '× emit', nsPerOp(size, loopAdd(bus, maintenance)) / limit, {
      target: '≤ 4.0×',
      limit: 4,
    });
  });
  if (unit.last !== new ActiveStatus('Ready') && unit.last?.name !== 'active')
    throw new Error('the context did not close');

  // 5. A whole context(unit, body) with one add: open, run, close.
  const whole = lastOnly();
  const start = process.hrtime.bigint();
  for (let i = 0; i < contextSize; i += 1) {
    await quiet.context(whole, () => {
      quiet.add(blocked);
    });
  }
  record(
    'context(unit, body) with one add',
    'µs',
    Number(process.hrtime.bigint() - start) / contextSize / 1000,
    {
      target: '≤ 1.5 µs',
      limit: 1.5,
    },
  );
}

/** Heap retained by one open context after many blocked adds: it keeps the first only. */
async function retained(): Promise<number | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const bus = new StatusBus();
  const unit = lastOnly();
  gc();
  const before = process.memoryUsage().heapUsed;
  let after = before;
  await bus.context(unit, () => {
    for (let i = 0; i < heapAdds; i += 1) bus.add(new BlockedStatus('Add a database'));
    gc();
    after = process.memoryUsage().heapUsed;
  });
  return (after - before) / 1024; // may come out below zero: the collector freed more than the context kept
}

/** status-set calls and wall time for a burst of progress updates through the real tools. */
async function burst(): Promise<{ calls: number; seconds: number }> {
  const simulator = await HookToolsSimulator.create();
  try {
    await simulator.setDelay(100);
    const bus = new StatusBus();
    const unit = new HookToolUnit({ env: simulator.env });
    const start = process.hrtime.bigint();
    await bus.context(
      unit,
      () => {
        for (let i = 1; i <= 100; i += 1) bus.add(new MaintenanceStatus(`Step ${String(i)} of 100`));
      },
      { exitStatus: new ActiveStatus('Done') },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { calls: (await simulator.calls('status-set')).length, seconds };
  } finally {
    await simulator.cleanup();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const fmt = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

for (let r = 0; r < rounds; r += 1) await round();
const heap = await retained();
if (heap !== undefined)
  record('heap retained, 1M blocked adds', 'KiB', heap, { target: '< 1024 KiB', limit: 1024 });
const { calls, seconds } = await burst();
record('status-set calls, 100 updates + final', 'calls', calls, { target: '≤ 3', limit: 3 });
record('wall time, 100 updates + final', 's', seconds, { target: '< 0.5 s', limit: 0.5 });

const python: Record<string, string> = {
  'add(blocked), open() context': 'Python: 239 ns',
  'add(maintenance) → sync unit': 'Python: 2.4 µs',
  'context(unit, body) with one add': 'Python: 7.2 µs',
  'heap retained, 1M blocked adds': 'Python: 88 MB',
  'status-set calls, 100 updates + final': 'Python: 101',
};

const rows = [...figures.values()].map((f) => {
  const med = median(f.samples);
  const strict = f.name.startsWith('heap') || f.name.startsWith('wall');
  const met = f.limit === undefined || quick ? '' : (strict ? med < f.limit : med <= f.limit) ? 'yes' : 'NO';
  return [
    f.name,
    `${fmt(med)} ${f.unit}`,
    fmt(Math.min(...f.samples)),
    fmt(Math.max(...f.samples)),
    f.target ?? '',
    met,
    python[f.name] ?? '',
  ];
});
const header = ['figure', 'median', 'min', 'max', 'target', 'met', 'for comparison'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]): string =>
  r
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
console.log(
  `charms-contextual-status benchmark (${quick ? 'quick: one cold round at small sizes, so the figures mean nothing; it only proves the benchmark runs' : `${String(rounds)} interleaved rounds`}; Node ${process.version})\n`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
console.log(
  JSON.stringify({
    benchmark: 'charms-contextual-status',
    quick,
    node: process.version,
    figures: Object.fromEntries(
      [...figures.values()].map((f) => [
        f.name,
        { unit: f.unit, median: median(f.samples), samples: f.samples, target: f.target ?? null },
      ]),
    ),
  }),
);
if (heap === undefined) console.log('(heap figure skipped: run with node --expose-gc)');
if (kept === undefined) throw new Error("the limit's listener never ran");
