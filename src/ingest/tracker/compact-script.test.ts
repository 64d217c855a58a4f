import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compactScript } from './compact-script.ts';

const run = (code: string): unknown => new Script(code).runInNewContext({});

describe('compactScript', () => {
  it('drops comments and indentation but keeps line breaks', () => {
    const source = `// header\n(() => {\n  /* block */ const a = 1; // trailing\n  return a;\n})();\n`;
    expect(compactScript(source)).toBe('(()=>{\nconst a=1;\nreturn a;\n})();\n');
  });

  it('keeps strings, templates with interpolations and regular expressions as written', () => {
    const source = [
      'const s = \'a  // b\' + "c /* d */";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is JavaScript source, compacted
      'const t = `x ${ { k: `y ${s} z` }.k } // w`;',
      'const r = /[/ ]+ \\/ x/g;',
      '[s, t, r.source, r.flags];',
    ].join('\n');
    const compact = compactScript(source);
    expect(run(compact)).toEqual(run(source));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the compacted source, as text
    expect(compact).toContain('`x ${{k:`y ${s} z`}.k} // w`');
  });

  it('tells division from regular expressions', () => {
    const source =
      'const a = 10, b = 2, g = 1;\nconst q = a / b / g;\nconst r = typeof /x/ ;\nconst f = () => { return /y/.test("y") };\n[q, r, f()];';
    expect(run(compactScript(source))).toEqual([5, 'object', true]);
  });

  it('keeps the spaces that separate words and unary operators', () => {
    const source =
      'const a = 1;\nconst b = a + +a - -a;\nconst c = typeof a;\nfor (const k of [b]) void k;\n[b, c];';
    const compact = compactScript(source);
    expect(compact).toContain('a+ +a- -a');
    expect(run(compact)).toEqual([3, 'number']);
  });

  it('refuses unterminated strings, comments and regular expressions', () => {
    expect(() => compactScript("const s = 'abc\n';")).toThrow(/unterminated/);
    expect(() => compactScript('/* open')).toThrow(/unterminated/);
    expect(() => compactScript('const r = /abc\n/;')).toThrow(/unterminated/);
  });
});
