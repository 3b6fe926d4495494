import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHostNames, lanAddresses, lanUrls, type InterfaceMap } from '../../../main/host/network';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24` });
const v6 = (address: string): NetworkInterfaceInfo => ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: `${address}/64`, scopeid: 0 });

const interfaces: InterfaceMap = {
  lo: [v4('127.0.0.1', true), { ...v6('::1'), internal: true }],
  eth0: [v4('192.168.1.20'), v6('fe80::1')],
  wlan0: [v4('169.254.3.4'), v4('10.0.0.7')],
  docker0: undefined,
};

describe('LAN addresses', () => {
  it('lists non-internal IPv4 addresses, link-local last', () => {
    expect(lanAddresses(interfaces)).toEqual(['10.0.0.7', '192.168.1.20', '169.254.3.4']);
  });

  it('builds one URL per address', () => {
    expect(lanUrls(interfaces, 4000)).toEqual(['http://10.0.0.7:4000', 'http://192.168.1.20:4000', 'http://169.254.3.4:4000']);
  });

  it('is empty on a machine without a network', () => {
    expect(lanUrls({ lo: [v4('127.0.0.1', true)] }, 4000)).toEqual([]);
  });
});

describe('allowedHostNames', () => {
  it('has the LAN IPs, the host name and its .local name', () => {
    expect(allowedHostNames(interfaces, 'Anas-Laptop')).toEqual(['10.0.0.7', '192.168.1.20', '169.254.3.4', 'anas-laptop', 'anas-laptop.local']);
  });

  it('does not double .local', () => {
    expect(allowedHostNames({}, 'mac.local')).toEqual(['mac.local', 'mac']);
  });

  it('skips a host name that is not a DNS name', () => {
    expect(allowedHostNames({}, 'bad name!')).toEqual([]);
  });
});
