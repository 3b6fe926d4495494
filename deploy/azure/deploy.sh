#!/usr/bin/env bash
# Parley on Azure App Service: infrastructure (Bicep), build, zip deploy, scale-out and logs, with
# the Azure CLI. `deploy/azure/deploy.sh --help` lists commands and options; deploy/azure/README.md
# walks through a first deployment. Needs: az (logged in), node 20+, npm, zip, curl.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)

resource_group=${PARLEY_RESOURCE_GROUP:-}
location=${PARLEY_LOCATION:-westeurope}
name_prefix=${PARLEY_NAME_PREFIX:-parley}
app_name=${PARLEY_APP_NAME:-}
parameters_file=${PARLEY_PARAMETERS_FILE:-}
deployment_name=${PARLEY_DEPLOYMENT_NAME:-parley}
zip_path=${PARLEY_ZIP:-$repo_root/dist/parley-appservice.zip}
dry_run=${PARLEY_DRY_RUN:-0}
health_attempts=${PARLEY_HEALTH_ATTEMPTS:-30}
skip_build=0
target=linux
scale_to=""
command=""
extra_params=()
staging_dir=""

usage() {
  cat <<'EOF'
Usage: deploy/azure/deploy.sh [options] [command]

Commands (default: up):
  up         package, infra, zip-deploy, then wait until /healthz answers 200
  infra      create or update the resource group and the Bicep deployment (main.bicep)
  package    npm ci + npm run build, then write the zip: dist/, package.json, package-lock.json
             and production node_modules (no Azure calls)
  code       package, zip-deploy to the existing web app, wait for /healthz
  scale N    set the App Service plan to N instances
  logs       turn on container logging and stream the app's log (az webapp log tail)
  health     print https://<app>/healthz once

Options (environment variable in brackets):
  -g, --resource-group NAME  resource group [PARLEY_RESOURCE_GROUP]; required except for package
  -l, --location REGION      region of a new resource group [PARLEY_LOCATION] (default westeurope)
  -n, --name-prefix PREFIX   the template's namePrefix [PARLEY_NAME_PREFIX] (default parley)
  -a, --app NAME             web app name [PARLEY_APP_NAME] (default: the deployment's output)
  -p, --parameters FILE      a parameters file for the deployment [PARLEY_PARAMETERS_FILE]
      --param KEY=VALUE      one template parameter, repeatable (--param instanceCount=3)
      --scale N              instances: with up/infra it sets instanceCount=N in the deployment;
                             with other commands it scales the plan afterwards
      --windows              package for Windows App Service (adds web.config and server.cjs)
      --zip PATH             where package writes the zip [PARLEY_ZIP]
      --skip-build           package the existing dist/ (no npm ci / npm run build)
      --dry-run              print the commands instead of running them [PARLEY_DRY_RUN=1]
  -h, --help                 this help

Secrets: never put a key in a parameters file in the repository. Redis keys are read by the
template itself (listKeys); pass a gateway PFX password with --param at the prompt or use a
Key Vault certificate (appGatewayCertKeyVaultSecretId).
EOF
}

die() {
  printf 'deploy.sh: %s\n' "$*" >&2
  exit 1
}

note() {
  printf '==> %s\n' "$*" >&2
}

# Dry-run traces go to fd 3 (the original stdout), so they show even inside $(...).
exec 3>&1

trace() {
  printf '+' >&3
  printf ' %q' "$@" >&3
  printf '\n' >&3
}

run() {
  if [ "$dry_run" = 1 ]; then trace "$@"; else "$@"; fi
}

# run_in DIR CMD...: CMD in DIR, without changing this shell's directory.
run_in() {
  local dir=$1
  shift
  if [ "$dry_run" = 1 ]; then
    trace cd "$dir"
    trace "$@"
  else
    (cd "$dir" && "$@")
  fi
}

# capture PLACEHOLDER CMD...: CMD's output; in a dry run, the placeholder.
capture() {
  local placeholder=$1
  shift
  if [ "$dry_run" = 1 ]; then
    trace "$@"
    printf '%s\n' "$placeholder"
  else
    "$@"
  fi
}

need() {
  [ "$dry_run" = 1 ] && return 0
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed (${2:-see deploy/azure/README.md})"
}

require_group() {
  [ -n "$resource_group" ] || die "no resource group: pass -g NAME or set PARLEY_RESOURCE_GROUP"
  need az "https://learn.microsoft.com/cli/azure/install-azure-cli"
}

cleanup() {
  if [ -n "$staging_dir" ] && [ -d "$staging_dir" ]; then rm -rf "$staging_dir"; fi
}
trap cleanup EXIT

infra() {
  require_group
  note "resource group $resource_group ($location)"
  run az group create --name "$resource_group" --location "$location" --output none
  local args=(deployment group create
    --resource-group "$resource_group"
    --name "$deployment_name"
    --template-file "$script_dir/main.bicep"
    --parameters "namePrefix=$name_prefix")
  if [ -n "$parameters_file" ]; then args+=(--parameters "@$parameters_file"); fi
  local p
  for p in ${extra_params[@]+"${extra_params[@]}"}; do args+=(--parameters "$p"); done
  if [ -n "$scale_to" ]; then args+=(--parameters "instanceCount=$scale_to"); fi
  args+=(--output none)
  note "deploying main.bicep (App Service plan, web app, Redis, optional gateway)"
  run az "${args[@]}"
}

resolve_app() {
  if [ -z "$app_name" ]; then
    app_name=$(capture "dry-run-webapp" az deployment group show \
      --resource-group "$resource_group" --name "$deployment_name" \
      --query properties.outputs.webAppName.value --output tsv)
  fi
  [ -n "$app_name" ] || die "cannot tell the web app's name: pass --app NAME"
}

package() {
  need node
  need npm
  need zip "apt-get install zip, or brew install zip"
  if [ "$skip_build" != 1 ]; then
    note "building the relay (npm ci, npm run build)"
    run_in "$repo_root" npm ci --no-audit --no-fund
    run_in "$repo_root" npm run build
  fi
  if [ "$dry_run" != 1 ] && [ ! -f "$repo_root/dist/server/cli.js" ]; then
    die "dist/server/cli.js is missing: run without --skip-build"
  fi
  staging_dir=$(mktemp -d "${TMPDIR:-/tmp}/parley-zip.XXXXXX")
  note "staging the package in $staging_dir"
  run mkdir -p "$staging_dir/dist"
  run cp -R "$repo_root/dist/server" "$repo_root/dist/renderer" "$staging_dir/dist/"
  run cp "$repo_root/package.json" "$repo_root/package-lock.json" "$staging_dir/"
  # Production dependencies only, installed here rather than by Oryx on the server, so start-up
  # does not depend on a build there. No install scripts: the relay's dependencies need none (the
  # native ones, classic-level and sharp, come prebuilt; sharp only for this machine's platform:
  # README.md), and the project's own postinstall only concerns Electron.
  run_in "$staging_dir" npm ci --omit=dev --ignore-scripts --no-audit --no-fund
  local files=(dist package.json package-lock.json node_modules)
  if [ "$target" = windows ]; then
    run cp "$script_dir/windows/web.config" "$script_dir/windows/server.cjs" "$staging_dir/"
    files+=(web.config server.cjs)
  fi
  run mkdir -p "$(dirname "$zip_path")"
  run rm -f "$zip_path"
  run_in "$staging_dir" zip -qr "$zip_path" "${files[@]}"
  note "package: $zip_path"
}

deploy_code() {
  require_group
  resolve_app
  note "zip deploy to $app_name"
  run az webapp deploy --resource-group "$resource_group" --name "$app_name" \
    --src-path "$zip_path" --type zip
}

wait_healthy() {
  need curl
  local host url status attempt
  host=$(capture "dry-run-webapp.azurewebsites.net" az webapp show --resource-group "$resource_group" \
    --name "$app_name" --query defaultHostName --output tsv)
  url="https://$host/healthz"
  note "waiting for $url to answer 200"
  if [ "$dry_run" = 1 ]; then
    trace curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 "$url"
    return 0
  fi
  for ((attempt = 1; attempt <= health_attempts; attempt++)); do
    status=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 "$url" || true)
    if [ "$status" = 200 ]; then
      note "healthy: $(curl --silent --max-time 10 "$url" || true)"
      return 0
    fi
    note "attempt $attempt/$health_attempts: HTTP $status"
    sleep 10
  done
  die "$url did not answer 200; see: deploy/azure/deploy.sh -g $resource_group logs"
}

scale() {
  require_group
  resolve_app
  local plan_id
  plan_id=$(capture "/subscriptions/dry-run/resourceGroups/dry-run/providers/Microsoft.Web/serverfarms/dry-run-plan" az webapp show --resource-group "$resource_group" \
    --name "$app_name" --query appServicePlanId --output tsv)
  note "scaling $app_name's plan to $scale_to instance(s)"
  run az appservice plan update --ids "$plan_id" --number-of-workers "$scale_to" --output none
  note "a later 'infra' or 'up' resets this to the template's instanceCount: pass --scale $scale_to there too"
}

logs() {
  require_group
  resolve_app
  run az webapp log config --resource-group "$resource_group" --name "$app_name" \
    --docker-container-logging filesystem --output none
  run az webapp log tail --resource-group "$resource_group" --name "$app_name"
}

health() {
  require_group
  resolve_app
  need curl
  local host
  host=$(capture "dry-run-webapp.azurewebsites.net" az webapp show --resource-group "$resource_group" \
    --name "$app_name" --query defaultHostName --output tsv)
  run curl --silent --show-error --max-time 10 "https://$host/healthz"
  printf '\n'
}

need_value() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
}

while [ $# -gt 0 ]; do
  case $1 in
    -g | --resource-group) need_value "$@"; resource_group=$2; shift 2 ;;
    -l | --location) need_value "$@"; location=$2; shift 2 ;;
    -n | --name-prefix) need_value "$@"; name_prefix=$2; shift 2 ;;
    -a | --app) need_value "$@"; app_name=$2; shift 2 ;;
    -p | --parameters) need_value "$@"; parameters_file=$2; shift 2 ;;
    --param) need_value "$@"; extra_params+=("$2"); shift 2 ;;
    --scale) need_value "$@"; scale_to=$2; shift 2 ;;
    --zip) need_value "$@"; zip_path=$2; shift 2 ;;
    --windows) target=windows; shift ;;
    --skip-build) skip_build=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    up | infra | package | code | logs | health)
      [ -z "$command" ] || die "one command at a time ($command, $1)"
      command=$1
      shift
      ;;
    scale)
      [ -z "$command" ] || die "one command at a time ($command, $1)"
      command=scale
      need_value "$@"
      scale_to=$2
      shift 2
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
command=${command:-up}

if [ -n "$scale_to" ]; then
  if ! [[ $scale_to =~ ^[0-9]+$ ]] || [ "$scale_to" -lt 1 ] || [ "$scale_to" -gt 30 ]; then
    die "instance count must be 1-30 (got '$scale_to')"
  fi
fi
case $zip_path in
  /*) ;;
  *) zip_path=$PWD/$zip_path ;;
esac
if [ -n "$parameters_file" ] && [ "$dry_run" != 1 ]; then
  [ -f "$parameters_file" ] || die "parameters file $parameters_file not found"
fi
if [ "$target" = windows ] && [ "$command" != package ]; then
  die "--windows only packages (the template deploys Linux); see README 'Windows App Service'"
fi

case $command in
  up)
    package # first: a broken build should fail before minutes of provisioning
    infra
    deploy_code
    wait_healthy
    ;;
  infra) infra ;;
  package) package ;;
  code)
    package
    deploy_code
    wait_healthy
    if [ -n "$scale_to" ]; then scale; fi
    ;;
  scale) scale ;;
  logs)
    if [ -n "$scale_to" ]; then scale; fi
    logs
    ;;
  health)
    if [ -n "$scale_to" ]; then scale; fi
    health
    ;;
  *) die "unknown command '$command'" ;;
esac
