/**
 * Words of English prose that say nothing about which code is meant: question words, articles,
 * pronouns, auxiliaries. Words that are also names in code (`get`, `set`, `file`, `value`) are not
 * here: rarity weighting already discounts them where they are common.
 */
export const PROSE_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being by can could do does done did for from had has have how i if in into is it its ' +
    'may me might must my no not of on or our should so such than that the their them then there these they this ' +
    'those to us was we were what when where which who whom why will with would you your'
  ).split(' '),
);
