/** A child `h` takes: a node, text, nothing, or a list of them. @typedef {Node|string|null|undefined|false|Array<Node|string|null|undefined|false|Array<any>>} Child */

/**
 * Creates an element with attributes and children. Strings become text
 * nodes, so untrusted data can never become markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string|boolean|undefined>} [attributes]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of /** @type {(Node|string|null|undefined|false)[]} */ (children.flat(Infinity))) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/**
 * A small inline SVG icon: a closed or open padlock, or a question mark.
 * @param {'lock'|'open-lock'|'unknown'} name
 * @returns {SVGSVGElement}
 */
export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const paths = {
    lock: ['M6 11h12v10H6z', 'M8.5 11V7.5a3.5 3.5 0 0 1 7 0V11'],
    'open-lock': ['M6 11h12v10H6z', 'M8.5 11V7.5a3.5 3.5 0 0 1 6.8-1.2'],
    unknown: ['M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5', 'M12 17.5v.5'],
  }[name];
  for (const d of paths) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
