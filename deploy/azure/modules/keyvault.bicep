// Optional (redisSecretMode = keyVault): REDIS_URL as a Key Vault secret, readable by the web app's
// managed identity. The app setting then holds only a @Microsoft.KeyVault(SecretUri=...) reference.

@description('Vault name, globally unique, 3-24 characters.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Azure Cache for Redis whose access key goes into the secret.')
param redisName string

@description('Principal id of the web app\'s system-assigned identity (gets Key Vault Secrets User).')
param readerPrincipalId string

@description('Tags applied to every resource of this module.')
param tags object

// Built-in role "Key Vault Secrets User".
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource cache 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource redisUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-url'
  properties: {
    contentType: 'Azure Cache for Redis connection string (host:6380,password=...,ssl=True)'
    value: '${cache.properties.hostName}:6380,password=${cache.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

resource appCanRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, readerPrincipalId, secretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Consumers of this output (appsettings.bicep) wait for the whole module, role assignment included,
// so the reference resolves when the app first starts.
@description('Versionless secret URI for the app setting\'s Key Vault reference (the latest version is used).')
output secretUri string = '${vault.properties.vaultUri}secrets/redis-url'
