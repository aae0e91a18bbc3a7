import { h } from '../components/dom.js';
import { t } from './i18n.js';

/** How many patterns a sign can have (drawn by `patternFill`). */
export const SIGN_PATTERNS = 8;
/** The colours a sign can have: distinct, and readable as a swatch in light and dark mode. */
export const SIGN_COLOURS = ['#1d6b4f', '#1f5fae', '#8a3ea8', '#b3261e', '#b35c00', '#00797d', '#5b5f1e', '#3d4451'];

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
function shape(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** The pattern as SVG shapes on a 24×24 tile. */
function patternFill(pattern, colour) {
  const stroke = { stroke: colour, 'stroke-width': 3, fill: 'none' };
  switch (pattern) {
    case 0: return [0, 8, 16, 24].map((x) => shape('line', { x1: x, y1: 0, x2: x - 12, y2: 24, ...stroke }));
    case 1: return [6, 18].flatMap((x) => [6, 18].map((y) => shape('circle', { cx: x, cy: y, r: 3.5, fill: colour })));
    case 2: return [shape('rect', { x: 0, y: 0, width: 12, height: 12, fill: colour }), shape('rect', { x: 12, y: 12, width: 12, height: 12, fill: colour })];
    case 3: return [shape('path', { d: 'M0 8 Q6 2 12 8 T24 8 M0 18 Q6 12 12 18 T24 18', ...stroke })];
    case 4: return [shape('path', { d: 'M0 16 L6 6 L12 16 L18 6 L24 16', ...stroke })];
    case 5: return [shape('path', { d: 'M12 4 V20 M4 12 H20', ...stroke })];
    case 6: return [shape('circle', { cx: 12, cy: 12, r: 7, ...stroke }), shape('circle', { cx: 12, cy: 12, r: 2.5, fill: colour })];
    default: return [shape('path', { d: 'M12 2 L22 12 L12 22 L2 12 Z', fill: colour })];
  }
}

/**
 * A swatch of the pattern in the colour (no text: the word stands beside it).
 * @param {number} pattern
 * @param {number} colour  index into {@link SIGN_COLOURS}
 * @param {number} [size]
 */
export function signSwatch(pattern, colour, size = 20) {
  const fill = SIGN_COLOURS[colour] ?? SIGN_COLOURS[0];
  const svg = shape('svg', { viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true', class: 'sign-swatch' });
  svg.append(shape('rect', { width: 24, height: 24, fill: `${fill}22`, stroke: fill }), ...patternFill(pattern, fill));
  return svg;
}

/**
 * The user's security sign as one element: swatch and word. Its text is the
 * word alone.
 * @param {{pattern: number, colour: number, word: string}} sign
 */
export function signElement(sign) {
  return h('span', { class: 'security-sign', 'data-testid': 'security-sign', title: t('signTitle') }, signSwatch(sign.pattern, sign.colour), sign.word);
}
