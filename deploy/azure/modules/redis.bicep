// Azure Cache for Redis: the shared backend of every relay instance (Socket.IO adapter, presence,
// history). TLS only (port 6380), TLS 1.2 minimum; the relay authenticates with the access key.

@description('Cache name, globally unique (<name>.redis.cache.windows.net).')
param name string

@description('Azure region.')
param location string

@description('Basic, Standard or Premium.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

@description('Size: 0-6 (C0-C6) for Basic/Standard, 1-5 (P1-P5) for Premium.')
@minValue(0)
@maxValue(6)
param capacity int

@description('Tags applied to every resource of this module.')
param tags object

resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuName == 'Premium' ? 'P' : 'C'
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    redisVersion: '6'
    publicNetworkAccess: 'Enabled'
    disableAccessKeyAuthentication: false // the relay signs in with the access key (REDIS_URL)
  }
}

@description('Cache name (consumers read the key themselves with listKeys(); it is never an output).')
output name string = cache.name

@description('Host name, <name>.redis.cache.windows.net.')
output hostName string = cache.properties.hostName
