// Options tables: a misspelt or mistyped option is refused in one set of words, and a getter
// or proxy trap that throws is refused in the same words, never let out raw.
import { expect } from 'chai';

import { BOOLEAN, checkOptions, isPlainObject, rule } from '../lib/options.js';

class Port {
  readonly number = 8080;
}

describe('options', () => {
  it('tells plain objects from everything else', () => {
    expect([{}, Object.create(null)].map(isPlainObject)).to.deep.equal([true, true]);
    expect([[], new Date(), new Port(), null, 'x', () => 1].map(isPlainObject)).to.deep.equal([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses options that are not a plain object, or that hold an unknown key', () => {
    const table = { a: rule<number>('a number', (v) => typeof v === 'number'), b: BOOLEAN };
    expect(checkOptions({ a: 1 }, 'the options', table)).to.deep.equal({ a: 1 });
    expect(() => checkOptions([], 'the options', table)).to.throw(
      TypeError,
      'the options must be a plain object such as { a, b }, got an array',
    );
    expect(() => checkOptions({ c: 1 }, 'the options', table)).to.throw(
      TypeError,
      'the options has an unknown option "c": expected a, b',
    );
    expect(() => checkOptions({ b: 'yes' }, 'the options', table)).to.throw(
      TypeError,
      'the options option b must be true or false, got a string ("yes")',
    );
  });

  it('refuses, in the same words, options whose getter or proxy trap throws', () => {
    const table = { a: BOOLEAN };
    const getter = {
      get a(): boolean {
        throw new Error('getter');
      },
    };
    expect(() => checkOptions(getter, 'the options', table)).to.throw(
      TypeError,
      'the options option a could not be read (getter): it must be true or false',
    );
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => checkOptions(trap, 'the options', table)).to.throw(
      TypeError,
      'the options could not be read (trap): pass a plain object',
    );
  });
});
