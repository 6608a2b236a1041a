// `npm run bench:instructions [-- <node binary>...]`: the hot path counted in machine
// instructions instead of nanoseconds, with valgrind's callgrind.
//
// On a shared machine two runs of `npm run bench` can differ by a third, so a change of a few
// nanoseconds cannot be seen there; an instruction count is the same from run to run, whatever
// else the machine does. Each case runs its loop warm, then once with 1,000,000 more operations:
// the difference in instructions, divided by a million, is what one operation costs. Node runs
// `--single-threaded`, so that its optimizing compiler works on the main thread and the counted
// loop is the optimized code (with a background compiler starved by valgrind, the loop stays in
// the interpreter). Figures are ratios to a bare eventemitter3 emit counted the same way, as
// `npm run bench` reports time; they are for comparing two versions of the code, and take about
// three minutes a Node line. valgrind must be installed (Debian: `apt install valgrind`).
import { execFileSync, spawnSync } from 'node:child_process';

const dist = new URL('../dist/index.js', import.meta.url).href;
const emitter = new URL('../node_modules/eventemitter3/index.mjs', import.meta.url).href;
const MORE = 1_000_000;

/** A case adding a status of `kind` in a `context()` body on a synchronous unit, after `setup`. */
function inBody(kind: 'BlockedStatus' | 'MaintenanceStatus', setup = ''): string {
  return `
    const { StatusBus, ${kind} } = await import(${JSON.stringify(dist)});
    const bus = new StatusBus();
    ${setup}
    const status = new ${kind}('Add a database');
    await bus.context({ setStatus() {} }, () => run(() => bus.add(status)));`;
}

/** Each case: module code that hands `run()` one operation, looped when warm and then counted. */
const CASES: Record<string, string> = {
  'bare eventemitter3 emit (the limit)': `
    const { EventEmitter } = await import(${JSON.stringify(emitter)});
    const status = Object.freeze({ name: 'blocked', message: 'Add a database' });
    const emitter = new EventEmitter();
    let kept;
    emitter.on('blocked', (s) => { kept ??= s; });
    const op = () => emitter.emit('blocked', status);
    await run(op);`,
  'add(blocked), context() body': inBody('BlockedStatus'),
  'add(blocked), open() context': `
    const { StatusBus, BlockedStatus } = await import(${JSON.stringify(dist)});
    const bus = new StatusBus();
    const status = new BlockedStatus('Add a database');
    const opened = bus.open({ setStatus() {} });
    await run(() => bus.add(status));
    await opened.close();`,
  '+ 1 listener, context() body': inBody('BlockedStatus', "bus.on('blocked', () => undefined);"),
  'add(maintenance) → sync unit': inBody('MaintenanceStatus'),
  "Node's AsyncLocalStorage getStore()": `
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const storage = new AsyncLocalStorage();
    let found = 0;
    await storage.run({}, () => run(() => { if (storage.getStore() !== undefined) found += 1; }));`,
};

/** The script of one case: warm loops, then `n` more operations. */
function script(body: string, n: number): string {
  return `
    function run(op) {
      const loop = (count) => { for (let i = 0; i < count; i += 1) op(); };
      for (let r = 0; r < 20; r += 1) loop(50_000);
      loop(${String(n)});
    }
    ${body}`;
}

/** Instructions callgrind counted for the whole process. */
function counted(node: string, code: string): number {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      '--smc-check=all-non-file',
      node,
      '--single-threaded',
      '--input-type=module',
      '-e',
      code,
    ],
    { encoding: 'utf8' },
  );
  const total = /Collected : (\d+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 || total === undefined) {
    throw new Error(`callgrind failed (exit ${String(run.status)}):\n${run.stderr.slice(-2000)}`);
  }
  return Number(total);
}

if (spawnSync('valgrind', ['--version']).error !== undefined) {
  console.error('bench:instructions needs valgrind on PATH (Debian: apt install valgrind)');
  process.exit(1);
}
const nodes = process.argv.slice(2);
for (const node of nodes.length > 0 ? nodes : [process.execPath]) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\nNode ${version}: instructions per operation (ratio to the limit)`);
  let limit: number | undefined;
  for (const [name, body] of Object.entries(CASES)) {
    const per = (counted(node, script(body, MORE)) - counted(node, script(body, 0))) / MORE;
    limit ??= per;
    console.log(`  ${name.padEnd(40)} ${per.toFixed(0).padStart(5)}  ${(per / limit).toFixed(2)}×`);
  }
}
