/**
 * A Dockerfile reader for tests: joins continuation lines, drops comments and parser directives,
 * splits instructions into stages, resolves global ARG defaults in FROM, and parses exec-form
 * (JSON array) arguments. Heredocs and escape-directive changes are not supported and throw.
 */

export interface Instruction {
  keyword: string;
  /** The arguments as written (continuations joined with a space). */
  args: string;
  line: number;
}

export interface Stage {
  /** FROM's image with global ARG defaults substituted. */
  image: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  let directivesAllowed = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*#/.test(raw)) {
      if (directivesAllowed && /^\s*#\s*escape\s*=/i.test(raw)) throw new Error('escape directive is not supported');
      continue;
    }
    if (raw.trim() === '') continue;
    directivesAllowed = false;
    const start = i + 1;
    let joined = raw;
    while (/\\\s*$/.test(joined)) {
      joined = joined.replace(/\\\s*$/, ' ');
      i++;
      while (i < lines.length && /^\s*#/.test(lines[i]!)) i++; // comments inside a continuation are dropped
      if (i >= lines.length) throw new Error(`line ${start}: continuation at end of file`);
      joined += lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(joined);
    if (!m) throw new Error(`line ${start}: not an instruction: ${joined}`);
    if (/<<-?\w/.test(m[2]!) && /^(RUN|COPY)$/i.test(m[1]!)) throw new Error(`line ${start}: heredocs are not supported`);
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim().replace(/\s+/g, ' '), line: start });
  }

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: bad FROM`);
      const image = m[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globalArgs[(a ?? b)!] ?? '');
      stages.push({ image, ...(m[2] ? { name: m[2] } : {}), instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value] = ins.args.split('=', 2);
      globalArgs[name!] = value ?? '';
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

/** Exec-form arguments (`["node", "x.js"]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string')) throw new Error(`not a JSON string array: ${args}`);
  return parsed as string[];
}

/** ENV instructions of a stage as a map (`ENV A=1 B=2` and the legacy `ENV A 1`). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    if (!ins.args.includes('=')) {
      const [k, ...v] = ins.args.split(' ');
      env[k!] = v.join(' ');
      continue;
    }
    for (const m of ins.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}
