// Parley on Azure App Service (Linux, Node 20) with Azure Cache for Redis, and an optional
// Application Gateway (v2) in front. Deploy with deploy.sh or:
//   az deployment group create -g <rg> -f deploy/azure/main.bicep -p namePrefix=parley
// Every parameter is described in deploy/azure/README.md. No secret lives in this repository: the
// Redis access key is read at deployment time with listKeys() and goes straight into the app
// settings (or into Key Vault, with redisSecretMode = 'keyVault').
targetScope = 'resourceGroup'

@description('Prefix of every resource name (lower-case letters, digits and dashes).')
@minLength(2)
@maxLength(20)
param namePrefix string = 'parley'

@description('Azure region of every resource. Defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Web app name, globally unique; the app answers on https://<name>.azurewebsites.net.')
@minLength(2)
@maxLength(60)
param webAppName string = '${namePrefix}-${uniqueString(resourceGroup().id)}'

@description('App Service plan SKU (Linux). Basic allows 350 WebSockets per instance; Standard and above have no fixed WebSocket cap. Free and Shared are not offered: they cap WebSockets at a handful and have no Always On.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServicePlanSku string = 'P0v3'

@description('Node runtime of the built-in Linux image. NODE|20-lts is what the relay is tested on; Node 20 reached end of life on 2026-04-30 and App Service may stop offering it to new apps, so NODE|22-lts is allowed too (check `az webapp list-runtimes --os linux`).')
@allowed([
  'NODE|20-lts'
  'NODE|22-lts'
])
param linuxFxVersion string = 'NODE|20-lts'

@description('Number of web app instances (the plan\'s sku.capacity): the scale-out knob. Above 1, every instance shares state through Redis. Basic allows at most 3.')
@minValue(1)
@maxValue(30)
param instanceCount int = 2

@description('Relay log level (LOG_LEVEL).')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('Messages kept per room and replayed at login (HISTORY_LIMIT).')
@minValue(0)
@maxValue(100000)
param historyLimit int = 200

@description('Extra browser origins allowed to open a socket, comma separated (ALLOWED_ORIGINS), e.g. https://chat.example.com. The app\'s own origin is always allowed; the Application Gateway host name is added automatically.')
param allowedOrigins string = ''

@description('Extra host names accepted in the Host header, comma separated (ALLOWED_HOSTS): your custom domains. <app>.azurewebsites.net is accepted without configuration (WEBSITE_HOSTNAME).')
param allowedHosts string = ''

@description('Optional join code every client must present (JOIN_CODE, 4-32 letters, digits or dashes). Empty: none. Classic clients cannot send one.')
@secure()
param joinCode string = ''

@description('Optional bearer token (16+ characters) that unlocks /healthz details: instance, connections, Redis state (HEALTH_TOKEN). Empty: probes and everyone else get the status only.')
@secure()
param healthToken string = ''

@description('Azure Cache for Redis SKU. Standard (replicated, SLA) suits production; Basic (single node) suits trials.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSkuName string = 'Standard'

@description('Azure Cache for Redis size: 0-6 for Basic/Standard (C0-C6), 1-5 for Premium (P1-P5).')
@minValue(0)
@maxValue(6)
param redisCapacity int = 0

@description('How REDIS_URL reaches the app: appSetting = built with listKeys() into the app setting; keyVault = stored as a Key Vault secret the app reads through a Key Vault reference (needs rights to create role assignments).')
@allowed([
  'appSetting'
  'keyVault'
])
param redisSecretMode string = 'appSetting'

@description('Failed /healthz pings (one a minute) before App Service takes an instance out of rotation (WEBSITE_HEALTHCHECK_MAXPINGFAILURES, 2-10).')
@minValue(2)
@maxValue(10)
param healthCheckMaxPingFailures int = 3

@description('Deploy an Application Gateway v2 in front of the web app (needs a TLS certificate: appGatewayCertKeyVaultSecretId or appGatewayCertPfxBase64).')
param deployAppGateway bool = false

@description('Public host name clients use at the gateway, e.g. chat.example.com. Added to ALLOWED_ORIGINS (https://<name>) and ALLOWED_HOSTS. Empty: the gateway answers any host name.')
param appGatewayHostName string = ''

@description('Key Vault secret id (https://<vault>.vault.azure.net/secrets/<name>) of the gateway\'s TLS certificate. Needs appGatewayIdentityId. Preferred over a PFX parameter.')
param appGatewayCertKeyVaultSecretId string = ''

@description('Resource id of a user-assigned managed identity allowed to read appGatewayCertKeyVaultSecretId.')
param appGatewayIdentityId string = ''

@description('Base64 PFX of the gateway\'s TLS certificate, when no Key Vault secret id is given. Pass it at deploy time, never in a file in the repository.')
@secure()
param appGatewayCertPfxBase64 string = ''

@description('Password of appGatewayCertPfxBase64.')
@secure()
param appGatewayCertPassword string = ''

@description('Seconds the gateway waits for a backend response. Above Socket.IO\'s long-poll hold (pingInterval 25 s) plus margin; the App Service front end stops a request at 230 s anyway.')
@minValue(30)
@maxValue(230)
param appGatewayRequestTimeoutSeconds int = 60

@description('Redirect http://:80 to https://:443 at the gateway (true), or serve the app on port 80 as well (false).')
param appGatewayRedirectHttpToHttps bool = true

@description('Gateway autoscale bounds (instances).')
@minValue(0)
@maxValue(125)
param appGatewayMinCapacity int = 1

@description('Gateway autoscale upper bound (instances).')
@minValue(1)
@maxValue(125)
param appGatewayMaxCapacity int = 3

@description('Address space of the gateway\'s virtual network.')
param appGatewayVnetAddressPrefix string = '10.42.0.0/16'

@description('Subnet dedicated to the gateway (a /24 leaves room for autoscale).')
param appGatewaySubnetPrefix string = '10.42.0.0/24'

@description('Tags applied to every resource.')
param tags object = {
  app: 'parley'
}

var suffix = uniqueString(resourceGroup().id)
var gatewayOrigin = deployAppGateway && !empty(appGatewayHostName) ? 'https://${appGatewayHostName}' : ''
var effectiveAllowedOrigins = empty(gatewayOrigin) ? allowedOrigins : (empty(allowedOrigins) ? gatewayOrigin : '${allowedOrigins},${gatewayOrigin}')
var gatewayHost = deployAppGateway ? appGatewayHostName : ''
var effectiveAllowedHosts = empty(gatewayHost) ? allowedHosts : (empty(allowedHosts) ? gatewayHost : '${allowedHosts},${gatewayHost}')

module redis 'modules/redis.bicep' = {
  name: 'parley-redis'
  params: {
    name: '${namePrefix}-redis-${suffix}'
    location: location
    skuName: redisSkuName
    capacity: redisCapacity
    tags: tags
  }
}

module webApp 'modules/webapp.bicep' = {
  name: 'parley-webapp'
  params: {
    webAppName: webAppName
    planName: '${namePrefix}-plan-${suffix}'
    location: location
    skuName: appServicePlanSku
    instanceCount: instanceCount
    linuxFxVersion: linuxFxVersion
    behindGateway: deployAppGateway
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = if (redisSecretMode == 'keyVault') {
  name: 'parley-keyvault'
  params: {
    name: take('${namePrefix}kv${suffix}', 24)
    location: location
    redisName: redis.outputs.name
    readerPrincipalId: webApp.outputs.principalId
    tags: tags
  }
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'parley-appsettings'
  params: {
    webAppName: webApp.outputs.name
    redisName: redis.outputs.name
    redisSecretMode: redisSecretMode
    redisSecretUri: redisSecretMode == 'keyVault' ? keyVault.outputs.secretUri : ''
    logLevel: logLevel
    historyLimit: historyLimit
    allowedOrigins: effectiveAllowedOrigins
    allowedHosts: effectiveAllowedHosts
    joinCode: joinCode
    healthToken: healthToken
    healthCheckMaxPingFailures: healthCheckMaxPingFailures
    behindGateway: deployAppGateway
  }
}

module appGateway 'modules/appgw.bicep' = if (deployAppGateway) {
  name: 'parley-appgw'
  params: {
    name: '${namePrefix}-appgw-${suffix}'
    location: location
    backendFqdns: [
      webApp.outputs.defaultHostName
    ]
    publicHostName: appGatewayHostName
    certKeyVaultSecretId: appGatewayCertKeyVaultSecretId
    identityId: appGatewayIdentityId
    certPfxBase64: appGatewayCertPfxBase64
    certPassword: appGatewayCertPassword
    requestTimeoutSeconds: appGatewayRequestTimeoutSeconds
    redirectHttpToHttps: appGatewayRedirectHttpToHttps
    minCapacity: appGatewayMinCapacity
    maxCapacity: appGatewayMaxCapacity
    vnetAddressPrefix: appGatewayVnetAddressPrefix
    subnetAddressPrefix: appGatewaySubnetPrefix
    tags: tags
  }
}

@description('Name of the web app (deploy.sh zip-deploys to it).')
output webAppName string = webApp.outputs.name

@description('The app\'s own URL.')
output webAppUrl string = 'https://${webApp.outputs.defaultHostName}'

@description('Health endpoint for probes and smoke tests.')
output healthUrl string = 'https://${webApp.outputs.defaultHostName}/healthz'

@description('Name of the App Service plan (deploy.sh --scale changes its capacity).')
output planName string = webApp.outputs.planName

@description('Redis host name (the key is never an output).')
output redisHostName string = redis.outputs.hostName

@description('Public IP of the Application Gateway, when deployed: point your DNS name at it.')
output appGatewayPublicIp string = deployAppGateway ? appGateway.outputs.publicIpAddress : ''
