#!/usr/bin/env bash
# Runs every fuzz target of the decoders of outside input for FUZZTIME each (default 30s), one after
# another (go test accepts one -fuzz target per run). Issue 9 item 9: no panic, no 5xx through HTTP.
# A failure leaves its input under the package's testdata/fuzz/, which `go test` then replays for good.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-30s}"
targets=(
  "./domain FuzzNormalizePhone"
  "./domain FuzzNormalizeIDNumber"
  "./domain FuzzNormalizeCreditCode"
  "./domain FuzzNormalizeName"
  "./domain FuzzParseCardToken"
  "./matching FuzzTokenize"
  "./matching FuzzSearchJobs"
  "./api FuzzJobPayload"
  "./api FuzzLedgerPayload"
  "./api FuzzHTTPInputs"
)
# Targets other packages add later are found too, so none is forgotten.
while read -r file line; do
  pkg="./$(dirname "$file")"; name="$line"
  entry="$pkg $name"
  [[ " ${targets[*]} " == *" $entry "* ]] || targets+=("$entry")
done < <(grep -rhoE --include='*_test.go' -H '^func (Fuzz[A-Za-z0-9_]+)' . | sed -E 's#^\./##; s#:func # #')
for t in "${targets[@]}"; do
  set -- $t
  echo "fuzz $2 in $1 for $fuzztime"
  go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" >/tmp/fuzz-$2.log 2>&1 || { tail -30 /tmp/fuzz-$2.log; exit 1; }
done
echo "fuzzing passed: ${#targets[@]} targets"
