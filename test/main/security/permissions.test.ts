import { describe, expect, it } from 'vitest';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../../../main/security/permissions';

const prod = { devServer: null };
const ALL = ['clipboard-read', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection', 'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb'];

describe('permission handlers', () => {
  it('grant notifications and clipboard writes to our renderer', () => {
    for (const permission of ['notifications', 'clipboard-sanitized-write']) {
      expect(decidePermissionRequest(permission, 'app://parley/index.html', prod), permission).toBe(true);
      expect(decidePermissionCheck(permission, 'app://parley', prod), permission).toBe(true);
    }
  });

  it('deny them to anyone else', () => {
    for (const permission of ['notifications', 'clipboard-sanitized-write']) {
      for (const url of ['https://evil.example/', 'http://192.168.1.5:3000/', 'file:///x', '', undefined]) {
        expect(decidePermissionRequest(permission, url, prod), String(url)).toBe(false);
        expect(decidePermissionCheck(permission, url, prod), String(url)).toBe(false);
      }
    }
  });

  it('deny every other permission (clipboard reads included), even to our renderer', () => {
    for (const permission of ALL) {
      expect(decidePermissionRequest(permission, 'app://parley/index.html', prod), permission).toBe(false);
      expect(decidePermissionCheck(permission, 'app://parley', prod), permission).toBe(false);
    }
    expect(decideDevicePermission()).toBe(false);
  });
});
