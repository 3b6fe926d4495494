import { describe, expect, it } from 'vitest';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../../../main/security/permissions';

const prod = { devServer: null };
const ALL = ['clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection', 'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb'];

describe('permission handlers', () => {
  it('grant notifications to our renderer', () => {
    expect(decidePermissionRequest('notifications', 'app://parley/index.html', prod)).toBe(true);
    expect(decidePermissionCheck('notifications', 'app://parley', prod)).toBe(true);
  });

  it('deny notifications to anyone else', () => {
    for (const url of ['https://evil.example/', 'http://192.168.1.5:3000/', 'file:///x', '', undefined]) {
      expect(decidePermissionRequest('notifications', url, prod), String(url)).toBe(false);
      expect(decidePermissionCheck('notifications', url, prod), String(url)).toBe(false);
    }
  });

  it('deny every other permission, even to our renderer', () => {
    for (const permission of ALL) {
      expect(decidePermissionRequest(permission, 'app://parley/index.html', prod), permission).toBe(false);
      expect(decidePermissionCheck(permission, 'app://parley', prod), permission).toBe(false);
    }
    expect(decideDevicePermission()).toBe(false);
  });
});
