import { EventEmitter } from 'eventemitter3';
import { BlockedStatus, StatusBus, MemoryUnit } from '../lib/index.js';
const N = 5_000_000;
const s = new BlockedStatus('x');
function time(name: string, fn: () => void) {
  for (let r = 0; r < 3; r++) { const t = process.hrtime.bigint(); fn(); const ns = Number(process.hrtime.bigint() - t) / N; if (r==2) console.log(name, ns.toFixed(2), 'ns/op'); }
}
const ee = new EventEmitter(); let first: unknown; ee.on('x', (v: unknown) => { if (first === undefined) first = v; });
time('emit', () => { for (let i = 0; i < N; i++) ee.emit('x', s); });
const bus = new StatusBus(); const unit = { setStatus() {} };
const ctx = bus.open(unit);
time('add open()', () => { for (let i = 0; i < N; i++) bus.add(s); });
await ctx.close();
await bus.context(unit, () => { time('add context()', () => { for (let i = 0; i < N; i++) bus.add(s); }); });
