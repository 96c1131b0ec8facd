/**
 * The words Ferret treats as saying little: one list of English prose for every place that drops or
 * discounts words (queries, the full-text index, the vocabulary, the local embedder), so a word
 * counts the same wherever it is seen, and the code keywords the local embedder also discounts.
 */

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

/**
 * Keywords and built-in type names of the languages Ferret reads, and the generic names every
 * codebase repeats. They are in nearly every chunk, so the local embedder weighs them down; a query
 * keeps them, since a question that says "async function" does point at code.
 */
export const CODE_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'const let var function return new class extends implements interface type enum export import default async await ' +
    'public private protected static readonly void null undefined true false else while break continue switch case try ' +
    'catch finally throw throws self def fn func pub mut impl use mod struct package val lambda pass none elif end begin ' +
    'int string number boolean bool str char float double long short unsigned get set value args arg'
  ).split(' '),
);
