#!/bin/sh
# Used by the bench's own checks only: a guest test that hangs after one result.
echo "KTAP version 1"
echo "1..2"
echo "ok 1 about to hang"
sleep 100000
