// The relay's environment on App Service. This resource replaces the app's whole set of app
// settings on every deployment: change settings here (or through main.bicep's parameters), not in
// the portal, or the next deployment undoes the change.

@description('Web app whose settings these are.')
param webAppName string

@description('Azure Cache for Redis to connect to; its key is read here with listKeys().')
param redisName string

@description('appSetting: REDIS_URL holds the connection string; keyVault: a Key Vault reference to it.')
@allowed([
  'appSetting'
  'keyVault'
])
param redisSecretMode string

@description('Versionless Key Vault secret URI (keyVault mode only).')
param redisSecretUri string

@description('LOG_LEVEL.')
param logLevel string

@description('HISTORY_LIMIT.')
param historyLimit int

@description('ALLOWED_ORIGINS, comma separated.')
param allowedOrigins string

@description('ALLOWED_HOSTS, comma separated.')
param allowedHosts string

@description('JOIN_CODE; empty for none.')
@secure()
param joinCode string

@description('HEALTH_TOKEN; empty for none.')
@secure()
param healthToken string

@description('WEBSITE_HEALTHCHECK_MAXPINGFAILURES.')
param healthCheckMaxPingFailures int

@description('True when the Application Gateway is in front of App Service: two proxies append to X-Forwarded-For.')
param behindGateway bool

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: webAppName
}

resource cache 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

// The Azure portal's connection-string form; the relay parses it (TLS on port 6380, key as password).
var redisConnection = '${cache.properties.hostName}:6380,password=${cache.listKeys().primaryKey},ssl=True,abortConnect=False'

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    NODE_ENV: 'production'
    // The relay binds loopback unless told otherwise; App Service reaches it from outside the container.
    HOST: '0.0.0.0'
    // TLS ends at the App Service front end (and at the gateway). TRUST_PROXY is the number of
    // proxies that append to X-Forwarded-For: the front end, plus the gateway when there is one.
    // The relay reads the client address that many entries from the right, so a client cannot
    // choose its own address by sending the header itself.
    TRUST_PROXY: behindGateway ? '2' : '1'
    LOG_LEVEL: logLevel
    HISTORY_LIMIT: string(historyLimit)
    ALLOWED_ORIGINS: allowedOrigins
    ALLOWED_HOSTS: allowedHosts
    JOIN_CODE: joinCode
    HEALTH_TOKEN: healthToken
    REDIS_URL: redisSecretMode == 'keyVault' ? '@Microsoft.KeyVault(SecretUri=${redisSecretUri})' : redisConnection
    // deploy.sh ships dist/ with production node_modules: no Oryx build on the server, so start-up
    // never depends on the registry being reachable from App Service.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    WEBSITE_HEALTHCHECK_MAXPINGFAILURES: string(healthCheckMaxPingFailures)
  }
}
