#!/usr/bin/env bash
# `npm run fuzz:api` (issue 18 §4): schemathesis against the scheduler's OpenAPI document, on the
# dev stack. Schemathesis (PyPI, pinned) lives in a venv cached under ~/.cache/iexec-core-ts,
# created once; bench/fuzz-api.ts starts the stack, runs it and checks the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV="${HOME}/.cache/iexec-core-ts/schemathesis-${SCHEMATHESIS_VERSION}"
if ! "${VENV}/bin/st" --version 2>/dev/null | grep -q "version ${SCHEMATHESIS_VERSION}\$"; then
  echo "== creating ${VENV} (schemathesis ${SCHEMATHESIS_VERSION} from PyPI)"
  rm -rf "${VENV}"
  python3 -m venv "${VENV}"
  "${VENV}/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi
SCHEMATHESIS="${VENV}/bin/st" exec node --import ./bench/support/ts-register.mjs bench/fuzz-api.ts "$@"
