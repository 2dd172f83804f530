import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MIN_LENGTH,
  STRONG_FROM_BITS,
  WEAK_BELOW_BITS,
  assessStrength,
  findProblems,
  generatedStrength,
} from '../../src/main/vault/strength';

const PLACEHOLDER = 'placeholder or default value';
const NAME = 'contains the service, deployment or domain name';
const DATE = 'contains a date';
const tooShort = (length: number): string =>
  `too short: ${length} characters (use at least 16, ideally 32)`;
const LOW_ENTROPY = /^low entropy: about \d+ bits \(want 64\+\)$/;

const NO_NAMES = { names: [] };
const SYNCTV = { names: ['synctv-prod', 'synctv'] };

/** A 32-byte base64 key as a user would paste it from `openssl rand -base64 32`. */
const PASTED_BASE64 = '6YVLy11aT4lw0VmcCraxGJAuDYyLB2YP8KaQuWPBOyY=';
/** 32 random bytes in hex that happen to contain `1993` between two letters. */
const HEX_WITH_YEAR = 'cab7b1c2a76d47974eeb81e37e524ef34274cd19f8420868a1cfe1993a8b8c18';
/** 32 random bytes in hex that contain `db` and `dbf1`. */
const HEX_WITH_DB = 'a6f3b6dc7a5648e20080ddf252cc9424c6dbf17f221ed203f4251716387ea3e9';

describe('thresholds', () => {
  it('are the documented ones', () => {
    expect(WEAK_BELOW_BITS).toBe(64);
    expect(STRONG_FROM_BITS).toBe(112);
    expect(MIN_LENGTH).toBe(16);
  });
});

describe('generatedStrength', () => {
  it('rates by the exact entropy of the generator', () => {
    expect(generatedStrength(256)).toEqual({ bits: 256, rating: 'strong', problems: [] });
    expect(generatedStrength(40)).toEqual({ bits: 40, rating: 'weak', problems: [] });
    expect(generatedStrength(0)).toEqual({ bits: 0, rating: 'weak', problems: [] });
  });

  it('puts the boundaries where the thresholds say', () => {
    expect(generatedStrength(63.9).rating).toBe('weak');
    expect(generatedStrength(64).rating).toBe('fair');
    expect(generatedStrength(111.9).rating).toBe('fair');
    expect(generatedStrength(112).rating).toBe('strong');
  });

  it('rounds the bits it reports but rates the exact value', () => {
    // Six EFF words: 77.55 bits.
    expect(generatedStrength(6 * Math.log2(7776))).toEqual({
      bits: 78,
      rating: 'fair',
      problems: [],
    });
    expect(generatedStrength(63.9)).toEqual({ bits: 64, rating: 'weak', problems: [] });
    expect(generatedStrength(32 * Math.log2(62)).rating).toBe('strong');
  });
});

describe('assessStrength: weak values', () => {
  it.each(['changeme', 'secret', 'password', 'synctv', 'foobared', 'devkey'])(
    'rates the sample-config value %j weak as a placeholder',
    async (value) => {
      const strength = await assessStrength(value, NO_NAMES);
      expect(strength.rating).toBe('weak');
      expect(strength.problems).toContain(PLACEHOLDER);
      expect(strength.problems).toContain(tooShort(value.length));
      expect(strength.bits).toBeLessThan(WEAK_BELOW_BITS);
    },
  );

  it.each(['CHANGE-ME', 'P@ssword', 'Change_Me', 'SuperSecret!', 'LetMeIn', 'x-x-x-x'])(
    'recognises the placeholder %j whatever its case and punctuation',
    async (value) => {
      const strength = await assessStrength(value, NO_NAMES);
      expect(strength.rating).toBe('weak');
      expect(strength.problems).toContain(PLACEHOLDER);
    },
  );

  it.each([
    '<your-secret-here>',
    '${JWT_SECRET}',
    '{{ jwt_secret }}',
    '%SYNAPSE_REGISTRATION_SHARED_SECRET%',
    '[insert a long random value here]',
    '  <generate with openssl rand -hex 32>  ',
  ])('rates the template %j weak as a placeholder', async (value) => {
    const strength = await assessStrength(value, NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toContain(PLACEHOLDER);
  });

  it.each([
    'please-changeme-to-a-long-random-string',
    'REPLACE_ME_WITH_A_RANDOM_VALUE_OF_32',
    'this-is-an-example-key-for-the-docs-only',
    'yoursecret-goes-in-this-place-right-here',
  ])('finds a placeholder part inside the longer value %j', async (value) => {
    const strength = await assessStrength(value, NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toContain(PLACEHOLDER);
  });

  it('rates one repeated character weak as a placeholder, without a low-entropy note', async () => {
    const strength = await assessStrength('aaaaaaaaaaaaaaaaaaaaaaaa', NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toEqual([PLACEHOLDER]);
    expect(strength.bits).toBeLessThan(WEAK_BELOW_BITS);
  });

  it('rates short values weak and says how short', async () => {
    for (const value of ['Xk9#mQ2$', 'aB3$xY9!zQ', 'q', 'Zr4$Wm7^Lp2&Xn9']) {
      const strength = await assessStrength(value, NO_NAMES);
      expect(strength.rating, value).toBe('weak');
      expect(strength.problems, value).toContain(tooShort(value.length));
    }
    expect(findProblems('Zr4$Wm7^Lp2&Xn9*', NO_NAMES)).not.toContain(tooShort(16));
  });

  it('rates the empty value weak', async () => {
    const strength = await assessStrength('', NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.bits).toBe(0);
    expect(strength.problems).toContain(tooShort(0));
  });

  it('rates a value built from the deployment name weak', async () => {
    const strength = await assessStrength('synctv-prod-2024-jwt-key!', SYNCTV);
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toContain(NAME);
    expect(strength.problems).toContain(DATE);
    expect(strength.problems.some((problem) => LOW_ENTROPY.test(problem))).toBe(true);
  });

  it('finds the name whatever its case and separators, even in an otherwise random value', async () => {
    const value = 'Kq8!SyncTV_Prod#Zr4$Wm7^Lp2&Xn9*';
    const strength = await assessStrength(value, { names: ['synctv-prod'] });
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toEqual([NAME]);
    expect(findProblems(value, NO_NAMES)).toEqual([]);
  });

  it('ignores names shorter than four characters', () => {
    expect(findProblems(HEX_WITH_DB, { names: ['db', '', 'pg'] })).toEqual([]);
    expect(findProblems(HEX_WITH_DB, { names: ['dbf1'] })).toEqual([NAME]);
  });

  it.each([
    'postgres-2024-03-15',
    'backup-20240115-key',
    'Summer2024-redis-pass',
    'matrix.1987.admin.pw',
    'livekit_2023/11/30_key',
  ])('rates the value with a date %j weak', async (value) => {
    const strength = await assessStrength(value, NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.problems).toContain(DATE);
  });

  it.each([
    'correcthorsebatterystaple',
    'ilovemyserververymuch',
    'Password1234567890!',
    'abcdefghijklmnopqrstuvwxyz012345',
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789',
    'qwertyuiopasdfghjklzxcvbnm',
    'hunter2hunter2hunter2',
    'ababababababababababababababab',
  ])('rates the low-entropy value %j weak', async (value) => {
    const strength = await assessStrength(value, NO_NAMES);
    expect(strength.rating).toBe('weak');
    expect(strength.bits).toBeLessThan(WEAK_BELOW_BITS);
    expect(strength.problems).toHaveLength(1);
    expect(strength.problems[0]).toMatch(LOW_ENTROPY);
    expect(strength.problems[0]).toBe(`low entropy: about ${strength.bits} bits (want 64+)`);
  });

  it('rates a long value that repeats a short unit weak', async () => {
    for (const value of [
      'abcdefgh'.repeat(10),
      'ab'.repeat(40),
      'Kq8!Zr4$'.repeat(12),
      'letmein!'.repeat(9).slice(0, 70),
    ]) {
      expect(value.length).toBeGreaterThan(64);
      const strength = await assessStrength(value, NO_NAMES);
      expect(strength.rating, value).toBe('weak');
      expect(
        strength.problems.some((problem) => LOW_ENTROPY.test(problem)),
        value,
      ).toBe(true);
    }
  });
});

describe('assessStrength: strong values', () => {
  it('rates 32 random bytes in hex, base64 and base64url strong', async () => {
    const failures: string[] = [];
    // zxcvbn takes a few hundred milliseconds per 64-character value, so the sample is small;
    // the date-in-hex case it used to trip on is also pinned down below.
    const encodings = [
      ['hex', 24],
      ['base64', 8],
      ['base64url', 8],
    ] as const;
    for (const [encoding, count] of encodings) {
      for (let i = 0; i < count; i++) {
        const value = randomBytes(32).toString(encoding);
        const strength = await assessStrength(value, SYNCTV);
        if (strength.rating !== 'strong' || strength.problems.length > 0) {
          failures.push(`${value}: ${JSON.stringify(strength)}`);
        }
        expect(strength.bits).toBeGreaterThanOrEqual(STRONG_FROM_BITS);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('rates a 44-character base64 value entered by the user strong', async () => {
    const strength = await assessStrength(PASTED_BASE64, { names: ['synapse', 'matrix on vps1'] });
    expect(strength).toMatchObject({ rating: 'strong', problems: [] });
    expect(strength.bits).toBeGreaterThanOrEqual(STRONG_FROM_BITS);
  });

  it('does not take digits inside a random hex key for a date', async () => {
    // The raw check still sees `1993`; the estimate shows the value is strong regardless.
    expect(findProblems(HEX_WITH_YEAR, NO_NAMES)).toEqual([DATE]);
    const strength = await assessStrength(HEX_WITH_YEAR, NO_NAMES);
    expect(strength).toMatchObject({ rating: 'strong', problems: [] });
  });

  it('rates long random hex strings strong by their character statistics', async () => {
    for (const bytes of [33, 48, 64, 512]) {
      const value = randomBytes(bytes).toString('hex');
      expect(value.length).toBeGreaterThan(64);
      const strength = await assessStrength(value, NO_NAMES);
      expect(strength).toMatchObject({ rating: 'strong', problems: [] });
      // About four bits per hex digit, never more.
      expect(strength.bits).toBeLessThanOrEqual(value.length * 4);
      expect(strength.bits).toBeGreaterThan(value.length * 3.5);
    }
  });

  it('rates a long random value twice over by one copy, still strong', async () => {
    const half = randomBytes(40).toString('base64');
    const strength = await assessStrength(half + half, NO_NAMES);
    expect(strength.rating).toBe('strong');
    expect(strength.bits).toBeLessThan((await assessStrength(half + 'x' + half, NO_NAMES)).bits);
  });

  it('does not look for dates in values longer than 64 characters', async () => {
    const value = `${randomBytes(40).toString('hex')}-2024-01-15`;
    expect(findProblems(value, NO_NAMES)).toEqual([]);
    expect((await assessStrength(value, NO_NAMES)).rating).toBe('strong');
  });
});

describe('assessStrength: fair values', () => {
  it('rates a good value with a date fair and names the date', async () => {
    const strength = await assessStrength('Tr0ub4dor&3-2024-01-15-xQ9!', NO_NAMES);
    expect(strength.rating).toBe('fair');
    expect(strength.problems).toEqual([DATE]);
    expect(strength.bits).toBeGreaterThanOrEqual(WEAK_BELOW_BITS);
  });

  it('rates a value between the thresholds fair without problems', async () => {
    // Twenty random characters: enough to pass, not enough to be strong.
    const strength = await assessStrength('Kq8!Zr4$Wm7^Lp2&Xn9*', NO_NAMES);
    expect(strength.bits).toBeGreaterThanOrEqual(WEAK_BELOW_BITS);
    expect(strength.bits).toBeLessThan(STRONG_FROM_BITS);
    expect(strength).toMatchObject({ rating: 'fair', problems: [] });
  });
});

describe('findProblems', () => {
  it('reports nothing for a good value', () => {
    expect(findProblems(PASTED_BASE64, SYNCTV)).toEqual([]);
  });

  it('reports every problem of a bad value, in order', () => {
    expect(findProblems('synctv', SYNCTV)).toEqual([PLACEHOLDER, tooShort(6), NAME]);
    expect(findProblems('synctv-2024', SYNCTV)).toEqual([tooShort(11), NAME, DATE]);
  });

  it('finds dates in the usual spellings and leaves other numbers alone', () => {
    for (const value of [
      'aaaaaaaaaaaaaaaa-2024-01-15',
      'aaaaaaaaaaaaaaaa20240115',
      'aaaaaaaaaaaaaaaa.1999.',
      'aaaaaaaaaaaaaaaa_2031',
      '1970-key-aaaaaaaaaaaaaaaa',
    ]) {
      expect(findProblems(value, NO_NAMES), value).toContain(DATE);
    }
    for (const value of [
      'aaaaaaaaaaaaaaaa-1234',
      'aaaaaaaaaaaaaaaa-2077',
      'aaaaaaaaaaaaaaaa-12024',
      'aaaaaaaaaaaaaaaa-1949',
    ]) {
      expect(findProblems(value, NO_NAMES), value).not.toContain(DATE);
    }
  });
});
