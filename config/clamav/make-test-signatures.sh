#!/usr/bin/env bash
# Regenerates the project's ClamAV test signature database with sigtool (Debian package clamav).
# The output goes into the embedded module's resources, from where ClamdProcess installs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../embedded/src/main/resources/org/wardline/embedded/clamav"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$work/eicar.com"
# Hash signature of the exact EICAR file.
(cd "$work" && sigtool --md5 eicar.com) | sed 's/:eicar.com$/:Wardline.Test.EICAR.Hash/' > "$out/wardline-test.hdb"
# Body signature: matches the EICAR string anywhere, so also inside archives and longer files.
hex="$(printf '%s' 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' | sigtool --hex-dump)"
echo "Wardline.Test.EICAR.Body:0:*:$hex" > "$out/wardline-test.ndb"
# Prove the database loads and detects the file.
{ clamscan --no-summary -d "$out" "$work/eicar.com" || true; } | grep -q FOUND
echo "wrote $out/wardline-test.hdb and wardline-test.ndb"
