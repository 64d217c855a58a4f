/**
 * Removes comments and insignificant whitespace from our own hand-written browser scripts, so the
 * readable source is what we serve, only smaller. Not a general minifier: names are kept, and line
 * breaks too (no reliance on semicolon insertion rules). A `/` starts a regular expression after
 * an operator, an opening bracket or a keyword such as `return` — the usual rule, which holds for
 * code formatted by Biome. The tests check the output parses and behaves in a browser.
 */
const WORD = /[\w$]/;
const BEFORE_REGEX = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const KEYWORD_BEFORE_REGEX =
  /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|instanceof)$/;

function regexAllowed(out: string): boolean {
  const prev = out.at(-1);
  return prev === undefined || BEFORE_REGEX.has(prev) || KEYWORD_BEFORE_REGEX.test(out);
}

/** Index just past the quote closing the string or template part that starts at `start`. */
function endOfQuoted(source: string, start: number, quote: string, stopAtInterpolation: boolean): number {
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (stopAtInterpolation && c === '$' && source[i + 1] === '{') return i + 2;
    else if (c === '\n' && quote !== '`') throw new Error(`unterminated string at ${start}`);
    else i += 1;
  }
  throw new Error(`unterminated ${quote} at ${start}`);
}

function endOfRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    else if (c === '\n') throw new Error(`unterminated regular expression at ${start}`);
    i += 1;
  }
  i += 1;
  while (i < source.length && /[a-z]/.test(source[i] as string)) i += 1;
  return i;
}

export function compactScript(source: string): string {
  let out = '';
  let gap = ''; // whitespace or comments since the last token: '', ' ' or '\n'
  let depth = 0;
  const interpolations: number[] = []; // brace depth at each open `${`
  const emit = (text: string) => {
    const prev = out.at(-1);
    const next = text[0] as string;
    if (gap === '\n' && prev !== undefined) out += '\n';
    else if (gap && prev !== undefined && WORD.test(prev) && WORD.test(next)) out += ' ';
    // `a + +b` and `a - -b` must not become increments.
    else if (gap && (prev === '+' || prev === '-') && prev === next) out += ' ';
    gap = '';
    out += text;
  };
  const template = (start: number): number => {
    const end = endOfQuoted(source, start, '`', true);
    if (source[end - 1] === '{' && source[end - 2] === '$') interpolations.push(depth);
    return end;
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (/\s/.test(c)) {
      if (c === '\n') gap = '\n';
      else if (!gap) gap = ' ';
      i += 1;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated comment at ${i}`);
      if (!gap) gap = ' ';
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const end = endOfQuoted(source, i + 1, c, false);
      emit(source.slice(i, end));
      i = end;
    } else if (c === '`') {
      const end = template(i + 1);
      emit(source.slice(i, end));
      i = end;
    } else if (c === '}' && interpolations.at(-1) === depth) {
      interpolations.pop();
      const end = template(i + 1);
      emit(source.slice(i, end));
      i = end;
    } else if (c === '/' && regexAllowed(out)) {
      const end = endOfRegex(source, i);
      emit(source.slice(i, end));
      i = end;
    } else {
      if (c === '{') depth += 1;
      if (c === '}') depth -= 1;
      emit(c);
      i += 1;
    }
  }
  return `${out}\n`;
}
