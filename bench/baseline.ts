// The limit the hot path is measured against: a bare eventemitter3 emit to one listener, in a
// process of its own. Measured beside the library, it would run after the library's buses
// have emitted through the same `EventEmitter.prototype.emit`, which V8 has then compiled for
// several receivers (polymorphic, about twice as slow): every ratio would read half of what it
// is. Prints the median ns per emit of `rounds` rounds of `size` emits.
import { EventEmitter } from 'eventemitter3';

const [size = 2_000_000, rounds = 9] = process.argv.slice(2).map(Number);
const blocked = Object.freeze({ name: 'blocked', message: 'Add a database' });
const emitter = new EventEmitter<{ blocked: (status: typeof blocked) => void }>();
let kept: typeof blocked | undefined;
emitter.on('blocked', (status) => {
  kept ??= status;
});
const samples: number[] = [];
for (let r = 0; r < rounds; r += 1) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < size; i += 1) emitter.emit('blocked', blocked);
  samples.push(Number(process.hrtime.bigint() - start) / size);
}
if (kept === undefined) throw new Error("the limit's listener never ran");
samples.sort((a, b) => a - b);
console.log(String(samples[Math.floor(samples.length / 2)]));
