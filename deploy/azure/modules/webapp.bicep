// Linux App Service plan and the Web App that runs the relay (Node 20 LTS, built-in image).
// App settings live in appsettings.bicep, deployed after the Key Vault role assignment they may need.

@description('Web app name; the app answers on https://<name>.azurewebsites.net.')
param webAppName string

@description('App Service plan name.')
param planName string

@description('Azure region.')
param location string

@description('Plan SKU (B1 ... P3v3).')
param skuName string

@description('Number of instances (sku.capacity): scale-out.')
@minValue(1)
@maxValue(30)
param instanceCount int

@description('Runtime stack of the built-in Linux image, e.g. NODE|20-lts.')
@allowed([
  'NODE|20-lts'
  'NODE|22-lts'
])
param linuxFxVersion string

@description('True when an Application Gateway fronts the app with a rewritten Host: the ARR affinity cookie then follows X-Original-Host / X-Forwarded-Host (clientAffinityProxyEnabled).')
param behindGateway bool

@description('Tags applied to both resources.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux plan
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned' // reads the Key Vault reference when redisSecretMode = keyVault
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // ARR affinity: a classic Socket.IO client starts with HTTP long-polling, and every poll of one
    // session must reach the instance that holds it. WebSocket-only clients would not need it.
    clientAffinityEnabled: true
    clientAffinityProxyEnabled: behindGateway
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'node dist/server/cli.js'
      webSocketsEnabled: true
      alwaysOn: true
      http20Enabled: false // WebSocket upgrades stay on HTTP/1.1 end to end
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

@description('Web app name.')
output name string = site.name

@description('Default host name (<name>.azurewebsites.net).')
output defaultHostName string = site.properties.defaultHostName

@description('Principal id of the app\'s system-assigned identity.')
output principalId string = site.identity.principalId

@description('App Service plan name.')
output planName string = plan.name
