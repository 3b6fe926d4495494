/** Renders parsed chat markdown as Preact elements: text nodes and a few tags, links opened safely. */
import type { JSX } from 'preact';
import { parseMessage, type MdNode } from './markdown';
import { openLink } from '../platform/links';

// Parsing is the costly part of rendering a message; a list re-render must not redo it per item.
const cache = new Map<string, MdNode[]>();
const CACHE_MAX = 2000;

function parsed(text: string): MdNode[] {
  let nodes = cache.get(text);
  if (!nodes) {
    nodes = parseMessage(text);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(text, nodes);
  }
  return nodes;
}

export function MessageText({ text }: { text: string }): JSX.Element {
  // dir="auto": a message takes the direction of its own first strong character, not the page's.
  return (
    <div class="text" dir="auto">
      {parsed(text).map(render)}
    </div>
  );
}

function render(node: MdNode, i: number): JSX.Element | string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'break':
      return <br key={i} />;
    case 'paragraph':
      return <p key={i}>{node.children.map(render)}</p>;
    case 'strong':
      return <strong key={i}>{node.children.map(render)}</strong>;
    case 'em':
      return <em key={i}>{node.children.map(render)}</em>;
    case 'code':
      return <code key={i}>{node.text}</code>;
    case 'codeblock':
      return (
        <pre key={i} data-lang={node.lang || undefined}>
          <code>{node.text}</code>
        </pre>
      );
    case 'link':
      return (
        <a
          key={i}
          href={node.href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          onClick={(e) => {
            e.preventDefault();
            void openLink(node.href);
          }}
        >
          {node.children.map(render)}
        </a>
      );
  }
}
