#!/bin/sh
# install-deps.sh [--test]
# Installs, from Debian's packages, what presskit needs to build; with
# --test also what its test suite needs (cmocka, the independent
# validators, valgrind and clang for the sanitizer and fuzz builds).
# Runs as root without questions; does nothing that is already done.
set -eu
pkgs="gcc make cmake libc6-dev libyaml-dev libcmark-dev libjansson-dev libxml2-dev"
if [ "${1:-}" = "--test" ]; then
    # libxml2-utils: xmllint; jing: RELAX NG; python3-feedparser: an
    # independent Atom parser; epubcheck: EPUB validation; pandoc: an
    # independent plain-text rendering; zip: EPUB packaging; python3-jsonschema:
    # checks JSON output against our JSON Schema; pkg-config: builds the
    # example plugins as a third party would (tests/sdk); clang and
    # libclang-rt-14-dev: the libFuzzer build (docs/FUZZING.md).
    pkgs="$pkgs libcmocka-dev libxml2-utils jing python3-feedparser epubcheck
          pandoc zip valgrind python3-jsonschema pkg-config clang
          libclang-rt-14-dev"
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "install-deps.sh: run as root to install:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
fi
