#!/bin/sh
# Regenerates spec/fixtures/jinja-oracle/expected/ with ansible-playbook (ansible-core 2.14), the
# oracle spec/unit/render/jinja-oracle.spec.ts compares play's Jinja rendering against.
set -eu
dir=$(cd "$(dirname "$0")/../spec/fixtures/jinja-oracle" && pwd)
mkdir -p "$dir/expected"
PLAY_ORACLE_ENV=from-env ANSIBLE_LOCALHOST_WARNING=false ansible-playbook -i localhost, "$dir/site.yml" -e "out=$dir/expected"
