/**
 * Files in browser specs, as users bring them: picked, pasted (a ClipboardEvent carrying files, as a
 * pasted screenshot arrives), or dragged and dropped (DragEvents carrying a DataTransfer); a real PNG
 * drawn by the page's canvas, for the relay to decode and thumbnail; and slower uploads, through
 * Chromium's own network throttling, so that progress can be seen and paused.
 */
import type { Page } from '@playwright/test';

export interface TestFile {
  name: string;
  type: string;
  data: Buffer;
}

const wire = (files: TestFile[]) => files.map((f) => ({ name: f.name, type: f.type, b64: f.data.toString('base64') }));

/** A landscape picture, `width`×`height`, as PNG bytes. */
export async function drawPng(page: Page, width: number, height: number): Promise<Buffer> {
  const b64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = new OffscreenCanvas(w, h);
      const g = canvas.getContext('2d')!;
      const sky = g.createLinearGradient(0, 0, 0, h);
      sky.addColorStop(0, '#5b8def');
      sky.addColorStop(1, '#ffd9a8');
      g.fillStyle = sky;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#ffcf3f';
      g.beginPath();
      g.arc(w * 0.72, h * 0.3, h * 0.11, 0, 2 * Math.PI);
      g.fill();
      for (const [colour, from, peak, to, top] of [
        ['#35694a', 0, 0.3, 0.65, 0.42],
        ['#4a8a5c', 0.3, 0.68, 1.05, 0.52],
      ] as const) {
        g.fillStyle = colour;
        g.beginPath();
        g.moveTo(w * from, h);
        g.lineTo(w * peak, h * top);
        g.lineTo(w * to, h);
        g.fill();
      }
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    },
    [width, height] as const,
  );
  return Buffer.from(b64, 'base64');
}

/** Pastes files into the message field. */
export async function pasteFiles(page: Page, files: TestFile[]): Promise<void> {
  await page.locator('#message').evaluate((field, list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, wire(files));
}

/** Drags files over the conversation and drops them there; `whileOver` runs while they hover. */
export async function dropFiles(page: Page, files: TestFile[], whileOver?: () => Promise<void>): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return data;
  }, wire(files));
  const target = page.locator('main.conversation .messages');
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await whileOver?.();
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Uploads from this page go at `bytesPerSecond` until the returned function is called. */
export async function slowUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const conditions = (upload: number) => ({ offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: upload });
  await cdp.send('Network.emulateNetworkConditions', conditions(bytesPerSecond));
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', conditions(-1));
    await cdp.detach();
  };
}
