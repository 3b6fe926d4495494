/**
 * A QR code drawn as SVG elements (no markup strings, so nothing for the CSP or an injection to
 * object to). uqr (unjs, no dependencies) does the encoding; medium error correction survives a
 * phone camera at an angle.
 */
import type { JSX } from 'preact';
import { encode } from 'uqr';

export function QrCode({ text, label, size = 176 }: { text: string; label: string; size?: number }): JSX.Element {
  const { data } = encode(text, { ecc: 'M', border: 2 });
  const n = data.length;
  const cells: JSX.Element[] = [];
  data.forEach((row, y) => row.forEach((on, x) => on && cells.push(<rect key={`${x}.${y}`} x={x} y={y} width={1} height={1} />)));
  return (
    <svg class="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shape-rendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <g fill="#000">{cells}</g>
    </svg>
  );
}
