// Application Gateway v2 in front of the web app(s): TLS at the gateway, HTTP→HTTPS on port 80,
// cookie affinity, a /healthz probe. WebSocket needs no setting: v2 passes the Upgrade handshake
// through on the ordinary listeners and then relays frames untouched.

@description('Gateway name.')
param name string

@description('Azure region.')
param location string

@description('Backend host names: the web app(s), <name>.azurewebsites.net. All must share one Redis.')
param backendFqdns array

@description('Host name clients use (listener host name); empty: any host.')
param publicHostName string

@description('Key Vault secret id of the TLS certificate (preferred), or empty to use certPfxBase64.')
param certKeyVaultSecretId string

@description('User-assigned identity that can read certKeyVaultSecretId.')
param identityId string

@description('Base64 PFX, when certKeyVaultSecretId is empty.')
@secure()
param certPfxBase64 string

@description('Password of certPfxBase64.')
@secure()
param certPassword string

@description('Backend request timeout in seconds (long-polling holds a request up to Socket.IO\'s pingInterval, 25 s).')
@minValue(30)
@maxValue(230)
param requestTimeoutSeconds int

@description('Port 80 redirects to 443 (true) or serves the app (false).')
param redirectHttpToHttps bool

@description('Autoscale minimum instances.')
param minCapacity int

@description('Autoscale maximum instances.')
param maxCapacity int

@description('Virtual network address space.')
param vnetAddressPrefix string

@description('Gateway subnet prefix.')
param subnetAddressPrefix string

@description('Tags applied to every resource of this module.')
param tags object

var useKeyVaultCert = !empty(certKeyVaultSecretId)
var gatewayId = resourceId('Microsoft.Network/applicationGateways', name)
var listenerHostName = empty(publicHostName) ? null : publicHostName

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: '${name}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        name: 'appgw'
        properties: {
          addressPrefix: subnetAddressPrefix
        }
      }
    ]
  }
}

resource publicIp 'Microsoft.Network/publicIPAddresses@2024-01-01' = {
  name: '${name}-pip'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource gateway 'Microsoft.Network/applicationGateways@2024-01-01' = {
  name: name
  location: location
  tags: tags
  identity: useKeyVaultCert ? {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  } : null
  properties: {
    sku: {
      name: 'Standard_v2'
      tier: 'Standard_v2'
    }
    autoscaleConfiguration: {
      minCapacity: minCapacity
      maxCapacity: maxCapacity
    }
    sslPolicy: {
      policyType: 'Predefined'
      policyName: 'AppGwSslPolicy20220101' // TLS 1.2 and 1.3 only
    }
    gatewayIPConfigurations: [
      {
        name: 'gateway-ip'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'appgw')
          }
        }
      }
    ]
    frontendIPConfigurations: [
      {
        name: 'public'
        properties: {
          publicIPAddress: {
            id: publicIp.id
          }
        }
      }
    ]
    frontendPorts: [
      {
        name: 'port-80'
        properties: {
          port: 80
        }
      }
      {
        name: 'port-443'
        properties: {
          port: 443
        }
      }
    ]
    sslCertificates: [
      {
        name: 'public-cert'
        properties: useKeyVaultCert ? {
          keyVaultSecretId: certKeyVaultSecretId
        } : {
          data: certPfxBase64
          password: certPassword
        }
      }
    ]
    backendAddressPools: [
      {
        name: 'parley-webapps'
        properties: {
          backendAddresses: [for fqdn in backendFqdns: {
            fqdn: fqdn
          }]
        }
      }
    ]
    backendHttpSettingsCollection: [
      {
        name: 'parley-https'
        properties: {
          port: 443
          protocol: 'Https'
          // App Service routes by Host, so the gateway sends <app>.azurewebsites.net; the relay
          // accepts that name (WEBSITE_HOSTNAME) and the web app's clientAffinityProxyEnabled keeps
          // the ARR affinity cookie on the public host name.
          pickHostNameFromBackendAddress: true
          cookieBasedAffinity: 'Enabled'
          affinityCookieName: 'ParleyGatewayAffinity'
          requestTimeout: requestTimeoutSeconds
          probe: {
            id: '${gatewayId}/probes/parley-healthz'
          }
        }
      }
    ]
    probes: [
      {
        name: 'parley-healthz'
        properties: {
          protocol: 'Https'
          path: '/healthz'
          interval: 15
          timeout: 10
          unhealthyThreshold: 3
          pickHostNameFromBackendHttpSettings: true
          minServers: 0
          match: {
            // 200 = ok or degraded (Redis down, local clients still served: every instance shares
            // Redis, so pulling them all would only take the service down). 503 = misconfigured
            // (Redis refuses the key or certificate) or stopping (graceful shutdown).
            statusCodes: [
              '200'
            ]
          }
        }
      }
    ]
    httpListeners: [
      {
        name: 'http-80'
        properties: {
          frontendIPConfiguration: {
            id: '${gatewayId}/frontendIPConfigurations/public'
          }
          frontendPort: {
            id: '${gatewayId}/frontendPorts/port-80'
          }
          protocol: 'Http'
          hostName: listenerHostName
        }
      }
      {
        name: 'https-443'
        properties: {
          frontendIPConfiguration: {
            id: '${gatewayId}/frontendIPConfigurations/public'
          }
          frontendPort: {
            id: '${gatewayId}/frontendPorts/port-443'
          }
          protocol: 'Https'
          sslCertificate: {
            id: '${gatewayId}/sslCertificates/public-cert'
          }
          hostName: listenerHostName
          requireServerNameIndication: false
        }
      }
    ]
    redirectConfigurations: [
      {
        name: 'http-to-https'
        properties: {
          redirectType: 'Permanent'
          targetListener: {
            id: '${gatewayId}/httpListeners/https-443'
          }
          includePath: true
          includeQueryString: true
        }
      }
    ]
    requestRoutingRules: [
      {
        name: 'https-to-parley'
        properties: {
          ruleType: 'Basic'
          priority: 100
          httpListener: {
            id: '${gatewayId}/httpListeners/https-443'
          }
          backendAddressPool: {
            id: '${gatewayId}/backendAddressPools/parley-webapps'
          }
          backendHttpSettings: {
            id: '${gatewayId}/backendHttpSettingsCollection/parley-https'
          }
        }
      }
      {
        name: 'http-80'
        properties: redirectHttpToHttps ? {
          ruleType: 'Basic'
          priority: 200
          httpListener: {
            id: '${gatewayId}/httpListeners/http-80'
          }
          redirectConfiguration: {
            id: '${gatewayId}/redirectConfigurations/http-to-https'
          }
        } : {
          ruleType: 'Basic'
          priority: 200
          httpListener: {
            id: '${gatewayId}/httpListeners/http-80'
          }
          backendAddressPool: {
            id: '${gatewayId}/backendAddressPools/parley-webapps'
          }
          backendHttpSettings: {
            id: '${gatewayId}/backendHttpSettingsCollection/parley-https'
          }
        }
      }
    ]
  }
}

@description('Public IP address of the gateway: point the DNS record of publicHostName at it.')
output publicIpAddress string = publicIp.properties.ipAddress
