#!/usr/bin/env bash
# Checks deploy/docker-compose.yml with the compose tool's own validation (every profile), then
# gives the scheduler's configuration loader the environment the file hands the core service:
# a variable it rejects fails here, not at a pool's first `up`. Installs docker-compose (Debian)
# when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null; then
  apt-get install -y -qq docker-compose >/dev/null || {
    apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null
  }
fi
compose=(docker-compose --env-file deploy/pool.env.example -f deploy/docker-compose.yml --profile tee)
"${compose[@]}" config -q
# docker-compose depends on python3-yaml: it reads the resolved file.
"${compose[@]}" config | python3 -c \
  'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)["services"]["core"]["environment"]))' \
  >"${TMPDIR:-/tmp}/compose-core-env.json"
npx tsx -e "
import { readFileSync } from 'node:fs';
import { loadConfig } from './src/config/load-config.ts';
const env = JSON.parse(readFileSync('${TMPDIR:-/tmp}/compose-core-env.json', 'utf8'));
try {
  loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')])));
} catch (error) {
  console.error('deploy/docker-compose.yml, service core: ' + error.message);
  process.exit(1);
}
console.log('deploy/docker-compose.yml: valid (' + Object.keys(env).length + ' core variables accepted)');
"
