/**
 * The name a file is shown and saved under. The client's name is only a suggestion: it may carry a
 * path (`../../etc/passwd`), characters that make it read differently than it is (a right-to-left
 * override turning `gpj.exe` into what looks like `exe.jpg`), names Windows reserves for devices, or
 * an extension that would make a saved file do something else than its content (an image called
 * `photo.html` opened from the Downloads folder runs as a web page). So the relay keeps the last
 * path segment, drops what is invisible or controls the layout, and makes the extension agree with
 * the type it sniffed from the bytes.
 */

/** Longest name kept, in UTF-8 bytes: file systems allow 255, and some of that goes to "(1)" copies. */
export const FILE_NAME_MAX_BYTES = 200;
const FALLBACK = 'file';

// C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks; zero-width and other
// invisible format characters; the soft hyphen; the BOM.
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
// Unpaired surrogates cannot be written as UTF-8 (a file system or a header would mangle them).
const LONE_SURROGATE = /\p{Cs}/gu;
// Not allowed in Windows file names.
const RESERVED_CHARS = /[<>:"|?*]/g;
// CON, NUL, COM1… are devices on Windows whatever the extension ("nul.txt" too).
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Hyphens and up to 24 characters: Windows launchers such as .appref-ms and .settingcontent-ms.
const EXTENSION = /\.([A-Za-z0-9-]{1,24})$/;

/**
 * Extensions that make a saved file run or render active content when opened: web pages and XML
 * (script in a file:// page), and what Windows and macOS hand to a script host on a double click.
 * A name ending in one of these gets a harmless extension appended, even when the content is of
 * that type: opened from the downloads folder, an XHTML page runs its script all the same.
 */
const RISKY_EXTENSIONS = new Set([
  'htm', 'html', 'xht', 'xhtml', 'shtml', 'mht', 'mhtml', 'svg', 'svgz', 'xml', 'xsl', 'xslt',
  'js', 'jse', 'mjs', 'cjs', 'vbs', 'vbe', 'wsf', 'wsh', 'hta', 'bat', 'cmd', 'ps1', 'psm1', 'reg', 'scf',
  'lnk', 'url', 'com', 'scr', 'pif', 'exe', 'msi', 'jar', 'command', 'desktop',
  'chm', 'msc', 'cpl', 'application', 'appref-ms', 'library-ms', 'search-ms', 'iqy', 'sh', 'py', 'webloc', 'settingcontent-ms',
]);

/** Other spellings of the extensions file-type reports. */
const ALIASES: Record<string, readonly string[]> = {
  jpg: ['jpeg', 'jpe', 'jfif'],
  png: ['apng'],
  apng: ['png'],
  tif: ['tiff'],
  mp4: ['m4v'],
  m4a: ['mp4'],
  mpg: ['mpeg'],
  gz: ['tgz'],
};

/**
 * A safe name for a file whose content is `type` (with `ext`, the usual extension of that type,
 * when the type was recognised from its bytes).
 */
export function fileName(suggested: string | undefined, sniffed: { type: string; ext?: string }): string {
  let name = lastSegment(suggested ?? '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '')
    .replace(RESERVED_CHARS, '_')
    .replace(/\s+/g, ' ')
    // Leading dots hide a file (and "..", "." name folders); trailing dots and spaces Windows drops.
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const base = name.split('.', 1)[0] ?? '';
  if (DEVICE_NAME.test(base.trim())) name = `_${name}`;
  const match = EXTENSION.exec(name);
  let stem = match ? name.slice(0, match.index) : name;
  let ext = match ? match[1]!.toLowerCase() : '';
  // Nothing left ("..", only invisible characters): a plain name, with the type's extension.
  if (stem === '') stem = FALLBACK;
  ext = fittingExtension(ext, sniffed, match ? match[1]! : '');
  return clip(stem, ext);
}

function lastSegment(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

/**
 * The extension part (without the first dot, possibly two: "html.png") that agrees with the content:
 * the recognised type's own extension, or the client's when it is harmless for content the relay
 * could not name (text, unknown bytes).
 */
function fittingExtension(current: string, sniffed: { type: string; ext?: string }, spelled: string): string {
  const want = sniffed.ext?.toLowerCase();
  let ext = spelled;
  if (want && current !== want && !ALIASES[want]?.includes(current)) ext = current ? `${spelled}.${want}` : want;
  const last = ext.slice(ext.lastIndexOf('.') + 1).toLowerCase();
  if (!RISKY_EXTENSIONS.has(last)) return ext;
  const textual = sniffed.type.startsWith('text/') || /xml|svg/.test(sniffed.type);
  return `${ext}.${textual ? 'txt' : 'bin'}`;
}

/** stem.ext within FILE_NAME_MAX_BYTES, shortening the stem (never the extension, which says what it is). */
function clip(stem: string, ext: string): string {
  const suffix = ext ? `.${ext}` : '';
  const room = FILE_NAME_MAX_BYTES - Buffer.byteLength(suffix);
  if (Buffer.byteLength(stem) > room) {
    let kept = '';
    let used = 0;
    for (const ch of stem) {
      const n = Buffer.byteLength(ch);
      if (used + n > room) break;
      kept += ch;
      used += n;
    }
    stem = kept.trimEnd() || FALLBACK;
  }
  return stem + suffix;
}
