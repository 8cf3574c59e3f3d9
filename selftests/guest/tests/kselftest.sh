#!/bin/sh
# Runs kselftests with the kselftest runner (arguments as for run_kselftest.sh); its TAP
# output goes to the host as it is.
cd /kselftest || exit 1
exec ./run_kselftest.sh "$@"
