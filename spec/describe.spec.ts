// How bad input is named in error messages: what a charm author reads first when something is
// wrong, so it must be exact and must never itself throw.
import { expect } from 'chai';

import { describeValue, messageOf } from '../lib/describe.js';

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
});
