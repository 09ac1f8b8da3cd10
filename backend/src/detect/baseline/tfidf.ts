/**
 * TF-IDF as scikit-learn's TfidfVectorizer computes it with its defaults (lowercase, token pattern
 * `(?u)\b\w\w+\b`, raw counts, smooth idf, l2-normalised rows), plus the two options the seed baseline sets:
 * a stop word list and max_features.
 */

export interface TfidfOptions {
  /** Keep only the terms most frequent across the whole corpus (sum of counts); all terms when omitted. */
  maxFeatures?: number;
  stopWords?: ReadonlySet<string>;
}

/**
 * Python's `\w` is any Unicode letter or number or `_`; `\b\w\w+\b` therefore matches exactly the maximal
 * runs of such characters that are at least two long (JavaScript's own `\w` and `\b` are ASCII-only).
 */
const TOKEN = /[\p{L}\p{N}_]{2,}/gu;

export function tokenize(text: string, stopWords: ReadonlySet<string> = new Set()): string[] {
  const tokens: string[] = [];
  for (const [token] of text.toLowerCase().matchAll(TOKEN)) {
    if (!stopWords.has(token)) tokens.push(token);
  }
  return tokens;
}

export class TfidfVectorizer {
  /** Column order of {@link transform}'s rows: alphabetical, as scikit-learn orders its vocabulary. */
  readonly vocabulary: readonly string[];
  /** ln((1 + documents) / (1 + document frequency)) + 1 per vocabulary term. */
  readonly idf: Float64Array;
  private readonly stopWords: ReadonlySet<string>;
  private readonly columnOf: ReadonlyMap<string, number>;

  private constructor(vocabulary: string[], idf: Float64Array, stopWords: ReadonlySet<string>) {
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.stopWords = stopWords;
    this.columnOf = new Map(vocabulary.map((term, column) => [term, column]));
  }

  static fit(documents: readonly string[], options: TfidfOptions = {}): TfidfVectorizer {
    const stopWords = options.stopWords ?? new Set<string>();
    const corpusCount = new Map<string, number>();
    const documentFrequency = new Map<string, number>();
    for (const document of documents) {
      const seen = new Set<string>();
      for (const token of tokenize(document, stopWords)) {
        corpusCount.set(token, (corpusCount.get(token) ?? 0) + 1);
        if (seen.has(token)) continue;
        seen.add(token);
        documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
      }
    }
    let terms = [...corpusCount.keys()].sort(compareCodePoints);
    if (options.maxFeatures !== undefined && terms.length > options.maxFeatures) {
      // scikit-learn's argsort leaves the order of equally frequent terms unspecified; alphabetical is stable.
      terms = terms
        .map((term, alphabetical) => ({ term, alphabetical, count: corpusCount.get(term) ?? 0 }))
        .sort((a, b) => b.count - a.count || a.alphabetical - b.alphabetical)
        .slice(0, options.maxFeatures)
        .map(({ term }) => term)
        .sort(compareCodePoints);
    }
    const idf = Float64Array.from(
      terms,
      (term) => Math.log((1 + documents.length) / (1 + (documentFrequency.get(term) ?? 0))) + 1,
    );
    return new TfidfVectorizer(terms, idf, stopWords);
  }

  /** Dense row-major matrix, one row per document and one column per vocabulary term. */
  transform(documents: readonly string[]): Float64Array {
    const width = this.vocabulary.length;
    const matrix = new Float64Array(documents.length * width);
    documents.forEach((document, row) => {
      const weights = matrix.subarray(row * width, (row + 1) * width);
      for (const token of tokenize(document, this.stopWords)) {
        const column = this.columnOf.get(token);
        if (column !== undefined) weights[column] = (weights[column] ?? 0) + (this.idf[column] ?? 0);
      }
      const norm = Math.sqrt(weights.reduce((sum, weight) => sum + weight * weight, 0));
      if (norm > 0) weights.forEach((weight, column) => (weights[column] = weight / norm));
    });
    return matrix;
  }
}

/** Python orders strings by code point; JavaScript's `<` compares UTF-16 units, which differs above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
}
