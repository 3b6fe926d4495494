/** File names: what the client suggests is cut down to something safe to show and to save. */
import { describe, expect, it } from 'vitest';
import { FILE_NAME_MAX_BYTES, fileName } from '../../../server/files/names';

const text = { type: 'text/plain' };
const binary = { type: 'application/octet-stream' };
const png = { type: 'image/png', ext: 'png' };
const jpeg = { type: 'image/jpeg', ext: 'jpg' };

describe('fileName', () => {
  it('keeps the last path segment only', () => {
    expect(fileName('../../etc/passwd', text)).toBe('passwd');
    expect(fileName('..\\..\\Windows\\win.ini', text)).toBe('win.ini');
    expect(fileName('/', text)).toBe('file');
    expect(fileName('..', text)).toBe('file');
    expect(fileName(undefined, text)).toBe('file');
  });

  it('drops control, bidi and invisible characters', () => {
    expect(fileName('evil\u202Efdp.exe', binary)).toBe('evilfdp.exe.bin');
    expect(fileName('a\u2067b\u2069c\u200Fd\u061Ce.txt', text)).toBe('abcde.txt');
    expect(fileName('tab\there\nand\u0085there.txt', text)).toBe('tabhereandthere.txt');
    expect(fileName('zero\u200Bwidth\uFEFF.txt', text)).toBe('zerowidth.txt');
    expect(fileName('\uD800lone.txt', text)).toBe('lone.txt');
  });

  it('avoids what Windows reserves, hidden names and trailing dots', () => {
    expect(fileName('nul', text)).toBe('_nul');
    expect(fileName('com1.log', text)).toBe('_com1.log');
    expect(fileName('Aux.tar.gz', { type: 'application/gzip', ext: 'gz' })).toBe('_Aux.tar.gz');
    expect(fileName('what?<>|*.txt', text)).toBe('what_____.txt');
    expect(fileName('.bashrc', text)).toBe('bashrc');
    expect(fileName('notes.txt. . ', text)).toBe('notes.txt');
    expect(fileName('  many   spaces .txt', text)).toBe('many spaces .txt');
  });

  it('makes the extension agree with the sniffed type', () => {
    expect(fileName('photo.jpeg', jpeg)).toBe('photo.jpeg');
    expect(fileName('photo.JPG', jpeg)).toBe('photo.JPG');
    expect(fileName('photo.png', jpeg)).toBe('photo.png.jpg');
    expect(fileName('photo', png)).toBe('photo.png');
    expect(fileName('page.html', png)).toBe('page.html.png');
    expect(fileName('.png', png)).toBe('png.png');
    expect(fileName('\u202E', png)).toBe('file.png');
    // Text and unknown bytes keep harmless extensions, not active ones.
    expect(fileName('notes.md', text)).toBe('notes.md');
    expect(fileName('main.py', text)).toBe('main.py.txt');
    expect(fileName('page.html', text)).toBe('page.html.txt');
    expect(fileName('logo.svg', text)).toBe('logo.svg.txt');
    expect(fileName('run.bat', text)).toBe('run.bat.txt');
    expect(fileName('data.dat', binary)).toBe('data.dat');
    expect(fileName('setup.exe', binary)).toBe('setup.exe.bin');
    // Even when the content is what the extension says: opened from disk, it would run or render.
    expect(fileName('setup.exe', { type: 'application/x-msdownload', ext: 'exe' })).toBe('setup.exe.bin');
    expect(fileName('evil.xml', { type: 'application/xml', ext: 'xml' })).toBe('evil.xml.txt');
    expect(fileName('evil', { type: 'application/xml', ext: 'xml' })).toBe('evil.xml.txt');
    // Windows launchers with a hyphen in their extension (ClickOnce, saved searches, settings links).
    for (const ext of ['appref-ms', 'library-ms', 'search-ms', 'settingcontent-ms']) expect(fileName(`fix.${ext}`, binary)).toBe(`fix.${ext}.bin`);
  });

  it('limits the length in bytes, keeping the extension and whole characters', () => {
    const long = fileName(`${'é'.repeat(300)}.txt`, text);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(FILE_NAME_MAX_BYTES);
    expect(long.endsWith('é.txt')).toBe(true);
    expect(fileName(`${'😀'.repeat(100)}.png`, png)).toMatch(/^(😀)+\.png$/);
  });
});
