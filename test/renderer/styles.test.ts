/**
 * Author names are coloured per user (a hue from the user id, message-item.tsx), so axe in the e2e
 * test only ever sees a few random hues. This checks every hue against every background a message
 * sits on, in both themes, against WCAG AA for normal text (4.5:1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'styles.css'), 'utf8');

function block(selector: string): string {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no rule for ${selector}`);
  return css.slice(at, css.indexOf('}', at));
}

function variable(rule: string, name: string): string {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`).exec(rule);
  if (!m) throw new Error(`--${name} not found`);
  return m[1]!;
}

/** [saturation %, lightness %] of `hsl(var(--hue, …) S% L%)` in a rule. */
function authorColour(rule: string): [number, number] {
  const m = /hsl\(var\(--hue, \d+\) (\d+)% (\d+)%\)/.exec(rule);
  if (!m) throw new Error(`no author colour in ${rule}`);
  return [Number(m[1]), Number(m[2])];
}

function hsl(h: number, s: number, l: number): number[] {
  const sat = s / 100;
  const light = l / 100;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
const channel = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = ([r, g, b]: number[]) => 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const light = block(':root');
const dark = block(":root[data-theme='dark']");
const themes = [
  { name: 'light', vars: light, author: authorColour(block('.msg .author')) },
  { name: 'dark', vars: dark, author: authorColour(block(":root[data-theme='dark'] .msg .author")) },
];

describe('author name colours', () => {
  for (const theme of themes) {
    for (const bg of ['own', 'bg', 'panel']) {
      it(`reach 4.5:1 for every hue on --${bg} (${theme.name})`, () => {
        const background = hex(variable(theme.vars, bg));
        const [s, l] = theme.author;
        const failing = Array.from({ length: 360 }, (_, h) => h).filter((h) => contrast(hsl(h, s, l), background) < 4.5);
        expect(failing).toEqual([]);
      });
    }
  }

  it('the OS dark theme and the forced dark theme use the same author colour', () => {
    const media = /prefers-color-scheme: dark\) \{ :root:not\(\[data-theme='light'\]\) \.msg \.author \{[^}]*\}/.exec(css);
    expect(media).not.toBeNull();
    expect(authorColour(media![0])).toEqual(themes[1]!.author);
  });
});

/**
 * Arabic is laid out right to left by <html dir="rtl"> alone: the stylesheet speaks only of the start
 * and end of a line and of a block, so the whole layout mirrors. A left, right, top or bottom would
 * stay put, and asymmetric shorthands (four-value margins, per-corner radii) are physical too.
 */
describe('logical properties throughout', () => {
  const declarations = [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([\w-]+)\s*:\s*([^;{}]+)/g)].map((m) => ({ property: m[1]!, value: m[2]!.trim() }));

  it('the rules were read', () => {
    expect(declarations.length).toBeGreaterThan(300);
  });

  it('no physical side in a property name', () => {
    const physical = declarations.filter((d) => /(^|-)(left|right|top|bottom)($|-)/.test(d.property));
    expect(physical).toEqual([]);
  });

  it('no physical side in a value (text-align, float, clear)', () => {
    const physical = declarations.filter((d) => /\b(left|right)\b/.test(d.value) && !d.property.startsWith('--'));
    expect(physical).toEqual([]);
  });

  it('no shorthand whose left and right (or corners) differ', () => {
    const asymmetric = declarations.filter((d) => {
      const parts = d.value.split(/\s+/);
      if (/^(margin|padding|inset|border-width|scroll-margin|scroll-padding)$/.test(d.property)) return parts.length === 4 && parts[1] !== parts[3];
      if (d.property === 'border-radius') return parts.length > 1 && new Set(parts).size > 1 && !(parts.length === 2 && parts[0] === parts[1]);
      return false;
    });
    expect(asymmetric).toEqual([]);
  });
});
