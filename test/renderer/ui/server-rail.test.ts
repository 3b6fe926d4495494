import { describe, expect, it } from 'vitest';
import { initials } from '../../../renderer/ui/server-rail';

describe('initials on the server rail', () => {
  it('takes the first letters of two words, or two of one word', () => {
    expect(initials('Team cloud')).toBe('TC');
    expect(initials('chat.example.com')).toBe('CE');
    expect(initials('office')).toBe('OF');
    expect(initials('Équipe été')).toBe('ÉÉ');
  });
  it('shows the last number of an IPv4 address, port or not, after a dot (not to read as a count)', () => {
    expect(initials('192.168.1.20:3000')).toBe('.20');
    expect(initials('10.0.0.7')).toBe('.7');
  });
  it('copes with names without letters or digits', () => {
    expect(initials('—')).toBe('?');
    expect(initials('😀 party')).toBe('PA');
  });
});
