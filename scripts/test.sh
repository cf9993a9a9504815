#!/usr/bin/env bash
# The test command: installs what the tests need, then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
python -m pip install -q -e '.[test]'
lint-imports   # the layer contracts (.importlinter, docs/architecture.md)
export AREAPLAN_REQUIRE_DOVECOT=1 AREAPLAN_REQUIRE_CHROMIUM=1
python -m pytest "$@"
