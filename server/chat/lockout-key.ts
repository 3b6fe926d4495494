/** Which join-code attempts count together (chat/join-code.ts's lockout). */

/**
 * Whose attempts count together: an IPv4 address, or an IPv6 /64 (one network's share: a host can
 * take any address in its /64, so counting per address would give it 2^64 tries).
 */
export function lockoutKey(address: string): string {
  const v6 = address.replace(/^\[|\]$/g, '');
  if (!v6.includes(':') || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(v6)) return address.replace(/^::ffff:/i, '');
  const [head = '', tail = ''] = v6.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = v6.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
