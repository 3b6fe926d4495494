/**
 * A small model of how IIS serves a request under a web.config: request filtering's hidden
 * segments, then the URL Rewrite module's inbound rules, then the handler for the final URL
 * (iisnode for its entry file, the static file handler for an existing file, else 404).
 *
 * URL Rewrite, as modelled: rules run in order against the URL path without the leading slash and
 * without the query string; `match url` is an ECMAScript regex, case-insensitive unless
 * ignoreCase="false", optionally negated; conditions (MatchAll or MatchAny) test server variables
 * with Pattern, IsFile or IsDirectory, and may be negated; {R:n} and {C:n} are back-references to
 * the rule match and the last matching condition. A Rewrite action replaces the URL (later rules see
 * the new one), keeps the query string unless appendQueryString="false", and ends processing when
 * stopProcessing="true"; CustomResponse and AbortRequest end the request; Redirect answers with the
 * redirect. Wildcard pattern syntax, outbound rules, rewrite maps and global rules are not modelled:
 * a web.config that uses them makes `loadRewriteConfig` throw.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface Condition {
  input: string;
  matchType: 'Pattern' | 'IsFile' | 'IsDirectory';
  pattern?: string;
  negate: boolean;
  ignoreCase: boolean;
}

export interface Rule {
  name: string;
  stopProcessing: boolean;
  match: { url: string; negate: boolean; ignoreCase: boolean };
  conditions: { logicalGrouping: 'MatchAll' | 'MatchAny'; list: Condition[] };
  action: { type: 'Rewrite' | 'Redirect' | 'CustomResponse' | 'AbortRequest' | 'None'; url?: string; statusCode?: number; appendQueryString: boolean };
}

export interface RewriteConfig {
  rules: Rule[];
  /** `path` of the iisnode handler (the Node entry). */
  iisnodeEntries: string[];
  hiddenSegments: string[];
  /** The parsed document, for other assertions. */
  doc: XmlNode;
}

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlNode[];

export type Outcome =
  | { kind: 'node'; entry: string; url: string; rules: string[] }
  | { kind: 'static'; file: string; rules: string[] }
  | { kind: 'status'; status: number; rules: string[] }
  | { kind: 'redirect'; location: string; rules: string[] }
  | { kind: 'notFound'; url: string; rules: string[] };

const ARRAYS = new Set(['rule', 'add', 'remove', 'clear', 'location']);

export function parseXml(text: string): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`web.config is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ARRAYS.has(name), parseAttributeValue: false });
  return parser.parse(text) as XmlNode;
}

export function child(node: XmlValue | undefined, name: string): XmlNode | undefined {
  if (!node || typeof node === 'string' || Array.isArray(node)) return undefined;
  const v = node[name];
  if (v === undefined || typeof v === 'string') return v === '' ? {} : undefined;
  return Array.isArray(v) ? v[0] : v;
}

export function children(node: XmlValue | undefined, name: string): XmlNode[] {
  if (!node || typeof node === 'string' || Array.isArray(node)) return [];
  const v = node[name];
  if (v === undefined || typeof v === 'string') return [];
  return Array.isArray(v) ? v : [v];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

const bool = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : v.toLowerCase() === 'true');

export function loadRewriteConfig(text: string): RewriteConfig {
  const doc = parseXml(text);
  const ws = child(child(doc, 'configuration'), 'system.webServer');
  if (!ws) throw new Error('no <system.webServer>');
  const rewrite = child(ws, 'rewrite');
  for (const unsupported of ['outboundRules', 'rewriteMaps', 'globalRules']) {
    if (rewrite && child(rewrite, unsupported)) throw new Error(`<${unsupported}> is not modelled`);
  }
  const rules = children(child(rewrite, 'rules'), 'rule').map((r): Rule => {
    const syntax = attr(r, 'patternSyntax') ?? 'ECMAScript';
    if (syntax !== 'ECMAScript') throw new Error(`rule ${attr(r, 'name')}: patternSyntax ${syntax} is not modelled`);
    const m = child(r, 'match');
    const url = attr(m, 'url');
    if (url === undefined) throw new Error(`rule ${attr(r, 'name')} has no <match url>`);
    const conds = child(r, 'conditions');
    const a = child(r, 'action');
    const type = attr(a, 'type') ?? 'None';
    if (!['Rewrite', 'Redirect', 'CustomResponse', 'AbortRequest', 'None'].includes(type)) throw new Error(`action type ${type} is not modelled`);
    return {
      name: attr(r, 'name') ?? '(unnamed)',
      stopProcessing: bool(attr(r, 'stopProcessing'), false),
      match: { url, negate: bool(attr(m, 'negate'), false), ignoreCase: bool(attr(m, 'ignoreCase'), true) },
      conditions: {
        logicalGrouping: attr(conds, 'logicalGrouping') === 'MatchAny' ? 'MatchAny' : 'MatchAll',
        list: children(conds, 'add').map((c) => {
          const matchType = (attr(c, 'matchType') ?? 'Pattern') as Condition['matchType'];
          if (!['Pattern', 'IsFile', 'IsDirectory'].includes(matchType)) throw new Error(`matchType ${matchType} is not modelled`);
          const input = attr(c, 'input');
          if (!input) throw new Error('a condition without input');
          const pattern = attr(c, 'pattern');
          return { input, matchType, negate: bool(attr(c, 'negate'), false), ignoreCase: bool(attr(c, 'ignoreCase'), true), ...(pattern !== undefined ? { pattern } : {}) };
        }),
      },
      action: {
        type: type as Rule['action']['type'],
        appendQueryString: bool(attr(a, 'appendQueryString'), true),
        ...(attr(a, 'url') !== undefined ? { url: attr(a, 'url') } : {}),
        ...(attr(a, 'statusCode') !== undefined ? { statusCode: Number(attr(a, 'statusCode')) } : {}),
      },
    };
  });
  const iisnodeEntries = children(child(ws, 'handlers'), 'add')
    .filter((h) => attr(h, 'modules') === 'iisnode')
    .map((h) => attr(h, 'path') ?? '');
  const hiddenSegments = children(child(child(child(ws, 'security'), 'requestFiltering'), 'hiddenSegments'), 'add').map((h) => attr(h, 'segment') ?? '');
  return { rules, iisnodeEntries, hiddenSegments, doc };
}

export interface Site {
  /** APPL_PHYSICAL_PATH, with a trailing backslash. */
  root: string;
  /** Site-relative files that exist (`dist/renderer/index.html`), forward slashes. */
  files: Iterable<string>;
}

const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+/g, '\\').toLowerCase();

export function evaluate(config: RewriteConfig, site: Site, requestUrl: string): Outcome {
  const q = requestUrl.indexOf('?');
  const originalPath = decodeURIComponent((q >= 0 ? requestUrl.slice(0, q) : requestUrl).replace(/^\//, ''));
  let query = q >= 0 ? requestUrl.slice(q + 1) : '';
  const files = new Set([...site.files].map((f) => norm(site.root + f)));
  const dirs = new Set<string>();
  for (const f of files) for (let d = f; d.lastIndexOf('\\') > 0; ) dirs.add((d = d.slice(0, d.lastIndexOf('\\'))));
  const applied: string[] = [];

  // Request filtering runs before URL Rewrite.
  const segments = originalPath.toLowerCase().split('/');
  if (config.hiddenSegments.some((s) => segments.includes(s.toLowerCase()))) return { kind: 'status', status: 404, rules: ['hiddenSegments'] };

  let path = originalPath;
  for (const rule of config.rules) {
    const re = new RegExp(rule.match.url, rule.match.ignoreCase ? 'i' : '');
    const m = re.exec(path);
    if (Boolean(m) === rule.match.negate) continue;
    const r = m ? [...m] : [path];
    let c: string[] = [];
    const vars = (name: string): string => {
      const upper = name.toUpperCase();
      const back = /^([RC]):(\d+)$/.exec(upper);
      if (back) return (back[1] === 'R' ? r : c)[Number(back[2])] ?? '';
      switch (upper) {
        case 'APPL_PHYSICAL_PATH':
          return site.root;
        case 'REQUEST_FILENAME':
          return site.root + path.replace(/\//g, '\\');
        case 'URL':
          return `/${path}`;
        case 'QUERY_STRING':
          return query;
        case 'REQUEST_URI':
          return requestUrl;
        default:
          throw new Error(`server variable {${name}} is not modelled`);
      }
    };
    const expand = (s: string) => s.replace(/\{([^}]+)\}/g, (_, n: string) => vars(n));
    const results: boolean[] = [];
    for (const cond of rule.conditions.list) {
      const input = expand(cond.input);
      let ok: boolean;
      if (cond.matchType === 'IsFile') ok = files.has(norm(input));
      else if (cond.matchType === 'IsDirectory') ok = dirs.has(norm(input).replace(/\\$/, ''));
      else {
        const cm = new RegExp(cond.pattern ?? '.*', cond.ignoreCase ? 'i' : '').exec(input);
        ok = Boolean(cm);
        if (cm && !cond.negate) c = [...cm];
      }
      results.push(ok !== cond.negate);
      if (rule.conditions.logicalGrouping === 'MatchAll' && !results.at(-1)) break;
      if (rule.conditions.logicalGrouping === 'MatchAny' && results.at(-1)) break;
    }
    const passed = rule.conditions.list.length === 0 || (rule.conditions.logicalGrouping === 'MatchAll' ? results.every(Boolean) && results.length === rule.conditions.list.length : results.some(Boolean));
    if (!passed) continue;
    applied.push(rule.name);
    const a = rule.action;
    if (a.type === 'CustomResponse') return { kind: 'status', status: a.statusCode ?? 200, rules: applied };
    if (a.type === 'AbortRequest') return { kind: 'status', status: 0, rules: applied };
    if (a.type === 'Redirect') return { kind: 'redirect', location: expand(a.url ?? ''), rules: applied };
    if (a.type === 'Rewrite') {
      const target = expand(a.url ?? '');
      const tq = target.indexOf('?');
      path = (tq >= 0 ? target.slice(0, tq) : target).replace(/^\//, '');
      if (tq >= 0) query = a.appendQueryString && query ? `${target.slice(tq + 1)}&${query}` : target.slice(tq + 1);
      else if (!a.appendQueryString) query = '';
    }
    if (rule.stopProcessing) break;
  }

  const entry = config.iisnodeEntries.find((e) => e.toLowerCase() === path.toLowerCase());
  // iisnode hands Node the URL the client asked for (with its query), not the rewritten one.
  if (entry) return { kind: 'node', entry, url: requestUrl, rules: applied };
  if (files.has(norm(site.root + path))) return { kind: 'static', file: path, rules: applied };
  return { kind: 'notFound', url: path, rules: applied };
}
