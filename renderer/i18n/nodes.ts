/**
 * Messages with elements inside: "<bdi>Ana</bdi> joined", "Hosting <strong>Friday</strong>". Where
 * the element goes is the translation's call ("انضم Ana", "Ana さんが参加しました"), so the message is
 * translated whole with a marker for each element, then cut at the markers.
 */
import { createElement, Fragment, type ComponentChildren } from 'preact';
import { translate, type MessageKey, type MessageParams } from './i18n';

// Private-use characters: no catalogue or interpolated value holds them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = new RegExp(`${OPEN}(\\w+)${CLOSE}`);

/**
 * The message `key` as children: text, with `elements[name]` where the message has {{name}}.
 * `params` fill the other placeholders (and `count` picks the plural form) as in `t`.
 */
export function tElements(key: MessageKey, elements: Record<string, ComponentChildren>, params: MessageParams = {}): ComponentChildren[] {
  const markers = Object.fromEntries(Object.keys(elements).map((name) => [name, `${OPEN}${name}${CLOSE}`]));
  const parts = translate(key, params, markers).split(MARKER);
  // split() with a capturing group alternates: text, element name, text, …
  return parts.map((part, i) => (i % 2 === 0 ? part : createElement(Fragment, { key: `${part}-${i}` }, elements[part])));
}
