// How bad input is named in error messages: what a charm author reads first when something is
// wrong, so it must be exact and must never itself throw.
import { expect } from 'chai';

import { BOOLEAN, checkOptions, describeValue, isPlainObject, messageOf, rule } from '../lib/input.js';

class Port {
  readonly number = 8080;
}

describe('describing bad input', () => {
  const cases: [string, unknown, string][] = [
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a short string', 'blocked', 'a string ("blocked")'],
    ['a long string, cut', 'x'.repeat(50), `a string ("${'x'.repeat(40)}…")`],
    ['a number', 8080, 'a number (8080)'],
    ['NaN', NaN, 'a number (NaN)'],
    ['a bigint', 7n, 'a bigint (7n)'],
    ['a boolean', true, 'a boolean (true)'],
    ['a symbol', Symbol('why'), 'a symbol (why)'],
    ['a symbol without description', Symbol(), 'a symbol ()'],
    ['a function', () => 1, 'a function'],
    ['an array', [1], 'an array'],
    ['a Date', new Date(0), 'a Date'],
    ['a plain object', { a: 1 }, 'a plain object'],
    ['an object without prototype', Object.create(null), 'a plain object'],
    ['a class instance', new Port(), 'a Port instance'],
    [
      'an instance of an anonymous class',
      new (class {
        readonly anonymous = true;
      })(),
      'an object',
    ],
  ];
  for (const [label, value, described] of cases) {
    it(`names ${label} as "${described}"`, () => {
      expect(describeValue(value)).to.equal(described);
    });
  }

  it('names a proxy whose traps throw, without throwing', () => {
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(describeValue(proxy)).to.equal('an object');
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(revoked)).to.equal('an object');
  });

  it('takes the message of anything thrown', () => {
    expect(messageOf(new RangeError('out of range'))).to.equal('out of range');
    expect(messageOf('plain text')).to.equal('plain text');
    expect(messageOf(42)).to.equal('42');
    expect(messageOf(Object.create(null))).to.equal('a plain object');
  });

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
