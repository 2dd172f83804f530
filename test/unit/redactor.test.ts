import { createHash, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_REDACTED_LENGTH, Redactor } from '../../src/main/redact/redactor';

function fp(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

function tag(value: string): string {
  return `[redacted fp:${fp(value)}]`;
}

/** A redactor over `fp` that counts how often it asked for a fingerprint. */
function counting(): { redactor: Redactor; calls: string[] } {
  const calls: string[] = [];
  const redactor = new Redactor((value) => {
    calls.push(value);
    return fp(value);
  });
  return { redactor, calls };
}

const SECRET = 'Zr4$Wm7^Lp2&Xn9*';

describe('Redactor', () => {
  it('replaces the raw value with its fingerprint', () => {
    const redactor = new Redactor(fp).add(SECRET);
    expect(redactor.redact(`password=${SECRET}\n`)).toBe(`password=${tag(SECRET)}\n`);
    expect(redactor.redact(SECRET)).toBe(tag(SECRET));
  });

  it('fingerprints a value only when it first appears, and only once', () => {
    const { redactor, calls } = counting();
    redactor.add(SECRET);
    expect(calls).toEqual([]);
    redactor.redact(`${SECRET} ${SECRET}`);
    redactor.redact(SECRET);
    expect(calls).toEqual([SECRET]);
  });

  it('replaces every occurrence', () => {
    const redactor = new Redactor(fp).add(SECRET);
    const text = `${SECRET}${SECRET} and ${SECRET}, then ${SECRET}`;
    const expected = `${tag(SECRET)}${tag(SECRET)} and ${tag(SECRET)}, then ${tag(SECRET)}`;
    expect(redactor.redact(text)).toBe(expected);
  });

  it('replaces the value in base64, with and without padding', () => {
    const value = 'hunter2-but-longer'; // 18 bytes: no padding; +1 byte below gives padding
    const padded = `${value}!`;
    const redactor = new Redactor(fp).add(value).add(padded);
    const base64 = Buffer.from(padded).toString('base64');
    expect(base64).toMatch(/=$/);
    const unpadded = base64.replace(/=+$/, '');
    expect(redactor.redact(`Authorization: Basic ${base64}`)).toBe(
      `Authorization: Basic ${tag(padded)}`,
    );
    expect(redactor.redact(`jwt.${unpadded}.sig`)).toBe(`jwt.${tag(padded)}.sig`);
    const exact = Buffer.from(value).toString('base64');
    expect(exact).not.toMatch(/=/);
    expect(redactor.redact(`b64: ${exact}`)).toBe(`b64: ${tag(value)}`);
  });

  it('replaces the value in base64url', () => {
    // Bytes 0xfb 0xff encode to "+/" in base64 and "-_" in base64url.
    const value = 'key\u00fb\u00ff\u00fe?>>~~~';
    const base64 = Buffer.from(value).toString('base64');
    const base64url = Buffer.from(value).toString('base64url');
    expect(base64).toMatch(/[+/]/);
    expect(base64url).not.toBe(base64.replace(/=+$/, ''));
    const redactor = new Redactor(fp).add(value);
    expect(redactor.redact(`state=${base64url}&x=1`)).toBe(`state=${tag(value)}&x=1`);
    expect(redactor.redact(`body ${base64} end`)).toBe(`body ${tag(value)} end`);
  });

  it('replaces the URL-encoded value', () => {
    const value = 'p@ss w/rd&x=1?#';
    const encoded = encodeURIComponent(value);
    expect(encoded).toBe('p%40ss%20w%2Frd%26x%3D1%3F%23');
    const redactor = new Redactor(fp).add(value);
    expect(redactor.redact(`postgres://app:${encoded}@db:5432/app`)).toBe(
      `postgres://app:${tag(value)}@db:5432/app`,
    );
  });

  it('replaces the JSON-escaped value and keeps the JSON valid', () => {
    const value = 'line one\n"quoted"\ttab \\ backslash';
    const redactor = new Redactor(fp).add(value);
    const json = JSON.stringify({ secret: value, other: 'kept' });
    expect(json).not.toContain(value);
    const redacted = redactor.redact(json);
    expect(redacted).toBe(JSON.stringify({ secret: tag(value), other: 'kept' }));
    expect(JSON.parse(redacted)).toEqual({ secret: tag(value), other: 'kept' });
  });

  it('replaces several different values in one text', () => {
    const a = randomBytes(24).toString('base64');
    const b = randomBytes(16).toString('hex');
    const redactor = new Redactor(fp).add(a).add(b);
    expect(redactor.redact(`A=${a}\nB=${b}\nA again: ${a}`)).toBe(
      `A=${tag(a)}\nB=${tag(b)}\nA again: ${tag(a)}`,
    );
  });

  it('lets the longest value win where one value starts another', () => {
    const short = 'abcdefgh';
    const long = 'abcdefghijkl';
    for (const redactor of [
      new Redactor(fp).add(short).add(long),
      new Redactor(fp).add(long).add(short),
    ]) {
      expect(redactor.redact(`[${long}]`)).toBe(`[${tag(long)}]`);
      expect(redactor.redact(`[${short}XY]`)).toBe(`[${tag(short)}XY]`);
      expect(redactor.redact(`${short}${long}`)).toBe(`${tag(short)}${tag(long)}`);
    }
  });

  it('does not split a value around another value inside it', () => {
    const outer = 'ABCDEFGHIJKLMNOP';
    const inner = 'EFGHIJ';
    const redactor = new Redactor(fp).add(inner).add(outer);
    expect(redactor.redact(`<${outer}>`)).toBe(`<${tag(outer)}>`);
    expect(redactor.redact(`<${inner}>`)).toBe(`<${tag(inner)}>`);
  });

  it('leaves no fragment of two values that overlap', () => {
    const first = 'xxABCDEF12';
    const second = 'ABCDEF12yyzz';
    for (const redactor of [
      new Redactor(fp).add(first).add(second),
      new Redactor(fp).add(second).add(first),
    ]) {
      const redacted = redactor.redact(`(xxABCDEF12yyzz)`);
      expect(redacted).toBe(`(${tag(first)}${tag(second)})`);
      expect(redacted).not.toContain('yyzz');
    }
  });

  it('follows a chain of overlapping values to its end', () => {
    const values = ['aaaa1111', '1111bbbb', 'bbbbcccc', 'cccc2222'];
    const redactor = new Redactor(fp);
    for (const value of values) redactor.add(value);
    expect(redactor.redact('-aaaa1111bbbbcccc2222-')).toBe(`-${values.map(tag).join('')}-`);
  });

  it('merges overlapping occurrences of one value into one replacement', () => {
    const redactor = new Redactor(fp).add('abcabc');
    expect(redactor.redact('_abcabcabc_')).toBe(`_${tag('abcabc')}_`);
  });

  it(`ignores values shorter than ${MIN_REDACTED_LENGTH} characters`, () => {
    expect(MIN_REDACTED_LENGTH).toBe(4);
    const { redactor, calls } = counting();
    redactor.add('').add('a').add('ab').add('abc');
    expect(redactor.size).toBe(0);
    expect(calls).toEqual([]);
    expect(redactor.redact('a ab abc abcd')).toBe('a ab abc abcd');
    redactor.add('abcd');
    expect(redactor.size).toBe(1);
    expect(redactor.redact('a ab abc abcd')).toBe(`a ab abc ${tag('abcd')}`);
  });

  it('returns text without any value unchanged', () => {
    const redactor = new Redactor(fp).add(SECRET).add(randomBytes(32).toString('hex'));
    for (const text of [
      '',
      'abc',
      'nothing secret in here',
      'Zr4$Wm7^Lp2&Xn9', // the secret minus its last character
      'r4$Wm7^Lp2&Xn9*', // minus its first
      '\u{1F511} unicode text \u00e9',
    ]) {
      expect(redactor.redact(text)).toBe(text);
    }
    expect(new Redactor(fp).redact(`empty redactor ${SECRET}`)).toBe(`empty redactor ${SECRET}`);
  });

  it('treats regular-expression metacharacters literally', () => {
    const value = '.*+?^${}()|[]\\/';
    const redactor = new Redactor(fp).add(value);
    expect(redactor.redact(`x ${value} y`)).toBe(`x ${tag(value)} y`);
    expect(redactor.redact('anything at all')).toBe('anything at all');
    expect(redactor.redact('.*+?^$')).toBe('.*+?^$');
    expect(redactor.redact('$&$1$$')).toBe('$&$1$$');
    const dollar = new Redactor(() => '$&$1').add('dollar-value');
    expect(dollar.redact('a dollar-value b')).toBe('a [redacted fp:$&$1] b');
  });

  it('redacts unicode values raw, in base64 and URL-encoded', () => {
    const value = 'p\u00e4ssw\u00f6rd-\u65e5\u672c\u8a9e-\u{1F511}\u{1F511}';
    const redactor = new Redactor(fp).add(value);
    expect(redactor.redact(`raw ${value}.`)).toBe(`raw ${tag(value)}.`);
    expect(redactor.redact(`b64 ${Buffer.from(value).toString('base64')}.`)).toBe(
      `b64 ${tag(value)}.`,
    );
    expect(redactor.redact(`url ${encodeURIComponent(value)}.`)).toBe(`url ${tag(value)}.`);
    // Two emoji are four UTF-16 units: long enough.
    const emoji = '\u{1F511}\u{1F512}';
    expect(new Redactor(fp).add(emoji).redact(`<${emoji}>`)).toBe(`<${tag(emoji)}>`);
  });

  it('accepts a value with a lone surrogate and still redacts it raw', () => {
    const value = 'abc\ud800def';
    const redactor = new Redactor(fp).add(value);
    expect(redactor.size).toBe(1);
    expect(redactor.redact(`[${value}]`)).toBe(`[${tag(value)}]`);
  });

  it('registers the same value once', () => {
    const { redactor, calls } = counting();
    expect(redactor.add(SECRET).add(SECRET)).toBe(redactor);
    expect(redactor.size).toBe(1);
    expect(redactor.redact(`${SECRET}`)).toBe(tag(SECRET));
    expect(calls).toEqual([SECRET]);
  });

  it('counts values, not their encodings', () => {
    const redactor = new Redactor(fp).add('p@ss w/rd value').add(SECRET).add('third value');
    expect(redactor.size).toBe(3);
  });

  it('redacts 100 of 5,000 known values in 200 KB of text and changes nothing else', () => {
    const values = new Set<string>();
    while (values.size < 5000) values.add(randomBytes(18).toString('base64url'));
    const known = [...values];
    const redactor = new Redactor(fp);
    for (const value of known) redactor.add(value);
    expect(redactor.size).toBe(5000);

    const chosen = Array.from({ length: 100 }, (_, i) => known[i * 50] as string);
    const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'log', 'step', 'ok', 'restart'];
    const filler = (length: number): string => {
      let text = '';
      while (text.length < length) text += `${words[randomInt(words.length)]} `;
      return text;
    };
    const parts: string[] = [];
    for (const [i, value] of chosen.entries()) {
      parts.push(filler(2000));
      // Every fifth one travels in base64, as in an Authorization header.
      parts.push(i % 5 === 0 ? Buffer.from(value).toString('base64') : value);
      parts.push(i % 3 === 0 ? '\n' : ' ');
    }
    parts.push(filler(2000));
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(200_000);

    let reference = text;
    for (const [i, value] of chosen.entries()) {
      const form = i % 5 === 0 ? Buffer.from(value).toString('base64') : value;
      expect(reference).toContain(form);
      reference = reference.split(form).join(tag(value));
    }

    const redacted = redactor.redact(text);
    expect(redacted).toBe(reference);
    for (const value of known) expect(redacted.includes(value)).toBe(false);
  });
});
