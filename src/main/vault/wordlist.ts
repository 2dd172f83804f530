import effLargeWordlist from '../../../resources/wordlists/eff-large.txt?raw';

/**
 * The EFF large word list (7,776 words, 12.9 bits per word), shipped as a data file and
 * bundled at build time. Source: https://www.eff.org/dice (CC BY 3.0 US).
 */
let words: readonly string[] | null = null;

export function wordlist(): readonly string[] {
  words ??= effLargeWordlist.split('\n').filter((word) => word.length > 0);
  return words;
}
