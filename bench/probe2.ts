import { BlockedStatus, StatusBus } from '../lib/index.js';
const N = 20_000_000;
const s = new BlockedStatus('x');
const bus = new StatusBus(); const unit = { setStatus() {} };
const ctx = bus.open(unit);
const t = process.hrtime.bigint();
for (let i = 0; i < N; i++) bus.add(s);
console.log(Number(process.hrtime.bigint() - t) / N);
await ctx.close();
