/**
 * Chat markdown: bold, italics, inline code, fenced code blocks, line breaks and bare links. Parsed
 * by markdown-it with raw HTML disabled, then turned into a small tree of typed nodes, never into an
 * HTML string, so message text reaches the DOM only as text nodes. Explicit `[label](url)` links are
 * not enabled on purpose: the visible text of a link is always its real target.
 */
import MarkdownIt from 'markdown-it';

export type MdNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'strong' | 'em' | 'paragraph'; children: MdNode[] }
  | { type: 'code'; text: string }
  | { type: 'codeblock'; text: string; lang: string }
  | { type: 'link'; href: string; children: MdNode[] };

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['emphasis', 'backticks', 'fence', 'newline', 'escape', 'linkify', 'autolink']);

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href when it is safe to open (http, https, mailto), else null. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function parseMessage(text: string): MdNode[] {
  const blocks: MdNode[] = [];
  for (const token of md.parse(text, {})) {
    if (token.type === 'inline') blocks.push({ type: 'paragraph', children: inline(token.children ?? []) });
    else if (token.type === 'fence' || token.type === 'code_block') {
      blocks.push({ type: 'codeblock', text: token.content.replace(/\n$/, ''), lang: token.info.trim().split(/\s+/)[0] ?? '' });
    }
  }
  return blocks;
}

function inline(tokens: Token[]): MdNode[] {
  const root: MdNode[] = [];
  const stack: { node: MdNode & { children: MdNode[] }; close: string }[] = [];
  const out = () => (stack.length > 0 ? stack[stack.length - 1]!.node.children : root);
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        out().push({ type: 'text', text: t.content });
        break;
      case 'softbreak':
      case 'hardbreak':
        out().push({ type: 'break' });
        break;
      case 'code_inline':
        out().push({ type: 'code', text: t.content });
        break;
      case 'strong_open':
      case 'em_open': {
        const node = { type: t.type === 'strong_open' ? ('strong' as const) : ('em' as const), children: [] as MdNode[] };
        out().push(node);
        stack.push({ node, close: t.type.replace('_open', '_close') });
        break;
      }
      case 'link_open': {
        const href = safeHref(String(t.attrGet('href') ?? ''));
        // An unsafe target keeps its text but loses the link.
        const node = href
          ? { type: 'link' as const, href, children: [] as MdNode[] }
          : { type: 'em' as const, children: [] as MdNode[] };
        out().push(node);
        stack.push({ node, close: 'link_close' });
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 'link_close':
        if (stack.length > 0 && stack[stack.length - 1]!.close === t.type) stack.pop();
        break;
      default:
        // Anything else markdown-it might emit is shown as its source text, never interpreted.
        if (t.content) out().push({ type: 'text', text: t.content });
    }
  }
  return root;
}
